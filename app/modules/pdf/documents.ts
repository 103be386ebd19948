// Every PDF the portal makes, by name, so one worker can render any of them.
// A new document adds its render function here (its component lives beside
// its module, like audit/AuditExtract.pdf.tsx).
import { renderAssessmentSummaryPdf, type AssessmentSummaryInput } from "#app/modules/awards/AssessmentSummary.pdf";
import { renderDecisionRecordPdf, type DecisionRecordInput } from "#app/modules/awards/DecisionRecord.pdf";
import { renderAuditExtractPdf, type AuditExtractInput } from "#app/modules/audit/AuditExtract.pdf";
import { renderEvaluationReportPdf, type EvaluationReportInput } from "#app/modules/evaluation/EvaluationReport.pdf";
import { renderBidReceiptPdf, type BidReceiptInput } from "#app/modules/tendering/BidReceipt.pdf";

export type PdfRequest =
  | { document: "audit-extract"; input: AuditExtractInput }
  | { document: "bid-receipt"; input: BidReceiptInput }
  | { document: "evaluation-report"; input: EvaluationReportInput }
  | { document: "assessment-summary"; input: AssessmentSummaryInput }
  | { document: "decision-record"; input: DecisionRecordInput };

export async function renderDocument(request: PdfRequest): Promise<Buffer> {
  switch (request.document) {
    case "audit-extract":
      return renderAuditExtractPdf(request.input);
    case "bid-receipt":
      return renderBidReceiptPdf(request.input);
    case "evaluation-report":
      return renderEvaluationReportPdf(request.input);
    case "assessment-summary":
      return renderAssessmentSummaryPdf(request.input);
    case "decision-record":
      return renderDecisionRecordPdf(request.input);
  }
}
