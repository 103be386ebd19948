// Providers answer a placement request for each home it was sent to: an offer
// (weekly fee, start date, any additional support cost with its reason,
// notes) or a decline (a reason from a list, and words). A request not sent to
// the provider's home is "not found"; a request no longer open takes nothing.
// The commissioner compares the offers, ranked by a weighting they can change
// (decision 017), and accepting one makes the placement and tells the others.
import type { DeclineReason, OfferStatus, Reader, Trx } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { isoDate, isUuid, longDate, optionalText, requiredText } from "#app/modules/common/input";
import { ActionRefused, ConcurrentEditError, RecordNotFound } from "#app/modules/errors";
import type { ActionContext, Actor } from "#app/modules/identity/actor";
import { queueEmail } from "#app/modules/outbox/outbox";
import { checkFunding, commissioningOfficer, createPlacement, type FundingSplit } from "#app/modules/placements/placements";
import { closedMessage, REQUEST_STATUS_LABELS, type Links } from "#app/modules/placements/requests";
import { emailOutcome, lockOwnRequest, sendNextTierIfAllDeclined } from "#app/modules/placements/sending";
import { FRESH_FOR_DAYS } from "#app/modules/vacancies/vacancies";
import { pounds } from "#app/web/format";

registerAuditActions({
  "placement_request.offered": "Offered a home for a placement request",
  "placement_request.declined": "Declined a placement request",
  "placement_request.offer_accepted": "Accepted an offer and made the placement",
});

export const DECLINE_REASON_LABELS: Record<DeclineReason, string> = {
  no_vacancy: "No bed free by the start date",
  needs_not_met: "Cannot meet the child's needs",
  matching_risk: "Risk to or from the children already living there",
  staffing: "Not enough staff",
  location: "Location not suitable",
  budget: "Cannot offer within the budget",
  other: "Another reason",
};

export function isDeclineReason(value: string): value is DeclineReason {
  return value in DECLINE_REASON_LABELS;
}

function providerUser(ctx: ActionContext): Actor {
  const actor = ctx.actor;
  if (!actor || actor.organisationKind !== "provider" || !actor.roles.includes("provider_user")) {
    throw new ActionRefused("Only a provider's users can answer a placement request");
  }
  return actor;
}

/**
 * The request and the recipient row for this home, locked, when the request
 * was sent to this provider's home; otherwise "not found" (decision 006).
 * Refused when the request is closed, or the home has already answered.
 */
async function lockReceived(trx: Trx, requestId: string, homeId: string, actor: Actor, now: Date) {
  if (!isUuid(requestId) || !isUuid(homeId)) throw new RecordNotFound("placement request");
  const request = await trx
    .selectFrom("placement_request")
    .innerJoin("organisation", "organisation.id", "placement_request.council_id")
    .selectAll("placement_request")
    .select("organisation.name as council_name")
    .where("placement_request.id", "=", requestId)
    .forUpdate("placement_request")
    .executeTakeFirst();
  const recipient = request
    ? await trx
        .selectFrom("placement_request_recipient as r")
        .innerJoin("home", "home.id", "r.home_id")
        .innerJoin("organisation", "organisation.id", "r.organisation_id")
        .select(["r.home_id", "r.organisation_id", "r.sent_at", "home.name as home_name", "organisation.name as provider_name"])
        .where("r.request_id", "=", requestId)
        .where("r.home_id", "=", homeId)
        .executeTakeFirst()
    : undefined;
  if (!request || !recipient || recipient.sent_at === null || recipient.organisation_id !== actor.organisationId) throw new RecordNotFound("placement request");
  const closed = closedMessage(request, now);
  if (closed) throw new ActionRefused(closed);
  const answered = await trx
    .selectFrom("placement_offer")
    .select((eb) => eb.val("offer").as("kind"))
    .where("request_id", "=", requestId)
    .where("home_id", "=", homeId)
    .unionAll(trx.selectFrom("placement_decline").select((eb) => eb.val("decline").as("kind")).where("request_id", "=", requestId).where("home_id", "=", homeId))
    .executeTakeFirst();
  if (answered) throw new ActionRefused(`${recipient.home_name} has already ${answered.kind === "offer" ? "offered" : "declined"} for this request`, "homeId");
  return { request, recipient };
}

async function tellOfficer(trx: Trx, request: { id: string; created_by: string | null; child_reference: string }, props: { providerName: string; homeName: string; response: "offer" | "decline"; detail: string }, links: Links) {
  if (!request.created_by) return;
  const officer = await trx.selectFrom("app_user").select(["email", "status"]).where("id", "=", request.created_by).executeTakeFirst();
  if (!officer || officer.status !== "active") return;
  await queueEmail(trx, {
    to: officer.email,
    template: {
      name: "placement_response_received",
      props: { childReference: request.child_reference, ...props, requestUrl: `${links.baseUrl}/placement-requests/${request.id}` },
    },
  });
}

export interface OfferInput {
  requestId: string;
  homeId: string;
  weeklyFeePence: number;
  startOn: string;
  additionalSupportWeeklyPence: number | null;
  additionalSupportReason: string | null;
  notes: string | null;
}

export async function makeOffer(trx: Trx, input: OfferInput, ctx: ActionContext, links: Links): Promise<{ offerId: string }> {
  const actor = providerUser(ctx);
  const { request, recipient } = await lockReceived(trx, input.requestId, input.homeId, actor, ctx.now);
  if (!Number.isSafeInteger(input.weeklyFeePence) || input.weeklyFeePence <= 0) throw new ActionRefused("Enter the weekly fee in pounds, like 5200 or 5200.50", "weeklyFeePence");
  const startOn = isoDate(input.startOn, "startOn", "start date you can offer");
  if (startOn < request.start_on) throw new ActionRefused(`The start date cannot be before the date the child needs, ${longDate(request.start_on)}`, "startOn");
  const support = input.additionalSupportWeeklyPence;
  if (support !== null && (!Number.isSafeInteger(support) || support <= 0)) throw new ActionRefused("Enter the additional support cost per week in pounds, or leave it empty", "additionalSupportWeeklyPence");
  const supportReason = optionalText(input.additionalSupportReason, "additionalSupportReason", "reason for the additional support", 2000);
  if (support !== null && !supportReason) throw new ActionRefused("Enter what the additional support is for", "additionalSupportReason");
  if (support === null && supportReason) throw new ActionRefused("Enter the additional support cost per week, or remove its reason", "additionalSupportWeeklyPence");
  const notes = optionalText(input.notes, "notes", "notes", 2000);
  const offer = await trx
    .insertInto("placement_offer")
    .values({
      request_id: request.id,
      home_id: recipient.home_id,
      weekly_fee_pence: input.weeklyFeePence,
      start_on: startOn,
      additional_support_weekly_pence: support,
      additional_support_reason: supportReason,
      notes,
      made_at: ctx.now,
      made_by: actor.userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const fee = `${pounds(input.weeklyFeePence)} a week${support ? ` plus ${pounds(support)} a week additional support` : ""}, from ${longDate(startOn)}`;
  await tellOfficer(trx, request, { providerName: recipient.provider_name, homeName: recipient.home_name, response: "offer", detail: `Offered at ${fee}.` }, links);
  await recordAuditEvent(trx, ctx, {
    action: "placement_request.offered",
    summary: `Offered ${recipient.home_name} for placement request ${request.child_reference}`,
    subjects: [
      { type: "placement_request", id: request.id },
      { type: "placement_offer", id: offer.id },
      { type: "home", id: recipient.home_id },
    ],
    after: {
      "Weekly fee": pounds(input.weeklyFeePence),
      Start: longDate(startOn),
      ...(support ? { "Additional support per week": pounds(support), "Additional support for": supportReason } : {}),
      ...(notes ? { Notes: notes } : {}),
    },
  });
  return { offerId: offer.id };
}

export async function declineRequest(
  trx: Trx,
  input: { requestId: string; homeId: string; reason: string; details: string | null },
  ctx: ActionContext,
  links: Links,
): Promise<void> {
  const actor = providerUser(ctx);
  const { request, recipient } = await lockReceived(trx, input.requestId, input.homeId, actor, ctx.now);
  if (!isDeclineReason(input.reason)) throw new ActionRefused("Select the reason you are declining", "reason");
  const details = input.reason === "other" ? requiredText(input.details, "details", "reason you are declining", 2000) : optionalText(input.details, "details", "more about the reason", 2000);
  const row = await trx
    .insertInto("placement_decline")
    .values({ request_id: request.id, home_id: recipient.home_id, reason: input.reason, details, declined_at: ctx.now, declined_by: actor.userId })
    .returning("id")
    .executeTakeFirstOrThrow();
  const words = `${DECLINE_REASON_LABELS[input.reason]}${details ? `: ${details}` : ""}`;
  await tellOfficer(trx, request, { providerName: recipient.provider_name, homeName: recipient.home_name, response: "decline", detail: `Reason: ${words}` }, links);
  await recordAuditEvent(trx, ctx, {
    action: "placement_request.declined",
    summary: `Declined placement request ${request.child_reference} for ${recipient.home_name}`,
    subjects: [
      { type: "placement_request", id: request.id },
      { type: "placement_decline", id: row.id },
      { type: "home", id: recipient.home_id },
    ],
    after: { Reason: DECLINE_REASON_LABELS[input.reason], ...(details ? { Details: details } : {}) },
  });
  await sendNextTierIfAllDeclined(trx, request.id, ctx, links);
}

// ---- Comparing offers ----

/**
 * How offers are ranked: each criterion scores 0..1 and the score is the
 * weighted mean, out of 100. Fee: the lowest weekly cost (fee plus additional
 * support) among the offers over this one's. Distance: the nearest over this
 * one's (a home within a mile scores 1; unknown scores 0). Ofsted: Outstanding
 * 1, Good 2/3, Requires improvement 1/3, otherwise 0. Freshness: 1 when the
 * vacancy was confirmed within 7 days, falling to 0 at 35 days (or never).
 */
export interface OfferWeights {
  fee: number;
  distance: number;
  grade: number;
  freshness: number;
}

export const DEFAULT_OFFER_WEIGHTS: OfferWeights = { fee: 40, distance: 25, grade: 25, freshness: 10 };

export function checkWeights(weights: OfferWeights): OfferWeights {
  for (const [key, value] of Object.entries(weights) as [keyof OfferWeights, number][]) {
    if (!Number.isInteger(value) || value < 0 || value > 100) throw new ActionRefused("Enter each weight as a whole number from 0 to 100", `weights.${key}`);
  }
  if (weights.fee + weights.distance + weights.grade + weights.freshness === 0) throw new ActionRefused("Give at least one criterion a weight above 0", "weights.fee");
  return weights;
}

export interface ComparedOffer {
  offerId: string;
  homeId: string;
  homeName: string;
  providerName: string;
  weeklyFeePence: number;
  additionalSupportWeeklyPence: number | null;
  additionalSupportReason: string | null;
  weeklyCostPence: number;
  startOn: string;
  notes: string | null;
  status: OfferStatus;
  madeAt: Date;
  distanceMiles: number | null;
  ofstedGrade: number | null;
  vacancyConfirmedAt: Date | null;
  /** Over the request's weekly budget guidance, when it gave one. */
  overBudget: boolean;
  scores: { fee: number; distance: number; grade: number; freshness: number };
  /** Out of 100, one decimal place. */
  score: number;
  rank: number;
}

const DAY_MS = 86_400_000;

export async function compareOffers(db: Reader, requestId: string, weights: OfferWeights, now: Date): Promise<ComparedOffer[]> {
  checkWeights(weights);
  if (!isUuid(requestId)) return [];
  const rows = await db
    .selectFrom("placement_offer as o")
    .innerJoin("placement_request as q", "q.id", "o.request_id")
    .innerJoin("placement_request_recipient as r", (j) => j.onRef("r.request_id", "=", "o.request_id").onRef("r.home_id", "=", "o.home_id"))
    .innerJoin("home", "home.id", "o.home_id")
    .innerJoin("organisation as org", "org.id", "home.organisation_id")
    .leftJoin("vacancy as v", "v.home_id", "o.home_id")
    .select([
      "o.id",
      "o.home_id",
      "home.name as home_name",
      "org.name as provider_name",
      "o.weekly_fee_pence",
      "o.additional_support_weekly_pence",
      "o.additional_support_reason",
      "o.start_on",
      "o.notes",
      "o.status",
      "o.made_at",
      "r.distance_miles",
      "home.ofsted_grade",
      "v.last_confirmed_at",
      "q.budget_weekly_pence",
    ])
    .where("o.request_id", "=", requestId)
    .orderBy("o.made_at")
    .execute();
  if (rows.length === 0) return [];
  const cost = (r: (typeof rows)[number]) => r.weekly_fee_pence + (r.additional_support_weekly_pence ?? 0);
  const cheapest = Math.min(...rows.map(cost));
  const distances = rows.map((r) => r.distance_miles).filter((d): d is number => d !== null);
  const nearest = Math.max(1, distances.length ? Math.min(...distances) : 1);
  const total = weights.fee + weights.distance + weights.grade + weights.freshness;
  const scored = rows.map((r) => {
    const days = r.last_confirmed_at ? (now.getTime() - r.last_confirmed_at.getTime()) / DAY_MS : Infinity;
    const scores = {
      fee: cheapest / cost(r),
      distance: r.distance_miles === null ? 0 : nearest / Math.max(1, r.distance_miles),
      grade: r.ofsted_grade !== null && r.ofsted_grade >= 1 && r.ofsted_grade <= 3 ? (4 - r.ofsted_grade) / 3 : 0,
      freshness: days <= FRESH_FOR_DAYS ? 1 : Math.max(0, 1 - (days - FRESH_FOR_DAYS) / 28),
    };
    const score = Math.round(((weights.fee * scores.fee + weights.distance * scores.distance + weights.grade * scores.grade + weights.freshness * scores.freshness) / total) * 1000) / 10;
    return {
      offerId: r.id,
      homeId: r.home_id,
      homeName: r.home_name,
      providerName: r.provider_name,
      weeklyFeePence: r.weekly_fee_pence,
      additionalSupportWeeklyPence: r.additional_support_weekly_pence,
      additionalSupportReason: r.additional_support_reason,
      weeklyCostPence: cost(r),
      startOn: r.start_on,
      notes: r.notes,
      status: r.status,
      madeAt: r.made_at,
      distanceMiles: r.distance_miles,
      ofstedGrade: r.ofsted_grade,
      vacancyConfirmedAt: r.last_confirmed_at,
      overBudget: r.budget_weekly_pence !== null && cost(r) > r.budget_weekly_pence,
      scores,
      score,
      rank: 0,
    };
  });
  scored.sort((a, b) => b.score - a.score || a.weeklyCostPence - b.weeklyCostPence || a.madeAt.getTime() - b.madeAt.getTime());
  scored.forEach((s, i) => (s.rank = i + 1));
  return scored;
}

/** A provider's own answers to a request: its offers and declines, never another provider's. */
export async function ownResponses(db: Reader, requestId: string, organisationId: string) {
  if (!isUuid(requestId)) return { offers: [], declines: [] };
  const [offers, declines] = await Promise.all([
    db
      .selectFrom("placement_offer as o")
      .innerJoin("home", "home.id", "o.home_id")
      .select(["o.id", "o.home_id", "home.name as home_name", "o.weekly_fee_pence", "o.additional_support_weekly_pence", "o.additional_support_reason", "o.start_on", "o.notes", "o.status", "o.made_at"])
      .where("o.request_id", "=", requestId)
      .where("home.organisation_id", "=", organisationId)
      .orderBy("home.name")
      .execute(),
    db
      .selectFrom("placement_decline as d")
      .innerJoin("home", "home.id", "d.home_id")
      .select(["d.id", "d.home_id", "home.name as home_name", "d.reason", "d.details", "d.declined_at"])
      .where("d.request_id", "=", requestId)
      .where("home.organisation_id", "=", organisationId)
      .orderBy("home.name")
      .execute(),
  ]);
  return { offers, declines };
}

/** Why providers declined: per request when given, else across all the council's requests. */
export async function declineReasons(db: Reader, filter: { councilId: string; requestId?: string }) {
  const rows = await db
    .selectFrom("placement_decline as d")
    .innerJoin("placement_request as q", "q.id", "d.request_id")
    .select(["d.reason", (eb) => eb.fn.countAll<number>().as("n")])
    .where("q.council_id", "=", filter.councilId)
    .$if(filter.requestId !== undefined, (q) => q.where("d.request_id", "=", filter.requestId!))
    .groupBy("d.reason")
    .execute();
  const counts = new Map(rows.map((r) => [r.reason, Number(r.n)]));
  return (Object.keys(DECLINE_REASON_LABELS) as DeclineReason[]).map((reason) => ({ reason, label: DECLINE_REASON_LABELS[reason], count: counts.get(reason) ?? 0 }));
}

/** The declines on one request with their words, for the commissioner. */
export async function requestDeclines(db: Reader, requestId: string) {
  if (!isUuid(requestId)) return [];
  return db
    .selectFrom("placement_decline as d")
    .innerJoin("home", "home.id", "d.home_id")
    .innerJoin("organisation as org", "org.id", "home.organisation_id")
    .select(["d.id", "home.name as home_name", "org.name as provider_name", "d.reason", "d.details", "d.declined_at"])
    .where("d.request_id", "=", requestId)
    .orderBy("d.declined_at")
    .execute();
}

// ---- Accepting ----

/**
 * Accepts one offer: the placement is made from it (home, start date, fee,
 * the request's child and lot), the request is placed, every other offer is
 * marked not taken, and each provider is told. Refused when the request has
 * changed since the officer looked (expectedVersion) or is no longer open.
 */
export async function acceptOffer(
  trx: Trx,
  input: { requestId: string; offerId: string; expectedVersion: number; funding: FundingSplit },
  ctx: ActionContext,
  links: Links,
): Promise<{ placementId: string }> {
  const actor = commissioningOfficer(ctx, "accept an offer");
  const funding = checkFunding(input.funding);
  const request = await lockOwnRequest(trx, input.requestId, actor);
  if (request.version !== input.expectedVersion) throw new ConcurrentEditError("This request changed while you were looking at it. Check the offers as they are now and try again.");
  const closed = closedMessage(request, ctx.now);
  if (closed) throw new ActionRefused(closed);
  const offers = await trx
    .selectFrom("placement_offer as o")
    .innerJoin("home", "home.id", "o.home_id")
    .innerJoin("organisation as org", "org.id", "home.organisation_id")
    .select(["o.id", "o.home_id", "o.weekly_fee_pence", "o.additional_support_weekly_pence", "o.start_on", "o.status", "home.name as home_name", "org.id as organisation_id", "org.name as organisation_name"])
    .where("o.request_id", "=", request.id)
    .execute();
  const offer = isUuid(input.offerId) ? offers.find((o) => o.id === input.offerId) : undefined;
  if (!offer) throw new RecordNotFound("offer");
  if (offer.status !== "made") throw new ActionRefused("This offer can no longer be accepted");

  const { placementId } = await createPlacement(
    trx,
    {
      childReference: request.child_reference,
      homeId: offer.home_id,
      lotId: request.lot_id,
      childDistrict: request.home_district,
      startOn: offer.start_on,
      endOn: null,
      weeklyFeePence: offer.weekly_fee_pence,
      additionalSupportWeeklyPence: offer.additional_support_weekly_pence,
      funding,
      requestId: request.id,
      offerId: offer.id,
    },
    ctx,
  );
  await trx.updateTable("placement_offer").set({ status: "accepted", decided_at: ctx.now }).where("id", "=", offer.id).execute();
  const others = offers.filter((o) => o.id !== offer.id && o.status === "made");
  if (others.length) await trx.updateTable("placement_offer").set({ status: "not_taken", decided_at: ctx.now }).where("id", "in", others.map((o) => o.id)).execute();
  await trx
    .updateTable("placement_request")
    .set({ status: "placed", status_reason: `Placed at ${offer.home_name}`, status_changed_at: ctx.now, status_changed_by: actor.userId, version: request.version + 1 })
    .where("id", "=", request.id)
    .execute();
  await emailOutcome(trx, request, [{ organisationId: offer.organisation_id, organisationName: offer.organisation_name, homeName: offer.home_name }], "accepted", null, links);
  await emailOutcome(trx, request, others.map((o) => ({ organisationId: o.organisation_id, organisationName: o.organisation_name, homeName: o.home_name })), "not_taken", null, links);
  await recordAuditEvent(trx, ctx, {
    action: "placement_request.offer_accepted",
    summary: `Accepted ${offer.organisation_name}'s offer of ${offer.home_name} for ${request.child_reference}`,
    subjects: [
      { type: "placement_request", id: request.id },
      { type: "placement_offer", id: offer.id },
      { type: "placement", id: placementId },
    ],
    before: { Status: REQUEST_STATUS_LABELS.open },
    after: { Status: REQUEST_STATUS_LABELS.placed, Home: offer.home_name, "Other offers not taken": String(others.length) },
  });
  return { placementId };
}
