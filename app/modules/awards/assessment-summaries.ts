// Assessment summaries (Procurement Act 2023 s.50, Procurement Regulations
// 2024 reg. 31; decision 029). Once the award decision is approved, an
// officer sends every assessed bidder its summary: per lot it bid for, the
// award criteria with their weightings, its own moderated score for each
// with the agreed rationale as the reasons, its price score, total and rank,
// whether it was successful, and for an unsuccessful bid the further reasons:
// the successful bid's scores beside its own, or why it went no further.
// Every figure is the evaluation report's (scoring.ts), never worked out
// again here. What is sent is frozen in words (assessment_summary), sent
// once per tender: a second press, or a colleague at the same moment, is
// told who sent them and when.
import type { Reader, Trx } from "#app/database/schema";
import { formatPence } from "#app/modules/agreements/agreements";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { isUuid } from "#app/modules/common/input";
import { ActionRefused, RecordNotFound } from "#app/modules/errors";
import { councilTender, qualityQuestions } from "#app/modules/evaluation/evaluation";
import { currentModerations } from "#app/modules/evaluation/moderation";
import { evaluationReport } from "#app/modules/evaluation/report";
import { formatPoints, type BidResult, type LotResult } from "#app/modules/evaluation/scoring";
import type { ActionContext, Actor } from "#app/modules/identity/actor";
import { queueEmail } from "#app/modules/outbox/outbox";
import { formatUkDateTime } from "#emails/format";

registerAuditActions({
  "award.assessment_summaries_sent": "Sent the assessment summaries",
});

/** One award criterion as the bidder's summary shows it. */
export interface SummaryCriterion {
  criterion: string;
  /** "30 points of 100" */
  weighting: string;
  /** "3 of 5", or "Not scored" when the bid went no further. */
  yourScore: string;
  /** "18.00 of 30" */
  yourPoints: string;
  /** The moderated score's agreed rationale, by reference to the bid. */
  reasons: string;
  /** For an unsuccessful scored bid: the successful bid's figures beside its own. */
  successfulScore: string | null;
  successfulPoints: string | null;
}

export interface SummaryLot {
  lot: string;
  successful: boolean;
  /** A sentence: successful or not, and what that means for this lot. */
  outcome: string;
  criteria: SummaryCriterion[];
  price: {
    weighting: string;
    /** How price was scored (scoring.ts's sentence). */
    method: string;
    yourPrice: string;
    yourScore: string;
    explanation: string;
    successfulPrice: string | null;
    successfulScore: string | null;
  };
  /** "77.00 of 100", or "Not scored". */
  total: string;
  successfulTotal: string | null;
  /** "2nd of 3 scored bids", or "Not ranked". */
  rank: string;
  /** The bid an unsuccessful one is compared with, in words; null otherwise. */
  comparedWith: string | null;
  /** For an unsuccessful bid, why; for a successful one, empty. */
  furtherReasons: string[];
}

/** A bidder's summary as it is frozen when sent. */
export interface AssessmentSummaryContent {
  tenderTitle: string;
  bidderName: string;
  lots: SummaryLot[];
}

export interface DraftSummary {
  bidId: string;
  providerId: string;
  content: AssessmentSummaryContent;
}

const ordinal = (n: number) => {
  const s = n % 100 >= 11 && n % 100 <= 13 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[n % 10] ?? "th";
  return `${n}${s}`;
};
const points = (c: number | null, of: number) => (c === null ? "Not scored" : `${formatPoints(c)} of ${of}`);
const sentence = (text: string) => {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
};

/** The tender's approved recommendation, if the decision approved it (with or without conditions). */
async function approvedRecommendation(db: Reader, tenderId: string) {
  return db
    .selectFrom("award_recommendation")
    .select(["id", "status"])
    .where("tender_id", "=", tenderId)
    .where("status", "in", ["approved", "approved_with_conditions"])
    .executeTakeFirst();
}

/**
 * Each assessed bid's summary as it would be sent now, built from the
 * evaluation report and the approved recommendation. Refused (with the
 * reason) before the award decision is approved or the report is ready.
 */
export async function draftAssessmentSummaries(db: Reader, tenderId: string, actor: Actor | null): Promise<DraftSummary[]> {
  const tender = await councilTender(db, tenderId, actor);
  const recommendation = await approvedRecommendation(db, tender.id);
  if (!recommendation) throw new ActionRefused("Assessment summaries can be sent once the Chief Officer has approved the award decision", "form");
  const report = await evaluationReport(db, tender.id, actor!);
  if (!report?.ready) throw new ActionRefused(`Assessment summaries are drawn from the evaluation report, and there is none yet. ${report?.reason ?? ""}`.trim(), "form");

  const [chosen, submissions, questions, moderations] = await Promise.all([
    db.selectFrom("award_recommendation_bid").select(["lot_id", "bid_id"]).where("recommendation_id", "=", recommendation.id).execute(),
    db.selectFrom("bid_submission").select(["id", "bid_id", "organisation_id"]).where("tender_id", "=", tender.id).execute(),
    qualityQuestions(db, tender.id),
    currentModerations(db, tender.id),
  ]);
  const submission = new Map(submissions.map((s) => [s.id, s]));
  const successful = (lotId: string, r: BidResult) => chosen.some((c) => c.lot_id === lotId && c.bid_id === submission.get(r.bidId)?.bid_id);

  const byBid = new Map<string, DraftSummary>();
  for (const { result: lot } of report.lots) {
    const criteria = questions.flatMap((q) => {
      const weight = q.lots.find((l) => l.lotId === lot.lotId)?.weight;
      return weight === undefined ? [] : [{ id: q.id, label: `${q.number} ${q.question}`, weight, scaleMax: Math.max(...q.scale.map((s) => s.score)) }];
    });
    const priceWeight = 100 - criteria.reduce((s, c) => s + c.weight, 0);
    const scoredCount = lot.bids.filter((b) => b.rank !== null).length;
    const winners = lot.bids.filter((b) => successful(lot.lotId, b));
    // Beside an unsuccessful bid: the successful one ranked lowest (the single winner, or the last admitted).
    const compared = winners.filter((w) => w.total !== null).sort((a, b) => (b.rank ?? 0) - (a.rank ?? 0))[0] ?? null;
    for (const bid of lot.bids) {
      const sub = submission.get(bid.bidId);
      if (!sub) continue;
      const won = successful(lot.lotId, bid);
      const summary = byBid.get(sub.bid_id) ?? { bidId: sub.bid_id, providerId: sub.organisation_id, content: { tenderTitle: report.tenderTitle, bidderName: bid.bidderName, lots: [] } };
      byBid.set(sub.bid_id, summary);
      summary.content.lots.push(summaryLot(lot, bid, won, compared && !won && bid.status === "scored" ? { bid: compared, onlyWinner: winners.length === 1 } : null, criteria, priceWeight, scoredCount, moderations));
    }
  }
  return [...byBid.values()].sort((a, b) => a.content.bidderName.localeCompare(b.content.bidderName));
}

function summaryLot(
  lot: LotResult,
  bid: BidResult,
  won: boolean,
  against: { bid: BidResult; onlyWinner: boolean } | null,
  criteria: { id: string; label: string; weight: number; scaleMax: number }[],
  priceWeight: number,
  scoredCount: number,
  moderations: Map<string, { rationale: string }>,
): SummaryLot {
  const single = lot.kind === "block_contract" || lot.kind === "short_breaks";
  const compared = against?.bid ?? null;
  const outcome = won
    ? single
      ? `Successful: the lot is to be awarded to your bid.`
      : `Successful: your bid is to be admitted to ${lot.kind === "framework" ? "the framework" : "the dynamic market"} for this lot.`
    : `Unsuccessful: your bid ${single ? "is not the one the lot is to be awarded to" : `is not to be admitted to ${lot.kind === "framework" ? "the framework" : "the dynamic market"} for this lot`}.`;
  const further: string[] = [];
  if (!won) {
    if (bid.status === "non_compliant") further.push(`Your bid did not pass the compliance checks, so it was not scored: ${sentence(bid.failureReason ?? "")}`);
    else if (bid.status === "failed_minimum") further.push(`Your bid scored below a question's minimum score, so it could not be awarded: ${bid.failureReason}`);
    else if (compared) {
      further.push(
        `Your bid scored ${formatPoints(bid.total!)} points and ranked ${ordinal(bid.rank!)}; ${against!.onlyWinner ? `the successful bid (${compared.bidderName})` : `the lowest-ranked successful bid (${compared.bidderName}, ranked ${ordinal(compared.rank!)})`} scored ${formatPoints(compared.total!)} points. Its scores are shown beside yours for each criterion.`,
      );
    } else further.push(lot.outcomeRule);
  }
  const theirs = (questionId: string) => compared?.questionScores.find((q) => q.questionId === questionId) ?? null;
  return {
    lot: lot.lotName,
    successful: won,
    outcome,
    criteria: criteria.map((c) => {
      const mine = bid.questionScores.find((q) => q.questionId === c.id);
      const other = theirs(c.id);
      return {
        criterion: c.label,
        weighting: `${c.weight} points of 100`,
        yourScore: mine ? `${mine.moderatedScore} of ${mine.scaleMax}` : "Not scored",
        yourPoints: mine ? `${formatPoints(mine.weightedScore)} of ${c.weight}` : "Not scored",
        reasons: mine ? sentence(moderations.get(`${bid.bidId}:${c.id}`)?.rationale ?? "No rationale was recorded") : "Not scored, as the bid went no further.",
        successfulScore: other ? `${other.moderatedScore} of ${other.scaleMax}` : null,
        successfulPoints: other ? `${formatPoints(other.weightedScore)} of ${c.weight}` : null,
      };
    }),
    price: {
      weighting: `${priceWeight} points of 100`,
      method: lot.priceMethodExplanation,
      yourPrice: bid.pricePence > 0 ? formatPence(bid.pricePence) : "Not given",
      yourScore: points(bid.priceScore, priceWeight),
      explanation: bid.priceExplanation ?? "Price was not scored, as the bid went no further.",
      successfulPrice: compared ? formatPence(compared.pricePence) : null,
      successfulScore: compared ? points(compared.priceScore, priceWeight) : null,
    },
    total: points(bid.total, 100),
    successfulTotal: compared ? points(compared.total, 100) : null,
    rank: bid.rank === null ? "Not ranked" : `${ordinal(bid.rank)} of ${scoredCount} scored ${scoredCount === 1 ? "bid" : "bids"}`,
    comparedWith: compared ? `${compared.bidderName}, ranked ${ordinal(compared.rank!)}` : null,
    furtherReasons: further,
  };
}

export interface Sending {
  sentAt: Date;
  sentBy: string;
}

/** The sending for the tender's approved recommendation (a superseded award's sending stays on record, but is not this one). */
async function sendingOf(db: Reader, tenderId: string): Promise<(Sending & { recommendationId: string }) | null> {
  const row = await db
    .selectFrom("assessment_summary_sending")
    .innerJoin("award_recommendation", "award_recommendation.id", "assessment_summary_sending.recommendation_id")
    .innerJoin("app_user", "app_user.id", "assessment_summary_sending.sent_by")
    .select(["assessment_summary_sending.sent_at", "assessment_summary_sending.recommendation_id", "app_user.full_name"])
    .where("assessment_summary_sending.tender_id", "=", tenderId)
    .where("award_recommendation.status", "in", ["approved", "approved_with_conditions"])
    .executeTakeFirst();
  return row ? { sentAt: row.sent_at, sentBy: row.full_name, recommendationId: row.recommendation_id } : null;
}

/** When the assessment summaries of the tender's approved award were sent, or null: for the award notice and the award page. */
export async function assessmentSummariesSentAt(db: Reader, tenderId: string): Promise<Date | null> {
  if (!isUuid(tenderId)) return null;
  return (await sendingOf(db, tenderId))?.sentAt ?? null;
}

export interface SummariesOverview {
  tenderId: string;
  tenderTitle: string;
  sending: Sending | null;
  /** Why they cannot be sent yet, if not sent and not sendable. */
  notYet: string | null;
  /** Sent: what went to whom; not yet: what would. */
  bidders: { bidId: string; bidderName: string; outcomes: string[] }[];
}

/** The officer's page: sent (to whom, by whom, when) or what would be sent, or why not yet. */
export async function summariesOverview(db: Reader, tenderId: string, actor: Actor | null): Promise<SummariesOverview> {
  const tender = await councilTender(db, tenderId, actor);
  const sending = await sendingOf(db, tender.id);
  const outcomes = (c: AssessmentSummaryContent) => c.lots.map((l) => `${l.lot}: ${l.successful ? "successful" : "unsuccessful"}`);
  if (sending) {
    const rows = await db.selectFrom("assessment_summary").select(["bid_id", "content"]).where("recommendation_id", "=", sending.recommendationId).execute();
    const bidders = rows
      .map((r) => ({ bidId: r.bid_id, content: r.content as AssessmentSummaryContent }))
      .map((r) => ({ bidId: r.bidId, bidderName: r.content.bidderName, outcomes: outcomes(r.content) }))
      .sort((a, b) => a.bidderName.localeCompare(b.bidderName));
    return { tenderId: tender.id, tenderTitle: tender.title, sending: { sentAt: sending.sentAt, sentBy: sending.sentBy }, notYet: null, bidders };
  }
  try {
    const drafts = await draftAssessmentSummaries(db, tender.id, actor);
    return { tenderId: tender.id, tenderTitle: tender.title, sending: null, notYet: null, bidders: drafts.map((d) => ({ bidId: d.bidId, bidderName: d.content.bidderName, outcomes: outcomes(d.content) })) };
  } catch (error) {
    if (error instanceof ActionRefused) return { tenderId: tender.id, tenderTitle: tender.title, sending: null, notYet: error.message, bidders: [] };
    throw error;
  }
}

/**
 * Sends every assessed bidder its summary, once: freezes each, queues an
 * email to each active user of each bidder, records who sent them and when,
 * and audits it. A second sending is refused, naming who sent them and when.
 */
export async function sendAssessmentSummaries(trx: Trx, input: { tenderId: string }, ctx: ActionContext, links: { baseUrl: string }): Promise<{ sentTo: string[] }> {
  const actor = ctx.actor;
  const tender = await councilTender(trx, input.tenderId, actor);
  if (!actor!.roles.includes("commissioning_officer")) throw new ActionRefused("Only a commissioning officer sends assessment summaries", "form");
  // Of two officers pressing at once, the second waits here and then finds them sent.
  await trx.selectFrom("tender").select("id").where("id", "=", tender.id).forUpdate().execute();
  const already = await sendingOf(trx, tender.id);
  if (already) throw new ActionRefused(`${already.sentBy} sent the assessment summaries at ${formatUkDateTime(already.sentAt)}`, "form");
  const recommendation = await approvedRecommendation(trx, tender.id);
  const drafts = await draftAssessmentSummaries(trx, tender.id, actor);
  if (drafts.length === 0) throw new ActionRefused("There are no assessed bids to send summaries to", "form");

  await trx.insertInto("assessment_summary_sending").values({ tender_id: tender.id, recommendation_id: recommendation!.id, sent_at: ctx.now, sent_by: actor!.userId }).execute();
  await trx
    .insertInto("assessment_summary")
    .values(drafts.map((d) => ({ tender_id: tender.id, recommendation_id: recommendation!.id, bid_id: d.bidId, provider_id: d.providerId, content: JSON.stringify(d.content), sent_at: ctx.now, sent_by: actor!.userId })))
    .execute();
  const people = await trx
    .selectFrom("app_user")
    .select(["organisation_id", "full_name", "email"])
    .where("organisation_id", "in", drafts.map((d) => d.providerId))
    .where("status", "=", "active")
    .orderBy("full_name")
    .execute();
  const emailed: string[] = [];
  for (const d of drafts) {
    for (const person of people.filter((p) => p.organisation_id === d.providerId)) {
      await queueEmail(trx, {
        to: person.email,
        template: {
          name: "assessment_summary",
          props: {
            recipientName: person.full_name,
            bidderName: d.content.bidderName,
            tenderTitle: tender.title,
            outcomes: d.content.lots.map((l) => `${l.lot}: ${l.successful ? "successful" : "unsuccessful"}`),
            url: `${links.baseUrl}/tenders/${tender.id}/award/summaries`,
            pdfUrl: `${links.baseUrl}/tenders/${tender.id}/award/summaries/${d.bidId}.pdf`,
          },
        },
      });
      emailed.push(person.full_name);
    }
  }
  const sentTo = drafts.map((d) => d.content.bidderName);
  await recordAuditEvent(trx, ctx, {
    action: "award.assessment_summaries_sent",
    summary: `${actor!.name} sent the assessment summaries for "${tender.title}" to ${sentTo.length} ${sentTo.length === 1 ? "bidder" : "bidders"}`,
    subjects: [{ type: "tender", id: tender.id }, { type: "award_recommendation", id: recommendation!.id }],
    after: { "Sent to": sentTo, "Emails sent to": emailed },
  });
  return { sentTo };
}

export interface SentSummary {
  tenderId: string;
  bidId: string;
  content: AssessmentSummaryContent;
  sentAt: Date;
  sentBy: string;
}

/**
 * One bid's summary as sent: for the bidder's own users, or staff of the
 * tender's council (the caller asks the policy which). Anyone else, or before
 * it is sent: not found.
 */
export async function sentSummary(db: Reader, input: { tenderId: string; bidId: string }, actor: Actor | null): Promise<SentSummary> {
  if (!actor || !isUuid(input.tenderId) || !isUuid(input.bidId)) throw new RecordNotFound("assessment summary");
  const row = await db
    .selectFrom("assessment_summary")
    .innerJoin("tender", "tender.id", "assessment_summary.tender_id")
    .innerJoin("agreement", "agreement.id", "tender.agreement_id")
    .innerJoin("app_user", "app_user.id", "assessment_summary.sent_by")
    .select(["assessment_summary.tender_id", "assessment_summary.bid_id", "assessment_summary.provider_id", "assessment_summary.content", "assessment_summary.sent_at", "app_user.full_name", "agreement.lead_council_id"])
    .where("assessment_summary.tender_id", "=", input.tenderId)
    .where("assessment_summary.bid_id", "=", input.bidId)
    // After a re-evaluation the latest summary is the one that stands; the first stays on record.
    .orderBy("assessment_summary.sent_at", "desc")
    .executeTakeFirst();
  const mayRead = row && (actor.organisationKind === "provider" ? row.provider_id === actor.organisationId : row.lead_council_id === actor.organisationId);
  if (!row || !mayRead) throw new RecordNotFound("assessment summary");
  return { tenderId: row.tender_id, bidId: row.bid_id, content: row.content as AssessmentSummaryContent, sentAt: row.sent_at, sentBy: row.full_name };
}

/** The provider's own summaries for a tender (one per bid it made; usually one). */
export async function ownSummaries(db: Reader, tenderId: string, actor: Actor | null): Promise<SentSummary[]> {
  if (!actor || actor.organisationKind !== "provider" || !isUuid(tenderId)) return [];
  const rows = await db
    .selectFrom("assessment_summary")
    .innerJoin("app_user", "app_user.id", "assessment_summary.sent_by")
    .select(["assessment_summary.tender_id", "assessment_summary.bid_id", "assessment_summary.content", "assessment_summary.sent_at", "app_user.full_name"])
    .where("assessment_summary.tender_id", "=", tenderId)
    .where("assessment_summary.provider_id", "=", actor.organisationId)
    .orderBy("assessment_summary.sent_at", "desc")
    .execute();
  return rows.map((r) => ({ tenderId: r.tender_id, bidId: r.bid_id, content: r.content as AssessmentSummaryContent, sentAt: r.sent_at, sentBy: r.full_name }));
}
