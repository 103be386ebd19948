// Integration tests run against real PostgreSQL: the server at DATABASE_URL
// if set, otherwise an embedded one in a throwaway folder on a free port.
// One migrated template database is made here; each test file copies it.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { RUNTIME_ROLE } from "#app/database/connection";
import { ensureRuntimeLogin, freePort, startEmbeddedPostgres, type EmbeddedServer } from "#app/database/embedded";
import { migrate } from "#db/migrate";

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabaseUrl: string;
    runtimeLogin: { user: string; password: string };
  }
}

let embedded: EmbeddedServer | null = null;
let dataDir: string | null = null;
let adminUrl = "";
let templateName = "";

export async function setup(project: TestProject) {
  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
  } else {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-test-pg-"));
    embedded = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "data"), port: await freePort(), temporary: true });
    adminUrl = embedded.url("postgres");
  }
  templateName = `portal_template_${process.pid}_${Date.now()}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${templateName}`);
  const templateUrl = withDatabase(adminUrl, templateName);
  await migrate(templateUrl);
  // The runtime role logs in with a password of this run's (made here when
  // DATABASE_URL names a server of the tester's, which must allow CREATEROLE).
  const password = crypto.randomBytes(18).toString("base64url");
  await ensureRuntimeLogin(adminUrl, RUNTIME_ROLE, password);
  project.provide("templateDatabaseUrl", templateUrl);
  project.provide("runtimeLogin", { user: RUNTIME_ROLE, password });
}

export async function teardown() {
  if (templateName) await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${templateName} WITH (FORCE)`).catch(() => {});
  if (embedded) await embedded.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export function withLogin(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.toString();
}

export async function adminQuery(url: string, statement: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
