// Each council's key-decision threshold: at or above it an award is a key
// decision, the Chief Officer's in consultation with the Portfolio Holder;
// below it, the Chief Officer's alone. A council without a setting uses the
// portal's default.
import type { Reader, Trx } from "#app/database/schema";
import { formatPence } from "#app/modules/agreements/agreements";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { ActionRefused, ConcurrentEditError } from "#app/modules/errors";
import type { ActionContext } from "#app/modules/identity/actor";

registerAuditActions({ "award.threshold_changed": "Changed the key-decision threshold for awards" });

/** £500,000. */
export const DEFAULT_KEY_DECISION_THRESHOLD_PENCE = 500_000_00;

export interface KeyDecisionThreshold {
  pence: number;
  /** 0 while the council uses the default. */
  version: number;
  /** Who set it last and when; null while the council uses the default. */
  setBy: { name: string; at: Date } | null;
}

export async function keyDecisionThreshold(db: Reader, councilId: string): Promise<KeyDecisionThreshold> {
  const row = await db
    .selectFrom("council_award_setting")
    .leftJoin("app_user", "app_user.id", "council_award_setting.updated_by")
    .select(["council_award_setting.key_decision_threshold_pence", "council_award_setting.version", "council_award_setting.updated_at", "app_user.full_name"])
    .where("council_award_setting.council_id", "=", councilId)
    .executeTakeFirst();
  return row
    ? { pence: row.key_decision_threshold_pence, version: row.version, setBy: { name: row.full_name ?? "The portal", at: row.updated_at } }
    : { pence: DEFAULT_KEY_DECISION_THRESHOLD_PENCE, version: 0, setBy: null };
}

/** Whether an award of this value needs the Portfolio Holder's consultation. */
export function needsConsultation(valuePence: number, thresholdPence: number): boolean {
  return valuePence >= thresholdPence;
}

/** The actor's own council's threshold, by one of its administrators. */
export async function setKeyDecisionThreshold(trx: Trx, input: { thresholdPence: number; expectedVersion: number }, ctx: ActionContext): Promise<void> {
  const actor = ctx.actor;
  if (!actor || actor.organisationKind !== "council" || !actor.roles.includes("administrator")) throw new ActionRefused("Only a council's administrator sets its key-decision threshold");
  if (!Number.isSafeInteger(input.thresholdPence) || input.thresholdPence <= 0) throw new ActionRefused("Enter a threshold above £0, in pounds and pence", "threshold");
  const before = await keyDecisionThreshold(trx, actor.organisationId);
  if (before.version !== input.expectedVersion) throw new ConcurrentEditError();
  const written = await trx
    .insertInto("council_award_setting")
    .values({ council_id: actor.organisationId, key_decision_threshold_pence: input.thresholdPence, updated_at: ctx.now, updated_by: actor.userId })
    .onConflict((oc) =>
      oc
        .column("council_id")
        .doUpdateSet((eb) => ({ key_decision_threshold_pence: input.thresholdPence, version: eb("council_award_setting.version", "+", 1), updated_at: ctx.now, updated_by: actor.userId }))
        .where("council_award_setting.version", "=", input.expectedVersion),
    )
    .returning("version")
    .executeTakeFirst();
  if (!written) throw new ConcurrentEditError();
  await recordAuditEvent(trx, ctx, {
    action: "award.threshold_changed",
    summary: `${actor.name} set ${actor.organisationName}'s key-decision threshold for awards to ${formatPence(input.thresholdPence)}`,
    subjects: [{ type: "organisation", id: actor.organisationId }],
    before: { "Key-decision threshold": formatPence(before.pence) },
    after: { "Key-decision threshold": formatPence(input.thresholdPence) },
  });
}
