// The placements market's workflow pages' module side: a placement read back
// and ended (its bed, and so a vacancy, free from the day the child leaves),
// a bed record found and withdrawn (kept, no longer counted), a short break
// found and cancelled (kept, its nights no longer counted); and block beds
// filled by placements in the same beds of their homes, counted night by
// night with the stays recorded by hand, never twice (decision 024).
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { Trx } from "#app/database/schema";
import { ActionRefused } from "#app/modules/errors";
import { COUNCIL_ONLY, createPlacement, endPlacement, getPlacement } from "#app/modules/placements/placements";
import { correctOccupancy, createBlockContract, getBedRecord, listBedRecords, recordOccupancy, recordUnavailability, withdrawBedRecord } from "#app/modules/utilisation/block-beds";
import { bookShortBreak, cancelShortBreak, createShortBreakContract, getShortBreakBooking, listShortBreakBookings } from "#app/modules/utilisation/short-breaks";
import { currentVoids, utilisationFigures, utilisationFiguresFromRecords } from "#app/modules/utilisation/utilisation";
import { updateVacancies } from "#app/modules/vacancies/vacancies";
import { runAudited } from "#test/support/audited";
import { useTestDatabase } from "#test/support/database";
import { buildMarketWorld, type MarketWorld } from "#test/support/market";
import { contextOf } from "#test/support/tendering";

const { db } = await useTestDatabase();
let world: MarketWorld;
const NOW = new Date("2027-01-20T09:00:00Z");
const LINKS = { baseUrl: "http://portal.test" };
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

    const ended = await run((trx) => endPlacement(trx, { placementId: placed.placementId, endOn: "2027-03-01", reason: "Planned move to foster care" }, officer, LINKS));
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

    const again = await run((trx) => endPlacement(trx, { placementId: placed.placementId, endOn: "2027-03-05", reason: "Again" }, officer, LINKS));
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

  it("corrects a stay as a new record, the wrong one withdrawn with the reason; a correction refused leaves the stay as it was", async () => {
    const officer = contextOf(world.officer, NOW);
    const { bedIds, stayId } = await db.transaction().execute(async (trx) => {
      const contract = await createBlockContract(
        trx,
        {
          reference: "BLK-C",
          title: "Corrections",
          agreementId: world.agreements.residential_block.id,
          providerId: world.providerB.organisationId,
          firstNight: "2027-02-01",
          lastNight: "2027-02-28",
          beds: [
            { homeId: world.homes.newtonAbbot, label: "Bed 1", weeklyPricePence: 7000 },
            { homeId: world.homes.newtonAbbot, label: "Bed 2", weeklyPricePence: 7000 },
          ],
        },
        officer,
      );
      const stay = await recordOccupancy(trx, { bedId: contract.bedIds[0]!, childReference: "CH-C1", firstNight: "2027-02-03", lastNight: "2027-02-09" }, officer);
      await recordOccupancy(trx, { bedId: contract.bedIds[1]!, childReference: "CH-C2", firstNight: "2027-02-01", lastNight: "2027-02-20" }, officer);
      return { ...contract, stayId: stay.occupancyId };
    });
    // Into bed 2 on nights CH-C2 holds: refused, and the stay in bed 1 is still in force.
    const refused = await run((trx) => correctOccupancy(trx, { occupancyId: stayId, bedId: bedIds[1]!, childReference: "CH-C1", firstNight: "2027-02-03", lastNight: "2027-02-09", reason: "Wrong bed" }, officer));
    expect(refused.error).toBeInstanceOf(ActionRefused);
    expect(await db.selectFrom("bed_occupancy").select("withdrawn_at").where("id", "=", stayId).executeTakeFirstOrThrow()).toEqual({ withdrawn_at: null });
    const corrected = await run((trx) => correctOccupancy(trx, { occupancyId: stayId, bedId: bedIds[0]!, childReference: "CH-C1", firstNight: "2027-02-02", lastNight: null, reason: "Arrived a night earlier and is still there" }, officer));
    expect(corrected.error).toBeNull();
    expect(corrected.events.map((e) => e.action)).toEqual(["bed_occupancy.withdrawn", "bed_occupancy.recorded"]);
    const rows = await db.selectFrom("bed_occupancy").select(["id", "withdraw_reason", sql<string>`nights::text`.as("nights")]).where("bed_id", "=", bedIds[0]!).orderBy("recorded_at").orderBy("id").execute();
    expect(rows.map((r) => [r.withdraw_reason, r.nights]).sort()).toEqual([
      ["Arrived a night earlier and is still there", "[2027-02-03,2027-02-10)"],
      [null, "[2027-02-02,)"],
    ].sort());
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

describe("block beds filled by placements", () => {
  it("counts a placement in a block bed's home bed as occupied, beside the stays recorded by hand and never on the same night", async () => {
    const officer = contextOf(world.officer, NOW);
    const lotId = world.agreements.residential_framework.lotIds[0]!;
    const place = (childReference: string, startOn: string, endOn: string | null) =>
      run((trx) =>
        createPlacement(trx, { childReference, homeId: world.homes.exeter, lotId, childDistrict: "EX4", startOn, endOn, endReason: endOn ? "Planned move" : null, weeklyFeePence: 500_000, funding: COUNCIL_ONLY }, officer),
      );
    // Exeter has 3 places; the contract holds two of them for March 2027 (31 nights each): homes' beds 1 and 2.
    const { contractId, bedIds } = await db.transaction().execute((trx) =>
      createBlockContract(
        trx,
        {
          reference: "BLK-P",
          title: "Placed block beds",
          agreementId: world.agreements.residential_block.id,
          providerId: world.providerA.organisationId,
          firstNight: "2027-03-01",
          lastNight: "2027-03-31",
          beds: [
            { homeId: world.homes.exeter, label: "Bed A", weeklyPricePence: 7000 },
            { homeId: world.homes.exeter, label: "Bed B", weeklyPricePence: 7000 },
          ],
        },
        officer,
      ),
    );
    const [bedA, bedB] = bedIds as [string, string];
    expect((await db.selectFrom("block_bed").select("bed_number").where("id", "in", bedIds).orderBy("label").execute()).map((b) => b.bed_number)).toEqual([1, 2]);

    // P1 from 20 February, no end yet: bed 1 (A). P3 from 1 March, leaving 5 March: bed 2 (B), nights 1 to 4 March.
    // P4 from 1 March, leaving 10 March: bed 3, no block bed, not counted.
    const p1 = await place("CH-BLKP01", "2027-02-20", null);
    expect(p1.value?.bedNumber).toBe(1);
    expect((await place("CH-BLKP03", "2027-03-01", "2027-03-05")).value?.bedNumber).toBe(2);
    expect((await place("CH-BLKP04", "2027-03-01", "2027-03-10")).value?.bedNumber).toBe(3);

    // A child recorded by hand in bed A while P1 is there is refused: those nights are occupied already.
    const twice = await run((trx) => recordOccupancy(trx, { bedId: bedA, childReference: "CH-HAND1", firstNight: "2027-03-05", lastNight: "2027-03-06" }, officer));
    expect(twice.error).toBeInstanceOf(ActionRefused);
    expect(twice.error?.message).toMatch(/CH-BLKP01 placed in it through the portal from 5 March 2027/);

    // Still there: shown without a last night, though its nights are counted only to the bed's.
    expect((await listBedRecords(db, contractId)).find((r) => r.detail === "CH-BLKP01")).toMatchObject({ kind: "placed", firstNight: "2027-03-01", lastNight: null });

    // P1 ends: the child leaves on 11 March, last night 10 March; A is then filled by hand for the nights of 20 to 25 March.
    await run((trx) => endPlacement(trx, { placementId: p1.value!.placementId, endOn: "2027-03-11", reason: "Returned home" }, officer, LINKS));
    expect((await run((trx) => recordOccupancy(trx, { bedId: bedA, childReference: "CH-HAND1", firstNight: "2027-03-20", lastNight: "2027-03-25" }, officer))).error).toBeNull();

    // P2 from 15 March, leaving 30 March: bed 1 has the child recorded by hand on some of those nights, so bed 2 (B), nights 15 to 29 March.
    expect((await place("CH-BLKP02", "2027-03-15", "2027-03-30")).value?.bedNumber).toBe(2);

    // A: 1-10 March (P1, 10 nights) + 20-25 March (by hand, 6) = 16. B: 1-4 March (P3, 4) + 15-29 March (P2, 15) = 19.
    const rows = await utilisationFigures(db, { contractIds: [contractId], period: { from: "2027-03-01", to: "2027-03-31" }, by: "month" });
    const total = rows.find((r) => r.contractId === contractId && r.periodStart === null)!;
    expect(total).toMatchObject({ contractedNights: 62, occupiedNights: 35, unavailableNights: 0, voidNights: 27, utilisationPercent: 56.5 });
    // The figures kept by the database's triggers (migration 0020) count the placements too: the same as cutting the records.
    for (const by of ["week", "month"] as const) {
      for (const period of [{ from: "2027-03-01", to: "2027-03-31" }, { from: "2027-02-01", to: "2027-04-30" }, { from: "2027-03-03", to: "2027-03-17" }]) {
        expect(await utilisationFigures(db, { contractIds: [contractId], period, by }), `${period.from} to ${period.to} by ${by}`).toEqual(
          await utilisationFiguresFromRecords(db, { contractIds: [contractId], period, by }),
        );
      }
    }

    // Tonight, 8 March: A holds P1's child; B has been empty since P3's child left on 5 March, until P2 on 15 March.
    expect(await currentVoids(db, { contractIds: [contractId], tonight: "2027-03-08" })).toEqual([
      expect.objectContaining({ bedId: bedB, voidSince: "2027-03-05", nextRecordFrom: "2027-03-15", voidNightsSoFar: 4 }),
    ]);

    // The contract's records show the placements with the stays, the placements' nights cut to the bed's.
    const records = await listBedRecords(db, contractId);
    expect(records.map((r) => [r.bedLabel, r.kind, r.detail, r.firstNight, r.lastNight])).toEqual([
      ["Bed A", "occupied", "CH-HAND1", "2027-03-20", "2027-03-25"],
      ["Bed B", "placed", "CH-BLKP02", "2027-03-15", "2027-03-29"],
      ["Bed A", "placed", "CH-BLKP01", "2027-03-01", "2027-03-10"],
      ["Bed B", "placed", "CH-BLKP03", "2027-03-01", "2027-03-04"],
    ]);
  });

  it("never gives two block beds the same bed of a home on the same night, and leaves a block bed beyond the home's places to records by hand", async () => {
    const officer = contextOf(world.officer, NOW);
    // Truro has 2 places: a contract of three beds there numbers two of them; the third is filled only by hand.
    const { bedIds } = await db.transaction().execute((trx) =>
      createBlockContract(
        trx,
        {
          reference: "BLK-T",
          title: "More beds than places",
          agreementId: world.agreements.residential_block.id,
          providerId: world.providerA.organisationId,
          firstNight: "2028-01-01",
          lastNight: "2028-01-31",
          beds: ["Bed 1", "Bed 2", "Bed 3"].map((label) => ({ homeId: world.homes.truro, label, weeklyPricePence: 7000 })),
        },
        officer,
      ),
    );
    const numbers = await db.selectFrom("block_bed").select(["id", "bed_number"]).where("id", "in", bedIds).execute();
    expect(bedIds.map((id) => numbers.find((n) => n.id === id)?.bed_number)).toEqual([1, 2, null]);
    await expect(sql`INSERT INTO block_bed (contract_id, home_id, label, bed_number, nights, weekly_price_pence, created_at)
                     SELECT contract_id, home_id, 'Bed 4', 1, '[2028-01-10,2028-01-12)', 7000, now() FROM block_bed WHERE id = ${bedIds[0]!}`.execute(db)).rejects.toMatchObject({
      constraint: "block_bed_one_home_bed",
    });
  });
});
