// A file attached to the organisation's own request to participate, for its
// users (the officers read a submitted request's files at
// /tenders/<id>/participation/files/<id>). Another organisation's is not found.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { ownFileDownload } from "#app/web/conditions.server";
import { requestPage } from "./tenders.$tenderId.participate.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, view } = await requestPage(request, context.portal, params.tenderId);
  return ownFileDownload(actor.organisationId, context.portal, view.tender.id, params.fileId);
}
