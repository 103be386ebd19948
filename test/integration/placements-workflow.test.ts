// The placements market's workflow pages' module side: a placement read back
// and ended (its bed, and so a vacancy, free from the day the child leaves),
// a bed record found and withdrawn (kept, no longer counted), a short break
// found and cancelled (kept, its nights no longer counted).
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { Trx } from "#app/database/schema";
import { COUNCIL_ONLY, createPlacement, endPlacement, getPlacement } from "#app/modules/placements/placements";
import { createBlockContract, getBedRecord, recordOccupancy, recordUnavailability, withdrawBedRecord } from "#app/modules/utilisation/block-beds";
import { bookShortBreak, cancelShortBreak, createShortBreakContract, getShortBreakBooking, listShortBreakBookings } from "#app/modules/utilisation/short-breaks";
import { updateVacancies } from "#app/modules/vacancies/vacancies";
import { runAudited } from "#test/support/audited";
import { useTestDatabase } from "#test/support/database";
import { buildMarketWorld, type MarketWorld } from "#test/support/market";
import { contextOf } from "#test/support/tendering";

const { db } = await useTestDatabase();
let world: MarketWorld;
const NOW = new Date("2027-01-20T09:00:00Z");
const run = <T>(work: (trx: Trx) => Promise<T>) => runAudited(db, work);

beforeAll(async () => {
  world = await buildMarketWorld(db);
}, 60_000);

describe("ending a placement", () => {
  it("reads the placement back, ends it once with its reason, and lets the provider offer the bed from the day the child leaves", async () => {
    const officer = contextOf(world.officer, NOW);
    const lotId = world.agreements.residential_framework.lotIds[0]!;
    // Truro has 2 places: both taken from 10 January, so no vacancy can be offered for 1 March.
    const placed = await db.transaction().execute(async (trx) => {
      const one = await createPlacement(trx, { childReference: "CH-WKF001", homeId: world.homes.truro, lotId, childDistrict: "TR1", startOn: "2027-01-10", weeklyFeePence: 480_000, funding: COUNCIL_ONLY }, officer);
      await createPlacement(trx, { childReference: "CH-WKF002", homeId: world.homes.truro, lotId, childDistrict: "TR1", startOn: "2027-01-10", weeklyFeePence: 480_000, funding: COUNCIL_ONLY }, officer);
      return one;
    });
    const view = await getPlacement(db, placed.placementId);
    expect(view).toMatchObject({ childReference: "CH-WKF001", councilId: world.councilId, bedNumber: 1, endOn: null, weeklyFeePence: 480_000 });
    expect(await getPlacement(db, "not-an-id")).toBeNull();

    const provider = contextOf(world.providerA, NOW);
    const vacancy = await db.selectFrom("vacancy").select("version").where("home_id", "=", world.homes.truro).executeTakeFirst();
    const offer = (version: number) =>
      db.transaction().execute((trx) =>
        updateVacancies(trx, { changes: [{ homeId: world.homes.truro, expectedVersion: version, bedsFreeNow: 0, bedsFreeFrom: { on: "2027-03-01", beds: 1 }, needs: [] }] }, provider),
      );
    const before = await offer(vacancy?.version ?? 0);
    expect(before.saved).toEqual([]);
    expect(before.refused[0]?.field).toBe("bedsFreeFrom");

    const ended = await run((trx) => endPlacement(trx, { placementId: placed.placementId, endOn: "2027-03-01", reason: "Planned move to foster care" }, officer));
    expect(ended.error).toBeNull();
    expect(ended.events).toEqual([expect.objectContaining({ action: "placement.ended", reason: "Planned move to foster care" })]);
    expect(await getPlacement(db, placed.placementId)).toMatchObject({ endOn: "2027-03-01", endReason: "Planned move to foster care" });
    // The child's last night is 28 February: the bed is taken that night and free the next.
    const taken = await sql<{ last: number; leaving: number }>`
      SELECT home_beds_taken(${world.homes.truro}, '2027-02-28') AS last, home_beds_taken(${world.homes.truro}, '2027-03-01') AS leaving`.execute(db);
    expect(taken.rows[0]).toEqual({ last: 2, leaving: 1 });
    const after = await offer(vacancy?.version ?? 0);
    expect(after.refused).toEqual([]);
    expect(after.saved).toHaveLength(1);

    const again = await run((trx) => endPlacement(trx, { placementId: placed.placementId, endOn: "2027-03-05", reason: "Again" }, officer));
    expect(again.error?.message).toMatch(/already ended on 1 March 2027/);
  });
});

describe("withdrawing a bed record and cancelling a short break", () => {
  it("finds a record in force of its own contract only, and after withdrawal no longer finds it, though the row is kept", async () => {
    const officer = contextOf(world.officer, NOW);
    const { contractId, bedIds, stay, spell } = await db.transaction().execute(async (trx) => {
      const contract = await createBlockContract(
        trx,
        {
          reference: "BLK-W",
          title: "Withdrawals",
          agreementId: world.agreements.residential_block.id,
          providerId: world.providerA.organisationId,
          firstNight: "2027-02-01",
          lastNight: "2027-02-28",
          beds: [{ homeId: world.homes.plymouth, label: "Bed 1", weeklyPricePence: 7000 }],
        },
        officer,
      );
      const stay = await recordOccupancy(trx, { bedId: contract.bedIds[0]!, childReference: "CH-W1", firstNight: "2027-02-02", lastNight: "2027-02-05" }, officer);
      const spell = await recordUnavailability(trx, { bedId: contract.bedIds[0]!, firstNight: "2027-02-10", lastNight: "2027-02-10", reason: "Broken window" }, officer);
      return { ...contract, stay, spell };
    });
    expect(await getBedRecord(db, contractId, "occupied", stay.occupancyId)).toEqual({
      id: stay.occupancyId,
      kind: "occupied",
      bedLabel: "Bed 1",
      homeName: expect.stringMatching(/^Sutton View/),
      providerId: world.providerA.organisationId,
      firstNight: "2027-02-02",
      lastNight: "2027-02-05",
      detail: "CH-W1",
    });
    expect(await getBedRecord(db, contractId, "unavailable", spell.unavailabilityId)).toMatchObject({ kind: "unavailable", firstNight: "2027-02-10", lastNight: "2027-02-10", detail: "Broken window" });
    // The wrong kind, or another contract, finds nothing.
    expect(await getBedRecord(db, contractId, "unavailable", stay.occupancyId)).toBeNull();
    expect(await getBedRecord(db, world.agreements.residential_block.id, "occupied", stay.occupancyId)).toBeNull();

    const withdrawn = await run((trx) => withdrawBedRecord(trx, { kind: "occupied", recordId: stay.occupancyId, reason: "Wrong bed" }, officer));
    expect(withdrawn.events.map((e) => e.action)).toEqual(["bed_occupancy.withdrawn"]);
    expect(await getBedRecord(db, contractId, "occupied", stay.occupancyId)).toBeNull();
    const kept = await db.selectFrom("bed_occupancy").select(["withdraw_reason", "bed_id"]).where("id", "=", stay.occupancyId).executeTakeFirstOrThrow();
    expect(kept).toEqual({ withdraw_reason: "Wrong bed", bed_id: bedIds[0] });
  });

  it("finds a booking until it is cancelled; the cancelled booking is kept with its reason and leaves the list", async () => {
    const officer = contextOf(world.officer, NOW);
    const { bookingId } = await db.transaction().execute(async (trx) => {
      const { contractId } = await createShortBreakContract(
        trx,
        { reference: "SB-W", agreementId: world.agreements.short_breaks.id, homeId: world.homes.exeter, firstNight: "2027-04-01", lastNight: "2028-03-31", nightsPerYear: 100, nightlyPricePence: 20000 },
        officer,
      );
      return bookShortBreak(trx, { contractId, childReference: "SB-W1", firstNight: "2027-05-07", lastNight: "2027-05-09", healthSharePercent: 25 }, officer);
    });
    expect(await getShortBreakBooking(db, bookingId)).toMatchObject({ childReference: "SB-W1", firstNight: "2027-05-07", lastNight: "2027-05-09", healthSharePercent: 25 });
    const year = { from: "2027-04-01", to: "2028-03-31" };
    expect((await listShortBreakBookings(db, { year })).map((b) => b.id)).toContain(bookingId);
    const cancelled = await run((trx) => cancelShortBreak(trx, { bookingId, reason: "The family cancelled" }, officer));
    expect(cancelled.events).toEqual([expect.objectContaining({ action: "short_break.cancelled", reason: "The family cancelled" })]);
    expect(await getShortBreakBooking(db, bookingId)).toBeNull();
    expect((await listShortBreakBookings(db, { year })).map((b) => b.id)).not.toContain(bookingId);
    expect(await db.selectFrom("short_break_booking").select("cancel_reason").where("id", "=", bookingId).executeTakeFirstOrThrow()).toEqual({ cancel_reason: "The family cancelled" });
  });
});
