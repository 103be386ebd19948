// A provider user can never read another provider's data, even by guessing
// ids: every route that takes an id is called as a provider with ids that
// belong to someone else, through the real loaders and the real database.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { actorForUser } from "#app/modules/identity/sessions";
import { seedDemo } from "#db/seed/demo";
import { useTestDatabase } from "#test/support/database";
import { loaderStatus, portalContext } from "#test/support/portal-context";
import * as homePage from "#app/routes/homes.$homeId";
import * as homesPage from "#app/routes/homes._index";
import * as organisationPage from "#app/routes/organisations.$organisationId";
import * as organisationsPage from "#app/routes/organisations._index";
import * as auditPage from "#app/routes/audit._index";
import * as auditRecord from "#app/routes/audit.records.$type.$id";
import * as auditPdf from "#app/routes/audit.records.$type.$id[.]pdf";
import * as auditCsv from "#app/routes/audit.export[.]csv";
import * as emailPage from "#app/routes/admin.emails.$emailId";
import * as userPage from "#app/routes/admin.users.$userId";
import * as dashboard from "#app/routes/_index";

const { db } = await useTestDatabase();
await seedDemo(db);

const providers = await db.selectFrom("organisation").select(["id", "name"]).where("kind", "=", "provider").orderBy("name").execute();
const harbour = await db
  .selectFrom("app_user")
  .innerJoin("organisation", "organisation.id", "app_user.organisation_id")
  .select(["app_user.id as userId", "organisation.id as organisationId"])
  .where("app_user.email", "=", "provider@harbour-light.example")
  .executeTakeFirstOrThrow();
const provider = await actorForUser(db, harbour.userId, null);
const others = providers.filter((p) => p.id !== harbour.organisationId);
const otherHomes = await db.selectFrom("home").select(["id", "name", "organisation_id"]).where("organisation_id", "!=", harbour.organisationId).execute();
const ownHomes = await db.selectFrom("home").select(["id", "name"]).where("organisation_id", "=", harbour.organisationId).execute();
const anyEmail = await db.selectFrom("outbox_email").select("id").executeTakeFirst();
const anotherUser = await db.selectFrom("app_user").select("id").where("organisation_id", "!=", harbour.organisationId).executeTakeFirstOrThrow();

function call(loader: (args: LoaderFunctionArgs) => Promise<unknown>, path: string, params: Record<string, string>) {
  return loaderStatus(() => loader({ request: new Request(`http://portal.test${path}`), params, context: portalContext(db, provider) }));
}

describe("a provider user guessing ids", () => {
  it("has homes of its own to see, and other providers exist", () => {
    expect(ownHomes.length).toBeGreaterThan(0);
    expect(otherHomes.length).toBeGreaterThan(50);
    expect(others.length).toBeGreaterThan(20);
  });

  it("cannot open any other provider's home: every one answers 404 and names nothing", async () => {
    for (const home of otherHomes) {
      const result = await call(homePage.loader, `/homes/${home.id}`, { homeId: home.id });
      expect(result.status, home.name).toBe(404);
      expect(result.body).not.toContain(home.name);
    }
  });

  it("cannot open any other organisation's page", async () => {
    for (const org of others) {
      const result = await call(organisationPage.loader, `/organisations/${org.id}`, { organisationId: org.id });
      expect(result.status, org.name).toBe(404);
      expect(result.body).not.toContain(org.name);
    }
  });

  it("gets the same 404 for an id that does not exist at all", async () => {
    const made = "9b2f3c9e-0000-4000-8000-000000000000";
    expect((await call(homePage.loader, `/homes/${made}`, { homeId: made })).status).toBe(404);
    expect((await call(homePage.loader, "/homes/not-a-uuid", { homeId: "not-a-uuid" })).status).toBe(404);
  });

  it("sees its own home and organisation", async () => {
    const home = ownHomes[0]!;
    const result = await call(homePage.loader, `/homes/${home.id}`, { homeId: home.id });
    expect(result.status).toBe(200);
    expect(result.body).toContain(home.name);
    expect((await call(organisationPage.loader, `/organisations/${harbour.organisationId}`, { organisationId: harbour.organisationId })).status).toBe(200);
  });

  it("lists only its own homes", async () => {
    const result = await call(homesPage.loader, "/homes", {});
    for (const home of ownHomes) expect(result.body).toContain(home.name);
    for (const home of otherHomes) expect(result.body).not.toContain(`"${home.name}"`);
  });

  it("sees only its own organisation's figures on the dashboard", async () => {
    const result = await call(dashboard.loader, "/", {});
    const data = JSON.parse(result.body) as { figures: { homes: number; providers: number; auditTrail: unknown } };
    expect(data.figures.homes).toBe(ownHomes.length);
    expect(data.figures.providers).toBe(1);
    expect(data.figures.auditTrail).toBeNull();
  });

  it("is refused the council's pages: provider list, audit trail, exports, extracts, users and emails", async () => {
    const home = otherHomes[0]!;
    const refused = [
      await call(organisationsPage.loader, "/organisations", {}),
      await call(auditPage.loader, "/audit", {}),
      await call(auditRecord.loader, `/audit/records/home/${home.id}`, { type: "home", id: home.id }),
      await call(auditPdf.loader, `/audit/records/home/${home.id}.pdf`, { type: "home", id: home.id }),
      await call(auditCsv.loader, "/audit/export.csv", {}),
      await call(userPage.loader, `/admin/users/${anotherUser.id}`, { userId: anotherUser.id }),
      ...(anyEmail ? [await call(emailPage.loader, `/admin/emails/${anyEmail.id}`, { emailId: anyEmail.id })] : []),
    ];
    for (const result of refused) {
      expect(result.status).toBe(403);
      expect(result.body).not.toContain(home.name);
    }
  });
});

describe("the homes list for council staff", () => {
  it("pages through every home, 50 at a time, without repeating one", async () => {
    const officerUser = await db.selectFrom("app_user").select("id").where("email", "=", "officer@westmoor.example").executeTakeFirstOrThrow();
    const officer = await actorForUser(db, officerUser.id, null);
    const pageOf = async (page: number) =>
      JSON.parse(
        (await loaderStatus(() => homesPage.loader({ request: new Request(`http://portal.test/homes?page=${page}`), params: {}, context: portalContext(db, officer) }))).body,
      ) as { homes: { id: string }[]; total: number; pages: number };
    const first = await pageOf(1);
    const second = await pageOf(2);
    const total = await db.selectFrom("home").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
    expect(first.total).toBe(Number(total.n));
    expect(first.pages).toBe(Math.ceil(Number(total.n) / 50));
    expect(first.homes).toHaveLength(50);
    const ids = new Set([...first.homes, ...second.homes].map((h) => h.id));
    expect(ids.size).toBe(first.homes.length + second.homes.length);
  });
});
