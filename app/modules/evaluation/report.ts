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
import { currentAssignments } from "./panel";
import { evaluatedPricePence, formatPoints, scoreLot, type BidResult, type LotResult, type ScoringBid } from "./scoring";
import { DEFAULT_SCORING_RULES, lotKindOf, scoringRulesOf } from "./scoring-rules";

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
  /** Each question's lowest acceptable agreed score, where it has one: questionId → score. */
  minimumScores: Record<string, number>;
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

const byName = new Intl.Collator("en").compare;

/**
 * Each answer's agreed score, by "submission:question": the latest
 * moderation, and only its score (not the 4,500 rationales the report does
 * not print, nor who moderated).
 */
async function agreedScores(db: Reader, tenderId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("evaluation_moderation as m")
    .select(["m.submission_id", "m.question_id", "m.agreed_score"])
    .where("m.tender_id", "=", tenderId)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom("evaluation_moderation as later").select("later.id").whereRef("later.replaces_id", "=", "m.id"))))
    .execute();
  return new Map(rows.map((r) => [`${r.submission_id}:${r.question_id}`, r.agreed_score]));
}

/**
 * Every evaluator's standing (latest) score per answer, as latestScores
 * (scores.ts) finds them but with only what the report prints: no
 * justifications (13,500 of them for 150 bids × 30 questions × 3 evaluators).
 * In order of evaluator name, as the page lists them.
 */
async function standingScores(db: Reader, tenderId: string) {
  const rows = await db
    .selectFrom("evaluation_score as s")
    .innerJoin("app_user", "app_user.id", "s.evaluator_id")
    .select(["s.submission_id", "s.question_id", "s.evaluator_id", "app_user.full_name", "s.score"])
    .where("s.tender_id", "=", tenderId)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom("evaluation_score as later").select("later.id").whereRef("later.replaces_id", "=", "s.id"))))
    .execute();
  // Each of the few names ranked once, rather than comparing names 13,500 × log(13,500) times.
  const order = new Map([...new Set(rows.map((r) => r.full_name))].sort(byName).map((name, i) => [name, i]));
  return rows
    .map((r) => ({ submissionId: r.submission_id, questionId: r.question_id, evaluatorId: r.evaluator_id, evaluatorName: r.full_name, score: r.score }))
    .sort((a, b) => order.get(a.evaluatorName)! - order.get(b.evaluatorName)!);
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
    agreedScores(db, tender.id),
    standingScores(db, tender.id),
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
                  const agreed = moderations.get(`${s.submissionId}:${q.questionId}`);
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
    const minimumScores = Object.fromEntries(lotQuestions.flatMap((q) => (q.minimumScore === null ? [] : [[q.questionId, q.minimumScore]])));
    return { result, originalScores, minimumScores };
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

/**
 * The report as the PDF prints it: every figure already in words, nothing the
 * PDF does not print (no ids, no answer texts), so what goes to the PDF worker
 * stays small and react-pdf has as little text to lay out as it can (decision
 * 039). Each question is named once per lot with its scale, its minimum, its
 * weight and the evaluators who scored it; a bid's line for that question then
 * gives the agreed score, the points and the evaluators' own scores in that
 * order, "–" where one of them has none for this bid (excluded for a conflict,
 * say), instead of repeating their names on 4,500 lines.
 */
export interface ReportPdfLot {
  name: string;
  priceMethod: string;
  outcomeRule: string;
  waitsOnTie: boolean;
  /**
   * `reason`: why a bid was not scored (compliance), or on which questions it
   * fell below the minimum, printed under its row.
   */
  ranking: { rank: string; bidder: string; quality: string; price: string; priceScore: string; total: string; outcome: string; reason: string | null }[];
  /** e.g. { label: "2.1 Safeguarding", about: "out of 5, minimum 2, worth 30 points", evaluators: [...] } */
  questions: { label: string; about: string; evaluators: string[] }[];
  /** Every bid with scores (ranked, then below a minimum), in ranking order, with a line per question. */
  scores: { bidder: string; lines: ReportPdfScoreLine[] }[];
}

/** A bid's scores for one question: its number ("2.1"), the agreed score ("4 of 5"), the points ("1.60") and each evaluator's own score in the question's order ("4, 4, 5"). */
export interface ReportPdfScoreLine {
  question: string;
  agreed: string;
  belowMinimum: boolean;
  points: string;
  evaluators: string;
}

export function reportPdfLots(lots: readonly ReportLot[]): ReportPdfLot[] {
  return lots.map(({ result, originalScores, minimumScores }) => {
    // Per question, everyone who scored it for any bid of the lot; each of the few names ranked once.
    const evaluatorsOf = new Map<string, Set<string>>();
    const questions = new Map<string, { label: string; scaleMax: number; weight: number }>();
    for (const b of result.bids) {
      for (const q of b.questionScores) {
        if (!questions.has(q.questionId)) questions.set(q.questionId, { label: q.label, scaleMax: q.scaleMax, weight: q.weight });
        const names = evaluatorsOf.get(q.questionId) ?? new Set<string>();
        for (const o of originalScores[b.bidId]?.[q.questionId] ?? []) names.add(o.evaluator);
        evaluatorsOf.set(q.questionId, names);
      }
    }
    const order = new Map<string, string[]>([...evaluatorsOf].map(([id, names]) => [id, [...names].sort(byName)]));
    const inWords = reportLotsInWords([{ result, originalScores, minimumScores }])[0]!;
    return {
      name: inWords.name,
      priceMethod: inWords.priceMethod,
      outcomeRule: inWords.outcomeRule,
      waitsOnTie: inWords.waitsOnTie,
      ranking: result.bids.map((b, i) => {
        const w = inWords.bids[i]!;
        const below = b.questionScores.filter((q) => q.belowMinimum).map((q) => q.label.split(" ")[0]);
        return {
          rank: w.rank,
          bidder: w.tieBreak ? `${w.bidder} (${w.tieBreak})` : w.bidder,
          quality: w.quality,
          price: w.price,
          priceScore: w.priceScore,
          total: w.total,
          outcome: w.recommended ? "Recommended" : w.scored ? "Not recommended" : w.status,
          // The questions' names and minimums are listed once under the scores, so a bid below a minimum names the numbers only.
          reason: w.scored ? null : b.status === "failed_minimum" && below.length > 0 ? `Below the minimum score on ${below.join(", ")}.` : w.reason,
        };
      }),
      questions: [...questions].map(([id, q]) => ({
        label: q.label,
        about: [`out of ${q.scaleMax}`, ...(minimumScores[id] === undefined ? [] : [`minimum ${minimumScores[id]}`]), `worth ${q.weight} ${q.weight === 1 ? "point" : "points"}`].join(", "),
        evaluators: order.get(id) ?? [],
      })),
      scores: result.bids
        .filter((b) => b.questionScores.length > 0)
        .map((b) => ({
          bidder: b.bidderName,
          lines: b.questionScores.map((q) => {
            const own = new Map((originalScores[b.bidId]?.[q.questionId] ?? []).map((o) => [o.evaluator, o.score]));
            const scores = (order.get(q.questionId) ?? []).map((name) => own.get(name) ?? "–").join(", ");
            return { question: q.label.split(" ")[0] ?? q.label, agreed: `${q.moderatedScore} of ${q.scaleMax}`, belowMinimum: q.belowMinimum, points: formatPoints(q.weightedScore), evaluators: scores || "none" };
          }),
        })),
    };
  });
}
