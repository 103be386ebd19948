import { describe, expect, it } from "vitest";
import {
  evaluatedPricePence,
  explainPriceMethod,
  formatPoints,
  priceScores,
  roundHalfUp,
  scoreLot,
  ScoringInputError,
  weightedQuestionScore,
  type ScoringBid,
  type ScoringLot,
} from "#app/modules/evaluation/scoring";

const q1 = { questionId: "q1", label: "Q1 Safeguarding", weight: 30, scaleMax: 5, minimumScore: 2 };
const q2 = { questionId: "q2", label: "Q2 Education", weight: 30, scaleMax: 5, minimumScore: null };

function bid(id: string, scores: Record<string, number>, pricePence: number, extra: Partial<ScoringBid> = {}): ScoringBid {
  return { bidId: id, bidderName: `Provider ${id}`, compliant: true, moderatedScores: scores, pricePence, ...extra };
}

function lot(bids: ScoringBid[], extra: Partial<ScoringLot> = {}): ScoringLot {
  return { lotId: "lot", lotName: "Lot 1", kind: "block_contract", questions: [q1, q2], priceWeight: 40, priceMethod: { kind: "lowest_price" }, bids, ...extra };
}

describe("rounding", () => {
  it("rounds to the nearest hundredth of a point, halves upwards, exactly", () => {
    expect(roundHalfUp(9375n, 10n)).toBe(938);
    expect(roundHalfUp(9374n, 10n)).toBe(937);
    expect(roundHalfUp(1n, 3n)).toBe(0);
    expect(roundHalfUp(2n, 3n)).toBe(1);
    // 3 of 8 at weight 25 is 9.375 points: 9.38, not the 9.37 floating point gives with toFixed.
    expect(weightedQuestionScore(3, 8, 25)).toBe(938);
    expect((9.375).toFixed(2)).toBe("9.38");
    // 1 of 7 at weight 33 is 4.714285… points.
    expect(weightedQuestionScore(1, 7, 33)).toBe(471);
    // lowest 1p, bid 8p, weight 1: 0.125 points rounds up to 0.13.
    expect(priceScores([1, 8], { kind: "lowest_price" }, 1).map((p) => p.score)).toEqual([100, 13]);
  });

  it("writes points with two decimals", () => {
    expect(formatPoints(3125)).toBe("31.25");
    expect(formatPoints(5)).toBe("0.05");
    expect(formatPoints(4000)).toBe("40.00");
  });

  it("refuses scores outside the scale and scales that do not go above 0", () => {
    expect(() => weightedQuestionScore(6, 5, 10)).toThrow("outside the scale 0 to 5");
    expect(() => weightedQuestionScore(-1, 5, 10)).toThrow(ScoringInputError);
    expect(() => weightedQuestionScore(2.5, 5, 10)).toThrow(ScoringInputError);
    expect(() => weightedQuestionScore(0, 0, 10)).toThrow("scale must go above 0");
  });

  it("adds a lot's price items, times their quantities, in whole pence", () => {
    expect(evaluatedPricePence([{ amountPence: 350000 }, { amountPence: 4250, quantity: 20 }])).toBe(435000);
    expect(() => evaluatedPricePence([{ amountPence: 10.5 }])).toThrow(ScoringInputError);
  });
});

describe("quality scores and minimum scores", () => {
  it("scores each question as moderated score ÷ scale maximum × weight and adds them", () => {
    const result = scoreLot(lot([bid("A", { q1: 4, q2: 3 }, 100000)]));
    const a = result.bids[0]!;
    expect(a.questionScores.map((q) => q.weightedScore)).toEqual([2400, 1800]);
    expect(a.qualityScore).toBe(4200);
    expect(a.priceScore).toBe(4000);
    expect(a.total).toBe(8200);
  });

  it("fails a bid below a question's minimum, naming the question, and leaves it out of the price comparison", () => {
    const result = scoreLot(lot([bid("A", { q1: 4, q2: 3 }, 100000), bid("C", { q1: 1, q2: 5 }, 50000)]));
    const c = result.bids.find((b) => b.bidId === "C")!;
    expect(c.status).toBe("failed_minimum");
    expect(c.failureReason).toBe("Q1 Safeguarding scored 1, below its minimum of 2.");
    expect(c.rank).toBeNull();
    expect(c.total).toBeNull();
    expect(c.outcome).toBe("not_recommended");
    // C's lower price does not count: A has the lowest price of the bids still in.
    expect(result.bids.find((b) => b.bidId === "A")!.priceScore).toBe(4000);
  });

  it("takes a non-compliant bid no further and gives its reason", () => {
    const result = scoreLot(lot([bid("A", { q1: 4, q2: 3 }, 100000), bid("D", {}, 10, { compliant: false, nonComplianceReason: "No Ofsted registration certificate." })]));
    const d = result.bids.at(-1)!;
    expect(d).toMatchObject({ bidId: "D", status: "non_compliant", failureReason: "No Ofsted registration certificate.", qualityScore: null, rank: null });
  });

  it("refuses to score a compliant bid that lacks a moderated score", () => {
    expect(() => scoreLot(lot([bid("A", { q1: 4 }, 100000)]))).toThrow("Provider A has no moderated score for Q2 Education");
  });

  it("refuses weights that do not make 100, and a bid listed twice", () => {
    expect(() => scoreLot(lot([bid("A", { q1: 4, q2: 3 }, 100000)], { priceWeight: 30 }))).toThrow("make 90, not 100");
    expect(() => scoreLot(lot([bid("A", { q1: 4, q2: 3 }, 1), bid("A", { q1: 4, q2: 3 }, 1)]))).toThrow("appears twice");
  });
});

describe("price scores", () => {
  it("lowest price: lowest ÷ price × weight, explained", () => {
    const scores = priceScores([100000, 125000, 300000], { kind: "lowest_price" }, 40);
    expect(scores.map((s) => s.score)).toEqual([4000, 3200, 1333]);
    expect(scores[0]!.explanation).toBe("£1,000 is the lowest price, so it scores all 40 points.");
    expect(scores[1]!.explanation).toBe("40 × £1,000 (the lowest price) ÷ £1,250 = 32.00 points.");
    expect(explainPriceMethod({ kind: "lowest_price" }, 40)).toContain("40 × lowest price ÷ its price");
  });

  it("relative to the average: half the weight at the average, all at half of it, none at one and a half times", () => {
    expect(priceScores([100, 200, 300], { kind: "relative_to_average" }, 40).map((s) => s.score)).toEqual([4000, 2000, 0]);
    expect(priceScores([100, 1000], { kind: "relative_to_average" }, 40).map((s) => s.score)).toEqual([4000, 0]);
    // average 110p; 100p is 9.09…% below it: 40 × (0.5 + 10/110) = 23.6363… → 23.64
    expect(priceScores([100, 120], { kind: "relative_to_average" }, 40).map((s) => s.score)).toEqual([2364, 1636]);
    expect(priceScores([100, 120], { kind: "relative_to_average" }, 40)[0]!.explanation).toBe("£1 against an average of £1.10 scores 23.64 of 40 points.");
  });

  it("fixed bands: the band's percentage of the weight, a band's upper price included", () => {
    const method = { kind: "fixed_bands" as const, bands: [{ upToPence: 100000, percentOfWeight: 100 }, { upToPence: 150000, percentOfWeight: 50 }, { upToPence: null, percentOfWeight: 0 }] };
    expect(priceScores([100000, 100001, 150000, 200000], method, 40).map((s) => s.score)).toEqual([4000, 2000, 2000, 0]);
    expect(explainPriceMethod(method, 40)).toBe(
      "Price is worth 40 points, scored in fixed bands: up to £1,000 scores 100% (40.00 points); above £1,000 up to £1,500 scores 50% (20.00 points); above £1,500 scores 0% (0.00 points).",
    );
  });

  it("refuses bands that do not rise or leave higher prices unscored", () => {
    expect(() => priceScores([1], { kind: "fixed_bands", bands: [{ upToPence: 100, percentOfWeight: 100 }] }, 40)).toThrow("any higher price");
    expect(() =>
      priceScores([1], { kind: "fixed_bands", bands: [{ upToPence: 100, percentOfWeight: 100 }, { upToPence: 50, percentOfWeight: 50 }, { upToPence: null, percentOfWeight: 0 }] }, 40),
    ).toThrow("must rise");
  });
});

describe("ranking and ties", () => {
  const single = { questions: [{ questionId: "q", label: "Q1", weight: 60, scaleMax: 5, minimumScore: null }] };

  it("ranks by total, and breaks an equal total by the higher quality score", () => {
    // X: 60.00 quality + 28.00 price; Y: 48.00 + 40.00. Both 88.00.
    const result = scoreLot(lot([bid("Y", { q: 4 }, 700), bid("X", { q: 5 }, 1000)], single));
    expect(result.bids.map((b) => [b.bidId, b.total, b.rank, b.tieBreak])).toEqual([
      ["X", 8800, 1, null],
      ["Y", 8800, 2, "quality"],
    ]);
    expect(result.unresolvedTies).toEqual([]);
    expect(result.bids[0]!.outcome).toBe("recommended");
  });

  it("leaves a tie on total and quality to the officer: shared rank, no block contract awarded", () => {
    const result = scoreLot(lot([bid("P", { q: 4 }, 500), bid("Q", { q: 4 }, 500)], single));
    expect(result.bids.map((b) => b.rank)).toEqual([1, 1]);
    expect(result.unresolvedTies).toEqual([["P", "Q"]]);
    expect(result.outcomeBlockedByTie).toBe(true);
    expect(result.bids.every((b) => b.outcome === "not_recommended")).toBe(true);
  });

  it("follows the order the officer recorded", () => {
    const result = scoreLot(lot([bid("P", { q: 4 }, 500), bid("Q", { q: 4 }, 500)], { ...single, officerTieOrder: ["Q", "P"] }));
    expect(result.bids.map((b) => [b.bidId, b.rank, b.tieBreak, b.outcome])).toEqual([
      ["Q", 1, null, "recommended"],
      ["P", 2, "officer", "not_recommended"],
    ]);
    expect(result.outcomeBlockedByTie).toBe(false);
  });
});

describe("outcome by lot kind", () => {
  const single = { questions: [{ questionId: "q", label: "Q1", weight: 60, scaleMax: 5, minimumScore: 2 }] };
  // Totals: A 100.00, B 88.00, C 76.00, E 64.00 (all at the same price, so each scores 40.00 for price)
  const bids = [bid("A", { q: 5 }, 1000), bid("B", { q: 4 }, 1000), bid("C", { q: 3 }, 1000), bid("E", { q: 2 }, 1000), bid("F", { q: 1 }, 1000)];
  const recommended = (l: ScoringLot) => scoreLot(l).bids.filter((b) => b.outcome === "recommended").map((b) => b.bidId);

  it("a framework admits every compliant bid that meets the minimums", () => {
    expect(recommended(lot(bids, { ...single, kind: "framework" }))).toEqual(["A", "B", "C", "E"]);
    expect(scoreLot(lot(bids, { ...single, kind: "framework" })).outcomeRule).toBe("Every compliant bid that meets each question's minimum score is admitted to the framework.");
  });

  it("a framework with a threshold admits those at or above it; with a top N, the best N", () => {
    expect(recommended(lot(bids, { ...single, kind: "framework", admissionThreshold: 7600 }))).toEqual(["A", "B", "C"]);
    expect(recommended(lot(bids, { ...single, kind: "dynamic_market", admitTopN: 2 }))).toEqual(["A", "B"]);
    expect(recommended(lot(bids, { ...single, kind: "framework", admitTopN: 3, admissionThreshold: 8000 }))).toEqual(["A", "B"]);
  });

  it("a top N cut-off through an unordered tie waits for the officer", () => {
    const tied = [bid("A", { q: 5 }, 1000), bid("B", { q: 4 }, 1000), bid("B2", { q: 4 }, 1000)];
    const result = scoreLot(lot(tied, { ...single, kind: "framework", admitTopN: 2 }));
    expect(result.outcomeBlockedByTie).toBe(true);
    expect(recommended(lot(tied, { ...single, kind: "framework", admitTopN: 2, officerTieOrder: ["B2", "B"] }))).toEqual(["A", "B2"]);
  });

  it("block contract and short-breaks lots go to the top-ranked bid only", () => {
    expect(recommended(lot(bids, { ...single, kind: "block_contract" }))).toEqual(["A"]);
    expect(recommended(lot(bids, { ...single, kind: "short_breaks" }))).toEqual(["A"]);
  });

  it("a lot with no bids left recommends no one", () => {
    const result = scoreLot(lot([bid("F", { q: 1 }, 1000)], { ...single, kind: "block_contract" }));
    expect(result.bids[0]!.outcome).toBe("not_recommended");
    expect(result.outcomeBlockedByTie).toBe(false);
  });
});
