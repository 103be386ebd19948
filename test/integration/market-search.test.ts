import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { Trx } from "#app/database/schema";
import { verifyAuditTrail } from "#app/modules/audit/verify";
import { ActionRefused } from "#app/modules/errors";
import { createHome, recordOfstedJudgement } from "#app/modules/homes/homes";
import { setStatementOfPurpose } from "#app/modules/homes/statement-of-purpose";
import { systemContext } from "#app/modules/identity/actor";
import { searchHomes, type PlacementSearch } from "#app/modules/placements/search";
import { currentSuspension, liftSuspension, suspendHome, suspensionHistory } from "#app/modules/placements/suspensions";
import { updateVacancies } from "#app/modules/vacancies/vacancies";
import { runAudited } from "#test/support/audited";
import { useTestDatabase } from "#test/support/database";
import { buildMarketWorld, type MarketWorld } from "#test/support/market";
import { contextOf } from "#test/support/tendering";

const { db } = await useTestDatabase();
let world: MarketWorld;
/** Provider B's second home, in a district the centroid file does not list. */
let unplaced: string;
const NOW = new Date("2027-01-04T09:00:00Z");
const FRESH = new Date("2027-01-01T09:00:00Z");
const STALE = new Date("2026-12-20T09:00:00Z");

beforeAll(async () => {
  world = await buildMarketWorld(db);
  const [lot1, lot2] = world.agreements.residential_framework.lotIds as [string, string];
  const blockLot = world.agreements.residential_block.lotIds[0]!;
  unplaced = await db.transaction().execute(async (trx) => {
    const { id } = await createHome(
      trx,
      { organisationId: world.providerB.organisationId, name: "Okement View", serviceType: "childrens_home", registeredPlaces: 2, postcodeDistrict: "EX20" },
      systemContext("test", new Date("2026-12-01T09:00:00Z")),
    );
    return id;
  });
  const statements: [string, MarketWorld["providerA"], number, number, string[], string[], string[]][] = [
    [world.homes.exeter, world.providerA, 11, 17, ["female", "male"], ["emotional_behavioural", "cse_risk"], [lot1]],
    [world.homes.plymouth, world.providerA, 8, 14, ["female", "male", "non_binary"], ["autism", "learning_disability"], [lot2]],
    [world.homes.truro, world.providerA, 13, 17, ["female"], ["cse_risk"], [lot1, blockLot]],
    [world.homes.newtonAbbot, world.providerB, 12, 17, ["male"], ["emotional_behavioural"], [lot1]],
    [unplaced, world.providerB, 10, 17, ["female", "male"], ["emotional_behavioural", "cse_risk"], [lot1]],
  ];
  for (const [homeId, provider, ageMin, ageMax, genders, needs, lotIds] of statements) {
    await db.transaction().execute((trx) => setStatementOfPurpose(trx, { homeId, expectedVersion: 0, ageMin, ageMax, genders, needs, lotIds }, contextOf(provider, FRESH)));
  }
  await db.transaction().execute(async (trx) => {
    await updateVacancies(
      trx,
      {
        changes: [
          { homeId: world.homes.exeter, expectedVersion: 0, bedsFreeNow: 1, bedsFreeFrom: null, needs: [] },
          { homeId: world.homes.plymouth, expectedVersion: 0, bedsFreeNow: 0, bedsFreeFrom: { on: "2027-02-01", beds: 1 }, needs: [] },
        ],
      },
      contextOf(world.providerA, FRESH),
    );
    await updateVacancies(trx, { changes: [{ homeId: world.homes.truro, expectedVersion: 0, bedsFreeNow: 1, bedsFreeFrom: null, needs: [] }] }, contextOf(world.providerA, STALE));
    await updateVacancies(
      trx,
      {
        changes: [
          { homeId: world.homes.newtonAbbot, expectedVersion: 0, bedsFreeNow: 2, bedsFreeFrom: null, needs: ["emotional_behavioural"] },
          { homeId: unplaced, expectedVersion: 0, bedsFreeNow: 1, bedsFreeFrom: null, needs: [] },
        ],
      },
      contextOf(world.providerB, FRESH),
    );
    const ctx = systemContext("test", FRESH);
    await recordOfstedJudgement(trx, { homeId: world.homes.exeter, inspectedOn: "2026-06-01", grade: 1 }, ctx);
    await recordOfstedJudgement(trx, { homeId: world.homes.plymouth, inspectedOn: "2026-06-01", grade: 3 }, ctx);
    await recordOfstedJudgement(trx, { homeId: world.homes.truro, inspectedOn: "2026-06-01", grade: 2 }, ctx);
    await recordOfstedJudgement(trx, { homeId: world.homes.newtonAbbot, inspectedOn: "2026-06-01", grade: 2 }, ctx);
  });
}, 60_000);

/** Only this test world's homes (other files' worlds share nothing, but the names keep failures readable). */
async function search(input: PlacementSearch = {}) {
  return searchHomes(db, { pageSize: 100, ...input }, NOW);
}
const names = (result: Awaited<ReturnType<typeof search>>) => result.homes.map((h) => h.name.replace(/ \d+$/, ""));

/** Great-circle miles between two points, worked out here independently of the SQL. */
function miles(a: [number, number], b: [number, number]): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const h = Math.sin(rad(b[0] - a[0]) / 2) ** 2 + Math.cos(rad(a[0])) * Math.cos(rad(b[0])) * Math.sin(rad(b[1] - a[1]) / 2) ** 2;
  return 2 * 3958.8 * Math.asin(Math.sqrt(h));
}

const run = <T>(work: (trx: Trx) => Promise<T>) => runAudited(db, work);

describe("placement search by distance", () => {
  it("sorts homes by great-circle miles from the child's district, with homes in unknown districts last as distance unknown", async () => {
    const result = await search({ fromDistrict: "ex4" });
    expect(result.origin).toEqual({ outcode: "EX4", known: true });
    expect(names(result)).toEqual(["Longbrook House", "Courtenay Lodge", "Sutton View", "Lemon Quay Cottage", "Okement View"]);
    const plymouth = result.homes.find((h) => h.homeId === world.homes.plymouth)!;
    expect(plymouth.distanceMiles).toBeCloseTo(miles([50.73055, -3.52621], [50.3748, -4.12803]), 1);
    expect(plymouth.distanceMiles).toBeGreaterThan(30);
    expect(result.homes[0]!.distanceMiles).toBe(0);
    expect(result.homes.at(-1)!.distanceMiles).toBeNull();
    expect(result.total).toBe(5);
  });

  it("keeps only homes within the distance, and keeps a home whose own district is unknown rather than hiding it", async () => {
    expect(names(await search({ fromDistrict: "EX4 3AB", maxMiles: 20 }))).toEqual(["Longbrook House", "Courtenay Lodge", "Okement View"]);
  });

  it("finds within a distance, for any need and sort, the homes found without it that are that near or unplaced, each time it is asked", async () => {
    for (const need of [null, "emotional_behavioural", "cse_risk", "autism"]) {
      for (const sort of ["distance", "name", "grade"] as const) {
        const all = (await search({ fromDistrict: "EX4", need, sort })).homes;
        for (const maxMiles of [1, 20, 45, 1000]) {
          const expected = all.filter((h) => h.distanceMiles === null || h.distanceMiles <= maxMiles).map((h) => [h.name, h.distanceMiles]);
          // The second search reads the homes near, worked out by the first.
          for (let time = 0; time < 2; time++) {
            expect((await search({ fromDistrict: "EX4", need, sort, maxMiles })).homes.map((h) => [h.name, h.distanceMiles]), `${need} ${sort} ${maxMiles}`).toEqual(expected);
          }
        }
      }
    }
  });

  it("accepts an unknown district, says so, and measures nothing", async () => {
    const result = await search({ fromDistrict: "EX99", maxMiles: 5 });
    expect(result.origin).toEqual({ outcode: "EX99", known: false });
    expect(result.total).toBe(5);
    expect(result.homes.every((h) => h.distanceMiles === null)).toBe(true);
  });

  it("refuses something that is not a postcode district, beside the field", async () => {
    await expect(search({ fromDistrict: "Exeter" })).rejects.toMatchObject({ name: "ActionRefused", field: "fromDistrict" });
  });
});

describe("placement search filters", () => {
  it("by agreement and lot", async () => {
    const [lot1, lot2] = world.agreements.residential_framework.lotIds as [string, string];
    expect(names(await search({ lotId: lot2 }))).toEqual(["Sutton View"]);
    expect(names(await search({ lotId: lot1, sort: "name" }))).toEqual(["Courtenay Lodge", "Lemon Quay Cottage", "Longbrook House", "Okement View"]);
    expect(names(await search({ agreementId: world.agreements.residential_block.id }))).toEqual(["Lemon Quay Cottage"]);
    expect((await search({ agreementId: world.agreements.short_breaks.id })).total).toBe(0);
  });

  it("by need, age and gender from the Statement of Purpose", async () => {
    expect(names(await search({ need: "cse_risk", sort: "name" }))).toEqual(["Lemon Quay Cottage", "Longbrook House", "Okement View"]);
    expect(names(await search({ age: 9 }))).toEqual(["Sutton View"]);
    expect(names(await search({ gender: "non_binary" }))).toEqual(["Sutton View"]);
    expect(names(await search({ gender: "male", age: 16, need: "emotional_behavioural", sort: "name" }))).toEqual(["Courtenay Lodge", "Longbrook House", "Okement View"]);
  });

  it("by minimum Ofsted grade, leaving out homes not yet judged", async () => {
    expect(names(await search({ minimumGrade: 2, sort: "grade" }))).toEqual(["Longbrook House", "Courtenay Lodge", "Lemon Quay Cottage"]);
    await expect(search({ minimumGrade: 4 })).rejects.toMatchObject({ field: "minimumGrade" });
  });

  it("by a bed free now, or by a date, counting a vacancy's own needs", async () => {
    expect(names(await search({ vacancy: "now", sort: "name" }))).toEqual(["Courtenay Lodge", "Lemon Quay Cottage", "Longbrook House", "Okement View"]);
    expect(names(await search({ vacancy: { by: "2027-02-01" }, need: "autism" }))).toEqual(["Sutton View"]);
    expect(names(await search({ vacancy: { by: "2027-01-31" }, need: "autism" }))).toEqual([]);
    // Courtenay Lodge's vacancy is for emotional and behavioural needs only, though its home meets no others either.
    expect(names(await search({ vacancy: "now", need: "cse_risk", sort: "name" }))).toEqual(["Lemon Quay Cottage", "Longbrook House", "Okement View"]);
  });

  it("flags vacancies not confirmed for more than 7 days as stale", async () => {
    const result = await search({ sort: "name" });
    expect(result.homes.map((h) => [h.name.replace(/ \d+$/, ""), h.stale])).toEqual([
      ["Courtenay Lodge", false],
      ["Lemon Quay Cottage", true],
      ["Longbrook House", false],
      ["Okement View", false],
      ["Sutton View", false],
    ]);
  });

  it("pages the results with the total", async () => {
    const page2 = await searchHomes(db, { sort: "name", page: 2, pageSize: 2 }, NOW);
    expect(names(page2)).toEqual(["Longbrook House", "Okement View"]);
    expect(page2).toMatchObject({ total: 5, page: 2, pageSize: 2 });
  });
});

describe("suspensions", () => {
  it("a commissioning officer suspends a home with a reason: it leaves search and the provider sees why", async () => {
    const { events } = await run((trx) => suspendHome(trx, { homeId: world.homes.plymouth, reason: "Safeguarding concern under review" }, contextOf(world.officer, NOW)));
    expect(events).toEqual([expect.objectContaining({ action: "home.suspended", reason: "Safeguarding concern under review" })]);
    expect(names(await search({ sort: "name" }))).not.toContain("Sutton View");
    expect(await currentSuspension(db, world.homes.plymouth)).toMatchObject({ cause: "commissioner", reason: "Safeguarding concern under review" });
    const again = await run((trx) => suspendHome(trx, { homeId: world.homes.plymouth, reason: "Again" }, contextOf(world.officer, NOW)));
    expect(again.error).toBeInstanceOf(ActionRefused);
    expect(again.events).toHaveLength(0);
  });

  it("is refused to a provider and needs a reason", async () => {
    expect((await run((trx) => suspendHome(trx, { homeId: world.homes.truro, reason: "x" }, contextOf(world.providerB, NOW)))).error).toBeInstanceOf(ActionRefused);
    expect((await run((trx) => suspendHome(trx, { homeId: world.homes.truro, reason: " " }, contextOf(world.officer, NOW)))).error).toMatchObject({ field: "reason" });
  });

  it("is lifted with reasons and conditions, kept as history, and the home returns to search", async () => {
    const later = new Date("2027-01-05T09:00:00Z");
    const { events } = await run((trx) =>
      liftSuspension(trx, { homeId: world.homes.plymouth, reason: "Concern resolved", conditions: "Monthly visits for 3 months" }, contextOf(world.officer, later)),
    );
    expect(events).toEqual([expect.objectContaining({ action: "home.suspension_lifted", reason: "Concern resolved", after: { Suspended: "No", Conditions: "Monthly visits for 3 months" } })]);
    expect(names(await search({ sort: "name" }))).toContain("Sutton View");
    expect(await suspensionHistory(db, world.homes.plymouth)).toEqual([
      expect.objectContaining({ cause: "commissioner", liftedAt: later, liftReason: "Concern resolved", liftConditions: "Monthly visits for 3 months" }),
    ]);
    expect((await run((trx) => liftSuspension(trx, { homeId: world.homes.plymouth, reason: "Again" }, contextOf(world.officer, later)))).error).toBeInstanceOf(ActionRefused);
  });

  it("is never removed, and a lifted one never changed", async () => {
    await expect(sql`DELETE FROM home_suspension WHERE home_id = ${world.homes.plymouth}`.execute(db)).rejects.toThrow(/history/);
    await expect(sql`UPDATE home_suspension SET lift_reason = 'rewritten' WHERE home_id = ${world.homes.plymouth}`.execute(db)).rejects.toThrow(/only be lifted, once/);
  });

  it("follows an Inadequate judgement automatically, recorded as such, and only a commissioner lifts it", async () => {
    const judged = new Date("2027-01-04T10:00:00Z");
    await db.transaction().execute((trx) => recordOfstedJudgement(trx, { homeId: world.homes.newtonAbbot, inspectedOn: "2027-01-03", grade: 4 }, systemContext("test", judged)));
    expect(await currentSuspension(db, world.homes.newtonAbbot)).toMatchObject({ cause: "inadequate_grade", reason: "Ofsted judged the home Inadequate on 3 January 2027", suspendedBy: null });
    expect(names(await search({ sort: "name" }))).not.toContain("Courtenay Lodge");
    // A better grade later does not lift it by itself.
    await db.transaction().execute((trx) => recordOfstedJudgement(trx, { homeId: world.homes.newtonAbbot, inspectedOn: "2027-01-04", grade: 3 }, systemContext("test", judged)));
    expect(await currentSuspension(db, world.homes.newtonAbbot)).toMatchObject({ cause: "inadequate_grade" });
    await db.transaction().execute((trx) => liftSuspension(trx, { homeId: world.homes.newtonAbbot, reason: "Re-inspected: requires improvement", conditions: "Fortnightly monitoring" }, contextOf(world.officer, judged)));
    expect(names(await search({ sort: "name" }))).toContain("Courtenay Lodge");
  });

  it("does not suspend again for an older Inadequate judgement recorded late", async () => {
    const judged = new Date("2027-01-04T11:00:00Z");
    await db.transaction().execute((trx) => recordOfstedJudgement(trx, { homeId: world.homes.exeter, inspectedOn: "2025-01-10", grade: 4 }, systemContext("test", judged)));
    expect(await currentSuspension(db, world.homes.exeter)).toBeNull();
  });
});

describe("the audit trail", () => {
  it("still verifies", async () => {
    expect((await verifyAuditTrail(db, { publicKey: null })).ok).toBe(true);
  });
});
