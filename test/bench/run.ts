// `npm run bench`: HTTP routes under load, the cost of an audit event on a
// write, audit:verify on a large trail and start-up times; prints a table and
// writes test/bench/results/bench-<timestamp>.json and latest.json.
// Exits non-zero only when something failed outright (non-2xx answers,
// request errors, a command that failed or crashed); missed targets are
// reported, not fatal. See test/bench/README.md.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { benchAuditVerify } from "./audit-verify";
import { benchAward } from "./award";
import { benchAuditWrite } from "./audit-write";
import { benchHttpRoutes } from "./http-routes";
import { benchMarket } from "./market";
import { benchPdf } from "./pdf";
import { cleanupAll, cleanupOnSignals } from "./lib/processes";
import { row, table, verdict, type BenchRow } from "./lib/report";
import { fmt, round } from "./lib/stats";
import { benchStartup } from "./startup";
import { benchTendering } from "./tendering";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const log = (line: string) => console.log(line);

function numberEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw.replace(/_/g, ""));
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number, not ${JSON.stringify(raw)}`);
  return value;
}

const SECTIONS = ["http", "audit-write", "audit-verify", "pdf", "startup", "tendering", "market", "award"] as const;
type Section = (typeof SECTIONS)[number];

const settings = {
  seconds: numberEnv("BENCH_SECONDS", 10),
  warmupSeconds: numberEnv("BENCH_WARMUP_SECONDS", 2),
  connections: numberEnv("BENCH_CONNECTIONS", 20),
  rounds: numberEnv("BENCH_ROUNDS", 2),
  httpAuditEvents: numberEnv("BENCH_HTTP_AUDIT_EVENTS", 50_000),
  providers: numberEnv("BENCH_PROVIDERS", 300),
  homesPerProvider: numberEnv("BENCH_HOMES_PER_PROVIDER", 10),
  writeTransactions: numberEnv("BENCH_WRITE_TRANSACTIONS", 2_000),
  writeFsync: (process.env.BENCH_WRITE_FSYNC ?? "on").toLowerCase() !== "off",
  auditEvents: numberEnv("BENCH_AUDIT_EVENTS", 1_000_000),
  pdfEvents: numberEnv("BENCH_PDF_EVENTS", 300),
  tenders: numberEnv("BENCH_TENDERS", 200),
  bids: numberEnv("BENCH_BIDS", 5_000),
  rushProviders: numberEnv("BENCH_RUSH_PROVIDERS", 300),
  rushRampSeconds: numberEnv("BENCH_RUSH_RAMP_SECONDS", 120),
  rushFileMb: numberEnv("BENCH_RUSH_FILE_MB", 1),
  marketHomes: numberEnv("BENCH_MARKET_HOMES", 4_000),
  marketPlacements: numberEnv("BENCH_MARKET_PLACEMENTS", 20_000),
  marketBlockBeds: numberEnv("BENCH_MARKET_BLOCK_BEDS", 300),
  awardBids: numberEnv("BENCH_AWARD_BIDS", 150),
  awardQuestions: numberEnv("BENCH_AWARD_QUESTIONS", 30),
  awardPublishedTenders: numberEnv("BENCH_AWARD_PUBLISHED_TENDERS", 1_000),
  only: (process.env.BENCH_ONLY ?? "").split(",").map((s) => s.trim()).filter(Boolean) as Section[],
};
// Page targets are shares of the signed-in page with no data (the floor any document costs on this stack), not of /ping.
const targets = {
  dashboardOfNoDataPage: 0.7,
  listOfNoDataPage: 0.5,
  auditAddedP95Ms: 2,
  verifySeconds: 30,
  coldStartSeconds: 15,
  warmStartSeconds: 5,
  tenderingPageP95Ms: 100,
  rushSubmitP95Ms: 1_000,
  rushWindowSeconds: 300,
};
// Issue 9's market targets, p95 at BENCH_CONNECTIONS (20).
const marketTargets = { searchP95Ms: 100, matchP95Ms: 150, utilisationP95Ms: 200, vacancyUpdateP95Ms: 150 };
// Issue 10's evaluation and award targets; the moderation page at 10 connections, as the issue says.
const awardTargets = { reportSeconds: 3, moderationP95Ms: 150, moderationConnections: 10, exportSeconds: 5, exportMemoryMb: 50 };

async function main(): Promise<number> {
  for (const s of settings.only) if (!SECTIONS.includes(s)) throw new Error(`BENCH_ONLY: unknown part ${s}; choose from ${SECTIONS.join(", ")}`);
  const wanted = (s: Section) => settings.only.length === 0 || settings.only.includes(s);
  cleanupOnSignals(log);
  const startedAt = new Date();
  const loadStart = os.loadavg();
  log(`Children's Placements Portal benchmark — ${startedAt.toISOString()}`);
  log(
    `${os.cpus().length} cores, ${fmt(os.totalmem() / 2 ** 30, 0)} GB, Node ${process.version}, load average ${loadStart.map((l) => l.toFixed(2)).join(" ")}` +
      (loadStart[0]! > os.cpus().length / 2 ? "  (the machine is busy: figures will be lower and noisier)" : ""),
  );
  log("The load generator (autocannon) runs in a worker thread of this process and the portal in a child process, on the same cores:");
  log("figures are comparable only with others from the same run.\n");

  const rows: BenchRow[] = [];
  const extra: Record<string, unknown> = {};
  const part = async (section: Section, title: string, fn: () => Promise<BenchRow[]>) => {
    if (!wanted(section)) return;
    log(`== ${title}`);
    const started = performance.now();
    const loadBefore = os.loadavg()[0] ?? 0;
    const first = rows.length;
    try {
      rows.push(...(await fn()));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`  FAILED: ${message}`);
      if (error instanceof Error && error.stack) log(error.stack.split("\n").slice(1, 6).join("\n"));
      rows.push(row({ section, name: `${title} (did not complete)`, value: null, unit: "", error: message.split("\n")[0] ?? message, result: "did not complete", details: { message } }));
    } finally {
      await cleanupAll(log);
    }
    const loadAfter = os.loadavg()[0] ?? 0;
    // Other work on the machine moves every figure: keep what the load was beside each row.
    for (const r of rows.slice(first)) r.details.loadAverage1m = { before: round(loadBefore, 2), after: round(loadAfter, 2) };
    log(`  (${fmt((performance.now() - started) / 1000)} s; 1-minute load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after)\n`);
  };

  await part("http", `HTTP routes, ${settings.connections} connections, ${settings.seconds} s each in ${settings.rounds} turns, each after ${settings.warmupSeconds} s warm-up`, async () => {
    const result = await benchHttpRoutes({
      root,
      seconds: settings.seconds,
      warmupSeconds: settings.warmupSeconds,
      connections: settings.connections,
      rounds: settings.rounds,
      auditEvents: settings.httpAuditEvents,
      providers: settings.providers,
      homesPerProvider: settings.homesPerProvider,
      targets: { dashboardOfFloor: targets.dashboardOfNoDataPage, listOfFloor: targets.listOfNoDataPage },
      log,
    });
    extra.httpDataSet = result.dataSet;
    return result.rows;
  });
  await part("audit-write", "Audit write overhead", () =>
    benchAuditWrite({ transactions: settings.writeTransactions, existingEvents: 50_000, targetMs: targets.auditAddedP95Ms, fsync: settings.writeFsync, log }),
  );
  await part("audit-verify", `audit:verify on ${settings.auditEvents.toLocaleString("en-GB")} events`, () =>
    benchAuditVerify({ root, events: settings.auditEvents, targetSeconds: targets.verifySeconds, log }),
  );
  await part("pdf", `Audit extract PDF of ${settings.pdfEvents} events, and the thread that serves pages`, () =>
    benchPdf({ events: settings.pdfEvents, log }),
  );
  await part("startup", "Start-up times", () =>
    benchStartup({ root, coldTargetSeconds: targets.coldStartSeconds, warmTargetSeconds: targets.warmStartSeconds, log }),
  );
  await part("tendering", `Tendering: /tenders and a bid page with ${settings.tenders} tenders and ${settings.bids} bids, and a deadline rush of ${settings.rushProviders} providers`, async () => {
    const result = await benchTendering({
      root,
      seconds: settings.seconds,
      warmupSeconds: settings.warmupSeconds,
      connections: settings.connections,
      rounds: settings.rounds,
      tenders: settings.tenders,
      bids: settings.bids,
      providers: settings.providers,
      rushProviders: settings.rushProviders,
      rushRampSeconds: settings.rushRampSeconds,
      rushFileBytes: Math.round(settings.rushFileMb * 1024 * 1024),
      targets: { pageP95Ms: targets.tenderingPageP95Ms, submitP95Ms: targets.rushSubmitP95Ms, rushWindowSeconds: targets.rushWindowSeconds },
      log,
    });
    extra.tenderingDataSet = result.dataSet;
    return result.rows;
  });

  await part("market", `Placements market at scale, ${settings.connections} connections`, async () => {
    const result = await benchMarket({ root, seconds: settings.seconds, warmupSeconds: settings.warmupSeconds, connections: settings.connections, rounds: settings.rounds, homes: settings.marketHomes, placements: settings.marketPlacements, blockBeds: settings.marketBlockBeds, targets: marketTargets, log });
    extra.marketDataSet = result.dataSet;
    return result.rows;
  });

  await part("award", `Evaluation and award: ${settings.awardBids} bids × ${settings.awardQuestions} questions × 3 evaluators, and ${settings.awardPublishedTenders} published tenders' OCDS`, async () => {
    const result = await benchAward({
      root,
      seconds: settings.seconds,
      warmupSeconds: settings.warmupSeconds,
      rounds: settings.rounds,
      connections: awardTargets.moderationConnections,
      bids: settings.awardBids,
      qualityQuestions: settings.awardQuestions,
      evaluatorsPerQuestion: 3,
      publishedTenders: settings.awardPublishedTenders,
      reportRuns: 5,
      exportRuns: 3,
      targets: awardTargets,
      log,
    });
    extra.awardDataSet = result.dataSet;
    return result.rows;
  });

  const finishedAt = new Date();
  const loadEnd = os.loadavg();
  const titles: Record<Section, string> = {
    http: "HTTP",
    "audit-write": "Audit write",
    "audit-verify": "Audit verify",
    pdf: "PDF",
    startup: "Start-up",
    tendering: "Tendering",
    market: "Market",
    award: "Award",
  };
  log("== Results");
  log(
    table(
      ["part", "measurement", "result", "target", "verdict"],
      rows.map((r) => [titles[r.section], r.name, r.error ? `${r.result} — ${r.error}` : r.result, r.target ?? "", verdict(r)]),
    ),
  );
  const errors = rows.filter((r) => r.error);
  const missed = rows.filter((r) => r.pass === false && !r.error);
  log(
    `\n${rows.filter((r) => r.pass === true).length} targets met, ${missed.length} missed, ${errors.length} errors. ` +
      `Took ${fmt((finishedAt.getTime() - startedAt.getTime()) / 1000, 0)} s; load average at the end ${loadEnd.map((l) => l.toFixed(2)).join(" ")}.`,
  );

  const report = {
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationSeconds: round((finishedAt.getTime() - startedAt.getTime()) / 1000, 1),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? null,
      memoryGb: round(os.totalmem() / 2 ** 30, 1),
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      loadAverageStart: loadStart.map((l) => round(l, 2)),
      loadAverageEnd: loadEnd.map((l) => round(l, 2)),
    },
    notes: [
      "autocannon runs in a worker thread of the bench process (young generation 192 MB) and the portal in a child process on the same machine (2 cores): they compete for CPU.",
      "Ratios compare routes with /ping measured in the same run; absolute figures are only comparable within one run.",
      "A row with an error (non-2xx answers, request errors, a failed command) fails the bench command; missed targets do not.",
    ],
    settings,
    targets: { ...targets, market: marketTargets, award: awardTargets },
    ...extra,
    summary: { targetsMet: rows.filter((r) => r.pass === true).length, targetsMissed: missed.length, errors: errors.length },
    rows,
  };
  const dir = path.join(root, "test/bench/results");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `bench-${startedAt.toISOString().replace(/[:.]/g, "-")}.json`);
  const json = `${JSON.stringify(report, null, 2)}\n`;
  fs.writeFileSync(file, json);
  fs.writeFileSync(path.join(dir, "latest.json"), json);
  log(`Wrote ${path.relative(root, file)} and test/bench/results/latest.json`);
  return errors.length > 0 ? 1 : 0;
}

// The exit code is passed to process.exit explicitly: it also ends pools or
// sockets left open.
let exitCode = 2;
main()
  .then((code) => {
    exitCode = code;
  })
  .catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  })
  .finally(async () => {
    await cleanupAll(log);
    process.exit(exitCode);
  });
