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
  /** Name each statement so that a connection parses and plans it once (namedStatements). */
  namedStatements?: boolean;
}

// The statements' texts named so far in this process, each with its name: the same text has the same name on every connection.
const statementNames = new Map<string, string>();
// Kysely writes a statement's values as $1, $2, …, so its text is one of a bounded few; the bound guards against a caller that writes values into the text.
const MOST_NAMED_STATEMENTS = 2_000;
const NAMEABLE = /^\s*(select|insert|update|delete|with)\b/i;

/** The name for a statement's text, or null to send it unnamed (not a query, or too many named already). */
export function statementName(text: string): string | null {
  const known = statementNames.get(text);
  if (known) return known;
  if (statementNames.size >= MOST_NAMED_STATEMENTS || !NAMEABLE.test(text)) return null;
  const name = `portal_${statementNames.size + 1}`;
  statementNames.set(text, name);
  return name;
}

/**
 * Every query a client of the pool sends goes as a named statement: PostgreSQL
 * parses it once per connection, and after a few runs plans it once too
 * (plan_cache_mode auto), where an unnamed statement is parsed and planned on
 * every run. On the portal's pages planning was most of PostgreSQL's time:
 * 0.2 to 0.5 ms a statement against 0.03 to 0.2 ms running it (decision 052).
 */
function nameStatements(client: pg.PoolClient): void {
  const send = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const [text, values] = args;
    if (typeof text === "string" && (values === undefined || Array.isArray(values)) && args.length <= 2) {
      const name = statementName(text);
      if (name) return send({ name, text, values });
    }
    return send(...args);
  };
}

export function createDatabase(options: DatabaseOptions): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? "placements-portal",
  });
  // An idle connection closed by the server (restart, shutdown) must not crash
  // the process: the pool drops it and opens another when needed.
  if (options.namedStatements) pool.on("connect", nameStatements);
  pool.on("error", (error) => {
    // Once the pool is closing (the portal is stopping), the server ending its connections is expected.
    if (pool.ending) return;
    console.error(`Database connection lost: ${error.message}`);
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
