// One bidder's assessment summary as a PDF (rendered in the PDF worker), as
// it was sent: for that bidder's own users and those who take part in the
// award; another provider asking is told it does not exist.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { readableTender, tenderFor } from "#app/components/tendering/load.server";
import { sentSummary } from "#app/modules/awards/assessment-summaries";
import { RecordNotFound } from "#app/modules/errors";
import { authorise, notFound, requireActor } from "#app/web/guard.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const signedIn = requireActor(request, portal);
  const { tenderId, actor } =
    signedIn.organisationKind === "provider"
      ? {
          tenderId: (await readableTender(portal, params.tenderId)).tender.id,
          actor: authorise(request, portal, "assessmentSummary.readOwn", { kind: "organisation", id: signedIn.organisationId, organisationKind: "provider" }),
        }
      : await tenderFor(request, portal, params.tenderId, "assessmentSummary.view").then((r) => ({ tenderId: r.view.tender.id, actor: r.actor }));
  let summary;
  try {
    summary = await sentSummary(portal.db, { tenderId, bidId: params.bidId ?? "" }, actor);
  } catch (error) {
    if (error instanceof RecordNotFound) throw notFound();
    throw error;
  }
  const pdf = await portal.pdf.render({ document: "assessment-summary", input: { content: summary.content, sentAt: summary.sentAt, sentBy: summary.sentBy } });
  return new Response(new Uint8Array(pdf), {
    headers: { "Content-Type": "application/pdf", "Content-Disposition": `inline; filename="assessment-summary.pdf"`, "Cache-Control": "private, no-store" },
  });
}
