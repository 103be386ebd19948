// The receipt for one submitted version of a bid, as a PDF the provider keeps:
// what was submitted (lots, each answer, each file with its SHA-256, each
// price), the portal's time of receipt and the fingerprint over the canonical
// form, so either side can later prove what was sent. Only the provider's own
// users can download it (the bid pages ask the policy and read through
// ownSubmission); council staff never get it.
import { Document, renderToBuffer, StyleSheet, Text, View } from "@react-pdf/renderer";
import { PDF_STYLES, PORTAL_NAME, PortalPage } from "#app/modules/pdf/portal-page";
import { formatUkDateTime } from "#emails/format";
import type { SubmittedBid } from "./bids-submission";
import { attachedFileLabel } from "./bids-text";

export interface BidReceiptInput {
  bid: SubmittedBid;
  generatedAt: Date;
}

const styles = StyleSheet.create({
  ...PDF_STYLES,
  key: { width: 130, fontFamily: "Helvetica-Bold" },
  answer: PDF_STYLES.ruled,
  question: { fontFamily: "Helvetica-Bold", marginBottom: 3 },
  file: { marginTop: 3 },
});

const money = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP", minimumFractionDigits: 2 });

function answerInWords(a: SubmittedBid["answers"][number]): string {
  if (a.kind === "pass_fail") return a.meetsRequirement === null ? "Not answered" : a.meetsRequirement ? "Yes, we meet this requirement" : "No, we do not meet this requirement";
  if (a.kind === "declaration") return a.declared ? "Declared" : "Not declared";
  return a.answerText ?? "Not answered";
}

export function BidReceipt({ bid, generatedAt }: BidReceiptInput) {
  return (
    <Document title={`Bid receipt: ${bid.tender.title}`} author={PORTAL_NAME} creator={PORTAL_NAME} creationDate={generatedAt} language="en-GB">
      <PortalPage heading={`Bid receipt, version ${bid.number}`} footer={`Receipt made ${formatUkDateTime(generatedAt)}`}>
        <Text style={styles.title}>Bid receipt</Text>
        <Text style={styles.subtitle}>{bid.tender.title}</Text>
        <Field label="Provider">{bid.organisation.name}</Field>
        <Field label="Version">{String(bid.number)}</Field>
        <Field label="Received">{`${formatUkDateTime(bid.submittedAt)} (the portal's clock)`}</Field>
        <Field label="Submitted by">{bid.submittedBy ?? "Unknown"}</Field>
        {bid.withdrawnAt ? <Field label="Withdrawn">{formatUkDateTime(bid.withdrawnAt)}</Field> : null}
        <Field label="Lots">{bid.lots.map((l) => `Lot ${l.number}: ${l.title}`).join("; ")}</Field>
        <Field label="Fingerprint (SHA-256)" mono>
          {bid.fingerprint}
        </Field>
        <Text style={styles.note}>
          The fingerprint is the SHA-256 of the bid's canonical form (format placements-portal/bid/1): its answers, prices
          and each file's SHA-256 (with the evidence library document it came from, if any) as JSON with keys sorted, text in Unicode NFC and amounts in whole pence. The portal
          keeps that text with the bid, so the same content always gives the same fingerprint and any change gives
          another.
        </Text>

        <Text style={styles.heading}>Answers</Text>
        {bid.answers.map((a) => (
          <View key={a.questionId} style={styles.answer}>
            <Text style={styles.question}>{`${a.number} ${a.question}`}</Text>
            <Text>{answerInWords(a)}</Text>
            {a.files.map((f) => (
              // The file (a library document by its title and expiry too) above its SHA-256, so a long name never squeezes the hash.
              <View key={f.fileId} style={styles.file}>
                <Text>{`File: ${attachedFileLabel(f)}`}</Text>
                <Text style={styles.mono}>{f.sha256}</Text>
              </View>
            ))}
          </View>
        ))}

        <Text style={styles.heading}>Prices</Text>
        {bid.prices.map((p) => (
          <Field key={p.priceItemId} label={`Lot ${p.lotNumber}`}>
            {`${p.label}: ${money.format(p.amountPence / 100)} per ${p.unit}`}
          </Field>
        ))}
      </PortalPage>
    </Document>
  );
}

function Field({ label, mono, children }: { label: string; mono?: boolean; children: string }) {
  return (
    <View style={styles.row}>
      <Text style={styles.key}>{label}</Text>
      <Text style={mono ? [styles.value, styles.mono] : styles.value}>{children}</Text>
    </View>
  );
}

export async function renderBidReceiptPdf(input: BidReceiptInput): Promise<Buffer> {
  return renderToBuffer(<BidReceipt {...input} />);
}
