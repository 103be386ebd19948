// Signing in over HTTP the way a browser does, and running autocannon with
// every response's latency kept, so p95 can be computed exactly (autocannon's
// own summary has p50, p97.5 and p99 but no p95). autocannon runs in a worker
// thread of its own (load-worker.ts).
import { Worker } from "node:worker_threads";
import type { LoadRun, RawLoad } from "./load-worker";
import { summarise, type LatencySummary } from "./stats";

/**
 * The load generator's young generation, in MB: three semispaces of 64 MB.
 * autocannon makes millions of short-lived objects; with V8's default
 * (16 MB semispaces) it spends a large share of a core in scavenges on the
 * same two cores the portal runs on. The worker has a heap of its own, so
 * this does not change the bench's main thread, where matching is timed.
 */
const LOAD_GENERATOR_YOUNG_GENERATION_MB = 192;

/** Runs side by side in one worker thread; resolves when all have finished. */
function runLoads(runs: LoadRun[]): Promise<RawLoad[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./load-worker-entry.mjs", import.meta.url), {
      workerData: runs,
      resourceLimits: { maxYoungGenerationSizeMb: LOAD_GENERATOR_YOUNG_GENERATION_MB },
    });
    let settled = false;
    worker.once("message", (message: { results?: RawLoad[]; error?: string }) => {
      settled = true;
      if (message.results) resolve(message.results);
      else reject(new Error(`The load generator failed: ${message.error}`));
      void worker.terminate();
    });
    worker.once("error", (error) => {
      settled = true;
      reject(error);
    });
    worker.once("exit", (code) => {
      if (!settled) reject(new Error(`The load generator's thread exited (code ${code}) before it answered`));
    });
  });
}

function loadResult(raw: RawLoad): LoadResult {
  const latencies = Array.from(raw.latencies);
  return {
    latencies,
    requests: latencies.length,
    requestsPerSecond: latencies.length / raw.duration,
    autocannonAverageRps: raw.averageRps,
    latency: summarise(latencies),
    non2xx: raw.non2xx,
    errors: Math.max(raw.errors, raw.requestErrors),
    timeouts: raw.timeouts,
    statusCodes: raw.statusCodes,
    meanBytes: latencies.length ? raw.bytes / latencies.length : 0,
    durationSeconds: raw.duration,
  };
}

export function cookiesFrom(response: Response): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const eq = pair?.indexOf("=") ?? -1;
    if (pair && eq > 0) out.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
  return out;
}

export function cookieHeader(cookies: Map<string, string>): string {
  return [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
}

/** A fresh browser's CSRF cookie, as an anonymous visitor holds after one page. */
export async function anonymousCookies(baseUrl: string): Promise<Map<string, string>> {
  const page = await fetch(`${baseUrl}/sign-in`, { redirect: "manual" });
  await page.arrayBuffer();
  const cookies = cookiesFrom(page);
  if (!cookies.get("portal_csrf")) throw new Error("GET /sign-in set no portal_csrf cookie");
  return cookies;
}

/** The CSRF token of the first form in a page, as a browser would send it back. */
export function formTokenIn(html: string): string | undefined {
  const input = /<input[^>]*name="_csrf"[^>]*>/.exec(html)?.[0];
  return input ? /value="([^"]*)"/.exec(input)?.[1] : undefined;
}

/** Signs in through the form; returns the cookies (portal_csrf and portal_session) a browser would then send. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<Map<string, string>> {
  const page = await fetch(`${baseUrl}/sign-in`, { redirect: "manual" });
  const html = await page.text();
  const cookies = cookiesFrom(page);
  const token = formTokenIn(html);
  if (!token || !cookies.get("portal_csrf")) throw new Error(`GET /sign-in gave no CSRF token (HTTP ${page.status})`);
  const response = await fetch(`${baseUrl}/sign-in`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookieHeader(cookies) },
    body: new URLSearchParams({ _csrf: token, email, password, returnTo: "/" }).toString(),
  });
  await response.arrayBuffer();
  for (const [k, v] of cookiesFrom(response)) cookies.set(k, v);
  if (response.status !== 302 || !cookies.get("portal_session")) {
    throw new Error(`Signing in as ${email} failed: HTTP ${response.status}, no portal_session cookie`);
  }
  return cookies;
}

export interface LoadResult {
  /** Every response's latency (ms), kept so that runs can be merged. */
  latencies: number[];
  requests: number;
  requestsPerSecond: number;
  /** autocannon's own figure: the mean of its per-second samples. */
  autocannonAverageRps: number;
  latency: LatencySummary;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  meanBytes: number;
  durationSeconds: number;
}

export async function load(
  url: string,
  options: { headers: Record<string, string>; connections: number; seconds: number; warmupSeconds: number; method?: "GET" | "POST"; body?: string },
): Promise<LoadResult> {
  const [raw] = await runLoads([{ url, ...options }]);
  return loadResult(raw!);
}

/**
 * `connections` clients at once for the same seconds, each sending its own
 * request over and over (client i sends requests[i % requests.length]), as
 * one load: e.g. twenty providers each saving their own vacancies.
 */
export async function loadEach(
  url: string,
  requests: { headers: Record<string, string>; body?: string }[],
  options: { connections: number; seconds: number; warmupSeconds: number; method?: "GET" | "POST" },
): Promise<LoadResult> {
  if (requests.length === 0) throw new Error("loadEach needs at least one request");
  const raws = await runLoads(
    Array.from({ length: options.connections }, (_, i) => ({ url, ...requests[i % requests.length]!, connections: 1, seconds: options.seconds, warmupSeconds: options.warmupSeconds, method: options.method })),
  );
  const results = raws.map(loadResult);
  // Side by side, not one after another: the requests over the longest client's seconds.
  const together = mergeLoads(results);
  const durationSeconds = Math.max(...results.map((r) => r.durationSeconds));
  return {
    ...together,
    durationSeconds,
    requestsPerSecond: durationSeconds > 0 ? together.requests / durationSeconds : 0,
    autocannonAverageRps: results.reduce((sum, r) => sum + r.autocannonAverageRps, 0),
  };
}

/** What a row's details keep of a run: latency percentiles, answers and their sizes. */
export function loadFigures(result: LoadResult) {
  const l = result.latency;
  const r2 = (n: number) => Math.round(n * 100) / 100;
  return {
    latencyMs: { p50: r2(l.p50), p95: r2(l.p95), p99: r2(l.p99), mean: r2(l.mean), max: r2(l.max) },
    requests: result.requests,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: result.statusCodes,
    meanResponseBytes: Math.round(result.meanBytes),
    autocannonAverageRps: result.autocannonAverageRps,
    durationSeconds: result.durationSeconds,
  };
}

/** Several runs of one route as one: requests over their summed durations, percentiles over every response. */
export function mergeLoads(results: LoadResult[]): LoadResult {
  const latencies = results.flatMap((r) => r.latencies);
  const durationSeconds = results.reduce((sum, r) => sum + r.durationSeconds, 0);
  const statusCodes: Record<string, number> = {};
  for (const r of results) for (const [code, n] of Object.entries(r.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
  const sum = (pick: (r: LoadResult) => number) => results.reduce((total, r) => total + pick(r), 0);
  return {
    latencies,
    requests: latencies.length,
    requestsPerSecond: durationSeconds > 0 ? latencies.length / durationSeconds : 0,
    autocannonAverageRps: results.length ? sum((r) => r.autocannonAverageRps) / results.length : 0,
    latency: summarise(latencies),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    statusCodes,
    meanBytes: latencies.length ? sum((r) => r.meanBytes * r.requests) / latencies.length : 0,
    durationSeconds,
  };
}

/** CPU seconds used so far by a process and its living descendants, plus children it has reaped (Linux /proc), or null elsewhere. */
export async function processTreeCpuSeconds(pid: number): Promise<number | null> {
  const fs = await import("node:fs/promises");
  const read = async (p: number, reaped: boolean): Promise<number> => {
    let total = 0;
    try {
      const stat = await fs.readFile(`/proc/${p}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // utime, stime, cutime, cstime are fields 14-17 of the line: 11-14 after "(comm) ".
      total += Number(f[11]) + Number(f[12]) + (reaped ? Number(f[13]) + Number(f[14]) : 0);
      for (const task of await fs.readdir(`/proc/${p}/task`)) {
        const children = (await fs.readFile(`/proc/${p}/task/${task}/children`, "utf8").catch(() => "")).trim();
        for (const child of children ? children.split(" ") : []) total += await read(Number(child), false);
      }
    } catch {
      /* gone */
    }
    return total;
  };
  try {
    await fs.access(`/proc/${pid}/stat`);
  } catch {
    return null;
  }
  return (await read(pid, true)) / 100;
}
