// What every bid page's loader and action does first: the tender (404 for a
// draft or unknown id), the policy's bid.edit, and the acting provider's own
// draft. The draft is found through the actor's organisation only.
import type { Actor } from "#app/modules/identity/actor";
import { getOwnBid, type BidDraft } from "#app/modules/tendering/bids";
import { getTender, tenderThing, type TenderView } from "#app/modules/tendering/tenders";
import type { PortalContext } from "./context";
import { authorise, notFound, requireActor } from "./guard.server";

export interface BidPage {
  actor: Actor;
  view: TenderView;
  draft: BidDraft | null;
}

export async function bidPage(request: Request, portal: PortalContext, tenderId: string | undefined): Promise<BidPage> {
  requireActor(request, portal);
  const view = await getTender(portal.db, tenderId ?? "");
  if (!view) throw notFound();
  const actor = authorise(request, portal, "bid.edit", tenderThing(view));
  return { actor, view, draft: await getOwnBid(portal.db, view.tender.id, actor) };
}

/** The page for a started draft: without one, back to the bid's overview to start it. */
export async function startedBidPage(request: Request, portal: PortalContext, tenderId: string | undefined): Promise<BidPage & { draft: BidDraft }> {
  const page = await bidPage(request, portal, tenderId);
  if (!page.draft) throw notFound();
  return page as BidPage & { draft: BidDraft };
}
