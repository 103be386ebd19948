// Dynamic markets against real PostgreSQL: applying, admission, refusal and
// applying again, two officers deciding at once, call-offs open only to the
// members of their lot, and what the runtime login may not rewrite.
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { verifyAuditTrail } from "#app/modules/audit/verify";
import { ActionRefused, ConcurrentEditError } from "#app/modules/errors";
import type { Actor } from "#app/modules/identity/actor";
import { startBid } from "#app/modules/tendering/bids";
import {
  answerCondition,
  ApplicationAlreadyDecided,
  callOffEligibility,
  chooseApplicationLots,
  decideApplication,
  marketApplication,
  marketApplications,
  marketMembers,
  organisationApplications,
  startApplication,
  startCallOff,
  submitApplication,
} from "#app/modules/tendering/dynamic-markets";
import { registerInterest } from "#app/modules/tendering/interest";
import { runAudited } from "#test/support/audited";
import { publishedDynamicMarket, type MarketFixture } from "#test/support/dynamic-markets";
import { CONDITIONS_NOW, useParticipationSuite } from "#test/support/participation";

const { db, ownerDb, world, secondOfficer, as, run, failure } = await useParticipationSuite();
const NOW = CONDITIONS_NOW;
const LINKS = { baseUrl: "http://portal.test" };

async function versionOf(tenderId: string, actor: Actor) {
  const [latest] = await organisationApplications(db, tenderId, actor.organisationId);
  return latest!.version;
}

/** A complete application by the actor's organisation for the given lots, submitted; returns its id. */
async function apply(market: MarketFixture, actor: Actor, lotIds = [market.lotIds[0]!]): Promise<string> {
  const ctx = as(actor);
  const { id } = await run((trx) => startApplication(trx, { tenderId: market.id }, ctx));
  await run(async (trx) => chooseApplicationLots(trx, { tenderId: market.id, expectedVersion: await versionOf(market.id, actor), lotIds }, ctx));
  await run(async (trx) =>
    answerCondition(trx, { tenderId: market.id, expectedVersion: await versionOf(market.id, actor), questionId: market.ofstedQuestionId, meetsRequirement: true, evidence: "Ofsted URN SC123456, registered for short breaks" }, ctx),
  );
  await run(async (trx) => answerCondition(trx, { tenderId: market.id, expectedVersion: await versionOf(market.id, actor), questionId: market.declarationId, declared: true }, ctx));
  await run(async (trx) => submitApplication(trx, { tenderId: market.id, expectedVersion: await versionOf(market.id, actor) }, ctx));
  return id;
}

describe("applying to join a dynamic market", () => {
  it("a provider answers each condition, submits, and the officer sees it waiting; the audit trail has each step", async () => {
    const market = await publishedDynamicMarket(db, world, NOW);
    const ctx = as(world.providerA);
    const started = await runAudited(db, (trx) => startApplication(trx, { tenderId: market.id }, ctx));
    expect(started.error).toBeNull();
    expect(started.events.map((e) => e.action)).toEqual(["market.application_started"]);
    // Starting again returns the same draft.
    expect(await run((trx) => startApplication(trx, { tenderId: market.id }, as(world.providerAColleague)))).toEqual({ id: started.value!.id, created: false });

    // Nothing is submitted while a condition is unanswered or not met.
    await run(async (trx) => chooseApplicationLots(trx, { tenderId: market.id, expectedVersion: await versionOf(market.id, world.providerA), lotIds: market.lotIds }, ctx));
    await run(async (trx) => answerCondition(trx, { tenderId: market.id, expectedVersion: await versionOf(market.id, world.providerA), questionId: market.ofstedQuestionId, meetsRequirement: false }, ctx));
    const unmet = await failure(async (trx) => submitApplication(trx, { tenderId: market.id, expectedVersion: await versionOf(market.id, world.providerA) }, ctx));
    expect(unmet).toBeInstanceOf(ActionRefused);
    expect(unmet!.message).toMatch(/does not meet condition 1\.1/);
    const noEvidence = await failure(async (trx) =>
      answerCondition(trx, { tenderId: market.id, expectedVersion: await versionOf(market.id, world.providerA), questionId: market.ofstedQuestionId, meetsRequirement: true, evidence: "  " }, ctx),
    );
    expect(noEvidence).toMatchObject({ field: "evidence" });

    await run(async (trx) =>
      answerCondition(trx, { tenderId: market.id, expectedVersion: await versionOf(market.id, world.providerA), questionId: market.ofstedQuestionId, meetsRequirement: true, evidence: "URN SC111111" }, ctx),
    );
    const undeclared = await failure(async (trx) => submitApplication(trx, { tenderId: market.id, expectedVersion: await versionOf(market.id, world.providerA) }, ctx));
    expect(undeclared!.message).toBe("Make declaration 1.2");
    await run(async (trx) => answerCondition(trx, { tenderId: market.id, expectedVersion: await versionOf(market.id, world.providerA), questionId: market.declarationId, declared: true }, ctx));

    // A page built before a colleague's change is told, not obeyed.
    const stale = await failure((trx) => submitApplication(trx, { tenderId: market.id, expectedVersion: 1 }, ctx));
    expect(stale).toBeInstanceOf(ConcurrentEditError);

    const submitted = await runAudited(db, async (trx) => submitApplication(trx, { tenderId: market.id, expectedVersion: await versionOf(market.id, world.providerA) }, ctx));
    expect(submitted.error).toBeNull();
    expect(submitted.events.map((e) => e.action)).toEqual(["market.application_submitted"]);

    const [own] = await organisationApplications(db, market.id, world.providerA.organisationId);
    expect(own).toMatchObject({ status: "submitted", lotIds: expect.arrayContaining(market.lotIds), number: 1 });
    const listed = await marketApplications(db, market.id);
    expect(listed.map((a) => [a.organisationName, a.status])).toEqual([[world.providerA.organisationName, "submitted"]]);

    // Frozen once submitted: no further answers, and the database refuses a rewrite.
    const late = await failure((trx) => answerCondition(trx, { tenderId: market.id, expectedVersion: own!.version, questionId: market.declarationId, declared: true }, ctx));
    expect(late).toBeInstanceOf(ActionRefused);
    const rewrite = await db.updateTable("market_application_answer").set({ evidence: "changed" }).where("application_id", "=", own!.id).execute().then(() => null, (e: Error) => e);
    expect(rewrite?.message).toMatch(/submitted application cannot be changed/);
    // And a second application cannot start while this one waits.
    const second = await failure((trx) => startApplication(trx, { tenderId: market.id }, ctx));
    expect(second!.message).toMatch(/waiting for a decision/);
  });

  it("a provider's draft is not shown to officers, and no one can apply to an ordinary tender", async () => {
    const market = await publishedDynamicMarket(db, world, NOW);
    const { id } = await run((trx) => startApplication(trx, { tenderId: market.id }, as(world.providerB)));
    expect(await marketApplication(db, market.id, id)).toBeNull();
    expect(await marketApplications(db, market.id)).toEqual([]);
    const council = await failure((trx) => startApplication(trx, { tenderId: market.id }, as(world.officer)));
    expect(council).toBeInstanceOf(ActionRefused);
    const { chooseLots, createTender } = await import("#app/modules/tendering/tenders");
    const ordinary = await run(async (trx) => {
      const t = await createTender(trx, { agreementId: world.agreements.short_breaks.id, title: "Ordinary tender", procedure: "open", lightTouch: true }, as(world.officer));
      await chooseLots(trx, { tenderId: t.id, expectedVersion: 1, lotIds: [market.lotIds[0]!] }, as(world.officer));
      await trx.updateTable("tender").set({ status: "published", published_at: NOW, publication_at: NOW, clarification_deadline_at: new Date("2027-02-01T12:00:00Z"), submission_deadline_at: new Date("2027-03-01T12:00:00Z"), intended_award_on: "2027-03-10", intended_contract_start_on: "2027-04-01" }).where("id", "=", t.id).execute();
      return t.id;
    });
    const notAMarket = await failure((trx) => startApplication(trx, { tenderId: ordinary }, as(world.providerB)));
    expect(notAMarket!.message).toBe("Only a dynamic market takes applications to join it");
  });
});

describe("admitting and refusing", () => {
  it("admitting makes the provider a member of the lots it applied for, audited and emailed", async () => {
    const market = await publishedDynamicMarket(db, world, NOW);
    const applicationId = await apply(market, world.providerA, market.lotIds);
    const decided = await runAudited(db, (trx) => decideApplication(trx, { tenderId: market.id, applicationId, decision: "admit" }, as(world.officer), LINKS));
    expect(decided.error).toBeNull();
    expect(decided.events.map((e) => e.action)).toEqual(["market.application_admitted"]);
    const members = await marketMembers(db, market.id);
    expect(members.map((l) => l.members.map((m) => m.name))).toEqual([[world.providerA.organisationName], [world.providerA.organisationName]]);
    const emails = await db.selectFrom("outbox_email").select(["to_address", "subject", "text"]).where("template", "=", "market_application_decision").where("text", "like", `%${world.providerA.organisationName}%`).execute();
    expect(emails.map((e) => e.to_address).sort()).toEqual([world.providerA.email, world.providerAColleague.email].sort());
    expect(emails[0]!.subject).toBe("Admitted to the dynamic market: Short breaks dynamic market");
    expect(emails[0]!.text).toContain("Lot 1: First lot");
    // Membership is history: the runtime login cannot remove it.
    const removed = await db.deleteFrom("market_membership").where("tender_id", "=", market.id).execute().then(() => null, (e: Error) => e);
    expect(removed?.message).toMatch(/permission denied|append-only|cannot/);
    // A member of every lot has nothing left to apply for.
    const again = await failure((trx) => startApplication(trx, { tenderId: market.id }, as(world.providerA)));
    expect(again!.message).toMatch(/already a member of every lot/);
  });

  it("refusing needs reasons, tells the provider them, and the provider may apply again", async () => {
    const market = await publishedDynamicMarket(db, world, NOW);
    const first = await apply(market, world.providerB);
    const noReason = await failure((trx) => decideApplication(trx, { tenderId: market.id, applicationId: first, decision: "refuse", reason: "  " }, as(world.officer), LINKS));
    expect(noReason).toMatchObject({ field: "reason" });
    await run((trx) => decideApplication(trx, { tenderId: market.id, applicationId: first, decision: "refuse", reason: "The Ofsted URN given is for a different provider." }, as(world.officer), LINKS));
    const [refused] = await organisationApplications(db, market.id, world.providerB.organisationId);
    expect(refused).toMatchObject({ status: "refused", decision: { status: "refused", reason: "The Ofsted URN given is for a different provider." } });
    expect(refused!.history.map((h) => h.status)).toEqual(["submitted", "refused"]);
    const email = await db.selectFrom("outbox_email").select(["subject", "text"]).where("to_address", "=", world.providerB.email).where("template", "=", "market_application_decision").orderBy("created_at", "desc").executeTakeFirstOrThrow();
    expect(email.subject).toBe("Application not accepted: Short breaks dynamic market");
    expect(email.text).toContain("Reasons: The Ofsted URN given is for a different provider.");
    expect((await marketMembers(db, market.id)).flatMap((l) => l.members)).toEqual([]);

    const second = await apply(market, world.providerB);
    expect(second).not.toBe(first);
    const mine = await organisationApplications(db, market.id, world.providerB.organisationId);
    expect(mine.map((a) => [a.number, a.status])).toEqual([
      [2, "submitted"],
      [1, "refused"],
    ]);
    // Pending first on the officer's list.
    expect((await marketApplications(db, market.id)).map((a) => [a.number, a.status])).toEqual([
      [2, "submitted"],
      [1, "refused"],
    ]);
    await run((trx) => decideApplication(trx, { tenderId: market.id, applicationId: second, decision: "admit", reason: "Now verified with Ofsted." }, as(world.officer), LINKS));
    expect((await marketMembers(db, market.id))[0]!.members.map((m) => m.name)).toEqual([world.providerB.organisationName]);
    expect((await verifyAuditTrail(db, { publicKey: null })).ok).toBe(true);
  });

  it("two officers deciding the same application at once: exactly one decision stands and the other is told", async () => {
    const market = await publishedDynamicMarket(db, world, NOW);
    const applicationId = await apply(market, world.providerA);
    const results = await Promise.allSettled([
      run((trx) => decideApplication(trx, { tenderId: market.id, applicationId, decision: "admit" }, as(world.officer), LINKS)),
      run((trx) => decideApplication(trx, { tenderId: market.id, applicationId, decision: "refuse", reason: "Incomplete evidence" }, as(secondOfficer), LINKS)),
    ]);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toBeInstanceOf(ApplicationAlreadyDecided);
    expect(String(rejected[0]!.reason.message)).toMatch(/already been (admitted|refused)/);
    const statuses = await db.selectFrom("market_application_status").select("status").where("application_id", "=", applicationId).execute();
    expect(statuses.filter((s) => s.status !== "submitted")).toHaveLength(1);
    // Even bypassing the module, the database keeps it to one decision.
    const bypass = await db
      .insertInto("market_application_status")
      .values({ application_id: applicationId, status: "refused", reason: "again", changed_at: NOW, changed_by: world.officer.userId })
      .execute()
      .then(() => null, (e: Error) => e);
    expect(bypass?.message).toMatch(/duplicate key|market_application/);
  });
});

describe("call-off competitions", () => {
  it("only members of the call-off's lot can register interest and bid; others are told why", async () => {
    const market = await publishedDynamicMarket(db, world, NOW);
    const applicationId = await apply(market, world.providerA, [market.lotIds[0]!]);
    await run((trx) => decideApplication(trx, { tenderId: market.id, applicationId, decision: "admit" }, as(world.officer), LINKS));
    const started = await runAudited(db, (trx) => startCallOff(trx, { marketTenderId: market.id, lotId: market.lotIds[0]!, title: "Weekend short breaks, spring 2027" }, as(world.officer)));
    expect(started.error).toBeNull();
    expect(started.events.map((e) => e.action)).toEqual(["tender.created", "tender.lots_chosen", "market.call_off_started"]);
    const callOffId = started.value!.id;
    const row = await db.selectFrom("tender").select(["calls_off_tender_id", "calls_off_lot_id", "procedure", "status"]).where("id", "=", callOffId).executeTakeFirstOrThrow();
    expect(row).toEqual({ calls_off_tender_id: market.id, calls_off_lot_id: market.lotIds[0], procedure: "dynamic_market", status: "draft" });
    // Publish it as the officer would (times ahead of NOW), then try to take part.
    await db.transaction().execute(async (trx) => {
      const { addSection, addQuestion, setPriceSchedule } = await import("#app/modules/tendering/questionnaires");
      const { updateTender } = await import("#app/modules/tendering/tenders");
      const { publishTender } = await import("#app/modules/tendering/publication");
      const officer = as(world.officer);
      await updateTender(
        trx,
        {
          tenderId: callOffId,
          expectedVersion: 2,
          title: "Weekend short breaks, spring 2027",
          procedure: "dynamic_market",
          lightTouch: true,
          publicationAt: "2027-01-05T12:00",
          clarificationDeadlineAt: "2027-01-20T12:00",
          submissionDeadlineAt: "2027-02-01T12:00",
          intendedAwardOn: "2027-02-10",
          intendedContractStartOn: "2027-03-01",
        },
        officer,
      );
      const s = await addSection(trx, { tenderId: callOffId, expectedVersion: 3, title: "Quality" }, officer);
      await addQuestion(trx, { tenderId: callOffId, expectedVersion: 4, sectionId: s.id, kind: "quality", question: "Activities offered", wordLimit: 300, weights: [{ lotId: market.lotIds[0]!, weight: 60 }] }, officer);
      await setPriceSchedule(trx, { tenderId: callOffId, expectedVersion: 5, lotId: market.lotIds[0]!, priceWeight: 40, items: [{ component: "nightly_rate" }] }, officer);
      await publishTender(trx, { tenderId: callOffId, expectedVersion: 6 }, officer);
    });
    const callOff = await db.selectFrom("tender").select(["calls_off_tender_id", "calls_off_lot_id"]).where("id", "=", callOffId).executeTakeFirstOrThrow();

    // Provider B is no member: refused with the reason, and nothing recorded.
    const refused = await runAudited(db, (trx) => registerInterest(trx, { tenderId: callOffId, organisationId: world.providerB.organisationId }, as(world.providerB)));
    expect(refused.error).toBeInstanceOf(ActionRefused);
    expect(refused.error!.message).toBe(
      'This call-off competition is open only to members of lot 1 (First lot) of the dynamic market "Short breaks dynamic market". Apply to join the market first.',
    );
    expect(refused.events).toEqual([]);
    expect(await callOffEligibility(db, callOff, world.providerB.organisationId)).toMatchObject({ allowed: false });
    const bid = await failure((trx) => startBid(trx, { tenderId: callOffId }, as(world.providerB)));
    expect(bid).toBeInstanceOf(ActionRefused);

    // Provider A is a member of lot 1: takes part.
    await run((trx) => registerInterest(trx, { tenderId: callOffId, organisationId: world.providerA.organisationId }, as(world.providerA)));
    expect(await run((trx) => startBid(trx, { tenderId: callOffId }, as(world.providerA)))).toMatchObject({ created: true });

    // A member of lot 2 only is not a member of lot 1.
    const lot2 = await apply(market, world.providerB, [market.lotIds[1]!]);
    await run((trx) => decideApplication(trx, { tenderId: market.id, applicationId: lot2, decision: "admit" }, as(world.officer), LINKS));
    expect(await callOffEligibility(db, callOff, world.providerB.organisationId)).toMatchObject({ allowed: false });
  });

  it("the market itself takes applications, not bids, and a call-off keeps its market's lot and procedure", async () => {
    const market = await publishedDynamicMarket(db, world, NOW);
    await run((trx) => registerInterest(trx, { tenderId: market.id, organisationId: world.providerA.organisationId }, as(world.providerA)));
    const bid = await failure((trx) => startBid(trx, { tenderId: market.id }, as(world.providerA)));
    expect(bid!.message).toMatch(/joined by applying/);
    const { id } = await run((trx) => startCallOff(trx, { marketTenderId: market.id, lotId: market.lotIds[1]!, title: "Holiday breaks" }, as(world.officer)));
    const { chooseLots, updateTender } = await import("#app/modules/tendering/tenders");
    const otherLot = await failure((trx) => chooseLots(trx, { tenderId: id, expectedVersion: 2, lotIds: [market.lotIds[0]!] }, as(world.officer)));
    expect(otherLot).toMatchObject({ field: "lotIds" });
    const otherProcedure = await failure((trx) => updateTender(trx, { tenderId: id, expectedVersion: 2, title: "Holiday breaks", procedure: "open", lightTouch: true }, as(world.officer)));
    expect(otherProcedure).toMatchObject({ field: "procedure" });
    const notAMarket = await failure((trx) => startCallOff(trx, { marketTenderId: id, lotId: market.lotIds[1]!, title: "x" }, as(world.officer)));
    expect(notAMarket).toBeTruthy();
  });
});

describe("what the runtime login may not rewrite", () => {
  it("decisions cannot be changed or removed, and applications cannot be deleted", async () => {
    const market = await publishedDynamicMarket(db, world, NOW);
    const applicationId = await apply(market, world.providerB);
    const update = await sql`UPDATE market_application_status SET reason = 'x' WHERE application_id = ${applicationId}`.execute(db).then(() => null, (e: Error) => e);
    expect(update?.message).toMatch(/permission denied/);
    const del = await sql`DELETE FROM market_application WHERE id = ${applicationId}`.execute(db).then(() => null, (e: Error) => e);
    expect(del?.message).toMatch(/permission denied/);
    // The owner is held by the triggers.
    const owner = ownerDb();
    const ownerUpdate = await sql`UPDATE market_application_status SET reason = 'x' WHERE application_id = ${applicationId}`.execute(owner).then(() => null, (e: Error) => e);
    expect(ownerUpdate).toBeInstanceOf(Error);
    const ownerDelete = await sql`DELETE FROM market_application WHERE id = ${applicationId}`.execute(owner).then(() => null, (e: Error) => e);
    expect(ownerDelete?.message).toMatch(/cannot be removed|cannot be changed/);
  });
});
