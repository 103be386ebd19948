// What the Portfolio Holder's consultation page and the Chief Officer's
// decision page both start from: the recommendation (found and asked of the
// policy as the award pages do) and its latest round, or a redirect back to
// the recommendation when it is not at a step this page takes.
import { redirect } from "@remix-run/node";
import type { AwardRecommendationStatus } from "#app/database/schema";
import type { Recommendation } from "#app/modules/awards/recommendations";
import type { RoundView } from "#app/components/awards/Recommendation";
import type { PortalContext } from "./context";
import { recommendationFor, roundViews } from "./awards.server";

export async function roundToActOn(
  request: Request,
  portal: PortalContext,
  id: string | undefined,
  action: "award.consult" | "award.decide",
  statuses: readonly AwardRecommendationStatus[],
): Promise<{ recommendation: Recommendation; latest: RoundView; page: { id: string; tenderTitle: string; content: RoundView["content"]; route: string } }> {
  const { recommendation } = await recommendationFor(request, portal, id, action);
  const latest = roundViews(recommendation).at(-1);
  if (!latest || !statuses.includes(recommendation.status)) throw redirect(`/decisions/${recommendation.id}`);
  return { recommendation, latest, page: { id: recommendation.id, tenderTitle: recommendation.tender.title, content: latest.content, route: latest.route } };
}
