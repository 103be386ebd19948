// The block-bed bench set: 300 beds over five years of nights (about
// 550,000 bed-nights), in ten contracts of 30 beds. Contracts and beds go
// through the module (audited); the stays and nights out of use, thousands
// of them, are planned as the demo plans them and inserted in bulk.
import type { Kysely } from "kysely";
import { sql } from "kysely";
import type { Database } from "#app/database/schema";
import { systemContext } from "#app/modules/identity/actor";
import { addDaysToDay } from "#app/modules/tendering/timeline";
import { createBlockContract } from "#app/modules/utilisation/block-beds";
import { planBedNights } from "#db/seed/demo-utilisation";
import { SeededRandom } from "#db/seed/random";

export interface BlockBedSet {
  contracts: number;
  beds: number;
  bedNights: number;
  stays: number;
  outOfUse: number;
  firstNight: string;
  lastNight: string;
}

export async function generateBlockBeds(
  db: Kysely<Database>,
  input: { agreementId: string; providerHomes: { id: string; organisationId: string }[]; beds: number; bedsPerContract: number; lastNight: string; years: number },
): Promise<BlockBedSet> {
  const rng = new SeededRandom("bench-block-beds");
  const firstNight = addDaysToDay(input.lastNight, -Math.round(input.years * 365.25) + 1);
  const byProvider = new Map<string, string[]>();
  for (const home of input.providerHomes) byProvider.set(home.organisationId, [...(byProvider.get(home.organisationId) ?? []), home.id]);
  const providers = [...byProvider.entries()].filter(([, homes]) => homes.length >= 3);
  const ctx = systemContext("bench:block-beds");
  const bedIds: string[] = [];
  const contracts = Math.ceil(input.beds / input.bedsPerContract);
  await db.transaction().execute(async (trx) => {
    for (let c = 0; c < contracts; c++) {
      const [providerId, homes] = providers[c % providers.length]!;
      const count = Math.min(input.bedsPerContract, input.beds - c * input.bedsPerContract);
      const beds = Array.from({ length: count }, (_, b) => ({ homeId: homes[b % homes.length]!, label: `Bed ${Math.floor(b / homes.length) + 1}`, weeklyPricePence: rng.int(4_500_00, 7_500_00) }));
      const created = await createBlockContract(
        trx,
        { reference: `BENCH-BLK-${c + 1}`, title: `Bench block contract ${c + 1}`, agreementId: input.agreementId, providerId, firstNight, lastNight: input.lastNight, beds },
        ctx,
      );
      bedIds.push(...created.bedIds);
    }
  });
  let child = 0;
  const tonight = addDaysToDay(input.lastNight, 1);
  const occupied: { bed: string; child: string; nights: string }[] = [];
  const unavailable: { bed: string; nights: string; reason: string }[] = [];
  for (const bedId of bedIds) {
    for (const r of planBedNights(rng, { firstNight, lastNight: input.lastNight }, { tonight, nextChild: () => ++child })) {
      const nights = `[${r.firstNight},${r.lastNight === null ? "" : addDaysToDay(r.lastNight, 1)})`;
      if (r.kind === "occupied") occupied.push({ bed: bedId, child: `B-${r.childNumber}`, nights });
      else unavailable.push({ bed: bedId, nights, reason: r.reason });
    }
  }
  const now = new Date();
  for (let i = 0; i < occupied.length; i += 5000) {
    const part = occupied.slice(i, i + 5000);
    await sql`INSERT INTO bed_occupancy (bed_id, child_reference, nights, recorded_at)
              SELECT * , ${now}::timestamptz FROM unnest(${part.map((p) => p.bed)}::uuid[], ${part.map((p) => p.child)}::text[], ${part.map((p) => p.nights)}::daterange[])`.execute(db);
  }
  for (let i = 0; i < unavailable.length; i += 5000) {
    const part = unavailable.slice(i, i + 5000);
    await sql`INSERT INTO bed_unavailability (bed_id, nights, reason, recorded_at)
              SELECT *, ${now}::timestamptz FROM unnest(${part.map((p) => p.bed)}::uuid[], ${part.map((p) => p.nights)}::daterange[], ${part.map((p) => p.reason)}::text[])`.execute(db);
  }
  const nightsEach = Math.round(input.years * 365.25);
  return { contracts, beds: bedIds.length, bedNights: bedIds.length * nightsEach, stays: occupied.length, outOfUse: unavailable.length, firstNight, lastNight: input.lastNight };
}
