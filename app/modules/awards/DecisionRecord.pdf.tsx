// The decision record of an award as a PDF, for scrutiny and audit: the
// tender, each round of the recommendation as submitted (lots, value, budget
// line, evaluation summary, risks, alternatives), the delegation it was
// decided under, the Portfolio Holder's consultation response, the Chief
// Officer's decision with reasons and conditions, dates and names, who was
// barred from deciding and why, and the conflicts of interest declared.
import { Document, renderToBuffer, Text, View } from "@react-pdf/renderer";
import { formatPence } from "#app/modules/agreements/agreements";
import { PORTAL_NAME, PortalPage } from "#app/modules/pdf/portal-page";
import { AWARD_PDF_STYLES, Row } from "./AssessmentSummary.pdf";
import { formatUkDateTime } from "#emails/format";
import type { BarredPerson, DeclaredConflict } from "./decision-record";

export interface DecisionRecordRound {
  round: number;
  content: { lots: { lot: string; recommended: string[] }[]; evaluationSummary: string; valuePence: number; budgetLine: string; risks: string; alternatives: string };
  submittedAt: Date;
  submittedBy: string;
  route: string;
  consultationRequired: boolean;
  consultation: { response: string; comments: string; respondedAt: Date; respondedBy: string } | null;
  decision: { outcome: string; reasons: string; conditions: string; delegation: string; decidedAt: Date; decidedBy: string } | null;
}

export interface DecisionRecordInput {
  tenderTitle: string;
  /** "Approved with conditions" */
  status: string;
  authors: string[];
  rounds: DecisionRecordRound[];
  barred: BarredPerson[];
  conflicts: DeclaredConflict[];
  generatedAt: Date;
}

const styles = AWARD_PDF_STYLES;

export function DecisionRecord({ tenderTitle, status, authors, rounds, barred, conflicts, generatedAt }: DecisionRecordInput) {
  return (
    <Document title={`Decision record: ${tenderTitle}`} author={PORTAL_NAME} creator={PORTAL_NAME} creationDate={generatedAt} language="en-GB">
      <PortalPage heading="Award decision record" footer={`Record made ${formatUkDateTime(generatedAt)}`}>
        <Text style={styles.title}>Award decision record</Text>
        <Text style={styles.subtitle}>{tenderTitle}</Text>
        <Row label="Decision" value={status} />
        <Row label="Recommendation written by" value={authors.join(", ")} />
        {rounds.map((r) => (
          <View key={r.round}>
            <Text style={styles.heading}>{`Round ${r.round}: submitted ${formatUkDateTime(r.submittedAt)} by ${r.submittedBy}`}</Text>
            {r.content.lots.map((l) => (
              <Row key={l.lot} label={l.lot} value={l.recommended.length ? l.recommended.join(", ") : "No award recommended"} />
            ))}
            <Row label="Value" value={formatPence(r.content.valuePence)} />
            <Row label="Budget line" value={r.content.budgetLine} />
            <Row label="Evaluation summary" value={r.content.evaluationSummary} />
            <Row label="Risks" value={r.content.risks} />
            <Row label="Alternatives considered and rejected" value={r.content.alternatives} />
            <Row label="Delegation" value={r.route} />
            <View style={styles.item} wrap={false}>
              <Text style={styles.bold}>Consultation with the Portfolio Holder</Text>
              {r.consultation ? (
                <>
                  <Row label="Response" value={r.consultation.response} />
                  <Row label="Comments" value={r.consultation.comments || "None"} />
                  <Row label="Given by" value={`${r.consultation.respondedBy}, ${formatUkDateTime(r.consultation.respondedAt)}`} />
                </>
              ) : (
                <Text>{r.consultationRequired ? "Not yet given." : "Not required: the value is below the key-decision threshold."}</Text>
              )}
            </View>
            <View style={styles.item} wrap={false}>
              <Text style={styles.bold}>The Chief Officer's decision</Text>
              {r.decision ? (
                <>
                  <Row label="Decision" value={r.decision.outcome} />
                  <Row label="Reasons" value={r.decision.reasons} />
                  {r.decision.conditions ? <Row label="Conditions" value={r.decision.conditions} /> : null}
                  <Row label="Taken under" value={r.decision.delegation} />
                  <Row label="Decided by" value={`${r.decision.decidedBy}, ${formatUkDateTime(r.decision.decidedAt)}`} />
                </>
              ) : (
                <Text>Not yet decided.</Text>
              )}
            </View>
          </View>
        ))}
        <Text style={styles.heading}>Who could not decide or be consulted, and why</Text>
        {barred.length === 0 ? <Text>No one was barred.</Text> : barred.map((b) => <Row key={b.name} label={b.name} value={`${b.because}.`} />)}
        <Text style={styles.heading}>Conflicts of interest declared in the evaluation</Text>
        {conflicts.length === 0 ? (
          <Text>None were declared.</Text>
        ) : (
          conflicts.map((c) => (
            <View key={`${c.evaluator}:${c.provider}`} style={styles.item} wrap={false}>
              <Text style={styles.bold}>{`${c.evaluator}, about ${c.provider}`}</Text>
              <Text>{c.declared}</Text>
              {c.decision ? <Text>{c.decision}</Text> : null}
            </View>
          ))
        )}
      </PortalPage>
    </Document>
  );
}

export async function renderDecisionRecordPdf(input: DecisionRecordInput): Promise<Buffer> {
  return renderToBuffer(<DecisionRecord {...input} />);
}
