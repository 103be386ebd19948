// Matching a placement request: which homes it reaches and, for every other
// home, each reason it is left out. The request's criteria are checked in
// requests.ts; sending it to the homes found here is in sending.ts.
import { sql } from "kysely";
import type { Gender, Reader, ServiceType } from "#app/database/schema";
import { longDate } from "#app/modules/common/input";
import { SERVICE_TYPE_LABELS } from "#app/modules/homes/homes";
import { GENDER_LABELS } from "#app/modules/homes/statement-of-purpose";
import { milesFrom } from "#app/modules/placements/search";
import { FRESH_FOR_DAYS } from "#app/modules/vacancies/vacancies";

/** What matching needs: the request's criteria. */
export interface MatchCriteria {
  lotId: string;
  serviceType: ServiceType;
  ageMin: number;
  ageMax: number;
  gender: Gender;
  needs: string[];
  homeDistrict: string;
  maxDistanceMiles: number | null;
  startOn: string;
}

export type LeftOutReason =
  | { code: "service_type"; registeredAs: ServiceType }
  | { code: "lot" }
  | { code: "no_statement" }
  | { code: "age"; ageMin: number; ageMax: number }
  | { code: "gender" }
  | { code: "needs"; missing: string[] }
  | { code: "suspended" }
  | { code: "no_vacancy" }
  | { code: "too_far"; miles: number }
  | { code: "distance_unknown" };

export interface MatchedHome {
  homeId: string;
  name: string;
  providerId: string;
  providerName: string;
  postcodeDistrict: string;
  distanceMiles: number | null;
  ofstedGrade: number | null;
  staleVacancy: boolean;
}

export interface LeftOutHome extends MatchedHome {
  reasons: LeftOutReason[];
}

export interface MatchResult {
  /** The child's district, and whether its location is known (if not, no distance is measured or limited). */
  origin: { outcode: string; known: boolean };
  reached: MatchedHome[];
  /** The homes left out, nearest first, each with every reason: all of them, or the nearest `leftOutListed`. */
  leftOut: LeftOutHome[];
  /** How many homes were left out in all, and for each reason (a home can count under several). */
  leftOutTotal: number;
  reasonCounts: Partial<Record<LeftOutReason["code"], number>>;
}

interface MatchRow {
  id: string;
  name: string;
  organisation_id: string;
  provider_name: string;
  service_type: ServiceType;
  postcode_district: string;
  ofsted_grade: number | null;
  origin_known: boolean;
  district_known: boolean;
  distance_miles: number | null;
  in_lot: boolean;
  has_statement: boolean;
  age_min: number | null;
  age_max: number | null;
  takes_gender: boolean;
  met_needs: string[];
  suspended: boolean;
  has_vacancy: boolean;
  stale: boolean;
}

/**
 * Which homes a request would reach, and for every other home each reason it
 * is left out (type of home, lot, no Statement of Purpose, age, gender, needs,
 * suspended, no vacancy by the start date, too far, distance unknown). One
 * query over every home: the child's district centroid is joined in, and the
 * distance is the search's great-circle SQL.
 */
export async function matchRequest(db: Reader, criteria: MatchCriteria, now: Date, options: { leftOutListed?: number } = {}): Promise<MatchResult> {
  const staleBefore = new Date(now.getTime() - FRESH_FOR_DAYS * 86_400_000);
  const distance = milesFrom({ latitude: sql<number>`o.latitude`, longitude: sql<number>`o.longitude` });
  const listed = options.leftOutListed ?? null;
  // Every home's facts and, in SQL, whether any reason leaves it out, so that only the homes
  // reached and the nearest left out come back (with thousands of homes, reading every row
  // cost more than the query); the reasons of those are named below, from the same facts.
  // Distances are measured once per district (about a hundred), not once per home.
  const { rows } = await sql<MatchRow & { reached: boolean; left_out_total: number; counts: Record<string, number> }>`
    WITH o AS (SELECT latitude, longitude FROM postcode_district WHERE outcode = ${criteria.homeDistrict}),
    d AS MATERIALIZED (SELECT pd.outcode, ${distance} AS miles FROM postcode_district pd LEFT JOIN o ON true),
    -- The request's needs each home meets, in one pass over home_need rather than a look-up per home.
    hn AS (SELECT home_id, array_agg(need_code) AS met FROM home_need WHERE need_code = ANY (${criteria.needs}::text[]) GROUP BY home_id),
    facts AS (
      SELECT h.id, h.name, h.organisation_id, org.name AS provider_name, h.service_type, h.postcode_district, h.ofsted_grade,
             EXISTS (SELECT 1 FROM o) AS origin_known,
             (d.outcode IS NOT NULL) AS district_known,
             d.miles AS distance_miles,
             EXISTS (SELECT 1 FROM home_lot hl WHERE hl.home_id = h.id AND hl.lot_id = ${criteria.lotId}) AS in_lot,
             (sop.home_id IS NOT NULL) AS has_statement,
             sop.age_min, sop.age_max,
             COALESCE(${criteria.gender} = ANY (sop.genders), false) AS takes_gender,
             COALESCE(hn.met, '{}') AS met_needs,
             EXISTS (SELECT 1 FROM home_suspension s WHERE s.home_id = h.id AND s.lifted_at IS NULL) AS suspended,
             COALESCE((v.beds_free_now > 0 OR (v.beds_free_from_on <= ${criteria.startOn}::date AND v.beds_free_from > 0))
                      AND (cardinality(v.needs) = 0 OR ${criteria.needs}::text[] <@ v.needs), false) AS has_vacancy,
             (v.last_confirmed_at IS NULL OR v.last_confirmed_at < ${staleBefore}) AS stale
        FROM home h
        JOIN organisation org ON org.id = h.organisation_id
        LEFT JOIN home_statement_of_purpose sop ON sop.home_id = h.id
        LEFT JOIN vacancy v ON v.home_id = h.id
        LEFT JOIN d ON d.outcode = h.postcode_district
        LEFT JOIN hn ON hn.home_id = h.id
    ),
    -- The reasons as matchRequest names them below (each one's test, in the same order), worked out once a home.
    why AS MATERIALIZED (
      SELECT x.*, (r_service_type OR r_lot OR r_no_statement OR r_age OR r_gender OR r_needs OR r_suspended OR r_no_vacancy OR r_too_far OR r_distance_unknown) AS left_out
        FROM (
          SELECT f.*,
                 f.service_type <> ${criteria.serviceType} AS r_service_type,
                 NOT f.in_lot AS r_lot,
                 NOT f.has_statement AS r_no_statement,
                 f.has_statement AND (f.age_min > ${criteria.ageMin} OR f.age_max < ${criteria.ageMax}) AS r_age,
                 f.has_statement AND NOT f.takes_gender AS r_gender,
                 cardinality(f.met_needs) <> ${criteria.needs.length}::int AS r_needs,
                 f.suspended AS r_suspended,
                 NOT f.has_vacancy AS r_no_vacancy,
                 ${criteria.maxDistanceMiles}::float8 IS NOT NULL AND f.origin_known AND f.district_known AND f.distance_miles > ${criteria.maxDistanceMiles}::float8 AS r_too_far,
                 ${criteria.maxDistanceMiles}::float8 IS NOT NULL AND f.origin_known AND NOT f.district_known AS r_distance_unknown
            FROM facts f
        ) x
    ),
    -- The distance of the last left-out home listed: every left-out home up to it comes back (ties
    -- included), sorted below by distance and names, and the list is cut to length after.
    cutoff AS (SELECT distance_miles AS miles FROM why WHERE left_out ORDER BY distance_miles ASC NULLS LAST LIMIT 1 OFFSET ${Math.max((listed ?? 1) - 1, 0)}),
    totals AS (
      SELECT count(*) FILTER (WHERE left_out)::int AS left_out_total,
             json_build_object(
               'service_type', count(*) FILTER (WHERE r_service_type), 'lot', count(*) FILTER (WHERE r_lot),
               'no_statement', count(*) FILTER (WHERE r_no_statement), 'age', count(*) FILTER (WHERE r_age),
               'gender', count(*) FILTER (WHERE r_gender), 'needs', count(*) FILTER (WHERE r_needs),
               'suspended', count(*) FILTER (WHERE r_suspended), 'no_vacancy', count(*) FILTER (WHERE r_no_vacancy),
               'too_far', count(*) FILTER (WHERE r_too_far), 'distance_unknown', count(*) FILTER (WHERE r_distance_unknown)) AS counts
        FROM why
    )
    SELECT r.*, NOT r.left_out AS reached, t.left_out_total, t.counts
      FROM why r
     CROSS JOIN totals t
     WHERE NOT r.left_out OR ${listed}::int IS NULL
        OR NOT EXISTS (SELECT 1 FROM cutoff) OR (SELECT miles FROM cutoff) IS NULL OR r.distance_miles <= (SELECT miles FROM cutoff)
     ORDER BY r.distance_miles ASC NULLS LAST, r.provider_name, r.name, r.id`.execute(db);

  const reached: MatchedHome[] = [];
  const leftOut: LeftOutHome[] = [];
  for (const r of rows) {
    const reasons: LeftOutReason[] = [];
    if (r.service_type !== criteria.serviceType) reasons.push({ code: "service_type", registeredAs: r.service_type });
    if (!r.in_lot) reasons.push({ code: "lot" });
    if (!r.has_statement) reasons.push({ code: "no_statement" });
    else {
      if (r.age_min! > criteria.ageMin || r.age_max! < criteria.ageMax) reasons.push({ code: "age", ageMin: r.age_min!, ageMax: r.age_max! });
      if (!r.takes_gender) reasons.push({ code: "gender" });
    }
    const missing = r.met_needs.length === criteria.needs.length ? [] : criteria.needs.filter((n) => !r.met_needs.includes(n));
    if (missing.length > 0) reasons.push({ code: "needs", missing });
    if (r.suspended) reasons.push({ code: "suspended" });
    if (!r.has_vacancy) reasons.push({ code: "no_vacancy" });
    if (criteria.maxDistanceMiles !== null && r.origin_known) {
      if (!r.district_known) reasons.push({ code: "distance_unknown" });
      else if (r.distance_miles! > criteria.maxDistanceMiles) reasons.push({ code: "too_far", miles: r.distance_miles! });
    }
    const home: MatchedHome = {
      homeId: r.id,
      name: r.name,
      providerId: r.organisation_id,
      providerName: r.provider_name,
      postcodeDistrict: r.postcode_district,
      distanceMiles: r.distance_miles,
      ofstedGrade: r.ofsted_grade,
      staleVacancy: r.stale,
    };
    if (reasons.length === 0) reached.push(home);
    else leftOut.push({ ...home, reasons });
  }
  if (listed !== null) leftOut.splice(listed);
  const counts = rows[0]?.counts ?? {};
  const reasonCounts = Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0)) as MatchResult["reasonCounts"];
  // The origin is known or not whatever the homes; with no homes at all there is nothing to measure from it.
  return { origin: { outcode: criteria.homeDistrict, known: rows[0]?.origin_known ?? false }, reached, leftOut, leftOutTotal: rows[0]?.left_out_total ?? 0, reasonCounts };
}

/** A reason in words, e.g. "takes ages 14 to 17", for the preview and the request page. */
export function leftOutReasonText(reason: LeftOutReason, criteria: Pick<MatchCriteria, "startOn" | "maxDistanceMiles" | "gender">, needLabels: Map<string, string>): string {
  switch (reason.code) {
    case "service_type":
      return `registered as ${SERVICE_TYPE_LABELS[reason.registeredAs].toLowerCase()}`;
    case "lot":
      return "not on this lot";
    case "no_statement":
      return "no Statement of Purpose recorded";
    case "age":
      return `takes ages ${reason.ageMin} to ${reason.ageMax}`;
    case "gender":
      return `does not take ${GENDER_LABELS[criteria.gender].toLowerCase()}`;
    case "needs":
      return `does not meet: ${reason.missing.map((n) => needLabels.get(n) ?? n).join(", ")}`;
    case "suspended":
      return "suspended from new placements";
    case "no_vacancy":
      return `no bed free for these needs by ${longDate(criteria.startOn)}`;
    case "too_far":
      return `${reason.miles} miles away, more than ${criteria.maxDistanceMiles}`;
    case "distance_unknown":
      return "distance unknown (the home's postcode district has no known location)";
  }
}

/** How many homes were left out for each reason (a home can count under several). */
export function leftOutCounts(result: MatchResult): Map<LeftOutReason["code"], number> {
  return new Map(Object.entries(result.reasonCounts) as [LeftOutReason["code"], number][]);
}
