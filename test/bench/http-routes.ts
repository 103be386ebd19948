// Pages under load: the portal, built for production in a private copy of the
// working tree, started as its own process (as `npm start` runs it,
// NODE_ENV=production) on a fresh embedded database
// holding the demo plus a generated larger data set, then autocannon against
// each route in turn from this process.
import path from "node:path";
import { sql } from "kysely";
import { createDatabase } from "#app/database/connection";
import { freePort } from "#app/database/embedded";
import { migrate } from "#db/migrate";
import { seedDemo, DEMO_PASSWORD } from "#db/seed/demo";
import { generateDataSet } from "#db/seed/generate";
import { appendAuditEvents, type BulkActor } from "./lib/audit-bulk";
import { ownerQuery, startBenchPostgres } from "./lib/database";
import { anonymousCookies, cookieHeader, load, processTreeCpuSeconds, signIn, type LoadResult } from "./lib/http";
import { spawnNode, tempDir, waitFor200 } from "./lib/processes";
import { buildForProduction, copyWorkingTree } from "./lib/tree";
import { row, type BenchRow } from "./lib/report";
import { fmt, round } from "./lib/stats";

export interface HttpBenchOptions {
  root: string;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  /** Audit events in the database in total (the seed's plus bulk ones). */
  auditEvents: number;
  providers: number;
  homesPerProvider: number;
  /** Signed-in dashboard requests/s as a share of /ping's. */
  dashboardTarget: number;
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
  target?: boolean;
}

const ROUTES: RouteSpec[] = [
  { key: "ping", name: "/ping (baseline)", path: "/ping", as: "anonymous", expect: "ok" },
  { key: "ping-officer", name: "/ping signed in (officer)", path: "/ping", as: "officer", expect: "ok" },
  // A signed-in page with no data of its own: what any document costs (session, root loader, React render).
  { key: "document-officer", name: "/accessibility (officer, no data)", path: "/accessibility", as: "officer", expect: "Accessibility statement" },
  { key: "dashboard-officer", name: "/ dashboard (officer)", path: "/", as: "officer", expect: "Welcome, ", target: true },
  { key: "dashboard-provider", name: "/ dashboard (provider)", path: "/", as: "provider", expect: "Your homes and services" },
  { key: "agreements", name: "/agreements (officer)", path: "/agreements", as: "officer" },
  { key: "homes", name: "/homes (officer)", path: "/homes", as: "officer" },
  { key: "audit", name: "/audit (officer)", path: "/audit", as: "officer" },
];

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
  // The portal runs from a private copy of the working tree with its own
  // production build: the repository's build/ may be a development build, or
  // being rebuilt by someone else, and is left alone.
  const { dir } = tempDir("portal-bench-http-");
  const tree = path.join(dir, "portal");
  const buildStarted = performance.now();
  copyWorkingTree(options.root, tree);
  buildForProduction(tree);
  const buildSeconds = (performance.now() - buildStarted) / 1000;
  log(`  copied the working tree and built it for production in ${tree} (${fmt(buildSeconds)} s)`);

  const postgres = await startBenchPostgres("http");
  try {
    const url = await postgres.createDatabase("portal_bench_http");
    const dataSet = await prepareDataSet(url, options);
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const server = spawnNode(["--import", "tsx", "app/server/start.ts"], {
      cwd: tree,
      env: cleanEnv({
        PORT: String(port),
        BASE_URL: baseUrl,
        DATABASE_URL: postgres.runtimeUrl("portal_bench_http"),
        DATABASE_OWNER_URL: url,
        NODE_ENV: "production",
        PORTAL_DATA_DIR: path.join(dir, "data"),
        AUDIT_SIGNING_KEY_FILE: path.join(dir, "audit-signing-key.pem"),
        SEED_DEMO: "false",
      }),
      label: "portal",
    });
    try {
      await waitFor200(`${baseUrl}/ping`, { child: server, timeoutMs: 60_000 });
      const sessions = {
        anonymous: await anonymousCookies(baseUrl),
        officer: await signIn(baseUrl, OFFICER, DEMO_PASSWORD),
        provider: await signIn(baseUrl, PROVIDER, DEMO_PASSWORD),
      };
      const rows: BenchRow[] = [];
      let baseline: LoadResult | null = null;
      const postmaster = postgres.postmasterPid();
      // Every route a few times first, so the first route measured does not pay for the JIT's warm-up.
      for (const route of ROUTES) {
        const headers = { cookie: cookieHeader(sessions[route.as]), "user-agent": "portal-bench" };
        for (let i = 0; i < 20; i++) await (await fetch(`${baseUrl}${route.path}`, { headers, redirect: "manual" })).arrayBuffer();
      }
      for (const route of ROUTES) {
        const headers = { cookie: cookieHeader(sessions[route.as]), "user-agent": "portal-bench" };
        // One plain request first: a route that does not answer 200 is an error, not a figure.
        const probe = await fetch(`${baseUrl}${route.path}`, { headers, redirect: "manual" });
        const body = await probe.text();
        let probeError: string | null = null;
        if (probe.status !== 200) probeError = `GET ${route.path} answered HTTP ${probe.status}`;
        else if (route.expect && !body.includes(route.expect)) probeError = `GET ${route.path} did not contain "${route.expect}"`;
        log(`  ${route.name}: ${options.warmupSeconds} s warm-up + ${options.seconds} s at ${options.connections} connections…`);
        const serverCpu0 = await processTreeCpuSeconds(server.pid);
        const pgCpu0 = postmaster ? await processTreeCpuSeconds(postmaster) : null;
        const benchCpu0 = process.cpuUsage();
        const result = await load(`${baseUrl}${route.path}`, {
          headers,
          connections: options.connections,
          seconds: options.seconds,
          warmupSeconds: options.warmupSeconds,
        });
        const benchCpu = process.cpuUsage(benchCpu0);
        const serverCpu1 = await processTreeCpuSeconds(server.pid);
        const pgCpu1 = postmaster ? await processTreeCpuSeconds(postmaster) : null;
        // CPU figures include the warm-up; shares are of one core.
        const wall = options.seconds + options.warmupSeconds;
        const cpu = {
          serverCorePct: serverCpu0 !== null && serverCpu1 !== null ? round(((serverCpu1 - serverCpu0) / wall) * 100, 0) : null,
          postgresCorePct: pgCpu0 !== null && pgCpu1 !== null ? round(((pgCpu1 - pgCpu0) / wall) * 100, 0) : null,
          benchCorePct: round(((benchCpu.user + benchCpu.system) / 1e6 / wall) * 100, 0),
        };
        if (route.key === "ping") baseline = result;
        const ratio = baseline ? result.requestsPerSecond / baseline.requestsPerSecond : null;
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
        rows.push(
          row({
            section: "http",
            name: route.name,
            value: round(result.requestsPerSecond, 1),
            unit: "req/s",
            target: route.target ? `≥ ${Math.round(options.dashboardTarget * 100)}% of /ping req/s` : null,
            pass: route.target ? !error && ratio !== null && ratio >= options.dashboardTarget : null,
            error,
            result:
              `${fmt(result.requestsPerSecond, 0)} req/s` +
              (route.key === "ping" ? " (= 100%)" : ratio !== null ? ` (${fmt(ratio * 100, 0)}% of /ping)` : "") +
              `; p50 ${fmt(l.p50)} / p95 ${fmt(l.p95)} / p99 ${fmt(l.p99)} ms${note}`,
            details: {
              path: route.path,
              signedInAs: route.as === "anonymous" ? null : route.as === "officer" ? OFFICER : PROVIDER,
              requestsPerSecond: round(result.requestsPerSecond, 1),
              ratioToBaseline: ratio === null ? null : round(ratio, 3),
              latencyMs: { p50: round(l.p50), p95: round(l.p95), p99: round(l.p99), mean: round(l.mean), max: round(l.max) },
              requests: result.requests,
              non2xx: result.non2xx,
              errors: result.errors,
              timeouts: result.timeouts,
              statusCodes: result.statusCodes,
              meanResponseBytes: Math.round(result.meanBytes),
              autocannonAverageRps: result.autocannonAverageRps,
              durationSeconds: result.durationSeconds,
              cpu,
            },
          }),
        );
        log(`    ${rows.at(-1)?.result}${error ? `  ERROR: ${error}` : ""}  [CPU: server ${cpu.serverCorePct}%, postgres ${cpu.postgresCorePct}%, load generator ${cpu.benchCorePct}% of a core]`);
        if (server.hasExited()) throw new Error(`The portal exited during the run:\n${server.output()}`);
      }
      const serverErrors = server.output().split("\n").filter((line) => /error/i.test(line));
      if (serverErrors.length) log(`  the portal logged errors:\n    ${serverErrors.slice(-5).join("\n    ")}`);
      return { rows, dataSet: { ...dataSet, buildSeconds: round(buildSeconds, 1) } };
    } catch (error) {
      const tail = server.output().split("\n").filter((l) => !/^\s*\[Symbol\(/.test(l)).slice(-15).join("\n    ");
      throw new Error(`${(error as Error).message}\n  The portal's last output:\n    ${tail}`);
    } finally {
      const exit = await server.stop();
      if (exit.code !== 0) {
        log(`  the portal exited with ${exit.code ?? exit.signal} on SIGTERM (expected 0):\n    ${server.output().split("\n").slice(-4).join("\n    ")}`);
      }
    }
  } finally {
    await postgres.stop();
  }
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
  ]) {
    delete env[key];
  }
  return { ...env, ...extra };
}
