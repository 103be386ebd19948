// The competitive flexible procedure's participation stage (decision 035):
// the officer marks the questionnaire sections that hold the conditions of
// participation; providers who registered interest request to participate
// before the participation deadline; after it an officer assesses each request
// (passed, or not passed with reasons, emailed); only those who passed bid.
// Requests live in the dynamic market's application tables with kind
// 'participation', so answers, freezing and one-decision-only are shared.
import type { Reader, Tender, Trx } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { cleanText, isUuid, requiredText, ukDate } from "#app/modules/common/input";
import { ActionRefused, ConcurrentEditError, RecordNotFound } from "#app/modules/errors";
import type { ActionContext, Actor } from "#app/modules/identity/actor";
import { activeProviderUsers } from "#app/modules/identity/queries";
import { queueEmail } from "#app/modules/outbox/outbox";
import { formatUkDateTime } from "#emails/format";
import {
  answerInWords,
  conditionProblems,
  lockOrganisation,
  marketApplication,
  marketApplications,
  marketConditions,
  organisationApplications,
  writeConditionAnswer,
  type ApplicationProblem,
  type ApplicationView,
  type Condition,
  type EditableDraft,
} from "./dynamic-markets";
import { isInterested } from "./interest";
import { lockTender, touchTender } from "./tenders";

registerAuditActions({
  "participation.conditions_chosen": "Chose the sections holding a tender's conditions of participation",
  "participation.request_started": "Started a request to participate in a tender",
  "participation.request_changed": "Changed a draft request to participate in a tender",
  "participation.request_submitted": "Requested to participate in a tender",
  "participation.request_passed": "Passed a request to participate in a tender",
  "participation.request_not_passed": "Did not pass a request to participate in a tender",
});

export type RequestStatus = "draft" | "submitted" | "passed" | "not_passed";

export const REQUEST_STATUS_LABELS: Record<RequestStatus, string> = {
  draft: "Not yet submitted",
  submitted: "Waiting for assessment",
  passed: "Passed",
  not_passed: "Not passed",
};

/** A request as people read it: the application tables store passed as 'admitted' and not passed as 'refused'. */
export function requestStatus(view: Pick<ApplicationView, "status">): RequestStatus {
  if (view.status === "admitted") return "passed";
  if (view.status === "refused") return "not_passed";
  return view.status;
}

const REASON_MAX = 5000;

// ---- the stage ----

type StageTender = Pick<Tender, "id" | "title" | "status" | "procedure" | "participation_stage" | "participation_deadline_at" | "submission_deadline_at">;

export type Stage = "none" | "requests" | "bids" | "closed";

/**
 * Where a tender with a participation stage stands: taking requests until the
 * participation deadline, then assessment and bids from those who passed
 * until the submission deadline (assessment may go on while they bid).
 */
export function participationStage(tender: StageTender, now: Date): Stage {
  if (!tender.participation_stage) return "none";
  if (tender.status !== "published") return "closed";
  if (tender.participation_deadline_at && now < tender.participation_deadline_at) return "requests";
  if (tender.submission_deadline_at && now < tender.submission_deadline_at) return "bids";
  return "closed";
}

/** The stage in words for the tender page. */
export function stageInWords(tender: StageTender, now: Date): string | null {
  const stage = participationStage(tender, now);
  if (stage === "none") return null;
  const deadline = tender.participation_deadline_at ? formatUkDateTime(tender.participation_deadline_at) : "the participation deadline";
  if (tender.status === "draft") return `Two stages: requests to participate close at ${deadline}, then bids from providers who pass the conditions of participation`;
  if (stage === "requests") return `Stage 1 of 2: requests to participate, until ${deadline}`;
  if (stage === "bids") return "Stage 2 of 2: bids, from providers who passed the conditions of participation";
  return "Both stages have closed";
}

async function stageTender(db: Reader, tenderId: string): Promise<StageTender | undefined> {
  if (!isUuid(tenderId)) return undefined;
  return db
    .selectFrom("tender")
    .select(["id", "title", "status", "procedure", "participation_stage", "participation_deadline_at", "submission_deadline_at"])
    .where("id", "=", tenderId)
    .executeTakeFirst();
}

/** The conditions of participation: pass/fail questions and declarations in participation-stage sections. */
export function participationConditions(db: Reader, tenderId: string): Promise<Condition[]> {
  return marketConditions(db, tenderId, { participationOnly: true });
}

/** Which of a draft's sections form the participation stage; the others are asked in the bid. */
export async function chooseParticipationSections(
  trx: Trx,
  input: { tenderId: string; expectedVersion: number; sectionIds: string[] },
  ctx: ActionContext,
): Promise<void> {
  const tender = await lockTender(trx, input.tenderId, input.expectedVersion, { draft: true });
  if (!tender.participation_stage) throw new ActionRefused("This tender has no participation stage: choose one on the tender's details first", "sectionIds");
  const sections = await trx.selectFrom("tender_section").select(["id", "position", "title", "stage"]).where("tender_id", "=", tender.id).orderBy("position").execute();
  const wanted = [...new Set(input.sectionIds)];
  if (!wanted.every((id) => sections.some((s) => s.id === id))) throw new ActionRefused("Select sections of this tender's questionnaire", "sectionIds");
  const names = (ids: string[]) => sections.filter((s) => ids.includes(s.id)).map((s) => `Section ${s.position}: ${s.title}`);
  const before = sections.filter((s) => s.stage === "participation").map((s) => s.id);
  if (before.length === wanted.length && before.every((id) => wanted.includes(id))) return;
  for (const s of sections) {
    const stage = wanted.includes(s.id) ? "participation" : "bid";
    if (s.stage !== stage) await trx.updateTable("tender_section").set({ stage }).where("id", "=", s.id).execute();
  }
  await touchTender(trx, tender.id, ctx);
  await recordAuditEvent(trx, ctx, {
    action: "participation.conditions_chosen",
    summary: `The conditions of participation of "${tender.title}" are now in ${wanted.length === 0 ? "no section" : names(wanted).join(", ")}`,
    subjects: [{ type: "tender", id: tender.id }, ...sections.filter((s) => wanted.includes(s.id) !== before.includes(s.id)).map((s) => ({ type: "tender_section", id: s.id }))],
    before: { "Participation stage sections": names(before) },
    after: { "Participation stage sections": names(wanted) },
  });
}

// ---- a provider's request ----

function providerActor(ctx: ActionContext): Actor {
  const actor = ctx.actor;
  if (!actor || actor.organisationKind !== "provider" || !actor.roles.includes("provider_user")) {
    throw new ActionRefused("Only a provider's users can request to participate");
  }
  return actor;
}

/** The tender, taking requests now, refusing anything else in words the provider can act on. */
async function tenderTakingRequests(db: Reader, tenderId: string, now: Date): Promise<StageTender> {
  const tender = await stageTender(db, tenderId);
  if (!tender || tender.status === "draft") throw new RecordNotFound("tender");
  if (!tender.participation_stage) throw new ActionRefused("This tender has no participation stage: providers bid directly");
  if (tender.status === "cancelled") throw new ActionRefused("This tender has been cancelled, so it takes no requests to participate");
  if (participationStage(tender, now) !== "requests") {
    throw new ActionRefused(
      `The participation deadline (${formatUkDateTime(tender.participation_deadline_at!)}) has passed, so requests to participate are no longer accepted`,
      "form",
    );
  }
  return tender;
}

/** The organisation's request to participate in the tender, if it has one. */
export async function ownRequest(db: Reader, tenderId: string, organisationId: string): Promise<ApplicationView | null> {
  const [latest] = await organisationApplications(db, tenderId, organisationId);
  return latest ?? null;
}

/** The organisation's draft request, held to the version the person's page was built on. */
async function lockDraftRequest(trx: Trx, tenderId: string, actor: Actor, expectedVersion: number | null): Promise<ApplicationView> {
  await lockOrganisation(trx, tenderId, actor.organisationId);
  const request = await ownRequest(trx, tenderId, actor.organisationId);
  if (!request) throw new ActionRefused("Start your request to participate first", "form");
  if (request.status !== "draft") throw new ActionRefused("Your organisation's request has been submitted, so it can no longer be changed", "form");
  if (expectedVersion !== null && request.version !== expectedVersion) {
    throw new ConcurrentEditError("A colleague changed this request while you were working on it. Check it as it is now and make your change again.");
  }
  return request;
}

/** Starts the organisation's one request to participate, or returns it. Needs interest registered and the participation deadline ahead. */
export async function startRequest(trx: Trx, input: { tenderId: string }, ctx: ActionContext): Promise<{ id: string; created: boolean }> {
  const actor = providerActor(ctx);
  const tender = await tenderTakingRequests(trx, input.tenderId, ctx.now);
  if (!(await isInterested(trx, tender.id, actor.organisationId))) {
    throw new ActionRefused("Register your interest in this tender before you request to participate", "form");
  }
  await lockOrganisation(trx, tender.id, actor.organisationId);
  const existing = await ownRequest(trx, tender.id, actor.organisationId);
  if (existing) return { id: existing.id, created: false };
  const request = await trx
    .insertInto("market_application")
    .values({
      tender_id: tender.id,
      organisation_id: actor.organisationId,
      kind: "participation",
      number: 1,
      created_at: ctx.now,
      created_by: actor.userId,
      updated_at: ctx.now,
      updated_by: actor.userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordAuditEvent(trx, ctx, {
    action: "participation.request_started",
    summary: `${actor.organisationName} started a request to participate in "${tender.title}"`,
    subjects: [
      { type: "tender", id: tender.id },
      { type: "organisation", id: actor.organisationId },
    ],
    after: { Status: REQUEST_STATUS_LABELS.draft },
  });
  return { id: request.id, created: true };
}

/** The draft request's answer to one condition: met and how (pass/fail), or the declaration made. */
export async function answerRequestCondition(
  trx: Trx,
  input: { tenderId: string; expectedVersion: number; questionId: string; meetsRequirement?: boolean | null; evidence?: string | null; declared?: boolean | null },
  ctx: ActionContext,
): Promise<void> {
  const actor = providerActor(ctx);
  const tender = await tenderTakingRequests(trx, input.tenderId, ctx.now);
  const draft = await lockDraftRequest(trx, tender.id, actor, input.expectedVersion);
  const condition = (await participationConditions(trx, tender.id)).find((c) => c.id === input.questionId);
  if (!condition) throw new RecordNotFound("condition");
  const { answer, previous } = await writeConditionAnswer(trx, { draft, tenderId: tender.id, condition, input }, ctx);
  await recordAuditEvent(trx, ctx, {
    action: "participation.request_changed",
    summary: `${actor.organisationName} answered condition ${condition.number} of its request to participate in "${tender.title}"`,
    subjects: [
      { type: "tender", id: tender.id },
      { type: "organisation", id: actor.organisationId },
      { type: "tender_question", id: condition.id },
    ],
    before: previous ? answerInWords(condition, previous) : null,
    after: answerInWords(condition, answer),
  });
}

/** What stops the draft request being submitted on `today` (a UK day): conditions not answered, or answered as not met; evidence lapsed. */
export function requestProblems(request: Pick<ApplicationView, "answers" | "files">, conditions: Condition[], today: string): ApplicationProblem[] {
  return conditionProblems(request, conditions, "pass", today);
}

/**
 * A draft request whose conditions' evidence may change now, for
 * application-evidence.ts: requests still open, the draft locked at any
 * version. A library document must be valid on the participation deadline's
 * day, when the requests are assessed (as a bid's on its deadline's day).
 */
export async function editableRequest(trx: Trx, tenderId: string, ctx: ActionContext): Promise<EditableDraft> {
  const actor = providerActor(ctx);
  const tender = await tenderTakingRequests(trx, tenderId, ctx.now);
  const draft = await lockDraftRequest(trx, tender.id, actor, null);
  return {
    tender: { id: tender.id, title: tender.title },
    actor,
    draft,
    conditions: await participationConditions(trx, tender.id),
    validOn: tender.participation_deadline_at,
    auditAction: "participation.request_changed",
    what: `its request to participate in "${tender.title}"`,
  };
}

/** Submits the draft request before the participation deadline, every condition answered and met. */
export async function submitRequest(trx: Trx, input: { tenderId: string; expectedVersion: number }, ctx: ActionContext): Promise<void> {
  const actor = providerActor(ctx);
  const tender = await tenderTakingRequests(trx, input.tenderId, ctx.now);
  const draft = await lockDraftRequest(trx, tender.id, actor, input.expectedVersion);
  const conditions = await participationConditions(trx, tender.id);
  const problems = requestProblems(draft, conditions, ukDate(ctx.now));
  if (problems.length > 0) throw new ActionRefused(problems[0]!.message, "form");
  await trx.insertInto("market_application_status").values({ application_id: draft.id, status: "submitted", changed_at: ctx.now, changed_by: actor.userId }).execute();
  await recordAuditEvent(trx, ctx, {
    action: "participation.request_submitted",
    summary: `${actor.organisationName} requested to participate in "${tender.title}"`,
    subjects: [
      { type: "tender", id: tender.id },
      { type: "organisation", id: actor.organisationId },
    ],
    before: { Status: REQUEST_STATUS_LABELS.draft },
    after: { Status: REQUEST_STATUS_LABELS.submitted, "Conditions answered": String(conditions.length) },
  });
}

// ---- the officer's assessment ----

/** The submitted requests, waiting ones first (oldest first), then the assessed, latest first. */
export function participationRequests(db: Reader, tenderId: string): Promise<ApplicationView[]> {
  return marketApplications(db, tenderId);
}

/** One submitted request of the tender, for its council's officers; null for a draft, another tender's or none. */
export function participationRequest(db: Reader, tenderId: string, requestId: string): Promise<ApplicationView | null> {
  return marketApplication(db, tenderId, requestId);
}

/** A second officer's assessment of a request already assessed: they are told who assessed it and how. */
export class RequestAlreadyAssessed extends ConcurrentEditError {
  constructor(readonly decision: NonNullable<ApplicationView["decision"]>) {
    super(
      `This request has already been assessed as ${decision.status === "admitted" ? "passed" : "not passed"}${decision.by ? ` by ${decision.by}` : ""}: your assessment was not recorded.`,
    );
    this.name = "RequestAlreadyAssessed";
  }
}

/**
 * Records the assessment of a request after the participation deadline:
 * passed, or not passed with reasons (required); the provider's users are
 * emailed. The request's row lock makes two officers take turns: the second
 * is told the first's assessment (and a unique index refuses a second anyway).
 */
export async function assessRequest(
  trx: Trx,
  input: { tenderId: string; requestId: string; result: "passed" | "not_passed"; reason?: string | null },
  ctx: ActionContext,
  links: { baseUrl: string },
): Promise<void> {
  if (!isUuid(input.requestId) || !isUuid(input.tenderId)) throw new RecordNotFound("request");
  const locked = await trx
    .selectFrom("market_application")
    .select("id")
    .where("id", "=", input.requestId)
    .where("tender_id", "=", input.tenderId)
    .where("kind", "=", "participation")
    .forUpdate()
    .executeTakeFirst();
  if (!locked) throw new RecordNotFound("request");
  const request = await participationRequest(trx, input.tenderId, input.requestId);
  if (!request) throw new RecordNotFound("request");
  if (request.decision) throw new RequestAlreadyAssessed(request.decision);
  const tender = (await stageTender(trx, input.tenderId))!;
  if (tender.status === "cancelled") throw new ActionRefused("This tender has been cancelled, so its requests to participate can no longer be assessed");
  if (participationStage(tender, ctx.now) === "requests") {
    throw new ActionRefused(`Requests are assessed after the participation deadline (${formatUkDateTime(tender.participation_deadline_at!)}), when every request is in`);
  }
  if (input.result !== "passed" && input.result !== "not_passed") throw new ActionRefused("Select whether the provider passed the conditions of participation", "result");
  const typed = cleanText(input.reason ?? "");
  if (input.result === "not_passed" && typed === "") throw new ActionRefused("Give the reasons the provider did not pass: the provider is told them", "reason");
  const reason = typed === "" ? null : requiredText(typed, "reason", "reasons", REASON_MAX);
  const passed = input.result === "passed";
  const by = ctx.actor?.userId ?? null;
  await trx
    .insertInto("market_application_status")
    .values({ application_id: request.id, status: passed ? "admitted" : "refused", reason, changed_at: ctx.now, changed_by: by })
    .execute();
  await recordAuditEvent(trx, ctx, {
    action: passed ? "participation.request_passed" : "participation.request_not_passed",
    summary: `${request.organisationName} ${passed ? "passed" : "did not pass"} the conditions of participation of "${tender.title}"`,
    subjects: [
      { type: "tender", id: tender.id },
      { type: "organisation", id: request.organisationId },
    ],
    before: { Status: REQUEST_STATUS_LABELS.submitted },
    after: { Status: REQUEST_STATUS_LABELS[input.result], ...(reason ? { Reasons: reason } : {}) },
  });
  for (const user of await activeProviderUsers(trx, [request.organisationId])) {
    await queueEmail(trx, {
      to: user.email,
      template: {
        name: "participation_result",
        props: {
          organisationName: request.organisationName,
          tenderTitle: tender.title,
          passed,
          reason,
          submissionDeadline: tender.submission_deadline_at,
          requestUrl: `${links.baseUrl}/tenders/${tender.id}/participate`,
        },
      },
    });
  }
}

// ---- the second stage ----

/**
 * Whether the organisation may bid: anyone in a tender without a
 * participation stage; otherwise only once its request has passed. The
 * reason is said to the provider.
 */
export async function bidEligibility(db: Reader, tenderId: string, organisationId: string, now: Date): Promise<{ allowed: true } | { allowed: false; reason: string }> {
  const tender = await stageTender(db, tenderId);
  if (!tender || !tender.participation_stage) return { allowed: true };
  const request = await ownRequest(db, tender.id, organisationId);
  const status = request ? requestStatus(request) : null;
  if (status === "passed") return { allowed: true };
  const deadline = tender.participation_deadline_at ? formatUkDateTime(tender.participation_deadline_at) : "the participation deadline";
  const reason =
    status === "not_passed"
      ? "Your organisation did not pass this tender's conditions of participation, so it cannot bid."
      : status === "submitted"
        ? "Your organisation's request to participate is waiting for assessment: you can bid once it has passed."
        : participationStage(tender, now) === "requests"
          ? `This tender has two stages: only providers who pass its conditions of participation may bid. Request to participate before ${deadline}.`
          : "This tender has two stages: only providers who passed its conditions of participation may bid, and your organisation did not request to participate.";
  return { allowed: false, reason };
}

/** Refuses a bid from a provider that has not passed the participation stage, with the reason. */
export async function assertMayBid(db: Reader, input: { tenderId: string; organisationId: string; now: Date }): Promise<void> {
  const eligibility = await bidEligibility(db, input.tenderId, input.organisationId, input.now);
  if (!eligibility.allowed) throw new ActionRefused(eligibility.reason, "form");
}
