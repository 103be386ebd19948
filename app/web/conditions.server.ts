// The loaders and actions a dynamic market's application (apply.*) and a
// competitive flexible tender's request to participate (participate.*)
// share: one condition's page (the answer, and its evidence uploaded or
// picked from the library), check your answers and submit, the task list of
// conditions, and the downloads of the files attached. Each family says
// where its pages are, how its draft is found and which module functions
// change it (a ConditionsFlow); the words on the pages come with the flow.
import { data, redirect } from "@remix-run/node";
import { z } from "zod";
import type { Trx } from "#app/database/schema";
import { conditionForm, conditionInput, conditionValues } from "#app/components/tendering/ConditionAnswer";
import type { TaskStatus } from "#app/components/task-list";
import { ukDate } from "#app/modules/common/input";
import type { Actor } from "#app/modules/identity/actor";
import type { ActionContext } from "#app/modules/identity/actor";
import {
  attachConditionDocuments,
  attachConditionFile,
  detachConditionFile,
  ownConditionFile,
  submittedConditionFile,
  type ConditionsKind,
} from "#app/modules/tendering/application-evidence";
import { bidFileLimitsFromEnv } from "#app/modules/tendering/bids";
import { attachedFileLabel } from "#app/modules/tendering/bids-text";
import { answerInWords, type ApplicationProblem, type ApplicationView, type Condition } from "#app/modules/tendering/dynamic-markets";
import type { TenderView } from "#app/modules/tendering/tenders";
import { actionContext, type PortalContext } from "./context";
import { evidenceChoices } from "./evidence-attach.server";
import { fileDownload } from "./file-download.server";
import { fieldErrors, formObject, keptValues } from "./forms";
import { notFound } from "./guard.server";
import { refusalErrors } from "./refusals";

/** A page of the family with the organisation's draft it may change. */
export interface DraftConditionsPage {
  actor: Actor;
  view: TenderView;
  conditions: Condition[];
  draft: ApplicationView;
}

export interface ConditionsFlow {
  kind: ConditionsKind;
  /** The family's address: applyPath or participatePath. */
  path: (tenderId: string, rest?: string) => string;
  /** The draft's page: the tender, the policy's answer, the draft (else a redirect to the overview). */
  draftPage: (request: Request, portal: PortalContext, tenderId: string | undefined) => Promise<DraftConditionsPage>;
  /** The deadline a library document must still be valid on; null for none beyond not having expired. */
  evidenceDeadline: (view: TenderView) => Date | null;
  answer: (trx: Trx, input: { tenderId: string; questionId: string; expectedVersion: number; meetsRequirement: boolean | null; evidence: string | null; declared: boolean }, ctx: ActionContext) => Promise<unknown>;
  submit: (trx: Trx, input: { tenderId: string; expectedVersion: number }, ctx: ActionContext) => Promise<unknown>;
  problems: (draft: ApplicationView, conditions: Condition[], today: string) => ApplicationProblem[];
  /** The flash once submitted. */
  submitted: { title: string; body?: string };
}

/** Each condition's answer in words and its files as download links: the check pages and the officers' pages. */
export function conditionsInWords(conditions: Condition[], application: Pick<ApplicationView, "answers" | "files">, fileHref: (fileId: string) => string) {
  return conditions.map((c) => ({
    id: c.id,
    label: `${c.number} ${c.question}`,
    words: Object.entries(answerInWords(c, application.answers[c.id])).map(([k, v]) => `${k}: ${v}`),
    files: (application.files[c.id] ?? []).map((f) => ({ href: fileHref(f.fileId), label: attachedFileLabel(f) })),
  }));
}

/** The task list's conditions: each completed unless a problem names it. */
export function conditionTasks(conditions: Condition[], draft: Pick<ApplicationView, "answers">, problems: ApplicationProblem[]) {
  return conditions.map((c) => ({
    id: c.id,
    label: `${c.number} ${c.question}`,
    status: (problems.some((p) => p.target === c.id) ? (draft.answers[c.id] ? "Incomplete" : "Not started") : "Completed") as TaskStatus,
  }));
}

/** What stops the draft being submitted today (UK time). */
export function draftProblems(flow: ConditionsFlow, draft: ApplicationView, conditions: Condition[]): ApplicationProblem[] {
  return flow.problems(draft, conditions, ukDate(new Date()));
}

// ---- one condition ----

async function conditionPage(flow: ConditionsFlow, request: Request, portal: PortalContext, params: { tenderId?: string; questionId?: string }) {
  const page = await flow.draftPage(request, portal, params.tenderId);
  const condition = page.conditions.find((c) => c.id === params.questionId);
  if (!condition) throw notFound();
  return { ...page, condition };
}

export async function conditionLoader(flow: ConditionsFlow, request: Request, portal: PortalContext, params: { tenderId?: string; questionId?: string }) {
  const { actor, view, draft, condition } = await conditionPage(flow, request, portal, params);
  const evidence =
    condition.kind === "pass_fail"
      ? await evidenceChoices(portal.db, { organisationId: actor.organisationId, files: draft.files[condition.id] ?? [], deadline: flow.evidenceDeadline(view) })
      : null;
  return {
    tender: { id: view.tender.id, title: view.tender.title },
    version: draft.version,
    condition,
    values: conditionValues(draft.answers[condition.id]),
    evidence,
  };
}

type ConditionResult = { errors: Record<string, string>; values: Record<string, string | undefined>; documents?: string[] };

export async function conditionAction(flow: ConditionsFlow, request: Request, portal: PortalContext, params: { tenderId?: string; questionId?: string }) {
  const { actor, view, condition } = await conditionPage(flow, request, portal, params);
  const tenderId = view.tender.id;
  const back = flow.path(tenderId, `/conditions/${condition.id}`);
  const form = await request.formData();
  const intent = form.get("intent");
  const values = keptValues(form);
  try {
    if (intent === "upload") {
      const file = form.get("file");
      if (!(file instanceof File) || file.size === 0) return data<ConditionResult>({ errors: { file: "Select a file to upload" }, values: {} }, { status: 400 });
      await portal.db.transaction().execute((trx) =>
        attachConditionFile(
          trx,
          {
            kind: flow.kind,
            tenderId,
            questionId: condition.id,
            file: { fileName: file.name, contents: file.stream() as unknown as AsyncIterable<Uint8Array>, ownerOrganisationId: actor.organisationId, field: "file" },
          },
          actionContext(portal),
          bidFileLimitsFromEnv(process.env),
        ),
      );
      return redirect(back, { headers: { "Set-Cookie": portal.flashCookie({ title: `${file.name} uploaded` }) } });
    }
    if (intent === "attach-evidence") {
      const documentIds = form.getAll("documents").map(String);
      const { attached } = await portal.db
        .transaction()
        .execute((trx) => attachConditionDocuments(trx, { kind: flow.kind, tenderId, questionId: condition.id, documentIds }, actionContext(portal)));
      const title = attached === 0 ? "Those documents were already attached" : `${attached === 1 ? "1 document" : `${attached} documents`} attached from your evidence library`;
      return redirect(back, { headers: { "Set-Cookie": portal.flashCookie({ title }) } });
    }
    if (intent === "remove") {
      await portal.db
        .transaction()
        .execute((trx) => detachConditionFile(trx, { kind: flow.kind, tenderId, attachmentId: String(form.get("attachmentId") ?? "") }, actionContext(portal)));
      return redirect(back, { headers: { "Set-Cookie": portal.flashCookie({ title: "The file has been removed" }) } });
    }
    const parsed = conditionForm.safeParse(formObject(form));
    if (!parsed.success) return data<ConditionResult>({ errors: fieldErrors(parsed.error), values }, { status: 400 });
    await portal.db.transaction().execute((trx) => flow.answer(trx, { tenderId, questionId: condition.id, ...conditionInput(parsed.data) }, actionContext(portal)));
  } catch (error) {
    const errors = refusalErrors(error);
    // A refused attachment keeps what was ticked; the answer's fields show as saved.
    if (errors) return data<ConditionResult>(intent === "attach-evidence" ? { errors, values: {}, documents: form.getAll("documents").map(String) } : { errors, values }, { status: 400 });
    throw error;
  }
  return redirect(flow.path(tenderId), { headers: { "Set-Cookie": portal.flashCookie({ title: `Your answer to condition ${condition.number} has been saved` }) } });
}

// ---- check your answers and submit ----

const submitForm = z.object({ expectedVersion: z.coerce.number().int() });

export async function checkLoader(flow: ConditionsFlow, request: Request, portal: PortalContext, tenderId: string | undefined) {
  const page = await flow.draftPage(request, portal, tenderId);
  const { view, draft, conditions } = page;
  const id = view.tender.id;
  const problems = draftProblems(flow, draft, conditions);
  return {
    page,
    data: {
      tender: { id, title: view.tender.title },
      version: draft.version,
      conditions: conditionsInWords(conditions, draft, (fileId) => flow.path(id, `/files/${fileId}`)),
      // Each problem links to the page that puts it right.
      problems: Object.fromEntries(problems.map((p) => [p.target, p.message])),
      problemLinks: Object.fromEntries(problems.map((p) => [p.target, p.target === "lots" ? flow.path(id, "/lots") : flow.path(id, `/conditions/${p.target}`)])),
    },
  };
}

export async function checkAction(flow: ConditionsFlow, request: Request, portal: PortalContext, tenderId: string | undefined) {
  const { view } = await flow.draftPage(request, portal, tenderId);
  const parsed = submitForm.safeParse(formObject(await request.formData()));
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error) }, { status: 400 });
  try {
    await portal.db.transaction().execute((trx) => flow.submit(trx, { tenderId: view.tender.id, expectedVersion: parsed.data.expectedVersion }, actionContext(portal)));
  } catch (error) {
    const errors = refusalErrors(error);
    if (errors) return data({ errors }, { status: 400 });
    throw error;
  }
  return redirect(flow.path(view.tender.id), { headers: { "Set-Cookie": portal.flashCookie(flow.submitted) } });
}

// ---- the files ----

/** A file of the organisation's own application or request, for its users; anyone else's is not found. */
export async function ownFileDownload(organisationId: string, portal: PortalContext, tenderId: string, fileId: string | undefined): Promise<Response> {
  const found = await ownConditionFile(portal.db, { tenderId, fileId: fileId ?? "", organisationId });
  if (!found) throw notFound();
  return fileDownload(found.file, found.bytes);
}

/** A file of a submitted application or request, for the officers deciding it (the route has asked the policy); a draft's is not found. */
export async function submittedFileDownload(portal: PortalContext, tenderId: string, fileId: string | undefined): Promise<Response> {
  const found = await submittedConditionFile(portal.db, { tenderId, fileId: fileId ?? "" });
  if (!found) throw notFound();
  return fileDownload(found.file, found.bytes);
}
