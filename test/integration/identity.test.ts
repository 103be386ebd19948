import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { verifyAuditTrail } from "#app/modules/audit/verify";
import type { ActionContext } from "#app/modules/identity/actor";
import { systemContext } from "#app/modules/identity/actor";
import { actorForSession, actorForUser, SESSION_IDLE_MS } from "#app/modules/identity/sessions";
import { passwordResetFor, requestPasswordReset, resetPassword, signIn, signOut, type ThrottlePolicy } from "#app/modules/identity/sign-in";
import { acceptInvitation, changeRoles, createActiveUser, getUser, inviteUser, setUserActive } from "#app/modules/identity/users";
import { ActionRefused, ConcurrentEditError } from "#app/modules/errors";
import { useTestDatabase } from "#test/support/database";

const { db } = await useTestDatabase();
const PASSWORD = "quiet-orchard-lantern";
const FAST: ThrottlePolicy = { windowMs: 15 * 60_000, accountLockAfter: 5, addressLockAfter: 12, lockMs: 15 * 60_000, slowAfter: 2, maxDelayMs: 4000 };

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

  it("slows down after repeated failures, then locks the account even against the right password", async () => {
    const user = await newUser();
    const now = new Date();
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await signIn(db, { email: user.email, password: `wrong-${i}-password`, userAgent: null }, ctxAt(now, `192.0.2.${i}`), FAST));
    expect(results.map((r) => (r.ok ? 0 : r.delayMs))).toEqual([0, 0, 500, 1000, 0]);
    expect(results[4]).toMatchObject({ ok: false, reason: "account_locked" });
    const right = await signIn(db, { email: user.email, password: PASSWORD, userAgent: null }, ctxAt(new Date(now.getTime() + 60_000)), FAST);
    expect(right).toMatchObject({ ok: false, reason: "account_locked" });
    expect(await auditActions(user.id)).toEqual(expect.arrayContaining(["user.sign_in_failed", "user.locked", "user.sign_in_refused"]));
    const later = await signIn(db, { email: user.email, password: PASSWORD, userAgent: null }, ctxAt(new Date(now.getTime() + 16 * 60_000)), FAST);
    expect(later.ok).toBe(true);
  });

  it("locks sign-in from an address that fails across many accounts", async () => {
    const now = new Date();
    let last;
    for (let i = 0; i < FAST.addressLockAfter; i++) {
      last = await signIn(db, { email: `spray${i}@x.example`, password: "guess-guess-guess", userAgent: null }, ctxAt(now, "192.0.2.200"), FAST);
    }
    expect(last).toMatchObject({ ok: false, reason: "address_locked" });
    const user = await newUser();
    const blocked = await signIn(db, { email: user.email, password: PASSWORD, userAgent: null }, ctxAt(now, "192.0.2.200"), FAST);
    expect(blocked).toMatchObject({ ok: false, reason: "address_locked" });
    const elsewhere = await signIn(db, { email: user.email, password: PASSWORD, userAgent: null }, ctxAt(now, "192.0.2.201"), FAST);
    expect(elsewhere.ok).toBe(true);
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
