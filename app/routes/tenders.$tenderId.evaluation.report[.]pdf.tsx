// The evaluation report as a PDF (rendered in the PDF worker), for whoever
// may read the report page; before quality is moderated there is no report.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { evaluationReport, reportPdfLots } from "#app/modules/evaluation/report";
import { evaluationTender } from "#app/web/evaluation.server";
import { notFound } from "#app/web/guard.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const { tender, actor } = await evaluationTender(request, portal, params.tenderId, "evaluation.report");
  const report = await evaluationReport(portal.db, tender.id, actor);
  if (!report) throw notFound();
  if (!report.ready) throw new Response(`There is no evaluation report yet. ${report.reason}`, { status: 409, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const pdf = await portal.pdf.render({
    document: "evaluation-report",
    input: { tenderTitle: report.tenderTitle, bidders: report.bidders, lots: reportPdfLots(report.lots), panel: report.panel, generatedAt: new Date() },
  });
  return new Response(new Uint8Array(pdf), {
    headers: { "Content-Type": "application/pdf", "Content-Disposition": `inline; filename="evaluation-report.pdf"`, "Cache-Control": "private, no-store" },
  });
}
