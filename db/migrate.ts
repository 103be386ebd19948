// Forward-only migrations: db/migrations/NNNN_name.sql, each applied in its
// own transaction and recorded with a checksum. A database that has a
// migration this code does not know was migrated by a newer version: refuse.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");
/** Tables that nobody may rewrite, whoever connects as the runtime role. */
// Ofsted judgements are history too (migration 0003): a correction is a new
// inspection record. Stored files are written once (0004).
const APPEND_ONLY_TABLES = ["audit_event", "audit_checkpoint", "ofsted_judgement", "stored_file", "stored_file_chunk"];

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const sql = fs.readFileSync(path.join(dir, file), "utf8");
      return {
        version: Number(file.slice(0, 4)),
        name: file.slice(5, -4),
        sql,
        checksum: crypto.createHash("sha256").update(sql).digest("hex"),
      };
    });
}

export class NewerDatabaseError extends Error {}

export interface MigrateResult {
  applied: string[];
  current: number;
}

export async function migrate(
  connectionString: string,
  options: { runtimeRole?: string | null; log?: (line: string) => void } = {},
): Promise<MigrateResult> {
  const log = options.log ?? (() => {});
  const migrations = loadMigrations();
  const client = new pg.Client({ connectionString, application_name: "placements-portal-migrate" });
  await client.connect();
  try {
    // Two instances starting together must not both migrate.
    await client.query("SELECT pg_advisory_lock(7301001)");
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migration (
      version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ version: number; name: string; checksum: string }>(
      "SELECT version, name, checksum FROM schema_migration ORDER BY version",
    );
    const known = new Map(migrations.map((m) => [m.version, m]));
    for (const row of rows) {
      const mine = known.get(row.version);
      if (!mine) {
        throw new NewerDatabaseError(
          `The database has migration ${row.version} (${row.name}), which this version of the portal does not know: ` +
            `it was migrated by a newer version. Run that version, or restore a matching backup.`,
        );
      }
      if (mine.checksum !== row.checksum) {
        throw new Error(
          `Migration ${row.version} (${row.name}) was changed after it was applied. ` +
            `Migrations are forward-only: write a new one instead.`,
        );
      }
    }
    const done = new Set(rows.map((r) => r.version));
    const applied: string[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      await client.query("BEGIN");
      try {
        await client.query(migration.sql);
        await client.query("INSERT INTO schema_migration (version, name, checksum) VALUES ($1, $2, $3)", [
          migration.version,
          migration.name,
          migration.checksum,
        ]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`Migration ${migration.version} (${migration.name}) failed: ${(error as Error).message}`);
      }
      applied.push(`${migration.version} ${migration.name}`);
      log(`Applied migration ${migration.version} ${migration.name}`);
    }
    const role = options.runtimeRole === undefined ? (process.env.DB_RUNTIME_ROLE ?? "portal_runtime") : options.runtimeRole;
    if (role) await grantRuntimeRole(client, role);
    return { applied, current: migrations.at(-1)?.version ?? 0 };
  } finally {
    await client.query("SELECT pg_advisory_unlock(7301001)").catch(() => {});
    await client.end();
  }
}

/**
 * The app runs as a role that may read and write its tables but may not
 * update, delete or truncate the append-only ones: privileges, on top of the
 * trigger, keep the audit trail append-only.
 */
async function grantRuntimeRole(client: pg.Client, role: string) {
  const r = pg.escapeIdentifier(role);
  await client.query(`DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${pg.escapeLiteral(role)}) THEN
      CREATE ROLE ${r} NOLOGIN;
    END IF;
  END $$`);
  const { rows } = await client.query<{ member: boolean }>(
    `SELECT pg_has_role(current_user, ${pg.escapeLiteral(role)}, 'MEMBER') AS member`,
  );
  if (!rows[0]?.member) await client.query(`GRANT ${r} TO CURRENT_USER`);
  await client.query(`GRANT USAGE ON SCHEMA public TO ${r}`);
  await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r}`);
  await client.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${r}`);
  await client.query(`REVOKE UPDATE, DELETE, TRUNCATE ON ${APPEND_ONLY_TABLES.join(", ")} FROM ${r}`);
  await client.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migration FROM ${r}`);
}
