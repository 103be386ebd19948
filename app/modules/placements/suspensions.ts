// Homes suspended from new placements. The database suspends a home whose
// latest Ofsted grade is Inadequate (migration 0010); a commissioning officer
// suspends one with a reason, and lifts either kind with reasons and
// conditions. Suspensions are history: lifting fills in the row, once.
import type { Reader, SuspensionCause, Trx } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { isUuid, optionalText, requiredText } from "#app/modules/common/input";
import { ActionRefused, RecordNotFound } from "#app/modules/errors";
import type { ActionContext, Actor } from "#app/modules/identity/actor";

registerAuditActions({
  "home.suspended": "Suspended a home from new placements",
  "home.suspension_lifted": "Lifted a home's suspension",
});

export const SUSPENSION_CAUSE_LABELS: Record<SuspensionCause, string> = {
  inadequate_grade: "Ofsted judged it Inadequate",
  commissioner: "Suspended by a commissioner",
};

export interface Suspension {
  id: string;
  homeId: string;
  cause: SuspensionCause;
  reason: string;
  suspendedAt: Date;
  suspendedBy: string | null;
  liftedAt: Date | null;
  liftedBy: string | null;
  liftReason: string | null;
  liftConditions: string | null;
}

function officer(ctx: ActionContext): Actor {
  const actor = ctx.actor;
  if (!actor || actor.organisationKind !== "council" || !actor.roles.includes("commissioning_officer")) {
    throw new ActionRefused("Only a commissioning officer can suspend a home or lift its suspension");
  }
  return actor;
}

async function lockHome(trx: Trx, homeId: string) {
  const home = isUuid(homeId) ? await trx.selectFrom("home").select(["id", "name"]).where("id", "=", homeId).forUpdate().executeTakeFirst() : undefined;
  if (!home) throw new RecordNotFound("home");
  return home;
}

export async function suspendHome(trx: Trx, input: { homeId: string; reason: string }, ctx: ActionContext): Promise<{ suspensionId: string }> {
  const actor = officer(ctx);
  const reason = requiredText(input.reason, "reason", "reason for the suspension", 2000);
  const home = await lockHome(trx, input.homeId);
  const current = await currentSuspension(trx, home.id);
  if (current) throw new ActionRefused(`${home.name} is already suspended (${SUSPENSION_CAUSE_LABELS[current.cause].toLowerCase()})`);
  const row = await trx
    .insertInto("home_suspension")
    .values({ home_id: home.id, cause: "commissioner", reason, suspended_at: ctx.now, suspended_by: actor.userId })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordAuditEvent(trx, ctx, {
    action: "home.suspended",
    summary: `Suspended ${home.name} from new placements`,
    subjects: [
      { type: "home", id: home.id },
      { type: "home_suspension", id: row.id },
    ],
    before: { Suspended: "No" },
    after: { Suspended: "Yes" },
    reason,
  });
  return { suspensionId: row.id };
}

export async function liftSuspension(
  trx: Trx,
  input: { homeId: string; reason: string; conditions?: string | null },
  ctx: ActionContext,
): Promise<void> {
  const actor = officer(ctx);
  const reason = requiredText(input.reason, "reason", "reason for lifting the suspension", 2000);
  const conditions = optionalText(input.conditions, "conditions", "conditions", 2000);
  const home = await lockHome(trx, input.homeId);
  const current = await currentSuspension(trx, home.id);
  if (!current) throw new ActionRefused(`${home.name} is not suspended`);
  await trx
    .updateTable("home_suspension")
    .set({ lifted_at: ctx.now, lifted_by: actor.userId, lift_reason: reason, lift_conditions: conditions })
    .where("id", "=", current.id)
    .execute();
  await recordAuditEvent(trx, ctx, {
    action: "home.suspension_lifted",
    summary: `Lifted the suspension of ${home.name}`,
    subjects: [
      { type: "home", id: home.id },
      { type: "home_suspension", id: current.id },
    ],
    before: { Suspended: "Yes", "Suspended because": `${SUSPENSION_CAUSE_LABELS[current.cause]}: ${current.reason}` },
    after: { Suspended: "No", Conditions: conditions ?? "None" },
    reason,
  });
}

function toSuspension(r: {
  id: string;
  home_id: string;
  cause: SuspensionCause;
  reason: string;
  suspended_at: Date;
  suspended_by: string | null;
  lifted_at: Date | null;
  lifted_by: string | null;
  lift_reason: string | null;
  lift_conditions: string | null;
}): Suspension {
  return {
    id: r.id,
    homeId: r.home_id,
    cause: r.cause,
    reason: r.reason,
    suspendedAt: r.suspended_at,
    suspendedBy: r.suspended_by,
    liftedAt: r.lifted_at,
    liftedBy: r.lifted_by,
    liftReason: r.lift_reason,
    liftConditions: r.lift_conditions,
  };
}

const COLUMNS = ["id", "home_id", "cause", "reason", "suspended_at", "suspended_by", "lifted_at", "lifted_by", "lift_reason", "lift_conditions"] as const;

/** The suspension in force, if any: what the provider sees on its home, with why. */
export async function currentSuspension(db: Reader, homeId: string): Promise<Suspension | null> {
  if (!isUuid(homeId)) return null;
  const row = await db.selectFrom("home_suspension").select(COLUMNS).where("home_id", "=", homeId).where("lifted_at", "is", null).executeTakeFirst();
  return row ? toSuspension(row) : null;
}

/** Every suspension of the home, newest first. */
export async function suspensionHistory(db: Reader, homeId: string): Promise<Suspension[]> {
  if (!isUuid(homeId)) return [];
  const rows = await db.selectFrom("home_suspension").select(COLUMNS).where("home_id", "=", homeId).orderBy("suspended_at", "desc").orderBy("id").execute();
  return rows.map(toSuspension);
}
