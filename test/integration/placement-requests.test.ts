import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { Trx } from "#app/database/schema";
import { verifyAuditTrail } from "#app/modules/audit/verify";
import { ActionRefused, ConcurrentEditError, RecordNotFound } from "#app/modules/errors";
import { createHome, recordOfstedJudgement } from "#app/modules/homes/homes";
import { setStatementOfPurpose } from "#app/modules/homes/statement-of-purpose";
import { systemContext } from "#app/modules/identity/actor";
import { acceptOffer, compareOffers, declineReasons, declineRequest, DEFAULT_OFFER_WEIGHTS, makeOffer, ownResponses } from "#app/modules/placements/offers";
import { COUNCIL_ONLY, createPlacement, endPlacement, listPlacements, placementMoves } from "#app/modules/placements/placements";
import { matchRequest, type MatchCriteria } from "#app/modules/placements/matching";
import { councilRequest, listReceivedRequests, receivedRequest, requestRecipients, SummaryNeedsConfirming, summaryWarnings, type PlacementRequestInput } from "#app/modules/placements/requests";
import { advancePlacementRequests, createPlacementRequest, withdrawPlacementRequest } from "#app/modules/placements/sending";
import { suspendHome } from "#app/modules/placements/suspensions";
import { updateVacancies } from "#app/modules/vacancies/vacancies";
import { runAudited } from "#test/support/audited";
import { useTestDatabase } from "#test/support/database";
import { buildMarketWorld, type MarketWorld } from "#test/support/market";
import { contextOf } from "#test/support/tendering";

const { db, ownerDb } = await useTestDatabase();
const LINKS = { baseUrl: "http://portal.test" };
const HOUR = 3_600_000;
const NOW = new Date("2027-01-04T09:00:00Z");
const FRESH = new Date("2027-01-01T09:00:00Z");
let world: MarketWorld;
let lot1: string;
/** Extra homes: provider B's Heavitree (EX4, matches), Okement (EX20, unknown district), Exe View (suspended), Riverside (supported living), and provider A's Blank House (no Statement of Purpose). */
const extra = { heavitree: "", okement: "", exeView: "", riverside: "", blank: "" };

const criteria = (): MatchCriteria => ({
  lotId: lot1,
  serviceType: "childrens_home",
  ageMin: 13,
  ageMax: 14,
  gender: "female",
  needs: ["cse_risk"],
  homeDistrict: "EX4",
  maxDistanceMiles: 50,
  startOn: "2027-01-11",
});

const requestInput = (overrides: Partial<PlacementRequestInput> = {}): PlacementRequestInput => ({
  ...criteria(),
  childReference: null,
  expectedWeeks: 26,
  budgetWeeklyPence: 600_000,
  summary: "Needs a calm home near school; settles well with consistent adults.",
  confirmSummary: false,
  sending: "all",
  deadline: new Date(NOW.getTime() + 72 * HOUR),
  ...overrides,
});

async function outboxCount(): Promise<number> {
  return Number((await db.selectFrom("outbox_email").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
}

async function outboxSince(count: number) {
  return db.selectFrom("outbox_email").select(["to_address", "template", "subject"]).orderBy("created_at").offset(count).limit(1000).execute();
}

beforeAll(async () => {
  world = await buildMarketWorld(db);
  lot1 = world.agreements.residential_framework.lotIds[0]!;
  const lot2 = world.agreements.residential_framework.lotIds[1]!;
  const B = world.providerB.organisationId;
  const A = world.providerA.organisationId;
  await db.transaction().execute(async (trx) => {
    const ctx = systemContext("test", new Date("2026-12-01T09:00:00Z"));
    const home = async (organisationId: string, name: string, district: string, places: number, serviceType: "childrens_home" | "supported_living" = "childrens_home") =>
      (await createHome(trx, { organisationId, name, serviceType, registeredPlaces: places, postcodeDistrict: district }, ctx)).id;
    extra.heavitree = await home(B, "Heavitree House", "EX4", 3);
    extra.okement = await home(B, "Okement View", "EX20", 2);
    extra.exeView = await home(B, "Exe View", "EX4", 2);
    extra.riverside = await home(B, "Riverside Flats", "EX4", 4, "supported_living");
    extra.blank = await home(A, "Blank House", "EX4", 2);
  });
  const statements: [string, MarketWorld["providerA"], number, number, string[], string[], string[]][] = [
    [world.homes.exeter, world.providerA, 11, 17, ["female", "male"], ["emotional_behavioural", "cse_risk"], [lot1]],
    [world.homes.plymouth, world.providerA, 8, 14, ["female", "male", "non_binary"], ["autism", "learning_disability"], [lot2]],
    [world.homes.truro, world.providerA, 13, 17, ["female"], ["cse_risk"], [lot1]],
    [world.homes.newtonAbbot, world.providerB, 12, 17, ["male"], ["emotional_behavioural"], [lot1]],
    [extra.heavitree, world.providerB, 12, 17, ["female"], ["cse_risk", "mental_health"], [lot1]],
    [extra.okement, world.providerB, 10, 17, ["female", "male"], ["emotional_behavioural", "cse_risk"], [lot1]],
    [extra.exeView, world.providerB, 11, 17, ["female", "male"], ["cse_risk"], [lot1]],
    [extra.riverside, world.providerB, 16, 21, ["female", "male"], ["cse_risk"], [lot1]],
  ];
  for (const [homeId, provider, ageMin, ageMax, genders, needs, lotIds] of statements) {
    await db.transaction().execute((trx) => setStatementOfPurpose(trx, { homeId, expectedVersion: 0, ageMin, ageMax, genders, needs, lotIds }, contextOf(provider, FRESH)));
  }
  await db.transaction().execute(async (trx) => {
    await updateVacancies(
      trx,
      {
        changes: [
          { homeId: world.homes.exeter, expectedVersion: 0, bedsFreeNow: 1, bedsFreeFrom: null, needs: [] },
          { homeId: world.homes.plymouth, expectedVersion: 0, bedsFreeNow: 0, bedsFreeFrom: { on: "2027-02-01", beds: 1 }, needs: [] },
          { homeId: world.homes.truro, expectedVersion: 0, bedsFreeNow: 1, bedsFreeFrom: null, needs: [] },
        ],
      },
      contextOf(world.providerA, FRESH),
    );
    await updateVacancies(
      trx,
      {
        changes: [
          { homeId: world.homes.newtonAbbot, expectedVersion: 0, bedsFreeNow: 2, bedsFreeFrom: null, needs: ["emotional_behavioural"] },
          { homeId: extra.heavitree, expectedVersion: 0, bedsFreeNow: 2, bedsFreeFrom: null, needs: [] },
          { homeId: extra.okement, expectedVersion: 0, bedsFreeNow: 1, bedsFreeFrom: null, needs: [] },
          { homeId: extra.exeView, expectedVersion: 0, bedsFreeNow: 1, bedsFreeFrom: null, needs: [] },
          { homeId: extra.riverside, expectedVersion: 0, bedsFreeNow: 2, bedsFreeFrom: null, needs: [] },
        ],
      },
      contextOf(world.providerB, FRESH),
    );
    const ctx = systemContext("test", FRESH);
    await recordOfstedJudgement(trx, { homeId: world.homes.exeter, inspectedOn: "2026-06-01", grade: 2 }, ctx);
    await recordOfstedJudgement(trx, { homeId: extra.heavitree, inspectedOn: "2026-06-01", grade: 1 }, ctx);
    await suspendHome(trx, { homeId: extra.exeView, reason: "Safeguarding concern under review" }, contextOf(world.officer, FRESH));
  });
}, 60_000);

describe("matching a placement request", () => {
  it("reaches only the homes that can meet it, and gives every other home its reasons", async () => {
    const result = await matchRequest(db, criteria(), NOW);
    expect(result.origin).toEqual({ outcode: "EX4", known: true });
    expect(new Set(result.reached.map((h) => h.homeId))).toEqual(new Set([world.homes.exeter, extra.heavitree]));
    const reasons = new Map(result.leftOut.map((h) => [h.homeId, h.reasons.map((r) => r.code)]));
    expect(reasons.get(world.homes.plymouth)).toEqual(["lot", "needs", "no_vacancy"]);
    expect(reasons.get(world.homes.truro)).toEqual(["too_far"]);
    expect(reasons.get(world.homes.newtonAbbot)).toEqual(["gender", "needs", "no_vacancy"]);
    expect(reasons.get(extra.okement)).toEqual(["distance_unknown"]);
    expect(reasons.get(extra.exeView)).toEqual(["suspended"]);
    expect(reasons.get(extra.riverside)).toEqual(["service_type", "age"]);
    expect(reasons.get(extra.blank)).toEqual(["lot", "no_statement", "needs", "no_vacancy"]);
    const truro = result.leftOut.find((h) => h.homeId === world.homes.truro)!;
    expect(truro.reasons[0]).toMatchObject({ code: "too_far" });
    expect(truro.distanceMiles).toBeGreaterThan(50);
    // A later start date brings Plymouth's bed free from 1 February into reach, but not its lot or needs.
    const later = await matchRequest(db, { ...criteria(), startOn: "2027-02-01" }, NOW);
    expect(later.leftOut.find((h) => h.homeId === world.homes.plymouth)!.reasons.map((r) => r.code)).toEqual(["lot", "needs"]);
  });

  it("measures nothing from an unknown child's district, and leaves no home out for distance", async () => {
    const result = await matchRequest(db, { ...criteria(), homeDistrict: "EX20" }, NOW);
    expect(result.origin).toEqual({ outcode: "EX20", known: false });
    expect(result.reached.map((h) => h.homeId)).toContain(world.homes.truro);
    expect(result.reached.map((h) => h.homeId)).toContain(extra.okement);
  });
});

describe("the summary check", () => {
  it("warns about names, full postcodes, addresses and dates of birth, and not about ordinary words", () => {
    expect(summaryWarnings("Needs a calm home. Social Worker visits weekly.")).toEqual([]);
    const warnings = summaryWarnings("Lives with her gran at 12 Acacia Road, EX4 3AB; known as Jess, her mother Sarah Jones visits. Born 03/04/2013.");
    expect(warnings).toEqual(
      expect.arrayContaining([
        '"EX4 3AB" looks like a full postcode',
        '"12 Acacia Road" looks like an address',
        '"03/04/2013" looks like a date of birth',
        '"Jess" looks like a name',
        '"Sarah Jones" looks like a name',
      ]),
    );
    expect(warnings).not.toContain('"Acacia Road" looks like a name');
    expect(summaryWarnings("Known as Jess at school")).toEqual(['"Jess" looks like a name']);
  });

  it("stops a request until the officer confirms the warnings, writing nothing; confirmed, the warnings are kept", async () => {
    const before = await outboxCount();
    const refused = await runAudited(db, (trx) => createPlacementRequest(trx, requestInput({ summary: "Mrs Patel's foster placement ended" }), contextOf(world.officer, NOW), LINKS));
    expect(refused.error).toBeInstanceOf(SummaryNeedsConfirming);
    expect((refused.error as SummaryNeedsConfirming).warnings).toEqual(['"Mrs Patel" looks like a name']);
    expect(refused.events).toEqual([]);
    expect(await outboxCount()).toBe(before);
    const sent = await runAudited(db, (trx) =>
      createPlacementRequest(trx, requestInput({ summary: "Mrs Patel's foster placement ended", confirmSummary: true }), contextOf(world.officer, NOW), LINKS),
    );
    expect(sent.error).toBeNull();
    const stored = await db.selectFrom("placement_request").select("summary_warnings").where("id", "=", sent.value!.requestId).executeTakeFirstOrThrow();
    expect(stored.summary_warnings).toEqual(['"Mrs Patel" looks like a name']);
    await db.transaction().execute((trx) => withdrawPlacementRequest(trx, { requestId: sent.value!.requestId, expectedVersion: 1, reason: "Test over" }, contextOf(world.officer, NOW), LINKS));
  });
});

describe("sending a request", () => {
  it("to all matching homes at once: recipients, one email per provider user, one audit event, in one transaction", async () => {
    const before = await outboxCount();
    const result = await runAudited(db, (trx) => createPlacementRequest(trx, requestInput(), contextOf(world.officer, NOW), LINKS));
    expect(result.error).toBeNull();
    expect(result.value).toMatchObject({ sentNow: 2, later: 0 });
    expect(result.value!.childReference).toMatch(/^CH-[0-9A-HJ-NP-Z]{6}$/);
    expect(result.events.map((e) => e.action)).toEqual(["placement_request.sent"]);
    expect(result.events[0]!.summary).toBe(`Sent placement request ${result.value!.childReference} to 2 homes`);
    const emails = await outboxSince(before);
    // Provider A has two active users (its invited one is told nothing); provider B one.
    expect(emails.map((e) => e.to_address).sort()).toEqual([world.providerA.email, world.providerAColleague.email, world.providerB.email].sort());
    expect(emails.every((e) => e.template === "placement_request_sent")).toBe(true);
    expect(emails[0]!.subject).toContain(result.value!.childReference);
    const recipients = await requestRecipients(db, result.value!.requestId);
    expect(recipients.every((r) => r.sentAt?.getTime() === NOW.getTime() && r.tier === 1)).toBe(true);
  });

  it("writes no request, email or audit event when a later step fails in its transaction", async () => {
    const before = await outboxCount();
    const requests = await db.selectFrom("placement_request").select("id").execute();
    const result = await runAudited(db, async (trx) => {
      await createPlacementRequest(trx, requestInput(), contextOf(world.officer, NOW), LINKS);
      throw new Error("the route failed after the module");
    });
    expect(result.error?.message).toBe("the route failed after the module");
    expect(result.events).toEqual([]);
    expect(await outboxCount()).toBe(before);
    expect(await db.selectFrom("placement_request").select("id").execute()).toHaveLength(requests.length);
  });

  it("refuses a request no home can meet, and a deadline before the last tier is sent", async () => {
    const none = await runAudited(db, (trx) => createPlacementRequest(trx, requestInput({ needs: ["parent_and_child"] }), contextOf(world.officer, NOW), LINKS));
    expect(none.error).toBeInstanceOf(ActionRefused);
    expect(none.error?.message).toMatch(/No home can meet this request/);
    const early = await runAudited(db, (trx) =>
      createPlacementRequest(
        trx,
        requestInput({ sending: "cascade", tier1ProviderIds: [world.providerA.organisationId], tier1WindowHours: 24, deadline: new Date(NOW.getTime() + 12 * HOUR) }),
        contextOf(world.officer, NOW),
        LINKS,
      ),
    );
    expect(early.error).toMatchObject({ field: "deadline" });
    expect(none.events).toEqual([]);
    expect(early.events).toEqual([]);
  });

  it("as a cascade: tier 1 now, everyone else only when the window ends, once, however many instances run the loop", async () => {
    const ctx = contextOf(world.officer, NOW);
    const { requestId } = await db.transaction().execute((trx) =>
      createPlacementRequest(trx, requestInput({ sending: "cascade", tier1ProviderIds: [world.providerA.organisationId], tier1WindowHours: 24 }), ctx, LINKS),
    );
    const recipients = await requestRecipients(db, requestId);
    expect(recipients.map((r) => [r.homeId, r.tier, r.dueAt.getTime(), r.sentAt?.getTime() ?? null])).toEqual([
      [world.homes.exeter, 1, NOW.getTime(), NOW.getTime()],
      [extra.heavitree, 3, NOW.getTime() + 24 * HOUR, null],
    ]);
    // Provider B does not see it yet, and cannot answer it.
    expect((await listReceivedRequests(db, world.providerB.organisationId)).map((r) => r.id)).not.toContain(requestId);
    expect(await receivedRequest(db, requestId, world.providerB.organisationId)).toBeNull();
    const early = await runAudited(db, (trx) =>
      makeOffer(trx, { requestId, homeId: extra.heavitree, weeklyFeePence: 500_000, startOn: "2027-01-11", additionalSupportWeeklyPence: null, additionalSupportReason: null, notes: null }, contextOf(world.providerB, NOW), LINKS),
    );
    expect(early.error).toBeInstanceOf(RecordNotFound);

    const at = (hours: number) => systemContext("test:loop", new Date(NOW.getTime() + hours * HOUR));
    const before = await outboxCount();
    const notYet = await runAudited(db, (trx) => advancePlacementRequests(trx, at(23.9), LINKS));
    expect(notYet.value).toEqual({ sent: 0, closed: 0 });
    expect(notYet.events).toEqual([]);
    // Two instances' loops at the same moment: one sends, the other finds nothing left.
    const [one, two] = await Promise.all([
      db.transaction().execute((trx) => advancePlacementRequests(trx, at(24), LINKS)),
      db.transaction().execute((trx) => advancePlacementRequests(trx, at(24), LINKS)),
    ]);
    expect(one.sent + two.sent).toBe(1);
    const emails = await outboxSince(before);
    expect(emails.map((e) => e.to_address)).toEqual([world.providerB.email]);
    const again = await runAudited(db, (trx) => advancePlacementRequests(trx, at(25), LINKS));
    expect(again.value!.sent).toBe(0);
    expect((await requestRecipients(db, requestId)).find((r) => r.homeId === extra.heavitree)!.sentAt?.getTime()).toBe(NOW.getTime() + 24 * HOUR);
    const received = await receivedRequest(db, requestId, world.providerB.organisationId);
    expect(received?.homes.map((h) => h.homeId)).toEqual([extra.heavitree]);
  });

  it("with a second tier: tier 2 gets it when tier 1's window ends, and a provider chosen for both stays in tier 1", async () => {
    const ctx = contextOf(world.officer, NOW);
    const { requestId } = await db.transaction().execute((trx) =>
      createPlacementRequest(
        trx,
        requestInput({
          sending: "cascade",
          tier1ProviderIds: [world.providerA.organisationId],
          tier2ProviderIds: [world.providerA.organisationId, world.providerB.organisationId],
          tier1WindowHours: 12,
          tier2WindowHours: 6,
        }),
        ctx,
        LINKS,
      ),
    );
    expect((await requestRecipients(db, requestId)).map((r) => [r.homeId, r.tier, r.dueAt.getTime(), r.sentAt?.getTime() ?? null])).toEqual([
      [world.homes.exeter, 1, NOW.getTime(), NOW.getTime()],
      [extra.heavitree, 2, NOW.getTime() + 12 * HOUR, null],
    ]);
    const sent = await runAudited(db, (trx) => advancePlacementRequests(trx, systemContext("test:loop", new Date(NOW.getTime() + 12 * HOUR)), LINKS));
    expect(sent.events.map((e) => e.summary)).toEqual([expect.stringMatching(/to tier 2: 1 home$/)]);
    // The deadline must fall after both windows: 12 + 6 hours here.
    const tooSoon = await runAudited(db, (trx) =>
      createPlacementRequest(
        trx,
        requestInput({
          sending: "cascade",
          tier1ProviderIds: [world.providerA.organisationId],
          tier2ProviderIds: [world.providerB.organisationId],
          tier1WindowHours: 12,
          tier2WindowHours: 6,
          deadline: new Date(NOW.getTime() + 17 * HOUR),
        }),
        ctx,
        LINKS,
      ),
    );
    expect(tooSoon.error).toMatchObject({ field: "deadline", message: "The deadline for offers must be after the last tier has been sent the request" });
  });
});

describe("a cascade whose earlier tier has all declined", () => {
  it("is sent to the next tier at once, in the decline's transaction, with its own audit event and emails", async () => {
    const { requestId } = await db.transaction().execute((trx) =>
      createPlacementRequest(trx, requestInput({ sending: "cascade", tier1ProviderIds: [world.providerA.organisationId], tier1WindowHours: 48 }), contextOf(world.officer, NOW), LINKS),
    );
    const before = await outboxCount();
    const later = new Date(NOW.getTime() + HOUR);
    const declined = await runAudited(db, (trx) => declineRequest(trx, { requestId, homeId: world.homes.exeter, reason: "no_vacancy", details: null }, contextOf(world.providerA, later), LINKS));
    expect(declined.error).toBeNull();
    expect(declined.events.map((e) => e.action)).toEqual(["placement_request.declined", "placement_request.tier_sent"]);
    expect(declined.events[1]!.after).toMatchObject({ "Sent early because": "every home sent it before had declined" });
    const heavitree = (await requestRecipients(db, requestId)).find((r) => r.homeId === extra.heavitree)!;
    expect(heavitree.sentAt?.getTime()).toBe(later.getTime());
    const emails = await outboxSince(before);
    expect(emails.filter((e) => e.template === "placement_request_sent").map((e) => e.to_address)).toEqual([world.providerB.email]);
    // Nothing is left for the loop to send when the window ends.
    expect((await db.transaction().execute((trx) => advancePlacementRequests(trx, systemContext("test:loop", new Date(NOW.getTime() + 49 * HOUR)), LINKS))).sent).toBe(0);
  });
});

describe("offers and declines", () => {
  let requestId: string;
  beforeAll(async () => {
    ({ requestId } = await db.transaction().execute((trx) => createPlacementRequest(trx, requestInput(), contextOf(world.officer, NOW), LINKS)));
  });

  it("are refused as not found for a home the request never reached, or another provider's home", async () => {
    const offer = (homeId: string, provider = world.providerB) =>
      runAudited(db, (trx) =>
        makeOffer(trx, { requestId, homeId, weeklyFeePence: 500_000, startOn: "2027-01-11", additionalSupportWeeklyPence: null, additionalSupportReason: null, notes: null }, contextOf(provider, NOW), LINKS),
      );
    expect((await offer(world.homes.newtonAbbot)).error).toBeInstanceOf(RecordNotFound);
    expect((await offer(world.homes.exeter)).error).toBeInstanceOf(RecordNotFound);
    const decline = await runAudited(db, (trx) => declineRequest(trx, { requestId, homeId: world.homes.exeter, reason: "staffing", details: null }, contextOf(world.providerB, NOW), LINKS));
    expect(decline.error).toBeInstanceOf(RecordNotFound);
    expect(await ownResponses(db, requestId, world.providerB.organisationId)).toEqual({ offers: [], declines: [] });
  });

  it("an offer is recorded with its audit event and the officer's email; a second answer for the same home is refused", async () => {
    const before = await outboxCount();
    const made = await runAudited(db, (trx) =>
      makeOffer(
        trx,
        { requestId, homeId: world.homes.exeter, weeklyFeePence: 520_000, startOn: "2027-01-11", additionalSupportWeeklyPence: 40_000, additionalSupportReason: "Waking night staff for the first month", notes: "Can visit on Thursday" },
        contextOf(world.providerA, NOW),
        LINKS,
      ),
    );
    expect(made.error).toBeNull();
    expect(made.events.map((e) => e.action)).toEqual(["placement_request.offered"]);
    expect((await outboxSince(before)).map((e) => [e.to_address, e.template])).toEqual([[world.officer.email, "placement_response_received"]]);
    const twice = await runAudited(db, (trx) => declineRequest(trx, { requestId, homeId: world.homes.exeter, reason: "staffing", details: null }, contextOf(world.providerAColleague, NOW), LINKS));
    expect(twice.error?.message).toMatch(/already offered/);
    const noReason = await runAudited(db, (trx) =>
      makeOffer(trx, { requestId, homeId: extra.heavitree, weeklyFeePence: 480_000, startOn: "2027-01-11", additionalSupportWeeklyPence: 10_000, additionalSupportReason: null, notes: null }, contextOf(world.providerB, NOW), LINKS),
    );
    expect(noReason.error).toMatchObject({ field: "additionalSupportReason" });
  });

  it("a decline needs words for 'another reason', and the reasons are counted per request and in total", async () => {
    const vague = await runAudited(db, (trx) => declineRequest(trx, { requestId, homeId: extra.heavitree, reason: "other", details: " " }, contextOf(world.providerB, NOW), LINKS));
    expect(vague.error).toMatchObject({ field: "details" });
    const made = await runAudited(db, (trx) => declineRequest(trx, { requestId, homeId: extra.heavitree, reason: "matching_risk", details: "Two girls at risk of exploitation live there now" }, contextOf(world.providerB, NOW), LINKS));
    expect(made.error).toBeNull();
    expect(made.events.map((e) => e.action)).toEqual(["placement_request.declined"]);
    const perRequest = await declineReasons(db, { councilId: world.councilId, requestId });
    expect(perRequest.find((r) => r.reason === "matching_risk")!.count).toBe(1);
    expect(perRequest.reduce((n, r) => n + r.count, 0)).toBe(1);
    // A decline is history: the runtime login cannot change or remove it.
    await expect(sql`UPDATE placement_decline SET details = 'edited' WHERE request_id = ${requestId}`.execute(db)).rejects.toThrow();
    await expect(sql`DELETE FROM placement_decline WHERE request_id = ${requestId}`.execute(db)).rejects.toThrow();
  });

  it("a withdrawn request takes no more offers; an out-of-date version is told, not overwritten", async () => {
    const { requestId: other } = await db.transaction().execute((trx) => createPlacementRequest(trx, requestInput(), contextOf(world.officer, NOW), LINKS));
    const stale = await runAudited(db, (trx) => withdrawPlacementRequest(trx, { requestId: other, expectedVersion: 0, reason: "Family placement found" }, contextOf(world.officer, NOW), LINKS));
    expect(stale.error).toBeInstanceOf(ConcurrentEditError);
    const otherCouncil = await runAudited(db, (trx) => withdrawPlacementRequest(trx, { requestId: other, expectedVersion: 1, reason: "x" }, contextOf(world.otherCouncilOfficer, NOW), LINKS));
    expect(otherCouncil.error).toBeInstanceOf(RecordNotFound);
    const before = await outboxCount();
    const done = await runAudited(db, (trx) => withdrawPlacementRequest(trx, { requestId: other, expectedVersion: 1, reason: "Family placement found" }, contextOf(world.officer, NOW), LINKS));
    expect(done.events.map((e) => e.action)).toEqual(["placement_request.withdrawn"]);
    expect((await outboxSince(before)).every((e) => e.template === "placement_request_outcome")).toBe(true);
    expect(await outboxCount()).toBe(before + 3);
    const late = await runAudited(db, (trx) =>
      makeOffer(trx, { requestId: other, homeId: extra.heavitree, weeklyFeePence: 480_000, startOn: "2027-01-11", additionalSupportWeeklyPence: null, additionalSupportReason: null, notes: null }, contextOf(world.providerB, NOW), LINKS),
    );
    expect(late.error).toBeInstanceOf(ActionRefused);
    expect(late.error?.message).toMatch(/withdrawn/);
  });

  it("closes at its deadline: no offer after it, even before the loop has run; the loop closes it and tells the providers", async () => {
    const deadline = new Date(NOW.getTime() + 48 * HOUR);
    const { requestId: closing } = await db.transaction().execute((trx) => createPlacementRequest(trx, requestInput({ deadline }), contextOf(world.officer, NOW), LINKS));
    await db.transaction().execute((trx) =>
      makeOffer(trx, { requestId: closing, homeId: world.homes.exeter, weeklyFeePence: 500_000, startOn: "2027-01-11", additionalSupportWeeklyPence: null, additionalSupportReason: null, notes: null }, contextOf(world.providerA, NOW), LINKS),
    );
    const after = new Date(deadline.getTime() + 1000);
    const late = await runAudited(db, (trx) =>
      makeOffer(trx, { requestId: closing, homeId: extra.heavitree, weeklyFeePence: 480_000, startOn: "2027-01-11", additionalSupportWeeklyPence: null, additionalSupportReason: null, notes: null }, contextOf(world.providerB, after), LINKS),
    );
    expect(late.error?.message).toMatch(/closed at its deadline/);
    const closed = await runAudited(db, (trx) => advancePlacementRequests(trx, systemContext("test:loop", after), LINKS));
    expect(closed.value!.closed).toBeGreaterThanOrEqual(1);
    expect(closed.events.filter((e) => e.action === "placement_request.closed").length).toBe(closed.value!.closed);
    const request = await councilRequest(db, closing, world.councilId);
    expect(request?.status).toBe("closed");
    expect((await ownResponses(db, closing, world.providerA.organisationId)).offers.map((o) => o.status)).toEqual(["not_taken"]);
    const accept = await runAudited(db, async (trx) => {
      const offerId = (await ownResponses(trx, closing, world.providerA.organisationId)).offers[0]!.id;
      return acceptOffer(trx, { requestId: closing, offerId, expectedVersion: request!.version, funding: COUNCIL_ONLY }, contextOf(world.officer, after), LINKS);
    });
    expect(accept.error?.message).toMatch(/closed at its deadline/);
  });
});

describe("comparing and accepting offers", () => {
  let requestId: string;
  let exeterOffer: string;
  let heavitreeOffer: string;
  beforeAll(async () => {
    ({ requestId } = await db.transaction().execute((trx) => createPlacementRequest(trx, requestInput(), contextOf(world.officer, NOW), LINKS)));
    exeterOffer = (
      await db.transaction().execute((trx) =>
        makeOffer(trx, { requestId, homeId: world.homes.exeter, weeklyFeePence: 450_000, startOn: "2027-01-11", additionalSupportWeeklyPence: null, additionalSupportReason: null, notes: null }, contextOf(world.providerA, NOW), LINKS),
      )
    ).offerId;
    heavitreeOffer = (
      await db.transaction().execute((trx) =>
        makeOffer(trx, { requestId, homeId: extra.heavitree, weeklyFeePence: 600_000, startOn: "2027-01-18", additionalSupportWeeklyPence: 50_000, additionalSupportReason: "Therapeutic support", notes: null }, contextOf(world.providerB, NOW), LINKS),
      )
    ).offerId;
  });

  it("ranks offers by the weighting, which the commissioner can change", async () => {
    const byDefault = await compareOffers(db, requestId, DEFAULT_OFFER_WEIGHTS, NOW);
    expect(byDefault.map((o) => o.offerId)).toHaveLength(2);
    const heavitree = byDefault.find((o) => o.offerId === heavitreeOffer)!;
    expect(heavitree).toMatchObject({ weeklyCostPence: 650_000, overBudget: true, ofstedGrade: 1 });
    expect(heavitree.scores.grade).toBe(1);
    expect(byDefault.find((o) => o.offerId === exeterOffer)!.scores.fee).toBe(1);
    const feeOnly = await compareOffers(db, requestId, { fee: 100, distance: 0, grade: 0, freshness: 0 }, NOW);
    expect(feeOnly.map((o) => o.offerId)).toEqual([exeterOffer, heavitreeOffer]);
    expect(feeOnly[0]!.score).toBe(100);
    expect(feeOnly[1]!.score).toBe(Math.round((450_000 / 650_000) * 1000) / 10);
    const gradeOnly = await compareOffers(db, requestId, { fee: 0, distance: 0, grade: 100, freshness: 0 }, NOW);
    expect(gradeOnly.map((o) => o.offerId)).toEqual([heavitreeOffer, exeterOffer]);
    await expect(compareOffers(db, requestId, { fee: 0, distance: 0, grade: 0, freshness: 0 }, NOW)).rejects.toBeInstanceOf(ActionRefused);
  });

  it("accepting one makes the placement, places the request, marks the other not taken and tells both providers, in one transaction", async () => {
    const request = (await councilRequest(db, requestId, world.councilId))!;
    const before = await outboxCount();
    const accepted = await runAudited(db, (trx) =>
      acceptOffer(trx, { requestId, offerId: exeterOffer, expectedVersion: request.version, funding: { council: 70, health: 30, education: 0 } }, contextOf(world.officer, NOW), LINKS),
    );
    expect(accepted.error).toBeNull();
    expect(accepted.events.map((e) => e.action)).toEqual(["placement.created", "placement_request.offer_accepted"]);
    const placement = await db.selectFrom("placement").selectAll().where("id", "=", accepted.value!.placementId).executeTakeFirstOrThrow();
    expect(placement).toMatchObject({
      child_reference: request.childReference,
      home_id: world.homes.exeter,
      bed_number: 1,
      lot_id: lot1,
      start_on: "2027-01-11",
      end_on: null,
      weekly_fee_pence: 450_000,
      council_share: 70,
      health_share: 30,
      education_share: 0,
      offer_id: exeterOffer,
      child_district: "EX4",
      distance_miles: 0,
    });
    expect((await councilRequest(db, requestId, world.councilId))!.status).toBe("placed");
    expect((await ownResponses(db, requestId, world.providerB.organisationId)).offers.map((o) => o.status)).toEqual(["not_taken"]);
    const emails = await outboxSince(before);
    expect(emails.filter((e) => e.subject.startsWith("Your offer was accepted")).map((e) => e.to_address).sort()).toEqual([world.providerA.email, world.providerAColleague.email].sort());
    expect(emails.filter((e) => e.subject.startsWith("Your offer was not taken")).map((e) => e.to_address)).toEqual([world.providerB.email]);
    const twice = await runAudited(db, (trx) =>
      acceptOffer(trx, { requestId, offerId: heavitreeOffer, expectedVersion: request.version, funding: COUNCIL_ONLY }, contextOf(world.officer, NOW), LINKS),
    );
    expect(twice.error).toBeInstanceOf(ConcurrentEditError);
    expect(twice.events).toEqual([]);
  });
});

describe("placements, beds and places", () => {
  const child = "CH-TRU001";
  const place = (trx: Trx, startOn: string, endOn: string | null = null, homeId = world.homes.truro, childReference = child) =>
    createPlacement(
      trx,
      { childReference, homeId, lotId: lot1, childDistrict: "EX4", startOn, endOn, endReason: endOn ? "Moved to a foster family" : null, weeklyFeePence: 500_000, funding: COUNCIL_ONLY },
      contextOf(world.officer, NOW),
    );

  it("takes the lowest free bed, never more than the registered places, and lowers the vacancy to fit", async () => {
    const first = await db.transaction().execute((trx) => place(trx, "2027-01-04"));
    expect(first.bedNumber).toBe(1);
    // Truro had 1 bed free of 2 places: one taken leaves 1, so the vacancy stands.
    expect((await db.selectFrom("vacancy").select("beds_free_now").where("home_id", "=", world.homes.truro).executeTakeFirstOrThrow()).beds_free_now).toBe(1);
    const second = await runAudited(db, (trx) => place(trx, "2027-01-04", null, world.homes.truro, "CH-TRU002"));
    expect(second.value?.bedNumber).toBe(2);
    const vacancy = await db.selectFrom("vacancy").select(["beds_free_now", "version"]).where("home_id", "=", world.homes.truro).executeTakeFirstOrThrow();
    expect(vacancy.beds_free_now).toBe(0);
    expect(second.events[0]!.after).toMatchObject({ Vacancy: "Beds free now lowered from 1 to 0" });
    const third = await runAudited(db, (trx) => place(trx, "2027-03-01", null, world.homes.truro, "CH-TRU003"));
    expect(third.error).toBeInstanceOf(ActionRefused);
    expect(third.error?.message).toMatch(/all its 2 registered places are taken/);
    expect(third.events).toEqual([]);
  });

  it("the database refuses two placements in one bed on one night, and a bed beyond the places", async () => {
    const owner = ownerDb();
    const insert = (bed: number, start: string, end: string | null) =>
      sql`INSERT INTO placement (child_reference, council_id, home_id, bed_number, lot_id, child_district, start_on, end_on, end_reason, weekly_fee_pence, council_share, health_share, education_share, created_at)
          VALUES ('CH-DBTEST', ${world.councilId}, ${world.homes.truro}, ${bed}, ${lot1}, 'EX4', ${start}::date, ${end}::date, ${end ? "ended" : null}, 100, 100, 0, 0, now())`.execute(owner);
    await expect(insert(1, "2026-12-01", "2027-01-05")).rejects.toMatchObject({ code: "23P01", constraint: "placement_one_child_per_bed_per_night" });
    await expect(insert(3, "2026-12-01", "2026-12-10")).rejects.toMatchObject({ constraint: "placement_bed_within_places" });
    // Leaving on the day the next child arrives is not an overlap: the night is the new placement's.
    await expect(insert(1, "2026-12-01", "2027-01-04")).resolves.toBeDefined();
    await expect(sql`UPDATE home SET registered_places = 1 WHERE id = ${world.homes.truro}`.execute(owner)).rejects.toMatchObject({ constraint: "placement_bed_within_places" });
  });

  it("a vacancy cannot offer more than places less placements, in the module and in the database", async () => {
    const current = await db.selectFrom("vacancy").select("version").where("home_id", "=", world.homes.truro).executeTakeFirstOrThrow();
    const result = await db.transaction().execute((trx) =>
      updateVacancies(trx, { changes: [{ homeId: world.homes.truro, expectedVersion: current.version, bedsFreeNow: 1, bedsFreeFrom: null, needs: [] }] }, contextOf(world.providerA, NOW)),
    );
    expect(result.saved).toEqual([]);
    expect(result.refused).toEqual([
      expect.objectContaining({ field: "bedsFreeNow", message: expect.stringMatching(/Placements take 2 of .*'s 2 registered places now: beds free cannot be more than 0/) }),
    ]);
    await expect(sql`UPDATE vacancy SET beds_free_now = 1, updated_at = ${NOW} WHERE home_id = ${world.homes.truro}`.execute(db)).rejects.toMatchObject({ constraint: "vacancy_within_places" });
    expect((await sql<{ n: number }>`SELECT home_beds_taken(${world.homes.truro}, '2027-01-04') AS n`.execute(db)).rows[0]!.n).toBe(2);
    expect((await sql<{ n: number }>`SELECT home_beds_taken(${world.homes.truro}, '2027-01-03') AS n`.execute(db)).rows[0]!.n).toBe(1);
    // Beds free from a later day are held to the places taken on that day, as the database's function counts them.
    const later = await db.transaction().execute((trx) =>
      updateVacancies(
        trx,
        {
          changes: [{ homeId: world.homes.truro, expectedVersion: current.version, bedsFreeNow: 0, bedsFreeFrom: { on: "2027-02-01", beds: 1 }, needs: [] }],
        },
        contextOf(world.providerA, NOW),
      ),
    );
    expect(later.saved).toEqual([]);
    expect(later.refused).toHaveLength(1);
    expect(later.refused[0]).toMatchObject({ field: "bedsFreeFrom", message: expect.stringMatching(/Placements take 2 of .*'s 2 registered places from 1 February 2027: beds free cannot be more than 0/) });
  });

  it("a placement is history: only ended, once; the child's moves in the last 12 months are counted", async () => {
    const ref = "CH-MVS001";
    const ids: string[] = [];
    await db.transaction().execute(async (trx) => {
      ids.push((await place(trx, "2026-02-01", "2026-05-01", world.homes.newtonAbbot, ref)).placementId);
      ids.push((await place(trx, "2026-05-01", "2026-09-01", world.homes.newtonAbbot, ref)).placementId);
      ids.push((await place(trx, "2026-09-01", null, world.homes.plymouth, ref)).placementId);
    });
    expect(await placementMoves(db, ref, "2026-12-31")).toBe(2);
    expect(await placementMoves(db, ref, "2026-04-30")).toBe(0);
    const listed = await listPlacements(db, { childReference: ref });
    expect(listed.map((p) => p.movesInLast12Months)).toEqual([2, 1, 0]);
    await expect(sql`UPDATE placement SET weekly_fee_pence = 1 WHERE id = ${ids[2]!}`.execute(db)).rejects.toThrow(/only be ended/);
    await expect(sql`DELETE FROM placement WHERE id = ${ids[2]!}`.execute(db)).rejects.toThrow();
    const ended = await runAudited(db, (trx) => endPlacement(trx, { placementId: ids[2]!, endOn: "2027-01-10", reason: "Returned home" }, contextOf(world.officer, NOW), LINKS));
    expect(ended.events.map((e) => e.action)).toEqual(["placement.ended"]);
    const again = await runAudited(db, (trx) => endPlacement(trx, { placementId: ids[2]!, endOn: "2027-01-12", reason: "x" }, contextOf(world.officer, NOW), LINKS));
    expect(again.error?.message).toMatch(/already ended/);
    const notOurs = await runAudited(db, (trx) => endPlacement(trx, { placementId: ids[1]!, endOn: "2027-01-12", reason: "x" }, contextOf(world.otherCouncilOfficer, NOW), LINKS));
    expect(notOurs.error).toBeInstanceOf(RecordNotFound);
  });

  it("a later request for the same child keeps its reference, which only the council that gave it can use", async () => {
    const again = await runAudited(db, (trx) => createPlacementRequest(trx, requestInput({ childReference: "ch-mvs001" }), contextOf(world.officer, NOW), LINKS));
    expect(again.value?.childReference).toBe("CH-MVS001");
    const otherCouncil = await runAudited(db, (trx) => createPlacementRequest(trx, requestInput({ childReference: "CH-MVS001" }), contextOf(world.otherCouncilOfficer, NOW), LINKS));
    expect(otherCouncil.error).toMatchObject({ field: "childReference" });
    expect(otherCouncil.events).toEqual([]);
  });

  it("leaves a verifiable audit trail", async () => {
    expect((await verifyAuditTrail(db, { publicKey: null })).ok).toBe(true);
  });
});
