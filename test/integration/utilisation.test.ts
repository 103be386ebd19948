import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { Trx } from "#app/database/schema";
import { verifyAuditTrail } from "#app/modules/audit/verify";
import { ActionRefused, RecordNotFound } from "#app/modules/errors";
import { systemContext } from "#app/modules/identity/actor";
import { createBlockContract, endOccupancy, recordOccupancy, recordUnavailability, withdrawBedRecord } from "#app/modules/utilisation/block-beds";
import { checkUtilisationAlerts, currentVoids, openAlerts, utilisationCsv, utilisationFigures } from "#app/modules/utilisation/utilisation";
import { runAudited } from "#test/support/audited";
import { useTestDatabase } from "#test/support/database";
import { buildMarketWorld, type MarketWorld } from "#test/support/market";
import { contextOf } from "#test/support/tendering";

const { db } = await useTestDatabase();
let world: MarketWorld;
/** Contract 1: bed A (Exeter, 25 January to 31 March 2027, £70 a week: £10 a night) and bed B (Exeter, February only, £10 a week: 143p a night). */
let one: { contractId: string; bedIds: string[] };
/** Contract 2: one bed in Plymouth, 1 to 7 February 2027, £7 a week. */
let two: { contractId: string; bedIds: string[] };
let occupancyToWithdraw: string;

const NOW = new Date("2027-01-20T09:00:00Z");
const run = <T>(work: (trx: Trx) => Promise<T>) => runAudited(db, work);

beforeAll(async () => {
  world = await buildMarketWorld(db);
  const officer = contextOf(world.officer, NOW);
  await db.transaction().execute(async (trx) => {
    one = await createBlockContract(
      trx,
      {
        reference: "BLK-1",
        title: "Exeter block beds",
        agreementId: world.agreements.residential_block.id,
        lotId: world.agreements.residential_block.lotIds[0],
        providerId: world.providerA.organisationId,
        firstNight: "2027-01-25",
        lastNight: "2027-03-31",
        utilisationTargetPercent: 70,
        beds: [
          { homeId: world.homes.exeter, label: "Bed A", weeklyPricePence: 7000 },
          { homeId: world.homes.exeter, label: "Bed B", firstNight: "2027-02-01", lastNight: "2027-02-28", weeklyPricePence: 1000 },
        ],
      },
      officer,
    );
    two = await createBlockContract(
      trx,
      {
        reference: "BLK-2",
        title: "Plymouth block bed",
        agreementId: world.agreements.residential_block.id,
        providerId: world.providerA.organisationId,
        firstNight: "2027-02-01",
        lastNight: "2027-02-07",
        beds: [{ homeId: world.homes.plymouth, label: "Bed 1", weeklyPricePence: 700 }],
      },
      officer,
    );
    const [bedA, bedB] = one.bedIds as [string, string];
    // Across the month boundary: the nights of 30 and 31 January and 1 and 2 February.
    await recordOccupancy(trx, { bedId: bedA, childReference: "ch-1", firstNight: "2027-01-30", lastNight: "2027-02-02" }, officer);
    await recordUnavailability(trx, { bedId: bedA, firstNight: "2027-02-10", lastNight: "2027-02-12", reason: "Fire damage in the bedroom" }, contextOf(world.providerA, NOW));
    // Recorded in error and withdrawn: its nights are void.
    occupancyToWithdraw = (await recordOccupancy(trx, { bedId: bedA, childReference: "CH-9", firstNight: "2027-02-15", lastNight: "2027-02-16" }, officer)).occupancyId;
    await withdrawBedRecord(trx, { kind: "occupied", recordId: occupancyToWithdraw, reason: "Wrong bed" }, officer);
    // Still there: open-ended, counted to the bed's last night (28 February).
    await recordOccupancy(trx, { bedId: bedB, childReference: "CH-2", firstNight: "2027-02-20" }, officer);
    // Unavailable while occupied: those nights count as occupied.
    await recordUnavailability(trx, { bedId: bedB, firstNight: "2027-02-25", lastNight: "2027-02-26", reason: "Boiler repair" }, officer);
    await recordOccupancy(trx, { bedId: two.bedIds[0]!, childReference: "CH-3", firstNight: "2027-02-01", lastNight: "2027-02-07" }, officer);
  });
}, 60_000);

const figure = (rows: Awaited<ReturnType<typeof utilisationFigures>>, contractId: string | null, periodStart: string | null) => {
  const row = rows.find((r) => r.contractId === contractId && r.periodStart === periodStart);
  if (!row) throw new Error(`no row for ${contractId} ${periodStart}`);
  const { contractId: _c, periodStart: _p, ...figures } = row;
  return figures;
};

describe("utilisation of block beds, counted by hand", () => {
  it("splits a contract's nights by month into occupied, void and unavailable, across month ends and the clock change", async () => {
    const rows = await utilisationFigures(db, { contractIds: [one.contractId], period: { from: "2027-01-01", to: "2027-03-31" }, by: "month" });
    // January: bed A's 7 nights (25-31), 2 occupied (30, 31), 5 void at £10.
    expect(figure(rows, one.contractId, "2027-01-01")).toEqual({ contractedNights: 7, occupiedNights: 2, unavailableNights: 0, voidNights: 5, utilisationPercent: 28.6, voidCostPence: 5000 });
    // February: A 28 + B 28; occupied A 1-2, B 20-28 (9, the unavailable 25-26 included); unavailable A 10-12;
    // void A 23 × 1000p + B 19 × 143p = 25,717p.
    expect(figure(rows, one.contractId, "2027-02-01")).toEqual({ contractedNights: 56, occupiedNights: 11, unavailableNights: 3, voidNights: 42, utilisationPercent: 19.6, voidCostPence: 25717 });
    // March (the clocks go forward on the 28th; nights are dates, so still 31): all void.
    expect(figure(rows, one.contractId, "2027-03-01")).toEqual({ contractedNights: 31, occupiedNights: 0, unavailableNights: 0, voidNights: 31, utilisationPercent: 0, voidCostPence: 31000 });
    expect(figure(rows, one.contractId, null)).toEqual({ contractedNights: 94, occupiedNights: 13, unavailableNights: 3, voidNights: 78, utilisationPercent: 13.8, voidCostPence: 61717 });
  });

  it("adds contracts together, and counts by week from Monday", async () => {
    const months = await utilisationFigures(db, { period: { from: "2027-01-01", to: "2027-03-31" }, by: "month" });
    expect(figure(months, two.contractId, null)).toEqual({ contractedNights: 7, occupiedNights: 7, unavailableNights: 0, voidNights: 0, utilisationPercent: 100, voidCostPence: 0 });
    expect(figure(months, null, "2027-02-01")).toEqual({ contractedNights: 63, occupiedNights: 18, unavailableNights: 3, voidNights: 42, utilisationPercent: 28.6, voidCostPence: 25717 });
    expect(figure(months, null, null)).toEqual({ contractedNights: 101, occupiedNights: 20, unavailableNights: 3, voidNights: 78, utilisationPercent: 19.8, voidCostPence: 61717 });
    const weeks = await utilisationFigures(db, { contractIds: [one.contractId], period: { from: "2027-01-25", to: "2027-02-14" }, by: "week" });
    expect(weeks.filter((r) => r.contractId === one.contractId && r.periodStart).map((r) => [r.periodStart, r.contractedNights, r.occupiedNights, r.unavailableNights, r.voidNights])).toEqual([
      ["2027-01-25", 7, 2, 0, 5],
      ["2027-02-01", 14, 2, 0, 12],
      ["2027-02-08", 14, 0, 3, 11],
    ]);
  });

  it("clips the figures to the period asked for", async () => {
    const rows = await utilisationFigures(db, { contractIds: [one.contractId], period: { from: "2027-02-02", to: "2027-02-11" }, by: "month" });
    // A: 10 nights, occupied the 2nd, unavailable 10-11; B: 10 nights, all void.
    expect(figure(rows, one.contractId, null)).toMatchObject({ contractedNights: 20, occupiedNights: 1, unavailableNights: 2, voidNights: 17 });
  });

  it("lists tonight's void beds with the night they fell empty", async () => {
    const voids = await currentVoids(db, { tonight: "2027-02-22" });
    expect(voids.map((v) => [v.contractReference, v.bedLabel, v.voidSince, v.voidNightsSoFar, v.nextRecordFrom])).toEqual([["BLK-1", "Bed A", "2027-02-13", 10, null]]);
  });
});

describe("recording bed nights", () => {
  it("refuses a second child in a bed on the same night, beside the first night", async () => {
    const { error, events } = await run((trx) => recordOccupancy(trx, { bedId: one.bedIds[0]!, childReference: "CH-5", firstNight: "2027-02-02", lastNight: "2027-02-03" }, contextOf(world.officer, NOW)));
    expect(error).toBeInstanceOf(ActionRefused);
    expect((error as ActionRefused).field).toBe("firstNight");
    expect(error!.message).toContain("already has a child");
    expect(events).toEqual([]);
  });

  it("refuses nights outside the bed's contracted period, and a last night before the first", async () => {
    const outside = await run((trx) => recordUnavailability(trx, { bedId: one.bedIds[1]!, firstNight: "2027-02-27", lastNight: "2027-03-02", reason: "Leak" }, contextOf(world.officer, NOW)));
    expect((outside.error as ActionRefused).field).toBe("lastNight");
    const backwards = await run((trx) => recordUnavailability(trx, { bedId: one.bedIds[0]!, firstNight: "2027-03-05", lastNight: "2027-03-02", reason: "Leak" }, contextOf(world.officer, NOW)));
    expect((backwards.error as ActionRefused).field).toBe("lastNight");
  });

  it("lets no other provider record a bed as unavailable: the bed is not found", async () => {
    const { error, events } = await run((trx) => recordUnavailability(trx, { bedId: one.bedIds[0]!, firstNight: "2027-03-05", lastNight: "2027-03-06", reason: "Leak" }, contextOf(world.providerB, NOW)));
    expect(error).toBeInstanceOf(RecordNotFound);
    expect(events).toEqual([]);
  });

  it("gives an open stay its last night once, audited", async () => {
    const stay = await db.selectFrom("bed_occupancy").select("id").where("child_reference", "=", "CH-2").executeTakeFirstOrThrow();
    const before = await utilisationFigures(db, { contractIds: [one.contractId], period: { from: "2027-02-01", to: "2027-02-28" }, by: "month" });
    expect(figure(before, one.contractId, null).occupiedNights).toBe(11);
    // Not saved: the transaction is rolled back after checking.
    await expect(
      db.transaction().execute(async (trx) => {
        await endOccupancy(trx, { occupancyId: stay.id, lastNight: "2027-02-21" }, contextOf(world.officer, NOW));
        const after = await utilisationFigures(trx, { contractIds: [one.contractId], period: { from: "2027-02-01", to: "2027-02-28" }, by: "month" });
        // B occupied 20-21 only; 25-26 now count as unavailable.
        expect(figure(after, one.contractId, null)).toMatchObject({ occupiedNights: 4, unavailableNights: 5 });
        await expect(endOccupancy(trx, { occupancyId: stay.id, lastNight: "2027-02-22" }, contextOf(world.officer, NOW))).rejects.toThrow("already has its last night");
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
  });

  it("keeps withdrawn records and refuses deleting them, even to the runtime login", async () => {
    const withdrawn = await db.selectFrom("bed_occupancy").select(["withdraw_reason"]).where("id", "=", occupancyToWithdraw).executeTakeFirstOrThrow();
    expect(withdrawn.withdraw_reason).toBe("Wrong bed");
    await expect(db.deleteFrom("bed_occupancy").where("id", "=", occupancyToWithdraw).execute()).rejects.toThrow(/permission denied/);
    await expect(sql`UPDATE bed_occupancy SET child_reference = 'CH-0' WHERE id = ${occupancyToWithdraw}`.execute(db)).rejects.toThrow(/withdrawn with a reason/);
  });
});

describe("the utilisation alert", () => {
  const emailsTo = async (address: string) =>
    (await db.selectFrom("outbox_email").select(["subject", "text"]).where("template", "=", "utilisation_alert").where("to_address", "=", address).execute());

  it("emails the contract's officers once per breach, ends when utilisation is back, and alerts again on a new breach", async () => {
    // Window: the nights of 10 February to 9 March. A 28 (3 unavailable, 0 occupied) + B 19 (9 occupied): 9/47 = 19.1%, below 70%.
    const first = await run((trx) => checkUtilisationAlerts(trx, { baseUrl: "http://portal.test" }, systemContext("test", new Date("2027-03-10T09:00:00Z"))));
    expect(first.value).toEqual({ raised: 1, ended: 0, emails: 1 });
    expect(first.events.map((e) => e.action)).toEqual(["block_contract.utilisation_alert_raised"]);
    const alerts = await openAlerts(db);
    expect(alerts).toMatchObject([{ contractReference: "BLK-1", utilisationPercent: 19.1, targetPercent: 70, window: { from: "2027-02-10", to: "2027-03-09" } }]);
    const [email] = await emailsTo(world.officer.email);
    expect(email!.subject).toBe("Block beds under-used: BLK-1 at 19.1% against a 70% target");
    expect(email!.text).toContain("35 nights were void (paid for and empty), costing £264.30");
    expect(email!.text).toContain(`http://portal.test/utilisation/${one.contractId}`);
    // The other council's officer is not told.
    expect(await emailsTo(world.otherCouncilOfficer.email)).toEqual([]);

    // Still below the next day: nothing more.
    const again = await run((trx) => checkUtilisationAlerts(trx, { baseUrl: "http://portal.test" }, systemContext("test", new Date("2027-03-11T09:00:00Z"))));
    expect(again.value).toEqual({ raised: 0, ended: 0, emails: 0 });
    expect(again.events).toEqual([]);
    expect(await emailsTo(world.officer.email)).toHaveLength(1);

    // A child fills bed A from 13 February: A 25 occupied of 28, B 9 of 19: 34/47 = 72.3%, back above 70%.
    const filled = await db.transaction().execute((trx) => recordOccupancy(trx, { bedId: one.bedIds[0]!, childReference: "CH-4", firstNight: "2027-02-13", lastNight: "2027-03-31" }, contextOf(world.officer, NOW)));
    const back = await run((trx) => checkUtilisationAlerts(trx, { baseUrl: "http://portal.test" }, systemContext("test", new Date("2027-03-10T10:00:00Z"))));
    expect(back.value).toEqual({ raised: 0, ended: 1, emails: 0 });
    expect(await openAlerts(db)).toEqual([]);

    // Withdrawn again: a new breach, a new email.
    await db.transaction().execute((trx) => withdrawBedRecord(trx, { kind: "occupied", recordId: filled.occupancyId, reason: "Placement did not go ahead" }, contextOf(world.officer, NOW)));
    const newBreach = await run((trx) => checkUtilisationAlerts(trx, { baseUrl: "http://portal.test" }, systemContext("test", new Date("2027-03-10T11:00:00Z"))));
    expect(newBreach.value).toEqual({ raised: 1, ended: 0, emails: 1 });
    expect(await emailsTo(world.officer.email)).toHaveLength(2);
    expect(await db.selectFrom("block_contract_alert").select("id").execute()).toHaveLength(2);
  });
});

describe("the CSV export", () => {
  it("gives one row per contract and month with totals, in pounds", async () => {
    const rows = await utilisationFigures(db, { contractIds: [two.contractId], period: { from: "2027-02-01", to: "2027-02-28" }, by: "month" });
    const csv = utilisationCsv(rows, new Map([[two.contractId, "BLK-2"]]));
    expect(csv.split("\r\n")).toEqual([
      "Contract,Period starting,Contracted nights,Occupied nights,Void nights,Unavailable nights,Utilisation %,Void cost £",
      "All contracts,Whole period,7,7,0,0,100.0,0.00",
      "All contracts,2027-02-01,7,7,0,0,100.0,0.00",
      "BLK-2,Whole period,7,7,0,0,100.0,0.00",
      "BLK-2,2027-02-01,7,7,0,0,100.0,0.00",
      "",
    ]);
  });

  it("leaves the audit trail verifiable", async () => {
    expect((await verifyAuditTrail(db, { publicKey: null })).ok).toBe(true);
  });
});
