// The market generator (db/seed/generate-market.ts) at a small size, and the
// shortcuts decision 025 takes for scale checked against the long way on its
// data: matching that lists only the nearest homes left out must count and
// list them as matching every home does; the kept utilisation figures must
// be those cut from the records.
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { Gender } from "#app/database/schema";
import { verifyAuditTrail } from "#app/modules/audit/verify";
import { bedFree, byDistanceThen, byName, milesBetween, readMarket, type MarketHome, type Measured } from "#app/modules/placements/market";
import { matchRequest, type LeftOutReason, type MatchCriteria } from "#app/modules/placements/matching";
import { searchHomes, type PlacementSearch } from "#app/modules/placements/search";
import { utilisationFigures, utilisationFiguresFromRecords } from "#app/modules/utilisation/utilisation";
import { generateDataSet, type GeneratedDataSet } from "#db/seed/generate";
import { useTestDatabase } from "#test/support/database";

const { db } = await useTestDatabase();
const NOW = new Date("2026-11-30T10:00:00Z");
let data: GeneratedDataSet;

beforeAll(async () => {
  data = await generateDataSet(db, {
    seed: "market-at-scale",
    councils: 2,
    providers: 40,
    homesPerProvider: 8,
    audit: "batch",
    market: { placements: 900, blockBeds: 40, bedsPerContract: 10, shortBreakContracts: 6, largestProviderHomes: 30, years: 3 },
  });
}, 180_000);

describe("the market generator", () => {
  it("makes the placements, vacancies, block beds and short breaks asked for, within every rule, in a trail that verifies", async () => {
    const market = data.market!;
    expect(market.homes).toBe(40 * 8 + 22);
    expect(market.placements).toBe(900);
    expect(market.largestProvider.homes).toBe(30);
    expect(market.blockBeds).toMatchObject({ contracts: 4, beds: 40 });
    expect(market.shortBreakBookings).toBeGreaterThan(0);
    const [counts] = (
      await sql<Record<string, number>>`
        SELECT (SELECT count(*)::int FROM placement) AS placements,
               (SELECT count(*)::int FROM placement WHERE end_on IS NULL) AS open,
               (SELECT count(*)::int FROM home WHERE organisation_id = ${market.largestProvider.id}) AS largest,
               (SELECT count(*)::int FROM vacancy) AS vacancies,
               (SELECT count(*)::int FROM vacancy v JOIN home h ON h.id = v.home_id
                 WHERE v.beds_free_now > h.registered_places - home_beds_taken(h.id, (v.updated_at AT TIME ZONE 'Europe/London')::date)) AS over_places,
               (SELECT count(*)::int FROM placement WHERE distance_miles IS NULL) AS unmeasured,
               (SELECT count(*)::int FROM home_statement_of_purpose) AS statements,
               (SELECT count(*)::int FROM bed_occupancy) AS stays`.execute(db)
    ).rows;
    expect(counts).toMatchObject({ placements: 900, largest: 30, over_places: 0, unmeasured: 0, statements: market.homes, stays: market.blockBeds.stays });
    expect(counts!.open).toBe(market.openPlacements);
    expect(counts!.vacancies).toBe(market.vacancies);
    expect((await verifyAuditTrail(db, { publicKey: null })).ok).toBe(true);
  });
});

describe("matching at scale", () => {
  const lots = async () =>
    (
      await sql<{ id: string; kind: string; number: number }>`SELECT l.id, a.kind, l.number FROM lot l JOIN agreement a ON a.id = l.agreement_id WHERE a.reference LIKE 'GEN%' ORDER BY a.kind, l.number`.execute(db)
    ).rows;

  it("lists the nearest homes left out, and counts every one, as matching every home does", async () => {
    const all = await lots();
    const residential = all.find((l) => l.kind === "residential_framework" && l.number === 1)!;
    const supported = all.find((l) => l.kind === "supported_living_framework")!;
    const cases: MatchCriteria[] = [
      { lotId: residential.id, serviceType: "childrens_home", ageMin: 13, ageMax: 15, gender: "female", needs: ["emotional_behavioural"], homeDistrict: "EX4", maxDistanceMiles: 40, startOn: "2026-12-01" },
      { lotId: residential.id, serviceType: "childrens_home", ageMin: 10, ageMax: 12, gender: "male" as Gender, needs: [], homeDistrict: "PL4", maxDistanceMiles: null, startOn: "2027-01-15" },
      { lotId: supported.id, serviceType: "supported_living", ageMin: 16, ageMax: 17, gender: "non_binary", needs: ["mental_health", "substance_misuse"], homeDistrict: "TR1", maxDistanceMiles: 25, startOn: "2026-12-10" },
      // An unknown district: nothing measured, so every home left out ties on distance.
      { lotId: residential.id, serviceType: "childrens_home", ageMin: 14, ageMax: 16, gender: "female", needs: ["autism"], homeDistrict: "ZE1", maxDistanceMiles: 30, startOn: "2026-12-01" },
    ];
    for (const criteria of cases) {
      const every = await matchRequest(db, criteria, NOW);
      const listed = await matchRequest(db, criteria, NOW, { leftOutListed: 25 });
      expect(every.leftOut.length).toBeGreaterThan(25);
      expect(listed.reached).toEqual(every.reached);
      expect(listed.leftOut).toEqual(every.leftOut.slice(0, 25));
      expect(listed.leftOutTotal).toBe(every.leftOut.length);
      expect(every.leftOutTotal).toBe(every.leftOut.length);
      const byHand: Partial<Record<LeftOutReason["code"], number>> = {};
      for (const home of every.leftOut) for (const r of home.reasons) byHand[r.code] = (byHand[r.code] ?? 0) + 1;
      expect(listed.reasonCounts).toEqual(byHand);
      expect(every.reasonCounts).toEqual(byHand);
      expect(listed.origin).toEqual(every.origin);
    }
  });

  it("keeps the block bed figures of the generated years equal to those cut from the records", async () => {
    const bed = await sql<{ from: string; to: string }>`SELECT min(lower(nights))::text AS from, (max(upper(nights)) - 1)::text AS to FROM block_bed`.execute(db);
    const period = { from: bed.rows[0]!.from, to: "2026-11-29" };
    for (const by of ["month", "week"] as const) {
      expect(await utilisationFigures(db, { period, by })).toEqual(await utilisationFiguresFromRecords(db, { period, by }));
    }
  });
});

describe("search at scale", () => {
  /** The long way: every filter read from each home's own facts, then sorted, as search worked before its columns. */
  function byHand(homes: MarketHome[], miles: ReadonlyMap<string, number> | null, input: PlacementSearch): string[] {
    const by = typeof input.vacancy === "object" ? input.vacancy.by : null;
    const found: Measured[] = [];
    for (const home of homes) {
      const distanceMiles = miles?.get(home.postcodeDistrict) ?? null;
      if (miles && input.maxMiles && distanceMiles !== null && distanceMiles > input.maxMiles) continue;
      if (home.suspended) continue;
      if (input.lotId && !home.lots.has(input.lotId)) continue;
      if (input.agreementId && !home.agreements.has(input.agreementId)) continue;
      if (input.need && !home.needSet.has(input.need)) continue;
      const s = home.statement;
      if (input.age != null && !(s && s.ageMin <= input.age && s.ageMax >= input.age)) continue;
      if (input.gender && !s?.genders.has(input.gender as Gender)) continue;
      if (input.minimumGrade != null && !(home.ofstedGrade !== null && home.ofstedGrade <= input.minimumGrade)) continue;
      if (input.minFeePence != null && !(home.weeklyFeePence !== null && home.weeklyFeePence >= input.minFeePence)) continue;
      if (input.maxFeePence != null && !(home.weeklyFeePence !== null && home.weeklyFeePence <= input.maxFeePence)) continue;
      if (input.vacancy !== "any" && !bedFree(home, by, input.need ? [input.need] : [])) continue;
      found.push({ home, distanceMiles });
    }
    const grade = (g: number | null) => (g !== null && g <= 3 ? g : 9);
    const fee = (f: number | null) => f ?? Infinity;
    const nearest = byDistanceThen((home) => home.name);
    const order =
      input.sort === "name"
        ? byName
        : input.sort === "grade"
          ? (a: Measured, b: Measured) => grade(a.home.ofstedGrade) - grade(b.home.ofstedGrade) || nearest(a, b)
          : input.sort === "fee"
            ? (a: Measured, b: Measured) => (fee(a.home.weeklyFeePence) === fee(b.home.weeklyFeePence) ? 0 : fee(a.home.weeklyFeePence) < fee(b.home.weeklyFeePence) ? -1 : 1) || nearest(a, b)
            : nearest;
    return found.sort(order).map((m) => m.home.id);
  }

  it("finds, for many mixes of filters, exactly the homes each home's own facts pass, in the same order", async () => {
    const market = await readMarket(db, NOW);
    const lotIds = [...new Set(market.homes.flatMap((h) => [...h.lots]))];
    const agreementIds = [...new Set(market.homes.flatMap((h) => [...h.agreements]))];
    const needs = [...new Set(market.homes.flatMap((h) => h.needs))];
    const fees = market.homes.map((h) => h.weeklyFeePence).filter((f): f is number => f !== null).sort((a, b) => a - b);
    // The homes' vacancies, some only for the needs they list: the filter on needs must read those.
    expect(market.homes.some((h) => h.vacancy && h.vacancy.needs.length > 0)).toBe(true);
    expect(market.homes.some((h) => h.vacancy?.bedsFreeFrom)).toBe(true);
    let seed = 7;
    const pick = <T,>(list: readonly T[]): T => list[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % list.length]!;
    let nonEmpty = 0;
    for (let n = 0; n < 300; n++) {
      const from = pick(["EX4", "PL4", "TR1", "ZE1", null]);
      const input: PlacementSearch = {
        ...pick([{}, {}, { lotId: pick(lotIds) }, { agreementId: pick(agreementIds) }]),
        need: pick([null, ...needs]),
        age: pick([null, null, 9, 14, 17]),
        gender: pick([null, null, "female", "male", "non_binary"]),
        fromDistrict: from,
        maxMiles: from ? pick([null, 15, 40]) : null,
        minimumGrade: pick([null, null, 1, 2, 3]),
        minFeePence: pick([null, null, fees[Math.floor(fees.length / 3)]!]),
        maxFeePence: pick([null, null, fees[Math.floor((fees.length * 2) / 3)]!]),
        vacancy: pick(["any", "now", { by: "2026-12-20" }, { by: "2027-03-01" }] as const),
        sort: pick([undefined, "name", "grade", "fee"] as const),
      };
      const result = await searchHomes(db, { ...input, page: 1, pageSize: 100 }, NOW, market);
      const miles = from ? (await searchHomes(db, { fromDistrict: from, pageSize: 1 }, NOW, market)).origin!.known : false;
      const centre = miles ? market.districts.get(from!)! : null;
      const measured = centre ? new Map([...market.districts].map(([d, c]) => [d, milesBetween(centre, c)])) : null;
      const expected = byHand(market.homes, measured, input);
      expect(result.total, JSON.stringify(input)).toBe(expected.length);
      expect(result.homes.map((h) => h.homeId), JSON.stringify(input)).toEqual(expected.slice(0, 100));
      if (expected.length > 0) nonEmpty++;
    }
    // Most mixes find something: the comparison is not of empty lists.
    expect(nonEmpty).toBeGreaterThan(100);
  });
});
