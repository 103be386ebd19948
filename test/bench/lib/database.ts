// A throwaway embedded PostgreSQL for one part of the bench, in a temp folder
// on a free port, stopped and removed at clean-up.
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { freePort, startEmbeddedPostgres } from "#app/database/embedded";
import { onCleanup, tempDir } from "./processes";

export interface BenchPostgres {
  port: number;
  /** Connection string for a database on this server (as the owner, postgres). */
  url: (database: string) => string;
  /** The same database as the runtime role, as the portal logs in. */
  runtimeUrl: (database: string) => string;
  createDatabase: (name: string) => Promise<string>;
  /** The postmaster's process id, for CPU accounting. */
  postmasterPid: () => number | null;
  stop: () => Promise<void>;
}

/**
 * `durable`: fsync on, as the portal's own embedded database runs (the
 * default here is fsync off, as the tests run: faster to fill).
 */
export async function startBenchPostgres(label: string, options: { durable?: boolean } = {}): Promise<BenchPostgres> {
  const { dir } = tempDir(`portal-bench-${label}-`);
  const port = await freePort();
  const dataDir = path.join(dir, "postgres");
  // Not `temporary` when durable (that would also turn fsync off); the temp folder is removed at clean-up either way.
  const server = await startEmbeddedPostgres({ dataDir, port, temporary: !options.durable });
  const stop = onCleanup(`embedded PostgreSQL for ${label} (port ${port})`, () => server.stop());
  return {
    port,
    url: server.url,
    runtimeUrl: server.runtimeUrl,
    createDatabase: async (name) => {
      await ownerQuery(server.url("postgres"), `CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      return server.url(name);
    },
    postmasterPid: () => {
      try {
        return Number(fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]) || null;
      } catch {
        return null;
      }
    },
    stop,
  };
}

export async function ownerQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(url: string, text: string, values?: unknown[]): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}
