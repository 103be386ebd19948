// Dynamic markets (decision 021): providers apply to join a published
// dynamic-market tender for some of its lots, answering its conditions of
// participation (the tender's pass/fail questions and declarations); an
// officer admits or refuses each application with reasons; admitted providers
// are members of those lots, without any cap. A call-off competition is a
// tender naming the market and one lot: only that lot's members take part.
import type { MarketApplicationStatusName, Reader, TenderStatus, Trx } from "#app/database/schema";
import { sql } from "kysely";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { cleanText, isUuid, longDate, requiredText, ukDate } from "#app/modules/common/input";
import { EVIDENCE_KIND_LABELS } from "#app/modules/evidence/evidence";
import { ActionRefused, ConcurrentEditError, RecordNotFound } from "#app/modules/errors";
import type { ActionContext, Actor } from "#app/modules/identity/actor";
import { activeProviderUsers } from "#app/modules/identity/queries";
import { queueEmail } from "#app/modules/outbox/outbox";
import type { AttachedEvidence } from "./bids-text";
import { getQuestionnaire } from "./questionnaires";
import { chooseLots, createTender, tenderLots, type TenderLot } from "./tenders";

registerAuditActions({
  "market.application_started": "Started an application to join a dynamic market",
  "market.application_changed": "Changed a draft application to join a dynamic market",
  "market.application_submitted": "Applied to join a dynamic market",
  "market.application_admitted": "Admitted a provider to a dynamic market",
  "market.application_refused": "Refused an application to join a dynamic market",
  "market.call_off_started": "Started a call-off competition under a dynamic market",
});

export const APPLICATION_STATUS_LABELS: Record<"draft" | MarketApplicationStatusName, string> = {
  draft: "Not yet submitted",
  submitted: "Waiting for a decision",
  admitted: "Admitted",
  refused: "Refused",
};

const EVIDENCE_MAX = 5000;
const REASON_MAX = 5000;

const lotName = (l: { number: number; title: string }) => `Lot ${l.number}: ${l.title}`;

// ---- the market and its conditions ----

interface MarketRow {
  id: string;
  title: string;
  status: string;
  procedure: string;
  agreement_id: string;
  light_touch: boolean;
  submission_deadline_at: Date | null;
  calls_off_tender_id: string | null;
  calls_off_lot_id: string | null;
}

async function marketRow(db: Reader, tenderId: string): Promise<MarketRow | undefined> {
  if (!isUuid(tenderId)) return undefined;
  return db
    .selectFrom("tender")
    .select(["id", "title", "status", "procedure", "agreement_id", "light_touch", "submission_deadline_at", "calls_off_tender_id", "calls_off_lot_id"])
    .where("id", "=", tenderId)
    .executeTakeFirst();
}

/** A dynamic market people may apply to: a published dynamic-market tender that is not itself a call-off. */
export function isDynamicMarket(tender: { procedure: string; calls_off_tender_id: string | null }): boolean {
  return tender.procedure === "dynamic_market" && tender.calls_off_tender_id === null;
}

/**
 * The market takes applications from publication until its end: the
 * tender's submission deadline (tenderPeriod.endDate), which for a dynamic
 * market is when it closes, not a deadline for each application.
 */
export function marketOpen(tender: { status: string; submission_deadline_at: Date | null }, now: Date): boolean {
  return tender.status === "published" && (tender.submission_deadline_at === null || tender.submission_deadline_at > now);
}

export interface Condition {
  id: string;
  number: string;
  kind: "pass_fail" | "declaration";
  question: string;
  guidance: string;
  evidenceRequired: string | null;
}

/**
 * The conditions of participation: the tender's pass/fail questions and
 * declarations, in questionnaire order; with `participationOnly`, only those
 * in participation-stage sections (a competitive flexible tender's, decision 035).
 */
export async function marketConditions(db: Reader, tenderId: string, options: { participationOnly?: boolean } = {}): Promise<Condition[]> {
  const questionnaire = await getQuestionnaire(db, tenderId);
  const sections = options.participationOnly ? questionnaire.sections.filter((s) => s.stage === "participation") : questionnaire.sections;
  return sections.flatMap((s) =>
    s.questions.flatMap((q) =>
      q.kind === "quality"
        ? []
        : [{ id: q.id, number: q.number, kind: q.kind, question: q.question, guidance: q.guidance, evidenceRequired: q.evidenceRequired }],
    ),
  );
}

// ---- applications as read ----

export interface ApplicationAnswer {
  meetsRequirement: boolean | null;
  evidence: string | null;
  declared: boolean | null;
}

/** A file attached to a condition: uploaded for it, or a document from the evidence library (decision 040). */
export interface ConditionFile {
  attachmentId: string;
  fileId: string;
  fileName: string;
  sizeBytes: number;
  sha256: string;
  /** Set when the file is a document from the evidence library. */
  evidence: AttachedEvidence | null;
}

export interface ApplicationView {
  id: string;
  tenderId: string;
  organisationId: string;
  organisationName: string;
  number: number;
  version: number;
  status: "draft" | MarketApplicationStatusName;
  lotIds: string[];
  answers: Record<string, ApplicationAnswer>;
  /** The files attached now, by condition (question id), oldest first. */
  files: Record<string, ConditionFile[]>;
  /** Submitted, then the decision: oldest first. */
  history: { status: MarketApplicationStatusName; reason: string | null; at: Date; by: string | null }[];
  submittedAt: Date | null;
  decision: { status: "admitted" | "refused"; reason: string | null; at: Date; by: string | null } | null;
}

async function applicationViews(db: Reader, rows: { id: string; tender_id: string; organisation_id: string; organisationName: string; number: number; version: number }[]): Promise<ApplicationView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [lots, answers, statuses, files] = await Promise.all([
    db.selectFrom("market_application_lot").select(["application_id", "lot_id"]).where("application_id", "in", ids).execute(),
    db.selectFrom("market_application_answer").selectAll().where("application_id", "in", ids).execute(),
    db
      .selectFrom("market_application_status")
      .leftJoin("app_user", "app_user.id", "market_application_status.changed_by")
      .select(["market_application_status.application_id", "market_application_status.status", "market_application_status.reason", "market_application_status.changed_at", "app_user.full_name"])
      .where("market_application_status.application_id", "in", ids)
      .orderBy("market_application_status.id")
      .execute(),
    db
      .selectFrom("market_application_file")
      .innerJoin("stored_file", "stored_file.id", "market_application_file.file_id")
      .leftJoin("evidence_document", "evidence_document.id", "market_application_file.evidence_document_id")
      .select([
        "market_application_file.id",
        "market_application_file.application_id",
        "market_application_file.question_id",
        "market_application_file.file_id",
        "market_application_file.file_name",
        "stored_file.size_bytes",
        "stored_file.sha256",
        "evidence_document.id as document_id",
        "evidence_document.title as document_title",
        "evidence_document.kind as document_kind",
        "evidence_document.expires_on as document_expires_on",
      ])
      .where("market_application_file.application_id", "in", ids)
      .where("market_application_file.detached_at", "is", null)
      .orderBy("market_application_file.attached_at")
      .orderBy("market_application_file.file_name")
      .execute(),
  ]);
  return rows.map((r) => {
    const history = statuses
      .filter((s) => s.application_id === r.id)
      .map((s) => ({ status: s.status, reason: s.reason, at: s.changed_at, by: s.full_name }));
    const last = history.at(-1);
    const decided = history.find((h) => h.status !== "submitted");
    return {
      id: r.id,
      tenderId: r.tender_id,
      organisationId: r.organisation_id,
      organisationName: r.organisationName,
      number: r.number,
      version: r.version,
      status: last?.status ?? "draft",
      lotIds: lots.filter((l) => l.application_id === r.id).map((l) => l.lot_id),
      answers: Object.fromEntries(
        answers
          .filter((a) => a.application_id === r.id)
          .map((a) => [a.question_id, { meetsRequirement: a.meets_requirement, evidence: a.evidence, declared: a.declared }]),
      ),
      files: files
        .filter((f) => f.application_id === r.id)
        .reduce<Record<string, ConditionFile[]>>((byQuestion, f) => {
          (byQuestion[f.question_id] ??= []).push({
            attachmentId: f.id,
            fileId: f.file_id,
            fileName: f.file_name,
            sizeBytes: Number(f.size_bytes),
            sha256: f.sha256,
            evidence:
              f.document_id && f.document_title && f.document_kind
                ? { id: f.document_id, title: f.document_title, kindLabel: EVIDENCE_KIND_LABELS[f.document_kind], expiresOn: f.document_expires_on }
                : null,
          });
          return byQuestion;
        }, {}),
      history,
      submittedAt: history.find((h) => h.status === "submitted")?.at ?? null,
      decision: decided ? { status: decided.status as "admitted" | "refused", reason: decided.reason, at: decided.at, by: decided.by } : null,
    };
  });
}

function applicationQuery(db: Reader) {
  return db
    .selectFrom("market_application")
    .innerJoin("organisation", "organisation.id", "market_application.organisation_id")
    .select([
      "market_application.id",
      "market_application.tender_id",
      "market_application.organisation_id",
      "organisation.name as organisationName",
      "market_application.number",
      "market_application.version",
    ]);
}

/** An organisation's applications to the market, latest first. */
export async function organisationApplications(db: Reader, tenderId: string, organisationId: string): Promise<ApplicationView[]> {
  if (!isUuid(tenderId) || !isUuid(organisationId)) return [];
  const rows = await applicationQuery(db)
    .where("market_application.tender_id", "=", tenderId)
    .where("market_application.organisation_id", "=", organisationId)
    .orderBy("market_application.number", "desc")
    .execute();
  return applicationViews(db, rows);
}

/** One application of the market, for its council's officers; null when it is another market's or does not exist. */
export async function marketApplication(db: Reader, tenderId: string, applicationId: string): Promise<ApplicationView | null> {
  if (!isUuid(tenderId) || !isUuid(applicationId)) return null;
  const rows = await applicationQuery(db).where("market_application.tender_id", "=", tenderId).where("market_application.id", "=", applicationId).execute();
  const [view] = await applicationViews(db, rows);
  // A draft is the provider's own business until it is submitted.
  return view && view.status !== "draft" ? view : null;
}

/** Every submitted application to the market: those waiting for a decision first (oldest first), then the decided, latest first. */
export async function marketApplications(db: Reader, tenderId: string): Promise<ApplicationView[]> {
  if (!isUuid(tenderId)) return [];
  const rows = await applicationQuery(db)
    .where("market_application.tender_id", "=", tenderId)
    .where((eb) => eb.exists(eb.selectFrom("market_application_status").select("id").whereRef("market_application_status.application_id", "=", "market_application.id")))
    .execute();
  const views = await applicationViews(db, rows);
  const pending = views.filter((v) => v.status === "submitted").sort((a, b) => a.submittedAt!.getTime() - b.submittedAt!.getTime());
  const decided = views.filter((v) => v.decision).sort((a, b) => b.decision!.at.getTime() - a.decision!.at.getTime());
  return [...pending, ...decided];
}

export interface LotMembers {
  lot: TenderLot;
  members: { organisationId: string; name: string; admittedAt: Date; admittedBy: string | null }[];
}

/** The members of each of the market's lots, by name. */
export async function marketMembers(db: Reader, tenderId: string): Promise<LotMembers[]> {
  if (!isUuid(tenderId)) return [];
  const lots = await tenderLots(db, tenderId);
  const rows = await db
    .selectFrom("market_membership")
    .innerJoin("organisation", "organisation.id", "market_membership.organisation_id")
    .leftJoin("app_user", "app_user.id", "market_membership.admitted_by")
    .select(["market_membership.lot_id", "market_membership.organisation_id", "organisation.name", "market_membership.admitted_at", "app_user.full_name"])
    .where("market_membership.tender_id", "=", tenderId)
    .orderBy("organisation.name")
    .execute();
  return lots.map((lot) => ({
    lot,
    members: rows
      .filter((r) => r.lot_id === lot.id)
      .map((r) => ({ organisationId: r.organisation_id, name: r.name, admittedAt: r.admitted_at, admittedBy: r.full_name })),
  }));
}

/** The lots of the market the organisation is a member of. */
export async function memberLotIds(db: Reader, tenderId: string, organisationId: string): Promise<string[]> {
  if (!isUuid(tenderId) || !isUuid(organisationId)) return [];
  const rows = await db
    .selectFrom("market_membership")
    .select("lot_id")
    .where("tender_id", "=", tenderId)
    .where("organisation_id", "=", organisationId)
    .execute();
  return rows.map((r) => r.lot_id);
}

// ---- a provider's application ----

function providerActor(ctx: ActionContext): Actor {
  const actor = ctx.actor;
  if (!actor || actor.organisationKind !== "provider" || !actor.roles.includes("provider_user")) {
    throw new ActionRefused("Only a provider's users can apply to join a dynamic market");
  }
  return actor;
}

/** The market, open for applications, refusing anything else in words the provider can act on. */
async function openMarket(trx: Reader, tenderId: string, now: Date): Promise<MarketRow> {
  const market = await marketRow(trx, tenderId);
  if (!market || market.status === "draft") throw new RecordNotFound("tender");
  if (!isDynamicMarket(market)) throw new ActionRefused("Only a dynamic market takes applications to join it");
  if (market.status === "cancelled") throw new ActionRefused("This dynamic market has been cancelled, so it takes no applications");
  if (!marketOpen(market, now)) throw new ActionRefused("This dynamic market has ended, so it takes no more applications");
  return market;
}

/** Serialises an organisation's changes to its applications to one market (or requests to participate in one tender). */
export async function lockOrganisation(trx: Trx, tenderId: string, organisationId: string) {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`market-application:${tenderId}:${organisationId}`}, 0))`.execute(trx);
}

/** The organisation's draft, held to the version the person's page was built on (any version without one). */
async function lockDraft(trx: Trx, tenderId: string, actor: Actor, expectedVersion: number | null) {
  await lockOrganisation(trx, tenderId, actor.organisationId);
  const [latest] = await organisationApplications(trx, tenderId, actor.organisationId);
  if (!latest || latest.status !== "draft") throw new ActionRefused("Start an application first", "form");
  if (expectedVersion !== null && latest.version !== expectedVersion) {
    throw new ConcurrentEditError("A colleague changed this application while you were working on it. Check it as it is now and make your change again.");
  }
  return latest;
}

export async function touchDraft(trx: Trx, applicationId: string, ctx: ActionContext) {
  await trx
    .updateTable("market_application")
    .set((eb) => ({ version: eb("version", "+", 1), updated_at: ctx.now, updated_by: ctx.actor?.userId ?? null }))
    .where("id", "=", applicationId)
    .execute();
}

/**
 * Starts the organisation's application, or returns the draft it already
 * has. Refused while an application waits for a decision, and when the
 * organisation is already a member of every lot.
 */
export async function startApplication(trx: Trx, input: { tenderId: string }, ctx: ActionContext): Promise<{ id: string; created: boolean }> {
  const actor = providerActor(ctx);
  const market = await openMarket(trx, input.tenderId, ctx.now);
  await lockOrganisation(trx, market.id, actor.organisationId);
  const [latest] = await organisationApplications(trx, market.id, actor.organisationId);
  if (latest?.status === "draft") return { id: latest.id, created: false };
  if (latest?.status === "submitted") throw new ActionRefused("Your organisation's application is waiting for a decision: you can apply again only if it is refused");
  const lots = await tenderLots(trx, market.id);
  const members = await memberLotIds(trx, market.id, actor.organisationId);
  if (lots.every((l) => members.includes(l.id))) throw new ActionRefused("Your organisation is already a member of every lot of this market");
  const number = (latest?.number ?? 0) + 1;
  const application = await trx
    .insertInto("market_application")
    .values({ tender_id: market.id, organisation_id: actor.organisationId, number, created_at: ctx.now, created_by: actor.userId, updated_at: ctx.now, updated_by: actor.userId })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordAuditEvent(trx, ctx, {
    action: "market.application_started",
    summary: `${actor.organisationName} started application ${number} to join the dynamic market "${market.title}"`,
    subjects: [
      { type: "tender", id: market.id },
      { type: "organisation", id: actor.organisationId },
    ],
    after: { Application: `Number ${number}`, Status: APPLICATION_STATUS_LABELS.draft },
  });
  return { id: application.id, created: true };
}

/** The lots the draft applies for: lots of the market the organisation is not yet a member of. */
export async function chooseApplicationLots(
  trx: Trx,
  input: { tenderId: string; expectedVersion: number; lotIds: string[] },
  ctx: ActionContext,
): Promise<void> {
  const actor = providerActor(ctx);
  const market = await openMarket(trx, input.tenderId, ctx.now);
  const draft = await lockDraft(trx, market.id, actor, input.expectedVersion);
  const wanted = [...new Set(input.lotIds)];
  if (wanted.length === 0) throw new ActionRefused("Select at least one lot to apply for", "lotIds");
  const lots = await tenderLots(trx, market.id);
  const members = await memberLotIds(trx, market.id, actor.organisationId);
  const chosen = lots.filter((l) => wanted.includes(l.id));
  if (chosen.length !== wanted.length) throw new ActionRefused("Select lots this market has", "lotIds");
  if (chosen.some((l) => members.includes(l.id))) throw new ActionRefused("Your organisation is already a member of one of those lots: select only lots you are not yet a member of", "lotIds");
  const before = lots.filter((l) => draft.lotIds.includes(l.id)).map(lotName);
  await trx.deleteFrom("market_application_lot").where("application_id", "=", draft.id).execute();
  await trx.insertInto("market_application_lot").values(chosen.map((l) => ({ application_id: draft.id, tender_id: market.id, lot_id: l.id }))).execute();
  await touchDraft(trx, draft.id, ctx);
  await recordAuditEvent(trx, ctx, {
    action: "market.application_changed",
    summary: `${actor.organisationName} chose the lots of its application to "${market.title}"`,
    subjects: [{ type: "tender", id: market.id }, { type: "organisation", id: actor.organisationId }, ...chosen.map((l) => ({ type: "lot", id: l.id }))],
    before: { "Lots applied for": before },
    after: { "Lots applied for": chosen.map(lotName) },
  });
}

/** The draft's answer to one condition: whether it is met and how (pass/fail), or the declaration made. */
export async function answerCondition(
  trx: Trx,
  input: { tenderId: string; expectedVersion: number; questionId: string; meetsRequirement?: boolean | null; evidence?: string | null; declared?: boolean | null },
  ctx: ActionContext,
): Promise<void> {
  const actor = providerActor(ctx);
  const market = await openMarket(trx, input.tenderId, ctx.now);
  const draft = await lockDraft(trx, market.id, actor, input.expectedVersion);
  const condition = (await marketConditions(trx, market.id)).find((c) => c.id === input.questionId);
  if (!condition) throw new RecordNotFound("condition");
  const { answer, previous } = await writeConditionAnswer(trx, { draft, tenderId: market.id, condition, input }, ctx);
  await recordAuditEvent(trx, ctx, {
    action: "market.application_changed",
    summary: `${actor.organisationName} answered condition ${condition.number} of its application to "${market.title}"`,
    subjects: [
      { type: "tender", id: market.id },
      { type: "organisation", id: actor.organisationId },
      { type: "tender_question", id: condition.id },
    ],
    before: previous ? answerInWords(condition, previous) : null,
    after: answerInWords(condition, answer),
  });
}

/**
 * A draft whose conditions' evidence may change now, for
 * application-evidence.ts: the market open, the organisation's draft locked
 * (at any version: attaching or removing a file overwrites nothing), its
 * conditions, and what the audit trail calls it.
 */
export async function editableApplication(trx: Trx, tenderId: string, ctx: ActionContext): Promise<EditableDraft> {
  const actor = providerActor(ctx);
  const market = await openMarket(trx, tenderId, ctx.now);
  const draft = await lockDraft(trx, market.id, actor, null);
  return {
    tender: { id: market.id, title: market.title },
    actor,
    draft,
    conditions: await marketConditions(trx, market.id),
    validOn: null,
    auditAction: "market.application_changed",
    what: `its application to "${market.title}"`,
  };
}

/** What application-evidence.ts needs of a draft application or request it may change. */
export interface EditableDraft {
  tender: { id: string; title: string };
  actor: Actor;
  draft: ApplicationView;
  conditions: Condition[];
  /** The day a library document must still be valid on (a deadline), beyond not having expired; null for none. */
  validOn: Date | null;
  auditAction: string;
  /** How the audit summary names the draft: "its application to …". */
  what: string;
}

/**
 * Checks one condition's answer (met and how, or the declaration made) and
 * writes it to the draft, moving the draft's version on: shared by market
 * applications and requests to participate (participation.ts).
 */
export async function writeConditionAnswer(
  trx: Trx,
  input: {
    draft: Pick<ApplicationView, "id" | "answers">;
    tenderId: string;
    condition: Condition;
    input: { meetsRequirement?: boolean | null; evidence?: string | null; declared?: boolean | null };
  },
  ctx: ActionContext,
): Promise<{ answer: ApplicationAnswer; previous: ApplicationAnswer | undefined }> {
  const { draft, condition } = input;
  const typed = input.input;
  let answer: ApplicationAnswer;
  if (condition.kind === "pass_fail") {
    if (typeof typed.meetsRequirement !== "boolean") throw new ActionRefused("Select yes if your organisation meets this condition, or no if it does not", "meetsRequirement");
    const evidence = cleanText(typed.evidence ?? "");
    if (typed.meetsRequirement && evidence === "") throw new ActionRefused("Say how your organisation meets this condition, naming the evidence asked for", "evidence");
    if (evidence.length > EVIDENCE_MAX) throw new ActionRefused(`Keep what you say to ${EVIDENCE_MAX} characters or fewer`, "evidence");
    answer = { meetsRequirement: typed.meetsRequirement, evidence: evidence || null, declared: null };
  } else {
    if (typed.declared !== true) throw new ActionRefused("Tick the box to make this declaration", "declared");
    answer = { meetsRequirement: null, evidence: null, declared: true };
  }
  await trx
    .insertInto("market_application_answer")
    .values({
      application_id: draft.id,
      tender_id: input.tenderId,
      question_id: condition.id,
      meets_requirement: answer.meetsRequirement,
      evidence: answer.evidence,
      declared: answer.declared,
      updated_at: ctx.now,
      updated_by: ctx.actor?.userId ?? null,
    })
    .onConflict((oc) =>
      oc.columns(["application_id", "question_id"]).doUpdateSet({
        meets_requirement: answer.meetsRequirement,
        evidence: answer.evidence,
        declared: answer.declared,
        updated_at: ctx.now,
        updated_by: ctx.actor?.userId ?? null,
      }),
    )
    .execute();
  await touchDraft(trx, draft.id, ctx);
  return { answer, previous: draft.answers[condition.id] };
}

/** An answer as people read it, for the audit trail and the check page. */
export function answerInWords(condition: Pick<Condition, "kind">, answer: ApplicationAnswer | undefined): Record<string, string> {
  if (!answer) return { Answer: "Not answered" };
  if (condition.kind === "declaration") return { Declaration: answer.declared ? "Made" : "Not made" };
  return {
    "Meets the condition": answer.meetsRequirement === null ? "Not answered" : answer.meetsRequirement ? "Yes" : "No",
    "How": answer.evidence ?? "Nothing said",
  };
}

export interface ApplicationProblem {
  /** "lots" or the condition's question id. */
  target: string;
  message: string;
}

/** What stops the draft being submitted on `today` (a UK day): no lots, conditions not answered or not met, evidence lapsed. */
export function applicationProblems(application: Pick<ApplicationView, "lotIds" | "answers" | "files">, conditions: Condition[], today: string): ApplicationProblem[] {
  const problems: ApplicationProblem[] = [];
  if (application.lotIds.length === 0) problems.push({ target: "lots", message: "Choose the lots you are applying for" });
  return [...problems, ...conditionProblems(application, conditions, "be admitted", today)];
}

/**
 * Conditions not answered, or answered as not met ("so it cannot
 * <outcome>"), and library documents attached to them that have expired by
 * `today` (a UK day), which must be replaced before submitting.
 */
export function conditionProblems(application: Pick<ApplicationView, "answers" | "files">, conditions: Condition[], outcome: string, today: string): ApplicationProblem[] {
  const { answers } = application;
  const problems: ApplicationProblem[] = [];
  for (const c of conditions) {
    for (const f of application.files[c.id] ?? []) {
      if (f.evidence?.expiresOn && f.evidence.expiresOn < today) {
        problems.push({ target: c.id, message: `"${f.evidence.title}" attached to condition ${c.number} expired on ${longDate(f.evidence.expiresOn)}: remove it and attach the renewed document` });
      }
    }
    const a = answers[c.id];
    if (c.kind === "declaration") {
      if (!a?.declared) problems.push({ target: c.id, message: `Make declaration ${c.number}` });
    } else if (a?.meetsRequirement === undefined || a?.meetsRequirement === null) {
      problems.push({ target: c.id, message: `Answer condition ${c.number}` });
    } else if (!a.meetsRequirement) {
      problems.push({ target: c.id, message: `Your organisation does not meet condition ${c.number}, so it cannot ${outcome}: change your answer once it does` });
    }
  }
  return problems;
}

/** Submits the draft: every condition answered and met, at least one lot; the market still open. */
export async function submitApplication(trx: Trx, input: { tenderId: string; expectedVersion: number }, ctx: ActionContext): Promise<{ id: string; number: number }> {
  const actor = providerActor(ctx);
  const market = await openMarket(trx, input.tenderId, ctx.now);
  const draft = await lockDraft(trx, market.id, actor, input.expectedVersion);
  const conditions = await marketConditions(trx, market.id);
  const problems = applicationProblems(draft, conditions, ukDate(ctx.now));
  if (problems.length > 0) throw new ActionRefused(problems[0]!.message, "form");
  await trx.insertInto("market_application_status").values({ application_id: draft.id, status: "submitted", changed_at: ctx.now, changed_by: actor.userId }).execute();
  const lots = (await tenderLots(trx, market.id)).filter((l) => draft.lotIds.includes(l.id));
  await recordAuditEvent(trx, ctx, {
    action: "market.application_submitted",
    summary: `${actor.organisationName} applied to join the dynamic market "${market.title}" (application ${draft.number})`,
    subjects: [{ type: "tender", id: market.id }, { type: "organisation", id: actor.organisationId }, ...lots.map((l) => ({ type: "lot", id: l.id }))],
    before: { Status: APPLICATION_STATUS_LABELS.draft },
    after: { Status: APPLICATION_STATUS_LABELS.submitted, "Lots applied for": lots.map(lotName), "Conditions answered": String(conditions.length) },
  });
  return { id: draft.id, number: draft.number };
}

// ---- the officer's decision ----

/** A second officer's decision on an application already decided: they are told who decided and how. */
export class ApplicationAlreadyDecided extends ConcurrentEditError {
  constructor(readonly decision: NonNullable<ApplicationView["decision"]>) {
    super(`This application has already been ${decision.status}${decision.by ? ` by ${decision.by}` : ""}: your decision was not recorded.`);
    this.name = "ApplicationAlreadyDecided";
  }
}

/**
 * Admits the applicant to the lots it applied for, or refuses it with
 * reasons (required); its users are emailed. The application's row lock
 * makes two officers deciding at once take turns: the second is told the
 * first's decision (and the unique index refuses a second decision anyway).
 */
export async function decideApplication(
  trx: Trx,
  input: { tenderId: string; applicationId: string; decision: "admit" | "refuse"; reason?: string | null },
  ctx: ActionContext,
  links: { baseUrl: string },
): Promise<void> {
  if (!isUuid(input.applicationId) || !isUuid(input.tenderId)) throw new RecordNotFound("application");
  const locked = await trx
    .selectFrom("market_application")
    .select(["id"])
    .where("id", "=", input.applicationId)
    .where("tender_id", "=", input.tenderId)
    .forUpdate()
    .executeTakeFirst();
  if (!locked) throw new RecordNotFound("application");
  const application = await marketApplication(trx, input.tenderId, input.applicationId);
  if (!application) throw new RecordNotFound("application");
  if (application.decision) throw new ApplicationAlreadyDecided(application.decision);
  const market = (await marketRow(trx, input.tenderId))!;
  if (market.status === "cancelled") throw new ActionRefused("This dynamic market has been cancelled, so its applications can no longer be decided");
  if (input.decision !== "admit" && input.decision !== "refuse") throw new ActionRefused("Select whether to admit or refuse the provider", "decision");
  const typed = cleanText(input.reason ?? "");
  if (input.decision === "refuse" && typed === "") throw new ActionRefused("Give the reasons for refusing the application: the provider is told them", "reason");
  const reason = typed === "" ? null : requiredText(typed, "reason", "reasons", REASON_MAX);
  const status = input.decision === "admit" ? "admitted" : "refused";
  const by = ctx.actor?.userId ?? null;
  await trx.insertInto("market_application_status").values({ application_id: application.id, status, reason, changed_at: ctx.now, changed_by: by }).execute();
  const lots = (await tenderLots(trx, market.id)).filter((l) => application.lotIds.includes(l.id));
  if (status === "admitted") {
    await trx
      .insertInto("market_membership")
      .values(lots.map((l) => ({ tender_id: market.id, lot_id: l.id, organisation_id: application.organisationId, application_id: application.id, admitted_at: ctx.now, admitted_by: by })))
      .onConflict((oc) => oc.columns(["tender_id", "lot_id", "organisation_id"]).doNothing())
      .execute();
  }
  await recordAuditEvent(trx, ctx, {
    action: status === "admitted" ? "market.application_admitted" : "market.application_refused",
    summary:
      status === "admitted"
        ? `Admitted ${application.organisationName} to ${lots.map((l) => `lot ${l.number}`).join(", ")} of the dynamic market "${market.title}"`
        : `Refused ${application.organisationName}'s application ${application.number} to join the dynamic market "${market.title}"`,
    subjects: [{ type: "tender", id: market.id }, { type: "organisation", id: application.organisationId }, ...lots.map((l) => ({ type: "lot", id: l.id }))],
    before: { Status: APPLICATION_STATUS_LABELS.submitted },
    after: { Status: APPLICATION_STATUS_LABELS[status], ...(reason ? { Reasons: reason } : {}), ...(status === "admitted" ? { "Member of": lots.map(lotName) } : {}) },
  });
  for (const user of await activeProviderUsers(trx, [application.organisationId])) {
    await queueEmail(trx, {
      to: user.email,
      template: {
        name: "market_application_decision",
        props: {
          organisationName: application.organisationName,
          marketTitle: market.title,
          decision: status,
          lots: status === "admitted" ? lots.map(lotName) : [],
          reason,
          applicationUrl: `${links.baseUrl}/tenders/${market.id}/apply`,
        },
      },
    });
  }
}

// ---- call-off competitions ----

export interface CallOff {
  market: { id: string; title: string };
  lot: { id: string; number: number; title: string };
}

/** The market and lot a call-off competition draws on; null for any other tender. */
export async function callOffOf(db: Reader, tender: { calls_off_tender_id: string | null; calls_off_lot_id: string | null }): Promise<CallOff | null> {
  if (!tender.calls_off_tender_id || !tender.calls_off_lot_id) return null;
  const [market, lot] = await Promise.all([
    db.selectFrom("tender").select(["id", "title"]).where("id", "=", tender.calls_off_tender_id).executeTakeFirstOrThrow(),
    db.selectFrom("lot").select(["id", "number", "title"]).where("id", "=", tender.calls_off_lot_id).executeTakeFirstOrThrow(),
  ]);
  return { market, lot };
}

/** The market's call-off competitions, newest first, with the lot each is for. */
export async function marketCallOffs(db: Reader, marketTenderId: string): Promise<{ id: string; title: string; status: TenderStatus; lotNumber: number }[]> {
  if (!isUuid(marketTenderId)) return [];
  const rows = await db
    .selectFrom("tender")
    .innerJoin("lot", "lot.id", "tender.calls_off_lot_id")
    .select(["tender.id", "tender.title", "tender.status", "lot.number"])
    .where("tender.calls_off_tender_id", "=", marketTenderId)
    .orderBy("tender.created_at", "desc")
    .execute();
  return rows.map((r) => ({ id: r.id, title: r.title, status: r.status, lotNumber: r.number }));
}

/**
 * Whether the organisation may take part in the tender (register interest,
 * see the pack, bid): anyone for an ordinary tender; for a call-off, only
 * members of its lot of the market. The reason is said to the provider.
 */
export async function callOffEligibility(
  db: Reader,
  tender: { calls_off_tender_id: string | null; calls_off_lot_id: string | null },
  organisationId: string,
): Promise<{ allowed: true; callOff: CallOff | null } | { allowed: false; callOff: CallOff; reason: string }> {
  const callOff = await callOffOf(db, tender);
  if (!callOff) return { allowed: true, callOff: null };
  const members = await memberLotIds(db, callOff.market.id, organisationId);
  if (members.includes(callOff.lot.id)) return { allowed: true, callOff };
  return {
    allowed: false,
    callOff,
    reason: `This call-off competition is open only to members of lot ${callOff.lot.number} (${callOff.lot.title}) of the dynamic market "${callOff.market.title}". Apply to join the market first.`,
  };
}

/**
 * Refuses a provider that may not take part in a call-off competition
 * (registering interest, and so the pack and bids); with `bidding`, also a
 * bid in a dynamic market itself, which is joined by applying. Nothing for
 * other tenders.
 */
export async function assertMayTakePart(db: Reader, input: { tenderId: string; organisationId: string; bidding: boolean }): Promise<void> {
  const tender = await marketRow(db, input.tenderId);
  if (!tender) throw new RecordNotFound("tender");
  if (input.bidding && isDynamicMarket(tender)) {
    throw new ActionRefused("A dynamic market is joined by applying to it, not by bidding: apply to join, then bid in its call-off competitions", "form");
  }
  const eligibility = await callOffEligibility(db, tender, input.organisationId);
  if (!eligibility.allowed) throw new ActionRefused(eligibility.reason, "form");
}

/** What a call-off competition's notice cites, unless the officer changes it. */
export const CALL_OFF_LEGAL_BASIS = "Procurement Act 2023, section 34 (competitive award by reference to a dynamic market)";

/**
 * Starts a call-off competition: a draft tender of the market's agreement
 * offering the one lot, which the officer then completes and publishes like
 * any tender. Its procedure stays "dynamic market" (a competition under it).
 */
export async function startCallOff(
  trx: Trx,
  input: { marketTenderId: string; lotId: string; title: string },
  ctx: ActionContext,
): Promise<{ id: string }> {
  const market = await marketRow(trx, input.marketTenderId);
  if (!market || market.status === "draft") throw new RecordNotFound("tender");
  if (!isDynamicMarket(market)) throw new ActionRefused("Only a dynamic market has call-off competitions");
  if (!marketOpen(market, ctx.now)) throw new ActionRefused("This dynamic market is not open, so no call-off competition can start under it");
  const lot = isUuid(input.lotId) ? (await tenderLots(trx, market.id)).find((l) => l.id === input.lotId) : undefined;
  if (!lot) throw new ActionRefused("Select the lot of the market whose members will compete", "lotId");
  const title = requiredText(input.title, "title", "title");
  const { id } = await createTender(
    trx,
    {
      agreementId: market.agreement_id,
      title,
      procedure: "dynamic_market",
      lightTouch: market.light_touch,
      legalBasis: CALL_OFF_LEGAL_BASIS,
    },
    ctx,
  );
  await trx.updateTable("tender").set({ calls_off_tender_id: market.id, calls_off_lot_id: lot.id }).where("id", "=", id).execute();
  await chooseLots(trx, { tenderId: id, expectedVersion: 1, lotIds: [lot.id] }, ctx);
  await recordAuditEvent(trx, ctx, {
    action: "market.call_off_started",
    summary: `Started call-off competition "${title}" for members of lot ${lot.number} of the dynamic market "${market.title}"`,
    subjects: [
      { type: "tender", id },
      { type: "tender", id: market.id },
      { type: "lot", id: lot.id },
    ],
    after: { "Dynamic market": market.title, "Open to members of": lotName(lot) },
  });
  return { id };
}
