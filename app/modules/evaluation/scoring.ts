// The scoring rules of an evaluation, as pure functions: quality scores from
// moderated scores, minimum scores, price scores by the tender's method,
// totals, ranking and who each lot goes to. No database: the evaluation
// tables feed `scoreLot` and the report, and the award recommendation quote
// what it returns, explanation strings included.
//
// Points are whole hundredths ("centipoints": 3125 is 31.25 points). Every
// part score (one question's weighted score, the price score) is computed
// exactly in integers and rounded once, to the nearest hundredth, halves
// upwards; a total is the sum of its rounded parts, so the report's columns
// always add up to its totals. Amounts of money are whole pence.
import { formatPence } from "#app/modules/agreements/agreements";

export type LotKind = "framework" | "dynamic_market" | "block_contract" | "short_breaks";

/** How price is scored on a lot. */
export type PriceMethod =
  | { kind: "lowest_price" }
  | { kind: "relative_to_average" }
  /**
   * Bands in ascending order of price: a bid whose price is at most `upToPence`
   * (the last band has null: any price) scores `percentOfWeight` % of the price weight.
   */
  | { kind: "fixed_bands"; bands: readonly { upToPence: number | null; percentOfWeight: number }[] };

export interface ScoringQuestion {
  questionId: string;
  /** How the report names it, e.g. "Q3 Safeguarding". */
  label: string;
  /** Whole percentage points of the lot's total (tender_question_weight.weight). */
  weight: number;
  /** The highest score on the question's scale (tender_question_scale). */
  scaleMax: number;
  /** The lowest acceptable moderated score (tender_question.minimum_score), or null. */
  minimumScore: number | null;
}

export interface ScoringBid {
  bidId: string;
  bidderName: string;
  /** False when the compliance stage failed the bid; it goes no further. */
  compliant: boolean;
  nonComplianceReason?: string;
  /** The moderated score per question id. */
  moderatedScores: Readonly<Record<string, number>>;
  /** The price evaluated for this lot, in pence (see `evaluatedPricePence`). */
  pricePence: number;
}

export interface ScoringLot {
  lotId: string;
  lotName: string;
  kind: LotKind;
  questions: readonly ScoringQuestion[];
  /** Whole percentage points (tender_price_schedule.price_weight). */
  priceWeight: number;
  priceMethod: PriceMethod;
  bids: readonly ScoringBid[];
  /** Frameworks and dynamic markets: admit only the top N ranked bids, where the tender says so. */
  admitTopN?: number | null;
  /** Frameworks and dynamic markets: admit only bids whose total is at least this many centipoints. */
  admissionThreshold?: number | null;
  /** Bid ids in the order the officer recorded to break ties that scores leave. */
  officerTieOrder?: readonly string[];
}

export interface QuestionScore {
  questionId: string;
  label: string;
  moderatedScore: number;
  scaleMax: number;
  weight: number;
  /** centipoints */
  weightedScore: number;
  belowMinimum: boolean;
}

export type BidStatus = "non_compliant" | "failed_minimum" | "scored";

export interface BidResult {
  bidId: string;
  bidderName: string;
  status: BidStatus;
  /** Why the bid went no further, in words; null for a scored bid. */
  failureReason: string | null;
  questionScores: QuestionScore[];
  /** centipoints; null for a non-compliant bid */
  qualityScore: number | null;
  pricePence: number;
  /** centipoints; null unless scored */
  priceScore: number | null;
  priceExplanation: string | null;
  /** centipoints; null unless scored */
  total: number | null;
  /** 1 is best; null unless scored. Bids the rules and the officer cannot separate share a rank. */
  rank: number | null;
  /** What separated this bid from the one ranked just above it on equal totals, if anything. */
  tieBreak: "quality" | "officer" | null;
  outcome: "recommended" | "not_recommended";
}

export interface LotResult {
  lotId: string;
  lotName: string;
  kind: LotKind;
  priceMethodExplanation: string;
  outcomeRule: string;
  /** Ranked bids first, best first; then those that failed a minimum; then non-compliant ones. */
  bids: BidResult[];
  /** Groups of bid ids tied on total and quality that the officer has not ordered. */
  unresolvedTies: string[][];
  /** Whether the outcome waits on the officer ordering a tie that decides it. */
  outcomeBlockedByTie: boolean;
}

/** A moderated score is missing, or a figure is not one the rules can use. */
export class ScoringInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ScoringInputError";
  }
}

/** numerator / denominator rounded to the nearest whole number, halves upwards (both non-negative). */
export function roundHalfUp(numerator: bigint, denominator: bigint): number {
  if (denominator <= 0n || numerator < 0n) throw new RangeError("roundHalfUp takes a non-negative fraction with a positive denominator");
  return Number((2n * numerator + denominator) / (2n * denominator));
}

/** "31.25" from 3125 centipoints. */
export function formatPoints(centipoints: number): string {
  const sign = centipoints < 0 ? "-" : "";
  const abs = Math.abs(centipoints);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** A lot's evaluated price from its price items: each amount times its quantity (1 unless the tender sets a basket). */
export function evaluatedPricePence(items: readonly { amountPence: number; quantity?: number }[]): number {
  let total = 0n;
  for (const item of items) {
    const quantity = item.quantity ?? 1;
    if (!Number.isInteger(item.amountPence) || item.amountPence <= 0 || !Number.isInteger(quantity) || quantity < 0) {
      throw new ScoringInputError("Prices are whole pence above nothing and quantities whole numbers");
    }
    total += BigInt(item.amountPence) * BigInt(quantity);
  }
  if (total > BigInt(Number.MAX_SAFE_INTEGER)) throw new ScoringInputError("The evaluated price is too large");
  return Number(total);
}

/** One question's weighted score: moderated score / scale maximum × weight, in centipoints. */
export function weightedQuestionScore(moderatedScore: number, scaleMax: number, weight: number): number {
  if (!Number.isInteger(scaleMax) || scaleMax <= 0) throw new ScoringInputError("A question's scale must go above 0");
  if (!Number.isInteger(moderatedScore) || moderatedScore < 0 || moderatedScore > scaleMax) {
    throw new ScoringInputError(`A score of ${moderatedScore} is outside the scale 0 to ${scaleMax}`);
  }
  return roundHalfUp(BigInt(moderatedScore) * BigInt(weight) * 100n, BigInt(scaleMax));
}

/** In words, for the evaluation report: how the lot's price scores were worked out. */
export function explainPriceMethod(method: PriceMethod, priceWeight: number): string {
  switch (method.kind) {
    case "lowest_price":
      return `Price is worth ${priceWeight} points. The lowest price among the bids still in the evaluation scores all ${priceWeight}; every other bid scores ${priceWeight} × lowest price ÷ its price, so a bid twice the lowest price scores half.`;
    case "relative_to_average":
      return `Price is worth ${priceWeight} points, scored against the average price of the bids still in the evaluation. A bid at the average scores half (${formatPoints(priceWeight * 50)}); each 1% below the average adds 1% of the ${priceWeight} points, up to all of them at half the average or less; each 1% above takes 1% away, down to none at one and a half times the average or more.`;
    case "fixed_bands":
      return `Price is worth ${priceWeight} points, scored in fixed bands: ${method.bands
        .map((band, i) => {
          const from = i === 0 ? null : method.bands[i - 1]!.upToPence;
          const range = band.upToPence === null ? `above ${formatPence(from!)}` : from === null ? `up to ${formatPence(band.upToPence)}` : `above ${formatPence(from)} up to ${formatPence(band.upToPence)}`;
          return `${range} scores ${band.percentOfWeight}% (${formatPoints(priceWeight * band.percentOfWeight)} points)`;
        })
        .join("; ")}.`;
  }
}

function checkBands(method: Extract<PriceMethod, { kind: "fixed_bands" }>) {
  const bands = method.bands;
  if (bands.length === 0 || bands[bands.length - 1]!.upToPence !== null) {
    throw new ScoringInputError("Price bands must end with a band for any higher price");
  }
  for (let i = 0; i < bands.length; i++) {
    const band = bands[i]!;
    if (!Number.isInteger(band.percentOfWeight) || band.percentOfWeight < 0 || band.percentOfWeight > 100) {
      throw new ScoringInputError("A price band scores a whole percentage from 0 to 100 of the price weight");
    }
    if (i < bands.length - 1) {
      const upTo = band.upToPence;
      const previous = i === 0 ? 0 : bands[i - 1]!.upToPence!;
      if (upTo === null || !Number.isInteger(upTo) || upTo <= previous) throw new ScoringInputError("Price bands must rise in whole pence, each above the one before");
    }
  }
}

/**
 * Price scores (centipoints) with their explanation for each of `prices`
 * (pence), scored against all of them (the bids still in the evaluation).
 */
export function priceScores(prices: readonly number[], method: PriceMethod, priceWeight: number): { score: number; explanation: string }[] {
  if (!Number.isInteger(priceWeight) || priceWeight < 0 || priceWeight > 100) throw new ScoringInputError("The price weight is a whole number from 0 to 100");
  for (const p of prices) if (!Number.isInteger(p) || p <= 0) throw new ScoringInputError("Prices are whole pence above nothing");
  const max = BigInt(priceWeight) * 100n;
  switch (method.kind) {
    case "lowest_price": {
      const lowest = Math.min(...prices);
      return prices.map((p) => {
        const score = roundHalfUp(BigInt(lowest) * max, BigInt(p));
        return {
          score,
          explanation:
            p === lowest
              ? `${formatPence(p)} is the lowest price, so it scores all ${priceWeight} points.`
              : `${priceWeight} × ${formatPence(lowest)} (the lowest price) ÷ ${formatPence(p)} = ${formatPoints(score)} points.`,
        };
      });
    }
    case "relative_to_average": {
      // fraction = 1/2 + (average − price) / average = (3 × sum − 2 × n × price) / (2 × sum), held to 0…1.
      const n = BigInt(prices.length);
      const sum = prices.reduce((s, p) => s + BigInt(p), 0n);
      const average = roundHalfUp(sum, n);
      return prices.map((p) => {
        const numerator = 3n * sum - 2n * n * BigInt(p);
        const score = numerator <= 0n ? 0 : Math.min(Number(max), roundHalfUp(numerator * max, 2n * sum));
        return {
          score,
          explanation: `${formatPence(p)} against an average of ${formatPence(average)} scores ${formatPoints(score)} of ${priceWeight} points.`,
        };
      });
    }
    case "fixed_bands": {
      checkBands(method);
      return prices.map((p) => {
        const index = method.bands.findIndex((b) => b.upToPence === null || p <= b.upToPence);
        const band = method.bands[index]!;
        const score = priceWeight * band.percentOfWeight;
        return { score, explanation: `${formatPence(p)} falls in band ${index + 1}, which scores ${band.percentOfWeight}%: ${formatPoints(score)} of ${priceWeight} points.` };
      });
    }
  }
}

/** In words, for the evaluation report: whom the lot goes to or admits. */
export function outcomeRuleText(lot: Pick<ScoringLot, "kind" | "admitTopN" | "admissionThreshold">): string {
  if (lot.kind === "block_contract" || lot.kind === "short_breaks") {
    return "The lot goes to the top-ranked bid.";
  }
  const parts: string[] = [];
  if (lot.admissionThreshold != null) parts.push(`a total of at least ${formatPoints(lot.admissionThreshold)} points`);
  if (lot.admitTopN != null) parts.push(`a place in the top ${lot.admitTopN}`);
  const where = lot.kind === "framework" ? "the framework" : "the dynamic market";
  return parts.length === 0
    ? `Every compliant bid that meets each question's minimum score is admitted to ${where}.`
    : `Compliant bids that meet each question's minimum score are admitted to ${where} with ${parts.join(" and ")}.`;
}

/**
 * Scores, ranks and decides the outcome of one lot. Throws ScoringInputError
 * when a compliant bid lacks a moderated score for a question, or a figure is
 * outside the rules.
 */
export function scoreLot(lot: ScoringLot): LotResult {
  const qualityWeight = lot.questions.reduce((s, q) => s + q.weight, 0);
  if (qualityWeight + lot.priceWeight !== 100) {
    throw new ScoringInputError(`The weights of ${lot.lotName} make ${qualityWeight + lot.priceWeight}, not 100`);
  }
  if (lot.admitTopN != null && (!Number.isInteger(lot.admitTopN) || lot.admitTopN < 1)) throw new ScoringInputError("The number to admit must be 1 or more");
  const ids = new Set<string>();
  for (const bid of lot.bids) {
    if (ids.has(bid.bidId)) throw new ScoringInputError(`${bid.bidderName} appears twice in ${lot.lotName}`);
    ids.add(bid.bidId);
  }

  const results: BidResult[] = lot.bids.map((bid) => {
    const base = { bidId: bid.bidId, bidderName: bid.bidderName, pricePence: bid.pricePence, priceScore: null, priceExplanation: null, total: null, rank: null, tieBreak: null, outcome: "not_recommended" as const };
    if (!bid.compliant) {
      return { ...base, status: "non_compliant" as const, failureReason: bid.nonComplianceReason?.trim() || "The bid did not pass the compliance checks.", questionScores: [], qualityScore: null };
    }
    const questionScores = lot.questions.map((q): QuestionScore => {
      const moderated = bid.moderatedScores[q.questionId];
      if (moderated === undefined) throw new ScoringInputError(`${bid.bidderName} has no moderated score for ${q.label}`);
      return {
        questionId: q.questionId,
        label: q.label,
        moderatedScore: moderated,
        scaleMax: q.scaleMax,
        weight: q.weight,
        weightedScore: weightedQuestionScore(moderated, q.scaleMax, q.weight),
        belowMinimum: q.minimumScore !== null && moderated < q.minimumScore,
      };
    });
    const qualityScore = questionScores.reduce((s, q) => s + q.weightedScore, 0);
    const failed = questionScores.filter((q) => q.belowMinimum);
    if (failed.length > 0) {
      const reason = failed
        .map((q) => `${q.label} scored ${q.moderatedScore}, below its minimum of ${lot.questions.find((x) => x.questionId === q.questionId)!.minimumScore}`)
        .join("; ");
      return { ...base, status: "failed_minimum" as const, failureReason: `${reason}.`, questionScores, qualityScore };
    }
    return { ...base, status: "scored" as const, failureReason: null, questionScores, qualityScore };
  });

  const scored = results.filter((r) => r.status === "scored");
  if (scored.length > 0) {
    const prices = priceScores(scored.map((r) => r.pricePence), lot.priceMethod, lot.priceWeight);
    scored.forEach((r, i) => {
      r.priceScore = prices[i]!.score;
      r.priceExplanation = prices[i]!.explanation;
      r.total = r.qualityScore! + r.priceScore;
    });
  }

  // Ranking: higher total, then higher quality, then the officer's order.
  const officerIndex = new Map((lot.officerTieOrder ?? []).map((id, i) => [id, i] as const));
  const byScores = (a: BidResult, b: BidResult) => b.total! - a.total! || b.qualityScore! - a.qualityScore!;
  const byOfficer = (a: BidResult, b: BidResult) => (officerIndex.get(a.bidId) ?? Infinity) - (officerIndex.get(b.bidId) ?? Infinity);
  scored.sort((a, b) => byScores(a, b) || byOfficer(a, b) || a.bidderName.localeCompare(b.bidderName));
  const unresolvedTies: string[][] = [];
  scored.forEach((r, i) => {
    const above = scored[i - 1];
    if (!above || above.total !== r.total) {
      r.rank = i + 1;
      return;
    }
    if (above.qualityScore !== r.qualityScore) {
      r.rank = i + 1;
      r.tieBreak = "quality";
      return;
    }
    const ordered = officerIndex.has(above.bidId) && officerIndex.has(r.bidId);
    if (ordered) {
      r.rank = i + 1;
      r.tieBreak = "officer";
      return;
    }
    r.rank = above.rank;
    const group = unresolvedTies.find((g) => g.includes(above.bidId));
    if (group) group.push(r.bidId);
    else unresolvedTies.push([above.bidId, r.bidId]);
  });

  // Outcome.
  let outcomeBlockedByTie = false;
  if (lot.kind === "block_contract" || lot.kind === "short_breaks") {
    const top = scored[0];
    if (top) {
      if (scored.filter((r) => r.rank === 1).length > 1) outcomeBlockedByTie = true;
      else top.outcome = "recommended";
    }
  } else {
    const eligible = scored.filter((r) => lot.admissionThreshold == null || r.total! >= lot.admissionThreshold);
    const n = lot.admitTopN ?? Infinity;
    for (const r of eligible) if (r.rank! <= n) r.outcome = "recommended";
    // A shared rank straddling the cut-off: admitting all would exceed N, admitting none would fall short.
    if (Number.isFinite(n) && eligible.filter((r) => r.outcome === "recommended").length > n) {
      outcomeBlockedByTie = true;
      for (const r of eligible) r.outcome = "not_recommended";
    }
  }

  const order: Record<BidStatus, number> = { scored: 0, failed_minimum: 1, non_compliant: 2 };
  const others = results.filter((r) => r.status !== "scored").sort((a, b) => order[a.status] - order[b.status] || a.bidderName.localeCompare(b.bidderName));
  return {
    lotId: lot.lotId,
    lotName: lot.lotName,
    kind: lot.kind,
    priceMethodExplanation: explainPriceMethod(lot.priceMethod, lot.priceWeight),
    outcomeRule: outcomeRuleText(lot),
    bids: [...scored, ...others],
    unresolvedTies,
    outcomeBlockedByTie,
  };
}
