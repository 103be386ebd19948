// The evaluation report PDF alone, in one process, for the bench award
// part's tender (150 bids × 30 questions × 3 evaluators): how long reading
// and scoring the report takes, then the CPU react-pdf takes to lay it out and
// write it, the first time (loading the component and react-pdf) and warm,
// and how many pages it has. Quicker to repeat than the award bench, which
// measures the same report end to end through HTTP (decision 039).
//
//   NODE_ENV=production node --import tsx test/bench/report-pdf.ts [renders] [file.pdf]
//
// Takes a minute to generate the data (without the award bench's 1,000
// further tenders), then a few seconds a render.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { createDatabase } from "#app/database/connection";
import { actorForUser } from "#app/modules/identity/sessions";
import { migrate } from "#db/migrate";
import { generateAward } from "#db/seed/generate-award";
import { generateDataSet } from "#db/seed/generate";
import { startBenchPostgres } from "./lib/database";
import { cleanupAll } from "./lib/processes";
import { fmt } from "./lib/stats";

const renders = Number(process.argv[2] ?? 4);
const file = process.argv[3] ?? "/tmp/evaluation-report-bench.pdf";
const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};

if (process.env.NODE_ENV !== "production") console.log("Run with NODE_ENV=production, as the PDF worker runs: React's development build is slower.");
try {
  const postgres = await startBenchPostgres("report-pdf");
  const url = await postgres.createDatabase("portal_bench_report");
  await migrate(url);
  const db = createDatabase({ connectionString: url, max: 4 });
  try {
    await generateDataSet(db, { seed: "bench-award", councils: 2, providers: 160, homesPerProvider: 1, usersPerProvider: 1, usersPerCouncil: 30, audit: "batch" });
    const award = await generateAward(db, { seed: "bench-award", bids: 150, qualityQuestions: 30, evaluatorsPerQuestion: 3, publishedTenders: 0 });
    const officer = await actorForUser(db, award.officerIds[0]!, null);
    const { evaluationReport, reportPdfLots } = await import("#app/modules/evaluation/report");
    let input = null as null | Parameters<typeof import("#app/modules/evaluation/EvaluationReport.pdf").renderEvaluationReportPdf>[0];
    for (let i = 0; i < 3; i++) {
      const cpu = process.cpuUsage();
      const started = performance.now();
      const report = await evaluationReport(db, award.tenderId, officer);
      if (!report?.ready) throw new Error("the report should be ready");
      input = { tenderTitle: report.tenderTitle, bidders: report.bidders, lots: reportPdfLots(report.lots), panel: report.panel, generatedAt: new Date() };
      console.log(`report read and scored: ${fmt((performance.now() - started) / 1000, 2)} s, CPU (this process) ${fmt(cpuSeconds(cpu), 2)} s, input to the worker ${fmt(JSON.stringify(input).length / 1024, 0)} KB`);
    }
    for (let i = 0; i < renders; i++) {
      const cpu = process.cpuUsage();
      const started = performance.now();
      const { renderEvaluationReportPdf } = await import("#app/modules/evaluation/EvaluationReport.pdf");
      const pdf = await renderEvaluationReportPdf(input!);
      console.log(`render ${i + 1}${i === 0 ? " (loading react-pdf)" : ""}: ${fmt((performance.now() - started) / 1000, 2)} s, CPU ${fmt(cpuSeconds(cpu), 2)} s, ${fmt(pdf.length / 1024, 0)} KB`);
      fs.writeFileSync(file, pdf);
    }
    const pages = /^Pages:\s+(\d+)/m.exec(execFileSync("/usr/bin/pdfinfo", [file], { encoding: "utf8" }))?.[1];
    console.log(`${pages} pages, written to ${file}`);
  } finally {
    await db.destroy();
  }
} finally {
  await cleanupAll();
}
