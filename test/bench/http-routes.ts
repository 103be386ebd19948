// Pages under load: the portal, built for production in a private copy of the
// working tree, started as its own process (as `npm start` runs it,
// NODE_ENV=production) on a fresh embedded database
// holding the demo plus a generated larger data set, then autocannon against
// each route in turn from this process. The portal is started twice in the
// same run, with one web worker and with the default number, and each page is
// reported beside /ping and the signed-in page with no data from its own start.
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { createDatabase } from "#app/database/connection";
import { freePort } from "#app/database/embedded";
import { migrate } from "#db/migrate";
import { seedDemo, DEMO_PASSWORD } from "#db/seed/demo";
import { generateDataSet } from "#db/seed/generate";
import { appendAuditEvents, type BulkActor } from "./lib/audit-bulk";
import { ownerQuery, startBenchPostgres } from "./lib/database";
import { anonymousCookies, cookieHeader, load, loadFigures, mergeLoads, processTreeCpuSeconds, signIn, type LoadResult } from "./lib/http";
import { spawnNode, tempDir, waitFor200, type Child } from "./lib/processes";
import { builtCopy } from "./lib/tree";
import { row, type BenchRow } from "./lib/report";
import { fmt, round } from "./lib/stats";

export interface HttpBenchOptions {
  root: string;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  /** Passes over every route; each measures seconds / rounds of each, so a burst of other work on the machine is shared out. */
  rounds: number;
  /** Audit events in the database in total (the seed's plus bulk ones). */
  auditEvents: number;
  providers: number;
  homesPerProvider: number;
  /** Requests/s as a share of the signed-in page with no data: the officer dashboard's and the 50-row lists'. */
  targets: { dashboardOfFloor: number; listOfFloor: number };
  log: (line: string) => void;
}

const OFFICER = "officer@westmoor.example";
const PROVIDER = "provider@harbour-light.example";

interface RouteSpec {
  key: string;
  name: string;
  path: string;
  as: "anonymous" | "officer" | "provider";
  expect?: string;
  /** Which share of the no-data page's requests/s the route must reach. */
  target?: "dashboardOfFloor" | "listOfFloor";
}

const ROUTES: RouteSpec[] = [
  { key: "ping", name: "/ping (baseline)", path: "/ping", as: "anonymous", expect: "ok" },
  { key: "ping-officer", name: "/ping signed in (officer)", path: "/ping", as: "officer", expect: "ok" },
  // A signed-in page with no data of its own: what any document costs (session, root loader, React render).
  { key: "document-officer", name: "/accessibility (officer, no data)", path: "/accessibility", as: "officer", expect: "Accessibility statement" },
  { key: "dashboard-officer", name: "/ dashboard (officer)", path: "/", as: "officer", expect: "Welcome, ", target: "dashboardOfFloor" },
  { key: "dashboard-provider", name: "/ dashboard (provider)", path: "/", as: "provider", expect: "Your homes and services" },
  { key: "agreements", name: "/agreements (officer)", path: "/agreements", as: "officer" },
  { key: "homes", name: "/homes (officer, 50 rows)", path: "/homes", as: "officer", target: "listOfFloor" },
  { key: "audit", name: "/audit (officer, 50 rows)", path: "/audit", as: "officer", target: "listOfFloor" },
];
const FLOOR = "document-officer";

export async function prepareDataSet(url: string, options: HttpBenchOptions): Promise<Record<string, unknown>> {
  const { log } = options;
  const started = performance.now();
  await migrate(url);
  const db = createDatabase({ connectionString: url, max: 4 });
  try {
    await seedDemo(db);
    const seededMs = performance.now() - started;
    const generated = await generateDataSet(db, {
      seed: "bench",
      councils: 5,
      providers: options.providers,
      homesPerProvider: options.homesPerProvider,
      usersPerProvider: 1,
      usersPerCouncil: 5,
    });
    const generatedMs = performance.now() - started - seededMs;
    const head = await db.selectFrom("audit_chain_head").select("seq").executeTakeFirstOrThrow();
    const bulkCount = Math.max(0, options.auditEvents - head.seq);
    let bulkMs = 0;
    if (bulkCount > 0) {
      const actors = await db
        .selectFrom("app_user")
        .innerJoin("organisation", "organisation.id", "app_user.organisation_id")
        .select((eb) => [
          "app_user.id as userId",
          "app_user.full_name as name",
          "organisation.id as organisationId",
          "organisation.name as organisationName",
          eb
            .selectFrom("user_role")
            .select(sql<string[]>`array_agg(role ORDER BY role)`.as("r"))
            .whereRef("user_role.user_id", "=", "app_user.id")
            .as("roles"),
        ])
        .execute();
      const homes = await db.selectFrom("home").select(["id", "name", "organisation_id as organisationId"]).execute();
      const agreements = await db.selectFrom("agreement").select("id").execute();
      const t = performance.now();
      await appendAuditEvents(url, {
        count: bulkCount,
        seed: "bench-http",
        actors: actors.map((a): BulkActor => ({ ...a, roles: a.roles ?? [] })),
        homes,
        agreementIds: agreements.map((a) => a.id),
        from: new Date(Date.now() - 60 * 86_400_000),
        to: new Date(),
      });
      bulkMs = performance.now() - t;
    }
    await ownerQuery(url, "VACUUM (ANALYZE)");
    const [counts] = await ownerQuery<Record<string, string>>(
      url,
      `SELECT (SELECT count(*) FROM organisation WHERE kind = 'provider') AS providers, (SELECT count(*) FROM home) AS homes,
              (SELECT count(*) FROM ofsted_judgement) AS judgements, (SELECT count(*) FROM app_user) AS users,
              (SELECT count(*) FROM agreement) AS agreements, (SELECT count(*) FROM audit_event) AS audit_events`,
    );
    const figures = Object.fromEntries(Object.entries(counts ?? {}).map(([k, v]) => [k, Number(v)]));
    log(
      `  data: ${Object.entries(figures)
        .map(([k, v]) => `${v.toLocaleString("en-GB")} ${k.replace("_", " ")}`)
        .join(", ")} (demo ${fmt(seededMs / 1000)} s, generator ${fmt(generatedMs / 1000)} s, bulk audit ${fmt(bulkMs / 1000)} s)`,
    );
    return { ...figures, seconds: round((performance.now() - started) / 1000, 1) };
  } finally {
    await db.destroy();
  }
}

export async function benchHttpRoutes(options: HttpBenchOptions): Promise<{ rows: BenchRow[]; dataSet: Record<string, unknown> }> {
  const { log } = options;
  // The portal runs from a private copy of the working tree with its own production build.
  const { dir, tree, buildSeconds } = builtCopy(options.root, "portal-bench-http-");
  log(`  copied the working tree and built it for production in ${tree} (${fmt(buildSeconds)} s)`);

  const postgres = await startBenchPostgres("http");
  try {
    const url = await postgres.createDatabase("portal_bench_http");
    const dataSet = await prepareDataSet(url, options);
    const rows: BenchRow[] = [];
    // One worker (the portal before node:cluster) and the default `npm start` uses, on the same data.
    const defaultWorkers = os.availableParallelism();
    for (const workers of defaultWorkers > 1 ? [1, defaultWorkers] : [1]) {
      log(`  the portal with ${workers === 1 ? "one web worker (WEB_CONCURRENCY=1)" : `${workers} web workers (the default: one per core)`}:`);
      rows.push(
        ...(await benchOneStart({
          options,
          tree,
          dir,
          url,
          runtimeUrl: postgres.runtimeUrl("portal_bench_http"),
          postmaster: postgres.postmasterPid(),
          workers,
          isDefault: workers === defaultWorkers,
        })),
      );
    }
    return { rows, dataSet: { ...dataSet, buildSeconds: round(buildSeconds, 1) } };
  } finally {
    await postgres.stop();
  }
}

async function benchOneStart(run: {
  options: HttpBenchOptions;
  tree: string;
  dir: string;
  /** The owner's login, for migrations. */
  url: string;
  /** The runtime login the portal serves with. */
  runtimeUrl: string;
  postmaster: number | null;
  workers: number;
  isDefault: boolean;
}): Promise<BenchRow[]> {
  const { options, workers } = run;
  const { log } = options;
  const { server, baseUrl } = await spawnPortal({ ...run, workers: run.isDefault ? null : workers });
  const label = `${workers} worker${workers === 1 ? "" : "s"}${run.isDefault ? ", default" : ""}`;
  try {
    await waitFor200(`${baseUrl}/ping`, { child: server, timeoutMs: 60_000 });
    const sessions = {
      anonymous: await anonymousCookies(baseUrl),
      officer: await signIn(baseUrl, OFFICER, DEMO_PASSWORD),
      provider: await signIn(baseUrl, PROVIDER, DEMO_PASSWORD),
    };
    const rows: BenchRow[] = [];
    const measured = new Map<string, LoadResult>();
    const costs = new Map<string, number | null>();
    const postmaster = run.postmaster;
    // Every route a few times first (on new connections, so every worker gets
    // some), so the first route measured does not pay for the JIT's warm-up.
    for (const route of ROUTES) {
      const headers = { cookie: cookieHeader(sessions[route.as]), "user-agent": "portal-bench" };
      for (let i = 0; i < 20 * workers; i++) await (await fetch(`${baseUrl}${route.path}`, { headers, redirect: "manual" })).arrayBuffer();
    }
    // Routes are measured in turns (every route, then every route again…)
    // rather than one after another, so that other work on the machine
    // weighs on each about equally.
    const rounds = Math.max(1, Math.round(options.rounds));
    const slice = options.seconds / rounds;
    const runs = new Map<string, { results: LoadResult[]; serverCpu: number | null; postgresCpu: number | null; benchCpu: number; probeError: string | null }>();
    for (let round = 1; round <= rounds; round++) {
      for (const route of ROUTES) {
        const headers = { cookie: cookieHeader(sessions[route.as]), "user-agent": "portal-bench" };
        let acc = runs.get(route.key);
        if (!acc) {
          // One plain request first: a route that does not answer 200 is an error, not a figure.
          const probe = await fetch(`${baseUrl}${route.path}`, { headers, redirect: "manual" });
          const body = await probe.text();
          let probeError: string | null = null;
          if (probe.status !== 200) probeError = `GET ${route.path} answered HTTP ${probe.status}`;
          else if (route.expect && !body.includes(route.expect)) probeError = `GET ${route.path} did not contain "${route.expect}"`;
          acc = { results: [], serverCpu: 0, postgresCpu: 0, benchCpu: 0, probeError };
          runs.set(route.key, acc);
        }
        const url = `${baseUrl}${route.path}`;
        // The warm-up is a run of its own, so that the CPU figures cover exactly the measured requests.
        if (options.warmupSeconds > 0) await load(url, { headers, connections: options.connections, seconds: options.warmupSeconds, warmupSeconds: 0 });
        const serverCpu0 = await processTreeCpuSeconds(server.pid);
        const pgCpu0 = postmaster ? await processTreeCpuSeconds(postmaster) : null;
        const benchCpu0 = process.cpuUsage();
        const result = await load(url, { headers, connections: options.connections, seconds: slice, warmupSeconds: 0 });
        const benchCpu = process.cpuUsage(benchCpu0);
        const serverCpu1 = await processTreeCpuSeconds(server.pid);
        const pgCpu1 = postmaster ? await processTreeCpuSeconds(postmaster) : null;
        acc.results.push(result);
        acc.serverCpu = acc.serverCpu !== null && serverCpu0 !== null && serverCpu1 !== null ? acc.serverCpu + serverCpu1 - serverCpu0 : null;
        acc.postgresCpu = acc.postgresCpu !== null && pgCpu0 !== null && pgCpu1 !== null ? acc.postgresCpu + pgCpu1 - pgCpu0 : null;
        acc.benchCpu += (benchCpu.user + benchCpu.system) / 1e6;
        log(`  round ${round}/${rounds}, ${route.name}: ${fmt(result.requestsPerSecond, 0)} req/s over ${fmt(slice)} s after a ${options.warmupSeconds} s warm-up`);
        if (server.hasExited()) throw new Error(`The portal exited during the run:\n${server.output()}`);
      }
    }
    for (const route of ROUTES) {
      const acc = runs.get(route.key)!;
      const result = mergeLoads(acc.results);
      const probeError = acc.probeError;
      // CPU over the measured seconds only; shares are of one core (the portal's include all its workers).
      const wall = result.durationSeconds;
      const corePct = (seconds: number | null) => (seconds === null || wall <= 0 ? null : round((seconds / wall) * 100, 0));
      const perRequestMs = (seconds: number | null) => (seconds === null || result.requests === 0 ? null : round((seconds / result.requests) * 1000, 2));
      // What a request costs the portal and PostgreSQL in CPU: unlike requests/s, this hardly
      // moves when other work on the machine takes cores away.
      const cpuMsPerRequest = {
        server: perRequestMs(acc.serverCpu),
        postgres: perRequestMs(acc.postgresCpu),
        total: acc.serverCpu === null || acc.postgresCpu === null ? null : perRequestMs(acc.serverCpu + acc.postgresCpu),
      };
      const cpu = { serverCorePct: corePct(acc.serverCpu), postgresCorePct: corePct(acc.postgresCpu), benchCorePct: corePct(acc.benchCpu), msPerRequest: cpuMsPerRequest };
      measured.set(route.key, result);
      costs.set(route.key, cpuMsPerRequest.total);
      const floorCost = costs.get(FLOOR) ?? null;
      const costShare = floorCost && cpuMsPerRequest.total ? floorCost / cpuMsPerRequest.total : null;
      const share = (key: string) => {
        const base = measured.get(key);
        return base && base.requestsPerSecond > 0 ? result.requestsPerSecond / base.requestsPerSecond : null;
      };
      const ofPing = share("ping");
      const ofFloor = share(FLOOR);
      const problems = [
        probeError,
        result.non2xx > 0 ? `${result.non2xx} non-2xx answers (${JSON.stringify(result.statusCodes)})` : null,
        result.errors > 0 ? `${result.errors} request errors` : null,
        result.timeouts > 0 ? `${result.timeouts} timeouts` : null,
      ].filter(Boolean);
      const error = problems.length ? problems.join("; ") : null;
      const l = result.latency;
      // Not an error (nothing failed), but no figure either: requests still in flight when the run ends are dropped.
      const note = result.requests === 0 ? ` — no request completed within ${options.seconds} s` : "";
      const targetShare = route.target ? options.targets[route.target] : null;
      const percent = (ratio: number | null) => (ratio === null ? "?" : `${fmt(ratio * 100, 0)}%`);
      rows.push(
        row({
          section: "http",
          name: `${route.name}, ${label}`,
          value: round(result.requestsPerSecond, 1),
          unit: "req/s",
          target: targetShare !== null ? `≥ ${Math.round(targetShare * 100)}% of the no-data page` : null,
          pass: targetShare !== null ? !error && ofFloor !== null && ofFloor >= targetShare : null,
          error,
          result:
            `${fmt(result.requestsPerSecond, 0)} req/s` +
            (route.key === "ping" ? " (= 100%)" : ` (${percent(ofPing)} of /ping${ofFloor === null || route.key === FLOOR ? "" : `, ${percent(ofFloor)} of no-data page`})`) +
            `; p50 ${fmt(l.p50)} / p95 ${fmt(l.p95)} ms` +
            (cpuMsPerRequest.total !== null ? `; CPU ${fmt(cpuMsPerRequest.total, 1)} ms a request` : "") +
            note,
          details: {
            path: route.path,
            route: route.key,
            webWorkers: workers,
            defaultWebWorkers: run.isDefault,
            signedInAs: route.as === "anonymous" ? null : route.as === "officer" ? OFFICER : PROVIDER,
            requestsPerSecond: round(result.requestsPerSecond, 1),
            ratioToBaseline: ofPing === null ? null : round(ofPing, 3),
            ratioToNoDataPage: ofFloor === null ? null : round(ofFloor, 3),
            // The no-data page's CPU a request over this route's: the share of its requests/s this route would reach if CPU were all that limited both.
            costRatioToNoDataPage: costShare === null ? null : round(costShare, 3),
            ...loadFigures(result),
            rounds,
            requestsPerSecondByRound: acc.results.map((r) => round(r.requestsPerSecond, 1)),
            cpu,
          },
        }),
      );
      log(
        `  ${route.name}: ${rows.at(-1)?.result}${error ? `  ERROR: ${error}` : ""}  [CPU: server ${cpu.serverCorePct}%, postgres ${cpu.postgresCorePct}%, load generator ${cpu.benchCorePct}% of a core` +
          `${costShare !== null && route.key !== FLOOR ? `; by CPU cost ${fmt(costShare * 100, 0)}% of the no-data page` : ""}]`,
      );
    }
    const serverErrors = server.output().split("\n").filter((line) => /error/i.test(line));
    if (serverErrors.length) log(`  the portal logged errors:\n    ${serverErrors.slice(-5).join("\n    ")}`);
    return rows;
  } catch (error) {
    const tail = server.output().split("\n").filter((l) => !/^\s*\[Symbol\(/.test(l)).slice(-15).join("\n    ");
    throw new Error(`${(error as Error).message}\n  The portal's last output:\n    ${tail}`);
  } finally {
    const exit = await server.stop();
    if (exit.code !== 0) {
      log(`  the portal exited with ${exit.code ?? exit.signal} on SIGTERM (expected 0):\n    ${server.output().split("\n").slice(-4).join("\n    ")}`);
    }
  }
}

/**
 * The built portal in `tree` as `npm start` runs it in production, on the
 * given database, as a child process; `workers` null leaves WEB_CONCURRENCY
 * unset (the default, one web worker per core).
 */
export async function spawnPortal(run: { tree: string; dir: string; url: string; runtimeUrl: string; workers: number | null; env?: Record<string, string> }): Promise<{ server: Child; baseUrl: string }> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const server = spawnNode(["--import", "tsx", "app/server/start.ts"], {
    cwd: run.tree,
    env: cleanEnv({
      PORT: String(port),
      BASE_URL: baseUrl,
      DATABASE_URL: run.runtimeUrl,
      DATABASE_OWNER_URL: run.url,
      NODE_ENV: "production",
      PORTAL_DATA_DIR: path.join(run.dir, "data"),
      AUDIT_SIGNING_KEY_FILE: path.join(run.dir, "audit-signing-key.pem"),
      SEED_DEMO: "false",
      ...(run.workers === null ? {} : { WEB_CONCURRENCY: String(run.workers) }),
      ...run.env,
    }),
    label: `portal (${run.workers === null ? "default web workers" : `${run.workers} web worker${run.workers === 1 ? "" : "s"}`})`,
  });
  return { server, baseUrl };
}

/** This process's environment without settings that would point a child elsewhere. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of [
    "DATABASE_URL",
    "DATABASE_OWNER_URL",
    "PORT",
    "BASE_URL",
    "EMBEDDED_PG_PORT",
    "PORTAL_DATA_DIR",
    "AUDIT_SIGNING_KEY",
    "AUDIT_SIGNING_KEY_FILE",
    "SMTP_URL",
    "SEED_DEMO",
    "DEMO_PASSWORD",
    "NODE_ENV",
    "TRUST_PROXY",
    "DB_POOL_SIZE",
    "WEB_CONCURRENCY",
  ]) {
    delete env[key];
  }
  return { ...env, ...extra };
}
