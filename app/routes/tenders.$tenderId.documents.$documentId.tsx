// Downloads one document of a tender's pack, streamed from the file store
// (its SHA-256 checked as it goes). The lead council's staff and providers
// that registered interest may; a provider that has not is sent to the
// documents page, which tells it to register interest first.
import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { readFile } from "#app/modules/files/files";
import { findTenderDocument } from "#app/modules/tendering/documents";
import { may } from "#app/policy/policy";
import { authorise, notFound } from "#app/web/guard.server";
import { readableTender } from "#app/web/tender-pack.server";

/** A Content-Disposition that survives any name: an ASCII stand-in, and the real name encoded (RFC 6266). */
function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const { view, pack } = await readableTender(portal, params.tenderId);
  const decision = may(portal.actor, "tenderDocument.download", pack);
  if (!decision.allowed && decision.status === 403 && portal.actor?.organisationKind === "provider") {
    throw redirect(`/tenders/${view.tender.id}/documents`);
  }
  authorise(request, portal, "tenderDocument.download", pack);
  const document = await findTenderDocument(portal.db, view.tender.id, params.documentId ?? "");
  if (!document) throw notFound();
  const { file } = document;
  const chunks = readFile(portal.db, file);
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(new Uint8Array(next.value));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Length": String(file.sizeBytes),
      "Content-Disposition": attachment(file.fileName),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
