// A bid's evidence file for its own provider's users (council staff read
// files of opened bids through the opening module, never here). Streamed a
// chunk at a time, checked against its SHA-256 as it goes.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { ownBidFile } from "#app/modules/tendering/bids";
import { bidPage } from "#app/web/bids.server";
import { notFound } from "#app/web/guard.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const { actor, view } = await bidPage(request, portal, params.tenderId);
  const found = await ownBidFile(portal.db, view.tender.id, params.fileId ?? "", actor);
  if (!found) throw notFound();
  const { file, bytes } = found;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await bytes.next();
      if (next.done) controller.close();
      else controller.enqueue(new Uint8Array(next.value));
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Length": String(file.sizeBytes),
      "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, no-store",
    },
  });
}
