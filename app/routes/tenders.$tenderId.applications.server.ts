// What the officers' dynamic-market pages do first: the market (404 for an
// unknown id, a draft another council may not know of, or a tender that is
// not a dynamic market) and the policy's action on it. A provider asking is
// told the page does not exist (decision 006).
import type { Actor } from "#app/modules/identity/actor";
import { isDynamicMarket } from "#app/modules/tendering/dynamic-markets";
import { getTender, tenderThing, type TenderView } from "#app/modules/tendering/tenders";
import type { Action } from "#app/policy/policy";
import type { PortalContext } from "#app/web/context";
import { authorise, notFound, requireActor } from "#app/web/guard.server";

export async function marketForOfficers(request: Request, portal: PortalContext, tenderId: string | undefined, action: Action): Promise<{ view: TenderView; actor: Actor }> {
  requireActor(request, portal);
  const view = await getTender(portal.db, tenderId ?? "");
  if (!view || !isDynamicMarket(view.tender) || view.tender.published_at === null) throw notFound();
  return { view, actor: authorise(request, portal, action, tenderThing(view)) };
}

