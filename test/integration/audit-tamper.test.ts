import { sql, type Kysely } from "kysely";
import { beforeEach, describe, expect, it } from "vitest";
import type { Database } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { eventHash, GENESIS_HASH } from "#app/modules/audit/canonical";
import { createCheckpoint } from "#app/modules/audit/checkpoints";
import { generateSigningKey } from "#app/modules/audit/signing-key";
import { rewindEntry } from "#app/modules/audit/chain-watch";
import { chainedContentOf, verifyAuditTrail } from "#app/modules/audit/verify";
import { systemContext } from "#app/modules/identity/actor";
import { useTestDatabase } from "#test/support/database";

// Someone with direct database access: they can switch the trigger off.
const { db, ownerDb } = await useTestDatabase();
const owner = ownerDb();
const key = generateSigningKey();

async function tamper(statement: ReturnType<typeof sql>) {
  await owner.transaction().execute(async (trx) => {
    await sql`SET LOCAL session_replication_role = replica`.execute(trx);
    await statement.execute(trx);
  });
}

async function resetTrail(events: number, checkpointAt?: number) {
  await owner.transaction().execute(async (trx) => {
    await sql`SET LOCAL session_replication_role = replica`.execute(trx);
    await sql`DELETE FROM audit_event`.execute(trx);
    await sql`DELETE FROM audit_checkpoint`.execute(trx);
    await sql`UPDATE audit_chain_head SET seq = 0, hash = ${GENESIS_HASH}`.execute(trx);
  });
  for (let i = 1; i <= events; i++) {
    await db.transaction().execute(async (trx) => {
      await recordAuditEvent(trx, systemContext(), {
        action: "test.fee_changed",
        summary: `Changed fee ${i}`,
        subjects: [{ type: "placement", id: `p${i}` }],
        before: { weeklyFeePence: 370000 },
        after: { weeklyFeePence: 370000 + i },
      });
      if (checkpointAt === i) await createCheckpoint(trx, systemContext(), key, "on_demand");
    });
  }
}

/** Recomputes every hash from event `from` on, as an insider covering an edit would. */
async function recomputeChainFrom(from: number) {
  const rows = await owner.selectFrom("audit_event").selectAll().orderBy("seq").execute();
  let prev = GENESIS_HASH;
  for (const row of rows) {
    if (row.seq >= from) {
      const hash = eventHash(prev, chainedContentOf(row));
      await tamper(sql`UPDATE audit_event SET prev_hash = ${prev}, hash = ${hash} WHERE seq = ${row.seq}`);
      prev = hash;
    } else prev = row.hash;
  }
}

/** Deletes events from `from` on and sets the head back, as an insider cutting the tail would. */
async function cutTail(from: number) {
  await tamper(sql`DELETE FROM audit_event WHERE seq >= ${from}`);
  const last = await owner.selectFrom("audit_event").select(["seq", "hash"]).orderBy("seq", "desc").limit(1).executeTakeFirst();
  await tamper(sql`UPDATE audit_chain_head SET seq = ${last?.seq ?? 0}, hash = ${last?.hash ?? GENESIS_HASH}`);
}

async function writeEvents(count: number) {
  for (let i = 0; i < count; i++) {
    await db.transaction().execute((trx) =>
      recordAuditEvent(trx, systemContext(), { action: "test.fee_changed", summary: "Changed a fee", subjects: [{ type: "placement", id: "later" }] }),
    );
  }
}

async function signCheckpoint() {
  return db.transaction().execute((trx) => createCheckpoint(trx, systemContext(), key, "on_demand"));
}

async function verify(database: Kysely<Database> = db) {
  return verifyAuditTrail(database, { publicKey: key.publicKey });
}

describe("tampering with the audit trail is caught", () => {
  beforeEach(async () => {
    await resetTrail(10);
  });

  it("names the event whose content was altered in SQL", async () => {
    await tamper(sql`UPDATE audit_event SET after = '{"weeklyFeePence": 1}' WHERE seq = 4`);
    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.problem).toMatchObject({ kind: "altered", seq: 4 });
  });

  it("names the gap where an event was removed", async () => {
    await tamper(sql`DELETE FROM audit_event WHERE seq = 6`);
    const result = await verify();
    expect(result.problem).toMatchObject({ kind: "missing", seq: 6 });
  });

  it("catches an event moved out of its place in the order", async () => {
    // Swap the content of two events' sequence numbers, keeping each row's own hash.
    await tamper(sql`UPDATE audit_event SET seq = seq + 1000 WHERE seq IN (3, 5)`);
    await tamper(sql`UPDATE audit_event SET seq = CASE WHEN seq = 1003 THEN 5 ELSE 3 END WHERE seq IN (1003, 1005)`);
    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.problem?.seq).toBe(3);
  });

  it("catches a chain that was rewritten whole, because the signed checkpoint no longer matches", async () => {
    await resetTrail(10, 7);
    // Rewrite event 2 and recompute every hash after it, as an insider could.
    await tamper(sql`UPDATE audit_event SET summary = 'Nothing happened' WHERE seq = 2`);
    const rows = await owner.selectFrom("audit_event").selectAll().orderBy("seq").execute();
    let prev = GENESIS_HASH;
    for (const row of rows) {
      const hash = eventHash(prev, chainedContentOf(row));
      await tamper(sql`UPDATE audit_event SET prev_hash = ${prev}, hash = ${hash} WHERE seq = ${row.seq}`);
      prev = hash;
    }
    const result = await verify();
    expect(result.problem).toMatchObject({ kind: "checkpoint", seq: 7 });
  });

  it("catches events cut from the end after a checkpoint", async () => {
    await resetTrail(10, 9);
    await tamper(sql`DELETE FROM audit_event WHERE seq >= 9`);
    const result = await verify();
    expect(result.problem).toMatchObject({ kind: "checkpoint", seq: 9 });
  });

  it("catches a checkpoint whose signature is not the portal's", async () => {
    await resetTrail(3, 2);
    await tamper(sql`UPDATE audit_checkpoint SET hash = ${"f".repeat(64)}`);
    const result = await verify();
    expect(result.problem?.kind).toBe("checkpoint");
    expect(result.problem?.message).toMatch(/not signed by the portal's key/);
  });

  it("accepts the untouched trail with its checkpoint", async () => {
    await resetTrail(10, 5);
    const result = await verify();
    expect(result).toMatchObject({ ok: true, events: 11, checkpointsChecked: 1 });
  });
});

// The attacks of issue 7, each done as the database owner would do it.
describe("an insider who deletes checkpoints is caught", () => {
  beforeEach(async () => {
    // Checkpoint 1 at event 4 (its own event is 5), checkpoint 2 at event 10 (its event 11), 12 events in all.
    await resetTrail(9, 4);
    await signCheckpoint();
    await writeEvents(1);
  });

  it("an edited event with every later hash recomputed and every checkpoint deleted: the chain's own record of checkpoint 1 names it", async () => {
    await tamper(sql`UPDATE audit_event SET summary = 'Nothing happened' WHERE seq = 2`);
    await recomputeChainFrom(2);
    await tamper(sql`DELETE FROM audit_checkpoint`);
    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.problem).toMatchObject({ kind: "checkpoint", checkpointId: 1, seq: 5 });
    expect(result.problem?.message).toBe("Checkpoint 1 is recorded in the chain at event 5 but is missing from the checkpoint table: it was deleted.");
  });

  it("one checkpoint row deleted: its 'checkpoint signed' event names it", async () => {
    await tamper(sql`DELETE FROM audit_checkpoint WHERE id = 2`);
    const result = await verify();
    expect(result.problem).toMatchObject({ kind: "checkpoint", checkpointId: 2, seq: 11 });
    expect(result.problem?.message).toMatch(/^Checkpoint 2 is recorded in the chain at event 11 but is missing/);
  });

  it("a checkpoint row whose reason was changed no longer matches its event", async () => {
    await tamper(sql`UPDATE audit_checkpoint SET reason = 'daily' WHERE id = 1`);
    const result = await verify();
    expect(result.problem?.message).toBe('Checkpoint 1 does not match its "checkpoint signed" event 5: the event records reason "on_demand", the table "daily".');
  });

  it("a checkpoint without its 'checkpoint signed' event right after it is caught", async () => {
    // Replace event 5 (checkpoint 1's own event) with an ordinary one and cover it with recomputed hashes.
    await tamper(sql`UPDATE audit_event SET action = 'test.fee_changed', subjects = '[]' WHERE seq = 5`);
    await recomputeChainFrom(5);
    const result = await verify();
    expect(result.problem?.message).toBe(
      'Checkpoint 1 signed event 4, but event 5 is not its "checkpoint signed" event: events after the checkpoint were removed or replaced.',
    );
  });

  it("checkpoint numbers must run without gaps", async () => {
    // Renumber checkpoint 2 as 3, with its event changed to match and the hashes after it recomputed.
    await tamper(sql`UPDATE audit_checkpoint SET id = 3 WHERE id = 2`);
    await tamper(sql`UPDATE audit_event SET subjects = '[{"type": "audit_checkpoint", "id": "3"}]' WHERE seq = 11`);
    await recomputeChainFrom(11);
    const result = await verify();
    expect(result.problem).toMatchObject({ kind: "checkpoint", checkpointId: 2 });
    expect(result.problem?.message).toBe("Checkpoint 2 is missing: the checkpoint numbers jump from 1 to 3.");
  });

  it("the tail cut together with its last checkpoint: the chain ends before the checkpoint's own event", async () => {
    await tamper(sql`DELETE FROM audit_event WHERE seq >= 11`);
    const result = await verify();
    expect(result.problem?.message).toBe(
      'Checkpoint 2 was signed at event 10, but the trail now ends at event 10: events 11 to 11 at least (the last being the checkpoint\'s own "checkpoint signed" event) were removed from the end.',
    );
  });

  it("a trail that records a rewind found by the running portal fails, naming the event", async () => {
    await db.transaction().execute((trx) =>
      recordAuditEvent(trx, systemContext(), rewindEntry({ id: "n1", fromSeq: 7, toSeq: 9, lastSeen: { seq: 9, hash: "a".repeat(64) } })),
    );
    const result = await verify();
    expect(result.problem).toMatchObject({ kind: "rewind", seq: 13 });
    expect(result.problem?.message).toMatch(/^Event 13 records that the running portal found the chain rewound under it: .*events 7 to 9/);
  });

  it("the untouched trail with two checkpoints passes", async () => {
    expect(await verify()).toMatchObject({ ok: true, events: 12, checkpointsChecked: 2 });
  });
});
