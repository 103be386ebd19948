// Evaluation and award at the issue's scale (issue 10, "Performance"): a
// tender with 150 opened bids, 30 quality questions and 3 evaluators per
// question, scored and moderated (db/seed/generate-award.ts), and 1,000 more
// published tenders with their OCDS releases. The portal is built and
// started as the HTTP part starts it (a private production build,
// NODE_ENV=production, the default number of web workers), and measured
// through HTTP as a commissioning officer:
//
// - the evaluation report PDF, end to end (reading the evaluation, scoring
//   and ranking every lot, laying out and rendering the PDF), requested one
//   at a time;
// - the moderation page of one question (150 answers, 3 scores each; its
//   first page of 25, as the officer opens it) with autocannon at 10
//   connections, in turns with /ping;
// - the OCDS export of every release, read to its last byte while the RSS of
//   every portal process is sampled.
// Beside each: the CPU the portal and PostgreSQL used, which other work on
// the machine moves far less than wall-clock time.
import os from "node:os";
import { createDatabase } from "#app/database/connection";
import { migrate } from "#db/migrate";
import { DEMO_PASSWORD } from "#db/seed/demo";
import { generateAward, type GeneratedAward } from "#db/seed/generate-award";
import { generateDataSet } from "#db/seed/generate";
import { spawnPortal } from "./http-routes";
import { ownerQuery, startBenchPostgres } from "./lib/database";
import { anonymousCookies, cookieHeader, load, loadFigures, mergeLoads, processTreeCpuSeconds, signIn, type LoadResult } from "./lib/http";
import { processTreeRss, sampleMemory } from "./lib/memory";
import { waitFor200, type Child } from "./lib/processes";
import { row, type BenchRow } from "./lib/report";
import { fmt, round, summarise } from "./lib/stats";
import { builtCopy } from "./lib/tree";

export interface AwardBenchOptions {
  root: string;
  seconds: number;
  warmupSeconds: number;
  rounds: number;
  /** Connections for the moderation page (the issue says 10). */
  connections: number;
  bids: number;
  qualityQuestions: number;
  evaluatorsPerQuestion: number;
  publishedTenders: number;
  /** Report PDFs requested one after another. */
  reportRuns: number;
  /** Full OCDS exports read one after another. */
  exportRuns: number;
  targets: { reportSeconds: number; moderationP95Ms: number; exportSeconds: number; exportMemoryMb: number };
  log: (line: string) => void;
}

const MB = 1024 * 1024;

export async function benchAward(options: AwardBenchOptions): Promise<{ rows: BenchRow[]; dataSet: Record<string, unknown> }> {
  const { log } = options;
  const { dir, tree, buildSeconds } = builtCopy(options.root, "portal-bench-award-");
  log(`  copied the working tree and built it for production (${fmt(buildSeconds)} s)`);
  const postgres = await startBenchPostgres("award");
  try {
    const url = await postgres.createDatabase("portal_bench_award");
    const { award, officerEmail, dataSet } = await prepareAwardData(url, options);
    const { server, baseUrl } = await spawnPortal({ tree, dir, url, runtimeUrl: postgres.runtimeUrl("portal_bench_award"), workers: null });
    const rows: BenchRow[] = [];
    try {
      await waitFor200(`${baseUrl}/ping`, { child: server, timeoutMs: 60_000 });
      const officer = await signIn(baseUrl, officerEmail, DEMO_PASSWORD);
      const cpu = async () => ({ server: await processTreeCpuSeconds(server.pid), postgres: postgres.postmasterPid() ? await processTreeCpuSeconds(postgres.postmasterPid()!) : null });
      rows.push(await reportRow(baseUrl, officer, award, cpu, options));
      rows.push(...(await moderationRows(baseUrl, server, officer, award, cpu, options)));
      rows.push(await exportRow(baseUrl, server, award, cpu, options));
      const serverErrors = server.output().split("\n").filter((line) => /error/i.test(line));
      if (serverErrors.length) log(`  the portal logged errors:\n    ${serverErrors.slice(-5).join("\n    ")}`);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n  The portal's last output:\n    ${server.output().split("\n").slice(-15).join("\n    ")}`);
    } finally {
      await server.stop();
    }
    return { rows, dataSet };
  } finally {
    await postgres.stop();
  }
}

async function prepareAwardData(url: string, options: AwardBenchOptions) {
  const { log } = options;
  const started = performance.now();
  await migrate(url);
  const db = createDatabase({ connectionString: url, max: 4 });
  try {
    // Six evaluators at each council (usersPerCouncil takes the council roles in turn), and a provider for every bid.
    await generateDataSet(db, { seed: "bench-award", councils: 2, providers: options.bids + 10, homesPerProvider: 1, usersPerProvider: 1, usersPerCouncil: 30, audit: "batch" });
    const award = await generateAward(db, {
      seed: "bench-award",
      bids: options.bids,
      qualityQuestions: options.qualityQuestions,
      evaluatorsPerQuestion: options.evaluatorsPerQuestion,
      publishedTenders: options.publishedTenders,
    });
    await ownerQuery(url, "VACUUM (ANALYZE)");
    const officer = await db.selectFrom("app_user").select("email").where("id", "=", award.officerIds[0]).executeTakeFirstOrThrow();
    const [sizes] = await ownerQuery<{ releases_mb: string }>(url, "SELECT round(pg_total_relation_size('ocds_release') / 1048576.0, 1) AS releases_mb");
    const seconds = (performance.now() - started) / 1000;
    const dataSet = {
      bids: award.counting,
      qualityQuestions: award.questions,
      evaluatorsOnPanel: award.evaluators,
      scores: award.scores,
      agreedScores: award.moderations,
      publishedTenders: award.publishedTenders + 1,
      ocdsReleases: award.ocdsReleases,
      ocdsReleaseTableMb: Number(sizes?.releases_mb ?? 0),
      generatorSeconds: { evaluation: round(award.elapsedMs.evaluation / 1000, 1), publication: round(award.elapsedMs.publication / 1000, 1) },
      seconds: round(seconds, 1),
    };
    log(
      `  data: ${award.counting} opened bids, ${award.questions} quality questions, ${award.evaluators} evaluators, ${award.scores.toLocaleString("en-GB")} scores, ` +
        `${award.moderations.toLocaleString("en-GB")} agreed scores; ${award.ocdsReleases.toLocaleString("en-GB")} OCDS releases (${dataSet.ocdsReleaseTableMb} MB) ` +
        `(generated in ${fmt(seconds)} s: evaluation ${fmt(award.elapsedMs.evaluation / 1000)} s, publication ${fmt(award.elapsedMs.publication / 1000)} s)`,
    );
    return { award, officerEmail: officer.email, dataSet };
  } finally {
    await db.destroy();
  }
}

type CpuReader = () => Promise<{ server: number | null; postgres: number | null }>;

function cpuSpent(before: Awaited<ReturnType<CpuReader>>, after: Awaited<ReturnType<CpuReader>>) {
  const server = before.server !== null && after.server !== null ? after.server - before.server : null;
  const postgres = before.postgres !== null && after.postgres !== null ? after.postgres - before.postgres : null;
  return { server, postgres, total: server !== null && postgres !== null ? server + postgres : null };
}

/** The report PDF, one request at a time: each from the database to the last byte of the PDF. */
async function reportRow(baseUrl: string, cookies: Map<string, string>, award: GeneratedAward, cpu: CpuReader, options: AwardBenchOptions): Promise<BenchRow> {
  const { log } = options;
  const path = `/tenders/${award.tenderId}/evaluation/report.pdf`;
  const headers = { cookie: cookieHeader(cookies), "user-agent": "portal-bench" };
  const times: number[] = [];
  const cpus: (number | null)[] = [];
  const problems: string[] = [];
  let bytes = 0;
  const load0 = os.loadavg()[0]!;
  for (let i = 0; i < options.reportRuns; i++) {
    const before = await cpu();
    const started = performance.now();
    const response = await fetch(`${baseUrl}${path}`, { headers, redirect: "manual" });
    const body = Buffer.from(await response.arrayBuffer());
    times.push(performance.now() - started);
    cpus.push(cpuSpent(before, await cpu()).total);
    bytes = body.length;
    if (response.status !== 200) problems.push(`GET ${path} answered HTTP ${response.status}`);
    else if (!response.headers.get("content-type")?.includes("application/pdf") || body.subarray(0, 5).toString("latin1") !== "%PDF-") problems.push("the answer was not a PDF");
    log(`  report PDF ${i + 1}/${options.reportRuns}: ${fmt(times.at(-1)! / 1000, 2)} s, ${fmt(body.length / 1024, 0)} KB, CPU ${fmt(cpus.at(-1), 2)} s`);
  }
  const worst = Math.max(...times);
  const s = summarise(times);
  const error = problems.length ? [...new Set(problems)].join("; ") : null;
  const cpuKnown = cpus.filter((c): c is number => c !== null);
  return row({
    section: "award",
    name: `Evaluation report PDF: ${award.counting} bids × ${award.questions} questions, scored, ranked and rendered end to end`,
    value: round(worst / 1000, 2),
    unit: "s (slowest)",
    target: `every request < ${options.targets.reportSeconds} s`,
    pass: !error && worst < options.targets.reportSeconds * 1000,
    error,
    result:
      `slowest ${fmt(worst / 1000, 2)} s, first ${fmt(times[0]! / 1000, 2)} s, median ${fmt(s.p50 / 1000, 2)} s of ${times.length}; ${fmt(bytes / 1024, 0)} KB; ` +
      `CPU ${cpuKnown.length ? fmt(cpuKnown.reduce((a, b) => a + b, 0) / cpuKnown.length, 2) : "?"} s a report (portal and PostgreSQL)`,
    details: {
      path: "/tenders/<tender>/evaluation/report.pdf",
      secondsEach: times.map((t) => round(t / 1000, 3)),
      cpuSecondsEach: cpus.map((c) => (c === null ? null : round(c, 2))),
      pdfBytes: bytes,
      loadAverage1mAtStart: round(load0, 2),
    },
  });
}

/** The moderation page of one question and /ping, in turns, at the issue's 10 connections. */
async function moderationRows(baseUrl: string, server: Child, cookies: Map<string, string>, award: GeneratedAward, cpu: CpuReader, options: AwardBenchOptions): Promise<BenchRow[]> {
  const { log } = options;
  const anonymous = await anonymousCookies(baseUrl);
  const routes = [
    { key: "ping", name: "/ping (baseline)", path: "/ping", cookies: anonymous, expect: "ok" },
    // The page lists a question's answers 25 at a time (decision 036): this is its first page, as the officer opens it.
    {
      key: "moderation",
      name: `the moderation page of one question, its first page (25 of ${award.counting} answers × ${options.evaluatorsPerQuestion} scores)`,
      path: `/tenders/${award.tenderId}/evaluation/moderation/${award.questionId}`,
      cookies,
      expect: `Showing answers 1 to 25 of ${award.counting}`,
    },
  ];
  const probes = new Map<string, string | null>();
  for (const route of routes) {
    const response = await fetch(`${baseUrl}${route.path}`, { headers: { cookie: cookieHeader(route.cookies), "user-agent": "portal-bench" }, redirect: "manual" });
    const body = await response.text();
    probes.set(route.key, response.status !== 200 ? `GET ${route.path} answered HTTP ${response.status}` : body.includes(route.expect) ? null : `GET ${route.path} did not contain "${route.expect}"`);
    if (route.key === "moderation") log(`  the moderation page is ${fmt(body.length / 1024, 0)} KB of HTML`);
  }
  const rounds = Math.max(1, Math.round(options.rounds));
  const slice = options.seconds / rounds;
  const results = new Map<string, LoadResult[]>();
  const cpuByRoute = new Map<string, { server: number; postgres: number }>();
  for (let r = 1; r <= rounds; r++) {
    for (const route of routes) {
      const headers = { cookie: cookieHeader(route.cookies), "user-agent": "portal-bench" };
      const target = `${baseUrl}${route.path}`;
      if (options.warmupSeconds > 0) await load(target, { headers, connections: options.connections, seconds: options.warmupSeconds, warmupSeconds: 0 });
      const before = await cpu();
      const result = await load(target, { headers, connections: options.connections, seconds: slice, warmupSeconds: 0 });
      const spent = cpuSpent(before, await cpu());
      const sum = cpuByRoute.get(route.key) ?? { server: 0, postgres: 0 };
      cpuByRoute.set(route.key, { server: sum.server + (spent.server ?? 0), postgres: sum.postgres + (spent.postgres ?? 0) });
      results.set(route.key, [...(results.get(route.key) ?? []), result]);
      log(`  round ${r}/${rounds}, ${route.name}: ${fmt(result.requestsPerSecond, 0)} req/s, p95 ${fmt(result.latency.p95)} ms`);
      if (server.hasExited()) throw new Error("The portal exited during the run");
    }
  }
  const ping = mergeLoads(results.get("ping") ?? []);
  return routes.map((route) => {
    const result = mergeLoads(results.get(route.key) ?? []);
    const l = result.latency;
    const ratio = ping.requestsPerSecond > 0 ? result.requestsPerSecond / ping.requestsPerSecond : null;
    const spent = cpuByRoute.get(route.key)!;
    const cpuMsPerRequest = result.requests > 0 ? ((spent.server + spent.postgres) * 1000) / result.requests : null;
    const problems = [
      probes.get(route.key) ?? null,
      result.non2xx > 0 ? `${result.non2xx} non-2xx answers (${JSON.stringify(result.statusCodes)})` : null,
      result.errors > 0 ? `${result.errors} request errors` : null,
      result.timeouts > 0 ? `${result.timeouts} timeouts` : null,
    ].filter(Boolean);
    const error = problems.length ? problems.join("; ") : null;
    const measured = route.key === "moderation";
    const line = row({
      section: "award",
      name: `${route.name}, ${options.connections} connections`,
      value: round(l.p95, 1),
      unit: "ms (p95)",
      target: measured ? `p95 < ${options.targets.moderationP95Ms} ms` : null,
      pass: measured ? !error && result.requests > 0 && l.p95 < options.targets.moderationP95Ms : null,
      error,
      result:
        `p95 ${fmt(l.p95)} ms (p50 ${fmt(l.p50)}); ${fmt(result.requestsPerSecond, 0)} req/s` +
        (route.key === "ping" ? " (= 100%)" : ` (${ratio === null ? "?" : `${fmt(ratio * 100, 1)}%`} of /ping)`) +
        `; CPU ${fmt(cpuMsPerRequest, 1)} ms a request`,
      details: {
        path: measured ? "/tenders/<tender>/evaluation/moderation/<question>" : route.path,
        ...loadFigures(result),
        ratioToBaseline: ratio === null ? null : round(ratio, 4),
        cpuSeconds: { server: round(spent.server, 2), postgres: round(spent.postgres, 2) },
        cpuMsPerRequest: cpuMsPerRequest === null ? null : round(cpuMsPerRequest, 2),
        rounds,
        webWorkers: "default (one per core)",
      },
    });
    log(`  ${line.name}: ${line.result}${error ? `  ERROR: ${error}` : ""}`);
    return line;
  });
}

/** The whole OCDS export, read to its last byte, while the portal's memory is sampled. */
async function exportRow(baseUrl: string, server: Child, award: GeneratedAward, cpu: CpuReader, options: AwardBenchOptions): Promise<BenchRow> {
  const { log } = options;
  const rss = async () => [...(await processTreeRss(server.pid)).values()].reduce((a, b) => a + b, 0);
  const runs: { seconds: number; firstByteMs: number; bytes: number; releases: number; growthBytes: number; baselineBytes: number; peakBytes: number; cpuSeconds: number | null }[] = [];
  const problems: string[] = [];
  for (let i = 0; i < options.exportRuns; i++) {
    // Let the collector settle what the page runs before left, so the baseline is the portal at rest.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const baseline = await rss();
    const memory = sampleMemory(server.pid, 50);
    const before = await cpu();
    const started = performance.now();
    const response = await fetch(`${baseUrl}/ocds/releases.json`, { headers: { "user-agent": "portal-bench" } });
    let firstByte = 0;
    let bytes = 0;
    const pieces: Buffer[] = [];
    const reader = response.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (bytes === 0) firstByte = performance.now() - started;
      bytes += value.byteLength;
      pieces.push(Buffer.from(value));
    }
    const seconds = (performance.now() - started) / 1000;
    const spent = cpuSpent(before, await cpu());
    const mem = await memory.stop();
    let releases = 0;
    try {
      releases = (JSON.parse(Buffer.concat(pieces).toString("utf8")) as { releases: unknown[] }).releases.length;
    } catch (error) {
      problems.push(`the export is not JSON: ${(error as Error).message}`);
    }
    if (response.status !== 200) problems.push(`GET /ocds/releases.json answered HTTP ${response.status}`);
    if (releases !== award.ocdsReleases) problems.push(`the export held ${releases} releases, not ${award.ocdsReleases}`);
    const peak = Math.max(mem.peakTotalBytes, baseline);
    runs.push({ seconds, firstByteMs: firstByte, bytes, releases, growthBytes: peak - baseline, baselineBytes: baseline, peakBytes: peak, cpuSeconds: spent.total });
    log(`  OCDS export ${i + 1}/${options.exportRuns}: ${fmt(seconds, 2)} s (first byte ${fmt(firstByte, 0)} ms), ${fmt(bytes / MB, 1)} MB, ${releases} releases; portal RSS ${fmt(baseline / MB, 0)} → peak ${fmt(peak / MB, 0)} MB; CPU ${fmt(spent.total, 2)} s`);
  }
  const slowest = Math.max(...runs.map((r) => r.seconds));
  const growth = Math.max(...runs.map((r) => r.growthBytes));
  const error = problems.length ? [...new Set(problems)].join("; ") : null;
  return row({
    section: "award",
    name: `OCDS export of ${award.publishedTenders + 1} published tenders (${award.ocdsReleases} releases), streamed`,
    value: round(slowest, 2),
    unit: "s (slowest)",
    target: `< ${options.targets.exportSeconds} s with the portal's RSS growing < ${options.targets.exportMemoryMb} MB`,
    pass: !error && slowest < options.targets.exportSeconds && growth < options.targets.exportMemoryMb * MB,
    error,
    result:
      `slowest ${fmt(slowest, 2)} s of ${runs.length} (first byte ${fmt(runs[0]?.firstByteMs, 0)} ms), ${fmt((runs[0]?.bytes ?? 0) / MB, 1)} MB; ` +
      `portal RSS grew at most ${fmt(growth / MB, 1)} MB (all its processes, sampled every 50 ms); CPU ${fmt(runs[0]?.cpuSeconds, 2)} s an export`,
    details: {
      runs: runs.map((r) => ({ ...r, seconds: round(r.seconds, 3), firstByteMs: round(r.firstByteMs, 1), growthMb: round(r.growthBytes / MB, 1), baselineMb: round(r.baselineBytes / MB, 1), peakMb: round(r.peakBytes / MB, 1), cpuSeconds: r.cpuSeconds === null ? null : round(r.cpuSeconds, 2) })),
      memorySampledEveryMs: 50,
    },
  });
}
