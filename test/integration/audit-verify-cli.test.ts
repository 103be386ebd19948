// The operator's command, run as a separate process the way an auditor would:
// its exit status is what scripts and schedulers act on.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { createCheckpoint } from "#app/modules/audit/checkpoints";
import { generateSigningKey } from "#app/modules/audit/signing-key";
import { systemContext } from "#app/modules/identity/actor";
import { useTestDatabase } from "#test/support/database";

const { db, url, ownerDb } = await useTestDatabase();
const key = generateSigningKey();
const keyFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "portal-key-")), "public.pem");
fs.writeFileSync(keyFile, key.publicKeyPem);

for (let i = 1; i <= 5; i++) {
  await db.transaction().execute(async (trx) => {
    await recordAuditEvent(trx, systemContext(), { action: "test.changed", summary: `Change ${i}`, subjects: [{ type: "thing", id: String(i) }] });
    if (i === 5) await createCheckpoint(trx, systemContext(), key, "on_demand");
  });
}

function verifyCommand() {
  return spawnSync(process.execPath, ["--import", "tsx", "app/modules/audit/verify-cli.ts", "--public-key", keyFile], {
    cwd: process.cwd(),
    env: { ...process.env, DATABASE_URL: url },
    encoding: "utf8",
    timeout: 60_000,
  });
}

describe("npm run audit:verify", () => {
  it("exits 0 and says so for an intact trail", () => {
    const run = verifyCommand();
    expect(run.stdout).toContain("Audit trail intact: 6 events, 1 signed checkpoints match");
    expect(run.status).toBe(0);
  });

  it("exits 1 and names the event when a row was altered in SQL", async () => {
    await ownerDb().transaction().execute(async (trx) => {
      await sql`SET LOCAL session_replication_role = replica`.execute(trx);
      await sql`UPDATE audit_event SET summary = 'Nothing to see' WHERE seq = 3`.execute(trx);
    });
    const run = verifyCommand();
    expect(run.stderr).toContain("AUDIT TRAIL PROBLEM: Event 3 (test.changed) was altered");
    expect(run.status).toBe(1);
  });
});
