// Placement search: the homes a commissioner could place with, filtered by
// agreement and lot, need, age, gender, distance from a postcode district,
// minimum Ofsted grade, weekly fee and vacancy, one page at a time from one
// query. Suspended homes are never returned. The fee is each home's standard
// weekly fee in force that day (decision 033); a home with none recorded is
// left out when a fee range is given, and comes last when sorting by fee.
import { sql, type RawBuilder } from "kysely";
import type { Gender, Reader, ServiceType } from "#app/database/schema";
import { isoDate, isUuid, ukDate } from "#app/modules/common/input";
import { ActionRefused } from "#app/modules/errors";
import { MAX_WEEKLY_FEE_PENCE, weeklyFeeInForce } from "#app/modules/homes/fees";
import { normalisePostcodeDistrict } from "#app/modules/homes/homes";
import { isGender } from "#app/modules/homes/statement-of-purpose";
import { FRESH_FOR_DAYS } from "#app/modules/vacancies/vacancies";

/** Mean Earth radius in statute miles, for the haversine great-circle distance. */
const EARTH_RADIUS_MILES = 3958.8;
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

interface Row {
  id: string;
  name: string;
  organisation_id: string;
  provider_name: string;
  service_type: ServiceType;
  postcode_district: string;
  registered_places: number;
  distance_miles: number | null;
  ofsted_grade: number | null;
  ofsted_inspected_on: string | null;
  weekly_fee_pence: number | null;
  age_min: number | null;
  age_max: number | null;
  genders: Gender[] | null;
  needs: string[];
  beds_free_now: number | null;
  beds_free_from_on: string | null;
  beds_free_from: number | null;
  last_confirmed_at: Date | null;
  stale: boolean;
  total: number;
}

/**
 * The haversine miles (one decimal place) from `centre` to the home's district
 * centroid, as SQL over a `postcode_district` joined as `pd`; NULL when either
 * is unknown. Shared with matching placement requests (requests.ts).
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

export async function searchHomes(db: Reader, input: PlacementSearch, now: Date): Promise<SearchResult> {
  // Each filter on a join table is an EXISTS with OFFSET 0, which PostgreSQL keeps as a
  // look-up by index for the homes the other filters leave, rather than turning each into
  // a join: with four or five of them the joins took longer to plan (about 6 ms of CPU on
  // 4,000 homes) than the search took to run (decision 025).
  const where: RawBuilder<unknown>[] = [
    // An Inadequate grade suspends the home in the database (migration 0010), so this one test covers both
    // kinds, and a suspension a commissioner has lifted with conditions takes effect at once.
    sql`NOT EXISTS (SELECT 1 FROM home_suspension s WHERE s.home_id = h.id AND s.lifted_at IS NULL OFFSET 0)`,
  ];
  if (input.lotId) {
    if (!isUuid(input.lotId)) throw new ActionRefused("Select a lot from the list", "lotId");
    where.push(sql`EXISTS (SELECT 1 FROM home_lot hl WHERE hl.home_id = h.id AND hl.lot_id = ${input.lotId} OFFSET 0)`);
  }
  if (input.agreementId) {
    if (!isUuid(input.agreementId)) throw new ActionRefused("Select an agreement from the list", "agreementId");
    where.push(sql`EXISTS (SELECT 1 FROM home_lot hl JOIN lot l ON l.id = hl.lot_id WHERE hl.home_id = h.id AND l.agreement_id = ${input.agreementId} OFFSET 0)`);
  }
  if (input.need) {
    if (!/^[a-z_]{2,50}$/.test(input.need)) throw new ActionRefused("Select a need from the list", "need");
    where.push(sql`EXISTS (SELECT 1 FROM home_need hn WHERE hn.home_id = h.id AND hn.need_code = ${input.need} OFFSET 0)`);
  }
  if (input.age !== null && input.age !== undefined) {
    if (!Number.isInteger(input.age) || input.age < 0 || input.age > 25) throw new ActionRefused("Enter the age as a whole number of years from 0 to 25", "age");
    where.push(sql`sop.age_min <= ${input.age} AND sop.age_max >= ${input.age}`);
  }
  if (input.gender) {
    if (!isGender(input.gender)) throw new ActionRefused("Select a gender from the list", "gender");
    where.push(sql`${input.gender} = ANY (sop.genders)`);
  }
  if (input.minimumGrade !== null && input.minimumGrade !== undefined) {
    if (![1, 2, 3].includes(input.minimumGrade)) throw new ActionRefused("Select a minimum Ofsted grade from the list", "minimumGrade");
    where.push(sql`h.ofsted_grade <= ${input.minimumGrade}`);
  }
  const minFee = feeBound(input.minFeePence, "minFee", "lowest");
  const maxFee = feeBound(input.maxFeePence, "maxFee", "highest");
  if (minFee !== null && maxFee !== null && minFee > maxFee) {
    throw new ActionRefused("The highest weekly fee must be the same as or more than the lowest", "maxFee");
  }
  // Kept on the home by a trigger, so this is a column read for nearly every home (decision 033).
  const fee = weeklyFeeInForce(ukDate(now));
  if (minFee !== null) where.push(sql`${fee} >= ${minFee}`);
  if (maxFee !== null) where.push(sql`${fee} <= ${maxFee}`);
  const vacancy = input.vacancy ?? "any";
  if (vacancy !== "any") {
    const by = vacancy === "now" ? null : isoDate(vacancy.by, "vacancyBy", "date a bed is needed by");
    where.push(
      by === null
        ? sql`v.beds_free_now > 0`
        : sql`(v.beds_free_now > 0 OR (v.beds_free_from_on <= ${by}::date AND v.beds_free_from > 0))`,
    );
    // A vacancy listing needs is only for those; an empty list means any the home meets.
    if (input.need) where.push(sql`(cardinality(v.needs) = 0 OR ${input.need} = ANY (v.needs))`);
  }

  let origin: SearchResult["origin"] = null;
  let centre: { latitude: number; longitude: number } | null = null;
  if (input.fromDistrict && input.fromDistrict.trim() !== "") {
    const outcode = normalisePostcodeDistrict(input.fromDistrict);
    if (!outcode) throw new ActionRefused("Enter a postcode district, like EX4 or PL12", "fromDistrict");
    const found = await db.selectFrom("postcode_district").select(["latitude", "longitude"]).where("outcode", "=", outcode).executeTakeFirst();
    centre = found ?? null;
    origin = { outcode, known: found !== undefined };
  }
  const distance = milesFrom(centre);
  if (input.maxMiles !== null && input.maxMiles !== undefined) {
    if (!(input.maxMiles > 0 && input.maxMiles <= 1000)) throw new ActionRefused("Enter a distance in miles from 1 to 1000", "maxMiles");
    // From an unknown district nothing can be measured: the filter is shown as not applied, and no home is lost.
    // A home whose own district is unknown stays in, marked "distance unknown", rather than silently dropped.
    if (centre) where.push(sql`(pd.outcode IS NULL OR ${distance} <= ${input.maxMiles}::float8)`);
  }

  const sort = input.sort ?? (centre ? "distance" : "name");
  const order =
    sort === "distance"
      ? sql`distance_miles ASC NULLS LAST, h.name, h.id`
      : sort === "grade"
        ? sql`CASE WHEN h.ofsted_grade BETWEEN 1 AND 3 THEN h.ofsted_grade END ASC NULLS LAST, distance_miles ASC NULLS LAST, h.name, h.id`
        : sort === "fee"
          ? sql`weekly_fee_pence ASC NULLS LAST, distance_miles ASC NULLS LAST, h.name, h.id`
          : sql`h.name, h.id`;
  const pageSize = Math.min(Math.max(Math.trunc(input.pageSize ?? 20), 1), MAX_PAGE_SIZE);
  const page = Math.max(Math.trunc(input.page ?? 1), 1);
  const staleBefore = new Date(now.getTime() - FRESH_FOR_DAYS * 86_400_000);

  const { rows } = await sql<Row>`
    SELECT h.id, h.name, h.organisation_id, o.name AS provider_name, h.service_type, h.postcode_district, h.registered_places,
           ${distance} AS distance_miles,
           h.ofsted_grade, h.ofsted_inspected_on, ${fee} AS weekly_fee_pence, sop.age_min, sop.age_max, sop.genders,
           ARRAY(SELECT hn.need_code FROM home_need hn JOIN need n ON n.code = hn.need_code WHERE hn.home_id = h.id ORDER BY n.position) AS needs,
           v.beds_free_now, v.beds_free_from_on, v.beds_free_from, v.last_confirmed_at,
           (v.last_confirmed_at IS NULL OR v.last_confirmed_at < ${staleBefore}) AS stale,
           count(*) OVER ()::int AS total
      FROM home h
      JOIN organisation o ON o.id = h.organisation_id
      LEFT JOIN home_statement_of_purpose sop ON sop.home_id = h.id
      LEFT JOIN vacancy v ON v.home_id = h.id
      LEFT JOIN postcode_district pd ON pd.outcode = h.postcode_district
     WHERE ${sql.join(where, sql` AND `)}
     ORDER BY ${order}
     LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`.execute(db);

  return {
    homes: rows.map((r) => ({
      homeId: r.id,
      name: r.name,
      providerId: r.organisation_id,
      providerName: r.provider_name,
      serviceType: r.service_type,
      postcodeDistrict: r.postcode_district,
      registeredPlaces: r.registered_places,
      distanceMiles: r.distance_miles,
      ofstedGrade: r.ofsted_grade,
      ofstedInspectedOn: r.ofsted_inspected_on,
      weeklyFeePence: r.weekly_fee_pence,
      ageMin: r.age_min,
      ageMax: r.age_max,
      genders: r.genders ?? [],
      needs: r.needs,
      bedsFreeNow: r.beds_free_now,
      bedsFreeFrom: r.beds_free_from_on ? { on: r.beds_free_from_on, beds: r.beds_free_from! } : null,
      lastConfirmedAt: r.last_confirmed_at,
      stale: r.stale,
    })),
    total: rows[0]?.total ?? 0,
    page,
    pageSize,
    origin,
  };
}

/** A fee range end in whole pence, or null when not given. */
function feeBound(pence: number | null | undefined, field: string, which: string): number | null {
  if (pence === null || pence === undefined) return null;
  if (!Number.isInteger(pence) || pence < 0) throw new ActionRefused(`Enter the ${which} weekly fee as an amount in pounds, like 4500`, field);
  if (pence > MAX_WEEKLY_FEE_PENCE) throw new ActionRefused(`The ${which} weekly fee must be £50,000 or less`, field);
  return pence;
}

export interface SearchChoices {
  agreements: { id: string; reference: string; title: string; lots: { id: string; number: number; title: string }[] }[];
  needs: { code: string; label: string }[];
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
