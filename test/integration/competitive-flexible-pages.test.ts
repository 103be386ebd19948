// The demo's two-stage tenders and their pages through the real loaders and
// actions: what the seed builds, who sees requests to participate, and that a
// provider asking for another provider's request, or the officers' pages, is
// told they do not exist.
import { beforeAll, describe, expect, it } from "vitest";
import { verifyAuditTrail } from "#app/modules/audit/verify";
import type { Actor } from "#app/modules/identity/actor";
import { actorForUser } from "#app/modules/identity/sessions";
import { participationRequests, requestStatus } from "#app/modules/tendering/participation";
import { seedDemo } from "#db/seed/demo";
import { DEMO_COMPETITIVE_FLEXIBLE } from "#db/seed/demo-competitive-flexible";
import { useTestDatabase } from "#test/support/database";
import { answer, loaderStatus, portalContext, post } from "#test/support/portal-context";
import * as participatePage from "#app/routes/tenders.$tenderId.participate._index";
import * as participationPage from "#app/routes/tenders.$tenderId.participation._index";
import * as requestPage from "#app/routes/tenders.$tenderId.participation.$requestId";
import * as tenderPage from "#app/routes/tenders.$tenderId._index";

const { db } = await useTestDatabase();
let biddingId: string;
let requestsOpenId: string;
const actors: Record<string, Actor> = {};
beforeAll(async () => {
  await seedDemo(db);
  const idOf = async (title: string) => (await db.selectFrom("tender").select("id").where("title", "=", title).executeTakeFirstOrThrow()).id;
  biddingId = await idOf(DEMO_COMPETITIVE_FLEXIBLE.biddingTitle);
  requestsOpenId = await idOf(DEMO_COMPETITIVE_FLEXIBLE.requestsOpenTitle);
  for (const email of ["officer@westmoor.example", "evaluator@westmoor.example", "provider@harbour-light.example", "provider@moorland-care.example"]) {
    const user = await db.selectFrom("app_user").select("id").where("email", "=", email).executeTakeFirstOrThrow();
    actors[email] = await actorForUser(db, user.id, null);
  }
}, 120_000);

type Route = { loader: (args: never) => Promise<unknown> };
const get = (route: Route, actor: Actor | null, params: Record<string, string>) =>
  loaderStatus(() => (route.loader as (args: unknown) => Promise<unknown>)({ request: new Request("http://portal.test/"), params, context: portalContext(db, actor) }));

describe("the demo's two-stage tenders", () => {
  it("one takes requests now; in the other Moorland Care passed and Harbour Light's request waits for assessment", async () => {
    expect(await participationRequests(db, requestsOpenId)).toEqual([]);
    const requests = await participationRequests(db, biddingId);
    expect(requests.map((r) => [r.organisationName, requestStatus(r)])).toEqual([
      ["Harbour Light Children's Homes Ltd", "submitted"],
      ["Moorland Care Group Ltd", "passed"],
    ]);
    const moorland = await get(tenderPage, actors["provider@moorland-care.example"]!, { tenderId: biddingId });
    expect(JSON.parse(moorland.body)).toMatchObject({
      participation: { stage: "Stage 2 of 2: bids, from providers who passed the conditions of participation", ownResult: "Passed", bidBlocked: null },
    });
    const harbour = await get(tenderPage, actors["provider@harbour-light.example"]!, { tenderId: biddingId });
    expect(JSON.parse(harbour.body)).toMatchObject({ participation: { ownResult: "Waiting for assessment", bidBlocked: expect.stringMatching(/waiting for assessment/) } });
    const open = await get(tenderPage, null, { tenderId: requestsOpenId });
    expect(JSON.parse(open.body).participation.stage).toMatch(/^Stage 1 of 2: requests to participate, until /);
    expect((await verifyAuditTrail(db, { publicKey: null })).ok).toBe(true);
  });
});

describe("who sees requests to participate", () => {
  it("the officer sees every submitted request and who passed, and assesses the waiting one; an evaluator may neither see nor assess requests", async () => {
    const officer = actors["officer@westmoor.example"]!;
    const list = await get(participationPage, officer, { tenderId: biddingId });
    expect(list.status).toBe(200);
    expect(JSON.parse(list.body)).toMatchObject({ waiting: 1, passed: ["Moorland Care Group Ltd"], assessing: true });
    const waiting = (await participationRequests(db, biddingId))[0]!;
    expect(JSON.parse((await get(requestPage, officer, { tenderId: biddingId, requestId: waiting.id })).body)).toMatchObject({ mayAssess: true });
    expect((await get(requestPage, actors["evaluator@westmoor.example"]!, { tenderId: biddingId, requestId: waiting.id })).status).toBe(403);

    const act = (actor: Actor, fields: Record<string, string>) =>
      answer(() =>
        requestPage.action({ request: post("/", fields), params: { tenderId: biddingId, requestId: waiting.id }, context: portalContext(db, actor) } as never),
      );
    expect(await act(actors["evaluator@westmoor.example"]!, { result: "passed" })).toMatchObject({ status: 403 });
    const missingReason = await act(officer, { result: "not_passed", reason: "" });
    expect(missingReason).toMatchObject({ status: 409, data: { errors: { reason: "Give the reasons the provider did not pass: the provider is told them" }, values: { result: "not_passed" } } });
    expect(await act(officer, { result: "passed" })).toMatchObject({ status: 302 });
    expect(requestStatus((await participationRequests(db, biddingId)).find((r) => r.id === waiting.id)!)).toBe("passed");
  });

  it("a provider is told the officers' pages and another provider's request do not exist, and sees only its own", async () => {
    const harbour = actors["provider@harbour-light.example"]!;
    const moorlandRequest = (await participationRequests(db, biddingId)).find((r) => r.organisationName.startsWith("Moorland"))!;
    expect((await get(participationPage, harbour, { tenderId: biddingId })).status).toBe(404);
    expect((await get(requestPage, harbour, { tenderId: biddingId, requestId: moorlandRequest.id })).status).toBe(404);
    // Another tender's request id finds nothing, even for the officer.
    expect((await get(requestPage, actors["officer@westmoor.example"]!, { tenderId: requestsOpenId, requestId: moorlandRequest.id })).status).toBe(404);
    const own = await get(participatePage, harbour, { tenderId: biddingId });
    expect(own.status).toBe(200);
    expect(own.body).not.toContain("Moorland");
    expect(own.body).not.toContain(moorlandRequest.id);
    // A tender without a participation stage has no such pages; signed out, the page asks for sign-in.
    const ordinary = (await db.selectFrom("tender").select("id").where("participation_stage", "=", false).where("status", "=", "published").executeTakeFirstOrThrow()).id;
    expect((await get(participatePage, harbour, { tenderId: ordinary })).status).toBe(404);
    expect((await get(participationPage, actors["officer@westmoor.example"]!, { tenderId: ordinary })).status).toBe(404);
    expect((await get(participatePage, null, { tenderId: biddingId })).status).toBe(302);
  });
});
