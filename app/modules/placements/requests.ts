// Placement requests: a child's need described without identifying them,
// matched to the homes that can meet it (and, for every other home, why not),
// then sent to all of them at once or as a tiered cascade: tier 1 (preferred
// providers) first, tier 2 when tier 1's window ends, then every other match.
// The background loop releases tiers and closes requests at their deadline
// (advancePlacementRequests). Offers and declines are in offers.ts, the
// placements they become in placements.ts (decision 017).
import crypto from "node:crypto";
import { sql, type Selectable } from "kysely";
import type { Gender, PlacementRequestStatus, PlacementRequestTable, PlacementSending, Reader, ServiceType, Trx } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { isoDate, isUuid, longDate, requiredText, ukDate } from "#app/modules/common/input";
import { ActionRefused, ConcurrentEditError, RecordNotFound } from "#app/modules/errors";
import { normalisePostcodeDistrict, SERVICE_TYPE_LABELS, isServiceType } from "#app/modules/homes/homes";
import { GENDER_LABELS, isGender } from "#app/modules/homes/statement-of-purpose";
import type { ActionContext, Actor } from "#app/modules/identity/actor";
import { activeProviderUsers } from "#app/modules/identity/queries";
import { queueEmail } from "#app/modules/outbox/outbox";
import { commissioningOfficer } from "#app/modules/placements/placements";
import { milesFrom } from "#app/modules/placements/search";
import { FRESH_FOR_DAYS } from "#app/modules/vacancies/vacancies";
import type { PlacementOutcome } from "#emails/PlacementRequest";

registerAuditActions({
  "placement_request.sent": "Sent a placement request",
  "placement_request.tier_sent": "Sent a placement request to its next tier",
  "placement_request.withdrawn": "Withdrew a placement request",
  "placement_request.closed": "Closed a placement request at its deadline",
});

/** Each later tier waits this long by default (tier 1's exclusive window, then tier 2's). */
export const DEFAULT_TIER_WINDOW_HOURS = 24;
const HOUR_MS = 3_600_000;

export const REQUEST_STATUS_LABELS: Record<PlacementRequestStatus, string> = {
  open: "Open",
  placed: "Placed",
  withdrawn: "Withdrawn",
  closed: "Closed without a placement",
};

/** Links in emails need the portal's public address. */
export interface Links {
  baseUrl: string;
}

export interface PlacementRequestInput {
  /** A reference this council already gave the child (a move); empty: the portal makes a new one. */
  childReference?: string | null;
  lotId: string;
  serviceType: string;
  ageMin: number;
  ageMax: number;
  gender: string;
  needs: string[];
  homeDistrict: string;
  maxDistanceMiles: number | null;
  startOn: string;
  expectedWeeks: number | null;
  budgetWeeklyPence: number | null;
  summary: string;
  /** The officer has read the summary's warnings (names, full postcodes) and confirms it is right. */
  confirmSummary: boolean;
  sending: PlacementSending;
  tier1ProviderIds?: string[];
  tier2ProviderIds?: string[];
  tier1WindowHours?: number | null;
  tier2WindowHours?: number | null;
  deadline: Date;
}

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

/** A summary's warnings, e.g. '"Jane Smith" looks like a name'; the officer must confirm them before sending. */
export class SummaryNeedsConfirming extends ActionRefused {
  constructor(readonly warnings: string[]) {
    super(`The summary may identify the child: ${warnings.join("; ")}. Remove it, or confirm the summary is right`, "summary");
    this.name = "SummaryNeedsConfirming";
  }
}

const FULL_POSTCODE = /\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b/gi;
const TITLED_NAME = /\b(?:Mr|Mrs|Ms|Miss|Mx|Master|Dr)\.?\s+[A-Z][a-z-]+/g;
const CALLED = /\b(?:[Cc]alled|[Nn]amed|[Nn]ame is|[Kk]nown as)\s+([A-Z][a-z-]+)/g;
const TWO_CAPITALISED = /\b([A-Z][a-z-]+\s+[A-Z][a-z-]+)\b/g;
const STREET = /\b\d{1,4}\s+[A-Z][a-z]+\s+(?:Road|Street|Lane|Avenue|Close|Drive|Way|Crescent|Gardens|Place|Terrace|Court)\b/g;
const BIRTH_DATE = /\b\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d{2}\b/g;
/** Capitalised pairs that are ordinary in a summary, not names. */
const NOT_NAMES = new Set(["Social Worker", "Local Authority", "Care Order", "Independent Reviewing", "Child Protection", "Youth Offending", "Mental Health"]);

/**
 * Things in a summary that look like they identify a child: a full postcode,
 * a name (a title and a capitalised word, "called X", two capitalised words
 * together), a street address or a date of birth. A warning, not a block: the
 * officer confirms or edits.
 */
export function summaryWarnings(summary: string): string[] {
  const warnings: string[] = [];
  const quote = (s: string) => `"${s.replace(/\s+/g, " ").trim()}"`;
  for (const m of summary.matchAll(FULL_POSTCODE)) warnings.push(`${quote(m[0])} looks like a full postcode`);
  const addresses = [...summary.matchAll(STREET)].map((m) => m[0]);
  for (const a of addresses) warnings.push(`${quote(a)} looks like an address`);
  for (const m of summary.matchAll(BIRTH_DATE)) warnings.push(`${quote(m[0])} looks like a date of birth`);
  const names = new Set<string>();
  for (const m of summary.matchAll(TITLED_NAME)) names.add(m[0]);
  for (const m of summary.matchAll(CALLED)) names.add(m[1]!);
  for (const m of summary.matchAll(TWO_CAPITALISED)) {
    const pair = m[1]!.replace(/\s+/g, " ");
    // A sentence's first word is capitalised anyway: only a pair inside a sentence counts.
    const before = summary.slice(0, m.index).trimEnd();
    if (before === "" || /[.!?:;]$/.test(before)) continue;
    if (NOT_NAMES.has(pair) || addresses.some((a) => a.includes(pair))) continue;
    if (![...names].some((n) => n.includes(pair) || pair.includes(n))) names.add(pair);
  }
  for (const n of names) warnings.push(`${quote(n)} looks like a name`);
  return warnings;
}

function wholeNumber(value: number | null | undefined, field: string, label: string, min: number, max: number): number {
  if (value === null || value === undefined || Number.isNaN(value)) throw new ActionRefused(`Enter the ${label}`, field);
  if (!Number.isInteger(value) || value < min || value > max) throw new ActionRefused(`Enter the ${label} as a whole number from ${min} to ${max}`, field);
  return value;
}

interface CheckedRequest extends MatchCriteria {
  childReference: string | null;
  expectedWeeks: number | null;
  budgetWeeklyPence: number | null;
  summary: string;
  summaryWarnings: string[];
  sending: PlacementSending;
  tier1ProviderIds: string[];
  tier2ProviderIds: string[];
  tier1WindowHours: number | null;
  tier2WindowHours: number | null;
  deadline: Date;
}

/** The criteria alone, checked: enough for the match preview before the rest of the form is filled in. */
export function checkCriteria(input: Omit<MatchCriteria, "serviceType" | "gender"> & { serviceType: string; gender: string }, now: Date): MatchCriteria {
  if (!isUuid(input.lotId)) throw new ActionRefused("Select the agreement and lot", "lotId");
  if (!isServiceType(input.serviceType)) throw new ActionRefused("Select the type of home", "serviceType");
  const ageMin = wholeNumber(input.ageMin, "ageMin", "youngest age in the band", 0, 25);
  const ageMax = wholeNumber(input.ageMax, "ageMax", "oldest age in the band", 0, 25);
  if (ageMax < ageMin) throw new ActionRefused("The oldest age must be the same as or more than the youngest", "ageMax");
  if (ageMax - ageMin > 2) throw new ActionRefused("An age band covers at most 3 years, so that homes are not asked about children they cannot take", "ageMax");
  if (!isGender(input.gender)) throw new ActionRefused("Select the child's gender", "gender");
  const needs = [...new Set(input.needs)];
  if (!needs.every((n) => /^[a-z][a-z_]{1,49}$/.test(n))) throw new ActionRefused("Select needs from the list", "needs");
  const homeDistrict = normalisePostcodeDistrict(input.homeDistrict ?? "");
  if (!homeDistrict) throw new ActionRefused("Enter the child's home postcode district, like EX4 or PL12", "homeDistrict");
  const maxDistanceMiles =
    input.maxDistanceMiles === null || input.maxDistanceMiles === undefined ? null : wholeNumber(input.maxDistanceMiles, "maxDistanceMiles", "furthest distance in miles", 1, 1000);
  const startOn = isoDate(input.startOn, "startOn", "start date");
  if (startOn < ukDate(now)) throw new ActionRefused("The start date must be today or later", "startOn");
  return { lotId: input.lotId, serviceType: input.serviceType, ageMin, ageMax, gender: input.gender, needs, homeDistrict, maxDistanceMiles, startOn };
}

async function checkRequest(db: Reader, input: PlacementRequestInput, now: Date): Promise<CheckedRequest> {
  const criteria = checkCriteria(input, now);
  const known = await db.selectFrom("need").select("code").where("code", "in", criteria.needs.length ? criteria.needs : [""]).execute();
  if (known.length !== criteria.needs.length) throw new ActionRefused("Select needs from the list", "needs");
  const lot = await db.selectFrom("lot").select("id").where("id", "=", criteria.lotId).executeTakeFirst();
  if (!lot) throw new ActionRefused("Select the agreement and lot", "lotId");
  const childReference = input.childReference?.trim() ? input.childReference.trim().toUpperCase() : null;
  if (childReference !== null && !/^CH-[0-9A-HJ-NP-Z]{6}$/.test(childReference)) {
    throw new ActionRefused("Enter the child reference the portal gave, like CH-7K2M9Q, or leave it empty for a new child", "childReference");
  }
  const expectedWeeks = input.expectedWeeks === null || input.expectedWeeks === undefined ? null : wholeNumber(input.expectedWeeks, "expectedWeeks", "expected length in weeks", 1, 520);
  const budgetWeeklyPence =
    input.budgetWeeklyPence === null || input.budgetWeeklyPence === undefined ? null : wholeNumber(input.budgetWeeklyPence, "budgetWeeklyPence", "weekly budget", 1, 100_000_000);
  const summary = requiredText(input.summary, "summary", "summary of the child's needs", 1000);
  const warnings = summaryWarnings(summary);
  if (warnings.length > 0 && !input.confirmSummary) throw new SummaryNeedsConfirming(warnings);
  if (input.sending !== "all" && input.sending !== "cascade") throw new ActionRefused("Choose how to send the request", "sending");
  const ids = (list: string[] | undefined, field: string) => {
    const unique = [...new Set(list ?? [])];
    if (!unique.every(isUuid)) throw new ActionRefused("Select providers from the list", field);
    return unique;
  };
  let tier1ProviderIds: string[] = [];
  let tier2ProviderIds: string[] = [];
  let tier1WindowHours: number | null = null;
  let tier2WindowHours: number | null = null;
  if (input.sending === "cascade") {
    tier1ProviderIds = ids(input.tier1ProviderIds, "tier1ProviderIds");
    tier2ProviderIds = ids(input.tier2ProviderIds, "tier2ProviderIds").filter((id) => !tier1ProviderIds.includes(id));
    if (tier1ProviderIds.length === 0) throw new ActionRefused("Select the preferred providers for tier 1, or send to all matching homes at once", "tier1ProviderIds");
    tier1WindowHours = wholeNumber(input.tier1WindowHours ?? DEFAULT_TIER_WINDOW_HOURS, "tier1WindowHours", "hours tier 1 has on its own", 1, 336);
    tier2WindowHours = wholeNumber(input.tier2WindowHours ?? DEFAULT_TIER_WINDOW_HOURS, "tier2WindowHours", "hours tier 2 has before everyone else", 1, 336);
    const providers = await db
      .selectFrom("organisation")
      .select("id")
      .where("kind", "=", "provider")
      .where("id", "in", [...tier1ProviderIds, ...tier2ProviderIds])
      .execute();
    if (providers.length !== tier1ProviderIds.length + tier2ProviderIds.length) throw new ActionRefused("Select providers from the list", "tier1ProviderIds");
  }
  if (!(input.deadline instanceof Date) || Number.isNaN(input.deadline.getTime())) throw new ActionRefused("Enter the deadline for offers", "deadline");
  const lastRelease = now.getTime() + ((tier1WindowHours ?? 0) + (tier2ProviderIds.length ? (tier2WindowHours ?? 0) : 0)) * HOUR_MS;
  if (input.deadline.getTime() <= lastRelease) {
    throw new ActionRefused(
      tier1WindowHours ? "The deadline for offers must be after the last tier has been sent the request" : "The deadline for offers must be in the future",
      "deadline",
    );
  }
  return {
    ...criteria,
    childReference,
    expectedWeeks,
    budgetWeeklyPence,
    summary,
    summaryWarnings: warnings,
    sending: input.sending,
    tier1ProviderIds,
    tier2ProviderIds,
    tier1WindowHours,
    tier2WindowHours,
    deadline: input.deadline,
  };
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

const REFERENCE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/** A new child reference, e.g. CH-7K2M9Q: random, so it says nothing about the child. */
function newChildReference(): string {
  const bytes = crypto.randomBytes(6);
  return `CH-${[...bytes].map((b) => REFERENCE_ALPHABET[b % REFERENCE_ALPHABET.length]).join("")}`;
}

/** The need in words, for emails and pages: never the summary's free text alone. */
export function requestDetails(
  r: { ageMin: number; ageMax: number; gender: Gender; needs: string[]; homeDistrict: string; startOn: string; expectedWeeks: number | null; serviceType: ServiceType },
  needLabels: Map<string, string>,
): string[] {
  return [
    `${SERVICE_TYPE_LABELS[r.serviceType]}`,
    r.ageMin === r.ageMax ? `Age ${r.ageMin}` : `Age ${r.ageMin} to ${r.ageMax}`,
    `Gender: ${GENDER_LABELS[r.gender].replace(/s$/, "").replace("young people", "young person")}`,
    r.needs.length ? `Needs: ${r.needs.map((n) => needLabels.get(n) ?? n).join(", ")}` : "No particular needs listed",
    `From postcode district ${r.homeDistrict}`,
    `Starting ${longDate(r.startOn)}${r.expectedWeeks ? ` for about ${r.expectedWeeks} week${r.expectedWeeks === 1 ? "" : "s"}` : ", long term"}`,
  ];
}

export async function needLabelMap(db: Reader): Promise<Map<string, string>> {
  return new Map((await db.selectFrom("need").select(["code", "label"]).execute()).map((n) => [n.code, n.label]));
}

/**
 * Creates the request and sends it to the homes that match: all now, or tier
 * 1 now and the later tiers when their windows end. Refused when no home
 * matches (a request sent to no one helps no child), and when the summary
 * looks like it identifies the child and the officer has not confirmed it.
 */
export async function createPlacementRequest(
  trx: Trx,
  input: PlacementRequestInput,
  ctx: ActionContext,
  links: Links,
): Promise<{ requestId: string; childReference: string; sentNow: number; later: number }> {
  const actor = commissioningOfficer(ctx, "send a placement request");
  const checked = await checkRequest(trx, input, ctx.now);
  let childReference = checked.childReference;
  if (childReference) {
    const known = await trx
      .selectFrom("placement_request")
      .select("id")
      .where("child_reference", "=", childReference)
      .where("council_id", "=", actor.organisationId)
      .union(trx.selectFrom("placement").select("id").where("child_reference", "=", childReference).where("council_id", "=", actor.organisationId))
      .executeTakeFirst();
    if (!known) throw new ActionRefused("No child of your council has this reference: leave it empty for a new child", "childReference");
  } else {
    // Random, so nothing about the child can be read from it; drawn again in the unlikely case it is already in use.
    do childReference = newChildReference();
    while (
      await trx
        .selectFrom("placement_request")
        .select("id")
        .where("child_reference", "=", childReference)
        .union(trx.selectFrom("placement").select("id").where("child_reference", "=", childReference))
        .executeTakeFirst()
    );
  }
  const match = await matchRequest(trx, checked, ctx.now);
  if (match.reached.length === 0) throw new ActionRefused("No home can meet this request as it stands: see why each home was left out", "lotId");

  const request = await trx
    .insertInto("placement_request")
    .values({
      child_reference: childReference,
      council_id: actor.organisationId,
      lot_id: checked.lotId,
      service_type: checked.serviceType,
      age_min: checked.ageMin,
      age_max: checked.ageMax,
      gender: checked.gender,
      needs: checked.needs,
      home_district: checked.homeDistrict,
      max_distance_miles: checked.maxDistanceMiles,
      start_on: checked.startOn,
      expected_weeks: checked.expectedWeeks,
      budget_weekly_pence: checked.budgetWeeklyPence,
      summary: checked.summary,
      summary_warnings: checked.summaryWarnings,
      sending: checked.sending,
      tier1_window_hours: checked.tier1WindowHours,
      tier2_window_hours: checked.tier2WindowHours,
      tier1_provider_ids: checked.tier1ProviderIds,
      tier2_provider_ids: checked.tier2ProviderIds,
      deadline: checked.deadline,
      created_at: ctx.now,
      created_by: actor.userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();

  const tierOf = (providerId: string) =>
    checked.sending === "all" ? 1 : checked.tier1ProviderIds.includes(providerId) ? 1 : checked.tier2ProviderIds.includes(providerId) ? 2 : 3;
  const w1 = (checked.tier1WindowHours ?? 0) * HOUR_MS;
  const w2 = checked.tier2ProviderIds.length ? (checked.tier2WindowHours ?? 0) * HOUR_MS : 0;
  const dueAt = (tier: number) => new Date(ctx.now.getTime() + (tier === 1 ? 0 : tier === 2 ? w1 : w1 + w2));
  const recipients = match.reached.map((h) => ({ home: h, tier: tierOf(h.providerId) }));
  await trx
    .insertInto("placement_request_recipient")
    .values(
      recipients.map(({ home, tier }) => ({
        request_id: request.id,
        home_id: home.homeId,
        organisation_id: home.providerId,
        tier,
        distance_miles: home.distanceMiles,
        due_at: dueAt(tier),
        sent_at: tier === 1 ? ctx.now : null,
      })),
    )
    .execute();
  const now = recipients.filter((r) => r.tier === 1);
  await emailNewRecipients(trx, request.id, now.map((r) => r.home.homeId), links);
  const byTier = [1, 2, 3].map((t) => recipients.filter((r) => r.tier === t).length);
  await recordAuditEvent(trx, ctx, {
    action: "placement_request.sent",
    summary: `Sent placement request ${childReference} to ${now.length} home${now.length === 1 ? "" : "s"}${recipients.length > now.length ? `, ${recipients.length - now.length} more in later tiers` : ""}`,
    subjects: [
      { type: "placement_request", id: request.id },
      ...[...new Set(recipients.map((r) => r.home.providerId))].map((id) => ({ type: "organisation", id })),
    ],
    after: {
      "Child reference": childReference,
      Sending: checked.sending === "all" ? "All matching homes at once" : `Cascade: tier 1 for ${checked.tier1WindowHours} hours${checked.tier2ProviderIds.length ? `, then tier 2 for ${checked.tier2WindowHours} hours` : ""}, then every other matching home`,
      "Homes reached": checked.sending === "all" ? String(recipients.length) : `Tier 1: ${byTier[0]}, tier 2: ${byTier[1]}, others: ${byTier[2]}`,
      "Homes left out": String(match.leftOut.length),
      "Start date": longDate(checked.startOn),
      Deadline: checked.deadline.toISOString(),
      ...(checked.summaryWarnings.length ? { "Summary warnings confirmed": checked.summaryWarnings.join("; ") } : {}),
    },
  });
  return { requestId: request.id, childReference, sentNow: now.length, later: recipients.length - now.length };
}

/** Emails each active user of the providers of these homes once, naming their homes the request went to. */
async function emailNewRecipients(trx: Trx, requestId: string, homeIds: string[], links: Links): Promise<number> {
  if (homeIds.length === 0) return 0;
  const request = await trx
    .selectFrom("placement_request")
    .innerJoin("organisation", "organisation.id", "placement_request.council_id")
    .selectAll("placement_request")
    .select("organisation.name as council_name")
    .where("placement_request.id", "=", requestId)
    .executeTakeFirstOrThrow();
  const homes = await trx
    .selectFrom("home")
    .innerJoin("organisation", "organisation.id", "home.organisation_id")
    .select(["home.id", "home.name", "home.organisation_id", "organisation.name as organisation_name"])
    .where("home.id", "in", homeIds)
    .orderBy("home.name")
    .execute();
  const labels = await needLabelMap(trx);
  const details = requestDetails(toRequestShape(request), labels);
  const users = await activeProviderUsers(trx, [...new Set(homes.map((h) => h.organisation_id))]);
  let sent = 0;
  for (const user of users) {
    const theirs = homes.filter((h) => h.organisation_id === user.organisation_id);
    await queueEmail(trx, {
      to: user.email,
      template: {
        name: "placement_request_sent",
        props: {
          organisationName: theirs[0]!.organisation_name,
          councilName: request.council_name,
          childReference: request.child_reference,
          homeNames: theirs.map((h) => h.name),
          details,
          deadline: request.deadline,
          requestUrl: `${links.baseUrl}/placement-requests/received/${request.id}`,
        },
      },
    });
    sent++;
  }
  return sent;
}

/** Emails the users of these providers about what became of the request (or of their offer). */
export async function emailOutcome(
  trx: Trx,
  request: { id: string; child_reference: string; council_name: string },
  to: { organisationId: string; organisationName: string; homeName: string | null }[],
  outcome: PlacementOutcome,
  reason: string | null,
  links: Links,
): Promise<void> {
  const users = await activeProviderUsers(trx, [...new Set(to.map((t) => t.organisationId))]);
  for (const user of users) {
    for (const t of to.filter((x) => x.organisationId === user.organisation_id)) {
      await queueEmail(trx, {
        to: user.email,
        template: {
          name: "placement_request_outcome",
          props: {
            organisationName: t.organisationName,
            councilName: request.council_name,
            childReference: request.child_reference,
            outcome,
            homeName: t.homeName,
            reason,
            requestUrl: `${links.baseUrl}/placement-requests/received/${request.id}`,
          },
        },
      });
    }
  }
}

/** The providers a request was sent to (one entry per provider). */
async function providersSentTo(trx: Reader, requestId: string) {
  return trx
    .selectFrom("placement_request_recipient as r")
    .innerJoin("organisation", "organisation.id", "r.organisation_id")
    .select(["r.organisation_id as organisationId", "organisation.name as organisationName"])
    .where("r.request_id", "=", requestId)
    .where("r.sent_at", "is not", null)
    .groupBy(["r.organisation_id", "organisation.name"])
    .orderBy("organisation.name")
    .execute();
}

/** The request locked for a change by its own council's officer; any other council's is not found. */
export async function lockOwnRequest(trx: Trx, requestId: string, actor: Actor) {
  const request = isUuid(requestId)
    ? await trx
        .selectFrom("placement_request")
        .innerJoin("organisation", "organisation.id", "placement_request.council_id")
        .selectAll("placement_request")
        .select("organisation.name as council_name")
        .where("placement_request.id", "=", requestId)
        .forUpdate("placement_request")
        .executeTakeFirst()
    : undefined;
  if (!request || request.council_id !== actor.organisationId) throw new RecordNotFound("placement request");
  return request;
}

/** Not open, or past its deadline (even before the loop has closed it): nothing more can happen to it. */
export function closedMessage(request: { status: PlacementRequestStatus; deadline: Date }, now: Date): string | null {
  if (request.status === "placed") return "This request has been placed, so it takes no more offers or changes";
  if (request.status === "withdrawn") return "This request was withdrawn, so it takes no more offers or changes";
  if (request.status === "closed" || request.deadline.getTime() <= now.getTime()) return "This request closed at its deadline, so it takes no more offers or changes";
  return null;
}

export async function withdrawPlacementRequest(
  trx: Trx,
  input: { requestId: string; expectedVersion: number; reason: string },
  ctx: ActionContext,
  links: Links,
): Promise<void> {
  const actor = commissioningOfficer(ctx, "withdraw a placement request");
  const reason = requiredText(input.reason, "reason", "reason for withdrawing the request", 2000);
  const request = await lockOwnRequest(trx, input.requestId, actor);
  if (request.version !== input.expectedVersion) throw new ConcurrentEditError();
  const closed = closedMessage(request, ctx.now);
  if (closed) throw new ActionRefused(closed);
  await trx
    .updateTable("placement_request")
    .set({ status: "withdrawn", status_reason: reason, status_changed_at: ctx.now, status_changed_by: actor.userId, version: request.version + 1 })
    .where("id", "=", request.id)
    .execute();
  await trx.updateTable("placement_offer").set({ status: "not_taken", decided_at: ctx.now }).where("request_id", "=", request.id).where("status", "=", "made").execute();
  const providers = await providersSentTo(trx, request.id);
  await emailOutcome(trx, request, providers.map((p) => ({ ...p, homeName: null })), "withdrawn", reason, links);
  await recordAuditEvent(trx, ctx, {
    action: "placement_request.withdrawn",
    summary: `Withdrew placement request ${request.child_reference}`,
    subjects: [{ type: "placement_request", id: request.id }],
    before: { Status: REQUEST_STATUS_LABELS.open },
    after: { Status: REQUEST_STATUS_LABELS.withdrawn, "Providers told": String(providers.length) },
    reason,
  });
}

/** Marks these recipients sent, emails their providers and records it, with why it happened early (null: its window ended). */
async function sendToTiers(trx: Trx, requestId: string, homeIds: string[], tiers: Set<number>, early: string | null, ctx: ActionContext, links: Links) {
  await trx.updateTable("placement_request_recipient").set({ sent_at: ctx.now }).where("request_id", "=", requestId).where("home_id", "in", homeIds).execute();
  await emailNewRecipients(trx, requestId, homeIds, links);
  const request = await trx.selectFrom("placement_request").select("child_reference").where("id", "=", requestId).executeTakeFirstOrThrow();
  const tierWords = [...tiers].sort().map((t) => (t === 3 ? "every other matching home" : `tier ${t}`)).join(" and ");
  await recordAuditEvent(trx, ctx, {
    action: "placement_request.tier_sent",
    summary: `Sent placement request ${request.child_reference} to ${tierWords}: ${homeIds.length} home${homeIds.length === 1 ? "" : "s"}`,
    subjects: [{ type: "placement_request", id: requestId }],
    after: { "Homes sent to": String(homeIds.length), ...(early ? { "Sent early because": early } : {}) },
  });
}

/**
 * When every home sent a cascading request so far has declined, waiting out
 * the window helps no one: the next tier is sent now. Called in the decline's
 * transaction, with the request row already locked.
 */
export async function sendNextTierIfAllDeclined(trx: Trx, requestId: string, ctx: ActionContext, links: Links): Promise<number> {
  const recipients = await trx
    .selectFrom("placement_request_recipient as r")
    .leftJoin("placement_decline as d", (j) => j.onRef("d.request_id", "=", "r.request_id").onRef("d.home_id", "=", "r.home_id"))
    .select(["r.home_id", "r.tier", "r.sent_at", "d.id as decline_id"])
    .where("r.request_id", "=", requestId)
    .execute();
  const sent = recipients.filter((r) => r.sent_at !== null);
  const waiting = recipients.filter((r) => r.sent_at === null);
  if (waiting.length === 0 || sent.some((r) => r.decline_id === null)) return 0;
  const next = Math.min(...waiting.map((r) => r.tier));
  const homeIds = waiting.filter((r) => r.tier === next).map((r) => r.home_id);
  await sendToTiers(trx, requestId, homeIds, new Set([next]), "every home sent it before had declined", ctx, links);
  return homeIds.length;
}

/**
 * For the background loop, every few minutes on each instance: sends each
 * open request to its next tier once the window before it has ended, and
 * closes requests whose deadline has passed (offers not taken, providers
 * told). Rows are taken with SKIP LOCKED and re-checked under the lock, so
 * two instances running at once never send or close anything twice.
 */
export async function advancePlacementRequests(trx: Trx, ctx: ActionContext, links: Links): Promise<{ sent: number; closed: number }> {
  const due = await trx
    .selectFrom("placement_request_recipient as r")
    .innerJoin("placement_request as q", "q.id", "r.request_id")
    .select(["r.request_id", "r.home_id", "r.tier"])
    .where("r.sent_at", "is", null)
    .where("r.due_at", "<=", ctx.now)
    .where("q.status", "=", "open")
    .where("q.deadline", ">", ctx.now)
    .orderBy("r.request_id")
    .orderBy("r.home_id")
    .forUpdate("r")
    .skipLocked()
    .execute();
  const byRequest = new Map<string, { homeIds: string[]; tiers: Set<number> }>();
  for (const d of due) {
    const entry = byRequest.get(d.request_id) ?? { homeIds: [], tiers: new Set<number>() };
    entry.homeIds.push(d.home_id);
    entry.tiers.add(d.tier);
    byRequest.set(d.request_id, entry);
  }
  for (const [requestId, { homeIds, tiers }] of byRequest) await sendToTiers(trx, requestId, homeIds, tiers, null, ctx, links);

  const ending = await trx
    .selectFrom("placement_request")
    .innerJoin("organisation", "organisation.id", "placement_request.council_id")
    .select(["placement_request.id", "placement_request.child_reference", "placement_request.version", "organisation.name as council_name"])
    .where("placement_request.status", "=", "open")
    .where("placement_request.deadline", "<=", ctx.now)
    .orderBy("placement_request.id")
    .forUpdate("placement_request")
    .skipLocked()
    .execute();
  for (const request of ending) {
    await trx
      .updateTable("placement_request")
      .set({ status: "closed", status_reason: "The deadline for offers passed without a placement", status_changed_at: ctx.now, version: request.version + 1 })
      .where("id", "=", request.id)
      .execute();
    const offers = await trx
      .updateTable("placement_offer")
      .set({ status: "not_taken", decided_at: ctx.now })
      .where("request_id", "=", request.id)
      .where("status", "=", "made")
      .returning("id")
      .execute();
    const providers = await providersSentTo(trx, request.id);
    await emailOutcome(trx, request, providers.map((p) => ({ ...p, homeName: null })), "closed", null, links);
    await recordAuditEvent(trx, ctx, {
      action: "placement_request.closed",
      summary: `Closed placement request ${request.child_reference} at its deadline without a placement`,
      subjects: [{ type: "placement_request", id: request.id }],
      before: { Status: REQUEST_STATUS_LABELS.open },
      after: { Status: REQUEST_STATUS_LABELS.closed, "Offers not taken": String(offers.length), "Providers told": String(providers.length) },
    });
  }
  return { sent: due.length, closed: ending.length };
}

// ---- Reading ----

export interface PlacementRequestView {
  id: string;
  childReference: string;
  councilId: string;
  councilName: string;
  lotId: string;
  lotTitle: string;
  agreementTitle: string;
  serviceType: ServiceType;
  ageMin: number;
  ageMax: number;
  gender: Gender;
  needs: string[];
  homeDistrict: string;
  maxDistanceMiles: number | null;
  startOn: string;
  expectedWeeks: number | null;
  budgetWeeklyPence: number | null;
  summary: string;
  summaryWarnings: string[];
  sending: PlacementSending;
  tier1WindowHours: number | null;
  tier2WindowHours: number | null;
  deadline: Date;
  status: PlacementRequestStatus;
  statusReason: string | null;
  createdAt: Date;
  version: number;
}

type RequestRow = Selectable<PlacementRequestTable>;

function toRequestShape(r: RequestRow) {
  return {
    ageMin: r.age_min,
    ageMax: r.age_max,
    gender: r.gender,
    needs: r.needs,
    homeDistrict: r.home_district,
    startOn: r.start_on,
    expectedWeeks: r.expected_weeks,
    serviceType: r.service_type,
  };
}

async function readRequest(db: Reader, requestId: string): Promise<PlacementRequestView | null> {
  if (!isUuid(requestId)) return null;
  const r = await db
    .selectFrom("placement_request")
    .innerJoin("organisation", "organisation.id", "placement_request.council_id")
    .innerJoin("lot", "lot.id", "placement_request.lot_id")
    .innerJoin("agreement", "agreement.id", "lot.agreement_id")
    .selectAll("placement_request")
    .select(["organisation.name as council_name", "lot.title as lot_title", "lot.number as lot_number", "agreement.title as agreement_title"])
    .where("placement_request.id", "=", requestId)
    .executeTakeFirst();
  if (!r) return null;
  return {
    id: r.id,
    childReference: r.child_reference,
    councilId: r.council_id,
    councilName: r.council_name,
    lotId: r.lot_id,
    lotTitle: `Lot ${r.lot_number}: ${r.lot_title}`,
    agreementTitle: r.agreement_title,
    serviceType: r.service_type,
    ageMin: r.age_min,
    ageMax: r.age_max,
    gender: r.gender,
    needs: r.needs,
    homeDistrict: r.home_district,
    maxDistanceMiles: r.max_distance_miles,
    startOn: r.start_on,
    expectedWeeks: r.expected_weeks,
    budgetWeeklyPence: r.budget_weekly_pence,
    summary: r.summary,
    summaryWarnings: r.summary_warnings,
    sending: r.sending,
    tier1WindowHours: r.tier1_window_hours,
    tier2WindowHours: r.tier2_window_hours,
    deadline: r.deadline,
    status: r.status,
    statusReason: r.status_reason,
    createdAt: r.created_at,
    version: r.version,
  };
}

/** A council's own request (for its staff); another council's is null (not found). */
export async function councilRequest(db: Reader, requestId: string, councilId: string): Promise<PlacementRequestView | null> {
  const request = await readRequest(db, requestId);
  return request && request.councilId === councilId ? request : null;
}

export interface RecipientView {
  homeId: string;
  homeName: string;
  providerId: string;
  providerName: string;
  tier: number;
  dueAt: Date;
  sentAt: Date | null;
  distanceMiles: number | null;
  response: "offer" | "decline" | null;
}

export async function requestRecipients(db: Reader, requestId: string): Promise<RecipientView[]> {
  const rows = await db
    .selectFrom("placement_request_recipient as r")
    .innerJoin("home", "home.id", "r.home_id")
    .innerJoin("organisation", "organisation.id", "r.organisation_id")
    .leftJoin("placement_offer as o", (j) => j.onRef("o.request_id", "=", "r.request_id").onRef("o.home_id", "=", "r.home_id"))
    .leftJoin("placement_decline as d", (j) => j.onRef("d.request_id", "=", "r.request_id").onRef("d.home_id", "=", "r.home_id"))
    .select(["r.home_id", "home.name as home_name", "r.organisation_id", "organisation.name as provider_name", "r.tier", "r.due_at", "r.sent_at", "r.distance_miles", "o.id as offer_id", "d.id as decline_id"])
    .where("r.request_id", "=", requestId)
    .orderBy("r.tier")
    .orderBy("organisation.name")
    .orderBy("home.name")
    .execute();
  return rows.map((r) => ({
    homeId: r.home_id,
    homeName: r.home_name,
    providerId: r.organisation_id,
    providerName: r.provider_name,
    tier: r.tier,
    dueAt: r.due_at,
    sentAt: r.sent_at,
    distanceMiles: r.distance_miles,
    response: r.offer_id ? "offer" : r.decline_id ? "decline" : null,
  }));
}

export interface RequestListItem {
  id: string;
  childReference: string;
  startOn: string;
  deadline: Date;
  status: PlacementRequestStatus;
  createdAt: Date;
  homesSent: number;
  offers: number;
  declines: number;
}

/** A council's requests, newest first, with counts. */
export async function listCouncilRequests(db: Reader, councilId: string, limit = 200): Promise<RequestListItem[]> {
  const rows = await db
    .selectFrom("placement_request as q")
    .select((eb) => [
      "q.id",
      "q.child_reference",
      "q.start_on",
      "q.deadline",
      "q.status",
      "q.created_at",
      eb.selectFrom("placement_request_recipient as r").select(eb.fn.countAll<number>().as("n")).whereRef("r.request_id", "=", "q.id").where("r.sent_at", "is not", null).as("homes_sent"),
      eb.selectFrom("placement_offer as o").select(eb.fn.countAll<number>().as("n")).whereRef("o.request_id", "=", "q.id").as("offers"),
      eb.selectFrom("placement_decline as d").select(eb.fn.countAll<number>().as("n")).whereRef("d.request_id", "=", "q.id").as("declines"),
    ])
    .where("q.council_id", "=", councilId)
    .orderBy("q.created_at", "desc")
    .orderBy("q.id")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    childReference: r.child_reference,
    startOn: r.start_on,
    deadline: r.deadline,
    status: r.status,
    createdAt: r.created_at,
    homesSent: Number(r.homes_sent ?? 0),
    offers: Number(r.offers ?? 0),
    declines: Number(r.declines ?? 0),
  }));
}

export interface ReceivedRequest extends RequestListItem {
  councilName: string;
  /** This provider's homes it was sent to, with their response. */
  homes: { homeId: string; homeName: string; response: "offer" | "decline" | null }[];
}

/** The requests sent to a provider's homes (never those not yet released to them), newest first. */
export async function listReceivedRequests(db: Reader, organisationId: string, limit = 200): Promise<ReceivedRequest[]> {
  const rows = await db
    .selectFrom("placement_request_recipient as r")
    .innerJoin("placement_request as q", "q.id", "r.request_id")
    .innerJoin("organisation as c", "c.id", "q.council_id")
    .innerJoin("home", "home.id", "r.home_id")
    .leftJoin("placement_offer as o", (j) => j.onRef("o.request_id", "=", "r.request_id").onRef("o.home_id", "=", "r.home_id"))
    .leftJoin("placement_decline as d", (j) => j.onRef("d.request_id", "=", "r.request_id").onRef("d.home_id", "=", "r.home_id"))
    .select(["q.id", "q.child_reference", "q.start_on", "q.deadline", "q.status", "r.sent_at", "c.name as council_name", "r.home_id", "home.name as home_name", "o.id as offer_id", "d.id as decline_id"])
    .where("r.organisation_id", "=", organisationId)
    .where("r.sent_at", "is not", null)
    .orderBy("r.sent_at", "desc")
    .orderBy("q.id")
    .orderBy("home.name")
    .limit(limit * 5)
    .execute();
  const out = new Map<string, ReceivedRequest>();
  for (const r of rows) {
    const item =
      out.get(r.id) ??
      ({ id: r.id, childReference: r.child_reference, startOn: r.start_on, deadline: r.deadline, status: r.status, createdAt: r.sent_at!, homesSent: 0, offers: 0, declines: 0, councilName: r.council_name, homes: [] } as ReceivedRequest);
    item.homes.push({ homeId: r.home_id, homeName: r.home_name, response: r.offer_id ? "offer" : r.decline_id ? "decline" : null });
    item.homesSent++;
    if (r.offer_id) item.offers++;
    if (r.decline_id) item.declines++;
    out.set(r.id, item);
  }
  return [...out.values()].slice(0, limit);
}

/**
 * A request as a provider sees it: only when it was sent to one of its homes,
 * else null (not found), and without the other providers' homes or tiers.
 */
export async function receivedRequest(db: Reader, requestId: string, organisationId: string): Promise<(PlacementRequestView & { homes: RecipientView[] }) | null> {
  const request = await readRequest(db, requestId);
  if (!request) return null;
  const homes = (await requestRecipients(db, requestId)).filter((r) => r.providerId === organisationId && r.sentAt !== null);
  if (homes.length === 0) return null;
  return { ...request, homes };
}

/** The lots a request can be made under, as "Agreement: Lot n, title", in agreement then lot order. */
export async function lotChoices(db: Reader): Promise<{ id: string; label: string }[]> {
  const rows = await db
    .selectFrom("lot")
    .innerJoin("agreement", "agreement.id", "lot.agreement_id")
    .select(["lot.id", "lot.number", "lot.title", "agreement.title as agreement_title"])
    .where("agreement.status", "<>", "expired")
    .orderBy("agreement.title")
    .orderBy("lot.number")
    .execute();
  return rows.map((r) => ({ id: r.id, label: `${r.agreement_title}: lot ${r.number}, ${r.title}` }));
}
