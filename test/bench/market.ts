// The placements market at the issue's scale (issue 9, "Performance"): 4,000
// homes, 20,000 placements, 300 block beds over five years (~550,000
// bed-nights), short breaks. The portal is built and started as the HTTP part
// starts it (a private production build, NODE_ENV=production, the default
// number of web workers) and autocannon runs each page at 20 connections, in
// turns with /ping and the signed-in page with no data, so every page has its
// ratio to /ping from the same run. Matching a placement request is timed as
// the module call the request page makes, 20 at a time from this process
// against the same database.
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { createDatabase } from "#app/database/connection";
import { matchRequest, type MatchCriteria } from "#app/modules/placements/matching";
import { providerVacancies } from "#app/modules/vacancies/vacancies";
import { migrate } from "#db/migrate";
import { DEMO_PASSWORD, seedDemo } from "#db/seed/demo";
import { generateDataSet } from "#db/seed/generate";
import { spawnPortal } from "./http-routes";
import { ownerQuery, startBenchPostgres } from "./lib/database";
import { anonymousCookies, cookieHeader, load, loadEach, loadFigures, mergeLoads, processTreeCpuSeconds, signIn, type LoadResult } from "./lib/http";
import { waitFor200, type Child } from "./lib/processes";
import { row, type BenchRow } from "./lib/report";
import { fmt, round, summarise } from "./lib/stats";
import { builtCopy } from "./lib/tree";

export interface MarketBenchOptions {
  root: string;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  rounds: number;
  /** Homes in the generated set: `vacancyProviders` providers with 30, the rest in providers of 10 (the demo's come on top). */
  homes: number;
  placements: number;
  blockBeds: number;
  /** Providers with 30 homes each, each saving its own in the vacancy row (one a connection). Default: as many as connections. */
  vacancyProviders?: number;
  /** p95 targets in ms. */
  targets: { searchP95Ms: number; matchP95Ms: number; utilisationP95Ms: number; vacancyUpdateP95Ms: number };
  log: (line: string) => void;
}

const OFFICER = "officer@westmoor.example";

interface MarketRoute {
  key: string;
  name: string;
  as: "anonymous" | "officer" | "largeProvider";
  /** Each connection as a different user with a body of its own (connection i sends each[i % each.length]); `as` and `body` are then the first's. */
  each?: { cookies: Map<string, string>; body: string }[];
  path: string;
  method?: "GET" | "POST";
  /** The request body and its type, for a form post. */
  body?: string;
  /** The answer a working request gets (a form post redirects). */
  status?: number;
  expect?: string;
  target?: keyof MarketBenchOptions["targets"];
}

export async function benchMarket(options: MarketBenchOptions): Promise<{ rows: BenchRow[]; dataSet: Record<string, unknown> }> {
  const { log } = options;
  const { dir, tree, buildSeconds } = builtCopy(options.root, "portal-bench-market-");
  log(`  copied the working tree and built it for production (${fmt(buildSeconds)} s)`);

  const postgres = await startBenchPostgres("market");
  try {
    const url = await postgres.createDatabase("portal_bench_market");
    const runtimeUrl = postgres.runtimeUrl("portal_bench_market");
    const set = await prepareMarketDataSet(url, options);
    const { server, baseUrl } = await spawnPortal({ tree, dir, url, runtimeUrl, workers: null });
    try {
      await waitFor200(`${baseUrl}/ping`, { child: server, timeoutMs: 60_000 });
      const sessions = {
        anonymous: await anonymousCookies(baseUrl),
        officer: await signIn(baseUrl, OFFICER, DEMO_PASSWORD),
        largeProvider: await signIn(baseUrl, set.largeProviderEmail, DEMO_PASSWORD),
      };
      const vacancyForm = await vacancyUpdateBody(baseUrl, sessions.largeProvider, runtimeUrl, set.largeProviderId);
      // The other providers with 30 homes, each signed in with a form of its own.
      const eachProvider = [{ cookies: sessions.largeProvider, body: vacancyForm.body }];
      for (const provider of set.largeProviders.slice(1)) {
        const cookies = await signIn(baseUrl, provider.email, DEMO_PASSWORD);
        eachProvider.push({ cookies, body: (await vacancyUpdateBody(baseUrl, cookies, runtimeUrl, provider.id)).body });
      }
      const routes: MarketRoute[] = [
        { key: "ping", name: "/ping (baseline)", as: "anonymous", path: "/ping", expect: "ok" },
        { key: "document-officer", name: "/accessibility (officer, no data)", as: "officer", path: "/accessibility", expect: "Accessibility statement" },
        { key: "search", name: `placement search, filters and distance (${set.searchPath.split("?")[1]?.split("&").length} filters)`, as: "officer", path: set.searchPath, expect: "homes", target: "searchP95Ms" },
        { key: "utilisation", name: "/utilisation, all contracts, 5 years", as: "officer", path: "/utilisation", expect: "Utilisation across all contracts", target: "utilisationP95Ms" },
        {
          key: "vacancies",
          name: `all-homes vacancy update (POST /vacancies, ${vacancyForm.homes} homes), ${eachProvider.length} providers each saving its own`,
          as: "largeProvider",
          each: eachProvider,
          path: "/vacancies",
          method: "POST",
          body: vacancyForm.body,
          status: 302,
          target: "vacancyUpdateP95Ms",
        },
        {
          // Every connection saves the same 30 homes: each save waits for the one before (no save overwrites another), so they queue.
          key: "vacancies-one-provider",
          name: `all-homes vacancy update (POST /vacancies, ${vacancyForm.homes} homes), one provider's, from every connection at once`,
          as: "largeProvider",
          path: "/vacancies",
          method: "POST",
          body: vacancyForm.body,
          status: 302,
        },
      ];
      const rows = await measureRoutes(options, { baseUrl, server, postmaster: postgres.postmasterPid(), routes, sessions });
      rows.push(await benchMatching(options, runtimeUrl, set.criteria));
      return { rows, dataSet: set.figures };
    } finally {
      await server.stop();
    }
  } finally {
    await postgres.stop();
  }
}

async function prepareMarketDataSet(url: string, options: MarketBenchOptions) {
  const { log } = options;
  const started = performance.now();
  await migrate(url);
  const db = createDatabase({ connectionString: url, max: 4 });
  const vacancyProviders = Math.max(1, options.vacancyProviders ?? options.connections);
  try {
    await seedDemo(db);
    const data = await generateDataSet(db, {
      seed: "bench-market",
      councils: 5,
      providers: Math.max(vacancyProviders, Math.round((options.homes - 20 * vacancyProviders) / 10)),
      homesPerProvider: 10,
      usersPerProvider: 1,
      usersPerCouncil: 0,
      audit: "batch",
      market: { placements: options.placements, blockBeds: options.blockBeds, bedsPerContract: 30, years: 5, largeProviders: vacancyProviders },
    });
    const market = data.market!;
    await ownerQuery(url, "VACUUM (ANALYZE)");
    const [counts] = await ownerQuery<Record<string, string>>(
      url,
      `SELECT (SELECT count(*) FROM home) AS homes, (SELECT count(*) FROM placement) AS placements, (SELECT count(*) FROM vacancy) AS vacancies,
              (SELECT count(*) FROM block_bed) AS block_beds, (SELECT count(*) FROM bed_occupancy) AS stays,
              (SELECT sum(upper(nights) - lower(nights)) FROM block_bed) AS bed_nights,
              (SELECT count(*) FROM short_break_booking) AS short_break_bookings, (SELECT count(*) FROM home_suspension WHERE lifted_at IS NULL) AS suspended`,
    );
    const figures = Object.fromEntries(Object.entries(counts ?? {}).map(([k, v]) => [k, Number(v)]));
    log(
      `  data: ${Object.entries(figures)
        .map(([k, v]) => `${v.toLocaleString("en-GB")} ${k.replace(/_/g, " ")}`)
        .join(", ")} (${fmt((performance.now() - started) / 1000)} s; market generator ${fmt(market.elapsedMs / 1000)} s)`,
    );
    const user = await db.selectFrom("app_user").select("email").where("organisation_id", "=", market.largestProvider.id).orderBy("email").executeTakeFirstOrThrow();
    const largeProviders = [];
    for (const provider of market.largeProviders) {
      const first = await db.selectFrom("app_user").select("email").where("organisation_id", "=", provider.id).orderBy("email").executeTakeFirstOrThrow();
      largeProviders.push({ id: provider.id, email: first.email });
    }
    // The search and the request: a common need and age, from a district in the middle of the homes, 40 miles.
    const lot = await db
      .selectFrom("lot")
      .innerJoin("agreement", "agreement.id", "lot.agreement_id")
      .select(["lot.id", "agreement.id as agreementId"])
      .where("agreement.id", "in", data.agreements.map((a) => a.id))
      .where("agreement.kind", "=", "residential_framework")
      .where("lot.number", "=", 1)
      .executeTakeFirstOrThrow();
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const criteria: MatchCriteria = {
      lotId: lot.id,
      serviceType: "childrens_home",
      ageMin: 13,
      ageMax: 15,
      gender: "female",
      needs: ["emotional_behavioural"],
      homeDistrict: "EX4",
      maxDistanceMiles: 40,
      startOn: tomorrow,
    };
    const searchPath = `/placements/search?${new URLSearchParams({ agreement: lot.agreementId, need: "emotional_behavioural", age: "14", gender: "female", from: "EX4", miles: "40", grade: "2", vacancy: "now" })}`;
    return {
      largeProviderEmail: user.email,
      largeProviderId: market.largestProvider.id,
      largeProviders,
      criteria,
      searchPath,
      figures: { ...figures, largestProviderHomes: market.largestProvider.homes, providersWithThatMany: market.largeProviders.length, seconds: round((performance.now() - started) / 1000, 1) },
    };
  } finally {
    await db.destroy();
  }
}

/**
 * The all-homes form as the provider's page fills it in: every home's current
 * values (read through the module), so that saving it confirms them all, and
 * the page's CSRF token.
 */
async function vacancyUpdateBody(baseUrl: string, cookies: Map<string, string>, runtimeUrl: string, organisationId: string): Promise<{ body: string; homes: number }> {
  const page = await fetch(`${baseUrl}/vacancies`, { headers: { cookie: cookieHeader(cookies) }, redirect: "manual" });
  const html = await page.text();
  if (page.status !== 200) throw new Error(`GET /vacancies answered HTTP ${page.status}`);
  const token = /<input[^>]*name="_csrf"[^>]*value="([^"]*)"/.exec(html)?.[1] ?? /<input[^>]*value="([^"]*)"[^>]*name="_csrf"/.exec(html)?.[1];
  if (!token) throw new Error("GET /vacancies gave no CSRF token");
  const db = createDatabase({ connectionString: runtimeUrl, max: 1 });
  const formNow = async () => {
    const form = new URLSearchParams({ _csrf: token });
    for (const [i, home] of (await providerVacancies(db, organisationId, new Date())).entries()) {
      const p = `home-${i + 1}`;
      const [year, month, day] = home.bedsFreeFrom ? home.bedsFreeFrom.on.split("-") : ["", "", ""];
      form.append(`${p}-id`, home.homeId);
      form.append(`${p}-version`, String(home.version));
      form.append(`${p}-bedsFreeNow`, String(home.bedsFreeNow ?? 0));
      form.append(`${p}-from-day`, day ?? "");
      form.append(`${p}-from-month`, month ?? "");
      form.append(`${p}-from-year`, year ?? "");
      form.append(`${p}-fromBeds`, home.bedsFreeFrom ? String(home.bedsFreeFrom.beds) : "");
      for (const need of home.needs) form.append(`${p}-needs`, need);
    }
    return form;
  };
  try {
    // Posted twice: the first save may change a value (a date past, a vacancy
    // lowered by a placement) and so the version; the second, of the values
    // as they now are, must only confirm them, as every post in the run will.
    let form = await formNow();
    for (const attempt of [1, 2]) {
      const probe = await fetch(`${baseUrl}/vacancies`, {
        method: "POST",
        headers: { cookie: cookieHeader(cookies), "content-type": "application/x-www-form-urlencoded" },
        body: form.toString(),
        redirect: "manual",
      });
      const answer = await probe.text();
      if (probe.status !== 302) {
        const problems = [...answer.matchAll(/<a href="#[^"]*">([^<]*)<\/a>/g)].map((m) => m[1]).slice(0, 3).join("; ");
        throw new Error(`POST /vacancies (${attempt}) answered HTTP ${probe.status}, not a redirect after saving: ${problems}`);
      }
      const again = await formNow();
      if (attempt === 2 && again.toString() !== form.toString()) throw new Error("Saving the vacancy form unchanged changed it");
      form = again;
    }
    return { body: form.toString(), homes: [...form.keys()].filter((k) => /^home-\d+-id$/.test(k)).length };
  } finally {
    await db.destroy();
  }
}

async function measureRoutes(
  options: MarketBenchOptions,
  run: { baseUrl: string; server: Child; postmaster: number | null; routes: MarketRoute[]; sessions: Record<MarketRoute["as"], Map<string, string>> },
): Promise<BenchRow[]> {
  const { log } = options;
  const headersFor = (route: MarketRoute): Record<string, string> => ({
    cookie: cookieHeader(run.sessions[route.as]),
    "user-agent": "portal-bench",
    ...(route.method === "POST" ? { "content-type": "application/x-www-form-urlencoded" } : {}),
  });
  /** Each connection's headers and body: one for all, or the route's own for each. */
  const requestsFor = (route: MarketRoute) =>
    route.each
      ? route.each.map((e) => ({ headers: { ...headersFor(route), cookie: cookieHeader(e.cookies) }, body: e.body }))
      : [{ headers: headersFor(route), body: route.body }];
  const send = (route: MarketRoute, i = 0) => {
    const requests = requestsFor(route);
    const { headers, body } = requests[i % requests.length]!;
    return fetch(`${run.baseUrl}${route.path}`, { method: route.method ?? "GET", headers, body, redirect: "manual" });
  };
  const loadRoute = (route: MarketRoute, seconds: number) => {
    const target = `${run.baseUrl}${route.path}`;
    return route.each
      ? loadEach(target, requestsFor(route), { connections: options.connections, seconds, warmupSeconds: 0, method: route.method })
      : load(target, { headers: headersFor(route), connections: options.connections, method: route.method, body: route.body, seconds, warmupSeconds: 0 });
  };
  const workers = os.availableParallelism();
  for (const route of run.routes) for (let i = 0; i < 20 * workers; i++) await (await send(route, i)).arrayBuffer();
  const rounds = Math.max(1, Math.round(options.rounds));
  const slice = options.seconds / rounds;
  const acc = new Map<string, { results: LoadResult[]; cpu: number | null; postgresCpu: number | null; probeError: string | null }>();
  for (let r = 1; r <= rounds; r++) {
    for (const route of run.routes) {
      let entry = acc.get(route.key);
      if (!entry) {
        const probe = await send(route);
        const body = await probe.text();
        const wantStatus = route.status ?? 200;
        let probeError: string | null = null;
        if (probe.status !== wantStatus) probeError = `${route.method ?? "GET"} ${route.path} answered HTTP ${probe.status}, not ${wantStatus}`;
        else if (route.expect && !body.includes(route.expect)) probeError = `${route.path} did not contain "${route.expect}"`;
        entry = { results: [], cpu: 0, postgresCpu: 0, probeError };
        acc.set(route.key, entry);
      }
      if (options.warmupSeconds > 0) await loadRoute(route, options.warmupSeconds);
      const s0 = await processTreeCpuSeconds(run.server.pid);
      const p0 = run.postmaster ? await processTreeCpuSeconds(run.postmaster) : null;
      const result = await loadRoute(route, slice);
      const s1 = await processTreeCpuSeconds(run.server.pid);
      const p1 = run.postmaster ? await processTreeCpuSeconds(run.postmaster) : null;
      entry.results.push(result);
      entry.cpu = entry.cpu !== null && s0 !== null && s1 !== null && p0 !== null && p1 !== null ? entry.cpu + (s1 - s0) + (p1 - p0) : null;
      entry.postgresCpu = entry.postgresCpu !== null && p0 !== null && p1 !== null ? entry.postgresCpu + (p1 - p0) : null;
      log(`  round ${r}/${rounds}, ${route.name}: ${fmt(result.requestsPerSecond, 0)} req/s, p95 ${fmt(result.latency.p95)} ms`);
      if (run.server.hasExited()) throw new Error(`The portal exited during the run:\n${run.server.output()}`);
    }
  }
  const merged = new Map(run.routes.map((route) => [route.key, mergeLoads(acc.get(route.key)!.results)]));
  const ping = merged.get("ping")!;
  const floor = merged.get("document-officer")!;
  return run.routes.map((route) => {
    const result = merged.get(route.key)!;
    const entry = acc.get(route.key)!;
    const wantStatus = String(route.status ?? 200);
    const wrong = Object.entries(result.statusCodes).filter(([code]) => code !== wantStatus);
    const problems = [
      entry.probeError,
      wrong.length > 0 ? `${wrong.reduce((n, [, c]) => n + c, 0)} answers other than HTTP ${wantStatus} (${JSON.stringify(result.statusCodes)})` : null,
      result.errors > 0 ? `${result.errors} request errors` : null,
      result.timeouts > 0 ? `${result.timeouts} timeouts` : null,
    ].filter(Boolean);
    const error = problems.length ? problems.join("; ") : null;
    const l = result.latency;
    const target = route.target ? options.targets[route.target] : null;
    const ofPing = ping.requestsPerSecond > 0 ? result.requestsPerSecond / ping.requestsPerSecond : null;
    const ofFloor = floor.requestsPerSecond > 0 ? result.requestsPerSecond / floor.requestsPerSecond : null;
    const cpuMs = entry.cpu !== null && result.requests > 0 ? (entry.cpu / result.requests) * 1000 : null;
    const postgresMs = entry.postgresCpu !== null && result.requests > 0 ? (entry.postgresCpu / result.requests) * 1000 : null;
    const noFigure = result.requests === 0;
    const r = row({
      section: "market",
      name: route.name,
      value: noFigure ? null : round(l.p95),
      unit: "ms p95",
      target: target !== null ? `p95 < ${target} ms at ${options.connections} connections` : null,
      pass: target !== null ? !error && !noFigure && l.p95 < target : null,
      error,
      result:
        (noFigure ? `no request completed within ${options.seconds} s` : `p95 ${fmt(l.p95)} ms (p50 ${fmt(l.p50)}); ${fmt(result.requestsPerSecond, 0)} req/s`) +
        (route.key === "ping" ? " (= 100%)" : ` (${ofPing === null ? "?" : fmt(ofPing * 100, 0)}% of /ping)`) +
        (cpuMs !== null ? `; CPU ${fmt(cpuMs, 1)} ms a request` + (postgresMs !== null ? ` (portal ${fmt(cpuMs - postgresMs, 1)}, PostgreSQL ${fmt(postgresMs, 1)})` : "") : ""),
      details: {
        path: route.path.split("?")[0],
        query: route.path.includes("?") ? route.path.split("?")[1] : null,
        method: route.method ?? "GET",
        route: route.key,
        webWorkers: workers,
        requestsPerSecond: round(result.requestsPerSecond, 1),
        ratioToBaseline: ofPing === null ? null : round(ofPing, 3),
        ratioToNoDataPage: ofFloor === null ? null : round(ofFloor, 3),
        ...loadFigures(result),
        cpuMsPerRequest: cpuMs === null ? null : round(cpuMs, 2),
        postgresCpuMsPerRequest: postgresMs === null ? null : round(postgresMs, 2),
        requestsPerSecondByRound: entry.results.map((x) => round(x.requestsPerSecond, 1)),
      },
    });
    log(`  ${route.name}: ${r.result}${error ? `  ERROR: ${error}` : ""}`);
    return r;
  });
}

/** matchRequest as the request page calls it (listing the nearest 100 homes left out), `connections` at a time for `seconds`, on a pool the size the portal uses. */
async function benchMatching(options: MarketBenchOptions, runtimeUrl: string, criteria: MatchCriteria): Promise<BenchRow> {
  const db = createDatabase({ connectionString: runtimeUrl, max: 10 });
  try {
    const homes = await db.selectFrom("home").select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow();
    const first = await matchRequest(db, criteria, new Date(), { leftOutListed: 100 });
    const runFor = async (seconds: number, latencies: number[] | null) => {
      const end = performance.now() + seconds * 1000;
      await Promise.all(
        Array.from({ length: options.connections }, async () => {
          while (performance.now() < end) {
            const t = performance.now();
            await matchRequest(db, criteria, new Date(), { leftOutListed: 100 });
            latencies?.push(performance.now() - t);
          }
        }),
      );
    };
    await runFor(options.warmupSeconds, null);
    const latencies: number[] = [];
    const cpu0 = process.cpuUsage();
    const started = performance.now();
    await runFor(options.seconds, latencies);
    const wall = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const s = summarise(latencies);
    const target = options.targets.matchP95Ms;
    const r = row({
      section: "market",
      name: `matchRequest over ${homes.n.toLocaleString("en-GB")} homes (who it goes to, why each other is left out, the nearest 100 listed), module call`,
      value: latencies.length ? round(s.p95) : null,
      unit: "ms p95",
      target: `p95 < ${target} ms at ${options.connections} at once`,
      pass: latencies.length > 0 && s.p95 < target,
      result: `p95 ${fmt(s.p95)} ms (p50 ${fmt(s.p50)}); ${fmt(latencies.length / wall, 0)} a second; reaches ${first.reached.length} homes, leaves out ${first.leftOutTotal}`,
      details: {
        homes: homes.n,
        reached: first.reached.length,
        leftOut: first.leftOutTotal,
        leftOutListed: first.leftOut.length,
        latencyMs: { p50: round(s.p50), p95: round(s.p95), p99: round(s.p99), mean: round(s.mean), max: round(s.max) },
        calls: latencies.length,
        callsPerSecond: round(latencies.length / wall, 1),
        nodeCpuMsPerCall: latencies.length ? round((cpu.user + cpu.system) / 1000 / latencies.length, 2) : null,
        criteria,
      },
    });
    options.log(`  ${r.name}: ${r.result}`);
    return r;
  } finally {
    await db.destroy();
  }
}
