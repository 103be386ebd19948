import { beforeAll, describe, expect, it } from "vitest";
import type { Trx } from "#app/database/schema";
import { ActionRefused } from "#app/modules/errors";
import { bookShortBreak, cancelShortBreak, checkShortBreakLimits, createShortBreakContract, shortBreakCsv, shortBreakReport, ShortBreakLimitsExceeded } from "#app/modules/utilisation/short-breaks";
import { runAudited } from "#test/support/audited";
import { useTestDatabase } from "#test/support/database";
import { buildMarketWorld, type MarketWorld } from "#test/support/market";
import { contextOf } from "#test/support/tendering";

const { db } = await useTestDatabase();
let world: MarketWorld;
let truro: string;
let exeter: string;
const NOW = new Date("2027-03-20T09:00:00Z");
const run = <T>(work: (trx: Trx) => Promise<T>) => runAudited(db, work);
const book = (input: { contractId?: string; childReference: string; firstNight: string; lastNight: string; healthSharePercent?: number; overLimitReason?: string }) =>
  run((trx) => bookShortBreak(trx, { contractId: truro, healthSharePercent: 0, ...input }, contextOf(world.officer, NOW)));

beforeAll(async () => {
  world = await buildMarketWorld(db);
  await db.transaction().execute(async (trx) => {
    const ctx = contextOf(world.officer, NOW);
    const base = { agreementId: world.agreements.short_breaks.id, firstNight: "2027-04-01", lastNight: "2028-03-31" };
    truro = (await createShortBreakContract(trx, { ...base, reference: "SB-1", homeId: world.homes.truro, nightsPerYear: 200, nightlyPricePence: 20000 }, ctx)).contractId;
    exeter = (await createShortBreakContract(trx, { ...base, reference: "SB-2", homeId: world.homes.exeter, nightsPerYear: 100, nightlyPricePence: 15001 }, ctx)).contractId;
  });
}, 60_000);

describe("the reg. 48 limits", () => {
  it("lets a child have exactly 17 nights in a row unflagged", async () => {
    const { value, error } = await book({ childReference: "CH-8", firstNight: "2027-04-01", lastNight: "2027-04-17" });
    expect(error).toBeNull();
    expect(value!.exceeded).toEqual([]);
  });

  it("refuses an 18th night in a row, joined up across two bookings, until a reason is given, and then flags it", async () => {
    expect((await book({ childReference: "CH-9", firstNight: "2027-04-01", lastNight: "2027-04-10", healthSharePercent: 25 })).error).toBeNull();
    const refused = await book({ childReference: "CH-9", firstNight: "2027-04-11", lastNight: "2027-04-18", healthSharePercent: 25 });
    expect(refused.error).toBeInstanceOf(ShortBreakLimitsExceeded);
    expect((refused.error as ShortBreakLimitsExceeded).field).toBe("overLimitReason");
    expect(refused.error!.message).toContain("more than 17 nights in a row (18 in a row at most");
    expect(refused.events).toEqual([]);
    const saved = await book({ childReference: "CH-9", firstNight: "2027-04-11", lastNight: "2027-04-18", healthSharePercent: 25, overLimitReason: "Parent in hospital; agreed by the head of service" });
    expect(saved.value!.exceeded).toEqual(["nights_in_a_row"]);
    expect(saved.events).toHaveLength(1);
    expect(saved.events[0]!.reason).toBe("Parent in hospital; agreed by the head of service");
    const row = await db.selectFrom("short_break_booking").select(["limits_exceeded", "over_limit_reason"]).where("id", "=", saved.value!.bookingId).executeTakeFirstOrThrow();
    expect(row).toEqual({ limits_exceeded: ["nights_in_a_row"], over_limit_reason: "Parent in hospital; agreed by the head of service" });
  });

  it("allows 75 nights in 12 months and flags the 76th, counting bookings at any home", async () => {
    const ch7 = (firstNight: string, lastNight: string, contractId = truro) => book({ childReference: "CH-7", firstNight, lastNight, contractId, healthSharePercent: 50 });
    for (const month of ["05", "06", "07", "08"]) expect((await ch7(`2027-${month}-01`, `2027-${month}-15`)).error).toBeNull();
    expect((await ch7("2027-09-01", "2027-09-15", exeter)).value!.exceeded).toEqual([]);
    const refused = await ch7("2027-10-01", "2027-10-01");
    expect(refused.error).toBeInstanceOf(ShortBreakLimitsExceeded);
    expect(refused.error!.message).toContain("more than 75 nights in 12 months (1 in a row at most, 76 in 12 months at most)");
    // A night whose every 12-month window leaves out May's nights: 60 at most.
    const later = await run((trx) => checkShortBreakLimits(trx, { childReference: "CH-7", firstNight: "2028-05-16", lastNight: "2028-05-16" }));
    expect(later.value).toEqual({ longestRun: 1, mostIn12Months: 61, exceeded: [] });
    const flagged = await book({ childReference: "CH-7", firstNight: "2027-10-01", lastNight: "2027-10-01", healthSharePercent: 50, overLimitReason: "Agreed at the child's review" });
    expect(flagged.value!.exceeded).toEqual(["nights_in_12_months"]);
  });

  it("refuses a child booked twice on one night, and a share above 100%", async () => {
    const twice = await book({ childReference: "CH-8", firstNight: "2027-04-17", lastNight: "2027-04-17" });
    expect((twice.error as ActionRefused).field).toBe("firstNight");
    const share = await book({ childReference: "CH-6", firstNight: "2027-06-01", lastNight: "2027-06-01", healthSharePercent: 120 });
    expect((share.error as ActionRefused).field).toBe("healthSharePercent");
  });
});

describe("the short breaks report", () => {
  it("counts nights booked and used and splits cost between health and the council", async () => {
    // Cancelled: counts nothing.
    const cancelled = await book({ childReference: "CH-5", firstNight: "2027-05-20", lastNight: "2027-05-21" });
    await db.transaction().execute((trx) => cancelShortBreak(trx, { bookingId: cancelled.value!.bookingId, reason: "Family holiday" }, contextOf(world.officer, NOW)));
    const report = await shortBreakReport(db, { year: { from: "2027-04-01", to: "2028-03-31" }, tonight: "2027-04-05" });
    // Truro: CH-8 17 + CH-9 18 + CH-7 60 + 1 (March 2028) = 96 nights × £200; used before the 5th April: CH-8 4, CH-9 4.
    // Health: CH-9 25% of £3,600 = £900; CH-7 50% of 61 × £200 = £6,100.
    expect(report.contracts.find((c) => c.reference === "SB-1")).toMatchObject({ nightsPerYear: 200, bookedNights: 96, usedNights: 8, costPence: 1_920_000, healthPence: 700_000, councilPence: 1_220_000 });
    // Exeter: CH-7's 15 nights at 15,001p = 225,015p; half is 112,507.5p, rounded up to 112,508p.
    expect(report.contracts.find((c) => c.reference === "SB-2")).toMatchObject({ nightsPerYear: 100, bookedNights: 15, usedNights: 0, costPence: 225_015, healthPence: 112_508, councilPence: 112_507 });
    expect(report.total).toEqual({ nightsPerYear: 300, bookedNights: 111, usedNights: 8, costPence: 2_145_015, healthPence: 812_508, councilPence: 1_332_507 });
    expect(report.children.map((c) => [c.childReference, c.bookings, c.flaggedBookings, c.bookedNights, c.usedNights])).toEqual([
      ["CH-7", 6, 1, 76, 0],
      ["CH-8", 1, 0, 17, 4],
      ["CH-9", 2, 1, 18, 4],
    ]);
    expect(report.months.slice(0, 3)).toEqual([
      { month: "2027-04-01", bookedNights: 35, usedNights: 8 },
      { month: "2027-05-01", bookedNights: 15, usedNights: 0 },
      { month: "2027-06-01", bookedNights: 15, usedNights: 0 },
    ]);
    expect(report.months).toHaveLength(12);
    const csv = shortBreakCsv(report).split("\r\n");
    expect(csv[0]).toBe("Contract,Home,Contracted nights a year,Nights booked,Nights used,Cost £,Health £,Council £");
    expect(csv).toContain("All contracts,,300,111,8,21450.15,8125.08,13325.07");
    expect(csv).toContain("CH-9,2,1,18,4,3600.00,900.00,2700.00");
  });
});
