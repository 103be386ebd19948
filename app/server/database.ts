// Opens the database the settings name: DATABASE_URL (and DATABASE_OWNER_URL
// for migrations) if given, otherwise the embedded PostgreSQL in the data
// folder (started here if it is not running). Shared by `npm start` and the
// operator commands.
import path from "node:path";
import { startEmbeddedPostgres, type EmbeddedServer } from "#app/database/embedded";
import type { PortalConfig } from "./config";

export interface ConfiguredDatabase {
  /** The runtime login: what the portal and the operator commands work with. */
  url: string;
  /** The tables' owner, which runs migrations; null when the operator gave none. */
  ownerUrl: string | null;
  embedded: EmbeddedServer | null;
}

export async function configuredDatabase(config: PortalConfig, log: (line: string) => void = () => {}): Promise<ConfiguredDatabase> {
  if (config.databaseUrl) return { url: config.databaseUrl, ownerUrl: config.databaseOwnerUrl, embedded: null };
  const dataDir = path.join(config.dataDir, "postgres");
  log(`Starting the embedded PostgreSQL (data in ${path.relative(process.cwd(), dataDir) || dataDir})…`);
  const embedded = await startEmbeddedPostgres({ dataDir, port: config.embeddedPort, systemDir: config.systemDir, notice: log });
  return { url: embedded.runtimeUrl("postgres"), ownerUrl: embedded.url("postgres"), embedded };
}
