// Every PDF the portal makes, by name, so one worker can render any of them.
// A new document adds its render function here (its component lives beside
// its module, like audit/AuditExtract.pdf.tsx). Each is imported when first
// asked for, so a worker's warm-up (below) loads react-pdf and the report
// without waiting for every other component, and the web server, which
// imports this file for its types and warm-up steps, loads none of them.
import type { AssessmentSummaryInput } from "#app/modules/awards/AssessmentSummary.pdf";
import type { DecisionRecordInput } from "#app/modules/awards/DecisionRecord.pdf";
import type { AuditExtractInput } from "#app/modules/audit/AuditExtract.pdf";
import type { EvaluationReportInput } from "#app/modules/evaluation/EvaluationReport.pdf";
import type { BidReceiptInput } from "#app/modules/tendering/BidReceipt.pdf";

export type PdfRequest =
  | { document: "audit-extract"; input: AuditExtractInput }
  | { document: "bid-receipt"; input: BidReceiptInput }
  | { document: "evaluation-report"; input: EvaluationReportInput }
  | { document: "assessment-summary"; input: AssessmentSummaryInput }
  | { document: "decision-record"; input: DecisionRecordInput };

export async function renderDocument(request: PdfRequest): Promise<Buffer> {
  switch (request.document) {
    case "audit-extract":
      return (await import("#app/modules/audit/AuditExtract.pdf")).renderAuditExtractPdf(request.input);
    case "bid-receipt":
      return (await import("#app/modules/tendering/BidReceipt.pdf")).renderBidReceiptPdf(request.input);
    case "evaluation-report":
      return (await import("#app/modules/evaluation/EvaluationReport.pdf")).renderEvaluationReportPdf(request.input);
    case "assessment-summary":
      return (await import("#app/modules/awards/AssessmentSummary.pdf")).renderAssessmentSummaryPdf(request.input);
    case "decision-record":
      return (await import("#app/modules/awards/DecisionRecord.pdf")).renderDecisionRecordPdf(request.input);
  }
}

/**
 * What a worker does when the portal starts, one step at a time: react-pdf
 * with its layout engine and fonts (a one-page PDF in the portal's page),
 * then the evaluation report's component with a small made-up report, the
 * longest document and the one with a time to meet (decision 039). A
 * document asked for meanwhile goes before the next step (renderer.ts). The
 * other documents' modules load when first asked for (a fraction of a second
 * each), rather than keeping the worker busy while the first requests after
 * a start come in.
 */
export const WARM_UP_STEPS = ["react-pdf", "evaluation-report"] as const;
export type WarmUpStep = (typeof WARM_UP_STEPS)[number];

export async function warmUp(step: WarmUpStep): Promise<void> {
  switch (step) {
    case "react-pdf":
      await (await import("./portal-page")).renderWarmUpPdf();
      return;
    case "evaluation-report": {
      const { renderEvaluationReportPdf, warmUpReport } = await import("#app/modules/evaluation/EvaluationReport.pdf");
      await renderEvaluationReportPdf(warmUpReport());
      return;
    }
  }
}
