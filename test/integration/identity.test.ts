import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { verifyAuditTrail } from "#app/modules/audit/verify";
import type { ActionContext } from "#app/modules/identity/actor";
import { systemContext } from "#app/modules/identity/actor";
import { actorForSession, actorForUser, SESSION_IDLE_MS } from "#app/modules/identity/sessions";
import {
  DEFAULT_THROTTLE,
  passwordResetFor,
  requestPasswordReset,
  requestSignInLink,
  resetPassword,
  signIn,
  signInLinkFor,
  signInWithLink,
  signOut,
  type ThrottlePolicy,
} from "#app/modules/identity/sign-in";
import { acceptInvitation, changeRoles, createActiveUser, getUser, inviteUser, setUserActive } from "#app/modules/identity/users";
import { ActionRefused, ConcurrentEditError } from "#app/modules/errors";
import { useTestDatabase } from "#test/support/database";

const { db } = await useTestDatabase();
const PASSWORD = "quiet-orchard-lantern";
const FAST: ThrottlePolicy = { ...DEFAULT_THROTTLE, addressFreeFailures: 12 };

const council = await db.insertInto("organisation").values({ kind: "council", name: "Test County Council" }).returning("id").executeTakeFirstOrThrow();
const provider = await db.insertInto("organisation").values({ kind: "provider", name: "Test Homes Ltd" }).returning("id").executeTakeFirstOrThrow();

let n = 0;
async function newUser(roles: Parameters<typeof createActiveUser>[1]["roles"] = ["commissioning_officer"], organisationId = council.id) {
  n += 1;
  const email = `person${n}-${Date.now()}@council.example`;
  const user = await db.transaction().execute((trx) => createActiveUser(trx, { organisationId, email, fullName: `Person ${n}`, roles, password: PASSWORD }, systemContext()));
  return { ...user, email };
}

function ctxAt(now: Date, address = "203.0.113.7"): ActionContext {
  return { actor: null, requestId: "req-test", clientAddress: address, now };
}

async function auditActions(userId: string) {
  const rows = await db.selectFrom("audit_event").select("action").where(sql<boolean>`subjects @> ${JSON.stringify([{ type: "user", id: userId }])}::jsonb`).orderBy("seq").execute();
  return rows.map((r) => r.action);
}

describe("signing in", () => {
  it("gives a session for the right password and audits the sign-in as the person", async () => {
    const user = await newUser();
    const result = await signIn(db, { email: user.email.toUpperCase(), password: PASSWORD, userAgent: "test" }, ctxAt(new Date()), FAST);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const actor = await actorForSession(db, result.token, new Date());
    expect(actor?.userId).toBe(user.id);
    expect(actor?.roles).toEqual(["commissioning_officer"]);
    const event = await db.selectFrom("audit_event").selectAll().where("action", "=", "user.signed_in").orderBy("seq", "desc").executeTakeFirstOrThrow();
    expect(event.actor_user_id).toBe(user.id);
    expect(event.client_address).toBe("203.0.113.7");
    expect(event.request_id).toBe("req-test");
  });

  it("refuses a wrong password without saying whether the account exists, and audits the failure", async () => {
    const user = await newUser();
    const wrong = await signIn(db, { email: user.email, password: "not-the-password", userAgent: null }, ctxAt(new Date()), FAST);
    const unknown = await signIn(db, { email: "nobody@nowhere.example", password: "whatever-it-is", userAgent: null }, ctxAt(new Date(), "198.51.100.1"), FAST);
    expect(wrong).toMatchObject({ ok: false, reason: "invalid" });
    expect(unknown).toMatchObject({ ok: false, reason: "invalid" });
    expect(await auditActions(user.id)).toContain("user.sign_in_failed");
  });

  it("holds the limit under a parallel attack: of 60 attempts at once (59 wrong, 1 right) at most 5 passwords are checked", async () => {
    const user = await newUser();
    const now = new Date();
    const passwords = Array.from({ length: 60 }, (_, i) => (i === 42 ? PASSWORD : `wrong-guess-${i}-password`));
    // Each from its own address, so only the account's count can hold them back.
    const results = await Promise.all(
      passwords.map((password, i) => signIn(db, { email: user.email, password, userAgent: null }, ctxAt(now, `198.51.100.${i + 1}`), FAST)),
    );
    const failedEvents = (await auditActions(user.id)).filter((a) => a === "user.sign_in_failed").length;
    const signedIn = results.filter((r) => r.ok).length;
    // Every checked password is audited as a failure or a sign-in; the rest were refused unchecked.
    expect(failedEvents + signedIn).toBeLessThanOrEqual(FAST.accountFreeFailures);
    expect(results.filter((r) => r.ok || r.reason === "invalid").length).toBeLessThanOrEqual(FAST.accountFreeFailures);
    const row = await db.selectFrom("sign_in_throttle").selectAll().where("kind", "=", "account").where("subject", "=", user.email).executeTakeFirstOrThrow();
    expect(row.refused).toBe(60 - failedEvents - signedIn);
    if (signedIn === 0) {
      expect(row.failures).toBe(FAST.accountFreeFailures);
      // One audit event for the start of the wait, not one per refused attempt.
      expect((await auditActions(user.id)).filter((a) => a === "user.locked")).toHaveLength(1);
    }
  });

  it("slows guessing down rather than locking the person out: after 5 failures each attempt waits 1, 2, 4 minutes, and the right password then gets in", async () => {
    const user = await newUser();
    const t0 = Date.now();
    const at = (minutes: number) => new Date(t0 + minutes * 60_000);
    const attempt = (password: string, minutes: number) => signIn(db, { email: user.email, password, userAgent: null }, ctxAt(at(minutes), "192.0.2.50"), FAST);
    for (let i = 0; i < 4; i++) expect(await attempt(`wrong-${i}-password`, 0)).toEqual({ ok: false, reason: "invalid" });
    expect(await attempt("wrong-4-password", 0)).toMatchObject({ ok: false, reason: "throttled", kind: "account", retryAt: at(1) });
    // Even the right password is not checked during the wait.
    expect(await attempt(PASSWORD, 0.5)).toMatchObject({ ok: false, reason: "throttled", retryAt: at(1) });
    expect(await attempt("wrong-5-password", 1)).toMatchObject({ reason: "throttled", retryAt: at(3) });
    expect(await attempt("wrong-6-password", 3)).toMatchObject({ reason: "throttled", retryAt: at(7) });
    // Never more than 15 minutes, however long it goes on.
    let minute = 7;
    for (let i = 7; i < 12; i++) {
      const result = await attempt(`wrong-${i}-password`, minute);
      if (result.ok || result.reason !== "throttled") throw new Error("expected a wait");
      expect(result.retryAt.getTime() - at(minute).getTime()).toBeLessThanOrEqual(15 * 60_000);
      minute = (result.retryAt.getTime() - t0) / 60_000;
    }
    expect((await attempt(PASSWORD, minute)).ok).toBe(true);
    const actions = await auditActions(user.id);
    expect(actions.filter((a) => a === "user.locked")).toHaveLength(1);
    expect(actions.filter((a) => a === "user.sign_in_refused")).toHaveLength(0);
    // A right password proves the password: the account starts afresh (tried from elsewhere, as this address has failed a lot).
    const again = await signIn(db, { email: user.email, password: "wrong-again-password", userAgent: null }, ctxAt(at(minute), "192.0.2.51"), FAST);
    expect(again).toEqual({ ok: false, reason: "invalid" });
  });

  it("slows sign-in from an address that fails across many accounts, and the address's own successes do not restart its count", async () => {
    const now = new Date();
    const address = "192.0.2.200";
    const own = await newUser();
    for (let i = 0; i < FAST.addressFreeFailures - 1; i++) {
      expect(await signIn(db, { email: `spray${i}@x.example`, password: "guess-guess-guess", userAgent: null }, ctxAt(now, address), FAST)).toMatchObject({ reason: "invalid" });
      // The attacker signs in to an account of their own between guesses.
      if (i % 5 === 4) expect((await signIn(db, { email: own.email, password: PASSWORD, userAgent: null }, ctxAt(now, address), FAST)).ok).toBe(true);
    }
    const last = await signIn(db, { email: "spray-last@x.example", password: "guess-guess-guess", userAgent: null }, ctxAt(now, address), FAST);
    expect(last).toMatchObject({ ok: false, reason: "throttled", kind: "address" });
    const user = await newUser();
    expect(await signIn(db, { email: user.email, password: PASSWORD, userAgent: null }, ctxAt(now, address), FAST)).toMatchObject({ reason: "throttled", kind: "address" });
    expect((await signIn(db, { email: user.email, password: PASSWORD, userAgent: null }, ctxAt(now, "192.0.2.201"), FAST)).ok).toBe(true);
    const events = await db
      .selectFrom("audit_event")
      .select("action")
      .where(sql<boolean>`subjects @> ${JSON.stringify([{ type: "client_address", id: address }])}::jsonb`)
      .execute();
    expect(events.map((e) => e.action)).toEqual(["address.locked"]);
  });

  it("lets failures drain away with time instead of wiping them on a success: an office's occasional typos never add up to a wait", async () => {
    const t0 = Date.now() + 10 * 86_400_000;
    // 40 failures from one office address, across people, one every 6 minutes (slower than one drains).
    for (let i = 0; i < 40; i++) {
      const result = await signIn(db, { email: `typo${i}@council.example`, password: "not-quite-right", userAgent: null }, ctxAt(new Date(t0 + i * 6 * 60_000), "192.0.2.80"), FAST);
      expect(result, `failure ${i + 1}`).toEqual({ ok: false, reason: "invalid" });
    }
    // A person's own mistakes a few hours apart never make them wait either.
    const user = await newUser();
    for (let i = 0; i < 8; i++) {
      const result = await signIn(db, { email: user.email, password: "almost-the-password", userAgent: null }, ctxAt(new Date(t0 + i * 3 * 60 * 60_000), `192.0.2.${90 + i}`), FAST);
      expect(result, `mistake ${i + 1}`).toEqual({ ok: false, reason: "invalid" });
    }
  });

  it("answers an unknown address exactly as a real one, slow-down included, so accounts cannot be found by guessing", async () => {
    const user = await newUser();
    const ghost = `ghost-${Date.now()}@council.example`;
    const run = async (email: string, address: string) => {
      const out = [];
      for (let i = 0; i < 6; i++) {
        const r = await signIn(db, { email, password: `wrong-${i}-password`, userAgent: null }, ctxAt(new Date(1_900_000_000_000), address), FAST);
        out.push(r.ok ? "ok" : r.reason);
      }
      return out;
    };
    expect(await run(ghost, "192.0.2.60")).toEqual(await run(user.email, "192.0.2.61"));
  });

  it("a person whose sign-in is slowed can still get in with an emailed single-use link, which does nothing for the guesser", async () => {
    const user = await newUser();
    const now = new Date();
    for (let i = 0; i < 5; i++) await signIn(db, { email: user.email, password: `wrong-${i}-password`, userAgent: null }, ctxAt(now, "192.0.2.70"), FAST);
    expect(await signIn(db, { email: user.email, password: PASSWORD, userAgent: null }, ctxAt(now), FAST)).toMatchObject({ reason: "throttled" });

    await db.transaction().execute((trx) => requestSignInLink(trx, { email: user.email.toUpperCase() }, ctxAt(now), { baseUrl: "http://portal.test" }));
    const mail = await db.selectFrom("outbox_email").selectAll().where("to_address", "=", user.email).where("template", "=", "sign_in_link").executeTakeFirstOrThrow();
    expect(mail.subject).toMatch(/link to sign in/);
    const token = /sign-in-link\/([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
    expect(token).toBeTruthy();
    expect(mail.text).toMatch(/works only once/);
    // Good for 15 minutes.
    expect(await signInLinkFor(db, token!, new Date(now.getTime() + 16 * 60_000))).toBeNull();
    expect((await signInLinkFor(db, token!, now))?.fullName).toBe(`Person ${n}`);

    const session = await db.transaction().execute((trx) => signInWithLink(trx, { token: token!, userAgent: "test" }, ctxAt(now)));
    expect((await actorForSession(db, session.token, now))?.userId).toBe(user.id);
    const event = await db.selectFrom("audit_event").selectAll().where("action", "=", "user.signed_in").orderBy("seq", "desc").executeTakeFirstOrThrow();
    expect(event.summary).toMatch(/signed in with an emailed link/);
    expect(event.actor_user_id).toBe(user.id);
    // Once only.
    await expect(db.transaction().execute((trx) => signInWithLink(trx, { token: token!, userAgent: null }, ctxAt(now)))).rejects.toThrow(/expired or has already been used/);
    // The password is still slowed down: the link let the person in, it did not reset the guesser's wait.
    expect(await signIn(db, { email: user.email, password: "wrong-9-password", userAgent: null }, ctxAt(now, "192.0.2.71"), FAST)).toMatchObject({ reason: "throttled" });
  });

  it("emails sign-in links only to active accounts, at most three an hour, auditing every request", async () => {
    const user = await newUser();
    const ghost = `ghost-link-${Date.now()}@council.example`;
    for (const email of [ghost, user.email, user.email, user.email, user.email]) {
      await db.transaction().execute((trx) => requestSignInLink(trx, { email }, ctxAt(new Date()), { baseUrl: "http://portal.test" }));
    }
    expect(await db.selectFrom("outbox_email").select("id").where("to_address", "=", ghost).execute()).toHaveLength(0);
    expect(await db.selectFrom("outbox_email").select("id").where("to_address", "=", user.email).execute()).toHaveLength(3);
    const summaries = (await db.selectFrom("audit_event").select("summary").where("action", "=", "user.sign_in_link_requested").execute()).map((e) => e.summary);
    expect(summaries.filter((s) => s.includes(ghost))).toEqual([`A sign-in link asked for ${ghost}, which has no active account: no email sent`]);
    expect(summaries.filter((s) => s.includes(user.email) && s.includes("not sent, 3 links already sent"))).toHaveLength(1);
  });

  it("ends a session that sat idle too long, and a revoked one at once", async () => {
    const user = await newUser();
    const start = new Date();
    const result = await signIn(db, { email: user.email, password: PASSWORD, userAgent: null }, ctxAt(start), FAST);
    if (!result.ok) throw new Error("sign-in failed");
    expect(await actorForSession(db, result.token, new Date(start.getTime() + SESSION_IDLE_MS - 1000))).not.toBeNull();
    // Being used just now keeps it alive; a longer silence after that ends it.
    const usedAt = new Date(start.getTime() + SESSION_IDLE_MS - 1000);
    expect(await actorForSession(db, result.token, new Date(usedAt.getTime() + SESSION_IDLE_MS + 1000))).toBeNull();
    const again = await signIn(db, { email: user.email, password: PASSWORD, userAgent: null }, ctxAt(new Date()), FAST);
    if (!again.ok) throw new Error("sign-in failed");
    const actor = await actorForSession(db, again.token, new Date());
    await db.transaction().execute((trx) => signOut(trx, actor!, { ...ctxAt(new Date()), actor }));
    expect(await actorForSession(db, again.token, new Date())).toBeNull();
  });
});

describe("invitations", () => {
  it("invites by email, then the link sets a password once", async () => {
    const admin = await newUser(["administrator"]);
    const ctx = { ...ctxAt(new Date()), actor: await actorForUser(db, admin.id, null) };
    const email = `invitee-${Date.now()}@council.example`;
    const invited = await db.transaction().execute((trx) =>
      inviteUser(trx, { organisationId: council.id, email, fullName: "Ivy Invitee", roles: ["evaluator", "commissioning_officer"] }, ctx, { baseUrl: "http://portal.test" }),
    );
    const mail = await db.selectFrom("outbox_email").selectAll().where("to_address", "=", email).executeTakeFirstOrThrow();
    expect(mail.subject).toMatch(/invited/i);
    const token = /invitation\/([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
    expect(token).toBeTruthy();
    await expect(db.transaction().execute((trx) => acceptInvitation(trx, { token: token!, password: "short" }, ctxAt(new Date())))).rejects.toThrow(/12 characters/);
    await db.transaction().execute((trx) => acceptInvitation(trx, { token: token!, password: PASSWORD }, ctxAt(new Date())));
    await expect(db.transaction().execute((trx) => acceptInvitation(trx, { token: token!, password: PASSWORD }, ctxAt(new Date())))).rejects.toThrow(/expired or has already been used/);
    const signedIn = await signIn(db, { email, password: PASSWORD, userAgent: null }, ctxAt(new Date()), FAST);
    expect(signedIn.ok).toBe(true);
    expect(await auditActions(invited.id)).toEqual(["user.invited", "user.invitation_accepted", "user.signed_in"]);
  });

  it("refuses council roles for a provider's people and a second account for one email", async () => {
    const ctx = ctxAt(new Date());
    await expect(
      db.transaction().execute((trx) => inviteUser(trx, { organisationId: provider.id, email: "p@homes.example", fullName: "P", roles: ["evaluator"] }, ctx, { baseUrl: "http://x" })),
    ).rejects.toThrow(/provider organisation can only be provider users/);
    const existing = await newUser();
    await expect(
      db.transaction().execute((trx) => inviteUser(trx, { organisationId: council.id, email: existing.email, fullName: "Twin", roles: ["evaluator"] }, ctx, { baseUrl: "http://x" })),
    ).rejects.toBeInstanceOf(ActionRefused);
  });
});

describe("password reset", () => {
  it("emails a single-use link that sets a new password and signs out other sessions", async () => {
    const user = await newUser();
    const session = await signIn(db, { email: user.email, password: PASSWORD, userAgent: null }, ctxAt(new Date()), FAST);
    if (!session.ok) throw new Error("sign-in failed");
    await db.transaction().execute((trx) => requestPasswordReset(trx, { email: user.email }, ctxAt(new Date()), { baseUrl: "http://portal.test" }));
    const mail = await db.selectFrom("outbox_email").selectAll().where("to_address", "=", user.email).orderBy("created_at", "desc").executeTakeFirstOrThrow();
    const token = /reset-password\/([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
    expect(token).toBeTruthy();
    expect(await passwordResetFor(db, token!, new Date(Date.now() + 61 * 60_000))).toBeNull();
    await db.transaction().execute((trx) => resetPassword(trx, { token: token!, password: "new-walnut-compass" }, ctxAt(new Date())));
    expect(await actorForSession(db, session.token, new Date())).toBeNull();
    expect((await signIn(db, { email: user.email, password: PASSWORD, userAgent: null }, ctxAt(new Date()), FAST)).ok).toBe(false);
    expect((await signIn(db, { email: user.email, password: "new-walnut-compass", userAgent: null }, ctxAt(new Date()), FAST)).ok).toBe(true);
    await expect(db.transaction().execute((trx) => resetPassword(trx, { token: token!, password: "another-walnut-compass" }, ctxAt(new Date())))).rejects.toThrow(/expired or has already been used/);
  });

  it("sends at most three reset links an hour to one person", async () => {
    const user = await newUser();
    for (let i = 0; i < 5; i++) {
      await db.transaction().execute((trx) => requestPasswordReset(trx, { email: user.email }, ctxAt(new Date()), { baseUrl: "http://portal.test" }));
    }
    const sent = await db.selectFrom("outbox_email").select("id").where("to_address", "=", user.email).execute();
    expect(sent).toHaveLength(3);
    const events = await db.selectFrom("audit_event").select("summary").where("action", "=", "user.password_reset_requested").orderBy("seq", "desc").limit(2).execute();
    expect(events.map((e) => e.summary).join(" ")).toMatch(/not sent, 3 links already sent/);
  });

  it("sends nothing for an unknown address but still audits the request", async () => {
    const before = await db.selectFrom("outbox_email").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
    await db.transaction().execute((trx) => requestPasswordReset(trx, { email: "ghost@nowhere.example" }, ctxAt(new Date()), { baseUrl: "http://x" }));
    const after = await db.selectFrom("outbox_email").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    const event = await db.selectFrom("audit_event").selectAll().orderBy("seq", "desc").executeTakeFirstOrThrow();
    expect(event.action).toBe("user.password_reset_requested");
    expect(event.summary).toMatch(/no email sent/);
  });
});

describe("roles and deactivation", () => {
  it("changes roles with before and after in the audit event, and refuses a stale edit", async () => {
    const user = await newUser(["evaluator"]);
    const current = await getUser(db, user.id);
    await db.transaction().execute((trx) =>
      changeRoles(trx, { userId: user.id, roles: ["evaluator", "chief_officer"], expectedVersion: current!.version, reason: "Acting up" }, ctxAt(new Date())),
    );
    const event = await db.selectFrom("audit_event").selectAll().where("action", "=", "user.roles_changed").orderBy("seq", "desc").executeTakeFirstOrThrow();
    expect(event.before).toEqual({ roles: ["evaluator"] });
    expect(event.after).toEqual({ roles: ["chief_officer", "evaluator"] });
    expect(event.reason).toBe("Acting up");
    await expect(
      db.transaction().execute((trx) => changeRoles(trx, { userId: user.id, roles: ["evaluator"], expectedVersion: current!.version, reason: null }, ctxAt(new Date()))),
    ).rejects.toBeInstanceOf(ConcurrentEditError);
    expect((await getUser(db, user.id))?.roles.sort()).toEqual(["chief_officer", "evaluator"]);
  });

  it("deactivating signs the person out everywhere and stops sign-in", async () => {
    const user = await newUser();
    const session = await signIn(db, { email: user.email, password: PASSWORD, userAgent: null }, ctxAt(new Date()), FAST);
    if (!session.ok) throw new Error("sign-in failed");
    const current = await getUser(db, user.id);
    await expect(
      db.transaction().execute((trx) => setUserActive(trx, { userId: user.id, active: false, expectedVersion: current!.version, reason: " " }, ctxAt(new Date()))),
    ).rejects.toThrow(/Enter a reason/);
    await db.transaction().execute((trx) => setUserActive(trx, { userId: user.id, active: false, expectedVersion: current!.version, reason: "Left the council" }, ctxAt(new Date())));
    expect(await actorForSession(db, session.token, new Date())).toBeNull();
    expect((await signIn(db, { email: user.email, password: PASSWORD, userAgent: null }, ctxAt(new Date()), FAST)).ok).toBe(false);
  });

  it("leaves an audit trail that verifies after all of the above", async () => {
    const result = await verifyAuditTrail(db, { publicKey: null });
    expect(result.problem).toBeNull();
    expect(result.events).toBeGreaterThan(20);
  });
});
