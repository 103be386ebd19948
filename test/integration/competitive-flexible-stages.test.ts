// The competitive flexible procedure's participation stage against real
// PostgreSQL: the participation deadline in order with the other dates,
// requests to participate before it (late ones refused), assessment after it
// (two officers at once: one stands), only providers who passed may bid, and
// no provider sees another's request.
import { describe, expect, it } from "vitest";
import { verifyAuditTrail } from "#app/modules/audit/verify";
import { ActionRefused, ConcurrentEditError } from "#app/modules/errors";
import type { Actor } from "#app/modules/identity/actor";
import { getOwnBid, startBid } from "#app/modules/tendering/bids";
import { registerInterest } from "#app/modules/tendering/interest";
import {
  answerRequestCondition,
  assessRequest,
  bidEligibility,
  ownRequest,
  participationConditions,
  participationRequest,
  participationRequests,
  requestStatus,
  RequestAlreadyAssessed,
  startRequest,
  submitRequest,
} from "#app/modules/tendering/participation";
import { amendTender, listAmendments, publicationProblems, publishTender, TenderNotReady } from "#app/modules/tendering/publication";
import { addQuestion, addSection, setPriceSchedule } from "#app/modules/tendering/questionnaires";
import { chooseLots, createTender, updateTender } from "#app/modules/tendering/tenders";
import { runAudited } from "#test/support/audited";
import { CONDITIONS_NOW, publishedTwoStageTender, TWO_STAGE_TIMELINE, useParticipationSuite, type TwoStageFixture } from "#test/support/participation";

const { db, world, secondOfficer, as, run, failure } = await useParticipationSuite();
const NOW = CONDITIONS_NOW;
/** After the participation deadline (25 January 2027, noon UK), before bids close. */
const ASSESSING = new Date("2027-01-26T10:00:00Z");
const LINKS = { baseUrl: "http://portal.test" };

async function versionOf(tenderId: string, actor: Actor) {
  return (await ownRequest(db, tenderId, actor.organisationId))!.version;
}

/** Interest, then a complete request by the actor's organisation, submitted before the deadline; returns its id. */
async function requestToParticipate(tender: TwoStageFixture, actor: Actor): Promise<string> {
  const ctx = as(actor);
  await run((trx) => registerInterest(trx, { tenderId: tender.id, organisationId: actor.organisationId }, ctx));
  const { id } = await run((trx) => startRequest(trx, { tenderId: tender.id }, ctx));
  await run(async (trx) =>
    answerRequestCondition(trx, { tenderId: tender.id, expectedVersion: await versionOf(tender.id, actor), questionId: tender.ofstedQuestionId, meetsRequirement: true, evidence: "Ofsted URN SC123456" }, ctx),
  );
  await run(async (trx) => answerRequestCondition(trx, { tenderId: tender.id, expectedVersion: await versionOf(tender.id, actor), questionId: tender.declarationId, declared: true }, ctx));
  await run(async (trx) => submitRequest(trx, { tenderId: tender.id, expectedVersion: await versionOf(tender.id, actor) }, ctx));
  return id;
}

describe("the participation stage on the timeline", () => {
  async function draft(details: Record<string, unknown>) {
    const officer = as(world.officer);
    const lotId = world.agreements.residential_framework.lotIds[0]!;
    return run(async (trx) => {
      const { id } = await createTender(
        trx,
        { agreementId: world.agreements.residential_framework.id, title: "Dates in order", procedure: "competitive_flexible", lightTouch: true, ...TWO_STAGE_TIMELINE, ...details },
        officer,
      );
      await chooseLots(trx, { tenderId: id, expectedVersion: 1, lotIds: [lotId] }, officer);
      const s = await addSection(trx, { tenderId: id, expectedVersion: 2, title: "Quality" }, officer);
      await addQuestion(trx, { tenderId: id, expectedVersion: 3, sectionId: s.id, kind: "quality", question: "Safeguarding", wordLimit: 500, minimumScore: 2, weights: [{ lotId, weight: 60 }] }, officer);
      await setPriceSchedule(trx, { tenderId: id, expectedVersion: 4, lotId, priceWeight: 40, items: [{ component: "weekly_fee", needBand: "Standard" }] }, officer);
      return id;
    });
  }

  it("the participation deadline must come after publication and before the submission deadline, each said exactly", async () => {
    const missing = await draft({ participationStage: true, participationDeadlineAt: null });
    expect((await publicationProblems(db, missing, NOW))!.problems).toEqual(
      expect.arrayContaining([
        { field: "participationDeadlineAt", message: "Enter the participation deadline" },
        {
          field: "participationSections",
          message: "Choose the questionnaire sections that hold the conditions of participation: at least one pass/fail question or declaration",
        },
      ]),
    );
    const afterBids = await draft({ participationStage: true, participationDeadlineAt: "2027-02-16T12:00" });
    const early = await draft({ participationStage: true, participationDeadlineAt: "2027-01-04T08:00" });
    const problemsOf = async (id: string) => (await publicationProblems(db, id, NOW))!.problems.filter((p) => p.field === "participationDeadlineAt");
    expect(await problemsOf(afterBids)).toEqual([{ field: "participationDeadlineAt", message: "The participation deadline must be before the submission deadline" }]);
    expect(await problemsOf(early)).toEqual([
      { field: "participationDeadlineAt", message: "The participation deadline must be after the publication date" },
      { field: "participationDeadlineAt", message: "The participation deadline must be in the future" },
    ]);
    const refused = await failure((trx) => publishTender(trx, { tenderId: afterBids, expectedVersion: 5 }, as(world.officer)));
    expect(refused).toBeInstanceOf(TenderNotReady);
  });

  it("only a competitive flexible tender has the stage, and only a tender with the stage has its deadline", async () => {
    const id = await draft({ participationStage: true });
    const base = { tenderId: id, expectedVersion: 5, title: "Dates in order", lightTouch: true, ...TWO_STAGE_TIMELINE };
    const open = await failure((trx) => updateTender(trx, { ...base, procedure: "open", participationStage: true }, as(world.officer)));
    expect(open).toMatchObject({ field: "participationStage", message: "Only a competitive flexible procedure can have a participation stage" });
    const noStage = await failure((trx) => updateTender(trx, { ...base, procedure: "competitive_flexible", participationStage: false }, as(world.officer)));
    expect(noStage).toMatchObject({ field: "participationDeadlineAt" });
    // And the database holds the rule even without the module.
    const bypass = await db.updateTable("tender").set({ procedure: "open", participation_stage: true }).where("id", "=", id).execute().then(() => null, (e: Error) => e);
    expect(bypass?.message).toMatch(/tender_participation_stage_procedure/);
  });
});

describe("amending the participation deadline", () => {
  it("moves while requests are open, in order with the bids' deadline, and is listed as an amendment; once passed it cannot move", async () => {
    const tender = await publishedTwoStageTender(db, world, NOW);
    // Published in OCDS with the requests' deadline as Find a Tender's UK extension names it (noon on 25 January 2027, GMT).
    const published = await db.selectFrom("ocds_release").select("release").where("tender_id", "=", tender.id).orderBy("seq").executeTakeFirstOrThrow();
    expect((published.release as { tender: { expressionOfInterestDeadline?: string } }).tender.expressionOfInterestDeadline).toBe("2027-01-25T12:00:00.000Z");
    const version = async () => (await db.selectFrom("tender").select("version").where("id", "=", tender.id).executeTakeFirstOrThrow()).version;
    const amend = async (participationDeadlineAt: string, at = NOW) =>
      failure(async (trx) => amendTender(trx, { tenderId: tender.id, expectedVersion: await version(), reason: "More time to gather evidence", details: { participationDeadlineAt } }, as(world.officer, at), LINKS));
    expect(await amend("2027-02-16T12:00")).toMatchObject({ field: "participationDeadlineAt", message: "The participation deadline must be before the submission deadline" });
    expect(await amend("2027-01-29T12:00")).toBeNull();
    const [amendment] = await listAmendments(db, tender.id);
    expect(amendment!.changes).toEqual([
      { field: "participation_deadline_at", label: "Participation deadline", before: "midday on Monday 25 January 2027", after: "midday on Friday 29 January 2027" },
    ]);
    expect(await amend("2027-02-01T12:00", new Date("2027-01-30T09:00:00Z"))).toMatchObject({
      field: "participationDeadlineAt",
      message: "The participation deadline has passed, so it can no longer be moved: requests to participate have closed",
    });
  });
});

describe("requests to participate", () => {
  it("a provider that registered interest answers the conditions and submits before the deadline; a late request or submission is refused", async () => {
    const tender = await publishedTwoStageTender(db, world, NOW);
    expect((await participationConditions(db, tender.id)).map((c) => c.id)).toEqual([tender.ofstedQuestionId, tender.declarationId]);
    const ctx = as(world.providerA);
    const withoutInterest = await failure((trx) => startRequest(trx, { tenderId: tender.id }, ctx));
    expect(withoutInterest?.message).toBe("Register your interest in this tender before you request to participate");

    await run((trx) => registerInterest(trx, { tenderId: tender.id, organisationId: world.providerA.organisationId }, ctx));
    const started = await runAudited(db, (trx) => startRequest(trx, { tenderId: tender.id }, ctx));
    expect(started.events.map((e) => e.action)).toEqual(["participation.request_started"]);
    expect(await run((trx) => startRequest(trx, { tenderId: tender.id }, as(world.providerAColleague)))).toEqual({ id: started.value!.id, created: false });

    const unanswered = await failure(async (trx) => submitRequest(trx, { tenderId: tender.id, expectedVersion: await versionOf(tender.id, world.providerA) }, ctx));
    expect(unanswered?.message).toBe("Answer condition 1.1");
    await run(async (trx) =>
      answerRequestCondition(trx, { tenderId: tender.id, expectedVersion: await versionOf(tender.id, world.providerA), questionId: tender.ofstedQuestionId, meetsRequirement: false }, ctx),
    );
    const unmet = await failure(async (trx) => submitRequest(trx, { tenderId: tender.id, expectedVersion: await versionOf(tender.id, world.providerA) }, ctx));
    expect(unmet?.message).toMatch(/does not meet condition 1\.1, so it cannot pass/);
    // The bid's quality question is not a condition of participation.
    const notACondition = await failure(async (trx) =>
      answerRequestCondition(trx, { tenderId: tender.id, expectedVersion: await versionOf(tender.id, world.providerA), questionId: tender.qualityQuestionId, meetsRequirement: true, evidence: "x" }, ctx),
    );
    expect(notACondition?.name).toBe("RecordNotFound");
    const stale = await failure((trx) => answerRequestCondition(trx, { tenderId: tender.id, expectedVersion: 1, questionId: tender.declarationId, declared: true }, ctx));
    expect(stale).toBeInstanceOf(ConcurrentEditError);
    await run(async (trx) =>
      answerRequestCondition(trx, { tenderId: tender.id, expectedVersion: await versionOf(tender.id, world.providerA), questionId: tender.ofstedQuestionId, meetsRequirement: true, evidence: "URN SC111111" }, ctx),
    );
    await run(async (trx) => answerRequestCondition(trx, { tenderId: tender.id, expectedVersion: await versionOf(tender.id, world.providerA), questionId: tender.declarationId, declared: true }, ctx));

    // One second after the participation deadline: the draft stays, the submission is refused.
    const late = await failure(async (trx) =>
      submitRequest(trx, { tenderId: tender.id, expectedVersion: await versionOf(tender.id, world.providerA) }, as(world.providerA, new Date("2027-01-25T12:00:01Z"))),
    );
    expect(late).toBeInstanceOf(ActionRefused);
    expect(late?.message).toBe("The participation deadline (midday on Monday 25 January 2027) has passed, so requests to participate are no longer accepted");
    expect(requestStatus((await ownRequest(db, tender.id, world.providerA.organisationId))!)).toBe("draft");
    const lateStart = await failure((trx) => startRequest(trx, { tenderId: tender.id }, as(world.providerB, ASSESSING)));
    expect(lateStart?.message).toMatch(/participation deadline .* has passed/);

    const submitted = await runAudited(db, async (trx) => submitRequest(trx, { tenderId: tender.id, expectedVersion: await versionOf(tender.id, world.providerA) }, ctx));
    expect(submitted.error).toBeNull();
    expect(submitted.events.map((e) => e.action)).toEqual(["participation.request_submitted"]);
    const [listed] = await participationRequests(db, tender.id);
    expect(listed).toMatchObject({ organisationName: world.providerA.organisationName, status: "submitted" });
    expect((await verifyAuditTrail(db, { publicKey: null })).ok).toBe(true);
  });
});

describe("assessment and the bidding stage", () => {
  it("after the deadline the officer passes one request and not another (with reasons, emailed); only the provider that passed may bid", async () => {
    const tender = await publishedTwoStageTender(db, world, NOW);
    const passedId = await requestToParticipate(tender, world.providerA);
    const failedId = await requestToParticipate(tender, world.providerB);

    // While requests are open nobody bids, and nothing is assessed.
    const tooEarly = await failure((trx) => assessRequest(trx, { tenderId: tender.id, requestId: passedId, result: "passed" }, as(world.officer), LINKS));
    expect(tooEarly?.message).toMatch(/^Requests are assessed after the participation deadline/);
    const waiting = await failure((trx) => startBid(trx, { tenderId: tender.id }, as(world.providerA)));
    expect(waiting?.message).toBe("Your organisation's request to participate is waiting for assessment: you can bid once it has passed.");

    const noReason = await failure((trx) => assessRequest(trx, { tenderId: tender.id, requestId: failedId, result: "not_passed", reason: " " }, as(world.officer, ASSESSING), LINKS));
    expect(noReason).toMatchObject({ field: "reason" });
    const passed = await runAudited(db, (trx) => assessRequest(trx, { tenderId: tender.id, requestId: passedId, result: "passed" }, as(world.officer, ASSESSING), LINKS));
    expect(passed.events.map((e) => e.action)).toEqual(["participation.request_passed"]);
    await run((trx) =>
      assessRequest(trx, { tenderId: tender.id, requestId: failedId, result: "not_passed", reason: "The Ofsted registration given is for another provider." }, as(world.officer, ASSESSING), LINKS),
    );
    const emails = await db.selectFrom("outbox_email").select(["to_address", "subject", "text"]).where("template", "=", "participation_result").execute();
    expect(emails.find((e) => e.to_address === world.providerA.email)?.subject).toBe("Passed the conditions of participation: Residential homes, two stages");
    const toB = emails.find((e) => e.to_address === world.providerB.email);
    expect(toB?.subject).toBe("Did not pass the conditions of participation: Residential homes, two stages");
    expect(toB?.text).toContain("Reasons: The Ofsted registration given is for another provider.");

    // Provider B is told why it cannot bid; provider A bids, and its bid does not ask the conditions again.
    const refused = await failure((trx) => startBid(trx, { tenderId: tender.id }, as(world.providerB, ASSESSING)));
    expect(refused?.message).toBe("Your organisation did not pass this tender's conditions of participation, so it cannot bid.");
    expect(await run((trx) => startBid(trx, { tenderId: tender.id }, as(world.providerA, ASSESSING)))).toMatchObject({ created: true });
    const bid = await getOwnBid(db, tender.id, world.providerA);
    expect(bid!.sections.flatMap((s) => s.questions.map((q) => q.id))).toEqual([tender.qualityQuestionId]);
    expect(await bidEligibility(db, tender.id, world.providerB.organisationId, ASSESSING)).toEqual({ allowed: false, reason: expect.stringMatching(/did not pass/) });
    expect((await verifyAuditTrail(db, { publicKey: null })).ok).toBe(true);
  });

  it("a provider that never requested to participate cannot bid, and is told why", async () => {
    const tender = await publishedTwoStageTender(db, world, NOW);
    await run((trx) => registerInterest(trx, { tenderId: tender.id, organisationId: world.providerB.organisationId }, as(world.providerB)));
    const during = await failure((trx) => startBid(trx, { tenderId: tender.id }, as(world.providerB)));
    expect(during?.message).toBe(
      "This tender has two stages: only providers who pass its conditions of participation may bid. Request to participate before midday on Monday 25 January 2027.",
    );
    const after = await failure((trx) => startBid(trx, { tenderId: tender.id }, as(world.providerB, ASSESSING)));
    expect(after?.message).toMatch(/did not request to participate/);
  });

  it("two officers assessing the same request at once: exactly one assessment stands and the other is told", async () => {
    const tender = await publishedTwoStageTender(db, world, NOW);
    const requestId = await requestToParticipate(tender, world.providerA);
    const results = await Promise.allSettled([
      run((trx) => assessRequest(trx, { tenderId: tender.id, requestId, result: "passed" }, as(world.officer, ASSESSING), LINKS)),
      run((trx) => assessRequest(trx, { tenderId: tender.id, requestId, result: "not_passed", reason: "Evidence incomplete" }, as(secondOfficer, ASSESSING), LINKS)),
    ]);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toBeInstanceOf(RequestAlreadyAssessed);
    expect(String(rejected[0]!.reason.message)).toMatch(/^This request has already been assessed as (passed|not passed) by (fernvale|officer|Second Officer)/i);
    const statuses = await db.selectFrom("market_application_status").select("status").where("application_id", "=", requestId).execute();
    expect(statuses.filter((s) => s.status !== "submitted")).toHaveLength(1);
    const emails = await db.selectFrom("outbox_email").select("id").where("template", "=", "participation_result").where("to_address", "=", world.providerA.email).where("text", "like", "%Residential homes, two stages%").execute();
    expect(emails.length).toBeGreaterThanOrEqual(1);
  });
});

describe("isolation", () => {
  it("a provider's request is found only through its own organisation; a draft is not shown to officers; another tender's id finds nothing", async () => {
    const tender = await publishedTwoStageTender(db, world, NOW);
    const other = await publishedTwoStageTender(db, world, NOW);
    const submittedId = await requestToParticipate(tender, world.providerA);
    await run((trx) => registerInterest(trx, { tenderId: tender.id, organisationId: world.providerB.organisationId }, as(world.providerB)));
    const { id: draftId } = await run((trx) => startRequest(trx, { tenderId: tender.id }, as(world.providerB)));

    expect((await ownRequest(db, tender.id, world.providerB.organisationId))!.id).toBe(draftId);
    expect((await ownRequest(db, tender.id, world.providerA.organisationId))!.id).toBe(submittedId);
    expect(await participationRequest(db, tender.id, draftId)).toBeNull();
    expect(await participationRequest(db, other.id, submittedId)).toBeNull();
    expect((await participationRequests(db, tender.id)).map((r) => r.id)).toEqual([submittedId]);
    // Assessing through another tender's id is "not found", not a decision.
    const crossed = await failure((trx) => assessRequest(trx, { tenderId: other.id, requestId: submittedId, result: "passed" }, as(world.officer, ASSESSING), LINKS));
    expect(crossed?.name).toBe("RecordNotFound");
  });
});
