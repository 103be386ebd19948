// A bid's evidence file for its own provider's users (council staff read
// files of opened bids at /tenders/<id>/bids/files/<id>, through the opening
// module, never here). Streamed a chunk at a time, checked against its
// SHA-256 as it goes, under the name the provider gave it.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { ownBidFile } from "#app/modules/tendering/bids";
import { bidRequest } from "#app/web/bids.server";
import { fileDownload } from "#app/web/file-download.server";
import { notFound } from "#app/web/guard.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const { actor, view } = await bidRequest(request, portal, params.tenderId);
  const found = await ownBidFile(portal.db, view.tender.id, params.fileId ?? "", actor);
  if (!found) throw notFound();
  return fileDownload(found.file, found.bytes);
}
