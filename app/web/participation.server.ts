// What the tender page shows of a two-stage competitive flexible tender: the
// stage in words, to a provider its own request's result (and why it may not
// bid yet), to the lead council's officers who passed. Nothing for other tenders.
import type { Actor } from "#app/modules/identity/actor";
import { bidEligibility, ownRequest, participationRequests, REQUEST_STATUS_LABELS, requestStatus, stageInWords } from "#app/modules/tendering/participation";
import { tenderThing, type TenderView } from "#app/modules/tendering/tenders";
import { allowed } from "#app/policy/policy";
import type { PortalContext } from "#app/web/context";

export interface ParticipationOnTender {
  stage: string;
  /** A provider: where its request stands; null when it has none. */
  ownResult: string | null;
  mayRequest: boolean;
  /** A provider that may not bid yet, and why. */
  bidBlocked: string | null;
  /** The lead council's officers: the page with the requests, and who passed. */
  mayViewRequests: boolean;
  passed: string[] | null;
}

export async function participationOnTender(portal: PortalContext, view: TenderView, actor: Actor | null, now: Date): Promise<ParticipationOnTender | null> {
  const t = view.tender;
  const stage = stageInWords(t, now);
  if (!stage) return null;
  const thing = tenderThing(view);
  const mayRequest = actor !== null && t.status === "published" && allowed(actor, "participation.request", thing);
  const mayViewRequests = actor !== null && allowed(actor, "participation.viewRequests", thing);
  const own = mayRequest && actor ? await ownRequest(portal.db, t.id, actor.organisationId) : null;
  const eligibility = mayRequest && actor ? await bidEligibility(portal.db, t.id, actor.organisationId, now) : null;
  const passed =
    mayViewRequests && t.status !== "draft" ? (await participationRequests(portal.db, t.id)).filter((r) => requestStatus(r) === "passed").map((r) => r.organisationName) : null;
  return {
    stage,
    ownResult: own ? REQUEST_STATUS_LABELS[requestStatus(own)] : null,
    mayRequest,
    bidBlocked: eligibility && !eligibility.allowed ? eligibility.reason : null,
    mayViewRequests,
    passed,
  };
}
