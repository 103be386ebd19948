// Tendering under load, against the portal built for production in a private
// copy of the working tree and started as `npm start` runs it (default web
// workers) on a throwaway embedded database holding a generated data set with
// 200 tenders and 5,000 bids:
//
// - `/tenders` (anonymous) and a provider's bid page (the provider with the
//   largest draft in an open tender), with autocannon at 20 connections, each
//   beside `/ping` from the same start;
// - a deadline rush: N providers (300) each register interest, start a bid,
//   choose lots, save every answer of a 30-question questionnaire, upload
//   three 1 MB files, price it and submit, all through the real forms (CSRF
//   tokens, redirects), started within a ramp and finished within 5 minutes.
//   The database is then checked: exactly N submissions, one per provider,
//   each with its three files. The portal's memory (all its processes) is
//   sampled throughout.
import crypto from "node:crypto";
import path from "node:path";
import { sql } from "kysely";
import { createDatabase } from "#app/database/connection";
import { migrate } from "#db/migrate";
import { DEMO_PASSWORD } from "#db/seed/demo";
import { generateDataSet } from "#db/seed/generate";
import { generateTendering } from "#db/seed/generate-tendering";
import { spawnPortal } from "./http-routes";
import { ownerQuery, startBenchPostgres } from "./lib/database";
import { anonymousCookies, cookieHeader, cookiesFrom, formTokenIn, load, mergeLoads, processTreeCpuSeconds, signIn, type LoadResult } from "./lib/http";
import { sampleMemory } from "./lib/memory";
import { tempDir, waitFor200, type Child } from "./lib/processes";
import { row, type BenchRow } from "./lib/report";
import { fmt, round, summarise } from "./lib/stats";
import { buildForProduction, copyWorkingTree } from "./lib/tree";

export interface TenderingBenchOptions {
  root: string;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  rounds: number;
  /** The data set: tenders and bids (0 leaves the tendering generator out). */
  tenders: number;
  bids: number;
  providers: number;
  /** Providers in the deadline rush (0 skips it). */
  rushProviders: number;
  /** Seconds over which the rush's providers start. */
  rushRampSeconds: number;
  /** Bytes of each of the three uploads. */
  rushFileBytes: number;
  targets: { pageP95Ms: number; submitP95Ms: number; rushWindowSeconds: number };
  log: (line: string) => void;
}

const MB = 1024 * 1024;

export async function benchTendering(options: TenderingBenchOptions): Promise<{ rows: BenchRow[]; dataSet: Record<string, unknown> }> {
  const { log } = options;
  const { dir } = tempDir("portal-bench-tendering-");
  const tree = path.join(dir, "portal");
  const buildStarted = performance.now();
  copyWorkingTree(options.root, tree);
  buildForProduction(tree);
  log(`  copied the working tree and built it for production (${fmt((performance.now() - buildStarted) / 1000)} s)`);

  const postgres = await startBenchPostgres("tendering");
  try {
    const url = await postgres.createDatabase("portal_bench_tendering");
    const prepared = await prepareTenderingData(url, options);
    const { server, baseUrl } = await spawnPortal({ tree, dir, url, runtimeUrl: postgres.runtimeUrl("portal_bench_tendering"), workers: null });
    const rows: BenchRow[] = [];
    try {
      await waitFor200(`${baseUrl}/ping`, { child: server, timeoutMs: 60_000 });
      rows.push(...(await pageRows(baseUrl, server, postgres.postmasterPid(), prepared, options)));
      if (options.rushProviders > 0) rows.push(...(await deadlineRush(baseUrl, server, postgres.postmasterPid(), url, prepared, options)));
      const serverErrors = server.output().split("\n").filter((line) => /error/i.test(line));
      if (serverErrors.length) log(`  the portal logged errors:\n    ${serverErrors.slice(-5).join("\n    ")}`);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n  The portal's last output:\n    ${server.output().split("\n").slice(-15).join("\n    ")}`);
    } finally {
      await server.stop();
    }
    return { rows, dataSet: prepared.dataSet };
  } finally {
    await postgres.stop();
  }
}

interface Prepared {
  dataSet: Record<string, unknown>;
  /** The provider user with the largest draft in an open tender, and that tender. */
  largeDraft: { email: string; tenderId: string; answerChars: number; answers: number };
  rush: { tenderId: string; emails: string[] } | null;
}

export async function prepareTenderingData(url: string, options: TenderingBenchOptions): Promise<Prepared> {
  const { log } = options;
  const started = performance.now();
  await migrate(url);
  const db = createDatabase({ connectionString: url, max: 4 });
  try {
    const set = await generateDataSet(db, {
      seed: "bench-tendering",
      councils: 5,
      providers: Math.max(options.providers, options.rushProviders),
      homesPerProvider: 1,
      usersPerProvider: 1,
      usersPerCouncil: 5,
      audit: "batch",
      tendering: options.tenders > 0 ? { tenders: options.tenders, bids: options.bids, questionsPerTender: 30 } : false,
    });
    // The rush's tender: open, 30 questions of which three are pass/fail (one upload each), no bids yet.
    const rush =
      options.rushProviders > 0
        ? await generateTendering(db, { seed: "bench-rush", tenders: 1, bids: 0, openOnly: true, questionsPerTender: 30, passFailQuestions: 3, titlePrefix: "Deadline rush" })
        : null;
    await ownerQuery(url, "VACUUM (ANALYZE)");
    const large = await db
      .selectFrom("bid")
      .innerJoin("tender", "tender.id", "bid.tender_id")
      .innerJoin("bid_answer", "bid_answer.bid_id", "bid.id")
      .innerJoin("app_user", "app_user.organisation_id", "bid.organisation_id")
      .select(["app_user.email", "bid.tender_id", sql<string>`sum(coalesce(length(bid_answer.answer_text), 0))`.as("chars"), sql<string>`count(*)`.as("answers")])
      .where("tender.status", "=", "published")
      .where("tender.submission_deadline_at", ">", new Date())
      .groupBy(["app_user.email", "bid.tender_id"])
      .orderBy(sql`sum(coalesce(length(bid_answer.answer_text), 0))`, "desc")
      .limit(1)
      .executeTakeFirst();
    if (!large) throw new Error("The generated data set has no draft bid in an open tender");
    const [counts] = await ownerQuery<Record<string, string>>(
      url,
      `SELECT (SELECT count(*) FROM tender) AS tenders, (SELECT count(*) FROM tender WHERE status = 'published') AS published,
              (SELECT count(*) FROM tender_question) AS questions, (SELECT count(*) FROM bid) AS bids,
              (SELECT count(*) FROM bid_submission) AS submitted_versions, (SELECT count(*) FROM bid_answer) AS draft_answers,
              (SELECT count(*) FROM bid_submission_answer) AS submitted_answers, (SELECT count(*) FROM organisation WHERE kind = 'provider') AS providers`,
    );
    const figures = Object.fromEntries(Object.entries(counts ?? {}).map(([k, v]) => [k, Number(v)]));
    const seconds = (performance.now() - started) / 1000;
    log(
      `  data: ${Object.entries(figures)
        .map(([k, v]) => `${v.toLocaleString("en-GB")} ${k.replace(/_/g, " ")}`)
        .join(", ")} (generated in ${fmt(seconds)} s; tendering generator ${fmt((set.tendering?.elapsedMs ?? 0) / 1000)} s)`,
    );
    log(`  the largest draft: ${large.email}, ${Number(large.answers)} answers, ${Number(large.chars).toLocaleString("en-GB")} characters`);
    const emails = set.users.filter((u) => u.role === "provider_user").slice(0, options.rushProviders).map((u) => u.email);
    if (rush && emails.length < options.rushProviders) throw new Error(`Only ${emails.length} provider users for a rush of ${options.rushProviders}`);
    return {
      dataSet: { ...figures, seconds: round(seconds, 1), tenderingGeneratorSeconds: round((set.tendering?.elapsedMs ?? 0) / 1000, 1) },
      largeDraft: { email: large.email, tenderId: large.tender_id, answerChars: Number(large.chars), answers: Number(large.answers) },
      rush: rush ? { tenderId: rush.tenderList[0]!.id, emails } : null,
    };
  } finally {
    await db.destroy();
  }
}

async function pageRows(baseUrl: string, server: Child, postmaster: number | null, prepared: Prepared, options: TenderingBenchOptions): Promise<BenchRow[]> {
  const { log } = options;
  const anonymous = await anonymousCookies(baseUrl);
  const provider = await signIn(baseUrl, prepared.largeDraft.email, DEMO_PASSWORD);
  const routes = [
    { key: "ping", name: "/ping (baseline)", path: "/ping", cookies: anonymous, expect: "ok", target: false },
    { key: "tenders", name: "/tenders (anonymous)", path: "/tenders", cookies: anonymous, expect: "Tenders", target: true },
    { key: "bid", name: "a provider's bid page (largest draft)", path: `/tenders/${prepared.largeDraft.tenderId}/bid`, cookies: provider, expect: "Your bid", target: true },
  ];
  // Each route a few times first, so the first measured does not pay for the JIT's warm-up.
  const probes = new Map<string, string | null>();
  for (const route of routes) {
    const headers = { cookie: cookieHeader(route.cookies), "user-agent": "portal-bench" };
    let problem: string | null = null;
    for (let i = 0; i < 40; i++) {
      const response = await fetch(`${baseUrl}${route.path}`, { headers, redirect: "manual" });
      const body = await response.text();
      if (response.status !== 200) problem = `GET ${route.path} answered HTTP ${response.status}`;
      else if (!body.includes(route.expect)) problem = `GET ${route.path} did not contain "${route.expect}"`;
    }
    probes.set(route.key, problem);
  }
  const rounds = Math.max(1, Math.round(options.rounds));
  const slice = options.seconds / rounds;
  const results = new Map<string, LoadResult[]>();
  // The CPU the portal (all its workers) and PostgreSQL used during each route's measured seconds: other work on the machine moves it far less than latency.
  const cpu = new Map<string, { server: number | null; postgres: number | null }>();
  const add = (a: number | null, from: number | null, to: number | null) => (a === null || from === null || to === null ? null : a + to - from);
  for (let r = 1; r <= rounds; r++) {
    for (const route of routes) {
      const headers = { cookie: cookieHeader(route.cookies), "user-agent": "portal-bench" };
      const target = `${baseUrl}${route.path}`;
      if (options.warmupSeconds > 0) await load(target, { headers, connections: options.connections, seconds: options.warmupSeconds, warmupSeconds: 0 });
      const server0 = await processTreeCpuSeconds(server.pid);
      const pg0 = postmaster ? await processTreeCpuSeconds(postmaster) : null;
      const result = await load(target, { headers, connections: options.connections, seconds: slice, warmupSeconds: 0 });
      const server1 = await processTreeCpuSeconds(server.pid);
      const pg1 = postmaster ? await processTreeCpuSeconds(postmaster) : null;
      const used = cpu.get(route.key) ?? { server: 0, postgres: 0 };
      cpu.set(route.key, { server: add(used.server, server0, server1), postgres: add(used.postgres, pg0, pg1) });
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
    const problems = [
      probes.get(route.key) ?? null,
      result.non2xx > 0 ? `${result.non2xx} non-2xx answers (${JSON.stringify(result.statusCodes)})` : null,
      result.errors > 0 ? `${result.errors} request errors` : null,
      result.timeouts > 0 ? `${result.timeouts} timeouts` : null,
    ].filter(Boolean);
    const error = problems.length ? problems.join("; ") : null;
    const used = cpu.get(route.key);
    const perRequestMs = (seconds: number | null | undefined) => (seconds === null || seconds === undefined || result.requests === 0 ? null : round((seconds * 1000) / result.requests, 2));
    const cpuMsPerRequest = {
      server: perRequestMs(used?.server),
      postgres: perRequestMs(used?.postgres),
      total: used?.server == null || used.postgres == null ? null : perRequestMs(used.server + used.postgres),
    };
    const line = row({
      section: "tendering",
      name: `${route.name}, ${options.connections} connections`,
      value: round(l.p95, 1),
      unit: "ms (p95)",
      target: route.target ? `p95 < ${options.targets.pageP95Ms} ms` : null,
      pass: route.target ? !error && result.requests > 0 && l.p95 < options.targets.pageP95Ms : null,
      error,
      result:
        `p95 ${fmt(l.p95)} ms (p50 ${fmt(l.p50)}); ${fmt(result.requestsPerSecond, 0)} req/s` +
        (route.key === "ping" ? " (= 100%)" : ` (${ratio === null ? "?" : `${fmt(ratio * 100, 0)}%`} of /ping)`) +
        (cpuMsPerRequest.total !== null ? `; CPU ${fmt(cpuMsPerRequest.total, 1)} ms a request (portal ${fmt(cpuMsPerRequest.server, 1)}, PostgreSQL ${fmt(cpuMsPerRequest.postgres, 1)})` : ""),
      details: {
        path: route.key === "bid" ? "/tenders/<open tender>/bid" : route.path,
        signedInAs: route.key === "bid" ? prepared.largeDraft.email : null,
        draft: route.key === "bid" ? { answers: prepared.largeDraft.answers, answerCharacters: prepared.largeDraft.answerChars } : undefined,
        requestsPerSecond: round(result.requestsPerSecond, 1),
        ratioToBaseline: ratio === null ? null : round(ratio, 3),
        latencyMs: { p50: round(l.p50), p95: round(l.p95), p99: round(l.p99), mean: round(l.mean), max: round(l.max) },
        requests: result.requests,
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        statusCodes: result.statusCodes,
        meanResponseBytes: Math.round(result.meanBytes),
        // The portal's and PostgreSQL's CPU over the requests answered (ms): the figure to compare between runs.
        cpuMsPerRequest,
        durationSeconds: result.durationSeconds,
        rounds,
        webWorkers: "default (one per core)",
      },
    });
    log(`  ${line.name}: ${line.result}${error ? `  ERROR: ${error}` : ""}`);
    return line;
  });
}

/** A PDF of about `bytes` bytes, different for each `label`, that the file store accepts as a PDF. */
function uploadPdf(label: string, bytes: number): Buffer {
  const head = Buffer.from(`%PDF-1.4\n% ${label}\n1 0 obj\n<< /Length ${bytes} >>\nstream\n`, "latin1");
  const tail = Buffer.from("\nendstream\nendobj\ntrailer\n<< >>\n%%EOF\n", "latin1");
  const body = crypto.randomBytes(Math.max(0, bytes - head.length - tail.length));
  return Buffer.concat([head, body, tail]);
}

interface RushStep {
  kind: "interest" | "start" | "lots" | "answer" | "upload" | "prices" | "check" | "submit";
  ms: number;
  status: number;
}

export async function deadlineRush(baseUrl: string, server: Child, postmaster: number | null, ownerUrl: string, prepared: Prepared, options: TenderingBenchOptions): Promise<BenchRow[]> {
  const { log } = options;
  const rush = prepared.rush!;
  const tenderId = rush.tenderId;
  const n = rush.emails.length;
  const db = createDatabase({ connectionString: ownerUrl, max: 2 });
  let questions: { id: string; kind: string }[];
  let lotIds: string[];
  let priceItems: { id: string; component: string }[];
  try {
    questions = await db
      .selectFrom("tender_question")
      .innerJoin("tender_section", "tender_section.id", "tender_question.section_id")
      .select(["tender_question.id", "tender_question.kind"])
      .where("tender_question.tender_id", "=", tenderId)
      .orderBy("tender_section.position")
      .orderBy("tender_question.position")
      .execute();
    lotIds = (await db.selectFrom("tender_lot").select("lot_id").where("tender_id", "=", tenderId).execute()).map((r) => r.lot_id);
    priceItems = await db
      .selectFrom("tender_price_item")
      .innerJoin("tender_price_schedule", "tender_price_schedule.id", "tender_price_item.schedule_id")
      .select(["tender_price_item.id", "tender_price_item.component"])
      .where("tender_price_schedule.tender_id", "=", tenderId)
      .execute();
  } finally {
    await db.destroy();
  }
  const uploads = questions.filter((q) => q.kind === "pass_fail");
  log(`  deadline rush: ${n} providers, ${questions.length} questions (${uploads.length} with a ${fmt(options.rushFileBytes / MB, 1)} MB upload), ${lotIds.length} lots, starting over ${options.rushRampSeconds} s`);

  // Sessions first, through the sign-in form, ten at a time (as people arriving do, not part of the rush's figures).
  const signInStarted = performance.now();
  const sessions: Map<string, string>[] = [];
  for (let i = 0; i < n; i += 10) {
    sessions.push(...(await Promise.all(rush.emails.slice(i, i + 10).map((email) => signIn(baseUrl, email, DEMO_PASSWORD)))));
  }
  const signInSeconds = (performance.now() - signInStarted) / 1000;
  log(`  signed in ${n} providers in ${fmt(signInSeconds)} s`);

  const steps: RushStep[] = [];
  const failures: string[] = [];
  const submitTimes: number[] = [];
  const memory = sampleMemory(server.pid);
  // CPU the portal and PostgreSQL use for the rush: unlike latency, hardly moved by other work on the machine.
  const serverCpu0 = await processTreeCpuSeconds(server.pid);
  const pgCpu0 = postmaster ? await processTreeCpuSeconds(postmaster) : null;
  const rushStarted = performance.now();
  const pounds = (component: string) => (component === "hourly_support_rate" ? "31.50" : component === "weekly_accommodation_charge" ? "295.00" : component === "nightly_rate" ? "410.00" : "5250.00");

  const provider = async (i: number) => {
    const cookies = sessions[i]!;
    await new Promise((resolve) => setTimeout(resolve, (options.rushRampSeconds * 1000 * i) / n));
    const send = async (kind: RushStep["kind"], pathname: string, body?: URLSearchParams | FormData): Promise<string> => {
      const started = performance.now();
      const response = await fetch(`${baseUrl}${pathname}`, {
        method: body ? "POST" : "GET",
        redirect: "manual",
        headers: { cookie: cookieHeader(cookies), "user-agent": "portal-bench", origin: baseUrl },
        body,
      });
      const text = await response.text();
      const ms = performance.now() - started;
      for (const [k, v] of cookiesFrom(response)) cookies.set(k, v);
      steps.push({ kind, ms, status: response.status });
      const ok = body ? response.status === 302 || response.status === 303 : response.status === 200;
      if (!ok) throw new Error(`${body ? "POST" : "GET"} ${pathname.replace(tenderId, "<tender>")} answered HTTP ${response.status}${response.status >= 400 ? `: ${text.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").slice(0, 160)}` : ""}`);
      if (kind === "submit") submitTimes.push(performance.now() - rushStarted);
      return text;
    };
    const form = (token: string, fields: Record<string, string | string[]>) => {
      const params = new URLSearchParams({ _csrf: token });
      for (const [k, v] of Object.entries(fields)) for (const value of Array.isArray(v) ? v : [v]) params.append(k, value);
      return params;
    };
    try {
      const tenderPage = await send("interest", `/tenders/${tenderId}`);
      const token = formTokenIn(tenderPage);
      if (!token) throw new Error("The tender page had no form token");
      await send("interest", `/tenders/${tenderId}`, form(token, { intent: "register" }));
      await send("start", `/tenders/${tenderId}/bid`, form(token, { intent: "start" }));
      await send("lots", `/tenders/${tenderId}/bid/lots`, form(token, { lotIds, expectedVersion: "1" }));
      for (const [k, q] of questions.entries()) {
        const answer: Record<string, string> =
          q.kind === "quality"
            ? { answerText: `Provider ${i + 1}, answer ${k + 1}. ${"Our staff keep children safe with weekly reviews and a named key worker. ".repeat(6)}`.trim() }
            : q.kind === "pass_fail"
              ? { meetsRequirement: "yes" }
              : { declared: "yes" };
        await send("answer", `/tenders/${tenderId}/bid/questions/${q.id}`, form(token, { ...answer, expectedVersion: "0" }));
      }
      for (const [k, q] of uploads.entries()) {
        const data = new FormData();
        data.set("_csrf", token);
        data.set("intent", "upload");
        data.set("file", new Blob([new Uint8Array(uploadPdf(`provider ${i + 1} file ${k + 1}`, options.rushFileBytes))], { type: "application/pdf" }), `Evidence ${k + 1}.pdf`);
        await send("upload", `/tenders/${tenderId}/bid/questions/${q.id}`, data);
      }
      await send("prices", `/tenders/${tenderId}/bid/prices`, form(token, { expectedVersion: "2", ...Object.fromEntries(priceItems.map((p) => [`price-${p.id}`, pounds(p.component)])) }));
      await send("check", `/tenders/${tenderId}/bid/check`);
      await send("submit", `/tenders/${tenderId}/bid/check`, form(token, { declarationConfirmed: "yes" }));
    } catch (error) {
      failures.push(`provider ${i + 1}: ${(error as Error).message}`);
    }
  };
  await Promise.all(Array.from({ length: n }, (_, i) => provider(i)));
  const rushSeconds = (performance.now() - rushStarted) / 1000;
  const serverCpu1 = await processTreeCpuSeconds(server.pid);
  const pgCpu1 = postmaster ? await processTreeCpuSeconds(postmaster) : null;
  const mem = await memory.stop();
  const cpuSeconds = {
    server: serverCpu0 !== null && serverCpu1 !== null ? round(serverCpu1 - serverCpu0, 1) : null,
    postgres: pgCpu0 !== null && pgCpu1 !== null ? round(pgCpu1 - pgCpu0, 1) : null,
  };
  const cpuPerProvider = cpuSeconds.server !== null && cpuSeconds.postgres !== null ? (cpuSeconds.server + cpuSeconds.postgres) / n : null;

  // What the database holds afterwards: one submission per provider, none lost or twice.
  const [check] = await ownerQuery<Record<string, string>>(
    ownerUrl,
    `SELECT count(*) AS submissions, count(DISTINCT bid_id) AS bids, count(DISTINCT organisation_id) AS organisations, max(number) AS highest_number,
            (SELECT count(*) FROM bid_submission_file f JOIN bid_submission s2 ON s2.id = f.submission_id WHERE s2.tender_id = $1) AS files,
            (SELECT count(*) FROM bid_submission_answer a JOIN bid_submission s3 ON s3.id = a.submission_id WHERE s3.tender_id = $1) AS answers,
            (SELECT count(*) FROM bid WHERE tender_id = $1) AS drafts
       FROM bid_submission WHERE tender_id = $1`,
    [tenderId],
  );
  const db2 = Object.fromEntries(Object.entries(check ?? {}).map(([k, v]) => [k, Number(v)]));
  const submits = steps.filter((s) => s.kind === "submit").map((s) => s.ms);
  const s = summarise(submits);
  const errorAnswers = steps.filter((x) => x.status >= 400).length;
  const span = submitTimes.length ? (Math.max(...submitTimes) - Math.min(...submitTimes)) / 1000 : null;
  const exact = db2.submissions === n && db2.bids === n && db2.organisations === n && db2.highest_number === 1;
  const problems = [
    failures.length ? `${failures.length} providers did not finish (first: ${failures[0]})` : null,
    errorAnswers ? `${errorAnswers} error answers` : null,
    !exact ? `the database holds ${db2.submissions} submissions from ${db2.organisations} providers (expected exactly ${n}, one each)` : null,
    db2.files !== n * uploads.length ? `${db2.files} submitted files (expected ${n * uploads.length})` : null,
  ].filter((x): x is string => x !== null);
  const error = problems.length ? problems.join("; ") : null;
  const byKind = Object.fromEntries(
    [...new Set(steps.map((x) => x.kind))].map((kind) => {
      const sum = summarise(steps.filter((x) => x.kind === kind).map((x) => x.ms));
      return [kind, { requests: sum.count, p50: round(sum.p50), p95: round(sum.p95), max: round(sum.max) }];
    }),
  );
  const common = {
    providers: n,
    questions: questions.length,
    uploadsPerBid: uploads.length,
    uploadBytes: options.rushFileBytes,
    rampSeconds: options.rushRampSeconds,
    rushSeconds: round(rushSeconds, 1),
    submissionSpanSeconds: span === null ? null : round(span, 1),
    signInSeconds: round(signInSeconds, 1),
    requests: steps.length,
    errorAnswers,
    failures: failures.slice(0, 10),
    database: db2,
    latencyByStepMs: byKind,
    webWorkers: "default (one per core)",
    // The portal's and PostgreSQL's CPU for the whole rush, and per provider's bid (about 40 requests).
    cpuSeconds,
    cpuSecondsPerProvider: cpuPerProvider === null ? null : round(cpuPerProvider, 2),
  };
  for (const f of failures.slice(0, 3)) log(`    ${f}`);
  const rows: BenchRow[] = [
    row({
      section: "tendering",
      name: `Deadline rush: ${n} providers submit (${questions.length} questions, ${uploads.length} × ${fmt(options.rushFileBytes / MB, 1)} MB uploads each)`,
      value: submits.length ? round(s.p95, 1) : null,
      unit: "ms (p95 submit)",
      target: `all ${n} submitted once, no error answers, p95 submit < ${options.targets.submitP95Ms} ms, within ${options.targets.rushWindowSeconds} s`,
      pass: !error && submits.length > 0 && s.p95 < options.targets.submitP95Ms && rushSeconds <= options.targets.rushWindowSeconds,
      error,
      result:
        `${db2.submissions} submissions in the database from ${db2.organisations} providers; submit p95 ${fmt(s.p95)} ms (p50 ${fmt(s.p50)}, max ${fmt(s.max)}); ` +
        `whole rush ${fmt(rushSeconds)} s, submissions within ${fmt(span)} s; ${steps.length.toLocaleString("en-GB")} requests, ${errorAnswers} error answers` +
        (cpuPerProvider !== null ? `; CPU ${fmt(cpuPerProvider, 2)} s a bid (portal ${fmt(cpuSeconds.server, 0)} s, PostgreSQL ${fmt(cpuSeconds.postgres, 0)} s in all)` : ""),
      details: { ...common, submitLatencyMs: { p50: round(s.p50), p95: round(s.p95), p99: round(s.p99), max: round(s.max), count: s.count } },
    }),
    row({
      section: "tendering",
      name: "Deadline rush: the portal's peak memory (all its processes)",
      value: round(mem.peakTotalBytes / MB, 0),
      unit: "MB",
      result: `peak ${fmt(mem.peakTotalBytes / MB, 0)} MB resident in total; per process at most ${Object.values(mem.peakByProcess)
        .map((b) => `${fmt(b / MB, 0)} MB`)
        .join(", ")} (${mem.samples} samples)`,
      details: { peakTotalBytes: mem.peakTotalBytes, peakByProcess: mem.peakByProcess, samples: mem.samples, sampledEveryMs: 250, providers: n },
    }),
  ];
  for (const r of rows) log(`  ${r.name}: ${r.result}${r.error ? `  ERROR: ${r.error}` : ""}`);
  return rows;
}
