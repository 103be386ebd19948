// Gives a test file its own database, copied from the migrated template, and
// drops it afterwards. Logs in as the runtime role, like the portal does.
import crypto from "node:crypto";
import { afterAll, inject } from "vitest";
import type { Kysely } from "kysely";
import { createDatabase } from "#app/database/connection";
import type { Database } from "#app/database/schema";
import { adminQuery, withDatabase, withLogin } from "./global-database";

export interface TestDatabase {
  db: Kysely<Database>;
  /** The runtime login, as the portal connects. */
  url: string;
  /** The owner's login, as migrations connect. */
  ownerUrl: string;
  /** Connects as the database owner, as someone with direct access would. */
  ownerDb: () => Kysely<Database>;
}

export async function useTestDatabase(): Promise<TestDatabase> {
  const templateUrl = inject("templateDatabaseUrl");
  const runtime = inject("runtimeLogin");
  const template = new URL(templateUrl).pathname.slice(1);
  const name = `portal_test_${crypto.randomBytes(6).toString("hex")}`;
  const adminUrl = withDatabase(templateUrl, "postgres");
  await adminQuery(adminUrl, `CREATE DATABASE ${name} TEMPLATE ${template}`);
  const ownerUrl = withDatabase(templateUrl, name);
  const url = withLogin(ownerUrl, runtime.user, runtime.password);
  const db = createDatabase({ connectionString: url, max: 5, namedStatements: true });
  const owners: Kysely<Database>[] = [];
  afterAll(async () => {
    await db.destroy();
    await Promise.all(owners.map((o) => o.destroy()));
    await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
  return {
    db,
    url,
    ownerUrl,
    ownerDb: () => {
      const owner = createDatabase({ connectionString: ownerUrl, max: 2 });
      owners.push(owner);
      return owner;
    },
  };
}
