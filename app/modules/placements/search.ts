// Placement search: the homes a commissioner could place with, filtered by
// agreement and lot, need, age, gender, distance from a postcode district,
// minimum Ofsted grade, weekly fee and vacancy, one page at a time, from the
// market as kept in this process (market.ts, decision 048). Suspended homes
// are never returned. The fee is each home's standard weekly fee in force
// that day (decision 033); a home with none recorded is left out when a fee
// range is given, and comes last when sorting by fee.
import { sql, type RawBuilder } from "kysely";
import type { Gender, Reader, ServiceType } from "#app/database/schema";
import { isoDate, isUuid } from "#app/modules/common/input";
import { ActionRefused } from "#app/modules/errors";
import { MAX_WEEKLY_FEE_PENCE } from "#app/modules/homes/fees";
import { normalisePostcodeDistrict } from "#app/modules/homes/homes";
import { isGender } from "#app/modules/homes/statement-of-purpose";
import { byDistanceThen, byName, dayNumber, EARTH_RADIUS_MILES, filterColumns, homesWith, homesWithin, marketAt, milesFromDistrict, staleAt, type Market, type Measured } from "#app/modules/placements/market";
const MAX_PAGE_SIZE = 100;

export type SearchSort = "distance" | "grade" | "fee" | "name";

export interface PlacementSearch {
  agreementId?: string | null;
  lotId?: string | null;
  need?: string | null;
  /** The child's age in years. */
  age?: number | null;
  gender?: string | null;
  /** The child's home postcode district, e.g. "EX4"; a full postcode is cut to its district and not kept. */
  fromDistrict?: string | null;
  maxMiles?: number | null;
  /** 1 Outstanding .. 3 Requires improvement: homes graded this or better. */
  minimumGrade?: number | null;
  /** Weekly fee range in pence, either end optional: homes with no fee recorded are then left out. */
  minFeePence?: number | null;
  maxFeePence?: number | null;
  /** "now": a bed free today; a date: free today or from that date at the latest. */
  vacancy?: "any" | "now" | { by: string };
  sort?: SearchSort;
  page?: number;
  pageSize?: number;
}

export interface SearchHome {
  homeId: string;
  name: string;
  providerId: string;
  providerName: string;
  serviceType: ServiceType;
  postcodeDistrict: string;
  registeredPlaces: number;
  /** Miles between district centroids, one decimal place; null when either district is unknown. */
  distanceMiles: number | null;
  ofstedGrade: number | null;
  ofstedInspectedOn: string | null;
  /** The home's standard weekly fee in force today; null when none is recorded. */
  weeklyFeePence: number | null;
  ageMin: number | null;
  ageMax: number | null;
  genders: Gender[];
  needs: string[];
  bedsFreeNow: number | null;
  bedsFreeFrom: { on: string; beds: number } | null;
  lastConfirmedAt: Date | null;
  /** Not confirmed in the last 7 days (or never entered): shown flagged. */
  stale: boolean;
}

export interface SearchResult {
  homes: SearchHome[];
  total: number;
  page: number;
  pageSize: number;
  /** The district searched from, and whether its location is known; null when none was given. */
  origin: { outcode: string; known: boolean } | null;
}

/**
 * The haversine miles (one decimal place) from `centre` to the home's district
 * centroid, as SQL over a `postcode_district` joined as `pd`; NULL when either
 * is unknown. Used where one distance is recorded (a placement's); searching
 * and matching measure in this process with `milesBetween`, which agrees with it.
 */
export function milesFrom(
  centre: { latitude: number | RawBuilder<number>; longitude: number | RawBuilder<number> } | null,
): RawBuilder<number | null> {
  return centre
    ? sql<number | null>`round((${EARTH_RADIUS_MILES}::float8 * 2 * asin(sqrt(
        power(sin(radians(pd.latitude - ${centre.latitude}::float8) / 2), 2)
        + cos(radians(${centre.latitude}::float8)) * cos(radians(pd.latitude)) * power(sin(radians(pd.longitude - ${centre.longitude}::float8) / 2), 2)
      )))::numeric, 1)::float8`
    : sql<number | null>`NULL::float8`;
}

/**
 * The homes that pass every filter, one page in the order asked for, from the
 * market as kept (market.ts): outside a transaction a search sends one
 * statement, the audit chain's version, while nothing has changed.
 */
export async function searchHomes(db: Reader, input: PlacementSearch, now: Date, kept?: Market): Promise<SearchResult> {
  if (input.lotId && !isUuid(input.lotId)) throw new ActionRefused("Select a lot from the list", "lotId");
  if (input.agreementId && !isUuid(input.agreementId)) throw new ActionRefused("Select an agreement from the list", "agreementId");
  if (input.need && !/^[a-z_]{2,50}$/.test(input.need)) throw new ActionRefused("Select a need from the list", "need");
  const age = input.age ?? null;
  if (age !== null && (!Number.isInteger(age) || age < 0 || age > 25)) throw new ActionRefused("Enter the age as a whole number of years from 0 to 25", "age");
  if (input.gender && !isGender(input.gender)) throw new ActionRefused("Select a gender from the list", "gender");
  const grade = input.minimumGrade ?? null;
  if (grade !== null && ![1, 2, 3].includes(grade)) throw new ActionRefused("Select a minimum Ofsted grade from the list", "minimumGrade");
  const minFee = feeBound(input.minFeePence, "minFee", "lowest");
  const maxFee = feeBound(input.maxFeePence, "maxFee", "highest");
  if (minFee !== null && maxFee !== null && minFee > maxFee) {
    throw new ActionRefused("The highest weekly fee must be the same as or more than the lowest", "maxFee");
  }
  const vacancy = input.vacancy ?? "any";
  const by = vacancy === "any" || vacancy === "now" ? null : isoDate(vacancy.by, "vacancyBy", "date a bed is needed by");
  let outcode: string | null = null;
  if (input.fromDistrict && input.fromDistrict.trim() !== "") {
    outcode = normalisePostcodeDistrict(input.fromDistrict);
    if (!outcode) throw new ActionRefused("Enter a postcode district, like EX4 or PL12", "fromDistrict");
  }
  const maxMiles = input.maxMiles ?? null;
  if (maxMiles !== null && !(maxMiles > 0 && maxMiles <= 1000)) throw new ActionRefused("Enter a distance in miles from 1 to 1000", "maxMiles");

  const market = kept ?? (await marketAt(db, now));
  const miles = outcode ? milesFromDistrict(market, outcode) : null;
  const origin: SearchResult["origin"] = outcode ? { outcode, known: miles !== null } : null;
  const gender = input.gender ? (input.gender as Gender) : null;
  const need = input.need || null;
  // Each filter as a column of the market's homes (market.ts, filterColumns): one place per home, read in order.
  const columns = filterColumns(market);
  const { suspended, ageMin, ageMax, ofstedGrade, weeklyFeePence, freeNow, freeFromDay, vacancyForNeeds } = columns;
  const onLot = input.lotId ? homesWith(market, "lot", input.lotId) : null;
  const onAgreement = input.agreementId ? homesWith(market, "agreement", input.agreementId) : null;
  const meetsNeed = need ? homesWith(market, "need", need) : null;
  const takesGender = gender ? homesWith(market, "gender", gender) : null;
  const byDay = by === null ? null : dayNumber(by);
  const fits = (i: number): boolean => {
    // An Inadequate grade suspends the home in the database (migration 0010), so this one test covers both
    // kinds, and a suspension a commissioner has lifted with conditions takes effect at once.
    if (suspended[i]) return false;
    if (meetsNeed && !meetsNeed[i]) return false;
    if (onLot && !onLot[i]) return false;
    if (onAgreement && !onAgreement[i]) return false;
    // Not recorded is NaN in the columns, and fails every comparison: a home with no Statement of Purpose,
    // no grade or no fee is left out by a filter on it.
    if (age !== null && !(ageMin[i]! <= age && ageMax[i]! >= age)) return false;
    if (takesGender && !takesGender[i]) return false;
    if (grade !== null && !(ofstedGrade[i]! <= grade)) return false;
    if (minFee !== null && !(weeklyFeePence[i]! >= minFee)) return false;
    if (maxFee !== null && !(weeklyFeePence[i]! <= maxFee)) return false;
    if (vacancy === "any") return true;
    if (!freeNow[i] && !(byDay !== null && freeFromDay[i]! <= byDay)) return false;
    // A vacancy listing needs is only for those; an empty list means any the home meets.
    return !vacancyForNeeds[i] || need === null || market.homes[i]!.vacancy!.needs.includes(need);
  };
  const found: Measured[] = [];
  if (miles && maxMiles !== null) {
    // Only the homes within the distance (worked out once per district and distance), nearest first. A home whose
    // own district is unknown is among them, marked "distance unknown", rather than silently dropped.
    const near = homesWithin(market, outcode!, maxMiles, miles);
    for (let k = 0; k < near.at.length; k++) {
      const i = near.at[k]!;
      if (fits(i)) found.push({ home: market.homes[i]!, distanceMiles: Number.isNaN(near.miles[k]) ? null : near.miles[k]! });
    }
  } else {
    // From an unknown district nothing can be measured: a distance given is shown as not applied, and no home is lost.
    for (let i = 0; i < market.homes.length; i++) {
      if (!fits(i)) continue;
      const home = market.homes[i]!;
      found.push({ home, distanceMiles: miles?.get(home.postcodeDistrict) ?? null });
    }
  }

  const sort = input.sort ?? (miles ? "distance" : "name");
  const nearest = byDistanceThen((home) => home.name);
  const lastIfNull = (a: number | null, b: number | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a - b);
  const order =
    sort === "distance"
      ? nearest
      : sort === "grade"
        ? (a: Measured, b: Measured) => lastIfNull(gradeRank(a.home.ofstedGrade), gradeRank(b.home.ofstedGrade)) || nearest(a, b)
        : sort === "fee"
          ? (a: Measured, b: Measured) => lastIfNull(a.home.weeklyFeePence, b.home.weeklyFeePence) || nearest(a, b)
          : byName;
  const pageSize = Math.min(Math.max(Math.trunc(input.pageSize ?? 20), 1), MAX_PAGE_SIZE);
  const page = Math.max(Math.trunc(input.page ?? 1), 1);
  const list = found.sort(order);

  return {
    homes: list.slice((page - 1) * pageSize, page * pageSize).map(({ home, distanceMiles }) => ({
      homeId: home.id,
      name: home.name,
      providerId: home.providerId,
      providerName: home.providerName,
      serviceType: home.serviceType,
      postcodeDistrict: home.postcodeDistrict,
      registeredPlaces: home.registeredPlaces,
      distanceMiles,
      ofstedGrade: home.ofstedGrade,
      ofstedInspectedOn: home.ofstedInspectedOn,
      weeklyFeePence: home.weeklyFeePence,
      ageMin: home.statement?.ageMin ?? null,
      ageMax: home.statement?.ageMax ?? null,
      genders: home.statement ? [...home.statement.genders] : [],
      needs: home.needs,
      bedsFreeNow: home.vacancy?.bedsFreeNow ?? null,
      bedsFreeFrom: home.vacancy?.bedsFreeFrom ?? null,
      lastConfirmedAt: home.vacancy?.lastConfirmedAt ?? null,
      stale: staleAt(home, now),
    })),
    total: found.length,
    page,
    pageSize,
    origin,
  };
}

/** Outstanding (1) to Requires improvement (3) rank in that order; other grades and none come last. */
function gradeRank(grade: number | null): number | null {
  return grade !== null && grade >= 1 && grade <= 3 ? grade : null;
}

/** A fee range end in whole pence, or null when not given. */
function feeBound(pence: number | null | undefined, field: string, which: string): number | null {
  if (pence === null || pence === undefined) return null;
  if (!Number.isInteger(pence) || pence < 0) throw new ActionRefused(`Enter the ${which} weekly fee as an amount in pounds, like 4500`, field);
  if (pence > MAX_WEEKLY_FEE_PENCE) throw new ActionRefused(`The ${which} weekly fee must be £50,000 or less`, field);
  return pence;
}

export { searchChoices, type SearchChoices } from "#app/modules/placements/market";
