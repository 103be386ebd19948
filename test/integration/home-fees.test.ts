// Homes' weekly fees (decision 033): a history of records with their dates,
// audited, versioned and the provider's own; placement search filtering and
// sorting by the fee in force that day; and the email to the home's provider
// when a commissioner ends a placement, queued in the same transaction.
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyAuditTrail } from "#app/modules/audit/verify";
import { ActionRefused, ConcurrentEditError, RecordNotFound } from "#app/modules/errors";
import { setWeeklyFee, weeklyFeeHistory, weeklyFeeView, type WeeklyFeeInput } from "#app/modules/homes/fees";
import { setStatementOfPurpose } from "#app/modules/homes/statement-of-purpose";
import { COUNCIL_ONLY, createPlacement, endPlacement } from "#app/modules/placements/placements";
import { searchHomes, type PlacementSearch } from "#app/modules/placements/search";
import { runAudited } from "#test/support/audited";
import { useTestDatabase } from "#test/support/database";
import { buildMarketWorld, type MarketWorld } from "#test/support/market";
import { contextOf } from "#test/support/tendering";

const { db } = await useTestDatabase();
let world: MarketWorld;
const NOW = new Date("2027-01-04T09:00:00Z");
const LINKS = { baseUrl: "http://portal.test" };

const version = async (homeId: string) => (await db.selectFrom("home").select("weekly_fee_version").where("id", "=", homeId).executeTakeFirstOrThrow()).weekly_fee_version;
const setFee = (input: Omit<WeeklyFeeInput, "expectedVersion"> & { expectedVersion?: number }, actor = world.providerA, now = NOW) =>
  runAudited(db, async (trx) => {
    const expected = input.expectedVersion ?? (await trx.selectFrom("home").select("weekly_fee_version").where("id", "=", input.homeId).executeTakeFirstOrThrow()).weekly_fee_version;
    return setWeeklyFee(trx, { ...input, expectedVersion: expected }, contextOf(actor, now));
  });

beforeAll(async () => {
  world = await buildMarketWorld(db);
  const lot1 = world.agreements.residential_framework.lotIds[0]!;
  for (const [homeId, provider] of [
    [world.homes.exeter, world.providerA],
    [world.homes.plymouth, world.providerA],
    [world.homes.truro, world.providerA],
    [world.homes.newtonAbbot, world.providerB],
  ] as const) {
    await db.transaction().execute((trx) =>
      setStatementOfPurpose(trx, { homeId, expectedVersion: 0, ageMin: 8, ageMax: 17, genders: ["female", "male"], needs: ["emotional_behavioural"], lotIds: [lot1] }, contextOf(provider, NOW)),
    );
  }
}, 60_000);

describe("a home's weekly fee", () => {
  it("keeps every change as a new record with its date, audited, and shows the fee in force each day", async () => {
    const homeId = world.homes.exeter;
    expect(await version(homeId)).toBe(0);
    const first = await setFee({ homeId, weeklyFeePence: 450_000, effectiveFrom: "2026-12-01" });
    expect(first.error).toBeNull();
    expect(first.value).toEqual({ version: 1 });
    expect(first.events).toEqual([
      expect.objectContaining({
        action: "home.weekly_fee_set",
        summary: expect.stringMatching(/^Set the weekly fee of Longbrook House \d+ to £4,500\.00 from 1 December 2026$/),
        before: { "Weekly fee": "None" },
        after: { "Weekly fee": "£4,500.00", From: "1 December 2026" },
      }),
    ]);
    // An uplift announced for April, and a mistyped fee corrected by a second record for the same day.
    await setFee({ homeId, weeklyFeePence: 470_000, effectiveFrom: "2027-04-01", reason: "Annual uplift" });
    const corrected = await setFee({ homeId, weeklyFeePence: 468_000, effectiveFrom: "2027-04-01", reason: "Correction: uplift is 4%" });
    expect(corrected.events[0]).toMatchObject({ before: { "Weekly fee": "£4,700.00 (from 1 April 2027)" }, reason: "Correction: uplift is 4%" });
    expect(await version(homeId)).toBe(3);

    const history = await weeklyFeeHistory(db, homeId);
    expect(history.map((h) => [h.effectiveFrom, h.weeklyFeePence])).toEqual([
      ["2027-04-01", 468_000],
      ["2027-04-01", 470_000],
      ["2026-12-01", 450_000],
    ]);
    expect(history[0]!.recordedBy).toBe(world.providerA.name);
    const view = await weeklyFeeView(db, homeId, NOW);
    expect(view.current?.weeklyFeePence).toBe(450_000);
    expect(view.upcoming.map((u) => u.weeklyFeePence)).toEqual([468_000]);
    expect(view.history.map((h) => h.replaced)).toEqual([false, true, false]);
    expect((await weeklyFeeView(db, homeId, new Date("2027-04-01T00:30:00+01:00"))).current?.weeklyFeePence).toBe(468_000);

    // The home keeps the record that takes effect last, for search.
    const kept = await db.selectFrom("home").select(["weekly_fee_pence", "weekly_fee_from"]).where("id", "=", homeId).executeTakeFirstOrThrow();
    expect(kept).toEqual({ weekly_fee_pence: 468_000, weekly_fee_from: "2027-04-01" });

    // History cannot be rewritten by the portal's login, nor the same fee for the same day recorded twice.
    await expect(sql`UPDATE home_weekly_fee SET weekly_fee_pence = 1 WHERE home_id = ${homeId}`.execute(db)).rejects.toThrow();
    await expect(sql`DELETE FROM home_weekly_fee WHERE home_id = ${homeId}`.execute(db)).rejects.toThrow();
    const same = await setFee({ homeId, weeklyFeePence: 468_000, effectiveFrom: "2027-04-01" });
    expect(same.error).toEqual(new ActionRefused("The weekly fee from 1 April 2027 is already £4,680.00", "weeklyFee"));
    expect(same.events).toEqual([]);
    expect((await verifyAuditTrail(db, { publicKey: null })).ok).toBe(true);
  });

  it("refuses what is not a fee beside the field, and saves nothing", async () => {
    const homeId = world.homes.plymouth;
    const cases: [number, string, string][] = [
      [-100, "The weekly fee cannot be negative", "weeklyFee"],
      [0, "The weekly fee must be more than £0", "weeklyFee"],
      [5_000_001, "The weekly fee must be £50,000 or less", "weeklyFee"],
      [100.5, "Enter the weekly fee in pounds and pence, like 4500.50", "weeklyFee"],
      [Number.NaN, "Enter the weekly fee in pounds, like 4500 or 4500.50", "weeklyFee"],
    ];
    for (const [pence, message, field] of cases) {
      const refused = await setFee({ homeId, weeklyFeePence: pence, effectiveFrom: "2027-01-01" });
      expect(refused.error).toEqual(new ActionRefused(message, field));
      expect(refused.events).toEqual([]);
    }
    const farAhead = await setFee({ homeId, weeklyFeePence: 400_000, effectiveFrom: "2028-06-01" });
    expect(farAhead.error).toEqual(new ActionRefused("The date the fee applies from must be within a year from today", "effectiveFrom"));
    const notADate = await setFee({ homeId, weeklyFeePence: 400_000, effectiveFrom: "2027-02-30" });
    expect(notADate.error).toBeInstanceOf(ActionRefused);
    expect((notADate.error as ActionRefused).field).toBe("effectiveFrom");
    // The database refuses an absurd fee even if a caller skipped the module's checks.
    await expect(
      db.insertInto("home_weekly_fee").values({ home_id: homeId, weekly_fee_pence: 6_000_000, effective_from: "2027-01-01", reason: null, recorded_at: NOW, recorded_by: null }).execute(),
    ).rejects.toThrow(/check constraint/);
    expect(await weeklyFeeHistory(db, homeId)).toEqual([]);
    expect(await version(homeId)).toBe(0);
  });

  it("tells the second of two people changing one home's fee at once, and keeps the first's", async () => {
    const homeId = world.homes.truro;
    const seen = await version(homeId);
    const first = await setFee({ homeId, expectedVersion: seen, weeklyFeePence: 500_000, effectiveFrom: "2027-01-01" });
    expect(first.error).toBeNull();
    const second = await setFee({ homeId, expectedVersion: seen, weeklyFeePence: 510_000, effectiveFrom: "2027-01-01" }, world.providerAColleague);
    expect(second.error).toBeInstanceOf(ConcurrentEditError);
    expect(second.events).toEqual([]);
    expect((await weeklyFeeHistory(db, homeId)).map((h) => h.weeklyFeePence)).toEqual([500_000]);
  });

  it("is only the home's own provider's to record: another provider is told the home does not exist, an officer is refused", async () => {
    const homeId = world.homes.exeter;
    const before = await version(homeId);
    const other = await setFee({ homeId, expectedVersion: before, weeklyFeePence: 100_000, effectiveFrom: "2027-01-01" }, world.providerB);
    expect(other.error).toBeInstanceOf(RecordNotFound);
    expect(other.events).toEqual([]);
    const officer = await setFee({ homeId, expectedVersion: before, weeklyFeePence: 100_000, effectiveFrom: "2027-01-01" }, world.officer);
    expect(officer.error).toBeInstanceOf(ActionRefused);
    const unknown = await setFee({ homeId: "3f1e6a0c-0000-4000-8000-000000000000", expectedVersion: 0, weeklyFeePence: 100_000, effectiveFrom: "2027-01-01" });
    expect(unknown.error).toBeInstanceOf(RecordNotFound);
    expect(await version(homeId)).toBe(before);
  });
});

describe("placement search by weekly fee", () => {
  // By now: Exeter £4,500 (£4,680 from April), Truro £5,000, Newton Abbot £3,900 from 1 January; Plymouth none.
  beforeAll(async () => {
    await setFee({ homeId: world.homes.newtonAbbot, weeklyFeePence: 390_000, effectiveFrom: "2027-01-01" }, world.providerB);
  });
  const search = async (input: PlacementSearch, now = NOW) =>
    (await searchHomes(db, { agreementId: world.agreements.residential_framework.id, ...input }, now)).homes.map((h) => [h.homeId, h.weeklyFeePence]);

  it("sorts by the fee in force that day, lowest first, with homes that recorded none last", async () => {
    expect(await search({ sort: "fee" })).toEqual([
      [world.homes.newtonAbbot, 390_000],
      [world.homes.exeter, 450_000],
      [world.homes.truro, 500_000],
      [world.homes.plymouth, null],
    ]);
    // Before Newton Abbot's first fee applies it has none; from April Exeter's corrected uplift applies.
    // Homes with no fee come last, by name: Courtenay Lodge, Lemon Quay Cottage, Sutton View.
    expect(await search({ sort: "fee" }, new Date("2026-12-20T12:00:00Z"))).toEqual([
      [world.homes.exeter, 450_000],
      [world.homes.newtonAbbot, null],
      [world.homes.truro, null],
      [world.homes.plymouth, null],
    ]);
    expect(await search({ sort: "fee" }, new Date("2027-04-02T12:00:00Z"))).toEqual([
      [world.homes.newtonAbbot, 390_000],
      [world.homes.exeter, 468_000],
      [world.homes.truro, 500_000],
      [world.homes.plymouth, null],
    ]);
  });

  it("filters by a fee range, leaving out homes with no fee, and refuses a range the wrong way round", async () => {
    expect(await search({ sort: "fee", minFeePence: 400_000, maxFeePence: 500_000 })).toEqual([
      [world.homes.exeter, 450_000],
      [world.homes.truro, 500_000],
    ]);
    expect(await search({ sort: "fee", maxFeePence: 450_000 })).toEqual([
      [world.homes.newtonAbbot, 390_000],
      [world.homes.exeter, 450_000],
    ]);
    expect(await search({ sort: "fee", minFeePence: 460_000 })).toEqual([[world.homes.truro, 500_000]]);
    await expect(search({ minFeePence: 500_000, maxFeePence: 400_000 })).rejects.toEqual(
      new ActionRefused("The highest weekly fee must be the same as or more than the lowest", "maxFee"),
    );
    await expect(search({ minFeePence: -1 })).rejects.toBeInstanceOf(ActionRefused);
  });

  it("still sorts by distance and by Ofsted grade, and shows each home's fee", async () => {
    const byDistance = await searchHomes(db, { agreementId: world.agreements.residential_framework.id, fromDistrict: "EX4", sort: "distance" }, NOW);
    expect(byDistance.homes[0]!.homeId).toBe(world.homes.exeter);
    expect(byDistance.homes[0]!.weeklyFeePence).toBe(450_000);
    const distances = byDistance.homes.map((h) => h.distanceMiles ?? Infinity);
    expect([...distances].sort((a, b) => a - b)).toEqual(distances);
    const byGrade = await searchHomes(db, { agreementId: world.agreements.residential_framework.id, sort: "grade" }, NOW);
    expect(byGrade.total).toBe(4);
  });
});

describe("ending a placement", () => {
  it("emails each active user of the home's provider, in the same transaction, with no child's name", async () => {
    const officer = contextOf(world.officer, NOW);
    const lotId = world.agreements.residential_framework.lotIds[0]!;
    const placed = await db
      .transaction()
      .execute((trx) =>
        createPlacement(trx, { childReference: "CH-FEE001", homeId: world.homes.newtonAbbot, lotId, childDistrict: "TQ12", startOn: "2027-01-02", weeklyFeePence: 390_000, funding: COUNCIL_ONLY }, officer),
      );
    const before = await db.selectFrom("outbox_email").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();

    // Refused (end before start): no email.
    const refused = await runAudited(db, (trx) => endPlacement(trx, { placementId: placed.placementId, endOn: "2027-01-01", reason: "x" }, officer, LINKS));
    expect(refused.error).toBeInstanceOf(ActionRefused);
    const between = await db.selectFrom("outbox_email").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
    expect(between.n).toBe(before.n);

    const ended = await runAudited(db, (trx) =>
      endPlacement(trx, { placementId: placed.placementId, endOn: "2027-02-15", reason: "Planned move to a foster family" }, officer, LINKS),
    );
    expect(ended.error).toBeNull();
    expect(ended.events.map((e) => e.action)).toEqual(["placement.ended"]);
    const emails = await db
      .selectFrom("outbox_email")
      .select(["to_address", "subject", "text", "html"])
      .where("template", "=", "placement_ended")
      .orderBy("to_address")
      .execute();
    // Provider B has one user; provider A's users hear nothing of provider B's home.
    expect(emails.map((e) => e.to_address)).toEqual([world.providerB.email]);
    const email = emails[0]!;
    expect(email.subject).toMatch(/^Placement CH-FEE001 at Courtenay Lodge \d+ ends on 15 February 2027$/);
    expect(email.text).toContain("child reference CH-FEE001");
    expect(email.text).toContain("The child leaves on 15 February 2027");
    expect(email.text).toContain("Reason given: Planned move to a foster family");
    expect(email.text).toContain("http://portal.test/vacancies");
    expect(email.html).toContain("Planned move to a foster family");
  });
});
