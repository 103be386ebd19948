// Sign-in bookkeeping that has done its job: sessions that ended long ago,
// sign-in attempts, and throttle counts with no failure for longer than any
// throttle remembers one (and none waiting now). The
// audit trail already holds every sign-in, failure, lock and sign-out, so
// these rows are working state, not records; keeping them for a while still
// lets an administrator look into a recent incident in the database.
import type { Trx } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import type { ActionContext } from "./actor";

export const KEEP_SIGN_IN_STATE_DAYS = 30;

export interface Tidied {
  sessions: number;
  attempts: number;
  throttles: number;
}

/** Removes what ended more than KEEP_SIGN_IN_STATE_DAYS ago; records one audit event when anything went. */
export async function removeEndedSignInState(trx: Trx, ctx: ActionContext): Promise<Tidied> {
  const cutoff = new Date(ctx.now.getTime() - KEEP_SIGN_IN_STATE_DAYS * 86_400_000);
  // A session last used before the cut-off ended long ago, by idling out if nothing else.
  const sessions = await trx
    .deleteFrom("user_session")
    .where((eb) => eb.or([eb("expires_at", "<", cutoff), eb("revoked_at", "<", cutoff), eb("last_seen_at", "<", cutoff)]))
    .executeTakeFirst();
  const attempts = await trx.deleteFrom("sign_in_attempt").where("attempted_at", "<", cutoff).executeTakeFirst();
  // A row with no failure left holds nothing (a success leaves one behind);
  // one counted before the cut-off has long drained away.
  const throttles = await trx
    .deleteFrom("sign_in_throttle")
    .where((eb) =>
      eb.and([
        eb.or([eb("counted_at", "is", null), eb("counted_at", "<", cutoff)]),
        eb.or([eb("next_attempt_at", "is", null), eb("next_attempt_at", "<", ctx.now)]),
      ]),
    )
    .executeTakeFirst();
  const tidied = {
    sessions: Number(sessions.numDeletedRows),
    attempts: Number(attempts.numDeletedRows),
    throttles: Number(throttles.numDeletedRows),
  };
  if (tidied.sessions + tidied.attempts + tidied.throttles > 0) {
    await recordAuditEvent(trx, ctx, {
      action: "housekeeping.sign_in_state_removed",
      summary: `Removed ${count(tidied.sessions, "ended session")}, ${count(tidied.attempts, "sign-in attempt")} and ${count(
        tidied.throttles,
        "sign-in failure count"
      )} from before ${cutoff.toISOString().slice(0, 10)}`,
      subjects: [],
      after: { ...tidied, before: cutoff.toISOString() },
    });
  }
  return tidied;
}

function count(n: number, thing: string): string {
  return `${n} ${thing}${n === 1 ? "" : "s"}`;
}
