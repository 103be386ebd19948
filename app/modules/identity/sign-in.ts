// Signing in and out, and resetting a forgotten password. Repeated failures
// for one account or from one address first slow sign-in down, then lock it
// for a while; every attempt, failure and lock is audited.
import type { DB, Trx } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { ActionRefused } from "#app/modules/errors";
import { queueEmail } from "#app/modules/outbox/outbox";
import type { ActionContext, Actor } from "./actor";
import { hashPassword, passwordProblem, verifyAgainstNothing, verifyPassword } from "./passwords";
import { actorForUser, createSession, revokeAllSessions, revokeSession } from "./sessions";
import { findValidToken, issueToken, spendToken } from "./tokens";
import { normaliseEmail } from "./users";

export interface ThrottlePolicy {
  windowMs: number;
  /** Failures for one account before it locks. */
  accountLockAfter: number;
  /** Failures from one address before it locks. */
  addressLockAfter: number;
  lockMs: number;
  /** Failures before answers start to slow down. */
  slowAfter: number;
  maxDelayMs: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = {
  windowMs: 15 * 60 * 1000,
  accountLockAfter: 5,
  addressLockAfter: 25,
  lockMs: 15 * 60 * 1000,
  slowAfter: 2,
  maxDelayMs: 4000,
};

/** How long to hold back the answer after this many recent failures: 0, then 0.5 s, 1 s, 2 s ... */
export function slowDownFor(failures: number, policy: ThrottlePolicy = DEFAULT_THROTTLE): number {
  if (failures <= policy.slowAfter) return 0;
  return Math.min(policy.maxDelayMs, 500 * 2 ** (failures - policy.slowAfter - 1));
}

export type SignInResult =
  | { ok: true; token: string; expiresAt: Date; actorUserId: string }
  | { ok: false; reason: "invalid" | "account_locked" | "address_locked"; lockedUntil?: Date; delayMs: number };

async function recentFailures(trx: Trx, column: "email" | "client_address", value: string, since: Date): Promise<number> {
  // Failures since the window opened and since the last success.
  const lastSuccess = await trx
    .selectFrom("sign_in_attempt")
    .select((eb) => eb.fn.max("attempted_at").as("at"))
    .where(column, "=", value)
    .where("succeeded", "=", true)
    .executeTakeFirst();
  const from = lastSuccess?.at && lastSuccess.at > since ? lastSuccess.at : since;
  const row = await trx
    .selectFrom("sign_in_attempt")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where(column, "=", value)
    .where("succeeded", "=", false)
    .where("attempted_at", ">", from)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function signIn(
  db: DB,
  input: { email: string; password: string; userAgent: string | null },
  ctx: ActionContext,
  policy: ThrottlePolicy = DEFAULT_THROTTLE,
): Promise<SignInResult> {
  const email = normaliseEmail(input.email);
  const address = ctx.clientAddress ?? "unknown";
  const user = await db
    .selectFrom("app_user")
    .innerJoin("organisation", "organisation.id", "app_user.organisation_id")
    .select([
      "app_user.id",
      "app_user.full_name",
      "app_user.status",
      "app_user.password_hash",
      "app_user.locked_until",
      "organisation.id as organisationId",
    ])
    .where("app_user.email", "=", email)
    .executeTakeFirst();

  const addressLock = await db
    .selectFrom("address_lock")
    .select("locked_until")
    .where("client_address", "=", address)
    .where("locked_until", ">", ctx.now)
    .executeTakeFirst();
  const accountLocked = user?.locked_until && user.locked_until > ctx.now ? user.locked_until : null;
  if (addressLock || accountLocked) {
    const reason = addressLock ? "address_locked" : "account_locked";
    await db.transaction().execute((trx) =>
      recordAuditEvent(trx, ctx, {
        action: "user.sign_in_refused",
        summary: `Refused sign-in as ${email}: ${addressLock ? "too many failures from this address" : "account locked"}`,
        subjects: user ? [{ type: "user", id: user.id }] : [],
        after: { email, reason },
      }),
    );
    return { ok: false, reason, lockedUntil: addressLock?.locked_until ?? accountLocked ?? undefined, delayMs: 0 };
  }

  const valid =
    user && user.status === "active" && user.password_hash
      ? await verifyPassword(user.password_hash, input.password)
      : await verifyAgainstNothing(input.password);

  return db.transaction().execute(async (trx): Promise<SignInResult> => {
    await trx
      .insertInto("sign_in_attempt")
      .values({ email, client_address: address, succeeded: valid, attempted_at: ctx.now })
      .execute();
    if (valid && user) {
      const session = await createSession(trx, {
        userId: user.id,
        clientAddress: ctx.clientAddress,
        userAgent: input.userAgent,
        now: ctx.now,
      });
      // The event names the person who signed in as the one acting.
      const actor = await actorForUser(trx, user.id, session.sessionId);
      await recordAuditEvent(trx, { ...ctx, actor }, {
        action: "user.signed_in",
        summary: `${user.full_name} signed in`,
        subjects: [{ type: "user", id: user.id }],
      });
      return { ok: true, token: session.token, expiresAt: session.expiresAt, actorUserId: user.id };
    }
    const since = new Date(ctx.now.getTime() - policy.windowMs);
    const accountFailures = await recentFailures(trx, "email", email, since);
    const addressFailures = await recentFailures(trx, "client_address", address, since);
    await recordAuditEvent(trx, ctx, {
      action: "user.sign_in_failed",
      summary: `Failed sign-in as ${email}${user ? "" : " (no such account)"}${user && user.status !== "active" ? ` (account ${user.status})` : ""}`,
      subjects: user ? [{ type: "user", id: user.id }] : [],
      after: { email, failuresForAccount: accountFailures, failuresFromAddress: addressFailures },
    });
    const lockedUntil = new Date(ctx.now.getTime() + policy.lockMs);
    if (user && accountFailures >= policy.accountLockAfter) {
      await trx.updateTable("app_user").set({ locked_until: lockedUntil }).where("id", "=", user.id).execute();
      await recordAuditEvent(trx, ctx, {
        action: "user.locked",
        summary: `Locked ${user.full_name}'s account for ${policy.lockMs / 60000} minutes after ${accountFailures} failed sign-ins`,
        subjects: [{ type: "user", id: user.id }],
        after: { lockedUntil: lockedUntil.toISOString(), failures: accountFailures },
      });
      return { ok: false, reason: "account_locked", lockedUntil, delayMs: 0 };
    }
    if (addressFailures >= policy.addressLockAfter) {
      await trx
        .insertInto("address_lock")
        .values({ client_address: address, locked_until: lockedUntil })
        .onConflict((oc) => oc.column("client_address").doUpdateSet({ locked_until: lockedUntil }))
        .execute();
      await recordAuditEvent(trx, ctx, {
        action: "address.locked",
        summary: `Locked sign-in from ${address} for ${policy.lockMs / 60000} minutes after ${addressFailures} failures`,
        subjects: [{ type: "client_address", id: address }],
        after: { lockedUntil: lockedUntil.toISOString(), failures: addressFailures },
      });
      return { ok: false, reason: "address_locked", lockedUntil, delayMs: 0 };
    }
    return { ok: false, reason: "invalid", delayMs: slowDownFor(Math.max(accountFailures, addressFailures), policy) };
  });
}

export async function signOut(trx: Trx, actor: Actor, ctx: ActionContext): Promise<void> {
  if (actor.sessionId) await revokeSession(trx, actor.sessionId, ctx.now, "signed out");
  await recordAuditEvent(trx, ctx, {
    action: "user.signed_out",
    summary: `${actor.name} signed out`,
    subjects: [{ type: "user", id: actor.userId }],
  });
}

const RESET_LINKS_PER_WINDOW = 3;
const RESET_WINDOW_MS = 60 * 60 * 1000;

/** Always looks the same to the person asking, whether or not the account exists. */
export async function requestPasswordReset(
  trx: Trx,
  input: { email: string },
  ctx: ActionContext,
  links: { baseUrl: string },
): Promise<void> {
  const email = normaliseEmail(input.email);
  const user = await trx
    .selectFrom("app_user")
    .select(["id", "full_name", "status"])
    .where("email", "=", email)
    .executeTakeFirst();
  if (!user || user.status !== "active") {
    await recordAuditEvent(trx, ctx, {
      action: "user.password_reset_requested",
      summary: `Password reset asked for ${email}, which has no active account: no email sent`,
      subjects: [],
      after: { email, sent: false },
    });
    return;
  }
  // Stops anyone flooding a person's inbox: a few links an hour is plenty.
  const recent = await trx
    .selectFrom("user_token")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("user_id", "=", user.id)
    .where("purpose", "=", "password_reset")
    .where("created_at", ">", new Date(ctx.now.getTime() - RESET_WINDOW_MS))
    .executeTakeFirstOrThrow();
  if (Number(recent.n) >= RESET_LINKS_PER_WINDOW) {
    await recordAuditEvent(trx, ctx, {
      action: "user.password_reset_requested",
      summary: `Password reset asked for ${user.full_name} (${email}): not sent, ${RESET_LINKS_PER_WINDOW} links already sent in the last hour`,
      subjects: [{ type: "user", id: user.id }],
      after: { email, sent: false },
    });
    return;
  }
  const { token, expiresAt } = await issueToken(trx, { userId: user.id, purpose: "password_reset", createdByUserId: null, now: ctx.now });
  await queueEmail(trx, {
    to: email,
    template: { name: "password_reset", props: { recipientName: user.full_name, resetUrl: `${links.baseUrl}/reset-password/${token}`, expiresAt } },
  });
  await recordAuditEvent(trx, ctx, {
    action: "user.password_reset_requested",
    summary: `Sent a password reset link to ${user.full_name} (${email})`,
    subjects: [{ type: "user", id: user.id }],
    after: { email, sent: true, expiresAt: expiresAt.toISOString() },
  });
}

export async function passwordResetFor(db: DB | Trx, token: string, now: Date) {
  const valid = await findValidToken(db, token, "password_reset", now);
  if (!valid) return null;
  const user = await db
    .selectFrom("app_user")
    .select(["id", "email", "full_name", "status"])
    .where("id", "=", valid.userId)
    .executeTakeFirst();
  if (!user || user.status !== "active") return null;
  return { tokenId: valid.id, userId: user.id, email: user.email, fullName: user.full_name };
}

export async function resetPassword(trx: Trx, input: { token: string; password: string }, ctx: ActionContext): Promise<void> {
  const reset = await passwordResetFor(trx, input.token, ctx.now);
  if (!reset) throw new ActionRefused("This password reset link has expired or has already been used. Ask for a new one");
  const problem = passwordProblem(input.password, { email: reset.email, name: reset.fullName });
  if (problem) throw new ActionRefused(problem, "password");
  if (!(await spendToken(trx, reset.tokenId, ctx.now))) throw new ActionRefused("This password reset link has already been used");
  const passwordHash = await hashPassword(input.password);
  await trx
    .updateTable("app_user")
    .set((eb) => ({ password_hash: passwordHash, locked_until: null, updated_at: ctx.now, version: eb("version", "+", 1) }))
    .where("id", "=", reset.userId)
    .execute();
  const revoked = await revokeAllSessions(trx, reset.userId, ctx.now, "password reset");
  await recordAuditEvent(trx, ctx, {
    action: "user.password_reset",
    summary: `${reset.fullName} set a new password with a reset link${revoked ? ` (signed out of ${revoked} session${revoked === 1 ? "" : "s"})` : ""}`,
    subjects: [{ type: "user", id: reset.userId }],
  });
}
