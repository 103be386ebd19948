// PDFs and the thread that serves pages: an audit extract of a busy record
// rendered in the main thread, and through the portal's worker renderer,
// while a 5 ms timer stands in for the other requests waiting to be served.
// The figure is the longest the main thread went without running it.
import type { AuditExtractInput } from "#app/modules/audit/AuditExtract.pdf";
import { renderAuditExtractPdf } from "#app/modules/audit/AuditExtract.pdf";
import { createPdfRenderer } from "#app/modules/pdf/renderer";
import { row, type BenchRow } from "./lib/report";
import { fmt, round } from "./lib/stats";

export interface PdfBenchOptions {
  events: number;
  log: (line: string) => void;
}

function extractOf(events: number): AuditExtractInput {
  const home = "5d1b0c86-7e1c-4a57-9d0c-8a4f5a5f1f0e";
  return {
    record: { type: "home", id: home, title: "Oak Lodge" },
    events: Array.from({ length: events }, (_, i) => ({
      seq: 1000 + i,
      occurredAt: new Date(Date.UTC(2026, 0, 1 + (i % 300), 9, i % 60)),
      actor: { userId: "u", name: "Priya Shah", roles: ["commissioning_officer"], organisationId: "o", organisationName: "Westmoor County Council" },
      action: "home.ofsted_judgement_recorded",
      actionLabel: "Recorded an Ofsted judgement",
      summary: `Recorded Ofsted judgement for Oak Lodge: Good, inspected ${1 + (i % 28)} March 2026`,
      subjects: [{ type: "home", id: home }, { type: "organisation", id: "7d1b0c86-7e1c-4a57-9d0c-8a4f5a5f1f0e" }],
      before: { latestGrade: 3, latestInspectedOn: "2025-01-01" },
      after: { inspectedOn: "2026-03-01", grade: 2, isLatest: true },
      reason: null,
      requestId: "req-123",
      clientAddress: "192.0.2.1",
      prevHash: "a".repeat(64),
      hash: "b".repeat(64),
    })),
    generatedAt: new Date(),
    generatedBy: { name: "Priya Shah", organisationName: "Westmoor County Council" },
    chainHead: { seq: 5000, hash: "c".repeat(64) },
    latestCheckpoint: null,
  };
}

async function whileWatchingTheThread(render: () => Promise<Buffer>): Promise<{ ms: number; longestStallMs: number; bytes: number }> {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 5);
  const started = performance.now();
  const pdf = await render();
  const ended = performance.now();
  clearInterval(timer);
  // The gap from the last tick to the end counts too: a thread held throughout ticks never.
  longest = Math.max(longest, ended - last);
  return { ms: ended - started, longestStallMs: longest, bytes: pdf.length };
}

export async function benchPdf(options: PdfBenchOptions): Promise<BenchRow[]> {
  const { log } = options;
  const input = extractOf(options.events);
  const renderer = createPdfRenderer();
  try {
    // The worker's first document pays for loading react-pdf: not part of the figure.
    await renderer.render({ document: "audit-extract", input: extractOf(1) });
    await renderAuditExtractPdf(extractOf(1));
    const inThread = await whileWatchingTheThread(() => renderAuditExtractPdf(input));
    const inWorker = await whileWatchingTheThread(() => renderer.render({ document: "audit-extract", input }));
    const describe = (r: typeof inThread) => `${fmt(r.ms / 1000)} s to render; main thread held up to ${fmt(r.longestStallMs, 0)} ms at a time`;
    log(`  ${options.events} events in the main thread: ${describe(inThread)}`);
    log(`  ${options.events} events through the worker renderer: ${describe(inWorker)}`);
    const details = (r: typeof inThread) => ({ renderMs: round(r.ms, 0), longestStallMs: round(r.longestStallMs, 1), bytes: r.bytes, events: options.events });
    return [
      row({ section: "pdf", name: `audit extract, ${options.events} events, in the main thread`, value: round(inThread.longestStallMs, 0), unit: "ms", result: describe(inThread), details: details(inThread) }),
      row({ section: "pdf", name: `audit extract, ${options.events} events, as the portal makes it (worker)`, value: round(inWorker.longestStallMs, 0), unit: "ms", result: describe(inWorker), details: details(inWorker) }),
    ];
  } finally {
    await renderer.close();
  }
}
