import { describe, expect, it } from "vitest";
import { systemContext } from "#app/modules/identity/actor";
import { KEEP_SIGN_IN_STATE_DAYS, removeEndedSignInState } from "#app/modules/identity/housekeeping";
import { seedDemo } from "#db/seed/demo";
import { useTestDatabase } from "#test/support/database";

const { db } = await useTestDatabase();
await seedDemo(db);
const user = await db.selectFrom("app_user").select("id").where("email", "=", "officer@westmoor.example").executeTakeFirstOrThrow();
const now = new Date("2026-11-24T12:00:00Z");
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
let token = 0;

async function session(
  label: string,
  times: {
    created: number;
    lastSeen: number;
    expires: number;
    revoked?: number;
  }
) {
  token++;
  await db
    .insertInto("user_session")
    .values({
      token_hash: Buffer.from(`housekeeping-${token}`),
      user_id: user.id,
      created_at: daysAgo(times.created),
      last_seen_at: daysAgo(times.lastSeen),
      expires_at: daysAgo(times.expires),
      revoked_at: times.revoked === undefined ? null : daysAgo(times.revoked),
      user_agent: label,
    })
    .execute();
}

describe("clearing away old sign-in state", () => {
  it("removes sessions, attempts and address locks that ended more than 30 days ago, keeps the rest, and says so in the audit trail", async () => {
    expect(KEEP_SIGN_IN_STATE_DAYS).toBe(30);
    await session("expired long ago", {
      created: 45,
      lastSeen: 44.9,
      expires: 44.5,
    });
    await session("revoked long ago", {
      created: 40,
      lastSeen: 39,
      expires: -1,
      revoked: 35,
    });
    await session("revoked last week", {
      created: 8,
      lastSeen: 8,
      expires: 7.5,
      revoked: 7,
    });
    await session("in use", { created: 0.1, lastSeen: 0, expires: -0.4 });
    await db
      .insertInto("sign_in_attempt")
      .values([
        {
          email: "old@westmoor.example",
          client_address: "192.0.2.1",
          succeeded: false,
          attempted_at: daysAgo(31),
        },
        {
          email: "recent@westmoor.example",
          client_address: "192.0.2.1",
          succeeded: false,
          attempted_at: daysAgo(2),
        },
      ])
      .execute();
    await db
      .insertInto("sign_in_throttle")
      .values([
        { kind: "address", subject: "192.0.2.7", failures: 30, counted_at: daysAgo(60), next_attempt_at: daysAgo(59.99) },
        { kind: "address", subject: "192.0.2.8", failures: 30, counted_at: daysAgo(0.01), next_attempt_at: daysAgo(-0.01) },
        { kind: "account", subject: "recent@westmoor.example", failures: 2, counted_at: daysAgo(2) },
        // Left by a sign-in that succeeded with no failure before it.
        { kind: "account", subject: "fine@westmoor.example" },
      ])
      .execute();

    const tidied = await db.transaction().execute((trx) => removeEndedSignInState(trx, systemContext(null, now)));
    expect(tidied).toEqual({ sessions: 2, attempts: 1, throttles: 2 });

    const left = await db
      .selectFrom("user_session")
      .select("user_agent")
      .where(
        "token_hash",
        "in",
        [1, 2, 3, 4].map((n) => Buffer.from(`housekeeping-${n}`))
      )
      .orderBy("user_agent")
      .execute();
    expect(left.map((s) => s.user_agent)).toEqual(["in use", "revoked last week"]);
    const attempts = await db
      .selectFrom("sign_in_attempt")
      .select("email")
      .where("email", "in", ["old@westmoor.example", "recent@westmoor.example"])
      .execute();
    expect(attempts.map((a) => a.email)).toEqual(["recent@westmoor.example"]);
    const counts = await db.selectFrom("sign_in_throttle").select("subject").orderBy("subject").execute();
    expect(counts.map((c) => c.subject)).toEqual(["192.0.2.8", "recent@westmoor.example"]);

    const event = await db.selectFrom("audit_event").select(["action", "summary"]).orderBy("seq", "desc").executeTakeFirstOrThrow();
    expect(event).toEqual({
      action: "housekeeping.sign_in_state_removed",
      summary: "Removed 2 ended sessions, 1 sign-in attempt and 2 sign-in failure counts from before 2026-10-25",
    });
  });

  it("writes nothing to the audit trail when there is nothing to remove", async () => {
    const before = await db.selectFrom("audit_chain_head").select("seq").executeTakeFirstOrThrow();
    expect(await db.transaction().execute((trx) => removeEndedSignInState(trx, systemContext(null, now)))).toEqual({
      sessions: 0,
      attempts: 0,
      throttles: 0,
    });
    expect(await db.selectFrom("audit_chain_head").select("seq").executeTakeFirstOrThrow()).toEqual(before);
  });
});
