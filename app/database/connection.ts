// One pool per process. Dates (PostgreSQL `date`) stay strings and int8
// becomes a JS number (pence and sequence numbers stay far below 2^53).
import pg from "pg";
import { Kysely, PostgresDialect } from "kysely";
import type { Database } from "./schema";

pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

export const RUNTIME_ROLE = process.env.DB_RUNTIME_ROLE ?? "portal_runtime";

export interface DatabaseOptions {
  connectionString: string;
  max?: number;
  /** Act as the runtime role, which may not rewrite the audit trail. */
  runtimeRole?: string | null;
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
    console.error(`Database connection lost: ${error.message}`);
  });
  const role = options.runtimeRole === undefined ? RUNTIME_ROLE : options.runtimeRole;
  if (role) {
    const statement = `SET ROLE ${pg.escapeIdentifier(role)}`;
    pool.on("connect", (client) => {
      client.query(statement).catch((error: unknown) => {
        console.error(`Could not ${statement}:`, error);
      });
    });
  }
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
