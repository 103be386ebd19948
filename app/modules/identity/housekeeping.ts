// Sign-in bookkeeping that has done its job: sessions that ended long ago,
// sign-in attempts and address locks older than any throttling window. The
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
  addressLocks: number;
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
  const locks = await trx.deleteFrom("address_lock").where("locked_until", "<", cutoff).executeTakeFirst();
  const tidied = {
    sessions: Number(sessions.numDeletedRows),
    attempts: Number(attempts.numDeletedRows),
    addressLocks: Number(locks.numDeletedRows),
  };
  if (tidied.sessions + tidied.attempts + tidied.addressLocks > 0) {
    await recordAuditEvent(trx, ctx, {
      action: "housekeeping.sign_in_state_removed",
      summary: `Removed ${count(tidied.sessions, "ended session")}, ${count(tidied.attempts, "sign-in attempt")} and ${count(
        tidied.addressLocks,
        "address lock"
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
