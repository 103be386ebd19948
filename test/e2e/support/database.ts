// What browser specs arrange through the modules, on the portal's own database.
import fs from "node:fs";
import path from "node:path";
import type { Kysely } from "kysely";
import { createDatabase } from "#app/database/connection";
import type { Database } from "#app/database/schema";

/** The portal's database, as its runtime login, for what a spec arranges through the modules. */
export async function withDatabase<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  const dataDir = process.env.E2E_DATA_DIR!;
  const logins = JSON.parse(fs.readFileSync(path.join(dataDir, "postgres.credentials.json"), "utf8")) as { runtime: string };
  const db = createDatabase({
    connectionString: `postgres://portal_runtime:${encodeURIComponent(logins.runtime)}@127.0.0.1:${process.env.E2E_PG_PORT ?? "54398"}/postgres`,
    max: 1,
  });
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}
