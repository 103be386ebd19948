// Downloads a document's file, any version, for its own provider's users
// only; the bytes are checked against their SHA-256 as they stream.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { evidenceFile, evidenceOwner } from "#app/modules/evidence/evidence";
import { readFile } from "#app/modules/files/files";
import { authoriseOwnEvidence } from "#app/web/evidence-form.server";
import { notFound } from "#app/web/guard.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const id = params.documentId ?? "";
  const actor = authoriseOwnEvidence(request, portal, "evidence.view", portal.actor ? await evidenceOwner(portal.db, id) : undefined);
  const file = await evidenceFile(portal.db, actor.organisationId, id);
  if (!file) throw notFound();
  const chunks = readFile(portal.db, file);
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(new Uint8Array(next.value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Length": String(file.sizeBytes),
      "Content-Disposition": `attachment; filename="${file.fileName.replace(/[^\x20-\x7e]|["\\]/g, "_")}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
