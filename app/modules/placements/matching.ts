// Matching a placement request: which homes it reaches and, for every other
// home, each reason it is left out. The request's criteria are checked in
// requests.ts; sending it to the homes found here is in sending.ts.
import type { Gender, Reader, ServiceType } from "#app/database/schema";
import { longDate } from "#app/modules/common/input";
import { SERVICE_TYPE_LABELS } from "#app/modules/homes/homes";
import { GENDER_LABELS } from "#app/modules/homes/statement-of-purpose";
import { bedFree, byDistanceThen, marketAt, milesFromDistrict, staleAt, type Measured } from "#app/modules/placements/market";

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

/**
 * Which homes a request would reach, and for every other home each reason it
 * is left out (type of home, lot, no Statement of Purpose, age, gender, needs,
 * suspended, no vacancy by the start date, too far, distance unknown), worked
 * out over the market as kept (market.ts, decision 048); inside a transaction,
 * as when a request is sent, over the market as the transaction reads it.
 */
export async function matchRequest(db: Reader, criteria: MatchCriteria, now: Date, options: { leftOutListed?: number } = {}): Promise<MatchResult> {
  const market = await marketAt(db, now);
  // Miles to every district from the child's, worked out once per market; null when that district is unknown.
  const miles = milesFromDistrict(market, criteria.homeDistrict);
  const limit = criteria.maxDistanceMiles;
  // Each home's reasons as bits first, counted as they are found; only the homes reached and
  // the nearest left out listed are then named in full (with thousands of homes, naming every
  // reason of every home cost ten times the matching).
  const reached: Candidate[] = [];
  const leftOut: Candidate[] = [];
  const counts = new Array<number>(REASON_CODES.length).fill(0);
  for (const home of market.homes) {
    const distanceMiles = miles?.get(home.postcodeDistrict) ?? null;
    const statement = home.statement;
    let bits = 0;
    if (home.serviceType !== criteria.serviceType) bits |= BIT.service_type;
    if (!home.lots.has(criteria.lotId)) bits |= BIT.lot;
    if (!statement) bits |= BIT.no_statement;
    else {
      if (statement.ageMin > criteria.ageMin || statement.ageMax < criteria.ageMax) bits |= BIT.age;
      if (!statement.genders.has(criteria.gender)) bits |= BIT.gender;
    }
    for (const need of criteria.needs) if (!home.needSet.has(need)) bits |= BIT.needs;
    if (home.suspended) bits |= BIT.suspended;
    if (!bedFree(home, criteria.startOn, criteria.needs)) bits |= BIT.no_vacancy;
    if (limit !== null && miles) {
      if (distanceMiles === null) bits |= BIT.distance_unknown;
      else if (distanceMiles > limit) bits |= BIT.too_far;
    }
    const candidate: Candidate = { home, distanceMiles, bits };
    if (bits === 0) reached.push(candidate);
    else {
      leftOut.push(candidate);
      for (let i = 0; i < REASON_CODES.length; i++) if (bits & (1 << i)) counts[i]! += 1;
    }
  }
  const order = byDistanceThen(
    (home) => home.providerName,
    (home) => home.name,
  );
  const listed = options.leftOutListed ?? null;
  const matched = (c: Candidate): MatchedHome => ({
    homeId: c.home.id,
    name: c.home.name,
    providerId: c.home.providerId,
    providerName: c.home.providerName,
    postcodeDistrict: c.home.postcodeDistrict,
    distanceMiles: c.distanceMiles,
    ofstedGrade: c.home.ofstedGrade,
    staleVacancy: staleAt(c.home, now),
  });
  return {
    origin: { outcode: criteria.homeDistrict, known: miles !== null },
    reached: reached.sort(order).map(matched),
    leftOut: (listed === null ? leftOut.sort(order) : nearest(leftOut, listed, order)).map((c) => ({ ...matched(c), reasons: reasonsOf(c, criteria) })),
    leftOutTotal: leftOut.length,
    reasonCounts: Object.fromEntries(REASON_CODES.flatMap((code, i) => (counts[i]! > 0 ? [[code, counts[i]!]] : []))),
  };
}

interface Candidate extends Measured {
  /** The reasons it is left out, each one's bit (BIT) set. */
  bits: number;
}

const REASON_CODES = ["service_type", "lot", "no_statement", "age", "gender", "needs", "suspended", "no_vacancy", "too_far", "distance_unknown"] as const satisfies readonly LeftOutReason["code"][];
/** Each reason's bit in a candidate's `bits`. */
const BIT = Object.fromEntries(REASON_CODES.map((code, i) => [code, 1 << i])) as Record<LeftOutReason["code"], number>;

/** A left-out home's reasons in full, in the order they are tested. */
function reasonsOf(c: Candidate, criteria: MatchCriteria): LeftOutReason[] {
  const has = (code: LeftOutReason["code"]) => (c.bits & BIT[code]) !== 0;
  const reasons: LeftOutReason[] = [];
  if (has("service_type")) reasons.push({ code: "service_type", registeredAs: c.home.serviceType });
  if (has("lot")) reasons.push({ code: "lot" });
  if (has("no_statement")) reasons.push({ code: "no_statement" });
  if (has("age")) reasons.push({ code: "age", ageMin: c.home.statement!.ageMin, ageMax: c.home.statement!.ageMax });
  if (has("gender")) reasons.push({ code: "gender" });
  if (has("needs")) reasons.push({ code: "needs", missing: criteria.needs.filter((n) => !c.home.needSet.has(n)) });
  if (has("suspended")) reasons.push({ code: "suspended" });
  if (has("no_vacancy")) reasons.push({ code: "no_vacancy" });
  if (has("distance_unknown")) reasons.push({ code: "distance_unknown" });
  if (has("too_far")) reasons.push({ code: "too_far", miles: c.distanceMiles! });
  return reasons;
}

/** The first `n` of `items` in `order`, without sorting them all. */
function nearest<T>(items: T[], n: number, order: (a: T, b: T) => number): T[] {
  if (items.length <= n * 4) return items.sort(order).slice(0, n);
  const kept: T[] = [];
  for (const item of items) {
    if (kept.length === n && order(item, kept[n - 1]!) >= 0) continue;
    let at = kept.length;
    while (at > 0 && order(item, kept[at - 1]!) < 0) at -= 1;
    kept.splice(at, 0, item);
    if (kept.length > n) kept.pop();
  }
  return kept;
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
