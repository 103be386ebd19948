// What the officers' participation pages do first: the tender (404 for an
// unknown id, a tender without a participation stage, or another council's)
// and the policy's action on it. A provider asking is told the page does not
// exist (decision 006).
import type { Actor } from "#app/modules/identity/actor";
import { getTender, tenderThing, type TenderView } from "#app/modules/tendering/tenders";
import type { Action } from "#app/policy/policy";
import type { PortalContext } from "#app/web/context";
import { authorise, notFound, requireActor } from "#app/web/guard.server";

export async function participationForOfficers(request: Request, portal: PortalContext, tenderId: string | undefined, action: Action): Promise<{ view: TenderView; actor: Actor }> {
  requireActor(request, portal);
  const view = await getTender(portal.db, tenderId ?? "");
  if (!view || !view.tender.participation_stage) throw notFound();
  return { view, actor: authorise(request, portal, action, tenderThing(view)) };
}
