import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyAuditTrail } from "#app/modules/audit/verify";
import { ukDate } from "#app/modules/common/input";
import { listPlacements } from "#app/modules/placements/placements";
import { seedDemo } from "#db/seed/demo";
import { useTestDatabase } from "#test/support/database";

const { db } = await useTestDatabase();
beforeAll(async () => {
  await seedDemo(db);
}, 180_000);

describe("the demo's placement requests and placements", () => {
  it("has placements over the past two years, some children moved more than once, a few still in place", async () => {
    const { rows } = await sql<{ placements: number; earliest: string; children: number; moved: number; ongoing: number }>`
      SELECT count(*)::int AS placements, min(start_on)::text AS earliest, count(DISTINCT child_reference)::int AS children,
             (SELECT count(*)::int FROM (SELECT child_reference FROM placement GROUP BY child_reference HAVING count(*) > 1) m) AS moved,
             count(*) FILTER (WHERE end_on IS NULL)::int AS ongoing
        FROM placement`.execute(db);
    const r = rows[0]!;
    expect(r.placements).toBeGreaterThanOrEqual(30);
    expect(r.earliest < ukDate(new Date(Date.now() - 300 * 86_400_000))).toBe(true);
    expect(r.moved).toBeGreaterThanOrEqual(5);
    expect(r.ongoing).toBeGreaterThanOrEqual(3);
    const listed = await listPlacements(db, {});
    expect(listed.some((p) => p.movesInLast12Months > 0)).toBe(true);
  });

  it("has open requests with offers and declines, one cascading, and one placed from an accepted offer", async () => {
    const requests = await db.selectFrom("placement_request").select(["id", "status", "sending"]).execute();
    expect(requests.filter((q) => q.status === "open").length).toBeGreaterThanOrEqual(2);
    expect(requests.some((q) => q.sending === "cascade" && q.status === "open")).toBe(true);
    expect(requests.filter((q) => q.status === "placed")).toHaveLength(1);
    const offers = await db.selectFrom("placement_offer").select(["status"]).execute();
    expect(offers.filter((o) => o.status === "made").length).toBeGreaterThanOrEqual(2);
    expect(offers.filter((o) => o.status === "accepted")).toHaveLength(1);
    expect((await db.selectFrom("placement_decline").select("id").execute()).length).toBeGreaterThanOrEqual(1);
    const waiting = await db.selectFrom("placement_request_recipient").select("home_id").where("sent_at", "is", null).execute();
    expect(waiting.length).toBeGreaterThan(0);
  });

  it("leaves the audit trail verifiable", async () => {
    expect((await verifyAuditTrail(db, { publicKey: null })).ok).toBe(true);
  });
});
