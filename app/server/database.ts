// Opens the database the settings name: DATABASE_URL if given, otherwise the
// embedded PostgreSQL in the data folder (started here if it is not running).
// Shared by `npm start` and the operator commands.
import path from "node:path";
import { startEmbeddedPostgres, type EmbeddedServer } from "#app/database/embedded";
import type { PortalConfig } from "./config";

export interface ConfiguredDatabase {
  url: string;
  embedded: EmbeddedServer | null;
}

export async function configuredDatabase(config: PortalConfig, log: (line: string) => void = () => {}): Promise<ConfiguredDatabase> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: null };
  const dataDir = path.join(config.dataDir, "postgres");
  log(`Starting the embedded PostgreSQL (data in ${path.relative(process.cwd(), dataDir) || dataDir})…`);
  const embedded = await startEmbeddedPostgres({ dataDir, port: config.embeddedPort });
  return { url: embedded.url("postgres"), embedded };
}
