// The delegated decision on a submitted award recommendation: the Portfolio
// Holder's consultation response where the value makes it a key decision,
// then the Chief Officer's decision. Each step locks the recommendation's
// row, so of two people acting at once the second finds the step taken and
// is told by whom; the database keeps one response and one decision per round.
import type { AwardConsultationResponse, AwardDecisionOutcome, Reader, Trx } from "#app/database/schema";
import { formatPence } from "#app/modules/agreements/agreements";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { cleanText, isUuid } from "#app/modules/common/input";
import { ActionRefused, RecordNotFound } from "#app/modules/errors";
import type { ActionContext, Actor } from "#app/modules/identity/actor";
import { queueEmail } from "#app/modules/outbox/outbox";
import { formatUkDateTime } from "#emails/format";
import { delegationWording } from "./recommendations";
import { awardExclusions, peopleWhoMayAct, refuseIfExcluded } from "./segregation";

registerAuditActions({
  "award.consulted": "Gave the Portfolio Holder's consultation response on an award",
  "award.decided": "Decided an award recommendation",
});

export const CONSULTATION_RESPONSES: Record<AwardConsultationResponse, string> = {
  support: "Supports the recommendation",
  support_with_comments: "Supports the recommendation, with comments",
  object: "Objects to the recommendation",
};

export const DECISION_OUTCOMES: Record<AwardDecisionOutcome, string> = {
  approved: "Approved",
  approved_with_conditions: "Approved with conditions",
  rejected: "Rejected",
  sent_back: "Sent back for changes",
};

async function lockedForStep(trx: Trx, recommendationId: string, actor: Actor | null) {
  const row = isUuid(recommendationId)
    ? await trx
        .selectFrom("award_recommendation")
        .innerJoin("tender", "tender.id", "award_recommendation.tender_id")
        .innerJoin("agreement", "agreement.id", "tender.agreement_id")
        .select(["award_recommendation.id", "award_recommendation.status", "award_recommendation.version", "award_recommendation.tender_id", "tender.title", "agreement.lead_council_id"])
        .where("award_recommendation.id", "=", recommendationId)
        .forUpdate("award_recommendation")
        .executeTakeFirst()
    : undefined;
  if (!row || !actor || actor.organisationKind !== "council" || actor.organisationId !== row.lead_council_id) throw new RecordNotFound("award recommendation");
  const submission = await trx
    .selectFrom("award_submission")
    .selectAll()
    .where("recommendation_id", "=", row.id)
    .orderBy("round", "desc")
    .executeTakeFirst();
  return { row, submission };
}

async function alreadyDecided(trx: Trx, submissionId: string): Promise<string | null> {
  const d = await trx
    .selectFrom("award_decision")
    .innerJoin("app_user", "app_user.id", "award_decision.decided_by")
    .select(["award_decision.outcome", "award_decision.decided_at", "app_user.full_name"])
    .where("submission_id", "=", submissionId)
    .executeTakeFirst();
  return d ? `${d.full_name} has already decided this recommendation (${DECISION_OUTCOMES[d.outcome].toLowerCase()}) at ${formatUkDateTime(d.decided_at)}` : null;
}

/** The Portfolio Holder's response to a key decision waiting for consultation. */
export async function recordConsultation(
  trx: Trx,
  input: { recommendationId: string; response: AwardConsultationResponse; comments: string },
  ctx: ActionContext,
  links: { baseUrl: string },
): Promise<void> {
  const actor = ctx.actor;
  const { row, submission } = await lockedForStep(trx, input.recommendationId, actor);
  if (!actor!.roles.includes("portfolio_holder")) throw new ActionRefused("Only the Portfolio Holder is consulted on an award", "form");
  if (!(input.response in CONSULTATION_RESPONSES)) throw new ActionRefused("Choose your response", "response");
  const comments = cleanText(input.comments ?? "");
  if (input.response === "support_with_comments" && comments === "") throw new ActionRefused("Enter your comments", "comments");
  if (input.response === "object" && comments === "") throw new ActionRefused("Enter your reasons for objecting", "comments");
  if (comments.length > 20000) throw new ActionRefused("Comments must be 20,000 characters or fewer", "comments");
  if (row.status !== "awaiting_consultation" || !submission) {
    const consulted = submission
      ? await trx
          .selectFrom("award_consultation")
          .innerJoin("app_user", "app_user.id", "award_consultation.responded_by")
          .select(["app_user.full_name", "award_consultation.responded_at"])
          .where("submission_id", "=", submission.id)
          .executeTakeFirst()
      : undefined;
    throw new ActionRefused(
      consulted
        ? `${consulted.full_name} gave the consultation response at ${formatUkDateTime(consulted.responded_at)}`
        : submission && !submission.consultation_required
          ? "This award is below the key-decision threshold, so the Chief Officer decides it without consultation"
          : "This recommendation is not waiting for consultation",
      "form",
    );
  }
  const exclusions = await awardExclusions(trx, row.id);
  refuseIfExcluded(exclusions, actor!, "be consulted on");
  await trx
    .insertInto("award_consultation")
    .values({ submission_id: submission.id, response: input.response, comments, responded_at: ctx.now, responded_by: actor!.userId })
    .execute();
  await trx.updateTable("award_recommendation").set({ status: "awaiting_decision", version: row.version + 1, updated_at: ctx.now, updated_by: actor!.userId }).where("id", "=", row.id).execute();
  const chiefs = await peopleWhoMayAct(trx, row.lead_council_id, "chief_officer", exclusions);
  for (const person of chiefs) {
    await queueEmail(trx, {
      to: person.email,
      template: {
        name: "award_decision_requested",
        props: {
          recipientName: person.name,
          tenderTitle: row.title,
          valueText: formatPence(submission.value_pence),
          submittedBy: actor!.name,
          step: "decision_after_consultation",
          url: `${links.baseUrl}/decisions/${row.id}`,
        },
      },
    });
  }
  await recordAuditEvent(trx, ctx, {
    action: "award.consulted",
    summary: `${actor!.name}, Portfolio Holder, ${input.response === "object" ? "objected to" : "supported"} the award recommendation for "${row.title}"`,
    subjects: [{ type: "tender", id: row.tender_id }, { type: "award_recommendation", id: row.id }],
    before: { Status: "Waiting for the Portfolio Holder's consultation" },
    after: { Status: "Waiting for the Chief Officer's decision", Response: CONSULTATION_RESPONSES[input.response], Comments: comments || "None", "Emails sent to": chiefs.map((p) => p.name) },
    reason: comments || null,
  });
}

export interface DecisionInput {
  recommendationId: string;
  outcome: AwardDecisionOutcome;
  reasons: string;
  conditions: string;
}

/** The Chief Officer's decision on the latest round. Approval of a key decision waits for the consultation. */
export async function decideAward(trx: Trx, input: DecisionInput, ctx: ActionContext, links: { baseUrl: string }): Promise<void> {
  const actor = ctx.actor;
  const { row, submission } = await lockedForStep(trx, input.recommendationId, actor);
  if (!actor!.roles.includes("chief_officer")) throw new ActionRefused("Only the Chief Officer decides an award", "form");
  if (!(input.outcome in DECISION_OUTCOMES)) throw new ActionRefused("Choose your decision", "outcome");
  const reasons = cleanText(input.reasons ?? "");
  const conditions = input.outcome === "approved_with_conditions" ? cleanText(input.conditions ?? "") : "";
  if (reasons === "") throw new ActionRefused(input.outcome === "sent_back" ? "Enter what needs to change" : "Enter the reasons for your decision", "reasons");
  if (reasons.length > 20000) throw new ActionRefused("Reasons must be 20,000 characters or fewer", "reasons");
  if (input.outcome === "approved_with_conditions" && conditions === "") throw new ActionRefused("Enter the conditions", "conditions");
  if (!submission) throw new ActionRefused("This recommendation has not been submitted for decision", "form");
  const decided = await alreadyDecided(trx, submission.id);
  if (decided) throw new ActionRefused(decided, "form");
  if (row.status === "awaiting_consultation") {
    throw new ActionRefused("The Portfolio Holder has not yet been consulted on this key decision: it can be decided once they have given their response", "form");
  }
  if (row.status !== "awaiting_decision") throw new ActionRefused("This recommendation is not waiting for a decision", "form");
  const exclusions = await awardExclusions(trx, row.id);
  refuseIfExcluded(exclusions, actor!, "decide");

  const delegation = delegationWording(submission.consultation_required, submission.key_decision_threshold_pence);
  await trx
    .insertInto("award_decision")
    .values({ submission_id: submission.id, outcome: input.outcome, reasons, conditions, delegation, decided_at: ctx.now, decided_by: actor!.userId })
    .execute();
  const status = input.outcome === "sent_back" ? "draft" : input.outcome;
  await trx.updateTable("award_recommendation").set({ status, version: row.version + 1, updated_at: ctx.now, updated_by: actor!.userId }).where("id", "=", row.id).execute();

  // The officers who wrote it hear the outcome.
  const authors = await trx
    .selectFrom("award_recommendation_author")
    .innerJoin("app_user", "app_user.id", "award_recommendation_author.user_id")
    .select(["app_user.full_name", "app_user.email"])
    .where("award_recommendation_author.recommendation_id", "=", row.id)
    .where("app_user.status", "=", "active")
    .execute();
  for (const author of authors) {
    await queueEmail(trx, {
      to: author.email,
      template: {
        name: "award_decided",
        props: {
          recipientName: author.full_name,
          tenderTitle: row.title,
          outcome: DECISION_OUTCOMES[input.outcome],
          decidedBy: actor!.name,
          reasons,
          conditions,
          url: `${links.baseUrl}/decisions/${row.id}`,
        },
      },
    });
  }
  await recordAuditEvent(trx, ctx, {
    action: "award.decided",
    summary: `${actor!.name}, Chief Officer, ${DECISION_OUTCOMES[input.outcome].toLowerCase()} the award recommendation for "${row.title}" (${formatPence(submission.value_pence)})`,
    subjects: [{ type: "tender", id: row.tender_id }, { type: "award_recommendation", id: row.id }],
    before: { Status: "Waiting for the Chief Officer's decision" },
    after: { Decision: DECISION_OUTCOMES[input.outcome], Delegation: delegation, Conditions: conditions || "None", Round: submission.round, "Emails sent to": authors.map((a) => a.full_name) },
    reason: reasons,
  });
}

export interface WaitingAward {
  recommendationId: string;
  tenderId: string;
  tenderTitle: string;
  valuePence: number;
  submittedAt: Date;
  submittedBy: string;
  step: "consultation" | "decision";
  /** Whether it waits on this person (false: it waits on someone else, or they are barred). */
  yours: boolean;
  /** Why they may not act on it, if barred. */
  barredBecause: string[];
}

/** What waits on the Portfolio Holder or Chief Officer of the actor's council: /decisions and the dashboards. */
export async function awaitingDecisions(db: Reader, actor: Actor): Promise<WaitingAward[]> {
  if (actor.organisationKind !== "council") return [];
  const rows = await db
    .selectFrom("award_recommendation")
    .innerJoin("tender", "tender.id", "award_recommendation.tender_id")
    .innerJoin("agreement", "agreement.id", "tender.agreement_id")
    .innerJoin("award_submission", (j) => j.onRef("award_submission.recommendation_id", "=", "award_recommendation.id"))
    .innerJoin("app_user", "app_user.id", "award_submission.submitted_by")
    .select(["award_recommendation.id", "award_recommendation.status", "tender.id as tender_id", "tender.title", "award_submission.value_pence", "award_submission.submitted_at", "award_submission.round", "app_user.full_name"])
    .where("agreement.lead_council_id", "=", actor.organisationId)
    .where("award_recommendation.status", "in", ["awaiting_consultation", "awaiting_decision"])
    .orderBy("award_submission.submitted_at")
    .execute();
  const latest = new Map<string, (typeof rows)[number]>();
  for (const r of rows) if ((latest.get(r.id)?.round ?? 0) < r.round) latest.set(r.id, r);
  const result: WaitingAward[] = [];
  for (const r of latest.values()) {
    const step = r.status === "awaiting_consultation" ? "consultation" : "decision";
    const barredBecause = (await awardExclusions(db, r.id)).get(actor.userId) ?? [];
    const role = step === "consultation" ? "portfolio_holder" : "chief_officer";
    result.push({
      recommendationId: r.id,
      tenderId: r.tender_id,
      tenderTitle: r.title,
      valuePence: r.value_pence,
      submittedAt: r.submitted_at,
      submittedBy: r.full_name,
      step,
      yours: actor.roles.includes(role) && barredBecause.length === 0,
      barredBecause,
    });
  }
  return result;
}
