// Downloads a document's file, any version, for its own provider's users
// only; the bytes are checked against their SHA-256 as they stream.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { evidenceFile, evidenceOwner } from "#app/modules/evidence/evidence";
import { readFile } from "#app/modules/files/files";
import { authoriseOwnEvidence } from "#app/web/evidence-form.server";
import { fileDownload } from "#app/web/file-download.server";
import { notFound } from "#app/web/guard.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const id = params.documentId ?? "";
  const actor = authoriseOwnEvidence(request, portal, "evidence.view", portal.actor ? await evidenceOwner(portal.db, id) : undefined);
  const file = await evidenceFile(portal.db, actor.organisationId, id);
  if (!file) throw notFound();
  return fileDownload(file, readFile(portal.db, file));
}
