// The evaluation report as a PDF, for the decision record: per lot, how price
// was scored, who the lot goes to and the ranking, each bid's moderated and
// original scores by question, then the panel with their declarations. The
// same words as the report page (reportLotsInWords).
import { Document, renderToBuffer, StyleSheet, Text, View } from "@react-pdf/renderer";
import { Fragment } from "react";
import { PDF_STYLES, PORTAL_NAME, PortalPage } from "#app/modules/pdf/portal-page";
import { formatUkDateTime } from "#emails/format";
import type { ReportLotInWords, ReportPanelMember } from "./report";

export interface EvaluationReportInput {
  tenderTitle: string;
  bidders: number;
  lots: ReportLotInWords[];
  panel: ReportPanelMember[];
  generatedAt: Date;
}

const styles = StyleSheet.create({
  ...PDF_STYLES,
  table: { borderTopWidth: 0.5, borderTopColor: "#b1b4b6", marginTop: 4 },
  tr: { flexDirection: "row", borderBottomWidth: 0.5, borderBottomColor: "#b1b4b6", paddingVertical: 3 },
  th: { fontFamily: "Helvetica-Bold" },
  rank: { width: 30 },
  bidder: { flex: 1, paddingRight: 6 },
  num: { width: 55, textAlign: "right" },
  outcome: { width: 110, paddingLeft: 6 },
  bid: PDF_STYLES.ruled,
  bold: { fontFamily: "Helvetica-Bold" },
  key: { width: 150, fontFamily: "Helvetica-Bold" },
});

export function EvaluationReport({ tenderTitle, bidders, lots, panel, generatedAt }: EvaluationReportInput) {
  return (
    <Document title={`Evaluation report: ${tenderTitle}`} author={PORTAL_NAME} creator={PORTAL_NAME} creationDate={generatedAt} language="en-GB">
      <PortalPage heading="Evaluation report" footer={`Report made ${formatUkDateTime(generatedAt)}`}>
        <Text style={styles.title}>Evaluation report</Text>
        <Text style={styles.subtitle}>{tenderTitle}</Text>
        <Text>
          {`${bidders} ${bidders === 1 ? "bid was" : "bids were"} evaluated. Quality scores are the moderated scores, each out of its question's weight; every evaluator's own score is kept beside it. Points are rounded to the nearest hundredth, halves upwards, and a total is the sum of its rounded parts.`}
        </Text>
        {/* Every row is a child of the page itself, never inside a lot's View: the single-pass
            paginator (PortalPage) breaks pages only between the page's own children, and a View
            taller than a page would be put on one page and cut off. */}
        {lots.map((lot) => (
          <Fragment key={lot.id}>
            <Text style={styles.heading}>{lot.name}</Text>
            <Text>{lot.priceMethod}</Text>
            <Text>{lot.outcomeRule}</Text>
            {lot.waitsOnTie ? <Text style={styles.bold}>Bids are tied on total and quality where it decides who the lot goes to: an officer must record the order.</Text> : null}
            <View style={[styles.tr, styles.th, styles.table]} wrap={false}>
              <Text style={styles.rank}>Rank</Text>
              <Text style={styles.bidder}>Bidder</Text>
              <Text style={styles.num}>Quality</Text>
              <Text style={styles.num}>Price</Text>
              <Text style={styles.num}>Price score</Text>
              <Text style={styles.num}>Total</Text>
              <Text style={styles.outcome}>Outcome</Text>
            </View>
            {lot.bids.map((b) => (
              <View key={b.id} style={styles.tr} wrap={false}>
                <Text style={styles.rank}>{b.rank}</Text>
                <Text style={styles.bidder}>{b.tieBreak ? `${b.bidder} (${b.tieBreak})` : b.bidder}</Text>
                <Text style={styles.num}>{b.quality}</Text>
                <Text style={styles.num}>{b.price}</Text>
                <Text style={styles.num}>{b.priceScore}</Text>
                <Text style={styles.num}>{b.total}</Text>
                <Text style={styles.outcome}>{b.recommended ? "Recommended" : b.scored ? "Not recommended" : `${b.status}${b.reason ? `: ${b.reason}` : ""}`}</Text>
              </View>
            ))}
            {lot.bids.some((b) => b.questions.length > 0) ? (
              <>
                <Text style={styles.heading}>{`Scores by question: ${lot.name}`}</Text>
                {/* Each question named once per lot; each bid's lines then give its number only. */}
                <Text>{(lot.bids.find((b) => b.questions.length > 0)?.questions ?? []).map((q) => q.label).join("\n")}</Text>
              </>
            ) : null}
            {lot.bids
              .filter((b) => b.questions.length > 0)
              .map((b) => (
                <Fragment key={b.id}>
                  <Text style={[styles.bold, styles.bid]}>{b.bidder}</Text>
                  {/* One text of a line per question, not a node per line: laying out 150 bids × 30 questions as
                      separate nodes took most of the report's time. A text still breaks across pages by lines. */}
                  <Text>{b.questions.map((q) => `${q.number}: moderated ${q.moderated}, ${q.weighted} points; evaluators: ${q.originals}`).join("\n")}</Text>
                </Fragment>
              ))}
          </Fragment>
        ))}
        <Text style={styles.heading}>The panel and their declarations</Text>
        {panel.map((member) => (
          <Fragment key={member.name}>
            <Text style={[styles.bold, styles.bid]}>{member.name}</Text>
            <Text>{`Scored: ${member.places.length > 0 ? member.places.join(", ") : "no questions"}`}</Text>
            {member.declarations.map((d) => (
              <Text key={d.provider}>{`${d.provider}: ${d.declared}${d.decision ? ` ${d.decision}` : ""}`}</Text>
            ))}
          </Fragment>
        ))}
      </PortalPage>
    </Document>
  );
}

export async function renderEvaluationReportPdf(input: EvaluationReportInput): Promise<Buffer> {
  return renderToBuffer(<EvaluationReport {...input} />);
}
