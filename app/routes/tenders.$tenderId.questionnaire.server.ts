// What every questionnaire builder page shares on the server: finding the
// tender and asking the policy (the leading council's staff read, its
// commissioning officers edit a draft), running a change in one transaction
// and turning its refusals into form errors, a stale page into the latest
// version to show beside what was typed, and the question form's fields
// into the module's input.
import { redirect } from "@remix-run/node";
import { z } from "zod";
import type { Kysely } from "kysely";
import type { Database, QuestionKind, Trx } from "#app/database/schema";
import { ActionRefused, ConcurrentEditError, RecordNotFound } from "#app/modules/errors";
import type { ActionContext } from "#app/modules/identity/actor";
import {
  DEFAULT_SCALE,
  evidenceChoices,
  evidenceText,
  getQuestionnaire,
  type QuestionInput,
  type Questionnaire,
  type QuestionView,
} from "#app/modules/tendering/questionnaires";
import { getTender, tenderThing } from "#app/modules/tendering/tenders";
import { allowed } from "#app/policy/policy";
import { actionContext, type PortalContext } from "#app/web/context";
import { fieldErrors, type FieldErrors } from "#app/web/forms";
import { authorise, notFound, requireActor } from "#app/web/guard.server";
import type { QuestionFormValues } from "#app/components/questionnaire/QuestionFields";

export const STALE_MESSAGE =
  "The questionnaire has changed since you opened this page. What is saved now is shown below beside what you typed: check it, then save again if your change is still needed.";

/** The tender and its questionnaire as the pages show them, after the policy has said this person may read it. */
export async function loadQuestionnaire(request: Request, portal: PortalContext, tenderId: string | undefined) {
  requireActor(request, portal);
  const view = await getTender(portal.db, tenderId ?? "");
  if (!view) throw notFound();
  const thing = tenderThing(view);
  authorise(request, portal, "tender.viewQuestionnaire", thing);
  const questionnaire = await getQuestionnaire(portal.db, view.tender.id);
  const t = view.tender;
  return {
    tender: { id: t.id, title: t.title, status: t.status, version: t.version, path: `/tenders/${t.id}/questionnaire` },
    lots: view.lots.map((l) => ({ id: l.id, number: l.number, title: l.title, priceBasis: l.priceBasis })),
    questionnaire,
    /** A draft, and this person may change it. A published tender changes only by amendment. */
    canEdit: t.status === "draft" && allowed(portal.actor, "tender.manage", thing),
    thing,
  };
}

export type LoadedQuestionnaire = Awaited<ReturnType<typeof loadQuestionnaire>>;

/** For an action: the tender, if this person may change it (404 to other organisations, 403 to other staff). */
export async function loadForChange(request: Request, portal: PortalContext, tenderId: string | undefined) {
  const loaded = await loadQuestionnaire(request, portal, tenderId);
  authorise(request, portal, "tender.manage", loaded.thing);
  return loaded;
}

export type ChangeOutcome = { ok: true } | { ok: false; stale: boolean; errors: FieldErrors };

/** Runs one change in one transaction; a module's refusal or a stale version comes back as errors, a vanished record as 404. */
export async function runChange(
  db: Kysely<Database>,
  portal: PortalContext,
  change: (trx: Trx, ctx: ActionContext) => Promise<unknown>,
  fieldOf: (moduleField: string) => string = (f) => f,
): Promise<ChangeOutcome> {
  try {
    await db.transaction().execute((trx) => change(trx, actionContext(portal)));
    return { ok: true };
  } catch (error) {
    if (error instanceof ConcurrentEditError) return { ok: false, stale: true, errors: { form: STALE_MESSAGE } };
    if (error instanceof ActionRefused) return { ok: false, stale: false, errors: { [error.field ? fieldOf(error.field) : "form"]: error.message } };
    if (error instanceof RecordNotFound) throw notFound();
    throw error;
  }
}

/** Back to the overview with a banner saying what was done. */
export function backToQuestionnaire(portal: PortalContext, tenderId: string, title: string, body?: string): Response {
  return redirect(`/tenders/${tenderId}/questionnaire`, { headers: { "Set-Cookie": portal.flashCookie({ title, body }) } });
}

/** The tender version the page was built on, as every form carries it. */
export const versionField = z.coerce.number().int().min(1);

export function submittedVersion(form: FormData): number {
  const parsed = versionField.safeParse(form.get("version"));
  if (!parsed.success) throw new Response("The form is missing the tender's version", { status: 400 });
  return parsed.data;
}

/** A question of the questionnaire, or 404. */
export function questionIn(questionnaire: Questionnaire, questionId: string | undefined): QuestionView {
  const question = questionnaire.sections.flatMap((s) => s.questions).find((q) => q.id === questionId);
  if (!question) throw notFound();
  return question;
}

// ---- the question form ----

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};

/** What was typed, exactly, to show again with errors. */
export function questionValuesFrom(form: FormData): QuestionFormValues {
  const descriptors: Record<string, string> = {};
  const weights: Record<string, string> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value !== "string") continue;
    const descriptor = /^descriptor-(\d+)$/.exec(key);
    if (descriptor) descriptors[descriptor[1]!] = value;
    const weight = /^weight-(.+)$/.exec(key);
    if (weight) weights[weight[1]!] = value;
  }
  return {
    kind: text(form, "kind"),
    question: text(form, "question"),
    guidance: text(form, "guidance"),
    evidenceRequired: form.getAll("evidenceRequired").map(String),
    evidenceOther: text(form, "evidenceOther"),
    wordLimit: text(form, "wordLimit"),
    minimumScore: text(form, "minimumScore"),
    descriptors,
    weights,
  };
}

/** A saved question as the form shows it. */
export function questionValuesOf(question: QuestionView | null): QuestionFormValues {
  const scale = question && question.scale.length > 0 ? question.scale : DEFAULT_SCALE;
  const evidence = evidenceChoices(question?.evidenceRequired ?? null);
  return {
    kind: question?.kind ?? "",
    question: question?.question ?? "",
    guidance: question?.guidance ?? "",
    evidenceRequired: evidence.chosen,
    evidenceOther: evidence.other,
    wordLimit: question?.wordLimit?.toString() ?? "",
    minimumScore: question?.minimumScore?.toString() ?? "",
    descriptors: Object.fromEntries(scale.map((s) => [String(s.score), s.descriptor])),
    weights: Object.fromEntries((question?.weights ?? []).map((w) => [w.lotId, String(w.weight)])),
  };
}

const wholeNumber = (label: string, min: number, max: number, example: number) =>
  z
    .string()
    .trim()
    .refine((v) => /^\d+$/.test(v), `${label} must be a whole number, like ${example}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `${label} must be from ${min} to ${max.toLocaleString("en-GB")}`);

const questionForm = z.object({
  kind: z.enum(["pass_fail", "quality", "declaration"], { error: "Select the kind of question" }),
  question: z.string().trim().min(1, "Enter the question").max(2000, "Question must be 2,000 characters or fewer"),
  guidance: z.string().max(5000, "Guidance must be 5,000 characters or fewer"),
});

/**
 * The question form's fields as the module's input, or every error at once.
 * Only the fields of the chosen kind count: without JavaScript the form
 * shows them all, and what was typed in the others is ignored.
 */
export function parseQuestionForm(values: QuestionFormValues, lots: { id: string; number: number }[]): { input: QuestionInput & { kind: QuestionKind } } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const base = questionForm.safeParse(values);
  if (!base.success) Object.assign(errors, fieldErrors(base.error));
  const kind = base.success ? base.data.kind : (values.kind as QuestionKind);
  const input: QuestionInput = { question: values.question, guidance: values.guidance };
  if (kind === "pass_fail") {
    const evidence = evidenceText(values.evidenceRequired, values.evidenceOther);
    if (values.evidenceRequired.includes("Other") && values.evidenceOther.trim() === "") errors.evidenceOther = "Enter the other evidence required";
    else if (evidence === "") errors.evidenceRequired = "Select the evidence required, or describe it under Other";
    input.evidenceRequired = evidence;
  }
  if (kind === "quality") {
    const wordLimit = wholeNumber("Word limit", 1, 10_000, 750).safeParse(values.wordLimit);
    if (values.wordLimit.trim() === "") errors.wordLimit = "Enter the word limit";
    else if (!wordLimit.success) errors.wordLimit = wordLimit.error.issues[0]!.message;
    else input.wordLimit = wordLimit.data;
    if (values.minimumScore.trim() !== "") {
      const minimum = wholeNumber("Minimum acceptable score", 0, 100, 2).safeParse(values.minimumScore);
      if (!minimum.success) errors.minimumScore = minimum.error.issues[0]!.message;
      else input.minimumScore = minimum.data;
    } else input.minimumScore = null;
    input.scale = Object.entries(values.descriptors)
      .map(([score, descriptor]) => ({ score: Number(score), descriptor }))
      .sort((a, b) => a.score - b.score);
    for (const point of input.scale) if (point.descriptor.trim() === "") errors[`descriptor-${point.score}`] = `Enter the descriptor for score ${point.score}`;
    input.weights = [];
    for (const lot of lots) {
      const typed = (values.weights[lot.id] ?? "").trim();
      if (typed === "") continue;
      const weight = wholeNumber(`Weight for lot ${lot.number}`, 1, 100, 30).safeParse(typed);
      if (!weight.success) errors[`weight-${lot.id}`] = weight.error.issues[0]!.message;
      else input.weights.push({ lotId: lot.id, weight: weight.data });
    }
  }
  if (Object.keys(errors).length > 0) return { errors };
  return { input: { ...input, kind } };
}

/** Checks the question form and, if it is sound, saves it with `save` in one transaction. */
export async function saveQuestion(
  portal: PortalContext,
  lots: { id: string; number: number }[],
  values: QuestionFormValues,
  save: (trx: Trx, input: QuestionInput & { kind: QuestionKind }, ctx: ActionContext) => Promise<unknown>,
): Promise<ChangeOutcome> {
  const parsed = parseQuestionForm(values, lots);
  if ("errors" in parsed) return { ok: false, stale: false, errors: parsed.errors };
  return runChange(portal.db, portal, (trx, ctx) => save(trx, parsed.input, ctx), questionFieldOf(lots, Object.keys(values.descriptors)));
}

/** Where a module's refusal about a question belongs on the form. */
export function questionFieldOf(lots: { id: string }[], scores: string[]) {
  return (field: string) => {
    if (field === "weights") return lots[0] ? `weight-${lots[0].id}` : "form";
    if (field === "scale") return scores[0] !== undefined ? `descriptor-${scores[0]}` : "form";
    return field;
  };
}

