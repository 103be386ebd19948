// The demo's dynamic market and its pages through the real loaders: what the
// seed builds, and who may see applications. A provider asking for another
// provider's application, or the officers' pages, is told they do not exist.
import { beforeAll, describe, expect, it } from "vitest";
import { verifyAuditTrail } from "#app/modules/audit/verify";
import { actorForUser } from "#app/modules/identity/sessions";
import type { Actor } from "#app/modules/identity/actor";
import { marketApplications, marketMembers } from "#app/modules/tendering/dynamic-markets";
import { seedDemo } from "#db/seed/demo";
import { DEMO_DYNAMIC_MARKET } from "#db/seed/demo-dynamic-market";
import { useTestDatabase } from "#test/support/database";
import { loaderStatus, portalContext } from "#test/support/portal-context";
import * as applyPage from "#app/routes/tenders.$tenderId.apply._index";
import * as applicationsPage from "#app/routes/tenders.$tenderId.applications._index";
import * as applicationPage from "#app/routes/tenders.$tenderId.applications.$applicationId";
import * as callOffPage from "#app/routes/tenders.$tenderId.applications.call-off";
import * as tenderPage from "#app/routes/tenders.$tenderId._index";

const { db } = await useTestDatabase();
let marketId: string;
let callOffId: string;
const actors: Record<string, Actor> = {};
beforeAll(async () => {
  await seedDemo(db);
  marketId = (await db.selectFrom("tender").select("id").where("title", "=", DEMO_DYNAMIC_MARKET.title).executeTakeFirstOrThrow()).id;
  callOffId = (await db.selectFrom("tender").select("id").where("title", "=", DEMO_DYNAMIC_MARKET.callOffTitle).executeTakeFirstOrThrow()).id;
  for (const email of ["officer@westmoor.example", "evaluator@westmoor.example", "provider@harbour-light.example", "provider@moorland-care.example"]) {
    const user = await db.selectFrom("app_user").select("id").where("email", "=", email).executeTakeFirstOrThrow();
    actors[email] = await actorForUser(db, user.id, null);
  }
}, 120_000);

const get = (route: { loader: (args: never) => Promise<unknown> }, actor: Actor | null, path: string, params: Record<string, string>) =>
  loaderStatus(() => (route.loader as (args: unknown) => Promise<unknown>)({ request: new Request(`http://portal.test${path}`), params, context: portalContext(db, actor) }));

describe("the demo's dynamic market", () => {
  it("is published with Harbour Light and Moorland Care members of lot 1, Moorland's application to lot 2 waiting, and a call-off for lot 2", async () => {
    const members = await marketMembers(db, marketId);
    expect(members.map((l) => [l.lot.number, l.members.map((m) => m.name)])).toEqual([
      [1, ["Harbour Light Children's Homes Ltd", "Moorland Care Group Ltd"].sort()],
      [2, []],
    ]);
    const applications = await marketApplications(db, marketId);
    expect(applications[0]).toMatchObject({ organisationName: "Moorland Care Group Ltd", status: "submitted", number: 2 });
    expect(applications.filter((a) => a.status === "submitted")).toHaveLength(1);
    const callOff = await db.selectFrom("tender").select(["status", "calls_off_tender_id"]).where("id", "=", callOffId).executeTakeFirstOrThrow();
    expect(callOff).toEqual({ status: "published", calls_off_tender_id: marketId });
    expect((await verifyAuditTrail(db, { publicKey: null })).ok).toBe(true);
  });
});

describe("who sees applications", () => {
  it("the officer sees every submitted application and each one's page; the evaluator sees them but may not decide", async () => {
    const list = await get(applicationsPage, actors["officer@westmoor.example"]!, `/tenders/${marketId}/applications`, { tenderId: marketId });
    expect(list.status).toBe(200);
    expect(list.body).toContain("Moorland Care Group Ltd");
    expect(JSON.parse(list.body)).toMatchObject({ callOffs: [{ title: DEMO_DYNAMIC_MARKET.callOffTitle, lot: "Lot 2", status: "Published" }] });
    const pending = (await marketApplications(db, marketId))[0]!;
    const page = await get(applicationPage, actors["officer@westmoor.example"]!, "/", { tenderId: marketId, applicationId: pending.id });
    expect(page.status).toBe(200);
    expect(JSON.parse(page.body)).toMatchObject({ mayDecide: true });
    const evaluator = await get(applicationPage, actors["evaluator@westmoor.example"]!, "/", { tenderId: marketId, applicationId: pending.id });
    expect(evaluator.status).toBe(403);
    expect((await get(callOffPage, actors["officer@westmoor.example"]!, "/", { tenderId: marketId })).status).toBe(200);
  });

  it("a provider is told the officers' pages and another provider's application do not exist, and sees only its own", async () => {
    const harbour = actors["provider@harbour-light.example"]!;
    const moorlandPending = (await marketApplications(db, marketId))[0]!;
    expect((await get(applicationsPage, harbour, "/", { tenderId: marketId })).status).toBe(404);
    expect((await get(applicationPage, harbour, "/", { tenderId: marketId, applicationId: moorlandPending.id })).status).toBe(404);
    expect((await get(callOffPage, harbour, "/", { tenderId: marketId })).status).toBe(404);
    const own = await get(applyPage, harbour, "/", { tenderId: marketId });
    expect(own.status).toBe(200);
    expect(own.body).toContain("Harbour Light");
    expect(own.body).not.toContain("Tamarmouth home");
    expect(own.body).not.toContain(moorlandPending.id);
    // A tender that is not a dynamic market has no application pages.
    expect((await get(applyPage, harbour, "/", { tenderId: callOffId })).status).toBe(404);
    // Signed out, the application page asks for sign-in.
    expect((await get(applyPage, null, "/", { tenderId: marketId })).status).toBe(302);
  });

  it("the call-off's page tells a provider outside lot 2 why it cannot take part, and offers it no interest button", async () => {
    const page = await get(tenderPage, actors["provider@harbour-light.example"]!, "/", { tenderId: callOffId });
    expect(page.status).toBe(200);
    const loaded = JSON.parse(page.body) as { excludedReason: string | null; callOff: { lot: string } };
    expect(loaded.callOff.lot).toMatch(/^Lot 2/);
    expect(loaded.excludedReason).toMatch(/open only to members of lot 2/);
  });
});
