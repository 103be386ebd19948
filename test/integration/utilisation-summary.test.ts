// The block bed figures kept by triggers (migration 0020, decision 025) must
// be exactly what cutting the bed records gives, whatever is recorded,
// withdrawn or ended, for any period and by week or month; and the portal's
// login may read them but never write them.
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { addDaysToDay } from "#app/modules/tendering/timeline";
import { createBlockContract, endOccupancy, listBlockBeds, recordOccupancy, recordUnavailability, withdrawBedRecord } from "#app/modules/utilisation/block-beds";
import { utilisationFigures, utilisationFiguresFromRecords, type Granularity, type NightPeriod } from "#app/modules/utilisation/utilisation";
import { SeededRandom } from "#db/seed/random";
import { useTestDatabase } from "#test/support/database";
import { buildMarketWorld, type MarketWorld } from "#test/support/market";
import { contextOf } from "#test/support/tendering";

const { db } = await useTestDatabase();
let world: MarketWorld;
const contracts: { contractId: string; bedIds: string[] }[] = [];
const NOW = new Date("2027-06-01T09:00:00Z");
const FIRST = "2026-11-17";
const LAST = "2027-05-12";

const PERIODS: NightPeriod[] = [
  { from: FIRST, to: LAST },
  { from: "2026-12-01", to: "2027-04-30" },
  { from: "2026-12-07", to: "2027-03-14" },
  { from: "2027-01-13", to: "2027-01-21" },
  { from: "2027-02-01", to: "2027-02-28" },
  { from: "2026-01-01", to: "2028-12-31" },
];

async function expectSame(label: string) {
  for (const period of PERIODS) {
    for (const by of ["week", "month"] as Granularity[]) {
      const kept = await utilisationFigures(db, { period, by });
      const counted = await utilisationFiguresFromRecords(db, { period, by });
      expect(kept, `${label}: ${period.from} to ${period.to} by ${by}`).toEqual(counted);
      const one = [contracts[1]!.contractId];
      expect(await utilisationFigures(db, { contractIds: one, period, by })).toEqual(await utilisationFiguresFromRecords(db, { contractIds: one, period, by }));
    }
  }
}

beforeAll(async () => {
  world = await buildMarketWorld(db);
  const officer = contextOf(world.officer, NOW);
  await db.transaction().execute(async (trx) => {
    for (let c = 1; c <= 3; c++) {
      contracts.push(
        await createBlockContract(
          trx,
          {
            reference: `SUM-${c}`,
            title: `Summary check ${c}`,
            agreementId: world.agreements.residential_block.id,
            providerId: world.providerA.organisationId,
            firstNight: FIRST,
            lastNight: LAST,
            beds: [
              { homeId: world.homes.exeter, label: `Bed ${c}A`, weeklyPricePence: 7000 + c * 13 },
              { homeId: world.homes.exeter, label: `Bed ${c}B`, firstNight: addDaysToDay(FIRST, 10 * c), lastNight: addDaysToDay(LAST, -9 * c), weeklyPricePence: 4999 },
              { homeId: world.homes.plymouth, label: `Bed ${c}C`, weeklyPricePence: 6543 },
            ],
          },
          officer,
        ),
      );
    }
  });
}, 60_000);

describe("block bed figures kept by the database", () => {
  it("match the figures cut from the records as stays and nights out of use are recorded, withdrawn and ended", async () => {
    const rng = new SeededRandom("utilisation-summary");
    const officer = contextOf(world.officer, NOW);
    await expectSame("no records");
    const open: { id: string; lastNight: string }[] = [];
    const records: { kind: "occupied" | "unavailable"; id: string }[] = [];
    let child = 0;
    for (const { contractId } of contracts) {
      for (const bed of await listBlockBeds(db, contractId)) {
        let night = addDaysToDay(bed.firstNight, rng.int(0, 5));
        while (night <= bed.lastNight) {
          const stay = rng.int(3, 60);
          const openEnded = rng.chance(0.08);
          const last = openEnded ? null : addDaysToDay(night, stay - 1) > bed.lastNight ? bed.lastNight : addDaysToDay(night, stay - 1);
          const made = await db.transaction().execute((trx) => recordOccupancy(trx, { bedId: bed.id, childReference: `SUM-${++child}`, firstNight: night, lastNight: last }, officer));
          records.push({ kind: "occupied", id: made.occupancyId });
          if (last === null) {
            open.push({ id: made.occupancyId, lastNight: bed.lastNight });
            break;
          }
          const after = addDaysToDay(last, 1);
          night = addDaysToDay(after, rng.int(0, 20));
          // Out of use in the gap, or from the stay's last nights on (those count as occupied).
          if (rng.chance(0.6)) {
            const start = rng.chance(0.5) ? addDaysToDay(after, -rng.int(1, 3)) : after;
            const end = addDaysToDay(start, rng.int(0, 8));
            if (end > bed.lastNight) break;
            const out = await db.transaction().execute((trx) => recordUnavailability(trx, { bedId: bed.id, firstNight: start, lastNight: end, reason: "Repairs" }, officer));
            records.push({ kind: "unavailable", id: out.unavailabilityId });
            const next = addDaysToDay(end, 1 + rng.int(0, 12));
            if (next > night) night = next;
          }
        }
      }
    }
    expect(records.length).toBeGreaterThan(40);
    await expectSame("recorded");

    await db.transaction().execute(async (trx) => {
      for (const record of rng.shuffle(records).slice(0, 12)) {
        if (open.some((o) => o.id === record.id)) continue;
        await withdrawBedRecord(trx, { kind: record.kind, recordId: record.id, reason: "Recorded in error" }, officer);
      }
    });
    await expectSame("some withdrawn");

    await db.transaction().execute(async (trx) => {
      for (const o of open) await endOccupancy(trx, { occupancyId: o.id, lastNight: o.lastNight }, officer);
    });
    await expectSame("open stays ended");

    // Whole months straight from the summary equal the same months cut from the records.
    const whole = await utilisationFigures(db, { period: { from: "2026-12-01", to: "2027-04-30" }, by: "month" });
    expect(whole.find((r) => r.contractId === null && r.periodStart === null)!.occupiedNights).toBeGreaterThan(0);
  }, 120_000);

  it("keeps the figures of a bed whose nights or price are changed in the database", async () => {
    const bedId = contracts[2]!.bedIds[1]!;
    await sql`UPDATE block_bed SET weekly_price_pence = 8400, nights = daterange(${addDaysToDay(FIRST, 40)}::date, ${addDaysToDay(LAST, -40)}::date) WHERE id = ${bedId}`.execute(db);
    await expectSame("bed changed");
  }, 60_000);

  it("lets the portal's login read the figures but not write them", async () => {
    const rows = await db.selectFrom("block_utilisation_summary").select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow();
    expect(rows.n).toBeGreaterThan(0);
    await expect(sql`UPDATE block_utilisation_summary SET occupied = occupied + 1`.execute(db)).rejects.toThrow(/permission denied/);
    await expect(sql`DELETE FROM block_utilisation_summary`.execute(db)).rejects.toThrow(/permission denied/);
    await expect(sql`SELECT block_utilisation_add(${contracts[0]!.contractId}::uuid, 2, '[2027-01-01,2027-01-02)'::daterange, 100::bigint, 1)`.execute(db)).rejects.toThrow(
      /permission denied/,
    );
  });
});

