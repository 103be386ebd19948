// Downloads one document of a tender's pack, streamed from the file store
// (its SHA-256 checked as it goes). The lead council's staff and providers
// that registered interest may; a provider that has not is sent to the
// documents page, which tells it to register interest first.
import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { readFile } from "#app/modules/files/files";
import { findTenderDocument } from "#app/modules/tendering/documents";
import { may } from "#app/policy/policy";
import { fileDownload } from "#app/web/file-download.server";
import { authorise, notFound } from "#app/web/guard.server";
import { readableTender } from "#app/web/tender-pack.server";

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
  return fileDownload(document.file, readFile(portal.db, document.file));
}
