// Settings read from the environment once at start. Nothing here holds
// per-user state: every instance started with the same settings behaves the same.
import path from "node:path";

export interface PortalConfig {
  port: number;
  /** Secure cookies, HSTS, no demo sign-ins printed. */
  production: boolean;
  /** Stack traces on error pages; Remix's development error detail. Never in production or tests. */
  development: boolean;
  /** Where links in emails point, e.g. https://placements.example.gov.uk */
  baseUrl: string;
  /** The runtime login the portal serves with (neither superuser nor owner). */
  databaseUrl: string | null;
  /** The tables' owner, for migrations; with DATABASE_URL only, migrations are left to `npm run db:migrate`. */
  databaseOwnerUrl: string | null;
  /** Named (prepared) statements, parsed and planned once per connection; off behind a pooler that cannot keep them (DB_NAMED_STATEMENTS=false). */
  namedStatements: boolean;
  /** Folder for the embedded database and the development signing key. */
  dataDir: string;
  embeddedPort: number;
  /** As root, where the embedded database goes when the postgres user cannot enter the data folder. */
  systemDir: string | undefined;
  smtpUrl: string | null;
  emailFrom: string;
  trustProxy: string | false;
  /** Seed demo data into an empty embedded database on first start. */
  seedDemo: boolean;
  demoPassword: string | null;
  signingKeyFile: string;
  dispatchIntervalMs: number;
  /** Sign an audit checkpoint when the chain has grown and the last is this old. */
  checkpointIntervalMinutes: number;
  /** Each new audit checkpoint is emailed to these addresses, to keep outside the database. */
  witnessEmails: string[];
  /** A provider with stale vacancies is reminded by email at most once in this many days. */
  vacancyReminderDays: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, root = process.cwd()): PortalConfig {
  const port = Number(env.PORT ?? 3000);
  const production = env.NODE_ENV === "production";
  const dataDir = path.resolve(root, env.PORTAL_DATA_DIR ?? ".data");
  return {
    port,
    production,
    development: !production && env.NODE_ENV !== "test",
    baseUrl: (env.BASE_URL ?? `http://localhost:${port}`).replace(/\/$/, ""),
    databaseUrl: env.DATABASE_URL || null,
    databaseOwnerUrl: env.DATABASE_OWNER_URL || null,
    namedStatements: env.DB_NAMED_STATEMENTS !== "false",
    dataDir,
    embeddedPort: Number(env.EMBEDDED_PG_PORT ?? 54329),
    systemDir: env.PORTAL_SYSTEM_DIR || undefined,
    smtpUrl: env.SMTP_URL || null,
    emailFrom: env.EMAIL_FROM ?? "Children's Placements Portal <no-reply@placements.invalid>",
    trustProxy: env.TRUST_PROXY ? env.TRUST_PROXY : false,
    seedDemo: env.SEED_DEMO !== "false",
    demoPassword: env.DEMO_PASSWORD ?? null,
    signingKeyFile: env.AUDIT_SIGNING_KEY_FILE ?? path.join(dataDir, "keys", "audit-ed25519.pem"),
    dispatchIntervalMs: Number(env.EMAIL_DISPATCH_INTERVAL_MS ?? 5000),
    checkpointIntervalMinutes: positiveNumber(env, "AUDIT_CHECKPOINT_INTERVAL_MINUTES", 60),
    witnessEmails: emailList(env, "AUDIT_WITNESS_EMAILS"),
    vacancyReminderDays: wholeDays(env, "VACANCY_REMINDER_DAYS", 7),
  };
}

function wholeDays(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = Number(env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of days, 1 or more, not "${env[name]}"`);
  return value;
}

function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = Number(env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a number above 0, not "${env[name]}"`);
  return value;
}

/**
 * Checked at start: a bad address found only when a checkpoint is signed
 * would make every signing fail with it.
 */
function emailList(env: NodeJS.ProcessEnv, name: string): string[] {
  const addresses = (env[name] ?? "").split(",").map((a) => a.trim()).filter(Boolean);
  for (const address of addresses) {
    if (!/^[^\s@<>,;]+@[^\s@<>,;]+$/.test(address)) throw new Error(`${name}: "${address}" is not an email address`);
  }
  return addresses;
}
