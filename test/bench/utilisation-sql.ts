// The utilisation query on the bench set (300 block beds × 5 years,
// about 550,000 bed-nights): times the module's query for all contracts over
// the five years, by month and by week, and prints PostgreSQL's plan with
// EXPLAIN ANALYZE. Run on its own: node --import tsx test/bench/utilisation-sql.ts
import fs from "node:fs";
import os from "node:os";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import type { Database } from "#app/database/schema";
import { createDatabase } from "#app/database/connection";
import { currentVoids, utilisationFigures } from "#app/modules/utilisation/utilisation";
import { migrate } from "#db/migrate";
import { generateDataSet } from "#db/seed/generate";
import { generateBlockBeds } from "#db/seed/generate-market";
import { ownerQuery, startBenchPostgres } from "./lib/database";
import { cleanupAll } from "./lib/processes";
import { fmt, summarise } from "./lib/stats";

const RUNS = Number(process.env.BENCH_UTILISATION_RUNS ?? 50);

async function main() {
  const postgres = await startBenchPostgres("utilisation");
  const url = await postgres.createDatabase("portal_bench_utilisation");
  await migrate(url);
  const db = createDatabase({ connectionString: postgres.runtimeUrl("portal_bench_utilisation"), max: 2 });
  try {
    const data = await generateDataSet(db, { seed: "bench-utilisation", councils: 1, providers: 20 });
    const block = data.agreements.find((a) => a.reference.includes("BLOCK")) ?? data.agreements[0]!;
    const started = performance.now();
    const set = await generateBlockBeds(db, { agreementId: block.id, providerHomes: data.homes, beds: 300, bedsPerContract: 30, lastNight: "2026-11-29", years: 5 });
    console.log(`Generated ${set.contracts} contracts, ${set.beds} beds, ${set.bedNights.toLocaleString("en-GB")} bed-nights, ${set.stays} stays, ${set.outOfUse} spells out of use in ${fmt((performance.now() - started) / 1000)} s`);
    await ownerQuery(url, "VACUUM (ANALYZE)");
    const period = { from: set.firstNight, to: set.lastNight };
    // One connection, so the PostgreSQL process that runs the queries is known and its CPU time can be read:
    // on a busy machine wall-clock time mostly measures the queue for a core, CPU time what the query costs.
    const single = createDatabase({ connectionString: postgres.runtimeUrl("portal_bench_utilisation"), max: 1 });
    const backendPid = (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(single)).rows[0]!.pid;
    const cpuMs = () => {
      const fields = fs.readFileSync(`/proc/${backendPid}/stat`, "utf8").split(") ")[1]!.split(" ");
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
    };
    console.log(`Load average at the start: ${os.loadavg().map((l) => l.toFixed(1)).join(", ")} on ${os.cpus().length} cores`);
    for (const by of ["month", "week"] as const) {
      const times: number[] = [];
      let rows = 0;
      for (let i = 0; i < 5; i++) await utilisationFigures(single, { period, by });
      const cpuBefore = cpuMs();
      const nodeBefore = process.cpuUsage();
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        rows = (await utilisationFigures(single, { period, by })).length;
        times.push(performance.now() - t);
      }
      const dbCpu = (cpuMs() - cpuBefore) / RUNS;
      const nodeUsage = process.cpuUsage(nodeBefore);
      const nodeCpu = (nodeUsage.user + nodeUsage.system) / 1000 / RUNS;
      const s = summarise(times);
      console.log(
        `utilisationFigures, all contracts, 5 years by ${by}: ${rows} rows; wall p50 ${fmt(s.p50)} ms, p95 ${fmt(s.p95)} ms over ${RUNS} runs; ` +
          `CPU a query: PostgreSQL ${fmt(dbCpu)} ms, Node ${fmt(nodeCpu)} ms`,
      );
    }
    await single.destroy();
    const voids: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      await currentVoids(db, { tonight: "2026-11-20" });
      voids.push(performance.now() - t);
    }
    console.log(`currentVoids, all contracts: p95 ${fmt(summarise(voids).p95)} ms`);
    // The plan of the same query, as the module sends it.
    const compiled = await captureQuery(postgres.runtimeUrl("portal_bench_utilisation"), period);
    const plan = await ownerQuery<{ "QUERY PLAN": string }>(url, `EXPLAIN (ANALYZE, BUFFERS) ${compiled.sql}`, compiled.parameters as unknown[]);
    console.log(plan.map((r) => r["QUERY PLAN"]).join("\n"));
  } finally {
    await db.destroy();
    await cleanupAll();
  }
}

/** The SQL and parameters utilisationFigures sends, caught from Kysely's query log. */
async function captureQuery(url: string, period: { from: string; to: string }) {
  let caught: { sql: string; parameters: readonly unknown[] } | null = null;
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const spy = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => {
      if (event.level === "query") caught = { sql: event.query.sql, parameters: event.query.parameters };
    },
  });
  try {
    await utilisationFigures(spy, { period, by: "month" });
  } finally {
    await spy.destroy();
  }
  if (!caught) throw new Error("No query was sent");
  return caught as { sql: string; parameters: readonly unknown[] };
}

main().catch(async (error: unknown) => {
  console.error(error);
  await cleanupAll();
  process.exit(1);
});
