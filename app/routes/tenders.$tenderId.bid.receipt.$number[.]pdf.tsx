// The receipt of one submitted version as a PDF, for the provider's own users.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { ownSubmission } from "#app/modules/tendering/bids-submission";
import { bidRequest } from "#app/web/bids.server";
import { notFound } from "#app/web/guard.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const { actor, view } = await bidRequest(request, portal, params.tenderId);
  const bid = await ownSubmission(portal.db, view.tender.id, Number(params.number), actor);
  if (!bid) throw notFound();
  const pdf = await portal.pdf.render({ document: "bid-receipt", input: { bid, generatedAt: new Date() } });
  return new Response(new Uint8Array(pdf), {
    headers: { "Content-Type": "application/pdf", "Content-Disposition": `inline; filename="bid-receipt-version-${bid.number}.pdf"`, "Cache-Control": "private, no-store" },
  });
}
