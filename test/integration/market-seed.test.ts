import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyAuditTrail } from "#app/modules/audit/verify";
import { searchHomes } from "#app/modules/placements/search";
import { seedDemo } from "#db/seed/demo";
import { DEMO_SUSPENSION } from "#db/seed/demo-market";
import { useTestDatabase } from "#test/support/database";

const { db } = await useTestDatabase();
const now = new Date();
beforeAll(async () => {
  await seedDemo(db);
}, 120_000);

describe("the demo's placements market", () => {
  it("knows the location of every demo home's postcode district", async () => {
    const unknown = await db
      .selectFrom("home")
      .leftJoin("postcode_district", "postcode_district.outcode", "home.postcode_district")
      .select("home.postcode_district")
      .where("postcode_district.outcode", "is", null)
      .execute();
    expect(unknown).toEqual([]);
    const imports = await db.selectFrom("postcode_district_import").select(["file_name", "districts_added"]).execute();
    expect(imports).toEqual([{ file_name: "districts-south-west.csv", districts_added: 104 }]);
  });

  it("gives every home a Statement of Purpose with needs and lots", async () => {
    const { rows } = await sql<{ homes: number; statements: number; with_needs: number; with_lots: number }>`
      SELECT (SELECT count(*) FROM home)::int AS homes,
             (SELECT count(*) FROM home_statement_of_purpose)::int AS statements,
             (SELECT count(DISTINCT home_id) FROM home_need)::int AS with_needs,
             (SELECT count(DISTINCT home_id) FROM home_lot)::int AS with_lots`.execute(db);
    const counts = rows[0]!;
    expect(counts.statements).toBe(counts.homes);
    expect(counts.with_needs).toBe(counts.homes);
    expect(counts.with_lots).toBe(counts.homes);
  });

  it("gives most homes a weekly fee with its history, some an announced uplift, and leaves a few with none", async () => {
    const { rows } = await sql<{ homes: number; with_fee: number; uplifted: number; upcoming: number; plausible: boolean }>`
      SELECT (SELECT count(*) FROM home)::int AS homes,
             (SELECT count(DISTINCT home_id) FROM home_weekly_fee)::int AS with_fee,
             (SELECT count(*) FROM (SELECT home_id FROM home_weekly_fee GROUP BY home_id HAVING count(*) > 1) x)::int AS uplifted,
             (SELECT count(*) FROM home WHERE weekly_fee_from > current_date)::int AS upcoming,
             (SELECT bool_and(weekly_fee_pence BETWEEN 100000 AND 1000000) FROM home_weekly_fee) AS plausible`.execute(db);
    const c = rows[0]!;
    expect(c.with_fee).toBeGreaterThan(c.homes * 0.75);
    expect(c.with_fee).toBeLessThan(c.homes);
    expect(c.uplifted).toBeGreaterThan(0);
    expect(c.upcoming).toBeGreaterThan(0);
    expect(c.plausible).toBe(true);
    const byFee = await searchHomes(db, { sort: "fee", pageSize: 100 }, now);
    const fees = byFee.homes.map((h) => h.weeklyFeePence);
    const recorded = fees.filter((f): f is number => f !== null);
    expect(recorded).toEqual([...recorded].sort((a, b) => a - b));
    expect(fees.slice(recorded.length).every((f) => f === null)).toBe(true);
  });

  it("has vacancies with a mix of fresh and stale, and a few homes never entered", async () => {
    const result = await searchHomes(db, { pageSize: 100 }, now);
    const stale = result.homes.filter((h) => h.stale).length;
    const fresh = result.homes.length - stale;
    expect(fresh).toBeGreaterThan(stale);
    expect(stale).toBeGreaterThan(0);
    expect(result.homes.some((h) => h.lastConfirmedAt === null)).toBe(true);
    expect(result.homes.some((h) => (h.bedsFreeNow ?? 0) > 0)).toBe(true);
  });

  it("has one home suspended by the commissioning officer and every Inadequate home suspended, none of them in search", async () => {
    const suspensions = await db.selectFrom("home_suspension").select(["home_id", "cause", "reason"]).where("lifted_at", "is", null).execute();
    expect(suspensions.filter((s) => s.cause === "commissioner")).toEqual([expect.objectContaining({ reason: DEMO_SUSPENSION.reason })]);
    const inadequate = await db.selectFrom("home").select("id").where("ofsted_grade", "=", 4).execute();
    expect(inadequate.length).toBeGreaterThan(0);
    expect(suspensions.filter((s) => s.cause === "inadequate_grade").map((s) => s.home_id).sort()).toEqual(inadequate.map((h) => h.id).sort());
    const found = new Set((await searchHomes(db, { pageSize: 100 }, now)).homes.map((h) => h.homeId));
    for (const s of suspensions) expect(found.has(s.home_id)).toBe(false);
    const total = (await db.selectFrom("home").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n;
    expect(found.size).toBe(Number(total) - suspensions.length);
  });

  it("finds homes near Exeter in distance order", async () => {
    const result = await searchHomes(db, { fromDistrict: "EX4", maxMiles: 25, vacancy: "now" }, now);
    expect(result.origin).toEqual({ outcode: "EX4", known: true });
    expect(result.total).toBeGreaterThan(0);
    const distances = result.homes.map((h) => h.distanceMiles!);
    expect(distances.every((d) => d <= 25)).toBe(true);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
  });

  it("leaves the audit trail verifiable", async () => {
    expect((await verifyAuditTrail(db, { publicKey: null })).ok).toBe(true);
  });
});
