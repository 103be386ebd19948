// How every tender page finds its tender and asks the policy: a tender the
// person may not read is not found (decision 006), whatever the page.
import { getTender, tenderThing, type TenderView } from "#app/modules/tendering/tenders";
import type { Actor } from "#app/modules/identity/actor";
import { mayReadTender, type Action } from "#app/policy/policy";
import type { PortalContext } from "#app/web/context";
import { authorise, notFound, requireActor } from "#app/web/guard.server";

/** The tender if this person may read it (anyone, once published); otherwise a 404 is thrown. */
export async function readableTender(portal: PortalContext, tenderId: string | undefined): Promise<TenderView> {
  const view = await getTender(portal.db, tenderId ?? "");
  if (!view || !mayReadTender(portal.actor, tenderThing(view)).allowed) throw notFound();
  return view;
}

/** The tender and the actor, if the policy lets them take `action` on it (sign in, 403 or 404 otherwise). */
export async function tenderFor(
  request: Request,
  portal: PortalContext,
  tenderId: string | undefined,
  action: Action = "tender.manage",
): Promise<{ view: TenderView; actor: Actor }> {
  // Signed out, every id asks for sign-in, so none can be probed.
  requireActor(request, portal);
  const view = await getTender(portal.db, tenderId ?? "");
  // No such tender, and one the person may not even read, are the same answer.
  if (!view || !mayReadTender(portal.actor, tenderThing(view)).allowed) throw notFound();
  const actor = authorise(request, portal, action, tenderThing(view));
  return { view, actor };
}
