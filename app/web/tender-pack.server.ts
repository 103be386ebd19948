// What the clarifications and documents pages of a tender load first: the
// tender, if this person may read it (a draft only for its council's staff;
// anyone else is told it does not exist), and how its pack meets them.
import { getTender, tenderThing, type TenderView } from "#app/modules/tendering/tenders";
import { tenderPackThing } from "#app/modules/tendering/documents";
import { mayReadTender } from "#app/policy/policy";
import type { PortalContext } from "./context";
import { notFound } from "./guard.server";

export async function readableTender(portal: PortalContext, tenderId: string | undefined) {
  const view: TenderView | null = await getTender(portal.db, tenderId ?? "");
  if (!view) throw notFound();
  const tender = tenderThing(view);
  if (!mayReadTender(portal.actor, tender).allowed) throw notFound();
  return { view, tender, pack: await tenderPackThing(portal.db, view, portal.actor) };
}
