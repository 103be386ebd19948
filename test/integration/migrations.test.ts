import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { loadMigrations, migrate, NewerDatabaseError } from "#db/migrate";
import { useTestDatabase } from "#test/support/database";

const { ownerUrl: url, ownerDb } = await useTestDatabase();
const owner = ownerDb();

describe("migrations", () => {
  it("are numbered, and a migrated database has applied every one", async () => {
    const files = loadMigrations();
    expect(files.map((m) => m.version)).toEqual([...files.map((m) => m.version)].sort((a, b) => a - b));
    const applied = await owner.selectFrom("schema_migration").select(["version", "checksum"]).orderBy("version").execute();
    expect(applied.map((a) => a.version)).toEqual(files.map((m) => m.version));
    expect(applied.map((a) => a.checksum)).toEqual(files.map((m) => m.checksum));
  });

  it("do nothing the second time", async () => {
    const result = await migrate(url);
    expect(result.applied).toEqual([]);
  });

  it("refuse a database migrated by a newer version of the portal", async () => {
    await sql`INSERT INTO schema_migration (version, name, checksum) VALUES (9999, 'from_the_future', 'x')`.execute(owner);
    try {
      await expect(migrate(url)).rejects.toBeInstanceOf(NewerDatabaseError);
      await expect(migrate(url)).rejects.toThrow(/migration 9999 \(from_the_future\).*newer version/);
    } finally {
      await sql`DELETE FROM schema_migration WHERE version = 9999`.execute(owner);
    }
  });

  it("refuse to run when an applied migration was edited afterwards", async () => {
    await sql`UPDATE schema_migration SET checksum = 'edited' WHERE version = 1`.execute(owner);
    try {
      await expect(migrate(url)).rejects.toThrow(/was changed after it was applied/);
    } finally {
      const first = loadMigrations()[0]!;
      await sql`UPDATE schema_migration SET checksum = ${first.checksum} WHERE version = 1`.execute(owner);
    }
  });

  it("leave the runtime role unable to rewrite the audit trail, its head or the migration record", async () => {
    const rows = await sql<{ privilege_type: string; table_name: string }>`
      SELECT table_name, privilege_type FROM information_schema.role_table_grants
      WHERE grantee = 'portal_runtime' AND table_name IN ('audit_event', 'audit_chain_head', 'audit_checkpoint', 'schema_migration')`.execute(owner);
    const grants = rows.rows.map((r) => `${r.table_name}:${r.privilege_type}`).sort();
    expect(grants).toEqual(["audit_chain_head:SELECT", "audit_checkpoint:INSERT", "audit_checkpoint:SELECT", "audit_event:SELECT", "schema_migration:SELECT"]);
  });
});
