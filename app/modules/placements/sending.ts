// Sending placement requests: created and sent to the homes that match, to
// all of them at once or as a tiered cascade (tier 1, the preferred
// providers, first; tier 2 when tier 1's window ends; then every other
// match). The background loop releases tiers and closes requests at their
// deadline (advancePlacementRequests); an officer can withdraw one. Matching
// is in matching.ts, checking and reading requests in requests.ts, offers and
// declines in offers.ts (decision 017).
import crypto from "node:crypto";
import type { Reader, Trx } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { isUuid, longDate, requiredText } from "#app/modules/common/input";
import { ActionRefused, ConcurrentEditError, RecordNotFound } from "#app/modules/errors";
import type { ActionContext, Actor } from "#app/modules/identity/actor";
import { activeProviderUsers } from "#app/modules/identity/queries";
import { queueEmail } from "#app/modules/outbox/outbox";
import { matchRequest } from "#app/modules/placements/matching";
import { commissioningOfficer } from "#app/modules/placements/placements";
import {
  checkRequest,
  closedMessage,
  HOUR_MS,
  needLabelMap,
  REQUEST_STATUS_LABELS,
  requestDetails,
  toRequestShape,
  type Links,
  type PlacementRequestInput,
} from "#app/modules/placements/requests";
import type { PlacementOutcome } from "#emails/PlacementRequest";

registerAuditActions({
  "placement_request.sent": "Sent a placement request",
  "placement_request.tier_sent": "Sent a placement request to its next tier",
  "placement_request.withdrawn": "Withdrew a placement request",
  "placement_request.closed": "Closed a placement request at its deadline",
});

const REFERENCE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/** A new child reference, e.g. CH-7K2M9Q: random, so it says nothing about the child. */
function newChildReference(): string {
  const bytes = crypto.randomBytes(6);
  return `CH-${[...bytes].map((b) => REFERENCE_ALPHABET[b % REFERENCE_ALPHABET.length]).join("")}`;
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
