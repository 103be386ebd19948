// The load generator's own thread. autocannon runs here rather than on the
// bench's main thread so that its garbage collection has a young generation of
// its own, sized for the millions of short-lived objects it makes (see
// `runLoads` in http.ts), and so that the bench's in-process rows (matching)
// keep V8's default heap. Every response's latency is kept and sent back.
import { createRequire } from "node:module";
import { parentPort, workerData } from "node:worker_threads";

const require = createRequire(import.meta.url);

interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
  requests: { average: number; total: number };
}
interface AutocannonInstance extends PromiseLike<AutocannonResult> {
  on(event: "response", listener: (client: unknown, statusCode: number, bytes: number, responseTime: number) => void): void;
  on(event: "reqError", listener: (error: Error) => void): void;
}
const autocannon = require("autocannon") as (options: Record<string, unknown>) => AutocannonInstance;

/** One autocannon run: `connections` clients sending the same request for `seconds`. */
export interface LoadRun {
  url: string;
  headers: Record<string, string>;
  connections: number;
  seconds: number;
  warmupSeconds: number;
  method?: "GET" | "POST";
  body?: string;
}

/** What a run sends back; latencies as a Float64Array so they cross threads without copying. */
export interface RawLoad {
  latencies: Float64Array;
  bytes: number;
  requestErrors: number;
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  averageRps: number;
  statusCodes: Record<string, number>;
}

async function run(spec: LoadRun): Promise<RawLoad> {
  const latencies: number[] = [];
  let bytes = 0;
  let requestErrors = 0;
  const instance = autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.seconds,
    headers: spec.headers,
    ...(spec.method ? { method: spec.method } : {}),
    ...(spec.body !== undefined ? { body: spec.body } : {}),
    timeout: 30,
    ...(spec.warmupSeconds > 0 ? { warmup: { connections: spec.connections, duration: spec.warmupSeconds } } : {}),
  });
  instance.on("response", (_client, _status, resBytes, responseTime) => {
    latencies.push(responseTime);
    bytes += resBytes;
  });
  instance.on("reqError", () => {
    requestErrors += 1;
  });
  const result = await instance;
  return {
    latencies: Float64Array.from(latencies),
    bytes,
    requestErrors,
    duration: result.duration,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    averageRps: result.requests.average,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count])),
  };
}

if (parentPort) {
  const port = parentPort;
  const runs = workerData as LoadRun[];
  Promise.all(runs.map(run)).then(
    (results) => port.postMessage({ results }, results.map((r) => r.latencies.buffer as ArrayBuffer)),
    (error: unknown) => port.postMessage({ error: error instanceof Error ? error.stack ?? error.message : String(error) }),
  );
}
