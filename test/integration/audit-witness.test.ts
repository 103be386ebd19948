// Checkpoints kept outside the database: each new checkpoint is emailed to
// the witnesses through the outbox and a real SMTP server, and
// `npm run audit:verify -- --witness` holds the chain to the saved copies,
// run as a separate process the way an auditor would.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { SMTPServer } from "smtp-server";
import { afterAll, describe, expect, it } from "vitest";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { checkpointsDocument, createCheckpoint, listCheckpoints } from "#app/modules/audit/checkpoints";
import { generateSigningKey } from "#app/modules/audit/signing-key";
import { witnessedCheckpointsIn } from "#app/modules/audit/witness";
import { systemContext } from "#app/modules/identity/actor";
import { dispatchDueEmails } from "#app/modules/outbox/outbox";
import { smtpTransport } from "#app/modules/outbox/transports";
import { useTestDatabase } from "#test/support/database";

const { db, url, ownerDb } = await useTestDatabase();
const owner = ownerDb();
const key = generateSigningKey();
const folder = fs.mkdtempSync(path.join(os.tmpdir(), "portal-witness-"));
const keyFile = path.join(folder, "portal-key.pem");
fs.writeFileSync(keyFile, key.publicKeyPem);
const witnesses = { witnessEmails: ["auditor@witness.example", "scrutiny@witness.example"], baseUrl: "https://placements.example" };

// A real SMTP server on loopback, keeping each message as the witness's mail client would save it.
const received: { to: string[]; raw: string }[] = [];
const smtpServer = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => {
      received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString("utf8") });
      callback();
    });
  },
});
await new Promise<void>((resolve) => smtpServer.listen(0, "127.0.0.1", resolve));
const transport = smtpTransport(`smtp://127.0.0.1:${(smtpServer.server.address() as AddressInfo).port}`);
afterAll(() => new Promise<void>((resolve) => smtpServer.close(() => resolve())));

async function writeEvents(count: number) {
  for (let i = 0; i < count; i++) {
    await db.transaction().execute((trx) => recordAuditEvent(trx, systemContext(), { action: "test.changed", summary: "A change", subjects: [] }));
  }
}

async function signAndSend() {
  const checkpoint = await db.transaction().execute((trx) => createCheckpoint(trx, systemContext(), key, "interval", witnesses));
  await dispatchDueEmails(db, transport);
  return checkpoint;
}

function verifyCommand(...witnessPaths: string[]) {
  return spawnSync(
    process.execPath,
    ["--import", "tsx", "app/modules/audit/verify-cli.ts", "--public-key", keyFile, ...witnessPaths.flatMap((p) => ["--witness", p])],
    { cwd: process.cwd(), env: { ...process.env, DATABASE_URL: url }, encoding: "utf8", timeout: 60_000 },
  );
}

async function asOwner(statement: ReturnType<typeof sql>) {
  await owner.transaction().execute(async (trx) => {
    await sql`SET LOCAL session_replication_role = replica`.execute(trx);
    await statement.execute(trx);
  });
}

// Checkpoint 1 at event 3 (its event 4), checkpoint 2 at event 6 (its event 7), both emailed; then events 8 and 9.
await writeEvents(3);
await signAndSend();
await writeEvents(2);
const second = await signAndSend();
await writeEvents(2);
const emailFolder = path.join(folder, "emails");
fs.mkdirSync(emailFolder);
received.forEach((message, i) => fs.writeFileSync(path.join(emailFolder, `checkpoint-email-${i + 1}.eml`), message.raw));
const jsonFile = path.join(folder, "checkpoints.json");
fs.writeFileSync(jsonFile, JSON.stringify(checkpointsDocument(await listCheckpoints(db), key), null, 2));

describe("witnesses keep checkpoints outside the database", () => {
  it("each new checkpoint is emailed to every witness, saying what it is, with the checkpoint as published", () => {
    expect(received.map((m) => m.to)).toEqual([["auditor@witness.example"], ["scrutiny@witness.example"], ["auditor@witness.example"], ["scrutiny@witness.example"]]);
    const email = received[2]!.raw;
    expect(email).toMatch(/Subject: Audit checkpoint 2 from the Children's Placements Portal: please\s+keep this email/);
    const [fromEmail] = witnessedCheckpointsIn(email, "email");
    const published = checkpointsDocument([second], key).checkpoints[0]!;
    expect(fromEmail).toEqual({ ...published, seq: published.events, events: undefined, signedAt: new Date(published.signedAt), source: "email" });
  });

  it("the command passes with the saved emails and the saved JSON, and says how many witnessed checkpoints matched", () => {
    const run = verifyCommand(emailFolder, jsonFile);
    expect(run.stdout).toContain("Audit trail intact: 9 events, 2 signed checkpoints match");
    expect(run.stdout).toContain("Witnessed checkpoints: all 6 match (from 5 files).");
    expect(run.status).toBe(0);
  });

  it("a witnessed copy that was altered is refused, naming its file", () => {
    const altered = path.join(folder, "altered.json");
    const doc = JSON.parse(fs.readFileSync(jsonFile, "utf8")) as { checkpoints: { hash: string }[] };
    doc.checkpoints[1]!.hash = "e".repeat(64);
    fs.writeFileSync(altered, JSON.stringify(doc));
    const run = verifyCommand(altered);
    expect(run.stderr).toContain(`AUDIT TRAIL PROBLEM: The witnessed copy of checkpoint 2 in ${altered} is not signed by the portal's key`);
    expect(run.status).toBe(1);
  });

  it("a file with no checkpoint in it is named, not passed over", () => {
    const empty = path.join(folder, "notes.txt");
    fs.writeFileSync(empty, "Nothing here");
    const run = verifyCommand(empty);
    expect(run.stderr).toContain(`${empty} holds no audit checkpoint`);
    expect(run.status).toBe(2);
  });

  // Run last: it rewrites the trail.
  it("the tail cut with its last checkpoint and the head set back: the witnessed checkpoint names what is missing, and what replaced it", async () => {
    // Delete events 6 on (checkpoint 2 signed event 6), checkpoint 2, and set the head back to event 5.
    await asOwner(sql`DELETE FROM audit_event WHERE seq >= 6`);
    await asOwner(sql`DELETE FROM audit_checkpoint WHERE id = 2`);
    const last = await owner.selectFrom("audit_event").select(["seq", "hash"]).orderBy("seq", "desc").limit(1).executeTakeFirstOrThrow();
    await asOwner(sql`UPDATE audit_chain_head SET seq = ${last.seq}, hash = ${last.hash}`);
    const emailOfCheckpoint2 = path.join(emailFolder, "checkpoint-email-3.eml");

    const cut = verifyCommand(emailOfCheckpoint2);
    expect(cut.stderr).toContain(
      `AUDIT TRAIL PROBLEM: Checkpoint 2 witnessed in ${emailOfCheckpoint2} was signed at event 6, but the trail now ends at event 5: events 6 to 6 at least were removed from the end.`,
    );
    expect(cut.status).toBe(1);

    // The portal carries on and signs a new checkpoint 2 over a different chain.
    await writeEvents(3);
    await db.transaction().execute((trx) => createCheckpoint(trx, systemContext(), key, "interval"));
    const carriedOn = verifyCommand(emailOfCheckpoint2);
    expect(carriedOn.stderr).toContain(
      `AUDIT TRAIL PROBLEM: Event 6 no longer has the hash of checkpoint 2 witnessed in ${emailOfCheckpoint2}: the chain was rewritten after that checkpoint was signed.`,
    );
    expect(carriedOn.status).toBe(1);
    // Without the witness the database alone looks intact: that is what witnesses are for.
    expect(verifyCommand().status).toBe(0);
  });
});
