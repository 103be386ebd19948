// What an audit event adds to a write: the same small change (a home's
// registered places) in N transactions without an event and N with
// recordAuditEvent in the same transaction, alternated in small batches
// (ABBA) so drift on a busy machine hits both alike.
import type { Kysely } from "kysely";
import { createDatabase } from "#app/database/connection";
import type { Database, Trx } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import type { ActionContext } from "#app/modules/identity/actor";
import { actorForUser } from "#app/modules/identity/sessions";
import { migrate } from "#db/migrate";
import { generateDataSet } from "#db/seed/generate";
import { appendAuditEvents } from "./lib/audit-bulk";
import { ownerQuery, startBenchPostgres } from "./lib/database";
import { row, type BenchRow } from "./lib/report";
import { fmt, round, summarise } from "./lib/stats";

export interface AuditWriteOptions {
  transactions: number;
  /** Audit events already in the table before measuring. */
  existingEvents: number;
  targetMs: number;
  /** fsync on (as the portal's own embedded database runs) or off (as the tests run). */
  fsync: boolean;
  log: (line: string) => void;
}

interface Home {
  id: string;
  name: string;
  organisationId: string;
}

async function change(trx: Trx, home: Home, now: Date): Promise<{ from: number; to: number; version: number }> {
  const before = await trx
    .selectFrom("home")
    .select(["registered_places", "version"])
    .where("id", "=", home.id)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const to = before.registered_places >= 8 ? before.registered_places - 1 : before.registered_places + 1;
  await trx
    .updateTable("home")
    .set({ registered_places: to, version: before.version + 1, updated_at: now })
    .where("id", "=", home.id)
    .execute();
  return { from: before.registered_places, to, version: before.version + 1 };
}

async function withoutAudit(db: Kysely<Database>, home: Home): Promise<void> {
  await db.transaction().execute((trx) => change(trx, home, new Date()));
}

async function withAudit(db: Kysely<Database>, home: Home, base: ActionContext, i: number): Promise<void> {
  const ctx: ActionContext = { ...base, now: new Date(), requestId: `bench-write-${i}` };
  await db.transaction().execute(async (trx) => {
    const c = await change(trx, home, ctx.now);
    await recordAuditEvent(trx, ctx, {
      action: "home.updated",
      summary: `Changed registered places at ${home.name} from ${c.from} to ${c.to}`,
      subjects: [
        { type: "home", id: home.id },
        { type: "organisation", id: home.organisationId },
      ],
      before: { registeredPlaces: c.from, version: c.version - 1 },
      after: { registeredPlaces: c.to, version: c.version },
    });
  });
}

export async function benchAuditWrite(options: AuditWriteOptions): Promise<BenchRow[]> {
  const { log } = options;
  // fsync on by default, like the portal's own database: commits cost what they cost in production.
  const postgres = await startBenchPostgres("audit-write", { durable: options.fsync });
  try {
    const url = await postgres.createDatabase("portal_bench_write");
    await migrate(url);
    // The portal's own connection: the runtime role, a pool.
    const db = createDatabase({ connectionString: postgres.runtimeUrl("portal_bench_write"), max: 2 });
    try {
      const data = await generateDataSet(db, { seed: "bench-write", councils: 2, providers: 40, usersPerCouncil: 1 });
      if (options.existingEvents > data.auditEvents) {
        await appendAuditEvents(url, {
          count: options.existingEvents - data.auditEvents,
          seed: "bench-write-trail",
          homes: data.homes,
          from: new Date(Date.now() - 30 * 86_400_000),
          to: new Date(),
        });
      }
      await ownerQuery(url, "VACUUM (ANALYZE)");
      const officer = data.users.find((u) => u.role === "commissioning_officer");
      if (!officer) throw new Error("The generated data set has no commissioning officer");
      const actor = await actorForUser(db, officer.id, null);
      const base: ActionContext = { actor, requestId: null, clientAddress: "127.0.0.1", now: new Date() };
      const homes = data.homes;
      log(
        `  ${homes.length} homes, ${options.existingEvents.toLocaleString("en-GB")} audit events already, fsync ${options.fsync ? "on" : "off"}; ` +
          `${options.transactions} transactions of each kind…`,
      );

      const plain: number[] = [];
      const audited: number[] = [];
      const batch = 10;
      const warmup = Math.min(200, Math.ceil(options.transactions / 10));
      let i = 0;
      const runA = async (keep: boolean) => {
        const home = homes[i++ % homes.length] as Home;
        const t = performance.now();
        await withoutAudit(db, home);
        if (keep) plain.push(performance.now() - t);
      };
      const runB = async (keep: boolean) => {
        const home = homes[i++ % homes.length] as Home;
        const t = performance.now();
        await withAudit(db, home, base, i);
        if (keep) audited.push(performance.now() - t);
      };
      for (let w = 0; w < warmup; w++) {
        await runA(false);
        await runB(false);
      }
      const started = performance.now();
      for (let b = 0; plain.length < options.transactions; b++) {
        const n = Math.min(batch, options.transactions - plain.length);
        const order = b % 2 === 0 ? [runA, runB] : [runB, runA];
        for (const run of order) for (let k = 0; k < n; k++) await run(true);
      }
      const elapsed = performance.now() - started;
      const a = summarise(plain);
      const b = summarise(audited);
      const addedP95 = b.p95 - a.p95;
      const addedP50 = b.p50 - a.p50;
      log(`  without: p50 ${fmt(a.p50, 2)} / p95 ${fmt(a.p95, 2)} ms; with: p50 ${fmt(b.p50, 2)} / p95 ${fmt(b.p95, 2)} ms (${fmt(elapsed / 1000)} s)`);
      const lat = (s: typeof a) => ({ p50: round(s.p50, 3), p95: round(s.p95, 3), p99: round(s.p99, 3), mean: round(s.mean, 3), max: round(s.max, 3), count: s.count });
      return [
        row({
          section: "audit-write",
          name: "write transaction without audit event",
          value: round(a.p95, 3),
          unit: "ms p95",
          result: `p50 ${fmt(a.p50, 2)} / p95 ${fmt(a.p95, 2)} / p99 ${fmt(a.p99, 2)} ms (n=${a.count})`,
          details: { latencyMs: lat(a) },
        }),
        row({
          section: "audit-write",
          name: "write transaction with recordAuditEvent",
          value: round(b.p95, 3),
          unit: "ms p95",
          result: `p50 ${fmt(b.p50, 2)} / p95 ${fmt(b.p95, 2)} / p99 ${fmt(b.p99, 2)} ms (n=${b.count})`,
          details: { latencyMs: lat(b) },
        }),
        row({
          section: "audit-write",
          name: "audit event added at p95",
          value: round(addedP95, 3),
          unit: "ms",
          target: `< ${options.targetMs} ms`,
          pass: addedP95 < options.targetMs,
          result: `+${fmt(addedP95, 2)} ms at p95 (+${fmt(addedP50, 2)} ms at p50)`,
          details: {
            addedP95Ms: round(addedP95, 3),
            addedP50Ms: round(addedP50, 3),
            transactionsEach: options.transactions,
            existingEvents: options.existingEvents,
            fsync: options.fsync,
          },
        }),
      ];
    } finally {
      await db.destroy();
    }
  } finally {
    await postgres.stop();
  }
}
