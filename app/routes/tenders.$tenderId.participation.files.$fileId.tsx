// A file attached to a submitted request to participate, for the lead
// council's officers who assess it. A draft's file, another tender's, or
// anyone else asking (a provider included) is not found (decision 006).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { submittedFileDownload } from "#app/web/conditions.server";
import { participationForOfficers } from "./tenders.$tenderId.participation.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { view } = await participationForOfficers(request, context.portal, params.tenderId, "participation.viewRequests");
  return submittedFileDownload(context.portal, view.tender.id, params.fileId);
}
