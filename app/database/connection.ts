// One pool per process. Dates (PostgreSQL `date`) stay strings and int8
// becomes a JS number (pence and sequence numbers stay far below 2^53).
import pg from "pg";
import { Kysely, PostgresDialect } from "kysely";
import type { Database } from "./schema";

pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

/**
 * The role the portal logs in as: neither a superuser nor the owner of the
 * tables, so it cannot rewrite history (db/migrate.ts grants its rights).
 */
export const RUNTIME_ROLE = process.env.DB_RUNTIME_ROLE ?? "portal_runtime";

export interface DatabaseOptions {
  connectionString: string;
  max?: number;
  applicationName?: string;
}

export function createDatabase(options: DatabaseOptions): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? "placements-portal",
  });
  // An idle connection closed by the server (restart, shutdown) must not crash
  // the process: the pool drops it and opens another when needed.
  pool.on("error", (error) => {
    // Once the pool is closing (the portal is stopping), the server ending its connections is expected.
    if (pool.ending) return;
    console.error(`Database connection lost: ${error.message}`);
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
