// A bidder's assessment summary as a PDF (Procurement Act 2023 s.50): the
// words frozen when it was sent (assessment-summaries.ts), per lot: the
// outcome, each criterion with its weighting, the bid's score and the
// reasons, price, total and rank, and the further reasons of an unsuccessful bid.
import { Document, renderToBuffer, StyleSheet, Text, View } from "@react-pdf/renderer";
import { PDF_STYLES, PORTAL_NAME, PortalPage } from "#app/modules/pdf/portal-page";
import { formatUkDateTime } from "#emails/format";
import type { AssessmentSummaryContent } from "./assessment-summaries";

export interface AssessmentSummaryInput {
  content: AssessmentSummaryContent;
  sentAt: Date;
  sentBy: string;
}

/** The styles both award PDFs share (this one and DecisionRecord.pdf.tsx). */
export const AWARD_PDF_STYLES = StyleSheet.create({
  ...PDF_STYLES,
  bold: { fontFamily: "Helvetica-Bold" },
  key: { width: 150, fontFamily: "Helvetica-Bold" },
  item: PDF_STYLES.ruled,
});

/** A label and its value, side by side. */
export function Row({ label, value }: { label: string; value: string }) {
  return (
    <View style={styles.row}>
      <Text style={styles.key}>{label}</Text>
      <Text style={styles.value}>{value}</Text>
    </View>
  );
}

const styles = AWARD_PDF_STYLES;

export function AssessmentSummary({ content, sentAt, sentBy }: AssessmentSummaryInput) {
  return (
    <Document title={`Assessment summary: ${content.tenderTitle}`} author={PORTAL_NAME} creator={PORTAL_NAME} creationDate={sentAt} language="en-GB">
      <PortalPage heading="Assessment summary" footer={`Sent ${formatUkDateTime(sentAt)} by ${sentBy}`}>
        <Text style={styles.title}>Assessment summary</Text>
        <Text style={styles.subtitle}>{`${content.tenderTitle}: the bid of ${content.bidderName}`}</Text>
        <Text>
          Each criterion is scored on its question's scale and weighted by the points it is worth out of 100. Points are rounded to the nearest hundredth, halves upwards; a total is the sum of its rounded parts.
        </Text>
        {content.lots.map((lot) => (
          <View key={lot.lot}>
            <Text style={styles.heading}>{lot.lot}</Text>
            <Text style={styles.bold}>{lot.outcome}</Text>
            <Row label="Your total" value={lot.total} />
            <Row label="Your rank" value={lot.rank} />
            {lot.comparedWith ? <Row label="Compared with" value={`${lot.comparedWith}: total ${lot.successfulTotal ?? ""}`} /> : null}
            {lot.criteria.map((c) => (
              <View key={c.criterion} style={styles.item} wrap={false}>
                <Text style={styles.bold}>{c.criterion}</Text>
                <Row label="Weighting" value={c.weighting} />
                <Row label="Your score" value={`${c.yourScore}: ${c.yourPoints} points`} />
                {c.successfulScore ? <Row label="The successful bid's score" value={`${c.successfulScore}: ${c.successfulPoints ?? ""} points`} /> : null}
                <Row label="Reasons" value={c.reasons} />
              </View>
            ))}
            <View style={styles.item} wrap={false}>
              <Text style={styles.bold}>Price</Text>
              <Row label="Weighting" value={lot.price.weighting} />
              <Row label="How price was scored" value={lot.price.method} />
              <Row label="Your price" value={lot.price.yourPrice} />
              <Row label="Your price score" value={`${lot.price.yourScore}. ${lot.price.explanation}`} />
              {lot.price.successfulPrice ? <Row label="The successful bid's price" value={`${lot.price.successfulPrice}, scoring ${lot.price.successfulScore ?? ""}`} /> : null}
            </View>
            {lot.furtherReasons.length > 0 ? (
              <View style={styles.item}>
                <Text style={styles.bold}>Why your bid was not successful</Text>
                {lot.furtherReasons.map((r) => (
                  <Text key={r}>{r}</Text>
                ))}
              </View>
            ) : null}
          </View>
        ))}
      </PortalPage>
    </Document>
  );
}

export async function renderAssessmentSummaryPdf(input: AssessmentSummaryInput): Promise<Buffer> {
  return renderToBuffer(<AssessmentSummary {...input} />);
}
