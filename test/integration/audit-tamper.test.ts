import { sql, type Kysely } from "kysely";
import { beforeEach, describe, expect, it } from "vitest";
import type { Database } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { eventHash, GENESIS_HASH } from "#app/modules/audit/canonical";
import { createCheckpoint } from "#app/modules/audit/checkpoints";
import { generateSigningKey } from "#app/modules/audit/signing-key";
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
