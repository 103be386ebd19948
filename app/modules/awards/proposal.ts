// What the officer's first draft of an award recommendation starts from, once
// the evaluation report is ready: per lot, the bids the scoring rules
// recommend, and a summary of the evaluation in words. Only a starting
// point: the officer changes it before saving, and nothing is stored here.
import type { Reader } from "#app/database/schema";
import { evaluationReport } from "#app/modules/evaluation/report";
import { formatPoints } from "#app/modules/evaluation/scoring";
import type { Actor } from "#app/modules/identity/actor";

export interface RecommendationProposal {
  /** Lot id → the recommended bids' ids (bid, not submission). */
  chosen: Record<string, string[]>;
  evaluationSummary: string;
}

export async function proposalFromEvaluation(db: Reader, tenderId: string, actor: Actor): Promise<RecommendationProposal | null> {
  const report = await evaluationReport(db, tenderId, actor);
  if (!report?.ready) return null;
  const submissionIds = report.lots.flatMap((l) => l.result.bids.map((b) => b.bidId));
  const bidOf = new Map(
    submissionIds.length
      ? (await db.selectFrom("bid_submission").select(["id", "bid_id"]).where("id", "in", submissionIds).execute()).map((r) => [r.id, r.bid_id] as const)
      : [],
  );
  const chosen: Record<string, string[]> = {};
  const lines = [`${report.bidders} ${report.bidders === 1 ? "bid was" : "bids were"} evaluated by a panel of ${report.panel.length}, with quality moderated before prices were opened.`];
  for (const { result } of report.lots) {
    const recommended = result.bids.filter((b) => b.outcome === "recommended");
    chosen[result.lotId] = recommended.map((b) => bidOf.get(b.bidId)).filter((id): id is string => id !== undefined);
    const first = result.bids.find((b) => b.rank === 1);
    const failed = result.bids.filter((b) => b.status !== "scored").map((b) => `${b.bidderName} (${b.failureReason ?? "did not pass"})`);
    lines.push(
      [
        `${result.lotName}:`,
        first ? `${first.bidderName} ranked first with ${formatPoints(first.total ?? 0)} points (quality ${formatPoints(first.qualityScore ?? 0)}, price ${formatPoints(first.priceScore ?? 0)}).` : "no bid was ranked.",
        `${recommended.length} ${recommended.length === 1 ? "bid is" : "bids are"} recommended: ${result.outcomeRule}`,
        failed.length ? `Not taken further: ${failed.join("; ")}.` : "",
      ]
        .filter(Boolean)
        .join(" "),
    );
  }
  return { chosen, evaluationSummary: lines.join("\n\n") };
}
