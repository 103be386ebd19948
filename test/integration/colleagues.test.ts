// A provider user inviting colleagues, through the invite page's action as
// the HTTP layer calls it: only into their own organisation, only as a
// provider user, whatever the form is made to send.
import { describe, expect, it } from "vitest";
import { ActionRefused } from "#app/modules/errors";
import { inviteColleague, listColleagues } from "#app/modules/organisations/colleagues";
import * as invitePage from "#app/routes/organisation.users.invite";
import * as colleaguesPage from "#app/routes/organisation.users._index";
import type { Actor } from "#app/modules/identity/actor";
import { runAudited } from "#test/support/audited";
import { useTestDatabase } from "#test/support/database";
import { loaderStatus, portalContext } from "#test/support/portal-context";
import { buildTenderingWorld, contextOf } from "#test/support/tendering";

const { db } = await useTestDatabase();
const world = await buildTenderingWorld(db);

async function post(actor: Actor, fields: Record<string, string>): Promise<{ status: number; errors?: Record<string, string> }> {
  const request = new Request("http://portal.test/organisation/users/invite", { method: "POST", body: new URLSearchParams(fields) });
  try {
    const result = (await invitePage.action({ request, params: {}, context: portalContext(db, actor) })) as unknown;
    if (result instanceof Response) return { status: result.status };
    const shown = result as { data: { errors: Record<string, string> }; init: { status: number } | null };
    return { status: shown.init?.status ?? 200, errors: shown.data.errors };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status };
    throw thrown;
  }
}

describe("inviting a colleague", () => {
  it("invites into the inviter's own organisation as a provider user, even when the form names another organisation and role", async () => {
    const answer = await post(world.providerA, {
      fullName: "Pat Colleague",
      email: "pat@harbour.example",
      organisationId: world.providerB.organisationId,
      roles: "administrator",
    });
    expect(answer.status).toBe(302);
    const user = await db.selectFrom("app_user").select(["id", "organisation_id", "status"]).where("email", "=", "pat@harbour.example").executeTakeFirstOrThrow();
    expect(user).toMatchObject({ organisation_id: world.providerA.organisationId, status: "invited" });
    expect(await db.selectFrom("user_role").select("role").where("user_id", "=", user.id).execute()).toEqual([{ role: "provider_user" }]);
    const mail = await db.selectFrom("outbox_email").select(["template", "text"]).where("to_address", "=", "pat@harbour.example").executeTakeFirstOrThrow();
    expect(mail.template).toBe("invitation");
    expect(mail.text).toContain(`${world.providerA.name} has invited you`);
    expect((await listColleagues(db, world.providerA.organisationId)).map((u) => u.email)).toContain("pat@harbour.example");
    expect((await listColleagues(db, world.providerB.organisationId)).map((u) => u.email)).not.toContain("pat@harbour.example");
  });

  it("audits the invitation as the provider user who sent it", async () => {
    const { events, error } = await runAudited(db, (trx) =>
      inviteColleague(trx, { fullName: "Lee Audit", email: "lee@harbour.example" }, contextOf(world.providerA), { baseUrl: "http://portal.test" }),
    );
    expect(error).toBeNull();
    expect(events.map((e) => e.action)).toEqual(["user.invited"]);
  });

  it("says what is missing beside the fields and sends nothing", async () => {
    const answer = await post(world.providerA, { fullName: "", email: "not-an-address" });
    expect(answer).toEqual({
      status: 400,
      errors: { fullName: "Enter your colleague's full name", email: "Enter an email address in the correct format, like name@example.com" },
    });
  });

  it("refuses council staff, in the page and in the module", async () => {
    expect((await post(world.officer, { fullName: "Sneaky", email: "sneaky@harbour.example" })).status).toBe(403);
    expect(await loaderStatus(() => colleaguesPage.loader({ request: new Request("http://portal.test/organisation/users"), params: {}, context: portalContext(db, world.officer) }))).toMatchObject({ status: 403 });
    await expect(
      db.transaction().execute((trx) => inviteColleague(trx, { fullName: "Sneaky", email: "sneaky@harbour.example" }, contextOf(world.officer), { baseUrl: "http://portal.test" })),
    ).rejects.toBeInstanceOf(ActionRefused);
    expect(await db.selectFrom("app_user").select("id").where("email", "=", "sneaky@harbour.example").executeTakeFirst()).toBeUndefined();
  });
});
