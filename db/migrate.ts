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
// inspection record. Stored files are written once (0004). A tender's
// amendments and providers' interest in it are its history (0009), as are
// its documents pack and clarifications (0012).
const APPEND_ONLY_TABLES = [
  "audit_event",
  "audit_checkpoint",
  "ofsted_judgement",
  "stored_file",
  "stored_file_chunk",
  "tender_amendment",
  "tender_interest",
  "vacancy_history",
  "vacancy_reminder",
  "postcode_district_import",
  "tender_document",
  "tender_document_withdrawal",
  "clarification_question",
  "clarification_answer",
  // Submitted bids, withdrawals and reminders sent (0013).
  "bid_submission", "bid_submission_lot", "bid_submission_answer", "bid_submission_price", "bid_submission_file", "bid_withdrawal", "bid_reminder",
  "placement_decline",
  // What was published as OCDS (0021); open framework re-opening reminders sent (0023).
  "ocds_release",
  "framework_reopening_reminder",
  // Award rounds, consultation responses, decisions and who wrote a recommendation (0022).
  "award_submission", "award_consultation", "award_decision", "award_recommendation_author",
  // Award notices, challenges and their resolutions (0025).
  "award_notice", "award_challenge", "award_challenge_resolution",
  // Assessment summaries as sent, and who sent them when (0024).
  "assessment_summary_sending", "assessment_summary",
  // Superseded awards and the re-evaluation's changed scores (0030).
  "award_supersession", "award_reevaluation_change",
  // Compliance results changed in re-evaluation, and why (0034).
  "award_reevaluation_compliance_change",
  // Evaluation's history: panel, conflicts, compliance, scores, moderation (0017).
  "evaluation_assignment", "evaluation_conflict_declaration", "evaluation_conflict_decision",
  "evaluation_compliance", "evaluation_compliance_check", "evaluation_score", "evaluation_moderation",
  // Dynamic markets' application decisions and memberships (0016).
  "market_application_status", "market_membership",
  // Homes' weekly fees: a change is a new record with its date (0028).
  "home_weekly_fee",
  // Contracts' frozen price schedules and document references (0026).
  "contract_price", "contract_document",
  // Award contracts linked to utilisation, and officers' files on contracts (0031).
  "contract_utilisation", "contract_file",
];
/**
 * History that is completed in place (a record withdrawn with a reason, an
 * alert ended) but never removed (migration 0015; triggers refuse other changes).
 */
const NEVER_DELETED_TABLES = ["bed_unavailability", "bed_occupancy", "block_contract_alert", "short_break_booking", "award_recommendation", "evaluation", "market_application", "contract", "market_application_file"];
/** Figures derived from other tables by triggers that run as the owner (0020): the runtime role only reads them. */
const DERIVED_TABLES = ["block_utilisation_summary"];
/** The only way the runtime role touches the chain's head (migration 0005). */
const AUDIT_WRITE_FUNCTIONS = [
  "append_audit_event(timestamptz, uuid, text, text[], uuid, text, text, text, jsonb, jsonb, jsonb, text, text, text, text)",
  "lock_audit_chain_head()",
  // Since 0037 the portal stages its events, sealed into the chain at commit.
  "stage_audit_event(timestamptz, uuid, text, text[], uuid, text, text, text, jsonb, jsonb, jsonb, text, text, text, text)",
];

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
 * For a portal given only its runtime login (DATABASE_URL without
 * DATABASE_OWNER_URL): the schema must already be this version's, migrated by
 * the owner with `npm run db:migrate`. Says which migrations are missing.
 */
export async function requireMigrated(connectionString: string): Promise<MigrateResult> {
  const migrations = loadMigrations();
  const client = new pg.Client({ connectionString, application_name: "placements-portal-migrate" });
  await client.connect();
  try {
    const { rows } = await client
      .query<{ version: number }>("SELECT version FROM schema_migration ORDER BY version")
      .catch(() => ({ rows: [] as { version: number }[] }));
    const done = new Set(rows.map((r) => r.version));
    const newer = rows.find((r) => !migrations.some((m) => m.version === r.version));
    if (newer) throw new NewerDatabaseError(`The database has migration ${newer.version}, which this version of the portal does not know: it was migrated by a newer version.`);
    const pending = migrations.filter((m) => !done.has(m.version));
    if (pending.length > 0) {
      throw new Error(
        `The database needs ${pending.length === 1 ? "migration" : "migrations"} ${pending.map((m) => `${m.version} (${m.name})`).join(", ")}. ` +
          `The portal logs in as its runtime role, which may not change the schema: run "npm run db:migrate" with DATABASE_OWNER_URL ` +
          `set to the owner's login, or set DATABASE_OWNER_URL for the portal too so it migrates on start.`,
      );
    }
    return { applied: [], current: migrations.at(-1)?.version ?? 0 };
  } finally {
    await client.end();
  }
}

/**
 * The app logs in as a role that is neither a superuser nor the owner of the
 * tables (README: "Database roles"). It may read and write the portal's
 * tables, but may not update, delete or truncate the append-only ones, and
 * adds to the audit trail only through append_audit_event (migration 0005):
 * it cannot move the chain's head or insert an event itself. Privileges, on
 * top of the triggers; and as a non-owner it cannot disable those triggers.
 */
async function grantRuntimeRole(client: pg.Client, role: string) {
  const r = pg.escapeIdentifier(role);
  const { rows } = await client.query<{ exists: boolean; creator: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS exists,
       (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user) AS creator`,
    [role],
  );
  if (!rows[0]?.exists) {
    if (!rows[0]?.creator) {
      throw new Error(
        `The runtime role "${role}" does not exist, and the migrating login may not create roles. ` +
          `Create it first (see "Database roles" in the README), or set DB_RUNTIME_ROLE to the role the portal logs in as.`,
      );
    }
    await client.query(`CREATE ROLE ${r} NOLOGIN NOINHERIT`);
  }
  await client.query(`GRANT USAGE ON SCHEMA public TO ${r}`);
  await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r}`);
  await client.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${r}`);
  await client.query(`REVOKE UPDATE, DELETE, TRUNCATE ON ${APPEND_ONLY_TABLES.join(", ")} FROM ${r}`);
  await client.query(`REVOKE DELETE, TRUNCATE ON ${NEVER_DELETED_TABLES.join(", ")} FROM ${r}`);
  await client.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ${DERIVED_TABLES.join(", ")} FROM ${r}`);
  await client.query(`REVOKE INSERT ON audit_event FROM ${r}`);
  await client.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON audit_chain_head FROM ${r}`);
  // Staged events are written and sealed only by their functions (0037).
  await client.query(`REVOKE ALL ON audit_event_staged FROM ${r}`);
  await client.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migration FROM ${r}`);
  await client.query(`REVOKE CREATE ON SCHEMA public FROM ${r}`);
  for (const fn of AUDIT_WRITE_FUNCTIONS) await client.query(`GRANT EXECUTE ON FUNCTION ${fn} TO ${r}`);
}
