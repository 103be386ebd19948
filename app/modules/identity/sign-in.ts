// Signing in and out, by password or by an emailed single-use link, and
// resetting a forgotten password. Repeated failures slow password attempts
// down (throttle.ts) rather than lock anyone out; every sign-in, failure and
// start of a wait is audited, and refusals while waiting are counted.
import type { DB, Trx } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { ActionRefused } from "#app/modules/errors";
import { queueEmail, type EmailTemplate } from "#app/modules/outbox/outbox";
import type { ActionContext, Actor } from "./actor";
import { hashPassword, passwordProblem, verifyAgainstNothing, verifyPassword } from "./passwords";
import { actorForUser, createSession, revokeAllSessions, revokeSession } from "./sessions";
import { beginAttempt, DEFAULT_THROTTLE, settleAttempt, waitAfter, type ThrottleKind, type ThrottlePolicy } from "./throttle";
import { findValidToken, issueToken, spendToken, tokensIssuedSince, type TokenPurpose } from "./tokens";
import { normaliseEmail } from "./users";

export { DEFAULT_THROTTLE, type ThrottlePolicy } from "./throttle";

export type SignInResult =
  | { ok: true; token: string; expiresAt: Date; actorUserId: string }
  | { ok: false; reason: "invalid" }
  /** No password is checked for this account (or from this address) before `retryAt`; an emailed link still works. */
  | { ok: false; reason: "throttled"; kind: ThrottleKind; retryAt: Date };

function minutes(ms: number): string {
  const n = Math.round(ms / 60_000);
  return `${n} minute${n === 1 ? "" : "s"}`;
}

export async function signIn(
  db: DB,
  input: { email: string; password: string; userAgent: string | null },
  ctx: ActionContext,
  policy: ThrottlePolicy = DEFAULT_THROTTLE,
): Promise<SignInResult> {
  const email = normaliseEmail(input.email);
  const keys = { email, address: ctx.clientAddress ?? "unknown" };
  // Counted (and refused when waiting) before the password is even looked at.
  const decision = await beginAttempt(db, keys, ctx.now, policy);
  if (!decision.allowed) return { ok: false, reason: "throttled", kind: decision.kind, retryAt: decision.retryAt };

  const user = await db
    .selectFrom("app_user")
    .select(["id", "full_name", "status", "password_hash"])
    .where("email", "=", email)
    .executeTakeFirst();
  const valid =
    user && user.status === "active" && user.password_hash
      ? await verifyPassword(user.password_hash, input.password)
      : await verifyAgainstNothing(input.password);

  return db.transaction().execute(async (trx): Promise<SignInResult> => {
    const succeeded = Boolean(valid && user);
    const settled = await settleAttempt(trx, keys, succeeded, ctx.now, policy);
    await trx
      .insertInto("sign_in_attempt")
      .values({ email, client_address: keys.address, succeeded, attempted_at: ctx.now })
      .execute();
    if (succeeded && user) {
      const session = await createSession(trx, { userId: user.id, clientAddress: ctx.clientAddress, userAgent: input.userAgent, now: ctx.now });
      // The event names the person who signed in as the one acting.
      const actor = await actorForUser(trx, user.id, session.sessionId);
      await recordAuditEvent(trx, { ...ctx, actor }, {
        action: "user.signed_in",
        summary: `${user.full_name} signed in${settled.refusedWhileWaiting ? ` (${settled.refusedWhileWaiting} attempts had been turned away while sign-in was slowed)` : ""}`,
        subjects: [{ type: "user", id: user.id }],
        ...(settled.refusedWhileWaiting ? { after: { refusedWhileSlowed: settled.refusedWhileWaiting } } : {}),
      });
      return { ok: true, token: session.token, expiresAt: session.expiresAt, actorUserId: user.id };
    }
    await recordAuditEvent(trx, ctx, {
      action: "user.sign_in_failed",
      summary: `Failed sign-in as ${email}${user ? "" : " (no such account)"}${user && user.status !== "active" ? ` (account ${user.status})` : ""}`,
      subjects: user ? [{ type: "user", id: user.id }] : [],
      after: { email, failuresForAccount: settled.accountFailures, failuresFromAddress: settled.addressFailures },
    });
    // One event when a wait begins; the attempts refused during it are counted on the throttle row.
    for (const began of settled.began) {
      const wait = minutes(waitAfter(began.failures, began.kind, policy));
      if (began.kind === "account") {
        await recordAuditEvent(trx, ctx, {
          action: "user.locked",
          summary: `Slowed sign-in to ${user ? `${user.full_name}'s account` : `${email} (no such account)`} after ${began.failures} failed sign-ins: the next password is checked after ${wait}, each failure after that doubles the wait (up to ${minutes(policy.maxWaitMs)}); an emailed link still signs the person in`,
          subjects: user ? [{ type: "user", id: user.id }] : [],
          after: { email, failures: began.failures, waitMs: waitAfter(began.failures, began.kind, policy) },
        });
      } else {
        await recordAuditEvent(trx, ctx, {
          action: "address.locked",
          summary: `Slowed sign-in from ${keys.address} after ${began.failures} failures across accounts: the next password is checked after ${wait}, doubling with each failure (up to ${minutes(policy.maxWaitMs)})`,
          subjects: [{ type: "client_address", id: keys.address }],
          after: { failures: began.failures, waitMs: waitAfter(began.failures, began.kind, policy) },
        });
      }
    }
    if (settled.retryAt) return { ok: false, reason: "throttled", kind: settled.retryAt.kind, retryAt: settled.retryAt.at };
    return { ok: false, reason: "invalid" };
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

const LINKS_PER_HOUR = 3;
const HOUR_MS = 60 * 60 * 1000;

interface LinkEmail {
  purpose: TokenPurpose;
  /** The audit action, and the words for the link in its summary ("a password reset link"). */
  action: string;
  what: string;
  path: string;
  template: (user: { fullName: string }, url: string, expiresAt: Date) => EmailTemplate;
}

/**
 * Emails a person a single-use link. Looks the same to whoever asked whether
 * or not the address has an account, and sends at most a few an hour, so
 * nobody can use it to find accounts or flood an inbox.
 */
async function emailSingleUseLink(trx: Trx, input: { email: string }, ctx: ActionContext, baseUrl: string, link: LinkEmail): Promise<void> {
  const email = normaliseEmail(input.email);
  const user = await trx.selectFrom("app_user").select(["id", "full_name", "status"]).where("email", "=", email).executeTakeFirst();
  if (!user || user.status !== "active") {
    await recordAuditEvent(trx, ctx, {
      action: link.action,
      summary: `${link.what} asked for ${email}, which has no active account: no email sent`,
      subjects: [],
      after: { email, sent: false },
    });
    return;
  }
  if ((await tokensIssuedSince(trx, user.id, link.purpose, new Date(ctx.now.getTime() - HOUR_MS))) >= LINKS_PER_HOUR) {
    await recordAuditEvent(trx, ctx, {
      action: link.action,
      summary: `${link.what} asked for ${user.full_name} (${email}): not sent, ${LINKS_PER_HOUR} links already sent in the last hour`,
      subjects: [{ type: "user", id: user.id }],
      after: { email, sent: false },
    });
    return;
  }
  const { token, expiresAt } = await issueToken(trx, { userId: user.id, purpose: link.purpose, createdByUserId: null, now: ctx.now });
  await queueEmail(trx, { to: email, template: link.template({ fullName: user.full_name }, `${baseUrl}${link.path}/${token}`, expiresAt) });
  await recordAuditEvent(trx, ctx, {
    action: link.action,
    summary: `Sent ${link.what.toLowerCase()} to ${user.full_name} (${email})`,
    subjects: [{ type: "user", id: user.id }],
    after: { email, sent: true, expiresAt: expiresAt.toISOString() },
  });
}

/** Always looks the same to the person asking, whether or not the account exists. */
export async function requestPasswordReset(trx: Trx, input: { email: string }, ctx: ActionContext, links: { baseUrl: string }): Promise<void> {
  await emailSingleUseLink(trx, input, ctx, links.baseUrl, {
    purpose: "password_reset",
    action: "user.password_reset_requested",
    what: "A password reset link",
    path: "/reset-password",
    template: (user, resetUrl, expiresAt) => ({ name: "password_reset", props: { recipientName: user.fullName, resetUrl, expiresAt } }),
  });
}

/**
 * For a person whose sign-in is being slowed down (or who would rather not
 * type a password): a link that signs them in once, within 15 minutes. It
 * does nothing to the throttle, so it helps only whoever reads the mailbox.
 */
export async function requestSignInLink(trx: Trx, input: { email: string }, ctx: ActionContext, links: { baseUrl: string }): Promise<void> {
  await emailSingleUseLink(trx, input, ctx, links.baseUrl, {
    purpose: "sign_in_link",
    action: "user.sign_in_link_requested",
    what: "A sign-in link",
    path: "/sign-in-link",
    template: (user, signInUrl, expiresAt) => ({ name: "sign_in_link", props: { recipientName: user.fullName, signInUrl, expiresAt } }),
  });
}

/** The person an unused, unexpired sign-in link is for, to name on the page before they use it. */
export async function signInLinkFor(db: DB | Trx, token: string, now: Date) {
  const valid = await findValidToken(db, token, "sign_in_link", now);
  if (!valid) return null;
  const user = await db.selectFrom("app_user").select(["id", "full_name", "status"]).where("id", "=", valid.userId).executeTakeFirst();
  if (!user || user.status !== "active") return null;
  return { tokenId: valid.id, userId: user.id, fullName: user.full_name };
}

/** Spends the link and starts a session; the sign-in is audited as the person, saying it was by link. */
export async function signInWithLink(
  trx: Trx,
  input: { token: string; userAgent: string | null },
  ctx: ActionContext,
): Promise<{ token: string; expiresAt: Date; actorUserId: string }> {
  const link = await signInLinkFor(trx, input.token, ctx.now);
  if (!link || !(await spendToken(trx, link.tokenId, ctx.now))) {
    throw new ActionRefused("This sign-in link has expired or has already been used. Ask for a new one");
  }
  const session = await createSession(trx, { userId: link.userId, clientAddress: ctx.clientAddress, userAgent: input.userAgent, now: ctx.now });
  const actor = await actorForUser(trx, link.userId, session.sessionId);
  await recordAuditEvent(trx, { ...ctx, actor }, {
    action: "user.signed_in",
    summary: `${link.fullName} signed in with an emailed link`,
    subjects: [{ type: "user", id: link.userId }],
    after: { method: "emailed link" },
  });
  return { token: session.token, expiresAt: session.expiresAt, actorUserId: link.userId };
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
