// `npm run audit:verify` on a large trail: a fresh database filled with
// valid chained events (bulk-generated, see lib/audit-bulk.ts) and a signed
// checkpoint at the end, then the real command, timed from spawn to exit.
import fs from "node:fs";
import path from "node:path";
import { createDatabase } from "#app/database/connection";
import { createCheckpoint } from "#app/modules/audit/checkpoints";
import { generateSigningKey } from "#app/modules/audit/signing-key";
import { systemContext } from "#app/modules/identity/actor";
import { migrate } from "#db/migrate";
import { appendAuditEvents } from "./lib/audit-bulk";
import { ownerQuery, startBenchPostgres } from "./lib/database";
import { spawnNode, tempDir } from "./lib/processes";
import { row, type BenchRow } from "./lib/report";
import { fmt } from "./lib/stats";

export interface VerifyBenchOptions {
  root: string;
  events: number;
  targetSeconds: number;
  log: (line: string) => void;
}

export async function benchAuditVerify(options: VerifyBenchOptions): Promise<BenchRow[]> {
  const { log } = options;
  const count = Math.max(2, options.events);
  const postgres = await startBenchPostgres("verify");
  try {
    const url = await postgres.createDatabase("portal_bench_verify");
    await migrate(url);
    log(`  generating ${count.toLocaleString("en-GB")} chained audit events…`);
    const genStarted = performance.now();
    let nextReport = 0;
    // count - 1 bulk events; signing the checkpoint writes the last one.
    const bulk = await appendAuditEvents(url, {
      count: count - 1,
      seed: "bench-verify",
      from: new Date(Date.now() - 3 * 365 * 86_400_000),
      to: new Date(Date.now() - 60_000),
      onProgress: (n) => {
        if (n >= nextReport) {
          nextReport += 250_000;
          if (n > 0 && n < count - 1) log(`    ${n.toLocaleString("en-GB")} written (${fmt((performance.now() - genStarted) / 1000)} s)`);
        }
      },
    });
    const insertedMs = performance.now() - genStarted;
    const key = generateSigningKey();
    const db = createDatabase({ connectionString: url, max: 1 });
    try {
      await db.transaction().execute((trx) => createCheckpoint(trx, systemContext("bench:verify"), key, "on_demand"));
    } finally {
      await db.destroy();
    }
    // As a long-lived table would be after autovacuum: visibility map set, statistics current.
    const vacuumStarted = performance.now();
    await ownerQuery(url, "VACUUM (ANALYZE) audit_event");
    const vacuumMs = performance.now() - vacuumStarted;
    const generationMs = performance.now() - genStarted;
    const [size] = await ownerQuery<{ total: string; events: string }>(
      url,
      "SELECT pg_size_pretty(pg_total_relation_size('audit_event')) AS total, (SELECT count(*) FROM audit_event)::text AS events",
    );
    log(
      `  generated ${Number(size?.events).toLocaleString("en-GB")} events in ${fmt(generationMs / 1000)} s ` +
        `(hashing ${fmt(bulk.hashMs / 1000)} s, inserting overlapped, VACUUM ANALYZE ${fmt(vacuumMs / 1000)} s; table ${size?.total})`,
    );

    const { dir } = tempDir("portal-bench-key-");
    const keyFile = path.join(dir, "audit-public.pem");
    fs.writeFileSync(keyFile, key.publicKeyPem);
    log("  running npm run audit:verify (node --import tsx app/modules/audit/verify-cli.ts --public-key …)");
    const started = performance.now();
    const child = spawnNode(["--import", "tsx", "app/modules/audit/verify-cli.ts", "--public-key", keyFile], {
      cwd: options.root,
      env: { ...process.env, DATABASE_URL: url, NODE_ENV: "production" },
      label: "audit:verify",
    });
    const exit = await child.exited;
    const elapsedMs = performance.now() - started;
    const out = child.stdout();
    const expected = `Audit trail intact: ${count} events`;
    const inner = /checked in ([\d.]+) s/.exec(out);
    let error: string | null = null;
    if (exit.code !== 0) error = `audit:verify exited ${exit.code ?? exit.signal}: ${child.output().slice(-500)}`;
    else if (!out.includes(expected)) error = `audit:verify did not print "${expected}": ${out.slice(0, 300)}`;
    const seconds = elapsedMs / 1000;
    return [
      row({
        section: "audit-verify",
        name: `audit:verify, ${count.toLocaleString("en-GB")} events`,
        value: seconds,
        unit: "s",
        target: `< ${options.targetSeconds} s`,
        pass: error ? false : seconds < options.targetSeconds,
        error,
        result: `${fmt(seconds)} s (${inner ? `${inner[1]} s inside the command; ` : ""}${fmt(count / seconds, 0)} events/s)`,
        details: {
          events: count,
          commandSeconds: seconds,
          reportedCheckSeconds: inner ? Number(inner[1]) : null,
          exitCode: exit.code,
          output: out.trim(),
          tableSize: size?.total,
        },
      }),
      row({
        section: "audit-verify",
        name: "  generating those events (not a target)",
        value: generationMs / 1000,
        unit: "s",
        result: `${fmt(generationMs / 1000)} s (hash ${fmt(bulk.hashMs / 1000)} s, insert+hash ${fmt(insertedMs / 1000)} s, vacuum ${fmt(vacuumMs / 1000)} s)`,
        details: { generationSeconds: generationMs / 1000, hashSeconds: bulk.hashMs / 1000, insertSeconds: insertedMs / 1000, vacuumSeconds: vacuumMs / 1000 },
      }),
    ];
  } finally {
    await postgres.stop();
  }
}
