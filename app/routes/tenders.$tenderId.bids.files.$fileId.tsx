// A file of a submitted bid (uploaded, or a document from the provider's
// evidence library) for the tender's council staff, only once two officers
// have opened the bids: before that the policy refuses and the opening
// module seals it; another council's staff are told it does not exist.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { RecordNotFound } from "#app/modules/errors";
import { BidsSealed, bidsOpened, openedBidFile } from "#app/modules/tendering/opening";
import { getTender, tenderThing } from "#app/modules/tendering/tenders";
import { fileDownload } from "#app/web/file-download.server";
import { authorise, notFound, requireActor } from "#app/web/guard.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  requireActor(request, portal);
  const view = await getTender(portal.db, params.tenderId ?? "");
  if (!view) throw notFound();
  const actor = authorise(request, portal, "bid.readSubmitted", { ...tenderThing(view), bidsOpened: await bidsOpened(portal.db, view.tender.id) });
  try {
    const { file, bytes } = await openedBidFile(portal.db, view.tender.id, params.fileId ?? "", actor);
    return fileDownload(file, bytes);
  } catch (error) {
    // Sealed (the policy let the request through only after opening, so this is a race) or not a file of this tender.
    if (error instanceof RecordNotFound || error instanceof BidsSealed) throw notFound();
    throw error;
  }
}
