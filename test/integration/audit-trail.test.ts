import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { createCheckpoint } from "#app/modules/audit/checkpoints";
import { generateSigningKey } from "#app/modules/audit/signing-key";
import { verifyAuditTrail } from "#app/modules/audit/verify";
import { systemContext } from "#app/modules/identity/actor";
import { useTestDatabase } from "#test/support/database";

const { db, ownerDb } = await useTestDatabase();
const key = generateSigningKey();

async function writeEvents(count: number, label: string) {
  for (let i = 0; i < count; i++) {
    await db.transaction().execute((trx) =>
      recordAuditEvent(trx, systemContext(`req-${label}-${i}`), {
        action: "test.thing_changed",
        summary: `Changed thing ${label} ${i}`,
        subjects: [{ type: "thing", id: `${label}-${i}` }],
        before: { value: i, nested: { b: 2, a: 1 } },
        after: { value: i + 1, note: "naïve café – £3,700" },
      }),
    );
  }
}

describe("the audit trail", () => {
  it("chains events so that verify accepts an untouched trail", async () => {
    await writeEvents(5, "a");
    const result = await verifyAuditTrail(db, { publicKey: key.publicKey });
    expect(result.problem).toBeNull();
    expect(result.ok).toBe(true);
    expect(result.events).toBe(5);
  });

  it("stays one linear chain when many transactions write at once", async () => {
    await Promise.all(Array.from({ length: 8 }, (_, n) => writeEvents(5, `p${n}`)));
    const result = await verifyAuditTrail(db, { publicKey: key.publicKey });
    expect(result.ok).toBe(true);
    expect(result.events).toBe(45);
  });

  it("stays linear when writers wait for a transaction that holds the head, and hands out each number once", async () => {
    const before = await verifyAuditTrail(db, { publicKey: null });
    // Each transaction writes, pauses with the head locked, and writes again: the others queue behind it.
    await Promise.all(
      Array.from({ length: 6 }, (_, n) =>
        db.transaction().execute(async (trx) => {
          const event = (i: number) => ({ action: "test.thing_changed", summary: `Held ${n}.${i}`, subjects: [{ type: "thing", id: `held-${n}` }] });
          await recordAuditEvent(trx, systemContext(`held-${n}`), event(1));
          await sql`SELECT pg_sleep(0.02)`.execute(trx);
          await recordAuditEvent(trx, systemContext(`held-${n}`), event(2));
        }),
      ),
    );
    // Sealed at each commit, a transaction's two events are next to each other in the chain.
    const held = await db.selectFrom("audit_event").select(["seq", "summary"]).where("summary", "like", "Held %").orderBy("seq").execute();
    expect(held).toHaveLength(12);
    for (let n = 0; n < 6; n++) {
      const first = held.find((e) => e.summary === `Held ${n}.1`)!;
      expect(held.find((e) => e.summary === `Held ${n}.2`)!.seq).toBe(Number(first.seq) + 1);
    }
    const after = await verifyAuditTrail(db, { publicKey: null });
    expect(after.ok).toBe(true);
    expect(after.events).toBe(before.events + 12);
  });

  it("is refused by the database when the portal's role tries to update, delete or truncate it", async () => {
    await expect(sql`UPDATE audit_event SET summary = 'x' WHERE seq = 1`.execute(db)).rejects.toThrow(/permission denied|append-only/);
    await expect(sql`DELETE FROM audit_event WHERE seq = 1`.execute(db)).rejects.toThrow(/permission denied|append-only/);
    await expect(sql`TRUNCATE audit_event`.execute(db)).rejects.toThrow(/permission denied|append-only/);
  });

  it("is refused by the trigger even for the table's owner", async () => {
    const owner = ownerDb();
    await expect(sql`UPDATE audit_event SET summary = 'x' WHERE seq = 1`.execute(owner)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_event WHERE seq = 2`.execute(owner)).rejects.toThrow(/append-only/);
  });

  it("rolls back the event with the change it belongs to", async () => {
    const before = await verifyAuditTrail(db, { publicKey: null });
    await expect(
      db.transaction().execute(async (trx) => {
        await recordAuditEvent(trx, systemContext(), { action: "test.failed", summary: "Will fail", subjects: [] });
        throw new Error("the change failed half-way");
      }),
    ).rejects.toThrow("half-way");
    const after = await verifyAuditTrail(db, { publicKey: null });
    expect(after.events).toBe(before.events);
    expect(after.ok).toBe(true);
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_event_staged`.execute(ownerDb())).rows[0]?.n).toBe(0);
  });

  it("does not hold the head while a change that wrote its event is still at work: the event is sealed at commit", async () => {
    const before = await verifyAuditTrail(db, { publicKey: null });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let staged!: () => void;
    const hasStaged = new Promise<void>((resolve) => (staged = resolve));
    const slow = db.transaction().execute(async (trx) => {
      await recordAuditEvent(trx, systemContext(), { action: "test.thing_changed", summary: "Slow change", subjects: [] });
      staged();
      await released; // the portal still at work in this transaction (rendering, other statements)
    });
    await hasStaged;
    // Another change writes and commits meanwhile: before decision 055 it waited here for the slow one.
    const quick = db.transaction().execute((trx) => recordAuditEvent(trx, systemContext(), { action: "test.thing_changed", summary: "Quick change", subjects: [] }));
    const first = await Promise.race([quick.then(() => "quick committed"), new Promise((resolve) => setTimeout(() => resolve("quick still waiting"), 2_000))]);
    release();
    await Promise.all([slow, quick]);
    expect(first).toBe("quick committed");
    // Numbered in the order they committed, in one chain.
    const order = await db.selectFrom("audit_event").select("summary").where("seq", ">", before.events).orderBy("seq").execute();
    expect(order.map((e) => e.summary)).toEqual(["Quick change", "Slow change"]);
    expect((await verifyAuditTrail(db, { publicKey: null })).ok).toBe(true);
  });
});
