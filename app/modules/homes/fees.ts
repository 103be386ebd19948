// Each home's standard weekly fee (decision 033): what a commissioner would
// pay a week for an ordinary placement there, before any additional support,
// which is agreed per placement. Kept as a history: a change is a new record
// with the date it takes effect; a mistyped fee is corrected by a new record
// for the same date. Only the home's provider records it; each record is
// audited; two people changing one home's fee at once cannot overwrite each
// other (the home's fee version). Search reads the fee in force today.
import { sql, type RawBuilder } from "kysely";
import type { Reader, Trx } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { isoDate, isUuid, longDate, optionalText, ukDate } from "#app/modules/common/input";
import { ActionRefused, ConcurrentEditError } from "#app/modules/errors";
import { ownHomeForUpdate } from "#app/modules/homes/statement-of-purpose";
import type { ActionContext } from "#app/modules/identity/actor";
import { addDaysToDay } from "#app/modules/tendering/timeline";
import { pounds } from "#app/web/format";

registerAuditActions({ "home.weekly_fee_set": "Set a home's weekly fee" });

/** £50,000 a week: anything above is a typing mistake, not a fee (the database refuses it too). */
export const MAX_WEEKLY_FEE_PENCE = 5_000_000;
/** How far ahead a fee change may be announced. */
const MAX_DAYS_AHEAD = 366;

export interface WeeklyFeeInput {
  homeId: string;
  /** The home's fee version the person saw (0 when it had no fee). */
  expectedVersion: number;
  weeklyFeePence: number;
  /** The first day the fee applies, 'YYYY-MM-DD'. */
  effectiveFrom: string;
  reason?: string | null;
}

/** Refuses what cannot be a weekly fee, beside the field `field`. */
export function checkWeeklyFee(pence: number, field = "weeklyFee"): number {
  if (!Number.isFinite(pence)) throw new ActionRefused("Enter the weekly fee in pounds, like 4500 or 4500.50", field);
  if (pence < 0) throw new ActionRefused("The weekly fee cannot be negative", field);
  if (!Number.isInteger(pence)) throw new ActionRefused("Enter the weekly fee in pounds and pence, like 4500.50", field);
  if (pence === 0) throw new ActionRefused("The weekly fee must be more than £0", field);
  if (pence > MAX_WEEKLY_FEE_PENCE) throw new ActionRefused(`The weekly fee must be ${pounds(MAX_WEEKLY_FEE_PENCE, { whole: true })} or less`, field);
  return pence;
}

export async function setWeeklyFee(trx: Trx, input: WeeklyFeeInput, ctx: ActionContext): Promise<{ version: number }> {
  const home = await ownHomeForUpdate(trx, input.homeId, ctx);
  const fee = checkWeeklyFee(input.weeklyFeePence);
  const from = isoDate(input.effectiveFrom, "effectiveFrom", "date the fee applies from");
  const today = ukDate(ctx.now);
  if (from > addDaysToDay(today, MAX_DAYS_AHEAD)) throw new ActionRefused("The date the fee applies from must be within a year from today", "effectiveFrom");
  const reason = optionalText(input.reason, "reason", "reason for the change", 2000);

  const current = await trx.selectFrom("home").select("weekly_fee_version").where("id", "=", home.id).executeTakeFirstOrThrow();
  if (current.weekly_fee_version !== input.expectedVersion) {
    throw new ConcurrentEditError("Someone else changed this home's weekly fee while you were editing it. Check the fee history below and try again.");
  }
  const before = await weeklyFeeOn(trx, home.id, from);
  if (before?.weeklyFeePence === fee && before.effectiveFrom === from) {
    throw new ActionRefused(`The weekly fee from ${longDate(from)} is already ${pounds(fee)}`, "weeklyFee");
  }
  await trx
    .insertInto("home_weekly_fee")
    .values({ home_id: home.id, weekly_fee_pence: fee, effective_from: from, reason, recorded_at: ctx.now, recorded_by: home.actor?.userId ?? null })
    .execute();
  await recordAuditEvent(trx, ctx, {
    action: "home.weekly_fee_set",
    summary: `Set the weekly fee of ${home.name} to ${pounds(fee)} from ${longDate(from)}`,
    subjects: [{ type: "home", id: home.id }],
    before: { "Weekly fee": before ? `${pounds(before.weeklyFeePence)} (from ${longDate(before.effectiveFrom)})` : "None" },
    after: { "Weekly fee": pounds(fee), From: longDate(from) },
    reason,
  });
  return { version: current.weekly_fee_version + 1 };
}

export interface WeeklyFeeRecord {
  id: number;
  weeklyFeePence: number;
  effectiveFrom: string;
  reason: string | null;
  recordedAt: Date;
  recordedBy: string | null;
}

/** The record in force on `day` (the latest date on or before it, then the latest recorded), or null. */
export async function weeklyFeeOn(db: Reader, homeId: string, day: string): Promise<WeeklyFeeRecord | null> {
  const history = await weeklyFeeHistory(db, homeId);
  return inForceOn(history, day);
}

function inForceOn(history: WeeklyFeeRecord[], day: string): WeeklyFeeRecord | null {
  return history.find((r) => r.effectiveFrom <= day) ?? null;
}

/** Every record of the home's weekly fee, the one taking effect last first (same date: latest recorded first). */
export async function weeklyFeeHistory(db: Reader, homeId: string): Promise<WeeklyFeeRecord[]> {
  if (!isUuid(homeId)) return [];
  const rows = await db
    .selectFrom("home_weekly_fee as f")
    .leftJoin("app_user as u", "u.id", "f.recorded_by")
    .select(["f.id", "f.weekly_fee_pence", "f.effective_from", "f.reason", "f.recorded_at", "u.full_name"])
    .where("f.home_id", "=", homeId)
    .orderBy("f.effective_from", "desc")
    .orderBy("f.id", "desc")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    weeklyFeePence: r.weekly_fee_pence,
    effectiveFrom: r.effective_from,
    reason: r.reason,
    recordedAt: r.recorded_at,
    recordedBy: r.full_name,
  }));
}

export interface WeeklyFeeView {
  /** In force today; null when none is yet. */
  current: WeeklyFeeRecord | null;
  /** Changes still to come, soonest first. */
  upcoming: WeeklyFeeRecord[];
  /** Every record, newest date first; records a later one for the same date replaced are marked. */
  history: (WeeklyFeeRecord & { replaced: boolean })[];
  version: number;
}

/** What the home's page shows of its fee: today's, any announced change, and the whole history. */
export async function weeklyFeeView(db: Reader, homeId: string, now: Date): Promise<WeeklyFeeView> {
  const [history, home] = await Promise.all([
    weeklyFeeHistory(db, homeId),
    isUuid(homeId) ? db.selectFrom("home").select("weekly_fee_version").where("id", "=", homeId).executeTakeFirst() : undefined,
  ]);
  const today = ukDate(now);
  const seen = new Set<string>();
  const latestPerDay = history.map((r) => {
    const replaced = seen.has(r.effectiveFrom);
    seen.add(r.effectiveFrom);
    return { ...r, replaced };
  });
  return {
    current: inForceOn(history, today),
    upcoming: latestPerDay.filter((r) => !r.replaced && r.effectiveFrom > today).reverse(),
    history: latestPerDay,
    version: home?.weekly_fee_version ?? 0,
  };
}

/**
 * The weekly fee in force on `day` as SQL over a `home` joined as `h`: the
 * fee kept on the home when its date has come (nearly every home), otherwise
 * looked up in the history (a home with an announced change); NULL when the
 * home had no fee yet.
 */
export function weeklyFeeInForce(day: string): RawBuilder<number | null> {
  return sql<number | null>`CASE
    WHEN h.weekly_fee_from IS NULL THEN NULL
    WHEN h.weekly_fee_from <= ${day}::date THEN h.weekly_fee_pence
    ELSE (SELECT f.weekly_fee_pence FROM home_weekly_fee f
           WHERE f.home_id = h.id AND f.effective_from <= ${day}::date
           ORDER BY f.effective_from DESC, f.id DESC LIMIT 1)
  END`;
}
