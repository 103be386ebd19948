// What the portal's PDFs share: the A4 page with the portal's name and the
// document's name at the top, its own footer and page numbers at the foot,
// and the styles of titles, headings and label/value rows. Built-in PDF fonts
// only: nothing is fetched when a PDF is rendered, and these cover the
// Windows-1252 characters (£, é, –) that records use.
import { Document, Page, renderToBuffer, Text, View } from "@react-pdf/renderer";
import type { ReactNode } from "react";

export const PORTAL_NAME = "Children's Placements Portal";

/** Plain style objects, for each document to spread into its own StyleSheet.create. */
export const PDF_STYLES = {
  page: { paddingTop: 20, paddingBottom: 20, paddingHorizontal: 40, fontFamily: "Helvetica", fontSize: 9, color: "#0b0c0c" },
  header: { flexDirection: "row", justifyContent: "space-between", borderBottomWidth: 1, borderBottomColor: "#1d70b8", paddingBottom: 4, marginBottom: 16, fontSize: 8 },
  portal: { fontFamily: "Helvetica-Bold", color: "#1d70b8" },
  footer: { flexDirection: "row", justifyContent: "space-between", marginTop: "auto", paddingTop: 12, fontSize: 8, color: "#505a5f" },
  title: { fontFamily: "Helvetica-Bold", fontSize: 18, marginBottom: 4 },
  subtitle: { fontSize: 11, marginBottom: 10 },
  heading: { fontFamily: "Helvetica-Bold", fontSize: 12, marginTop: 12, marginBottom: 6 },
  row: { flexDirection: "row", marginBottom: 2 },
  value: { flex: 1 },
  mono: { fontFamily: "Courier", fontSize: 7.5 },
  note: { fontSize: 8, color: "#505a5f", marginTop: 4 },
  /** One item of a list (an event, an answer), ruled off from the one before. */
  ruled: { borderTopWidth: 0.5, borderTopColor: "#b1b4b6", paddingTop: 6, paddingBottom: 6 },
} as const;

/**
 * The header and footer come from a layout template, not `fixed` elements:
 * react-pdf's classic pagination lays out everything still to come at each
 * page break (a 200-event history took 30 s); a layout template switches it
 * to the single-pass engine (about 4 s).
 */
export function PortalPage({ portalName = PORTAL_NAME, heading, footer, children }: { portalName?: string; heading: ReactNode; footer: ReactNode; children: ReactNode }) {
  return (
    <Page
      size="A4"
      style={PDF_STYLES.page}
      layout={({ children: content, pageNumber, totalPages }) => (
        <>
          <View style={PDF_STYLES.header}>
            <Text style={PDF_STYLES.portal}>{portalName}</Text>
            <Text>{heading}</Text>
          </View>
          {content}
          <View style={PDF_STYLES.footer}>
            <Text>{footer}</Text>
            <Text>{`Page ${pageNumber} of ${totalPages}`}</Text>
          </View>
        </>
      )}
    >
      {children}
    </Page>
  );
}

/** A one-page document in the portal's page, made when a PDF worker starts so react-pdf and its fonts are loaded before anyone waits. */
export function renderWarmUpPdf(): Promise<Buffer> {
  return renderToBuffer(
    <Document title="Warm-up" language="en-GB">
      <PortalPage heading="Warm-up" footer="Warm-up">
        <Text style={PDF_STYLES.title}>Warm-up</Text>
        <Text style={PDF_STYLES.mono}>0123456789 £ – é</Text>
      </PortalPage>
    </Document>,
  );
}
