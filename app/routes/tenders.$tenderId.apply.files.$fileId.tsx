// A file attached to the organisation's own application to the market, for
// its users (the officers read a submitted application's files at
// /tenders/<id>/applications/files/<id>). Another organisation's is not found.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { ownFileDownload } from "#app/web/conditions.server";
import { applicationPage } from "./tenders.$tenderId.apply.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, view } = await applicationPage(request, context.portal, params.tenderId);
  return ownFileDownload(actor.organisationId, context.portal, view.tender.id, params.fileId);
}
