// The portal logs in as a role that is neither superuser nor owner: someone
// who gets hold of its login (or of a SQL injection) still cannot rewrite
// history, rewind the audit chain, or become a role that could.
import { sql } from "kysely";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { powerfulLoginProblem } from "#app/database/login-check";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { verifyAuditTrail } from "#app/modules/audit/verify";
import { systemContext } from "#app/modules/identity/actor";
import { requireMigrated } from "#db/migrate";
import { useTestDatabase } from "#test/support/database";

const { db, url, ownerDb } = await useTestDatabase();
const owner = ownerDb();

/** Runs one statement on a fresh connection as the runtime login; the error message, or null. */
async function asRuntime(statement: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end();
  }
}

async function head() {
  return owner.selectFrom("audit_chain_head").select(["seq", "hash"]).executeTakeFirstOrThrow();
}

describe("the runtime login", () => {
  it("is not a superuser, not an owner, and the portal accepts it; the owner's login is refused", async () => {
    const { rows } = await sql<{ user: string; superuser: boolean }>`
      SELECT current_user AS user, rolsuper AS superuser FROM pg_roles WHERE rolname = current_user`.execute(db);
    expect(rows[0]).toEqual({ user: "portal_runtime", superuser: false });
    expect(await powerfulLoginProblem(db)).toBeNull();
    expect(await powerfulLoginProblem(owner)).toMatch(/logged in to PostgreSQL as "\w+", which is a superuser/);
  });

  it("cannot reset or set itself to a more powerful role", async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query("RESET ROLE");
      const after = await client.query<{ user: string }>("SELECT current_user AS user");
      expect(after.rows[0]?.user).toBe("portal_runtime");
      await expect(client.query("SET ROLE postgres")).rejects.toThrow(/permission denied/);
      await expect(client.query("SET SESSION AUTHORIZATION postgres")).rejects.toThrow(/permission denied/);
    } finally {
      await client.end();
    }
  });

  it("cannot rewind the chain's head, insert an event of its own, or delete the head", async () => {
    await db.transaction().execute((trx) => recordAuditEvent(trx, systemContext(), { action: "test.event", summary: "An event", subjects: [] }));
    const before = await head();
    expect(before.seq).toBeGreaterThan(0);
    expect(await asRuntime("UPDATE audit_chain_head SET seq = 0, hash = repeat('0', 64)")).toMatch(/permission denied/);
    expect(await asRuntime("DELETE FROM audit_chain_head")).toMatch(/permission denied/);
    expect(await asRuntime("TRUNCATE audit_chain_head")).toMatch(/permission denied/);
    expect(
      await asRuntime(`INSERT INTO audit_event (seq, occurred_at, action, summary, prev_hash, hash)
        VALUES (${before.seq + 1}, now(), 'forged', 'Forged', '${before.hash}', repeat('f', 64))`),
    ).toMatch(/permission denied/);
    expect(await head()).toEqual(before);
    // Nor stage one, or take a staged one away, except through stage_audit_event (decision 055).
    expect(await asRuntime("INSERT INTO audit_event_staged (occurred_at, action, summary, chained_tail) VALUES (now(), 'forged', 'Forged', '[]')")).toMatch(/permission denied/);
    expect(await asRuntime("DELETE FROM audit_event_staged")).toMatch(/permission denied/);
  });

  it("cannot disable the append-only triggers or switch them off for its session", async () => {
    expect(await asRuntime("ALTER TABLE audit_event DISABLE TRIGGER ALL")).toMatch(/must be owner/);
    expect(await asRuntime("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only")).toMatch(/must be owner/);
    expect(await asRuntime("SET session_replication_role = replica")).toMatch(/permission denied/);
    expect(await asRuntime("DROP TRIGGER audit_event_append_only ON audit_event")).toMatch(/must be owner/);
    expect(await asRuntime("CREATE OR REPLACE FUNCTION refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$")).toMatch(
      /must be owner|permission denied/,
    );
  });

  it("still adds events through append_audit_event, chained and verifiable", async () => {
    const before = await head();
    await db.transaction().execute(async (trx) => {
      await recordAuditEvent(trx, systemContext(), { action: "test.first", summary: "First", subjects: [] });
      await recordAuditEvent(trx, systemContext(), { action: "test.second", summary: "Second", subjects: [] });
    });
    expect((await head()).seq).toBe(before.seq + 2);
    const result = await verifyAuditTrail(db, { publicKey: null });
    expect(result).toMatchObject({ ok: true, events: before.seq + 2 });
  });
});

describe("a portal given only its runtime login", () => {
  it("starts on a schema the owner has migrated, and says which migrations are missing otherwise", async () => {
    await expect(requireMigrated(url)).resolves.toMatchObject({ applied: [] });
    const last = await owner.selectFrom("schema_migration").selectAll().orderBy("version", "desc").executeTakeFirstOrThrow();
    await owner.deleteFrom("schema_migration").where("version", "=", last.version).execute();
    try {
      await expect(requireMigrated(url)).rejects.toThrow(new RegExp(`needs migration ${last.version} \\(${last.name}\\).*npm run db:migrate.*DATABASE_OWNER_URL`));
    } finally {
      await owner.insertInto("schema_migration").values(last).execute();
    }
  });
});
