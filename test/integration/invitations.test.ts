// The invite form's action as the HTTP layer calls it: what an administrator
// sees for addresses email cannot go to, for invisible direction controls in
// a name, and for the same invitation sent several times at once.
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { systemContext } from "#app/modules/identity/actor";
import { actorForUser } from "#app/modules/identity/sessions";
import { createActiveUser } from "#app/modules/identity/users";
import * as invitePage from "#app/routes/admin.users.invite";
import { useTestDatabase } from "#test/support/database";
import { portalContext } from "#test/support/portal-context";

const { db, ownerDb } = await useTestDatabase();
const council = await db.insertInto("organisation").values({ kind: "council", name: "Test County Council" }).returning("id").executeTakeFirstOrThrow();
const adminUser = await db.transaction().execute((trx) =>
  createActiveUser(trx, { organisationId: council.id, email: "admin@council.example", fullName: "Ada Admin", roles: ["administrator"], password: "quiet-orchard-lantern" }, systemContext()),
);
const admin = await actorForUser(db, adminUser.id, null);

/** Posts the invite form; gives back the status and, for a form shown again, its errors. */
async function invite(fields: { fullName: string; email: string }): Promise<{ status: number; errors?: Record<string, string> }> {
  const body = new URLSearchParams({ ...fields, organisationId: council.id, roles: "evaluator" });
  const request = new Request("http://portal.test/admin/users/invite", { method: "POST", body });
  const result = (await invitePage.action({ request, params: {}, context: portalContext(db, admin) })) as unknown;
  if (result instanceof Response) return { status: result.status };
  const shown = result as { data: { errors: Record<string, string> }; init: { status: number } | null };
  return { status: shown.init?.status ?? 200, errors: shown.data.errors };
}

describe("inviting a user through the form", () => {
  it.each(["sam<evil>@council.example", "sam@council.example,eve.example", "sam@council.example;eve.example", "sam@council.example>"])(
    "refuses %j beside the field, before the email would be refused by the outbox",
    async (email) => {
      const answer = await invite({ fullName: "Sam Patel", email });
      expect(answer.status).toBe(400);
      expect(answer.errors?.email).toBe("Enter an email address in the correct format, like name@example.com");
    },
  );

  it("takes invisible direction controls out of the name before it is stored or emailed", async () => {
    expect((await invite({ fullName: "\u202EMallory\u2066 Evans\u200F", email: "mallory@council.example" })).status).toBe(302);
    const user = await db.selectFrom("app_user").select("full_name").where("email", "=", "mallory@council.example").executeTakeFirstOrThrow();
    expect(user.full_name).toBe("Mallory Evans");
    const mail = await db.selectFrom("outbox_email").select("text").where("to_address", "=", "mallory@council.example").executeTakeFirstOrThrow();
    expect(mail.text).toContain("Dear Mallory Evans,");
    // A name that is nothing but controls is no name.
    expect((await invite({ fullName: "\u202E\u202C", email: "nobody@council.example" })).errors?.fullName).toBe("Enter the person's full name");
  });

  it("sends one of six identical invitations posted at once; the others say the address already has an account", async () => {
    // Holds new accounts back until every invitation has found the address free, as happens when they truly arrive together.
    const owner = ownerDb();
    let release = () => {};
    let locked = () => {};
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const holding = owner.transaction().execute(async (trx) => {
      await sql`LOCK TABLE app_user IN EXCLUSIVE MODE`.execute(trx);
      locked();
      await new Promise<void>((resolve) => (release = resolve));
    });
    await lockTaken;
    const sending = Promise.all(Array.from({ length: 6 }, () => invite({ fullName: "Twin Invitee", email: "twin@council.example" })));
    // The test database's pool has 5 connections: 5 invitations wait at the insert together.
    for (let waited = 0; waited < 100; waited++) {
      const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM pg_locks WHERE NOT granted AND relation = 'app_user'::regclass`.execute(owner);
      if (Number(rows[0]?.n) >= 5) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    release();
    await holding;
    const answers = await sending;
    expect(answers.filter((a) => a.status === 302)).toHaveLength(1);
    const refused = answers.filter((a) => a.status !== 302);
    expect(refused).toHaveLength(5);
    for (const answer of refused) expect(answer).toEqual({ status: 400, errors: { email: "A user with this email address already exists" } });
    expect(await db.selectFrom("outbox_email").select("id").where("to_address", "=", "twin@council.example").execute()).toHaveLength(1);
  });
});
