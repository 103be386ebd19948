// A file attached to a submitted application to join the market, for the
// lead council's officers who decide it. A draft's file, another market's,
// or anyone else asking (a provider included) is not found (decision 006).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { submittedFileDownload } from "#app/web/conditions.server";
import { marketForOfficers } from "./tenders.$tenderId.applications.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { view } = await marketForOfficers(request, context.portal, params.tenderId, "market.viewApplications");
  return submittedFileDownload(context.portal, view.tender.id, params.fileId);
}
