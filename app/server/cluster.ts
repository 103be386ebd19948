// Serving on every core: with WEB_CONCURRENCY above 1 the process `npm start`
// runs becomes a node:cluster primary that forks that many web workers
// sharing one port, replaces a worker that dies and stops them all
// gracefully. The primary keeps the database set-up and the background loops
// (start.ts), so those run once per cluster however many workers serve pages.
import cluster, { type Worker } from "node:cluster";
import http from "node:http";
import os from "node:os";
import type { RequestListener } from "node:http";

/** In-flight requests get this long to finish when the portal is stopped. */
const DRAIN_MS = 10_000;
/** A worker that dies sooner than this after starting counts towards the restart backoff. */
const HEALTHY_AFTER_MS = 30_000;
const MAX_RESTART_DELAY_MS = 30_000;

const STOP_MESSAGE = "portal:stop";

export interface Web {
  /** Takes no new requests, lets those in progress finish (up to 10 s), then releases what serving used. */
  close(): Promise<void>;
}

/** WEB_CONCURRENCY, or one worker per core the process may use. */
export function webConcurrency(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.WEB_CONCURRENCY?.trim();
  if (!raw) return os.availableParallelism();
  const workers = Number(raw);
  if (!Number.isInteger(workers) || workers < 1) throw new Error(`WEB_CONCURRENCY must be a whole number of workers (1 or more), not ${JSON.stringify(raw)}`);
  return workers;
}

export const isWebWorker = (): boolean => cluster.isWorker;

/**
 * Listens on `port`; close() stops taking connections, waits for the requests
 * in progress (up to 10 s, then cuts what is left) and runs `release`.
 */
export function listen(app: RequestListener, port: number, release: () => Promise<void>): Promise<Web> {
  // Which worker answered (its cluster number, not its pid): lets an operator
  // or a test see requests spread across workers without revealing anything
  // about the machine.
  const worker = cluster.worker;
  const handler: RequestListener = worker
    ? (req, res) => {
        res.setHeader("X-Portal-Worker", String(worker.id));
        app(req, res);
      }
    : app;
  const server = http.createServer(handler);
  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const drained = await Promise.race([closed.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), DRAIN_MS).unref())]);
      if (!drained) server.closeAllConnections();
      await release();
    })();
    return closing;
  };
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, () => {
      server.off("error", reject);
      resolve({ close });
    });
  });
}

/**
 * In a worker: serves with `start`, and on the primary's word (or a signal
 * sent to the whole process group, as Ctrl+C is) finishes what is in
 * progress and exits 0.
 */
export async function runWebWorker(start: () => Promise<Web>): Promise<void> {
  let web: Web | null = null;
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    // Asked to stop while starting: it stops once it has started.
    if (!web) return;
    web.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error("Stopping a web worker failed:", error);
        process.exit(1);
      },
    );
  };
  // Ours alone, so nothing exits before the requests in progress are done;
  // the primary, not a worker, stops the embedded database.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.removeAllListeners(signal);
    process.on(signal, stop);
  }
  process.on("message", (message) => {
    if (message === STOP_MESSAGE) stop();
  });
  web = await start();
  if (stopping) {
    stopping = false;
    stop();
  }
}

/**
 * In the primary: forks `workers` web workers (each runs this same entry
 * point with `env` added) and resolves once all of them are listening. A
 * worker that dies before then fails the start; one that dies later is
 * replaced after a delay that doubles while replacements keep dying young.
 */
export async function startWebWorkers(options: {
  workers: number;
  env: Record<string, string>;
  log: (line: string) => void;
  /** Every message a web worker sends, with a way to answer that worker (e.g. the PDF pool's requests). */
  onMessage?: (message: unknown, reply: (answer: unknown) => void) => void;
}): Promise<Web> {
  const { log, onMessage } = options;
  // Structured clone rather than JSON: dates and bytes arrive as they were sent.
  cluster.setupPrimary({ serialization: "advanced" });
  if (onMessage) {
    cluster.on("message", (worker: Worker, message: unknown) =>
      onMessage(message, (answer) => {
        if (worker.isConnected()) worker.send(answer as never);
      }),
    );
  }
  const startedAt = new Map<Worker, number>();
  let stopping = false;
  let youngDeaths = 0;
  const restarts = new Set<NodeJS.Timeout>();

  const fork = () => {
    const worker = cluster.fork(options.env);
    startedAt.set(worker, Date.now());
    return worker;
  };

  const ready = new Promise<void>((resolve, reject) => {
    let listening = 0;
    const onListening = () => {
      listening += 1;
      if (listening === options.workers) {
        cluster.off("listening", onListening);
        cluster.off("exit", onEarlyExit);
        resolve();
      }
    };
    const onEarlyExit = (worker: Worker, code: number | null, signal: string | null) => {
      cluster.off("listening", onListening);
      cluster.off("exit", onEarlyExit);
      reject(new Error(`Web worker ${worker.id} stopped while starting (${signal ?? `exit code ${code}`})`));
    };
    cluster.on("listening", onListening);
    cluster.on("exit", onEarlyExit);
  });

  for (let i = 0; i < options.workers; i++) fork();
  try {
    await ready;
  } catch (error) {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGKILL");
    throw error;
  }

  cluster.on("exit", (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker) ?? 0);
    startedAt.delete(worker);
    if (stopping) return;
    // 1 s after a worker that had been serving a while; 2, 4, 8… s while replacements keep dying young.
    youngDeaths = lived < HEALTHY_AFTER_MS ? youngDeaths + 1 : 0;
    const delay = Math.min(MAX_RESTART_DELAY_MS, 1000 * 2 ** youngDeaths);
    const timer = setTimeout(() => {
      restarts.delete(timer);
      if (!stopping) fork();
    }, delay);
    restarts.add(timer);
    log(`Web worker ${worker.id} (pid ${worker.process.pid}) stopped unexpectedly (${signal ?? `exit code ${code}`}); starting another in ${delay / 1000} s`);
  });

  return {
    close: async () => {
      stopping = true;
      for (const timer of restarts) clearTimeout(timer);
      // A worker's PDFs still being made go on until it has stopped; the caller closes the pool after.
      const running = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
      await Promise.all(
        running.map(
          (worker) =>
            new Promise<void>((resolve) => {
              if (worker.isDead()) return resolve();
              worker.once("exit", () => resolve());
              // A little past the drain time: a worker stuck beyond it is killed.
              const kill = setTimeout(() => worker.process.kill("SIGKILL"), DRAIN_MS + 5_000);
              worker.once("exit", () => clearTimeout(kill));
              try {
                worker.send(STOP_MESSAGE);
              } catch {
                worker.process.kill("SIGTERM");
              }
            }),
        ),
      );
    },
  };
}
