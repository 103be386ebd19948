// Providers' interest in a published tender: registering (needed later to
// download the pack, and to be told of amendments and cancellation) and
// withdrawing. Kept as a history of rows; an organisation is interested when
// its latest row says so. An organisation's interest is changed only by its
// own users, whatever id a request carries.
import type { Reader, Trx } from "#app/database/schema";
import { sql } from "kysely";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { isUuid } from "#app/modules/common/input";
import { ActionRefused, RecordNotFound } from "#app/modules/errors";
import type { ActionContext } from "#app/modules/identity/actor";
import { activeProviderUsers } from "#app/modules/identity/queries";
import { assertMayTakePart } from "./dynamic-markets";

registerAuditActions({
  "tender.interest_registered": "Registered interest in a tender",
  "tender.interest_withdrawn": "Withdrew interest in a tender",
});

export interface InterestedProvider {
  organisationId: string;
  name: string;
  registeredAt: Date;
}

/** Organisations whose latest word on the tender is that they are interested, by name. */
export async function interestedProviders(db: Reader, tenderId: string): Promise<InterestedProvider[]> {
  const rows = await db
    .selectFrom((eb) =>
      eb
        .selectFrom("tender_interest")
        .distinctOn("organisation_id")
        .select(["organisation_id", "change", "changed_at"])
        .where("tender_id", "=", tenderId)
        .orderBy("organisation_id")
        .orderBy("id", "desc")
        .as("latest"),
    )
    .innerJoin("organisation", "organisation.id", "latest.organisation_id")
    .select(["latest.organisation_id", "organisation.name", "latest.changed_at"])
    .where("latest.change", "=", "registered")
    .orderBy("organisation.name")
    .execute();
  return rows.map((r) => ({ organisationId: r.organisation_id, name: r.name, registeredAt: r.changed_at }));
}

/** The active provider users of every interested organisation: who is told of amendments and cancellation. */
export async function interestedRecipients(db: Reader, tenderId: string) {
  const providers = await interestedProviders(db, tenderId);
  if (providers.length === 0) return [];
  const users = await activeProviderUsers(db, providers.map((p) => p.organisationId));
  return users.map((u) => ({ email: u.email, organisationName: providers.find((p) => p.organisationId === u.organisation_id)?.name ?? "" }));
}

/** Whether the organisation's latest word on the tender is that it is interested. */
export async function isInterested(trx: Reader, tenderId: string, organisationId: string): Promise<boolean> {
  const latest = await trx
    .selectFrom("tender_interest")
    .select("change")
    .where("tender_id", "=", tenderId)
    .where("organisation_id", "=", organisationId)
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  return latest?.change === "registered";
}

/**
 * The acting provider's organisation, refusing anyone else's: an id in the
 * request for another organisation is treated as not found.
 */
async function prepare(trx: Trx, input: { tenderId: string; organisationId: string }, ctx: ActionContext) {
  const actor = ctx.actor;
  if (!actor || actor.organisationKind !== "provider" || !actor.roles.includes("provider_user")) {
    throw new ActionRefused("Only a provider's users can register or withdraw interest in a tender");
  }
  if (input.organisationId !== actor.organisationId) throw new RecordNotFound("organisation");
  const tender = isUuid(input.tenderId)
    ? await trx.selectFrom("tender").select(["id", "title", "status", "submission_deadline_at"]).where("id", "=", input.tenderId).executeTakeFirst()
    : undefined;
  if (!tender || tender.status === "draft") throw new RecordNotFound("tender");
  if (tender.status === "cancelled") throw new ActionRefused("This tender has been cancelled");
  // Two colleagues clicking at once: the second sees the first's row, so interest is recorded once.
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`tender-interest:${tender.id}:${actor.organisationId}`}, 0))`.execute(trx);
  return { tender, actor, interested: await isInterested(trx, tender.id, actor.organisationId) };
}

/** Returns whether anything changed (registering twice records it once). */
export async function registerInterest(
  trx: Trx,
  input: { tenderId: string; organisationId: string },
  ctx: ActionContext,
): Promise<{ changed: boolean }> {
  const { tender, actor, interested } = await prepare(trx, input, ctx);
  if (interested) return { changed: false };
  if (tender.submission_deadline_at && tender.submission_deadline_at.getTime() <= ctx.now.getTime()) {
    throw new ActionRefused("The submission deadline for this tender has passed");
  }
  // A call-off competition is open only to the members of its lot of the dynamic market.
  await assertMayTakePart(trx, { tenderId: tender.id, organisationId: actor.organisationId, bidding: false });
  await trx
    .insertInto("tender_interest")
    .values({ tender_id: tender.id, organisation_id: actor.organisationId, change: "registered", changed_at: ctx.now, changed_by: actor.userId })
    .execute();
  await recordAuditEvent(trx, ctx, {
    action: "tender.interest_registered",
    summary: `${actor.organisationName} registered interest in "${tender.title}"`,
    subjects: [
      { type: "tender", id: tender.id },
      { type: "organisation", id: actor.organisationId },
    ],
    before: { Interested: "No" },
    after: { Interested: "Yes" },
  });
  return { changed: true };
}

export async function withdrawInterest(
  trx: Trx,
  input: { tenderId: string; organisationId: string },
  ctx: ActionContext,
): Promise<{ changed: boolean }> {
  const { tender, actor, interested } = await prepare(trx, input, ctx);
  if (!interested) return { changed: false };
  await trx
    .insertInto("tender_interest")
    .values({ tender_id: tender.id, organisation_id: actor.organisationId, change: "withdrawn", changed_at: ctx.now, changed_by: actor.userId })
    .execute();
  await recordAuditEvent(trx, ctx, {
    action: "tender.interest_withdrawn",
    summary: `${actor.organisationName} withdrew its interest in "${tender.title}"`,
    subjects: [
      { type: "tender", id: tender.id },
      { type: "organisation", id: actor.organisationId },
    ],
    before: { Interested: "Yes" },
    after: { Interested: "No" },
  });
  return { changed: true };
}
