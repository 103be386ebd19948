// The evaluation report (issue 10): per lot, each bidder's compliance, its
// moderated and original scores, its price score, total and rank, and the
// panel with their declarations. The figures come from scoring.ts's pure
// rules, fed from the evaluation tables; nothing here is typed or stored.
// It is complete once quality has been moderated (the price stage): before
// then it says what is still to do instead of guessing a score.
import type { Reader } from "#app/database/schema";
import type { Actor } from "#app/modules/identity/actor";
import { complianceResults } from "./compliance";
import { declarations, type Declaration } from "./conflicts";
import { countingSubmissions, evaluationOf, qualityQuestions, STAGE_LABELS } from "./evaluation";
import { currentModerations } from "./moderation";
import { currentAssignments } from "./panel";
import { evaluatedPricePence, formatPoints, scoreLot, type BidResult, type LotResult, type ScoringBid } from "./scoring";
import { DEFAULT_SCORING_RULES, lotKindOf, scoringRulesOf } from "./scoring-rules";
import { latestScores } from "./scores";

export interface ReportPanelMember {
  name: string;
  /** The questions they scored, e.g. "1.2 in lot 1". */
  places: string[];
  declarations: { provider: string; declared: string; decision: string | null }[];
}

export interface ReportLot {
  result: LotResult;
  /** Every evaluator's own score per bid and question, beside the moderated one: bidId → questionId → scores. */
  originalScores: Record<string, Record<string, { evaluator: string; score: number }[]>>;
}

export type EvaluationReport =
  | { ready: false; tenderTitle: string; stage: string; reason: string }
  | { ready: true; tenderTitle: string; lots: ReportLot[]; panel: ReportPanelMember[]; bidders: number };

/** Text as a sentence: trimmed, ending with one full stop (or the question or exclamation mark it has). */
const sentence = (text: string) => {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
};

export function declarationWords(d: Declaration): { provider: string; declared: string; decision: string | null } {
  return {
    provider: d.organisationName,
    declared: d.hasConflict ? sentence(`Conflict declared: ${d.description ?? ""}`) : "No conflict.",
    decision: d.decision
      ? d.decision.outcome === "exclude"
        ? `Excluded from this bid by ${d.decision.decidedBy}. Reason: ${sentence(d.decision.reason)}`
        : `Accepted by ${d.decision.decidedBy}. Mitigation: ${sentence(d.decision.mitigation ?? "")} Reason: ${sentence(d.decision.reason)}`
      : d.hasConflict
        ? "No decision recorded yet."
        : null,
  };
}

/**
 * The report for a tender of the actor's council. Callers ask the policy
 * first (evaluation.view or award.view); this reads nothing of another council.
 */
export async function evaluationReport(db: Reader, tenderId: string, actor: Actor): Promise<EvaluationReport | null> {
  const tender = await db
    .selectFrom("tender")
    .innerJoin("agreement", "agreement.id", "tender.agreement_id")
    .select(["tender.id", "tender.title", "tender.procedure", "agreement.kind", "agreement.lead_council_id"])
    .where("tender.id", "=", tenderId)
    .executeTakeFirst();
  if (!tender || actor.organisationKind !== "council" || tender.lead_council_id !== actor.organisationId) return null;
  const evaluation = await evaluationOf(db, tender.id);
  if (!evaluation) return { ready: false, tenderTitle: tender.title, stage: "Not started", reason: "The evaluation has not started." };
  if (evaluation.stage !== "price") {
    return {
      ready: false,
      tenderTitle: tender.title,
      stage: STAGE_LABELS[evaluation.stage],
      reason: "The report is drawn up once every bid's compliance is recorded and every quality answer has its moderated score (the price stage).",
    };
  }

  const [submissions, compliance, questions, moderations, scores, assignments, declared, lots, schedules, prices, rules] = await Promise.all([
    countingSubmissions(db, tender.id),
    complianceResults(db, tender.id),
    qualityQuestions(db, tender.id),
    currentModerations(db, tender.id),
    latestScores(db, tender.id),
    currentAssignments(db, tender.id),
    declarations(db, tender.id),
    db
      .selectFrom("tender_lot")
      .innerJoin("lot", "lot.id", "tender_lot.lot_id")
      .select(["lot.id", "lot.number", "lot.title"])
      .where("tender_lot.tender_id", "=", tender.id)
      .orderBy("lot.number")
      .execute(),
    db.selectFrom("tender_price_schedule").select(["lot_id", "price_weight"]).where("tender_id", "=", tender.id).execute(),
    db
      .selectFrom("bid_submission_price")
      .innerJoin("bid_submission", "bid_submission.id", "bid_submission_price.submission_id")
      .select(["bid_submission_price.submission_id", "bid_submission_price.lot_id", "bid_submission_price.amount_pence"])
      .where("bid_submission.tender_id", "=", tender.id)
      .execute(),
    scoringRulesOf(db, tender.id),
  ]);

  // A bid passed into compliance in re-evaluation (decision 037) was never scored: say so, rather than rank it on no score.
  const unscored = new Set<string>();
  for (const s of submissions) {
    if (!compliance.get(s.submissionId)?.compliant) continue;
    for (const q of questions) {
      if (q.lots.some((l) => s.lotIds.includes(l.lotId)) && !moderations.has(`${s.submissionId}:${q.id}`)) unscored.add(`${s.organisationName}'s answer to ${q.number}`);
    }
  }
  if (unscored.size > 0) {
    return {
      ready: false,
      tenderTitle: tender.title,
      stage: STAGE_LABELS[evaluation.stage],
      reason: `${unscored.size === 1 ? "1 answer of a compliant bid has" : `${unscored.size} answers of compliant bids have`} no agreed score yet (${[...unscored].join("; ")}). The report ranks the bids once every answer has one.`,
    };
  }

  const kind = lotKindOf(tender.kind, tender.procedure);
  // Indexes, so a tender of 150 bids × 30 questions × 3 evaluators is read once, not scanned per bid.
  const pricesOf = new Map<string, { amountPence: number }[]>();
  for (const p of prices) pricesOf.set(`${p.submission_id}:${p.lot_id}`, [...(pricesOf.get(`${p.submission_id}:${p.lot_id}`) ?? []), { amountPence: p.amount_pence }]);
  const reportLots: ReportLot[] = lots.map((lot) => {
    const lotQuestions = questions.flatMap((q) => {
      const weight = q.lots.find((l) => l.lotId === lot.id)?.weight;
      if (weight === undefined) return [];
      return [{ questionId: q.id, label: `${q.number} ${q.question}`, weight, scaleMax: Math.max(...q.scale.map((s) => s.score)), minimumScore: q.minimumScore }];
    });
    const bids: ScoringBid[] = submissions
      .filter((s) => s.lotIds.includes(lot.id))
      .map((s) => {
        const result = compliance.get(s.submissionId);
        const compliant = result?.compliant ?? false;
        const lotPrices = pricesOf.get(`${s.submissionId}:${lot.id}`) ?? [];
        return {
          bidId: s.submissionId,
          bidderName: s.organisationName,
          compliant,
          nonComplianceReason: compliant ? undefined : (result?.reason ?? "Compliance was not recorded"),
          moderatedScores: compliant
            ? Object.fromEntries(
                lotQuestions.flatMap((q) => {
                  const agreed = moderations.get(`${s.submissionId}:${q.questionId}`)?.agreedScore;
                  return agreed === undefined ? [] : [[q.questionId, agreed]];
                }),
              )
            : {},
          pricePence: lotPrices.length > 0 ? evaluatedPricePence(lotPrices) : 0,
        };
      });
    const lotRules = rules.get(lot.id) ?? DEFAULT_SCORING_RULES;
    const result = scoreLot({
      lotId: lot.id,
      lotName: `Lot ${lot.number}: ${lot.title}`,
      kind,
      questions: lotQuestions,
      priceWeight: schedules.find((p) => p.lot_id === lot.id)?.price_weight ?? 0,
      priceMethod: lotRules.priceMethod,
      admitTopN: lotRules.admitTopN,
      admissionThreshold: lotRules.admissionThreshold,
      bids,
    });
    const originalScores: ReportLot["originalScores"] = {};
    const bidIds = new Set(bids.map((b) => b.bidId));
    const questionIds = new Set(lotQuestions.map((q) => q.questionId));
    for (const s of scores) {
      if (!bidIds.has(s.submissionId) || !questionIds.has(s.questionId)) continue;
      const byQuestion = (originalScores[s.submissionId] ??= {});
      (byQuestion[s.questionId] ??= []).push({ evaluator: s.evaluatorName, score: s.score });
    }
    return { result, originalScores };
  });

  const names = new Map<string, string>();
  for (const a of assignments) names.set(a.evaluatorId, a.evaluatorName);
  for (const s of scores) names.set(s.evaluatorId, s.evaluatorName);
  for (const d of declared) names.set(d.evaluatorId, d.evaluatorName);
  const panel: ReportPanelMember[] = [...names.entries()]
    .map(([id, name]) => ({
      name,
      places: assignments
        .filter((a) => a.evaluatorId === id)
        .map((a) => `${questions.find((q) => q.id === a.questionId)?.number ?? "?"} in lot ${lots.find((l) => l.id === a.lotId)?.number ?? "?"}`)
        .sort((x, y) => x.localeCompare(y, "en", { numeric: true })),
      declarations: declared.filter((d) => d.evaluatorId === id).map(declarationWords),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));

  return { ready: true, tenderTitle: tender.title, lots: reportLots, panel, bidders: submissions.length };
}

const points = (centipoints: number | null) => (centipoints === null ? "–" : formatPoints(centipoints));
/** Prices always to the penny, so a column of them lines up. */
const money = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP", minimumFractionDigits: 2 });

const STATUS_WORDS: Record<BidResult["status"], string> = {
  scored: "Scored",
  failed_minimum: "Below a minimum score",
  non_compliant: "Not compliant",
};

/** A lot of the report as the page and the PDF show it: every figure already in words. */
export interface ReportLotInWords {
  id: string;
  name: string;
  priceMethod: string;
  outcomeRule: string;
  waitsOnTie: boolean;
  bids: {
    id: string;
    bidder: string;
    rank: string;
    status: string;
    scored: boolean;
    reason: string | null;
    quality: string;
    price: string;
    priceScore: string;
    total: string;
    tieBreak: string | null;
    recommended: boolean;
    /** `number` is the question's number alone (e.g. "2.1"), for a line that names the question once per lot. */
    questions: { id: string; number: string; label: string; moderated: string; weighted: string; originals: string }[];
  }[];
}

export function reportLotsInWords(lots: readonly ReportLot[]): ReportLotInWords[] {
  return lots.map(({ result, originalScores }) => ({
    id: result.lotId,
    name: result.lotName,
    priceMethod: result.priceMethodExplanation,
    outcomeRule: result.outcomeRule,
    waitsOnTie: result.outcomeBlockedByTie,
    bids: result.bids.map((b) => ({
      id: b.bidId,
      bidder: b.bidderName,
      rank: b.rank === null ? "–" : String(b.rank),
      status: STATUS_WORDS[b.status],
      scored: b.status === "scored",
      reason: b.failureReason,
      quality: points(b.qualityScore),
      price: b.pricePence > 0 ? money.format(b.pricePence / 100) : "–",
      priceScore: points(b.priceScore),
      total: points(b.total),
      tieBreak: b.tieBreak === "quality" ? "ahead on quality" : b.tieBreak === "officer" ? "ahead by the officer's order" : null,
      recommended: b.outcome === "recommended",
      questions: b.questionScores.map((q) => ({
        id: q.questionId,
        label: q.label,
        number: q.label.split(" ")[0] ?? q.label,
        moderated: `${q.moderatedScore} of ${q.scaleMax}${q.belowMinimum ? " (below the minimum)" : ""}`,
        weighted: `${formatPoints(q.weightedScore)} of ${q.weight}`,
        originals: (originalScores[b.bidId]?.[q.questionId] ?? []).map((o) => `${o.evaluator}: ${o.score}`).join("; ") || "None recorded",
      })),
    })),
  }));
}
