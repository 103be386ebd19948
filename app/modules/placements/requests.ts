// Placement requests: a child's need described without identifying them,
// checked (the criteria, the summary's warnings, the cascade's tiers and
// windows) and read back for the council that made them and the providers
// they were sent to. Matching is in matching.ts, creating, sending, the
// cascade, withdrawing and closing in sending.ts, offers and declines in
// offers.ts, the placements they become in placements.ts (decision 017).
import { type Selectable } from "kysely";
import type { Gender, PlacementRequestStatus, PlacementRequestTable, PlacementSending, Reader, ServiceType } from "#app/database/schema";
import { isoDate, isUuid, longDate, requiredText, ukDate } from "#app/modules/common/input";
import { ActionRefused } from "#app/modules/errors";
import { normalisePostcodeDistrict, SERVICE_TYPE_LABELS, isServiceType } from "#app/modules/homes/homes";
import { GENDER_LABELS, isGender } from "#app/modules/homes/statement-of-purpose";
import type { MatchCriteria } from "#app/modules/placements/matching";

/** Each later tier waits this long by default (tier 1's exclusive window, then tier 2's). */
export const DEFAULT_TIER_WINDOW_HOURS = 24;
export const HOUR_MS = 3_600_000;

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

export interface CheckedRequest extends MatchCriteria {
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

export async function checkRequest(db: Reader, input: PlacementRequestInput, now: Date): Promise<CheckedRequest> {
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

/** Not open, or past its deadline (even before the loop has closed it): nothing more can happen to it. */
export function closedMessage(request: { status: PlacementRequestStatus; deadline: Date }, now: Date): string | null {
  if (request.status === "placed") return "This request has been placed, so it takes no more offers or changes";
  if (request.status === "withdrawn") return "This request was withdrawn, so it takes no more offers or changes";
  if (request.status === "closed" || request.deadline.getTime() <= now.getTime()) return "This request closed at its deadline, so it takes no more offers or changes";
  return null;
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

export function toRequestShape(r: RequestRow) {
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
