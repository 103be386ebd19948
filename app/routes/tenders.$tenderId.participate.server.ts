// What every page of a provider's request to participate does first: the
// tender (404 for a draft, an unknown id or a tender without a participation
// stage), the policy's participation.request, and the acting provider's own
// request, found through its organisation only.
import { redirect } from "@remix-run/node";
import type { Actor } from "#app/modules/identity/actor";
import type { ApplicationView, Condition } from "#app/modules/tendering/dynamic-markets";
import { isInterested } from "#app/modules/tendering/interest";
import { answerRequestCondition, ownRequest, participationConditions, participationStage, requestProblems, submitRequest, type Stage } from "#app/modules/tendering/participation";
import { getTender, tenderThing, type TenderView } from "#app/modules/tendering/tenders";
import type { ConditionsFlow } from "#app/web/conditions.server";
import type { PortalContext } from "#app/web/context";
import { authorise, notFound, requireActor } from "#app/web/guard.server";
import { participatePath } from "#app/web/participation-paths";

export interface RequestPage {
  actor: Actor;
  view: TenderView;
  stage: Stage;
  interested: boolean;
  conditions: Condition[];
  request: ApplicationView | null;
}

export async function requestPage(request: Request, portal: PortalContext, tenderId: string | undefined): Promise<RequestPage> {
  requireActor(request, portal);
  const view = await getTender(portal.db, tenderId ?? "");
  if (!view || !view.tender.participation_stage) throw notFound();
  const actor = authorise(request, portal, "participation.request", tenderThing(view));
  const [conditions, own, interested] = await Promise.all([
    participationConditions(portal.db, view.tender.id),
    ownRequest(portal.db, view.tender.id, actor.organisationId),
    isInterested(portal.db, view.tender.id, actor.organisationId),
  ]);
  return { actor, view, stage: participationStage(view.tender, new Date()), interested, conditions, request: own };
}

/** A page that changes the draft: without a draft (or once requests have closed), back to the overview. */
export async function draftRequestPage(request: Request, portal: PortalContext, tenderId: string | undefined) {
  const page = await requestPage(request, portal, tenderId);
  if (!page.request || page.request.status !== "draft" || page.stage !== "requests") throw redirect(participatePath(page.view.tender.id));
  return page as RequestPage & { request: ApplicationView };
}

/** The request's condition, check and file pages (app/web/conditions.server.ts). */
export const participateFlow: ConditionsFlow = {
  kind: "participation",
  path: participatePath,
  draftPage: async (request, portal, tenderId) => {
    const page = await draftRequestPage(request, portal, tenderId);
    return { ...page, draft: page.request };
  },
  // Requests are assessed after the participation deadline: documents must last to its day.
  evidenceDeadline: (view) => view.tender.participation_deadline_at,
  answer: answerRequestCondition,
  submit: submitRequest,
  problems: requestProblems,
  // The page it lands on says what happens next.
  submitted: { title: "Your request to participate has been submitted" },
};
