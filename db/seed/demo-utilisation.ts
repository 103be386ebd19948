// The demo's block beds and short breaks, built through the modules so each
// record is in the audit trail: Westmoor's 12-bed block contract with Moorland
// Care, children staying for weeks or months with a few empty nights between
// them and the odd night out of use (about 85% used, under its 90% target, so
// the portal's background check raises the alert when it starts), and a short breaks contract per Highcliffe home with
// children's bookings, one past the reg. 48 limits with its reason.
import { sql, type Kysely } from "kysely";
import type { Database } from "#app/database/schema";
import { ukDate } from "#app/modules/common/input";
import { systemContext } from "#app/modules/identity/actor";
import { addDaysToDay } from "#app/modules/tendering/timeline";
import { createBlockContract, recordOccupancy, recordUnavailability } from "#app/modules/utilisation/block-beds";
import { bookShortBreak, createShortBreakContract } from "#app/modules/utilisation/short-breaks";
import { SeededRandom } from "./random";

export type PlannedBedRecord =
  | { kind: "occupied"; childNumber: number; firstNight: string; lastNight: string | null }
  | { kind: "unavailable"; firstNight: string; lastNight: string; reason: string };

const UNAVAILABLE_REASONS = [
  "Bedroom redecorated after damage",
  "Staffing shortfall: the provider could not staff the bed",
  "Fire safety works in the home",
  "Bedroom flooded by a burst pipe",
];

/**
 * A bed's nights from first to last: stays of 4 to 34 weeks with 3 to 28
 * empty nights between them, and now and then a few nights out of use at the
 * start of a gap. A stay running on past `tonight` is left open (last night
 * not known), as a stay in progress is. About 87% of nights occupied.
 */
export function planBedNights(
  rng: SeededRandom,
  bed: { firstNight: string; lastNight: string },
  options: { tonight: string; nextChild: () => number },
): PlannedBedRecord[] {
  const records: PlannedBedRecord[] = [];
  let night = addDaysToDay(bed.firstNight, rng.int(0, 6));
  while (night <= bed.lastNight && night < options.tonight) {
    const stayLast = addDaysToDay(night, rng.int(28, 238) - 1);
    const capped = stayLast > bed.lastNight ? bed.lastNight : stayLast;
    records.push({ kind: "occupied", childNumber: options.nextChild(), firstNight: night, lastNight: capped >= options.tonight ? null : capped });
    if (capped >= options.tonight) break;
    night = addDaysToDay(capped, 1);
    const gap = rng.int(3, 28);
    if (rng.chance(0.3)) {
      const out = Math.min(gap, rng.int(2, 6));
      const outLast = addDaysToDay(night, out - 1);
      if (outLast <= bed.lastNight) records.push({ kind: "unavailable", firstNight: night, lastNight: outLast, reason: rng.pick(UNAVAILABLE_REASONS) });
    }
    night = addDaysToDay(night, gap);
  }
  return records;
}

export async function seedDemoUtilisation(db: Kysely<Database>, now: Date): Promise<void> {
  const tonight = ukDate(now);
  const rng = new SeededRandom("west-moor-block-beds");
  const found = async (table: "agreement", reference: string) =>
    (await db.selectFrom(table).select("id").where("reference", "=", reference).executeTakeFirstOrThrow()).id;
  const blockAgreement = await found("agreement", "WCC-BLOCK-2026");
  const shortBreaksAgreement = await found("agreement", "SWPPC-SB-2027");
  const lots = await db.selectFrom("lot").select(["id", "agreement_id", "number"]).where("agreement_id", "in", [blockAgreement, shortBreaksAgreement]).execute();
  const lot = (agreementId: string, number: number) => lots.find((l) => l.agreement_id === agreementId && l.number === number)?.id ?? null;
  const homesOf = async (providerName: string) =>
    db
      .selectFrom("home")
      .innerJoin("organisation", "organisation.id", "home.organisation_id")
      .select(["home.id", "home.organisation_id"])
      .where("organisation.name", "=", providerName)
      .orderBy("home.name")
      .execute();
  const moorland = await homesOf("Moorland Care Group Ltd");
  const highcliffe = await homesOf("Highcliffe Short Breaks Trust");
  if (moorland.length < 3 || highcliffe.length < 2) throw new Error("The demo's block beds need Moorland Care's and Highcliffe's homes");
  const ctx = systemContext("seed:demo:utilisation", now);

  await db.transaction().execute(async (trx) => {
    const contract = { firstNight: "2026-10-01", lastNight: "2031-09-30" };
    const beds = moorland.slice(0, 3).flatMap((home, h) =>
      [1, 2, 3, 4].map((b) => ({ homeId: home.id, label: `Bed ${b}`, weeklyPricePence: h === 2 ? 6_450_00 : 5_200_00 })),
    );
    const { bedIds } = await createBlockContract(
      trx,
      {
        reference: "WCC-BLK-01",
        title: "Westmoor block beds with Moorland Care",
        agreementId: blockAgreement,
        lotId: lot(blockAgreement, 1),
        providerId: moorland[0]!.organisation_id,
        ...contract,
        beds,
      },
      ctx,
    );
    let child = 41000;
    for (const bedId of bedIds) {
      // Children the demo placed through the portal fill some of these beds already (decision 024): the
      // children recorded by hand here are those placed outside it, on other nights.
      const placed = await trx
        .selectFrom("block_bed_stay")
        .select([sql<string>`lower(nights)`.as("first"), sql<string | null>`upper(nights) - 1`.as("last")])
        .where("bed_id", "=", bedId)
        .where("placement_id", "is not", null)
        .execute();
      const clashes = (first: string, last: string | null) => placed.some((p) => (last === null || p.first <= last) && (p.last === null || first <= p.last));
      for (const record of planBedNights(rng, contract, { tonight, nextChild: () => ++child })) {
        if (record.kind === "occupied" && clashes(record.firstNight, record.lastNight)) continue;
        if (record.kind === "occupied") {
          await recordOccupancy(trx, { bedId, childReference: `WM-${record.childNumber}`, firstNight: record.firstNight, lastNight: record.lastNight }, ctx);
        } else {
          await recordUnavailability(trx, { bedId, ...record }, ctx);
        }
      }
    }
  });

  await db.transaction().execute(async (trx) => {
    const period = { firstNight: "2027-01-01", lastNight: "2031-12-31" };
    const contracts = [];
    for (const [i, home] of highcliffe.slice(0, 2).entries()) {
      const { contractId } = await createShortBreakContract(
        trx,
        { reference: `SB-HC-0${i + 1}`, agreementId: shortBreaksAgreement, homeId: home.id, ...period, nightsPerYear: 750, nightlyPricePence: 385_00 },
        ctx,
      );
      contracts.push(contractId);
    }
    // Weekends and school holidays for eight children, some co-funded by health.
    const children = ["SB-2031", "SB-2032", "SB-2033", "SB-2034", "SB-2035", "SB-2036", "SB-2037", "SB-2038"];
    for (const [i, child] of children.entries()) {
      const contractId = contracts[i % 2]!;
      const share = [0, 0, 25, 50, 0, 30, 0, 100][i]!;
      let first = addDaysToDay("2027-01-01", (i * 3) % 7);
      for (let n = 0; n < 10; n++) {
        const nights = rng.int(2, 4);
        await bookShortBreak(trx, { contractId, childReference: child, firstNight: first, lastNight: addDaysToDay(first, nights - 1), healthSharePercent: share }, ctx);
        first = addDaysToDay(first, 14);
      }
    }
    // A family crisis: three weeks in a row, past the 17-night limit, agreed with a reason.
    await bookShortBreak(
      trx,
      {
        contractId: contracts[0]!,
        childReference: "SB-2041",
        firstNight: "2027-02-08",
        lastNight: "2027-02-28",
        healthSharePercent: 50,
        overLimitReason: "Parent in hospital for surgery; agreed by the head of children's disability services as a planned exception, reviewed weekly.",
      },
      ctx,
    );
  });
}
