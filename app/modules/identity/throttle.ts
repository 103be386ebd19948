// Sign-in throttling, per account (the address typed, whether or not it has
// an account) and per client address. Guessing is slowed down, never turned
// into a lock-out: after a few failures each further password attempt must
// wait, the wait doubling up to a cap, and a person who is being waited out
// can still sign in with an emailed link (sign-in-links.ts). Following NCSC
// password guidance and OWASP ASVS 2.2.1.
//
// Parallel guesses cannot slip past the count: an attempt takes both rows
// with a row lock, refuses or counts itself as a failure, and commits before
// the password is checked; a right password then takes its count back. So
// the lock is held for a few milliseconds, never across password hashing.
import type { Selectable } from "kysely";
import type { DB, Trx } from "#app/database/schema";
import type { SignInThrottleTable } from "#app/database/schema";

export interface ThrottlePolicy {
  /** Failures for one account before each further attempt must wait. */
  accountFreeFailures: number;
  /** Failures from one client address, across every account, before it must wait. */
  addressFreeFailures: number;
  /** The wait after the last free failure; each failure after that doubles it. */
  firstWaitMs: number;
  maxWaitMs: number;
  /**
   * Failures drain away, one per this long (a leaky bucket), rather than
   * being wiped by a success: an office's occasional typos never add up to a
   * wait, while guessing faster than this does.
   */
  accountDrainMs: number;
  addressDrainMs: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = {
  accountFreeFailures: 5,
  addressFreeFailures: 25,
  firstWaitMs: 60_000,
  maxWaitMs: 15 * 60_000,
  accountDrainMs: 60 * 60_000,
  addressDrainMs: 5 * 60_000,
};

export type ThrottleKind = "account" | "address";
type Row = Selectable<SignInThrottleTable>;

export interface ThrottleKeys {
  email: string;
  address: string;
}

/** How long the next attempt must wait after this many failures in a row: nothing, then 1, 2, 4 ... minutes up to the cap. */
export function waitAfter(failures: number, kind: ThrottleKind, policy: ThrottlePolicy = DEFAULT_THROTTLE): number {
  const free = kind === "account" ? policy.accountFreeFailures : policy.addressFreeFailures;
  if (failures < free) return 0;
  return Math.min(policy.maxWaitMs, policy.firstWaitMs * 2 ** Math.min(failures - free, 30));
}

/** Takes (creating if need be) and locks the row until the transaction ends, with what has drained away since taken off. */
async function lockRow(trx: Trx, kind: ThrottleKind, subject: string, now: Date, policy: ThrottlePolicy): Promise<Row> {
  const row = await trx
    .insertInto("sign_in_throttle")
    .values({ kind, subject })
    .onConflict((oc) => oc.columns(["kind", "subject"]).doUpdateSet((eb) => ({ kind: eb.ref("excluded.kind") })))
    .returningAll()
    .executeTakeFirstOrThrow();
  const drainMs = kind === "account" ? policy.accountDrainMs : policy.addressDrainMs;
  const drained = row.counted_at && row.failures > 0 ? Math.floor((now.getTime() - row.counted_at.getTime()) / drainMs) : 0;
  if (drained <= 0) return row;
  const failures = Math.max(0, row.failures - drained);
  return update(trx, row, {
    failures,
    // Moved on by whole drain periods only, so part of one is not lost.
    counted_at: failures === 0 ? null : new Date(row.counted_at!.getTime() + drained * drainMs),
    ...(waitAfter(failures, kind, policy) === 0 ? { throttled_since: null, refused: 0 } : {}),
  });
}

async function update(trx: Trx, row: Row, changes: Partial<Omit<Row, "kind" | "subject">>): Promise<Row> {
  return trx
    .updateTable("sign_in_throttle")
    .set(changes)
    .where("kind", "=", row.kind)
    .where("subject", "=", row.subject)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Always account first, then address: every attempt locks in the same order, so two never deadlock. */
async function lockBoth(trx: Trx, keys: ThrottleKeys, now: Date, policy: ThrottlePolicy): Promise<[Row, Row]> {
  const account = await lockRow(trx, "account", keys.email, now, policy);
  const address = await lockRow(trx, "address", keys.address, now, policy);
  return [account, address];
}

export type AttemptDecision = { allowed: true } | { allowed: false; kind: ThrottleKind; retryAt: Date };

/**
 * Whether this attempt may have its password checked. If so it is counted
 * as a failure already (settleAttempt takes that back for a right password),
 * so the attempts that run in parallel with it see it; if not, it is counted
 * on the row as refused and nothing else is written.
 */
export async function beginAttempt(db: DB, keys: ThrottleKeys, now: Date, policy: ThrottlePolicy = DEFAULT_THROTTLE): Promise<AttemptDecision> {
  return db.transaction().execute(async (trx) => {
    const rows = await lockBoth(trx, keys, now, policy);
    const waiting = rows.filter((row) => row.next_attempt_at && row.next_attempt_at > now);
    if (waiting.length > 0) {
      for (const row of waiting) await update(trx, row, { refused: row.refused + 1 });
      const longest = waiting.reduce((a, b) => (b.next_attempt_at! > a.next_attempt_at! ? b : a));
      return { allowed: false, kind: longest.kind, retryAt: longest.next_attempt_at! };
    }
    for (const row of rows) {
      const failures = row.failures + 1;
      const wait = waitAfter(failures, row.kind, policy);
      await update(trx, row, { failures, counted_at: row.counted_at ?? now, next_attempt_at: wait ? new Date(now.getTime() + wait) : null });
    }
    return { allowed: true };
  });
}

export interface Settled {
  accountFailures: number;
  addressFailures: number;
  /** Throttles this failure started: each gets one audit event. */
  began: { kind: ThrottleKind; failures: number }[];
  /** When a password may next be tried, if this failure made anyone wait. */
  retryAt: { kind: ThrottleKind; at: Date } | null;
  /** Attempts turned away unchecked while the account was waiting, now it has signed in. */
  refusedWhileWaiting: number;
}

/**
 * Records how the attempt ended, in the sign-in's transaction. A right
 * password clears the account's count (it proves the password); the
 * address's count only loses this attempt, so someone signing in to their
 * own account from an address cannot wipe the guesses made from it.
 */
export async function settleAttempt(
  trx: Trx,
  keys: ThrottleKeys,
  succeeded: boolean,
  now: Date,
  policy: ThrottlePolicy = DEFAULT_THROTTLE,
): Promise<Settled> {
  let [account, address] = await lockBoth(trx, keys, now, policy);
  if (succeeded) {
    const refusedWhileWaiting = account.refused;
    account = await update(trx, account, { failures: 0, next_attempt_at: null, throttled_since: null, refused: 0 });
    const failures = Math.max(0, address.failures - 1);
    const wait = waitAfter(failures, "address", policy);
    address = await update(trx, address, {
      failures,
      // The wait its other failures earned stands; this attempt's share of it goes.
      next_attempt_at: wait && address.next_attempt_at ? address.next_attempt_at : null,
      ...(wait ? {} : { throttled_since: null, refused: 0 }),
    });
    return { accountFailures: 0, addressFailures: address.failures, began: [], retryAt: null, refusedWhileWaiting };
  }
  const began: Settled["began"] = [];
  let retryAt: Settled["retryAt"] = null;
  for (const row of [account, address]) {
    if (!row.next_attempt_at || row.next_attempt_at <= now) continue;
    if (!row.throttled_since) {
      await update(trx, row, { throttled_since: now });
      began.push({ kind: row.kind, failures: row.failures });
    }
    if (!retryAt || row.next_attempt_at > retryAt.at) retryAt = { kind: row.kind, at: row.next_attempt_at };
  }
  return { accountFailures: account.failures, addressFailures: address.failures, began, retryAt, refusedWhileWaiting: 0 };
}

/** When a password may next be tried for this account, if it is waiting now (for the administrator's page). */
export async function accountWaitsUntil(db: DB | Trx, email: string, now: Date): Promise<Date | null> {
  const row = await db
    .selectFrom("sign_in_throttle")
    .select("next_attempt_at")
    .where("kind", "=", "account")
    .where("subject", "=", email)
    .executeTakeFirst();
  return row?.next_attempt_at && row.next_attempt_at > now ? row.next_attempt_at : null;
}
