// The fourth attack of issue 7: events after the last checkpoint deleted and
// the head set back, after which the portal writes on with no gap. Nothing
// inside the database shows it, so the running portal must notice.
import { sql } from "kysely";
import { beforeEach, describe, expect, it } from "vitest";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { GENESIS_HASH } from "#app/modules/audit/canonical";
import { resetChainWatch } from "#app/modules/audit/chain-watch";
import { keepAuditCheckpoints } from "#app/modules/audit/checkpoints";
import { generateSigningKey } from "#app/modules/audit/signing-key";
import { verifyAuditTrail } from "#app/modules/audit/verify";
import { systemContext } from "#app/modules/identity/actor";
import { useTestDatabase } from "#test/support/database";
import { writeAuditEvent } from "#test/support/audited";

const { db, ownerDb } = await useTestDatabase();
const owner = ownerDb();
const key = generateSigningKey();
const settings = { intervalMinutes: 60, witnessEmails: ["auditor@witness.example"], baseUrl: "https://placements.example" };

async function asOwner(statement: ReturnType<typeof sql>) {
  await owner.transaction().execute(async (trx) => {
    await sql`SET LOCAL session_replication_role = replica`.execute(trx);
    await statement.execute(trx);
  });
}

async function write(summary: string) {
  return writeAuditEvent(db, systemContext(), { action: "test.fee_changed", summary, subjects: [] });
}

/** Deletes events from `from` on and sets the head back to the event before. */
async function cutTail(from: number) {
  await asOwner(sql`DELETE FROM audit_event WHERE seq >= ${from}`);
  const last = await owner.selectFrom("audit_event").select(["seq", "hash"]).orderBy("seq", "desc").limit(1).executeTakeFirst();
  await asOwner(sql`UPDATE audit_chain_head SET seq = ${last?.seq ?? 0}, hash = ${last?.hash ?? GENESIS_HASH}`);
}

async function rewindEvents() {
  return db.selectFrom("audit_event").selectAll().where("action", "=", "audit.chain_rewind_detected").orderBy("seq").execute();
}

/** The portal's ten-minute round, an hour on each time, so the interval checkpoint is due when the chain grew. */
let clock = new Date("2026-12-01T09:00:00Z");
async function round() {
  clock = new Date(clock.getTime() + 61 * 60 * 1000);
  return keepAuditCheckpoints(db, systemContext(null, clock), key, settings);
}

describe("the running portal notices the chain rewound under it", () => {
  beforeEach(async () => {
    resetChainWatch();
    await asOwner(sql`DELETE FROM audit_event`);
    await asOwner(sql`DELETE FROM audit_checkpoint`);
    await asOwner(sql`DELETE FROM outbox_email`);
    await asOwner(sql`UPDATE audit_chain_head SET seq = 0, hash = ${GENESIS_HASH}`);
    for (let i = 1; i <= 3; i++) await write(`Change ${i}`);
    // First round: the first checkpoint (events 1-3, its own event 4), and the watch starts.
    expect(await round()).toMatchObject({ id: 1, seq: 3, reason: "daily" });
  });

  it("a later write that gets a number this process already saw committed records the rewind in its own transaction", async () => {
    await write("Change 5");
    await write("Change 6");
    await write("Change 7"); // staged with the head at 6, which shows event 6 was committed
    await cutTail(5);
    const next = await write("Written after the rewind");
    expect(next).toBe(5);

    const [recorded] = await rewindEvents();
    expect(recorded).toMatchObject({ seq: 6, after: { fromSeq: 5, toSeq: 6, lastSeenSeq: 4 } });
    expect(recorded?.summary).toMatch(/events 5 to 6, which this portal had seen written, are gone or were replaced\. The last event it read was event 4 with hash [0-9a-f]{64}\./);

    // The next round records nothing twice, signs a checkpoint at once and emails the witness.
    const checkpoint = await round();
    expect(checkpoint).toMatchObject({ id: 2, reason: "rewind_detected" });
    expect(await rewindEvents()).toHaveLength(1);
    const emails = await db.selectFrom("outbox_email").select(["to_address", "subject"]).orderBy("created_at").execute();
    expect(emails.at(-1)).toEqual({ to_address: "auditor@witness.example", subject: expect.stringMatching(/^Audit checkpoint 2 /) });

    const verified = await verifyAuditTrail(db, { publicKey: key.publicKey });
    expect(verified.problem).toMatchObject({ kind: "rewind", seq: 6 });
  });

  it("the ten-minute round finds the last event it read replaced, with no write in between", async () => {
    await write("Change 5");
    await write("Change 6");
    expect(await round()).toMatchObject({ id: 2, seq: 6, reason: "interval" }); // its own event 7 is the last the round reads
    // Cut back to event 5 and remove checkpoint 2 with the events it covered.
    await cutTail(6);
    await asOwner(sql`DELETE FROM audit_checkpoint WHERE id = 2`);
    expect(await round()).toMatchObject({ id: 2, reason: "rewind_detected" });
    const [recorded] = await rewindEvents();
    expect(recorded).toMatchObject({ seq: 6, after: { fromSeq: 6, toSeq: 7, lastSeenSeq: 7 } });
    expect((await verifyAuditTrail(db, { publicKey: key.publicKey })).problem).toMatchObject({ kind: "rewind", seq: 6 });
  });

  it("the ten-minute round finds the chain ending before an event a write proved committed", async () => {
    await write("Change 5");
    await write("Change 6");
    await write("Change 7"); // proves event 6 committed
    await cutTail(5);
    expect(await round()).toMatchObject({ reason: "rewind_detected" });
    const [recorded] = await rewindEvents();
    expect(recorded).toMatchObject({ seq: 5, after: { fromSeq: 5, toSeq: 6, lastSeenSeq: 4 } });
  });

  it("a write that was rolled back is not taken for a rewind", async () => {
    await write("Change 5");
    await expect(
      db.transaction().execute(async (trx) => {
        await recordAuditEvent(trx, systemContext(), { action: "test.fee_changed", summary: "Undone", subjects: [] });
        await recordAuditEvent(trx, systemContext(), { action: "test.fee_changed", summary: "Undone too", subjects: [] });
        throw new Error("the change failed after its audit events");
      }),
    ).rejects.toThrow("the change failed");
    await write("Change 6, numbered where the undone ones were");
    await round();
    await write("Change 8");
    expect(await rewindEvents()).toEqual([]);
    expect(await verifyAuditTrail(db, { publicKey: key.publicKey })).toMatchObject({ ok: true });
  });
});

describe("checkpoints are signed often enough that the unwitnessed tail is short", () => {
  beforeEach(async () => {
    resetChainWatch();
    await asOwner(sql`DELETE FROM audit_event`);
    await asOwner(sql`DELETE FROM audit_checkpoint`);
    await asOwner(sql`UPDATE audit_chain_head SET seq = 0, hash = ${GENESIS_HASH}`);
  });

  const at = (iso: string) => systemContext(null, new Date(iso));

  it("signs an interval checkpoint when the chain has grown and the last is an interval old, a daily one regardless", async () => {
    await write("Change 1");
    expect(await keepAuditCheckpoints(db, at("2026-12-01T09:00:00Z"), key, settings)).toMatchObject({ id: 1, reason: "daily" });
    // Grown, but only 59 minutes on: nothing.
    await write("Change 3");
    expect(await keepAuditCheckpoints(db, at("2026-12-01T09:59:00Z"), key, settings)).toBeNull();
    expect(await keepAuditCheckpoints(db, at("2026-12-01T10:00:00Z"), key, settings)).toMatchObject({ id: 2, seq: 3, reason: "interval" });
    // An hour on with nothing new but the checkpoint's own event: nothing.
    expect(await keepAuditCheckpoints(db, at("2026-12-01T11:30:00Z"), key, settings)).toBeNull();
    // A day after the last, grown or not: a daily checkpoint.
    expect(await keepAuditCheckpoints(db, at("2026-12-02T10:00:00Z"), key, settings)).toMatchObject({ id: 3, reason: "daily" });
  });

  it("follows the configured interval", async () => {
    await write("Change 1");
    await keepAuditCheckpoints(db, at("2026-12-01T09:00:00Z"), key, settings);
    await write("Change 3");
    const quarterHourly = { ...settings, intervalMinutes: 15 };
    expect(await keepAuditCheckpoints(db, at("2026-12-01T09:14:00Z"), key, quarterHourly)).toBeNull();
    expect(await keepAuditCheckpoints(db, at("2026-12-01T09:15:00Z"), key, quarterHourly)).toMatchObject({ reason: "interval" });
  });

  it("signs one checkpoint however many instances run their round at once", async () => {
    await write("Change 1");
    const results = await Promise.all([1, 2, 3].map(() => keepAuditCheckpoints(db, at("2026-12-01T09:00:00Z"), key, settings)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await db.selectFrom("audit_checkpoint").select("id").execute()).toEqual([{ id: 1 }]);
  });
});
