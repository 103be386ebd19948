// What the evaluation report PDF is given (reportPdfLots) and how it lines
// its figures up (scoreRows, rankingRows): each question names its scale,
// minimum, weight and evaluators once, a bid's line gives their scores in
// that order with "–" where one has none, and no line is lost or reordered
// however many questions there are.
import { describe, expect, it } from "vitest";
import { rankingRows, scoreRows } from "#app/modules/evaluation/EvaluationReport.pdf";
import { reportPdfLots, type ReportPdfScoreLine } from "#app/modules/evaluation/report";
import { scoreLot, type ScoringBid } from "#app/modules/evaluation/scoring";

const questions = [
  { questionId: "q1", label: "2.1 Safeguarding", weight: 30, scaleMax: 5, minimumScore: 2 },
  { questionId: "q2", label: "2.2 Education", weight: 30, scaleMax: 5, minimumScore: null },
];
const bid = (id: string, scores: Record<string, number>, pricePence: number, extra: Partial<ScoringBid> = {}): ScoringBid => ({
  bidId: id,
  bidderName: `Provider ${id}`,
  compliant: true,
  moderatedScores: scores,
  pricePence,
  ...extra,
});

describe("the evaluation report PDF's data", () => {
  const result = scoreLot({
    lotId: "lot",
    lotName: "Lot 1: Eight beds",
    kind: "block_contract",
    questions,
    priceWeight: 40,
    priceMethod: { kind: "lowest_price" },
    bids: [bid("A", { q1: 4, q2: 3 }, 100000), bid("B", { q1: 1, q2: 5 }, 90000), bid("C", {}, 80000, { compliant: false, nonComplianceReason: "No Ofsted registration certificate." })],
  });
  const [lot] = reportPdfLots([
    {
      result,
      originalScores: {
        A: { q1: [{ evaluator: "Tom Reed", score: 4 }, { evaluator: "Asha Patel", score: 5 }], q2: [{ evaluator: "Asha Patel", score: 3 }, { evaluator: "Tom Reed", score: 3 }] },
        // Tom was excluded from B's bid for a conflict: only Asha scored it.
        B: { q1: [{ evaluator: "Asha Patel", score: 1 }], q2: [{ evaluator: "Asha Patel", score: 5 }] },
      },
      minimumScores: { q1: 2 },
    },
  ]);

  it("names each question once with its scale, minimum, weight and evaluators in order of name, and gives each bid's scores in that order", () => {
    expect(lot!.questions).toEqual([
      { label: "2.1 Safeguarding", about: "out of 5, minimum 2, worth 30 points", evaluators: ["Asha Patel", "Tom Reed"] },
      { label: "2.2 Education", about: "out of 5, worth 30 points", evaluators: ["Asha Patel", "Tom Reed"] },
    ]);
    expect(lot!.scores).toEqual([
      {
        bidder: "Provider A",
        lines: [
          { question: "2.1", agreed: "4 of 5", belowMinimum: false, points: "24.00", evaluators: "5, 4" },
          { question: "2.2", agreed: "3 of 5", belowMinimum: false, points: "18.00", evaluators: "3, 3" },
        ],
      },
      {
        bidder: "Provider B",
        lines: [
          { question: "2.1", agreed: "1 of 5", belowMinimum: true, points: "6.00", evaluators: "1, –" },
          { question: "2.2", agreed: "5 of 5", belowMinimum: false, points: "30.00", evaluators: "5, –" },
        ],
      },
    ]);
  });

  it("ranks every bid, and says under a failed one why, naming only the numbers of questions below their minimum", () => {
    expect(lot!.ranking.map((r) => [r.rank, r.bidder, r.outcome, r.reason])).toEqual([
      ["1", "Provider A", "Recommended", null],
      ["–", "Provider B", "Below a minimum score", "Below the minimum score on 2.1."],
      ["–", "Provider C", "Not compliant", "No Ofsted registration certificate."],
    ]);
  });

  it("lines the ranking's figures up under their headings, whatever their widths", () => {
    const { head, rows } = rankingRows(lot!);
    expect(head.figures).toBe("Quality      Price  Price score  Total");
    expect(rows.map((r) => r.figures)).toEqual([
      "  42.00  £1,000.00        40.00  82.00",
      "  36.00    £900.00            –      –",
      "      –    £800.00            –      –",
    ]);
    expect(new Set([head.rank, ...rows.map((r) => r.rank)].map((rank) => rank.length)).size).toBe(1);
  });

  it("puts a bid's lines in three columns, read down, their fields lined up and a score below the minimum marked", () => {
    expect(scoreRows(lot!)).toEqual([["2.1  4 of 5   24.00  5, 4    2.2  3 of 5   18.00  3, 3"], ["2.1  1 of 5*   6.00  1, –    2.2  5 of 5   30.00  5, –"]]);
  });
});

describe("a bid's score lines in columns", () => {
  const lines = (n: number): ReportPdfScoreLine[] => Array.from({ length: n }, (_, i) => ({ question: `2.${i + 1}`, agreed: "4 of 5", belowMinimum: false, points: "1.60", evaluators: "4, 4, 5" }));
  const read = (rows: string[], columns: number) => {
    // Back to the lines in order: down the first column, then the next.
    const cells = rows.map((row) => row.split(/ {4,}/));
    return Array.from({ length: columns }, (_, c) => cells.map((r) => r[c]).filter((cell): cell is string => cell !== undefined)).flat();
  };

  it("puts 30 questions in three columns of ten, in order, every line within the page's width", () => {
    const [rows] = scoreRows({ scores: [{ bidder: "A", lines: lines(30) }] });
    expect(rows).toHaveLength(10);
    expect(read(rows!, 3).map((cell) => cell.split(" ")[0])).toEqual(lines(30).map((l) => l.question));
    expect(Math.max(...rows!.map((r) => r.length))).toBeLessThanOrEqual(114);
  });

  it("keeps every line, in order, with fewer columns when the lines are too wide for three", () => {
    for (const n of [1, 2, 4, 44, 45, 46]) {
      const [rows] = scoreRows({ scores: [{ bidder: "A", lines: lines(n) }] });
      expect(read(rows!, 3).map((cell) => cell.split(" ")[0])).toEqual(lines(n).map((l) => l.question));
    }
    const wide = lines(6).map((l) => ({ ...l, evaluators: "4, 4, 5, 3, 2, 5, 4, 4, 3, 1, 2, 5" }));
    const [rows] = scoreRows({ scores: [{ bidder: "A", lines: wide }] });
    expect(rows).toHaveLength(3);
    expect(Math.max(...rows!.map((r) => r.length))).toBeLessThanOrEqual(114);
  });
});
