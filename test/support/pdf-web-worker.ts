// Run by test/integration/pdf-shared.test.ts as a forked process standing in
// for a cluster web worker: it has its parent (standing in for the primary)
// make PDFs over the real IPC channel, and writes what came back into the
// folder given as its argument: <title>.pdf for each document made, and
// results.json with each title's outcome. The last title is asked for with
// input no document can draw, so its failure comes back too.
import fs from "node:fs";
import path from "node:path";
import type { AuditExtractInput } from "#app/modules/audit/AuditExtract.pdf";
import { primaryPdfRenderer } from "#app/modules/pdf/shared";
import { auditExtractInput } from "./pdf";

const [dir, ...titles] = process.argv.slice(2);
if (!dir || titles.length < 2) throw new Error("usage: pdf-web-worker.ts <folder> <title>… <title of a broken document>");
const renderer = primaryPdfRenderer(process);
const broken = titles.at(-1)!;
const results = await Promise.all(
  titles.map(async (title, i) => {
    const input = title === broken ? ({ ...auditExtractInput(title), events: null } as unknown as AuditExtractInput) : auditExtractInput(title, i + 1);
    try {
      const pdf = await renderer.render({ document: "audit-extract", input });
      fs.writeFileSync(path.join(dir, `${title}.pdf`), pdf);
      return { title, made: Buffer.isBuffer(pdf), bytes: pdf.length };
    } catch (error) {
      return { title, error: (error as Error).message };
    }
  }),
);
await renderer.close();
const afterClose = await renderer.render({ document: "audit-extract", input: auditExtractInput("Too late") }).then(
  () => "made",
  (error: unknown) => (error as Error).message,
);
fs.writeFileSync(path.join(dir, "results.json"), JSON.stringify({ results, afterClose }));
process.disconnect();
