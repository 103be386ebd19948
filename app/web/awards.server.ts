// How the award pages find a recommendation and ask the policy, and the
// words its rounds are shown in. Another council's recommendation, or one
// the person may not see, is not found (decision 006).
import { CONSULTATION_RESPONSES, DECISION_OUTCOMES } from "#app/modules/awards/decisions";
import { delegationWording, recommendationById, type Recommendation } from "#app/modules/awards/recommendations";
import { RecordNotFound } from "#app/modules/errors";
import type { Actor } from "#app/modules/identity/actor";
import { getTender, tenderThing } from "#app/modules/tendering/tenders";
import type { Action } from "#app/policy/policy";
import type { RoundView } from "#app/components/awards/Recommendation";
import type { PortalContext } from "./context";
import { authorise, notFound, requireActor } from "./guard.server";

export async function recommendationFor(request: Request, portal: PortalContext, id: string | undefined, action: Action): Promise<{ recommendation: Recommendation; actor: Actor; thing: ReturnType<typeof tenderThing> }> {
  const signedIn = requireActor(request, portal);
  let recommendation: Recommendation;
  try {
    recommendation = await recommendationById(portal.db, id ?? "", signedIn);
  } catch (error) {
    if (error instanceof RecordNotFound) throw notFound();
    throw error;
  }
  const view = await getTender(portal.db, recommendation.tender.id);
  if (!view) throw notFound();
  const thing = tenderThing(view);
  const actor = authorise(request, portal, action, thing);
  return { recommendation, actor, thing };
}

export function roundViews(recommendation: Recommendation): RoundView[] {
  return recommendation.rounds.map((r) => ({
    round: r.round,
    content: r.content,
    submittedAt: r.submittedAt,
    submittedBy: r.submittedBy,
    route: r.decision?.delegation ?? delegationWording(r.consultationRequired, r.thresholdPence),
    consultationRequired: r.consultationRequired,
    consultation: r.consultation ? { ...r.consultation, response: CONSULTATION_RESPONSES[r.consultation.response] } : null,
    decision: r.decision ? { ...r.decision, outcome: DECISION_OUTCOMES[r.decision.outcome] } : null,
  }));
}
