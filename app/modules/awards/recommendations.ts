// The officer's award recommendation for an opened tender: which submitted
// bid(s) each lot goes to, the evaluation summary, the value, the budget
// line, risks and alternatives considered. A draft is edited with its
// version; submitting freezes it as a round (award_submission) and sends it
// to the Portfolio Holder or the Chief Officer by its value (decisions.ts).
import { sql } from "kysely";
import type { AwardConsultationResponse, AwardDecisionOutcome, AwardRecommendationStatus, Reader, Trx } from "#app/database/schema";
import { formatPence } from "#app/modules/agreements/agreements";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { cleanText, isUuid } from "#app/modules/common/input";
import { ActionRefused, ConcurrentEditError, RecordNotFound } from "#app/modules/errors";
import { answersWithoutAgreedScore } from "#app/modules/evaluation/moderation";
import type { ActionContext, Actor } from "#app/modules/identity/actor";
import { queueEmail } from "#app/modules/outbox/outbox";
import { bidsOpened } from "#app/modules/tendering/opening";
import { awardExclusions, peopleWhoMayAct } from "./segregation";
import { keyDecisionThreshold, needsConsultation } from "./settings";

registerAuditActions({
  "award.recommendation_saved": "Saved an award recommendation",
  "award.recommendation_submitted": "Submitted an award recommendation for decision",
});

const LONG_TEXT = 20000;

export interface AwardTender {
  id: string;
  title: string;
  councilId: string;
  lightTouch: boolean;
}

/** The tender, if it is the actor's council's and its bids are open; otherwise not found or refused. */
export async function awardTender(db: Reader, tenderId: string, actor: Actor | null): Promise<AwardTender> {
  const tender = isUuid(tenderId)
    ? await db
        .selectFrom("tender")
        .innerJoin("agreement", "agreement.id", "tender.agreement_id")
        .select(["tender.id", "tender.title", "tender.status", "tender.light_touch", "agreement.lead_council_id"])
        .where("tender.id", "=", tenderId)
        .executeTakeFirst()
    : undefined;
  if (!tender || tender.status === "draft" || !actor || actor.organisationKind !== "council" || actor.organisationId !== tender.lead_council_id) {
    throw new RecordNotFound("tender");
  }
  if (!(await bidsOpened(db, tender.id))) throw new ActionRefused("An award can be recommended only once two officers have opened the bids");
  return { id: tender.id, title: tender.title, councilId: tender.lead_council_id, lightTouch: tender.light_touch };
}

export interface AwardLotOption {
  lotId: string;
  label: string;
  /** The bids submitted for this lot (latest version, not withdrawn), by provider name. */
  bids: { bidId: string; organisationName: string }[];
}

/** Each lot of the tender with the bids submitted for it: what a recommendation may choose from. */
export async function awardOptions(db: Reader, tenderId: string): Promise<AwardLotOption[]> {
  const lots = await db
    .selectFrom("tender_lot")
    .innerJoin("lot", "lot.id", "tender_lot.lot_id")
    .select(["lot.id", "lot.number", "lot.title"])
    .where("tender_lot.tender_id", "=", tenderId)
    .orderBy("lot.number")
    .execute();
  const latest = db
    .selectFrom("bid_submission")
    .select(["bid_submission.id", "bid_submission.bid_id", "bid_submission.number", "bid_submission.organisation_id"])
    .distinctOn("bid_submission.bid_id")
    .where("bid_submission.tender_id", "=", tenderId)
    .orderBy("bid_submission.bid_id")
    .orderBy("bid_submission.number", "desc")
    .as("latest");
  const rows = await db
    .selectFrom(latest)
    .innerJoin("bid_submission_lot", "bid_submission_lot.submission_id", "latest.id")
    .innerJoin("organisation", "organisation.id", "latest.organisation_id")
    .leftJoin("bid_withdrawal", (j) => j.onRef("bid_withdrawal.bid_id", "=", "latest.bid_id").onRef("bid_withdrawal.submission_number", "=", "latest.number"))
    .select(["latest.bid_id", "bid_submission_lot.lot_id", "organisation.name"])
    .where("bid_withdrawal.id", "is", null)
    .orderBy("organisation.name")
    .execute();
  return lots.map((lot) => ({
    lotId: lot.id,
    label: `Lot ${lot.number}: ${lot.title}`,
    bids: rows.filter((r) => r.lot_id === lot.id).map((r) => ({ bidId: r.bid_id, organisationName: r.name })),
  }));
}

export interface RecommendationRound {
  id: string;
  round: number;
  content: SubmittedContent;
  valuePence: number;
  thresholdPence: number;
  consultationRequired: boolean;
  submittedAt: Date;
  submittedBy: string;
  consultation: { response: AwardConsultationResponse; comments: string; respondedAt: Date; respondedBy: string } | null;
  decision: { outcome: AwardDecisionOutcome; reasons: string; conditions: string; delegation: string; decidedAt: Date; decidedBy: string } | null;
}

/** The recommendation as submitted, in words, frozen with its round. */
export interface SubmittedContent {
  tenderTitle: string;
  lots: { lot: string; recommended: string[] }[];
  evaluationSummary: string;
  valuePence: number;
  budgetLine: string;
  risks: string;
  alternatives: string;
}

export interface Recommendation {
  id: string;
  tender: AwardTender;
  status: AwardRecommendationStatus;
  version: number;
  evaluationSummary: string;
  valuePence: number | null;
  budgetLine: string;
  risks: string;
  alternatives: string;
  /** Lot id → recommended bid ids. */
  chosen: Record<string, string[]>;
  createdBy: string;
  authors: { userId: string; name: string }[];
  rounds: RecommendationRound[];
}

async function loadRecommendation(db: Reader, where: { id: string } | { tenderId: string }, tender?: AwardTender): Promise<Recommendation | null> {
  let query = db.selectFrom("award_recommendation").innerJoin("app_user", "app_user.id", "award_recommendation.created_by").selectAll("award_recommendation").select("app_user.full_name as created_by_name");
  if ("id" in where) {
    if (!isUuid(where.id)) return null;
    query = query.where("award_recommendation.id", "=", where.id);
  } else {
    if (!isUuid(where.tenderId)) return null;
    // The live one, or else the latest rejected or superseded one.
    query = query
      .where("award_recommendation.tender_id", "=", where.tenderId)
      .orderBy(sql`award_recommendation.status in ('rejected', 'superseded')`)
      .orderBy("award_recommendation.created_at", "desc");
  }
  const row = await query.executeTakeFirst();
  if (!row) return null;
  const t: AwardTender =
    tender ??
    (await db
      .selectFrom("tender")
      .innerJoin("agreement", "agreement.id", "tender.agreement_id")
      .select(["tender.id", "tender.title", "tender.light_touch", "agreement.lead_council_id"])
      .where("tender.id", "=", row.tender_id)
      .executeTakeFirstOrThrow()
      .then((x) => ({ id: x.id, title: x.title, lightTouch: x.light_touch, councilId: x.lead_council_id })));
  const [bids, authors, rounds] = await Promise.all([
    db.selectFrom("award_recommendation_bid").select(["lot_id", "bid_id"]).where("recommendation_id", "=", row.id).execute(),
    db
      .selectFrom("award_recommendation_author")
      .innerJoin("app_user", "app_user.id", "award_recommendation_author.user_id")
      .select(["app_user.id", "app_user.full_name"])
      .where("recommendation_id", "=", row.id)
      .orderBy("first_wrote_at")
      .execute(),
    db
      .selectFrom("award_submission")
      .innerJoin("app_user as submitter", "submitter.id", "award_submission.submitted_by")
      .leftJoin("award_consultation", "award_consultation.submission_id", "award_submission.id")
      .leftJoin("app_user as consultee", "consultee.id", "award_consultation.responded_by")
      .leftJoin("award_decision", "award_decision.submission_id", "award_submission.id")
      .leftJoin("app_user as decider", "decider.id", "award_decision.decided_by")
      .select([
        "award_submission.id",
        "award_submission.round",
        "award_submission.content",
        "award_submission.value_pence",
        "award_submission.key_decision_threshold_pence",
        "award_submission.consultation_required",
        "award_submission.submitted_at",
        "submitter.full_name as submitted_by",
        "award_consultation.response",
        "award_consultation.comments",
        "award_consultation.responded_at",
        "consultee.full_name as responded_by",
        "award_decision.outcome",
        "award_decision.reasons",
        "award_decision.conditions",
        "award_decision.delegation",
        "award_decision.decided_at",
        "decider.full_name as decided_by",
      ])
      .where("award_submission.recommendation_id", "=", row.id)
      .orderBy("award_submission.round")
      .execute(),
  ]);
  const chosen: Record<string, string[]> = {};
  for (const b of bids) (chosen[b.lot_id] ??= []).push(b.bid_id);
  return {
    id: row.id,
    tender: t,
    status: row.status,
    version: row.version,
    evaluationSummary: row.evaluation_summary,
    valuePence: row.value_pence,
    budgetLine: row.budget_line,
    risks: row.risks,
    alternatives: row.alternatives,
    chosen,
    createdBy: row.created_by_name,
    authors: authors.map((a) => ({ userId: a.id, name: a.full_name })),
    rounds: rounds.map((r) => ({
      id: r.id,
      round: r.round,
      content: r.content as SubmittedContent,
      valuePence: r.value_pence,
      thresholdPence: r.key_decision_threshold_pence,
      consultationRequired: r.consultation_required,
      submittedAt: r.submitted_at,
      submittedBy: r.submitted_by,
      consultation: r.response && r.responded_at && r.responded_by ? { response: r.response, comments: r.comments ?? "", respondedAt: r.responded_at, respondedBy: r.responded_by } : null,
      decision:
        r.outcome && r.decided_at && r.decided_by
          ? { outcome: r.outcome, reasons: r.reasons ?? "", conditions: r.conditions ?? "", delegation: r.delegation ?? "", decidedAt: r.decided_at, decidedBy: r.decided_by }
          : null,
    })),
  };
}

/** The tender's current recommendation (or its latest rejected one), for staff of its council once the bids are open. */
export async function recommendationForTender(db: Reader, tenderId: string, actor: Actor | null): Promise<{ tender: AwardTender; recommendation: Recommendation | null }> {
  const tender = await awardTender(db, tenderId, actor);
  return { tender, recommendation: await loadRecommendation(db, { tenderId: tender.id }, tender) };
}

/** A recommendation by id, for staff of the tender's council; anyone else: not found. */
export async function recommendationById(db: Reader, id: string, actor: Actor | null): Promise<Recommendation> {
  const recommendation = await loadRecommendation(db, { id });
  if (!recommendation || !actor || actor.organisationKind !== "council" || actor.organisationId !== recommendation.tender.councilId) throw new RecordNotFound("award recommendation");
  return recommendation;
}

export interface RecommendationInput {
  tenderId: string;
  /** 0 when there is no draft yet. */
  expectedVersion: number;
  lots: { lotId: string; bidIds: string[] }[];
  evaluationSummary: string;
  valuePence: number | null;
  budgetLine: string;
  risks: string;
  alternatives: string;
}

function longText(value: string, field: string, label: string, max = LONG_TEXT): string {
  const text = cleanText(value);
  if (text.length > max) throw new ActionRefused(`${label} must be ${max.toLocaleString("en-GB")} characters or fewer`, field);
  return text;
}

function officerOf(ctx: ActionContext): Actor {
  const actor = ctx.actor;
  if (!actor || !actor.roles.includes("commissioning_officer")) throw new ActionRefused("Only a commissioning officer drafts an award recommendation");
  return actor;
}

/** Creates or updates the officer's draft. Any choice of bids must be bids submitted for that lot. */
export async function saveRecommendation(trx: Trx, input: RecommendationInput, ctx: ActionContext): Promise<{ id: string; version: number }> {
  const actor = officerOf(ctx);
  const tender = await awardTender(trx, input.tenderId, actor);
  await trx.selectFrom("tender").select("id").where("id", "=", tender.id).forUpdate().execute();
  const existing = await trx
    .selectFrom("award_recommendation")
    .selectAll()
    .where("tender_id", "=", tender.id)
    .where("status", "not in", ["rejected", "superseded"])
    .forUpdate()
    .executeTakeFirst();
  if (existing && (existing.status === "approved" || existing.status === "approved_with_conditions")) {
    throw new ActionRefused(
      "The approved award stands, so a second recommendation cannot be drafted: that is possible only once a challenge to the award is upheld for re-evaluation",
      "form",
    );
  }
  if ((existing?.version ?? 0) !== input.expectedVersion) throw new ConcurrentEditError();
  if (existing && existing.status !== "draft") throw new ActionRefused("This recommendation has been submitted for decision, so it cannot be changed now", "form");

  const options = await awardOptions(trx, tender.id);
  const lots: { lotId: string; bidIds: string[] }[] = [];
  for (const choice of input.lots) {
    const option = options.find((o) => o.lotId === choice.lotId);
    if (!option) throw new ActionRefused("Choose only lots of this tender", "lots");
    const valid = new Set(option.bids.map((b) => b.bidId));
    const bidIds = [...new Set(choice.bidIds)];
    if (bidIds.some((id) => !valid.has(id))) throw new ActionRefused(`Choose only bids submitted for ${option.label}`, `lot-${option.lotId}`);
    lots.push({ lotId: option.lotId, bidIds });
  }
  if (input.valuePence !== null && (!Number.isSafeInteger(input.valuePence) || input.valuePence < 0)) throw new ActionRefused("Enter the value in pounds and pence, like 750000 or 750,000.00", "value");
  const values = {
    evaluation_summary: longText(input.evaluationSummary, "evaluationSummary", "The evaluation summary"),
    value_pence: input.valuePence,
    budget_line: longText(input.budgetLine, "budgetLine", "The budget line", 300),
    risks: longText(input.risks, "risks", "The risks"),
    alternatives: longText(input.alternatives, "alternatives", "The alternatives considered"),
  };

  let id: string;
  let version: number;
  if (existing) {
    const updated = await trx
      .updateTable("award_recommendation")
      .set({ ...values, version: existing.version + 1, updated_at: ctx.now, updated_by: actor.userId })
      .where("id", "=", existing.id)
      .returning(["id", "version"])
      .executeTakeFirstOrThrow();
    id = updated.id;
    version = updated.version;
    await trx.deleteFrom("award_recommendation_bid").where("recommendation_id", "=", id).execute();
  } else {
    const created = await trx
      .insertInto("award_recommendation")
      .values({ ...values, tender_id: tender.id, created_at: ctx.now, created_by: actor.userId, updated_at: ctx.now, updated_by: actor.userId })
      .returning(["id", "version"])
      .executeTakeFirstOrThrow();
    id = created.id;
    version = created.version;
  }
  const rows = lots.flatMap((l) => l.bidIds.map((bidId) => ({ recommendation_id: id, lot_id: l.lotId, bid_id: bidId })));
  if (rows.length > 0) await trx.insertInto("award_recommendation_bid").values(rows).execute();
  await trx
    .insertInto("award_recommendation_author")
    .values({ recommendation_id: id, user_id: actor.userId, first_wrote_at: ctx.now })
    .onConflict((oc) => oc.columns(["recommendation_id", "user_id"]).doNothing())
    .execute();
  const named = describeLots(options, lots);
  await recordAuditEvent(trx, ctx, {
    action: "award.recommendation_saved",
    summary: `${actor.name} ${existing ? "changed" : "drafted"} the award recommendation for "${tender.title}"`,
    subjects: [{ type: "tender", id: tender.id }, { type: "award_recommendation", id }],
    before: existing ? { Value: existing.value_pence === null ? "Not given" : formatPence(existing.value_pence), "Budget line": existing.budget_line } : undefined,
    after: {
      Recommended: named.map((l) => `${l.lot}: ${l.recommended.length ? l.recommended.join(", ") : "no one"}`),
      Value: values.value_pence === null ? "Not given" : formatPence(values.value_pence),
      "Budget line": values.budget_line,
    },
  });
  return { id, version };
}

function describeLots(options: AwardLotOption[], lots: { lotId: string; bidIds: string[] }[]): SubmittedContent["lots"] {
  return options.map((o) => {
    const chosen = lots.find((l) => l.lotId === o.lotId)?.bidIds ?? [];
    return { lot: o.label, recommended: o.bids.filter((b) => chosen.includes(b.bidId)).map((b) => b.organisationName) };
  });
}

/** What the route of a submission is, in words: who decides, and whether consulting. */
export function delegationWording(consultationRequired: boolean, thresholdPence: number): string {
  return consultationRequired
    ? `Key decision (value at or above ${formatPence(thresholdPence)}): delegated to the Chief Officer, to be taken in consultation with the Portfolio Holder`
    : `Delegated to the Chief Officer (value below the key-decision threshold of ${formatPence(thresholdPence)})`;
}

/**
 * Submits the draft for decision: every required part must be filled in. The
 * round is frozen, the route set by value against the council's threshold,
 * and the next people told by email.
 */
export async function submitRecommendation(
  trx: Trx,
  input: { tenderId: string; expectedVersion: number },
  ctx: ActionContext,
  links: { baseUrl: string },
): Promise<{ round: number; consultationRequired: boolean }> {
  const actor = officerOf(ctx);
  const tender = await awardTender(trx, input.tenderId, actor);
  const row = await trx.selectFrom("award_recommendation").selectAll().where("tender_id", "=", tender.id).where("status", "not in", ["rejected", "superseded"]).forUpdate().executeTakeFirst();
  if (!row) throw new ActionRefused("Save the recommendation before submitting it", "form");
  if (row.version !== input.expectedVersion) throw new ConcurrentEditError();
  if (row.status !== "draft") throw new ActionRefused("This recommendation has already been submitted for decision", "form");

  const options = await awardOptions(trx, tender.id);
  const chosen = await trx.selectFrom("award_recommendation_bid").select(["lot_id", "bid_id"]).where("recommendation_id", "=", row.id).execute();
  const lots = options.map((o) => ({ lotId: o.lotId, bidIds: chosen.filter((c) => c.lot_id === o.lotId).map((c) => c.bid_id) }));
  const problems: ActionRefused[] = [];
  if (chosen.length === 0) problems.push(new ActionRefused("Choose at least one bid to recommend", "lots"));
  if (row.evaluation_summary === "") problems.push(new ActionRefused("Enter the evaluation summary", "evaluationSummary"));
  if (row.value_pence === null) problems.push(new ActionRefused("Enter the value of the award", "value"));
  if (row.budget_line === "") problems.push(new ActionRefused("Enter the budget line", "budgetLine"));
  if (row.risks === "") problems.push(new ActionRefused("Enter the risks", "risks"));
  if (row.alternatives === "") problems.push(new ActionRefused("Enter the alternatives considered", "alternatives"));
  // A bid passed into compliance in re-evaluation must be scored before the award is decided again (decision 037).
  const unscored = await answersWithoutAgreedScore(trx, tender.id);
  if (unscored.length > 0) {
    const bidders = [...new Set(unscored.map((a) => a.organisationName))];
    problems.push(
      new ActionRefused(
        `${unscored.length === 1 ? "1 answer of a compliant bid has" : `${unscored.length} answers of compliant bids have`} no agreed score yet (${bidders.join(", ")}): agree ${unscored.length === 1 ? "it" : "them"} on the re-evaluation page, so the report can rank every bid`,
        "form",
      ),
    );
  }
  if (problems.length > 0) throw new RecommendationIncomplete(problems);

  const threshold = await keyDecisionThreshold(trx, tender.councilId);
  const consultationRequired = needsConsultation(row.value_pence!, threshold.pence);
  const previous = await trx.selectFrom("award_submission").select(sql<number>`coalesce(max(round), 0)`.as("n")).where("recommendation_id", "=", row.id).executeTakeFirstOrThrow();
  const round = Number(previous.n) + 1;
  const content: SubmittedContent = {
    tenderTitle: tender.title,
    lots: describeLots(options, lots),
    evaluationSummary: row.evaluation_summary,
    valuePence: row.value_pence!,
    budgetLine: row.budget_line,
    risks: row.risks,
    alternatives: row.alternatives,
  };
  await trx
    .insertInto("award_submission")
    .values({
      recommendation_id: row.id,
      round,
      content: JSON.stringify(content),
      value_pence: row.value_pence!,
      key_decision_threshold_pence: threshold.pence,
      consultation_required: consultationRequired,
      submitted_at: ctx.now,
      submitted_by: actor.userId,
    })
    .execute();
  await trx
    .insertInto("award_recommendation_author")
    .values({ recommendation_id: row.id, user_id: actor.userId, first_wrote_at: ctx.now })
    .onConflict((oc) => oc.columns(["recommendation_id", "user_id"]).doNothing())
    .execute();
  const status = consultationRequired ? "awaiting_consultation" : "awaiting_decision";
  await trx.updateTable("award_recommendation").set({ status, version: row.version + 1, updated_at: ctx.now, updated_by: actor.userId }).where("id", "=", row.id).execute();

  const role = consultationRequired ? "portfolio_holder" : "chief_officer";
  const exclusions = await awardExclusions(trx, row.id);
  const recipients = await peopleWhoMayAct(trx, tender.councilId, role, exclusions);
  const url = `${links.baseUrl}/decisions/${row.id}`;
  for (const person of recipients) {
    await queueEmail(trx, {
      to: person.email,
      template: {
        name: "award_decision_requested",
        props: { recipientName: person.name, tenderTitle: tender.title, valueText: formatPence(row.value_pence!), submittedBy: actor.name, step: consultationRequired ? "consultation" : "decision", url },
      },
    });
  }
  await recordAuditEvent(trx, ctx, {
    action: "award.recommendation_submitted",
    summary: `${actor.name} submitted the award recommendation for "${tender.title}" (${formatPence(row.value_pence!)}) for decision${consultationRequired ? ", first to the Portfolio Holder for consultation" : " by the Chief Officer"}`,
    subjects: [{ type: "tender", id: tender.id }, { type: "award_recommendation", id: row.id }],
    before: { Status: "Draft" },
    after: {
      Status: consultationRequired ? "Waiting for the Portfolio Holder's consultation" : "Waiting for the Chief Officer's decision",
      Round: round,
      Route: delegationWording(consultationRequired, threshold.pence),
      Recommended: content.lots.map((l) => `${l.lot}: ${l.recommended.length ? l.recommended.join(", ") : "no one"}`),
      "Emails sent to": recipients.map((p) => p.name),
    },
  });
  return { round, consultationRequired };
}

/** Every missing part at once, so the page lists them all. */
export class RecommendationIncomplete extends ActionRefused {
  constructor(readonly problems: ActionRefused[]) {
    super(problems.map((p) => p.message).join(". "), "form");
    this.name = "RecommendationIncomplete";
  }
}
