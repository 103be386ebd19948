// The evaluation report as a PDF, for the decision record: per lot, how price
// was scored, who the lot goes to and the ranking, each bid's moderated and
// evaluators' own scores by question, then the panel with their declarations.
// The same words as the report page (reportLotsInWords, via reportPdfLots).
// Laid out densely, with as few react-pdf nodes as it can (decision 039):
// react-pdf's layout cost grows with nodes and lines, and at 150 bids × 30
// questions the report used to take seconds of CPU.
import { Document, renderToBuffer, StyleSheet, Text, View } from "@react-pdf/renderer";
import { Fragment } from "react";
import { PDF_STYLES, PORTAL_NAME, PortalPage } from "#app/modules/pdf/portal-page";
import { formatUkDateTime } from "#emails/format";
import type { ReportPanelMember, ReportPdfLot, ReportPdfScoreLine } from "./report";

export interface EvaluationReportInput {
  tenderTitle: string;
  bidders: number;
  lots: ReportPdfLot[];
  panel: ReportPanelMember[];
  generatedAt: Date;
}

/** Characters of Courier at 7.5 points across the page (A4 less its margins: 515 pt at 4.5 pt a character). */
export const SCORE_LINE_CHARACTERS = 114;

/**
 * A lot's score lines as rows of monospaced text: each line's fields padded to
 * the widest in the lot, so they line up down the page, then up to three
 * lines side by side (fewer where they would not fit), read down each column.
 * One text of ten rows a bid lays out in a fraction of the time of thirty
 * lines in three boxes: react-pdf's cost is mostly per line (decision 039).
 */
export function scoreRows(lot: Pick<ReportPdfLot, "scores">, characters = SCORE_LINE_CHARACTERS): string[][] {
  const all = lot.scores.flatMap((b) => b.lines);
  const width = (pick: (l: ReportPdfScoreLine) => string) => Math.max(0, ...all.map((l) => pick(l).length));
  const agreed = (l: ReportPdfScoreLine) => `${l.agreed}${l.belowMinimum ? "*" : ""}`;
  const [q, a, p] = [width((l) => l.question), width(agreed), width((l) => l.points)];
  const text = (l: ReportPdfScoreLine) => `${l.question.padEnd(q)}  ${agreed(l).padEnd(a)}  ${l.points.padStart(p)}  ${l.evaluators}`;
  const entry = Math.max(0, ...all.map((l) => text(l).length));
  const gap = 4;
  const columns = Math.max(1, Math.min(3, Math.floor((characters + gap) / (entry + gap))));
  return lot.scores.map((bid) => {
    const rows = Math.ceil(bid.lines.length / columns);
    return Array.from({ length: rows }, (_, r) =>
      Array.from({ length: columns }, (_, c) => bid.lines[c * rows + r])
        .filter((l): l is ReportPdfScoreLine => l !== undefined)
        .map((l) => text(l).padEnd(entry))
        .join(" ".repeat(gap))
        .trimEnd(),
    );
  });
}

/**
 * A lot's ranking as the table prints it: the rank padded to one width and
 * the figures (quality, price, price score, total) each padded to its column's
 * widest, for Courier, with the header's labels padded the same way.
 */
export function rankingRows(lot: Pick<ReportPdfLot, "ranking">) {
  const labels = ["Quality", "Price", "Price score", "Total"];
  const figures = lot.ranking.map((b) => [b.quality, b.price, b.priceScore, b.total]);
  const widths = labels.map((label, i) => Math.max(label.length, ...figures.map((f) => f[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padStart(widths[i]!)).join("  ");
  const rankWidth = Math.max(4, ...lot.ranking.map((b) => b.rank.length)) + 1;
  return {
    head: { rank: "Rank".padEnd(rankWidth), figures: line(labels) },
    rows: lot.ranking.map((b, i) => ({ rank: b.rank.padEnd(rankWidth), bidder: b.bidder, figures: line(figures[i]!), outcome: b.outcome, reason: b.reason })),
  };
}

const styles = StyleSheet.create({
  ...PDF_STYLES,
  table: { marginTop: 4, borderTopWidth: 0.5, borderTopColor: "#b1b4b6" },
  th: { fontFamily: "Helvetica-Bold" },
  tr: { flexDirection: "row", flexWrap: "wrap", borderBottomWidth: 0.5, borderBottomColor: "#b1b4b6", paddingVertical: 2 },
  bidder: { flex: 1, paddingRight: 6 },
  /** The quality, price, price score and total, in Courier padded to line up (the rank is a Courier run before the bidder). */
  figures: { fontFamily: "Courier", fontSize: 8, paddingTop: 1 },
  figuresRank: { fontFamily: "Courier", fontSize: 8 },
  figuresHead: { fontFamily: "Courier-Bold", fontSize: 8 },
  outcome: { width: 108, paddingLeft: 8 },
  /** A failed bid's reason, under its row, from the bidder's name to the right edge. */
  reason: { width: "100%", paddingLeft: 24, paddingTop: 1, color: "#505a5f" },
  bold: { fontFamily: "Helvetica-Bold" },
  bid: { fontFamily: "Helvetica-Bold", borderTopWidth: 0.5, borderTopColor: "#b1b4b6", paddingTop: 4, marginTop: 2 },
  /** A bid's scores: its name, then its rows of score lines in Courier, so their columns line up. */
  scores: { fontFamily: "Courier", fontSize: 7.5, lineHeight: 1.3, borderTopWidth: 0.5, borderTopColor: "#b1b4b6", paddingTop: 4, marginTop: 2 },
  scoresBidder: { fontFamily: "Helvetica-Bold", fontSize: 9 },
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
          <Fragment key={lot.name}>
            <Text style={styles.heading} minPresenceAhead={60}>
              {lot.name}
            </Text>
            <Text>{`${lot.priceMethod}\n${lot.outcomeRule}`}</Text>
            {lot.waitsOnTie ? <Text style={styles.bold}>Bids are tied on total and quality where it decides who the lot goes to: an officer must record the order.</Text> : null}
            {(() => {
              const { head, rows } = rankingRows(lot);
              return (
                <>
                  <View style={[styles.tr, styles.th, styles.table]} wrap={false} minPresenceAhead={20}>
                    <Text style={styles.bidder}>
                      <Text style={styles.figuresHead}>{head.rank}</Text>Bidder
                    </Text>
                    <Text style={[styles.figures, styles.figuresHead]}>{head.figures}</Text>
                    <Text style={styles.outcome}>Outcome</Text>
                  </View>
                  {/* Four nodes a row: the rank and the figures are padded Courier inside one text each, so they line up
                      without a box per cell (react-pdf lays each box out again on every page it paginates). */}
                  {rows.map((row, i) => (
                    <View key={i} style={styles.tr} wrap={false}>
                      <Text style={styles.bidder}>
                        <Text style={styles.figuresRank}>{row.rank}</Text>
                        {row.bidder}
                      </Text>
                      <Text style={styles.figures}>{row.figures}</Text>
                      <Text style={styles.outcome}>{row.outcome}</Text>
                      {row.reason ? <Text style={styles.reason}>{row.reason}</Text> : null}
                    </View>
                  ))}
                </>
              );
            })()}
            {lot.scores.length > 0 ? (
              <>
                <Text style={styles.heading} minPresenceAhead={60}>{`Scores by question: ${lot.name}`}</Text>
                {/* Each question named once per lot, with its evaluators; each bid's lines then give its number only. */}
                <Text>{lot.questions.map((q) => `${q.label} (${q.about}). Scored by ${q.evaluators.length > 0 ? q.evaluators.join(", ") : "nobody"}.`).join("\n")}</Text>
                <Text style={styles.note}>
                  Each bid's line for a question gives the question's number, the moderated (agreed) score on the question's scale, marked * where that is below the question's minimum, the points it earns, and then each evaluator's own score in the order the question names them above (– where that evaluator has no score for the bid).
                </Text>
              </>
            ) : null}
            {scoreRows(lot).map((rows, i) => (
              // The bidder's name and its rows in one text, kept on one page: a node per line
              // (150 bids × 30 questions) took most of the report's time.
              <Text key={i} style={styles.scores} wrap={false}>
                <Text style={styles.scoresBidder}>{lot.scores[i]!.bidder}</Text>
                {`\n${rows.join("\n")}`}
              </Text>
            ))}
          </Fragment>
        ))}
        <Text style={styles.heading} minPresenceAhead={40}>
          The panel and their declarations
        </Text>
        {panel.map((member) => {
          // Each conflict on its own line with the officer's decision; every "no conflict" in one sentence,
          // or in a few words where the member declared for every bidder.
          const clear = member.declarations.filter((d) => d.declared === "No conflict." && !d.decision).map((d) => d.provider);
          const everyBidder = member.declarations.length === bidders;
          const others = clear.length === member.declarations.length ? "any of the" : "any of the other";
          const lines = [
            `Scored: ${member.places.length > 0 ? member.places.join(", ") : "no questions"}`,
            ...(clear.length === 0 ? [] : everyBidder ? [`Declared no conflict with ${others} ${clear.length} ${clear.length === 1 ? "bidder" : "bidders"}.`] : [`No conflict with: ${clear.join("; ")}.`]),
            ...member.declarations.filter((d) => !(d.declared === "No conflict." && !d.decision)).map((d) => `${d.provider}: ${d.declared}${d.decision ? ` ${d.decision}` : ""}`),
          ];
          return (
            <Fragment key={member.name}>
              <Text style={styles.bid} minPresenceAhead={24}>
                {member.name}
              </Text>
              <Text>{lines.join("\n")}</Text>
            </Fragment>
          );
        })}
      </PortalPage>
    </Document>
  );
}

/**
 * A small made-up report (eight bids, twelve questions, three evaluators, one
 * bid failing), which the PDF worker renders when the portal starts so the
 * first real report finds this module, its fonts and react-pdf's text layout
 * loaded and compiled (documents.ts).
 */
export function warmUpReport(): EvaluationReportInput {
  const evaluators = ["Evaluator A", "Evaluator B", "Evaluator C"];
  const questions = Array.from({ length: 12 }, (_, i) => ({ label: `2.${i + 1} Question ${i + 1}`, about: "out of 5, minimum 2, worth 5 points", evaluators }));
  const bids = Array.from({ length: 8 }, (_, b) => `Provider ${b + 1} Ltd`);
  const line = (q: number, b: number) => ({ question: `2.${q + 1}`, agreed: `${1 + ((q + b) % 5)} of 5`, belowMinimum: (q + b) % 5 === 0, points: `${(1 + ((q + b) % 5)).toFixed(2)}`, evaluators: "3, 4, –" });
  return {
    tenderTitle: "Warm-up",
    bidders: bids.length,
    generatedAt: new Date(),
    lots: [
      {
        name: "Lot 1: Warm-up",
        priceMethod: "Price is worth 40 points.",
        outcomeRule: "The lot goes to the top-ranked bid.",
        waitsOnTie: false,
        ranking: bids.map((bidder, b) => ({ rank: b < 7 ? String(b + 1) : "–", bidder, quality: "48.80", price: "£4,031.37", priceScore: "40.00", total: "88.80", outcome: b === 0 ? "Recommended" : b < 7 ? "Not recommended" : "Below a minimum score", reason: b < 7 ? null : "Below the minimum score on 2.1." })),
        questions,
        scores: bids.map((bidder, b) => ({ bidder, lines: questions.map((_, q) => line(q, b)) })),
      },
    ],
    panel: evaluators.map((name) => ({ name, places: ["2.1 in lot 1"], declarations: bids.map((provider) => ({ provider, declared: "No conflict.", decision: null })) })),
  };
}

export async function renderEvaluationReportPdf(input: EvaluationReportInput): Promise<Buffer> {
  return renderToBuffer(<EvaluationReport {...input} />);
}
