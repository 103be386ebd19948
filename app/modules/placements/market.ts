// The market as placement search and request matching read it: every home
// with the facts they filter on (lots, Statement of Purpose, needs, grade,
// fee in force, vacancy, suspension, district), every district's centroid and
// the search form's choices, read in four statements and filtered in this
// process (decision 048).
//
// Outside a transaction the market is kept while the audit chain is unchanged
// and the UK day is the same: every change to a home, its vacancy, a
// suspension, a judgement, a fee or the districts writes an audit event in its
// own transaction, and the fee in force is the only fact that moves with the
// day. Staleness, which moves with the clock, is worked out from the
// confirmation time at each use. Inside a transaction (sending a request) the
// market is read afresh, so what is sent is what the transaction sees.
import type { Gender, Reader, ServiceType } from "#app/database/schema";
import { ukDate } from "#app/modules/common/input";
import { keptWhileChainUnchanged } from "#app/modules/audit/audit";
import { weeklyFeeInForce } from "#app/modules/homes/fees";
import { FRESH_FOR_DAYS } from "#app/modules/vacancies/vacancies";
import { sql } from "kysely";

/** Mean Earth radius in statute miles, for the haversine great-circle distance. */
export const EARTH_RADIUS_MILES = 3958.8;

export interface Centroid {
  latitude: number;
  longitude: number;
}

export interface MarketHome {
  id: string;
  name: string;
  providerId: string;
  providerName: string;
  serviceType: ServiceType;
  postcodeDistrict: string;
  registeredPlaces: number;
  ofstedGrade: number | null;
  ofstedInspectedOn: string | null;
  /** The standard weekly fee in force on the market's day; null when none is recorded. */
  weeklyFeePence: number | null;
  lots: ReadonlySet<string>;
  agreements: ReadonlySet<string>;
  /** From the Statement of Purpose; null when the home has none. */
  statement: { ageMin: number; ageMax: number; genders: ReadonlySet<Gender> } | null;
  /** The needs the Statement of Purpose lists, in the needs' order. */
  needs: string[];
  needSet: ReadonlySet<string>;
  suspended: boolean;
  /** Null when no vacancy has ever been recorded. */
  vacancy: {
    bedsFreeNow: number;
    bedsFreeFrom: { on: string; beds: number } | null;
    /** The needs the vacancy is for; empty means any the home meets. */
    needs: string[];
    lastConfirmedAt: Date;
  } | null;
}

export interface Market {
  /** The UK day the fees in force are for. */
  day: string;
  homes: MarketHome[];
  districts: ReadonlyMap<string, Centroid>;
  /** The agreements with their lots, and the needs, that the search form offers. */
  choices: SearchChoices;
  /** Miles from a district to every district, worked out the first time it is asked for (`milesFromDistrict`). */
  readonly milesFrom: Map<string, ReadonlyMap<string, number>>;
  /** The facts search filters on, in columns, made the first time a search asks (`filterColumns`). */
  columns: FilterColumns | null;
  /** The homes within a distance of a district, nearest first, made the first time each is asked for (`homesWithin`). */
  readonly within: Map<string, Near>;
}

/**
 * The facts search filters on, one place per home (its index in `homes`), in
 * typed arrays. A search over thousands of homes reads a few arrays in order
 * instead of following each home's objects about memory, which cost it more
 * in waiting for memory than in the tests themselves. Not recorded is NaN, so
 * that every comparison with it is false, as the tests on the objects are.
 */
export interface FilterColumns {
  suspended: Uint8Array;
  /** From the Statement of Purpose; NaN when the home has none. */
  ageMin: Float64Array;
  ageMax: Float64Array;
  ofstedGrade: Float64Array;
  weeklyFeePence: Float64Array;
  /** 1: a vacancy with a bed free now. */
  freeNow: Uint8Array;
  /** The day (since 1 January 1970) beds are free from, when some are; Infinity when none are to come. */
  freeFromDay: Float64Array;
  /** 1: the vacancy is only for the needs it lists (read from the home then). */
  vacancyForNeeds: Uint8Array;
  /** 1 for each home on a lot, an agreement, meeting a need or taking a gender, made the first time each is asked for (`homesWith`). */
  readonly with: Map<string, Uint8Array>;
}

/** Homes near a district, nearest first as search lists them: their places in `homes`, and their miles (NaN: unknown). */
export interface Near {
  at: Int32Array;
  miles: Float64Array;
}

export interface SearchChoices {
  agreements: { id: string; reference: string; title: string; lots: { id: string; number: number; title: string }[] }[];
  needs: { code: string; label: string }[];
}

interface HomeRow {
  id: string;
  name: string;
  organisation_id: string;
  provider_name: string;
  service_type: ServiceType;
  postcode_district: string;
  registered_places: number;
  ofsted_grade: number | null;
  ofsted_inspected_on: string | null;
  weekly_fee_pence: number | null;
  lots: string[];
  agreements: string[];
  has_statement: boolean;
  age_min: number | null;
  age_max: number | null;
  genders: Gender[] | null;
  needs: string[];
  suspended: boolean;
  beds_free_now: number | null;
  beds_free_from_on: string | null;
  beds_free_from: number | null;
  vacancy_needs: string[] | null;
  last_confirmed_at: Date | null;
}

/** Every home's facts and every district's centroid, as the database has them now. */
export async function readMarket(db: Reader, now: Date): Promise<Market> {
  const day = ukDate(now);
  const fee = weeklyFeeInForce(day);
  const [homes, districts, choices] = await Promise.all([
    sql<HomeRow>`
      SELECT h.id, h.name, h.organisation_id, o.name AS provider_name, h.service_type, h.postcode_district, h.registered_places,
             h.ofsted_grade, h.ofsted_inspected_on, ${fee} AS weekly_fee_pence,
             ARRAY(SELECT hl.lot_id::text FROM home_lot hl WHERE hl.home_id = h.id) AS lots,
             ARRAY(SELECT DISTINCT l.agreement_id::text FROM home_lot hl JOIN lot l ON l.id = hl.lot_id WHERE hl.home_id = h.id) AS agreements,
             (sop.home_id IS NOT NULL) AS has_statement, sop.age_min, sop.age_max, sop.genders,
             ARRAY(SELECT hn.need_code FROM home_need hn JOIN need n ON n.code = hn.need_code WHERE hn.home_id = h.id ORDER BY n.position) AS needs,
             EXISTS (SELECT 1 FROM home_suspension s WHERE s.home_id = h.id AND s.lifted_at IS NULL) AS suspended,
             v.beds_free_now, v.beds_free_from_on, v.beds_free_from, v.needs AS vacancy_needs, v.last_confirmed_at
        FROM home h
        JOIN organisation o ON o.id = h.organisation_id
        LEFT JOIN home_statement_of_purpose sop ON sop.home_id = h.id
        LEFT JOIN vacancy v ON v.home_id = h.id`.execute(db),
    db.selectFrom("postcode_district").select(["outcode", "latitude", "longitude"]).execute(),
    searchChoices(db),
  ]);
  const centroids = new Map<string, Centroid>(districts.map((d) => [d.outcode, { latitude: d.latitude, longitude: d.longitude }]));
  return {
    day,
    districts: centroids,
    choices,
    milesFrom: new Map(),
    columns: null,
    within: new Map(),
    homes: homes.rows.map((r) => ({
      id: r.id,
      name: r.name,
      providerId: r.organisation_id,
      providerName: r.provider_name,
      serviceType: r.service_type,
      postcodeDistrict: r.postcode_district,
      registeredPlaces: r.registered_places,
      ofstedGrade: r.ofsted_grade,
      ofstedInspectedOn: r.ofsted_inspected_on,
      weeklyFeePence: r.weekly_fee_pence === null ? null : Number(r.weekly_fee_pence),
      lots: new Set(r.lots),
      agreements: new Set(r.agreements),
      statement: r.has_statement ? { ageMin: r.age_min!, ageMax: r.age_max!, genders: new Set(r.genders ?? []) } : null,
      needs: r.needs,
      needSet: new Set(r.needs),
      suspended: r.suspended,
      vacancy:
        r.beds_free_now === null
          ? null
          : {
              bedsFreeNow: r.beds_free_now,
              bedsFreeFrom: r.beds_free_from_on ? { on: r.beds_free_from_on, beds: r.beds_free_from! } : null,
              needs: r.vacancy_needs ?? [],
              lastConfirmedAt: r.last_confirmed_at!,
            },
    })),
  };
}

/**
 * The market for a read: kept while nothing has changed (outside a transaction), read afresh inside one.
 * `chainVersion` is the audit chain's version when the request has read it already (with its session).
 */
export async function marketAt(db: Reader, now: Date, chainVersion?: string | null): Promise<Market> {
  if (db.isTransaction) return readMarket(db, now);
  const day = ukDate(now);
  return keptWhileChainUnchanged(db, "placements-market", () => readMarket(db, now), day, (market) => market.day === day, chainVersion);
}

/**
 * Miles between two centroids on the great circle, to one decimal place, as
 * `milesFrom` works them out in SQL (the same formula, in the same order, and
 * rounded as PostgreSQL rounds a double cast to numeric: at 15 significant digits, half away from zero).
 */
export function milesBetween(from: Centroid, to: Centroid): number {
  const rad = Math.PI / 180;
  const h =
    Math.pow(Math.sin(((to.latitude - from.latitude) * rad) / 2), 2) +
    Math.cos(from.latitude * rad) * Math.cos(to.latitude * rad) * Math.pow(Math.sin(((to.longitude - from.longitude) * rad) / 2), 2);
  const miles = Number((EARTH_RADIUS_MILES * 2 * Math.asin(Math.sqrt(h))).toPrecision(15));
  return Math.round(miles * 10) / 10;
}

/**
 * Miles from `outcode` to every known district, worked out once per market
 * and district asked from (a few thousand at most), or null when `outcode` is unknown.
 */
export function milesFromDistrict(market: Market, outcode: string): ReadonlyMap<string, number> | null {
  const centre = market.districts.get(outcode);
  if (!centre) return null;
  let miles = market.milesFrom.get(outcode);
  if (!miles) {
    const measured = new Map<string, number>();
    for (const [district, centroid] of market.districts) measured.set(district, milesBetween(centre, centroid));
    miles = measured;
    // Kept for the hundred districts searched from most recently: enough for any council's children.
    if (market.milesFrom.size >= 100) market.milesFrom.delete(market.milesFrom.keys().next().value!);
    market.milesFrom.set(outcode, miles);
  }
  return miles;
}

/** The market's homes in columns for search, made once per market. */
export function filterColumns(market: Market): FilterColumns {
  if (market.columns) return market.columns;
  const n = market.homes.length;
  const columns: FilterColumns = {
    suspended: new Uint8Array(n),
    ageMin: new Float64Array(n),
    ageMax: new Float64Array(n),
    ofstedGrade: new Float64Array(n),
    weeklyFeePence: new Float64Array(n),
    freeNow: new Uint8Array(n),
    freeFromDay: new Float64Array(n),
    vacancyForNeeds: new Uint8Array(n),
    with: new Map(),
  };
  market.homes.forEach((home, i) => {
    columns.suspended[i] = home.suspended ? 1 : 0;
    columns.ageMin[i] = home.statement?.ageMin ?? NaN;
    columns.ageMax[i] = home.statement?.ageMax ?? NaN;
    columns.ofstedGrade[i] = home.ofstedGrade ?? NaN;
    columns.weeklyFeePence[i] = home.weeklyFeePence ?? NaN;
    const v = home.vacancy;
    columns.freeNow[i] = v && v.bedsFreeNow > 0 ? 1 : 0;
    columns.freeFromDay[i] = v?.bedsFreeFrom && v.bedsFreeFrom.beds > 0 ? dayNumber(v.bedsFreeFrom.on) : Infinity;
    columns.vacancyForNeeds[i] = v && v.needs.length > 0 ? 1 : 0;
  });
  return (market.columns = columns);
}

/** Days from 1 January 1970 to an ISO date: dates compare as their numbers do. */
export function dayNumber(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000;
}

/** 1 for each home (by its place in `homes`) on the lot, on the agreement, meeting the need or taking the gender named. */
export function homesWith(market: Market, fact: "lot" | "agreement" | "need" | "gender", value: string): Uint8Array {
  const columns = filterColumns(market);
  const key = `${fact}\u0000${value}`;
  let has = columns.with.get(key);
  if (!has) {
    const test: (home: MarketHome) => boolean =
      fact === "lot"
        ? (home) => home.lots.has(value)
        : fact === "agreement"
          ? (home) => home.agreements.has(value)
          : fact === "need"
            ? (home) => home.needSet.has(value)
            : (home) => home.statement?.genders.has(value as Gender) ?? false;
    const made = new Uint8Array(market.homes.length);
    market.homes.forEach((home, i) => {
      if (test(home)) made[i] = 1;
    });
    // Kept for the two hundred asked most recently: every lot, agreement, need and gender a portal has.
    if (columns.with.size >= 200) columns.with.delete(columns.with.keys().next().value!);
    columns.with.set(key, made);
    has = made;
  }
  return has;
}

/** The agreements with their lots, and the needs, that the search form offers, in two queries. */
export async function searchChoices(db: Reader): Promise<SearchChoices> {
  const [lots, needs] = await Promise.all([
    db
      .selectFrom("lot")
      .innerJoin("agreement", "agreement.id", "lot.agreement_id")
      .select(["agreement.id as agreement_id", "agreement.reference", "agreement.title as agreement_title", "lot.id", "lot.number", "lot.title"])
      .orderBy("agreement.reference")
      .orderBy("lot.number")
      .execute(),
    db.selectFrom("need").select(["code", "label"]).orderBy("position").execute(),
  ]);
  const agreements = new Map<string, SearchChoices["agreements"][number]>();
  for (const l of lots) {
    if (!agreements.has(l.agreement_id)) agreements.set(l.agreement_id, { id: l.agreement_id, reference: l.reference, title: l.agreement_title, lots: [] });
    agreements.get(l.agreement_id)!.lots.push({ id: l.id, number: l.number, title: l.title });
  }
  return { agreements: [...agreements.values()], needs };
}

/** Not confirmed in the last 7 days, or never entered. */
export function staleAt(home: MarketHome, now: Date): boolean {
  return home.vacancy === null || home.vacancy.lastConfirmedAt.getTime() < now.getTime() - FRESH_FOR_DAYS * 86_400_000;
}

/** A bed free now, or from `by` at the latest (ISO date), for `needs` (every one of them). */
export function bedFree(home: MarketHome, by: string | null, needs: string[]): boolean {
  const v = home.vacancy;
  if (!v) return false;
  const free = v.bedsFreeNow > 0 || (by !== null && v.bedsFreeFrom !== null && v.bedsFreeFrom.on <= by && v.bedsFreeFrom.beds > 0);
  return free && (v.needs.length === 0 || needs.every((n) => v.needs.includes(n)));
}

/**
 * The homes no more than `maxMiles` from the district `miles` was measured
 * from, and those whose own district's place is unknown (a search keeps
 * them, as "distance unknown", last), nearest first as search lists them.
 * Worked out once per market, district and distance, for the hundred asked
 * most recently: a search within a distance then looks only at the homes
 * near, and finds them already in order.
 */
export function homesWithin(market: Market, outcode: string, maxMiles: number, miles: ReadonlyMap<string, number>): Near {
  const key = `${outcode}|${maxMiles}`;
  let near = market.within.get(key);
  if (!near) {
    const found: (Measured & { at: number })[] = [];
    market.homes.forEach((home, at) => {
      const distanceMiles = miles.get(home.postcodeDistrict) ?? null;
      if (distanceMiles === null || distanceMiles <= maxMiles) found.push({ home, distanceMiles, at });
    });
    found.sort(byDistanceThen((home) => home.name));
    near = { at: Int32Array.from(found, (f) => f.at), miles: Float64Array.from(found, (f) => f.distanceMiles ?? NaN) };
    if (market.within.size >= 100) market.within.delete(market.within.keys().next().value!);
    market.within.set(key, near);
  }
  return near;
}

/** A home found by search or matching, with its miles from the district asked about (null: unknown). */
export interface Measured {
  home: MarketHome;
  distanceMiles: number | null;
}

/** Text in code point order, as the embedded database's C.UTF-8 collation sorts it. */
function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Nearest first (unknown distances last), then by the home's keys given, then its id: the order search and matching list homes in. */
export function byDistanceThen(...keys: ((home: MarketHome) => string)[]) {
  return (a: Measured, b: Measured): number => {
    if (a.distanceMiles !== b.distanceMiles) {
      if (a.distanceMiles === null) return 1;
      if (b.distanceMiles === null) return -1;
      return a.distanceMiles - b.distanceMiles;
    }
    for (const key of keys) {
      const order = byCodePoint(key(a.home), key(b.home));
      if (order !== 0) return order;
    }
    return byCodePoint(a.home.id, b.home.id);
  };
}

/** By the home's name, then its id. */
export function byName(a: Measured, b: Measured): number {
  return byCodePoint(a.home.name, b.home.name) || byCodePoint(a.home.id, b.home.id);
}
