// `npm start`: build if needed, bring up the database (embedded unless
// DATABASE_URL is set), migrate, seed demo data into a new embedded database,
// then serve. Also runs each instance's background work: sending queued
// email and signing the daily audit checkpoint. With WEB_CONCURRENCY above 1
// (the default on a machine with more than one core) this process forks web
// workers that run this same file and only serve pages (cluster.ts).
// First, before anything loads Remix: the router with its matching hook (decision 049).
import "./router-hook";
import crypto from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import type { Kysely } from "kysely";
import type { PortalConfig } from "./config";
import { createDatabase } from "#app/database/connection";
import { powerfulLoginProblem } from "#app/database/login-check";
import type { Database, Trx } from "#app/database/schema";
import { keepAuditCheckpoints } from "#app/modules/audit/checkpoints";
import { sendEvidenceExpiryReminders } from "#app/modules/evidence/reminders";
import { sendBidReminders } from "#app/modules/tendering/bids-reminders";
import { sendReopeningReminders } from "#app/modules/tendering/reopening";
import { loadSigningKey } from "#app/modules/audit/signing-key";
import { systemContext } from "#app/modules/identity/actor";
import { removeEndedSignInState } from "#app/modules/identity/housekeeping";
import { sendVacancyReminders } from "#app/modules/vacancies/freshness";
import { startDispatcherLoop } from "#app/modules/outbox/outbox";
import { advancePlacementRequests } from "#app/modules/placements/sending";
import { createPdfRenderer, type PdfRenderer } from "#app/modules/pdf/renderer";
import { answerPdfRequest, primaryPdfRenderer } from "#app/modules/pdf/shared";
import { publishEarlierTenders } from "#app/modules/publication/ocds-releases";
import { transportFromEnv } from "#app/modules/outbox/config";
import { checkUtilisationAlerts } from "#app/modules/utilisation/utilisation";
import { migrate, requireMigrated } from "#db/migrate";
import { DEMO_PASSWORD, demoSignIns, seedDemo } from "#db/seed/demo";
import { ensureBuilt } from "./assets";
import { isWebWorker, listen, runWebWorker, startWebWorkers, webConcurrency, type Web } from "./cluster";
import { loadConfig } from "./config";
import { configuredDatabase } from "./database";
import { createPortalApp } from "./http";

const root = process.cwd();
const started = Date.now();
const log = (line: string) => console.log(line);

async function readSetting(db: Kysely<Database>, key: string, make: () => string): Promise<string> {
  await db.insertInto("portal_setting").values({ key, value: make() }).onConflict((oc) => oc.column("key").doNothing()).execute();
  const row = await db.selectFrom("portal_setting").select("value").where("key", "=", key).executeTakeFirstOrThrow();
  return row.value;
}

async function main() {
  const config = loadConfig();
  const workers = webConcurrency();
  if (isWebWorker()) {
    // The primary has built, migrated and seeded, and passes its database's address.
    if (!config.databaseUrl) throw new Error("A web worker was started without DATABASE_URL");
    const db = createDatabase({ connectionString: config.databaseUrl, max: Number(process.env.DB_POOL_SIZE ?? 10), namedStatements: config.namedStatements });
    await runWebWorker(() => serve(db, config));
    return;
  }
  ensureBuilt(root, log);

  const { url: databaseUrl, ownerUrl, embedded } = await configuredDatabase(config, log);
  const migration = ownerUrl ? await migrate(ownerUrl, { log }) : await requireMigrated(databaseUrl);
  // Forked web workers have pools of their own; this one is for the background loops.
  const db = createDatabase({ connectionString: databaseUrl, max: workers > 1 ? 2 : Number(process.env.DB_POOL_SIZE ?? 10), namedStatements: config.namedStatements });
  const tooPowerful = await powerfulLoginProblem(db);
  if (tooPowerful) throw new Error(tooPowerful);

  const empty = !(await db.selectFrom("organisation").select("id").limit(1).executeTakeFirst());
  if (embedded && empty && config.seedDemo) {
    log("New database: adding demo data…");
    await seedDemo(db, { password: config.demoPassword ?? undefined });
  }

  const signingKey = loadSigningKey({ defaultFile: config.signingKeyFile });
  await readSetting(db, "cookie_secret", () => crypto.randomBytes(32).toString("base64url"));
  const transport = transportFromEnv(process.env);

  // On SIGTERM (a deploy, a scale-down) or Ctrl+C: take no new requests,
  // let those in progress finish (for up to 10 s), then stop the background
  // loops, the PDF workers, the pool and the embedded database, and exit 0.
  // Ready for a signal before the first page is served: with web workers
  // that is as soon as the first one listens, before the others have.
  let stopping = false;
  let stopDispatcher: (() => Promise<void>) | null = null;
  let backgroundTimer: NodeJS.Timeout | null = null;
  // With web workers, this process holds the instance's one PDF pool and makes every worker's PDFs (pdf/shared.ts).
  const sharedPdf = workers > 1 ? createPdfRenderer({ workers: pdfWorkers(workers) }) : null;
  const starting = sharedPdf
    ? startWebWorkers({ workers, env: { DATABASE_URL: databaseUrl }, log, onMessage: (message, reply) => answerPdfRequest(sharedPdf, message, reply) })
    : serve(db, config);
  // While the web workers start, the pool's threads load react-pdf and make a small report (once for all the
  // workers), so the first PDF asked for after a start does not wait seconds for them; a PDF asked for meanwhile goes
  // first. On two cores this makes a warm restart's first page about a second later (decision 045).
  sharedPdf?.warm().catch((error: unknown) => console.error("Warming the PDF worker failed:", error));
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: finishing the requests in progress, then stopping…`);
    if (backgroundTimer) clearInterval(backgroundTimer);
    const web = await starting.catch(() => null);
    await web?.close();
    await sharedPdf?.close();
    await stopDispatcher?.();
    await db.destroy();
    if (embedded) await embedded.stop().catch(() => {});
    log("Stopped.");
    process.exit(0);
  };
  // Ours alone: no library's handler may exit before the requests in progress
  // have finished. Shutdown stops the embedded database last (Ctrl+C in a
  // terminal reaches it at once too, as it shares the terminal's group).
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.removeAllListeners(signal);
    process.on(signal, (s: NodeJS.Signals) =>
      shutdown(s).catch((error: unknown) => {
        console.error("Stopping failed:", error);
        process.exit(1);
      }),
    );
  }

  try {
    await starting;
  } catch (error) {
    // A worker that fails while a signal is stopping the start is the signal's doing.
    if (stopping) return;
    throw error;
  }
  if (stopping) return;
  log(
    `\nChildren's Placements Portal is running at ${config.baseUrl} (schema version ${migration.current}, ${workers > 1 ? `${workers} web workers, ` : ""}ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
  void printModeAndDemoSignIns(db, config);

  stopDispatcher = startDispatcherLoop(db, transport, { intervalMs: config.dispatchIntervalMs });
  // Every ten minutes: a signed checkpoint if one is due (and a look for a rewound chain), and old sign-in state cleared away.
  const ctx = () => systemContext();
  const inTransaction = (work: (trx: Trx) => Promise<unknown>) => () => db.transaction().execute(work);
  // Each job is safe with several instances (leases, locks or a record of what was sent) and fails on its own.
  const jobs: { failure: string; run: () => Promise<unknown> }[] = [
    {
      failure: "Audit checkpoint failed",
      run: () => keepAuditCheckpoints(db, ctx(), signingKey, { intervalMinutes: config.checkpointIntervalMinutes, witnessEmails: config.witnessEmails, baseUrl: config.baseUrl }),
    },
    { failure: "Clearing old sign-in state failed", run: inTransaction((trx) => removeEndedSignInState(trx, ctx())) },
    { failure: "Evidence expiry reminders failed", run: inTransaction((trx) => sendEvidenceExpiryReminders(trx, { baseUrl: config.baseUrl }, ctx())) },
    { failure: "Bid deadline reminders failed", run: inTransaction((trx) => sendBidReminders(trx, { baseUrl: config.baseUrl }, ctx())) },
    { failure: "Open framework re-opening reminders failed", run: inTransaction((trx) => sendReopeningReminders(trx, { baseUrl: config.baseUrl }, ctx())) },
    // Providers with stale vacancies, each at most once per VACANCY_REMINDER_DAYS.
    {
      failure: "Vacancy reminders failed",
      run: inTransaction((trx) => sendVacancyReminders(trx, { everyDays: config.vacancyReminderDays, baseUrl: config.baseUrl }, ctx())),
    },
    // Placement requests' next tiers sent as their windows end, and requests past their deadline closed.
    { failure: "Advancing placement requests failed", run: inTransaction((trx) => advancePlacementRequests(trx, ctx(), { baseUrl: config.baseUrl })) },
    { failure: "Checking block bed utilisation failed", run: inTransaction((trx) => checkUtilisationAlerts(trx, { baseUrl: config.baseUrl }, ctx())) },
    // OCDS releases for tenders published before the portal kept them (decision 028).
    { failure: "Publishing earlier tenders as OCDS failed", run: inTransaction((trx) => publishEarlierTenders(trx)) },
  ];
  const everyTenMinutes = async () => {
    for (const job of jobs) await job.run().catch((error: unknown) => console.error(`${job.failure}:`, error));
  };
  void everyTenMinutes();
  backgroundTimer = setInterval(() => void everyTenMinutes(), 10 * 60 * 1000);
  backgroundTimer.unref();
}

/** Serves pages from this process: one web worker, or the whole portal when WEB_CONCURRENCY is 1. */
async function serve(db: Kysely<Database>, config: PortalConfig): Promise<Web> {
  const signingKey = loadSigningKey({ defaultFile: config.signingKeyFile });
  const cookieSecret = await readSetting(db, "cookie_secret", () => crypto.randomBytes(32).toString("base64url"));
  const build = (await import(pathToFileURL(path.join(root, "build/index.js")).href)) as ServerBuild;
  // A web worker has the primary's pool make its PDFs; a portal serving from one process has its own.
  const pdf: PdfRenderer = isWebWorker() ? primaryPdfRenderer(process) : createPdfRenderer({ workers: pdfWorkers(1) });
  const app = createPortalApp({ db, build, config, signingKey, cookieSecret, emailTransport: transportFromEnv(process.env).kind, pdf, root });
  const web = await listen(app, config.port, async () => {
    await pdf.close();
    if (isWebWorker()) await db.destroy();
  });
  // Once the portal answers, the PDF worker loads its libraries, so the first PDF asked for does not wait seconds for them.
  pdf.warm().catch((error: unknown) => console.error("Warming the PDF worker failed:", error));
  return web;
}

/**
 * PDF_WORKERS, or one thread for every two web workers (at least one): the
 * threads of the instance's one pool, each making one document at a time.
 */
function pdfWorkers(webWorkers: number): number {
  const raw = process.env.PDF_WORKERS?.trim();
  if (!raw) return Math.max(1, Math.floor(webWorkers / 2));
  const threads = Number(raw);
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`PDF_WORKERS must be a whole number of threads (1 or more), not ${JSON.stringify(raw)}`);
  return threads;
}

/** One plain line saying which mode is running, then (outside production) the demo sign-ins. */
async function printModeAndDemoSignIns(db: Kysely<Database>, config: PortalConfig) {
  if (config.production) {
    log("Running in production mode: secure cookies, no demo sign-ins, no error details on pages.");
    return;
  }
  const users = await demoSignIns(db);
  const mode = config.development ? "development" : "test";
  log(
    users.length > 0
      ? `Running in ${mode} mode: demo sign-ins are shown below. Set NODE_ENV=production for a live service.`
      : `Running in ${mode} mode. Set NODE_ENV=production for a live service.`,
  );
  if (users.length === 0) return;
  log("\nDemo sign-ins:");
  for (const u of users) log(`  ${u.role.padEnd(24)} ${u.email.padEnd(40)} ${u.organisation}`);
  log(`  Password for all: ${config.demoPassword ?? DEMO_PASSWORD}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
