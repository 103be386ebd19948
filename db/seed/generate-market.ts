// The placements market at the bench scale (issue 9, "Performance"),
// on top of a generated data set: every home's Statement of Purpose and lots,
// 20,000 placements over five years, vacancies (fresh and stale) that fit
// what the placements leave, block contracts with ~300 beds and five years of
// stays and nights out of use, and short-break contracts with bookings. One
// provider gets 30 homes (the all-homes vacancy update). Contracts, beds and
// the extra homes go through the modules; the tens of thousands of rows are
// planned here from a seed and inserted in bulk, each insert checked by the
// same constraints and triggers as the portal's own (beds within places, one
// child a bed a night, vacancies within free places), with one audit event a
// batch saying what was generated.
import fs from "node:fs";
import path from "node:path";
import type { Kysely } from "kysely";
import { sql } from "kysely";
import type { Database } from "#app/database/schema";
import { registerAuditActions } from "#app/modules/audit/actions";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { ukDate } from "#app/modules/common/input";
import { applyDistrictImport } from "#app/modules/geography/districts";
import { createHome } from "#app/modules/homes/homes";
import { systemContext } from "#app/modules/identity/actor";
import { milesFrom } from "#app/modules/placements/search";
import { addDaysToDay } from "#app/modules/tendering/timeline";
import { createBlockContract } from "#app/modules/utilisation/block-beds";
import { SOUTH_WEST_DISTRICTS } from "./demo-data";
import { DEMO_DISTRICT_FILE } from "./demo-market";
import { planBedNights } from "./demo-utilisation";
import type { GeneratedDataSet } from "./generate";
import { SeededRandom } from "./random";

registerAuditActions({
  "seed.market_generated": "Generated test data for the placements market",
});

export interface MarketSetOptions {
  /** Placements in total, over `years` up to today. Default 20,000. */
  placements?: number;
  /** Block beds in total, in contracts of `bedsPerContract`. Default 300 and 30. */
  blockBeds?: number;
  bedsPerContract?: number;
  /** How far back placements and block beds go. Default 5. */
  years?: number;
  /** Short-break contracts (one per short-break home, as far as there are homes). Default 60. */
  shortBreakContracts?: number;
  /** Homes of the provider given the most, for the all-homes vacancy page. Default 30. */
  largestProviderHomes?: number;
  /** How many providers are given that many homes (the first of them is `largestProvider`). Default 1. */
  largeProviders?: number;
}

export interface MarketSet {
  homes: number;
  placements: number;
  openPlacements: number;
  vacancies: number;
  /** The provider with `largestProviderHomes` homes, and its homes. */
  largestProvider: { id: string; homes: number };
  /** Every provider given `largestProviderHomes` homes, the largest first. */
  largeProviders: { id: string; homes: number }[];
  blockBeds: BlockBedSet;
  shortBreakContracts: number;
  shortBreakBookings: number;
  elapsedMs: number;
}

export interface BlockBedSet {
  contracts: number;
  beds: number;
  bedNights: number;
  stays: number;
  outOfUse: number;
  firstNight: string;
  lastNight: string;
}

const CHILD_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
const RESIDENTIAL_NEEDS = ["emotional_behavioural", "learning_disability", "autism", "complex_health", "mental_health", "cse_risk", "criminal_exploitation_risk", "crisis_short_term", "solo_placement"];
const SUPPORTED_NEEDS = ["emotional_behavioural", "unaccompanied_asylum_seeking", "substance_misuse", "mental_health", "criminal_exploitation_risk"];
const SHORT_BREAK_NEEDS = ["learning_disability", "autism", "complex_health", "physical_disability"];
const END_REASONS = ["Planned move to foster care", "Returned home to family", "Moved to supported accommodation", "Placement ended at the home's request", "Moved nearer to family"];
const BATCH = 5000;

function chunks<T>(items: readonly T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Adds the market to `data` (from generateDataSet) in `db`. About 20 s for
 * 4,000 homes. The same seed and options give the same plan; dates are
 * counted back from `now`.
 */
export async function generateMarket(db: Kysely<Database>, data: GeneratedDataSet, options: MarketSetOptions & { seed: string | number; now?: Date }): Promise<MarketSet> {
  const started = Date.now();
  const rng = new SeededRandom(`${String(options.seed)}:market`);
  const now = options.now ?? new Date();
  const today = ukDate(now);
  const years = options.years ?? 5;
  const firstDay = addDaysToDay(today, -Math.round(years * 365.25));
  const ctx = (step: string) => systemContext(`seed:generate:${String(options.seed)}:market:${step}`, now);
  const note = async (summary: string, step: string) => db.transaction().execute((trx) => recordAuditEvent(trx, ctx(step), { action: "seed.market_generated", summary, subjects: [] }));

  // Districts: the demo's South West file, unless a set is there already.
  const known = await db.selectFrom("postcode_district").select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow();
  if (known.n === 0) {
    await db.transaction().execute((trx) =>
      applyDistrictImport(trx, { fileName: path.basename(DEMO_DISTRICT_FILE), text: fs.readFileSync(DEMO_DISTRICT_FILE, "utf8") }, ctx("districts")),
    );
  }

  // Providers with many homes, through the module.
  const large = data.providers.slice(0, Math.max(1, options.largeProviders ?? 1));
  if (large.length === 0) throw new Error("The data set has no providers");
  const wantHomes = options.largestProviderHomes ?? 30;
  const homes = [...data.homes];
  const largeProviders: { id: string; homes: number }[] = [];
  for (const provider of large) {
    const has = data.homes.filter((h) => h.organisationId === provider.id).length;
    if (has < wantHomes) {
      await db.transaction().execute(async (trx) => {
        for (let i = has; i < wantHomes; i++) {
          const [district] = rng.pick(SOUTH_WEST_DISTRICTS);
          const name = `${provider.name.split(" ")[0]} House ${i + 1}`;
          const { id } = await createHome(trx, { organisationId: provider.id, name, serviceType: "childrens_home", registeredPlaces: rng.int(2, 5), postcodeDistrict: district }, ctx("homes"));
          homes.push({ id, organisationId: provider.id, name });
        }
      });
    }
    largeProviders.push({ id: provider.id, homes: Math.max(has, wantHomes) });
  }

  // Statements of Purpose and lots, from each home's type.
  const homeRows = await db
    .selectFrom("home")
    .select(["id", "organisation_id", "service_type", "registered_places", "postcode_district"])
    .where("id", "in", homes.map((h) => h.id))
    .orderBy("organisation_id")
    .orderBy("name")
    .execute();
  const lots = await db
    .selectFrom("lot")
    .innerJoin("agreement", "agreement.id", "lot.agreement_id")
    .select(["lot.id", "lot.number", "agreement.kind", "agreement.id as agreement_id"])
    .where("agreement.id", "in", data.agreements.map((a) => a.id))
    .execute();
  const lotOf = (kind: string, number: number) => lots.find((l) => l.kind === kind && l.number === number)?.id;
  const statements: { home: string; ageMin: number; ageMax: number; genders: string[] }[] = [];
  const homeNeeds: { home: string; need: string }[] = [];
  const homeLots: { home: string; lot: string }[] = [];
  const placementLot = new Map<string, string>();
  for (const home of homeRows) {
    const type = home.service_type;
    const [ageMin, ageMax] = type === "childrens_home" ? rng.pick([[8, 17], [10, 17], [11, 17], [12, 17], [13, 17]] as const) : type === "supported_living" ? rng.pick([[16, 17], [16, 18], [16, 21]] as const) : rng.pick([[5, 17], [8, 17], [5, 18]] as const);
    const genders = rng.pick([["female", "male"], ["female", "male", "non_binary"], ["female"], ["male"]]);
    statements.push({ home: home.id, ageMin, ageMax, genders: type === "childrens_home" ? genders : ["female", "male"] });
    const pool = type === "childrens_home" ? RESIDENTIAL_NEEDS : type === "supported_living" ? SUPPORTED_NEEDS : SHORT_BREAK_NEEDS;
    const needs = rng.shuffle(pool).slice(0, rng.int(1, 4));
    for (const need of needs) homeNeeds.push({ home: home.id, need });
    const chosen = new Set<string | undefined>();
    if (type === "childrens_home") {
      chosen.add(lotOf("residential_framework", 1));
      if (needs.some((n) => ["learning_disability", "autism", "complex_health", "solo_placement"].includes(n))) chosen.add(lotOf("residential_framework", 2));
      if (needs.includes("crisis_short_term")) chosen.add(lotOf("residential_framework", 4));
      if (rng.chance(0.1)) chosen.add(lotOf("residential_block", 1));
    } else if (type === "supported_living") chosen.add(lotOf("supported_living_framework", rng.int(1, 4)));
    else chosen.add(lotOf("short_breaks", rng.int(1, 2)));
    const lotIds = [...chosen].filter((id): id is string => id !== undefined);
    for (const lot of lotIds) homeLots.push({ home: home.id, lot });
    if (lotIds[0]) placementLot.set(home.id, lotIds[0]);
  }
  for (const part of chunks(statements)) {
    await sql`INSERT INTO home_statement_of_purpose (home_id, age_min, age_max, genders, updated_at)
              SELECT h, a, b, string_to_array(g, ','), ${now} FROM unnest(${part.map((s) => s.home)}::uuid[], ${part.map((s) => s.ageMin)}::int[], ${part.map((s) => s.ageMax)}::int[], ${part.map((s) => s.genders.join(","))}::text[]) AS t(h, a, b, g)
              ON CONFLICT (home_id) DO NOTHING`.execute(db);
  }
  for (const part of chunks(homeNeeds)) {
    await sql`INSERT INTO home_need (home_id, need_code) SELECT * FROM unnest(${part.map((n) => n.home)}::uuid[], ${part.map((n) => n.need)}::text[]) ON CONFLICT DO NOTHING`.execute(db);
  }
  for (const part of chunks(homeLots)) {
    await sql`INSERT INTO home_lot (home_id, lot_id, added_at) SELECT *, ${now}::timestamptz FROM unnest(${part.map((n) => n.home)}::uuid[], ${part.map((n) => n.lot)}::uuid[]) ON CONFLICT DO NOTHING`.execute(db);
  }
  await note(`Generated Statements of Purpose for ${statements.length} homes (${homeNeeds.length} needs, ${homeLots.length} lots) as test data`, "statements");

  // Weekly fees (decision 033): nine homes in ten, a first fee two to five
  // years ago, most with an uplift in the last year, a few announced ahead.
  // Drawn from their own sequence, so the rest of the set is what it was before fees.
  const feeRng = new SeededRandom(`${String(options.seed)}:fees`);
  const fees: { home: string; pence: number; from: string }[] = [];
  for (const home of homeRows) {
    if (feeRng.chance(0.1)) continue;
    const [low, high] = home.service_type === "childrens_home" ? [380, 750] : home.service_type === "supported_living" ? [120, 280] : [240, 420];
    let pence = feeRng.int(low, high) * 1_000;
    fees.push({ home: home.id, pence, from: addDaysToDay(today, -feeRng.int(730, 1_800)) });
    for (const [chance, fromDays] of [[0.6, -feeRng.int(10, 360)], [0.1, feeRng.int(10, 300)]] as const) {
      if (!feeRng.chance(chance)) continue;
      pence = Math.round((pence * (1 + feeRng.int(25, 60) / 1_000)) / 100) * 100;
      fees.push({ home: home.id, pence, from: addDaysToDay(today, fromDays) });
    }
  }
  for (const part of chunks(fees)) {
    // Each row's trigger keeps on the home the record that takes effect last.
    await sql`INSERT INTO home_weekly_fee (home_id, weekly_fee_pence, effective_from, recorded_at)
              SELECT h, p, f, ${now}::timestamptz FROM unnest(${part.map((f) => f.home)}::uuid[], ${part.map((f) => f.pence)}::int[], ${part.map((f) => f.from)}::date[]) AS t(h, p, f)
              ORDER BY f`.execute(db);
  }
  await note(`Generated ${fees.length} weekly fee records for ${new Set(fees.map((f) => f.home)).size} homes as test data`, "fees");

  // Placements: each bed of a children's home or supported accommodation
  // holds stays one after another (4 weeks to 2 years, a few weeks apart),
  // homes taken in turn until the number is reached. A stay running past
  // today is open-ended, as a placement in progress is.
  const placeable = homeRows.filter((h) => h.service_type !== "short_breaks" && placementLot.has(h.id));
  const bedFree = new Map<string, string>();
  const planned: { home: string; bed: number; start: string; end: string | null }[] = [];
  const wanted = options.placements ?? 20_000;
  for (let turn = 0; planned.length < wanted && turn < wanted * 4; turn++) {
    const home = placeable[turn % placeable.length]!;
    const bed = rng.int(1, Math.min(home.registered_places, 100));
    const key = `${home.id}:${bed}`;
    const from = bedFree.get(key) ?? addDaysToDay(firstDay, rng.int(0, 400));
    if (from >= today) continue;
    const start = addDaysToDay(from, rng.int(3, 60));
    if (start >= today) continue;
    const end = addDaysToDay(start, rng.int(28, 720));
    planned.push({ home: home.id, bed, start, end: end > today ? null : end });
    bedFree.set(key, end > today ? "9999-12-31" : end);
  }
  // Children: a new reference for most; about one in five is a child who moved on from an earlier placement.
  planned.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const free: { child: string; from: string }[] = [];
  const newChild = () => `CH-${Array.from({ length: 6 }, () => rng.pick([...CHILD_ALPHABET])).join("")}`;
  const councils = data.councils.map((c) => c.id);
  const placements = planned.map((p) => {
    const reuse = rng.chance(0.2) ? free.findIndex((f) => f.from <= p.start) : -1;
    const child = reuse >= 0 ? free.splice(reuse, 1)[0]!.child : newChild();
    if (p.end && free.length < 500) free.push({ child, from: p.end });
    const [childDistrict] = rng.pick(SOUTH_WEST_DISTRICTS);
    const health = rng.chance(0.2) ? rng.pick([10, 25, 50]) : 0;
    const education = rng.chance(0.15) ? rng.pick([10, 20]) : 0;
    return {
      ...p,
      child,
      council: rng.pick(councils),
      lot: placementLot.get(p.home)!,
      district: childDistrict,
      fee: rng.int(3_800, 8_500) * 100,
      health,
      education,
      council_share: 100 - health - education,
      endReason: p.end ? rng.pick(END_REASONS) : null,
    };
  });
  const distance = milesFrom({ latitude: sql<number>`c.latitude`, longitude: sql<number>`c.longitude` });
  for (const part of chunks(placements)) {
    await sql`
      INSERT INTO placement (child_reference, council_id, home_id, bed_number, lot_id, child_district, distance_miles, start_on, end_on, end_reason,
                             weekly_fee_pence, council_share, health_share, education_share, created_at, ended_at)
      SELECT t.child, t.council, t.home, t.bed, t.lot, t.district, ${distance}, t.start_on, t.end_on, t.end_reason,
             t.fee, t.council_share, t.health, t.education, t.start_on::timestamptz, CASE WHEN t.end_on IS NOT NULL THEN t.end_on::timestamptz END
        FROM unnest(${part.map((p) => p.child)}::text[], ${part.map((p) => p.council)}::uuid[], ${part.map((p) => p.home)}::uuid[], ${part.map((p) => p.bed)}::int[],
                    ${part.map((p) => p.lot)}::uuid[], ${part.map((p) => p.district)}::text[], ${part.map((p) => p.start)}::date[], ${part.map((p) => p.end)}::date[],
                    ${part.map((p) => p.endReason)}::text[], ${part.map((p) => p.fee)}::bigint[], ${part.map((p) => p.council_share)}::int[],
                    ${part.map((p) => p.health)}::int[], ${part.map((p) => p.education)}::int[])
             AS t(child, council, home, bed, lot, district, start_on, end_on, end_reason, fee, council_share, health, education)
        JOIN home h ON h.id = t.home
        LEFT JOIN postcode_district pd ON pd.outcode = h.postcode_district
        LEFT JOIN postcode_district c ON c.outcode = t.district`.execute(db);
  }
  const openPlacements = placements.filter((p) => p.end === null).length;
  await note(`Generated ${placements.length} placements (${openPlacements} in progress) as test data`, "placements");

  // Vacancies: most homes, each within what its placements leave free today;
  // three providers in four confirmed within the week, the fourth 8 to 40 days ago.
  const byProvider = new Map<string, typeof homeRows>();
  for (const home of homeRows) byProvider.set(home.organisation_id, [...(byProvider.get(home.organisation_id) ?? []), home]);
  const needsOf = new Map<string, string[]>();
  for (const x of homeNeeds) needsOf.set(x.home, [...(needsOf.get(x.home) ?? []), x.need]);
  const vacancies: { home: string; now: number; fromOn: string | null; from: number | null; needs: string; at: Date }[] = [];
  for (const [n, providerHomes] of [...byProvider.values()].entries()) {
    const daysAgo = n === 0 ? 1 : n % 4 === 3 ? rng.int(8, 40) : rng.int(0, 6);
    const at = new Date(now.getTime() - daysAgo * 86_400_000 - rng.int(1, 8) * 3_600_000);
    for (const home of providerHomes) {
      if (n !== 0 && rng.chance(0.06)) continue;
      const later = rng.chance(0.25);
      const needs = needsOf.get(home.id) ?? [];
      vacancies.push({
        home: home.id,
        now: rng.chance(0.45) ? rng.int(1, 2) : 0,
        fromOn: later ? addDaysToDay(today, rng.int(7, 42)) : null,
        from: later ? 1 : null,
        needs: rng.chance(0.3) && needs.length > 1 ? needs.slice(0, 1).join(",") : "",
        at,
      });
    }
  }
  for (const part of chunks(vacancies)) {
    // Capped at the places the placements leave free on the day (the trigger refuses more), and today,
    // so that saving a provider's vacancies unchanged (as the bench does) is never refused.
    await sql`
      WITH t AS (
        SELECT t.home, least(t.now, h.registered_places - home_beds_taken(t.home, (t.at AT TIME ZONE 'Europe/London')::date),
                             h.registered_places - home_beds_taken(t.home, ${today}::date)) AS now_beds,
               t.from_on, CASE WHEN t.from_on IS NOT NULL THEN least(t.from_beds, h.registered_places - home_beds_taken(t.home, t.from_on)) END AS from_beds, string_to_array(nullif(t.needs, ''), ',') AS needs, t.at
          FROM unnest(${part.map((v) => v.home)}::uuid[], ${part.map((v) => v.now)}::int[], ${part.map((v) => v.fromOn)}::date[], ${part.map((v) => v.from)}::int[],
                      ${part.map((v) => v.needs)}::text[], ${part.map((v) => v.at)}::timestamptz[]) AS t(home, now, from_on, from_beds, needs, at)
          JOIN home h ON h.id = t.home
      ), v AS (
        INSERT INTO vacancy (home_id, beds_free_now, beds_free_from_on, beds_free_from, needs, last_confirmed_at, updated_at)
        SELECT home, greatest(now_beds, 0), CASE WHEN from_beds > 0 THEN from_on END, CASE WHEN from_beds > 0 THEN from_beds END, coalesce(needs, '{}'), at, at FROM t
        ON CONFLICT (home_id) DO NOTHING
        RETURNING *
      )
      INSERT INTO vacancy_history (home_id, change, beds_free_now, beds_free_from_on, beds_free_from, needs, version, recorded_at)
      SELECT home_id, 'updated', beds_free_now, beds_free_from_on, beds_free_from, needs, version, updated_at FROM v`.execute(db);
  }
  await note(`Generated vacancies for ${vacancies.length} homes as test data`, "vacancies");

  // Block beds: the 300 beds over five years, ending a couple of months from now.
  const block = data.agreements.find((a) => lots.some((l) => l.agreement_id === a.id && l.kind === "residential_block"));
  if (!block) throw new Error("The data set has no block agreement");
  const blockBeds = await generateBlockBeds(db, {
    seed: String(options.seed),
    agreementId: block.id,
    providerHomes: homes.filter((h) => homeRows.find((r) => r.id === h.id)?.service_type === "childrens_home"),
    beds: options.blockBeds ?? 300,
    bedsPerContract: options.bedsPerContract ?? 30,
    lastNight: addDaysToDay(today, 60),
    years: years + 0.2,
    tonight: today,
  });

  // Short breaks: a contract per short-break home, bookings of one to four
  // nights by a few children each, over the last two years, within the limits.
  const shortBreakHomes = homeRows.filter((h) => h.service_type === "short_breaks").slice(0, options.shortBreakContracts ?? 60);
  const shortAgreement = data.agreements.find((a) => lots.some((l) => l.agreement_id === a.id && l.kind === "short_breaks"));
  let bookings = 0;
  if (shortAgreement && shortBreakHomes.length > 0) {
    const contractStart = addDaysToDay(today, -730);
    const contractEnd = addDaysToDay(today, 365);
    const contracts = await sql<{ id: string; home_id: string }>`
      INSERT INTO short_break_contract (reference, agreement_id, home_id, nights, nights_per_year, nightly_price_pence, created_at)
      SELECT 'GEN-SB-' || lpad(i::text, 4, '0'), ${shortAgreement.id}, home, daterange(${contractStart}::date, ${contractEnd}::date), nights, price, ${now}
        FROM unnest(${shortBreakHomes.map((h) => h.id)}::uuid[], ${shortBreakHomes.map(() => rng.int(120, 300))}::int[], ${shortBreakHomes.map(() => rng.int(400, 750) * 100)}::int[])
             WITH ORDINALITY AS t(home, nights, price, i)
      RETURNING id, home_id`.execute(db);
    const rows: { contract: string; child: string; nights: string; health: number }[] = [];
    for (const [c, contract] of contracts.rows.entries()) {
      for (let k = 1; k <= rng.int(4, 10); k++) {
        const child = `SB-${c + 1}-${k}`;
        const health = rng.chance(0.3) ? rng.pick([25, 50]) : 0;
        let night = addDaysToDay(contractStart, rng.int(0, 30));
        // About 40 nights a year each: well inside 17 in a row and 75 in 12 months.
        while (night < addDaysToDay(today, 60)) {
          const length = rng.int(1, 4);
          rows.push({ contract: contract.id, child, nights: `[${night},${addDaysToDay(night, length)})`, health });
          night = addDaysToDay(night, length + rng.int(14, 40));
        }
      }
    }
    for (const part of chunks(rows)) {
      await sql`INSERT INTO short_break_booking (contract_id, child_reference, nights, health_share_percent, booked_at)
                SELECT *, ${now}::timestamptz FROM unnest(${part.map((r) => r.contract)}::uuid[], ${part.map((r) => r.child)}::text[], ${part.map((r) => r.nights)}::daterange[], ${part.map((r) => r.health)}::numeric[])`.execute(db);
    }
    bookings = rows.length;
    await note(`Generated ${contracts.rows.length} short-break contracts with ${bookings} bookings as test data`, "short-breaks");
  }

  return {
    homes: homeRows.length,
    placements: placements.length,
    openPlacements,
    vacancies: vacancies.length,
    largestProvider: largeProviders[0]!,
    largeProviders,
    blockBeds,
    shortBreakContracts: shortBreakHomes.length,
    shortBreakBookings: bookings,
    elapsedMs: Date.now() - started,
  };
}

/**
 * Block contracts of `bedsPerContract` beds each, with `years` of nights up to
 * `lastNight`. Contracts and beds go through the module (audited); the stays
 * and nights out of use, thousands of them, are planned as the demo plans
 * them and inserted in bulk (the exclusion constraints check every one).
 */
export async function generateBlockBeds(
  db: Kysely<Database>,
  input: {
    seed?: string;
    agreementId: string;
    providerHomes: { id: string; organisationId: string }[];
    beds: number;
    bedsPerContract: number;
    lastNight: string;
    years: number;
    /** Stays running on past tonight are left open. Default: the night after `lastNight`. */
    tonight?: string;
  },
): Promise<BlockBedSet> {
  const rng = new SeededRandom(input.seed ? `${input.seed}:block-beds` : "bench-block-beds");
  const firstNight = addDaysToDay(input.lastNight, -Math.round(input.years * 365.25) + 1);
  const byProvider = new Map<string, string[]>();
  for (const home of input.providerHomes) byProvider.set(home.organisationId, [...(byProvider.get(home.organisationId) ?? []), home.id]);
  const providers = [...byProvider.entries()].filter(([, homes]) => homes.length >= 3);
  if (providers.length === 0) throw new Error("No provider has three homes for block beds");
  const ctx = systemContext("seed:generate:block-beds");
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
  const tonight = input.tonight ?? addDaysToDay(input.lastNight, 1);
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
  for (const part of chunks(occupied)) {
    await sql`INSERT INTO bed_occupancy (bed_id, child_reference, nights, recorded_at)
              SELECT * , ${now}::timestamptz FROM unnest(${part.map((p) => p.bed)}::uuid[], ${part.map((p) => p.child)}::text[], ${part.map((p) => p.nights)}::daterange[])`.execute(db);
  }
  for (const part of chunks(unavailable)) {
    await sql`INSERT INTO bed_unavailability (bed_id, nights, reason, recorded_at)
              SELECT *, ${now}::timestamptz FROM unnest(${part.map((p) => p.bed)}::uuid[], ${part.map((p) => p.nights)}::daterange[], ${part.map((p) => p.reason)}::text[])`.execute(db);
  }
  const nightsEach = Math.round(input.years * 365.25);
  return { contracts, beds: bedIds.length, bedNights: bedIds.length * nightsEach, stays: occupied.length, outOfUse: unavailable.length, firstNight, lastNight: input.lastNight };
}
