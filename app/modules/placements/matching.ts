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
  leftOut: LeftOutHome[];
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
export async function matchRequest(db: Reader, criteria: MatchCriteria, now: Date): Promise<MatchResult> {
  const staleBefore = new Date(now.getTime() - FRESH_FOR_DAYS * 86_400_000);
  const distance = milesFrom({ latitude: sql<number>`o.latitude`, longitude: sql<number>`o.longitude` });
  const { rows } = await sql<MatchRow>`
    WITH o AS (SELECT latitude, longitude FROM postcode_district WHERE outcode = ${criteria.homeDistrict})
    SELECT h.id, h.name, h.organisation_id, org.name AS provider_name, h.service_type, h.postcode_district, h.ofsted_grade,
           (o.latitude IS NOT NULL) AS origin_known,
           (pd.outcode IS NOT NULL) AS district_known,
           ${distance} AS distance_miles,
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
      LEFT JOIN o ON true
      LEFT JOIN home_statement_of_purpose sop ON sop.home_id = h.id
      LEFT JOIN vacancy v ON v.home_id = h.id
      LEFT JOIN postcode_district pd ON pd.outcode = h.postcode_district
      -- The request's needs each home meets, in one pass over home_need rather than a look-up per home.
      LEFT JOIN (SELECT home_id, array_agg(need_code) AS met FROM home_need WHERE need_code = ANY (${criteria.needs}::text[]) GROUP BY home_id) hn ON hn.home_id = h.id
     ORDER BY distance_miles ASC NULLS LAST, org.name, h.name, h.id`.execute(db);

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
  return { origin: { outcode: criteria.homeDistrict, known: rows[0]?.origin_known ?? false }, reached, leftOut };
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
  const counts = new Map<LeftOutReason["code"], number>();
  for (const home of result.leftOut) for (const r of home.reasons) counts.set(r.code, (counts.get(r.code) ?? 0) + 1);
  return counts;
}
