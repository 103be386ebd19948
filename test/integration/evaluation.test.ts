import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { Trx } from "#app/database/schema";
import { ActionRefused, ConcurrentEditError, RecordNotFound } from "#app/modules/errors";
import type { Actor } from "#app/modules/identity/actor";
import { complianceResults, recordCompliance } from "#app/modules/evaluation/compliance";
import { declareConflicts, decideConflict, declarations } from "#app/modules/evaluation/conflicts";
import { startEvaluation } from "#app/modules/evaluation/evaluation";
import { moderateAnswer, ModerationChanged, questionModeration } from "#app/modules/evaluation/moderation";
import { assignEvaluator, currentAssignments, panelWarnings, removeEvaluator } from "#app/modules/evaluation/panel";
import { answerForScoring, BidClosedToEvaluator, evaluatorWork, latestScores, pricesForEvaluator, PricesSealed, submitScore } from "#app/modules/evaluation/scores";
import { evaluationOverview, moveToNextStage } from "#app/modules/evaluation/stages";
import { qualityQuestions } from "#app/modules/evaluation/evaluation";
import { evaluationReport, reportLotsInWords, reportPdfLots } from "#app/modules/evaluation/report";
import * as awardPage from "#app/routes/tenders.$tenderId.award";
import { portalContext } from "#test/support/portal-context";
import { runAudited } from "#test/support/audited";
import { useTestDatabase } from "#test/support/database";
import { councilPeople, EVALUATION_NOW, openedTender, PRICE_A_STANDARD, type OpenedTender } from "#test/support/evaluation";
import { buildTenderingWorld, contextOf, type TenderingWorld } from "#test/support/tendering";

const { db, ownerDb } = await useTestDatabase();
let world: TenderingWorld;
let evaluators: Actor[];
beforeAll(async () => {
  world = await buildTenderingWorld(db);
  evaluators = await councilPeople(db, world, "evaluator", ["Tom Evans", "Asha Patel", "Rhys Morgan"]);
}, 60_000);

const LINKS = { baseUrl: "http://portal.test" };
const as = (actor: Actor) => contextOf(actor, EVALUATION_NOW);
const run = <T>(work: (trx: Trx) => Promise<T>) => db.transaction().execute(work);
const failure = (work: (trx: Trx) => Promise<unknown>) => run(work).then(() => null, (e: unknown) => e as Error);

interface Ready extends OpenedTender {
  subA: string;
  subB: string;
}

async function submissionsOf(t: OpenedTender): Promise<Ready> {
  const rows = await db.selectFrom("bid_submission").select(["id", "organisation_id"]).where("tender_id", "=", t.id).execute();
  return {
    ...t,
    subA: rows.find((r) => r.organisation_id === world.providerA.organisationId)!.id,
    subB: rows.find((r) => r.organisation_id === world.providerB.organisationId)!.id,
  };
}

/** Opened, evaluation started, the first two evaluators on the both-lots quality question for lot 1. */
async function started(options: { staged?: boolean } = {}): Promise<Ready> {
  const t = await submissionsOf(await openedTender(db, world));
  await run((trx) => startEvaluation(trx, { tenderId: t.id, staged: options.staged ?? true }, as(world.officer)));
  for (const e of evaluators.slice(0, 2)) {
    await run((trx) => assignEvaluator(trx, { tenderId: t.id, evaluatorId: e.userId, questionId: t.q.quality, lotIds: [t.lot1] }, as(world.officer), LINKS));
  }
  return t;
}

const noConflicts = () => [
  { organisationId: world.providerA.organisationId, hasConflict: false, description: "" },
  { organisationId: world.providerB.organisationId, hasConflict: false, description: "" },
];

/** Both bids compliant and the evaluation moved on to quality. */
async function atQuality(t: Ready) {
  for (const submissionId of [t.subA, t.subB]) {
    await run((trx) => recordCompliance(trx, { tenderId: t.id, submissionId, checks: [{ questionId: t.q.passFail, passed: true }], complete: true, reason: "", replacesId: null }, as(world.officer)));
  }
  await run((trx) => moveToNextStage(trx, { tenderId: t.id, expectedVersion: 1 }, as(world.officer)));
}

async function declareNone(t: Ready, who: Actor[]) {
  for (const e of who) await run((trx) => declareConflicts(trx, { tenderId: t.id, declarations: noConflicts() }, as(e), LINKS));
}

const score = (t: Ready, e: Actor, submissionId: string, value: number | null, justification = "Meets the standard with clear evidence", replacesId: string | null = null) =>
  run((trx) => submitScore(trx, { tenderId: t.id, submissionId, questionId: t.q.quality, score: value, justification, replacesId }, as(e)));

describe("starting an evaluation", () => {
  it("is refused until two officers have opened the bids, and then starts staged by default, audited", async () => {
    const t = await openedTender(db, world, { open: false });
    const early = await failure((trx) => startEvaluation(trx, { tenderId: t.id, staged: true }, as(world.officer)));
    expect(early).toBeInstanceOf(ActionRefused);
    expect(early?.message).toMatch(/bids have not been opened/);
    expect(await db.selectFrom("evaluation").select("id").where("tender_id", "=", t.id).execute()).toEqual([]);
    expect((await evaluationOverview(db, t.id, world.officer)).opened).toBe(false);

    const opened = await submissionsOf(await openedTender(db, world));
    expect(await failure((trx) => startEvaluation(trx, { tenderId: opened.id, staged: true }, as(evaluators[0]!)))).toBeInstanceOf(ActionRefused);
    expect(await failure((trx) => startEvaluation(trx, { tenderId: opened.id, staged: true }, as(world.otherCouncilOfficer)))).toBeInstanceOf(RecordNotFound);
    const result = await runAudited(db, (trx) => startEvaluation(trx, { tenderId: opened.id, staged: true }, as(world.officer)));
    expect(result.value).toMatchObject({ staged: true, stage: "compliance", version: 1 });
    expect(result.events.map((e) => e.action)).toEqual(["evaluation.started"]);
    expect((await failure((trx) => startEvaluation(trx, { tenderId: opened.id, staged: false }, as(opened.secondOfficer))))?.message).toMatch(/already started/);
  });
});

describe("the panel", () => {
  it("warns where a quality question has fewer than two evaluators for a lot, and emails an evaluator once when first put on the panel", async () => {
    const t = await submissionsOf(await openedTender(db, world));
    await run((trx) => startEvaluation(trx, { tenderId: t.id, staged: true }, as(world.officer)));
    const questions = await qualityQuestions(db, t.id);
    // Question 2.1 is weighted for both lots, 2.2 for lot 2: three places, each with no evaluator.
    expect(panelWarnings(questions, await currentAssignments(db, t.id)).map((w) => w.message)).toEqual([
      "Question 2.1 has no evaluators for lot 1: at least 2 is the norm",
      "Question 2.1 has no evaluators for lot 2: at least 2 is the norm",
      "Question 2.2 has no evaluators for lot 2: at least 2 is the norm",
    ]);
    const [tom, asha] = evaluators as [Actor, Actor];
    const first = await runAudited(db, (trx) => assignEvaluator(trx, { tenderId: t.id, evaluatorId: tom.userId, questionId: t.q.quality, lotIds: [t.lot1, t.lot2] }, as(world.officer), LINKS));
    expect(first.events.map((e) => e.action)).toEqual(["evaluation.evaluator_assigned"]);
    await run((trx) => assignEvaluator(trx, { tenderId: t.id, evaluatorId: tom.userId, questionId: t.q.lot2Only, lotIds: [t.lot2] }, as(world.officer), LINKS));
    await run((trx) => assignEvaluator(trx, { tenderId: t.id, evaluatorId: asha.userId, questionId: t.q.quality, lotIds: [t.lot1] }, as(world.officer), LINKS));
    expect(panelWarnings(questions, await currentAssignments(db, t.id)).map((w) => w.message)).toEqual([
      "Question 2.1 has only one evaluator for lot 2: at least 2 is the norm",
      "Question 2.2 has only one evaluator for lot 2: at least 2 is the norm",
    ]);
    const emails = await db.selectFrom("outbox_email").select(["to_address", "subject"]).where("template", "=", "evaluation_panel_assigned").where("to_address", "in", [tom.email, asha.email]).execute();
    expect(emails.filter((e) => e.to_address === tom.email)).toHaveLength(1);
    expect(emails.filter((e) => e.to_address === asha.email)).toHaveLength(1);
    expect(emails[0]!.subject).toBe("You are on the evaluation panel: Residential framework 2027");
    // Only quality questions, for lots they are weighted for, and only the council's own staff.
    expect((await failure((trx) => assignEvaluator(trx, { tenderId: t.id, evaluatorId: tom.userId, questionId: t.q.passFail, lotIds: [t.lot1] }, as(world.officer), LINKS)))?.message).toBe("Choose a quality question");
    expect((await failure((trx) => assignEvaluator(trx, { tenderId: t.id, evaluatorId: tom.userId, questionId: t.q.lot2Only, lotIds: [t.lot1] }, as(world.officer), LINKS)))?.message).toBe("Choose at least one lot this question is scored for");
    expect((await failure((trx) => assignEvaluator(trx, { tenderId: t.id, evaluatorId: world.otherCouncilOfficer.userId, questionId: t.q.quality, lotIds: [t.lot1] }, as(world.officer), LINKS)))?.message).toBe("Choose an evaluator or commissioning officer of your council");
    // Taken off, the history keeps both rows.
    await run((trx) => removeEvaluator(trx, { tenderId: t.id, evaluatorId: asha.userId, questionId: t.q.quality, lotId: t.lot1 }, as(world.officer)));
    expect((await currentAssignments(db, t.id)).some((a) => a.evaluatorId === asha.userId)).toBe(false);
    expect(await db.selectFrom("evaluation_assignment").select("change").where("tender_id", "=", t.id).where("evaluator_id", "=", asha.userId).orderBy("id").execute()).toEqual([{ change: "assigned" }, { change: "removed" }]);
  });
});

describe("conflicts of interest", () => {
  it("shows an evaluator no bid content until they have declared for every bidding provider", async () => {
    const t = await started();
    await atQuality(t);
    const tom = evaluators[0]!;
    const before = await evaluatorWork(db, t.id, tom);
    expect(before.declaredAll).toBe(false);
    expect(before.questions[0]!.answers).toEqual([]);
    await expect(answerForScoring(db, { tenderId: t.id, submissionId: t.subA, questionId: t.q.quality }, tom)).rejects.toBeInstanceOf(BidClosedToEvaluator);
    // Declaring for one provider only is refused, naming the one left out, and writes nothing.
    const partial = await runAudited(db, (trx) => declareConflicts(trx, { tenderId: t.id, declarations: [noConflicts()[0]!] }, as(tom), LINKS));
    expect(partial.error?.message).toBe(`Say whether you have a conflict of interest with ${world.providerB.organisationName}`);
    expect(partial.events).toEqual([]);
    await expect(answerForScoring(db, { tenderId: t.id, submissionId: t.subA, questionId: t.q.quality }, tom)).rejects.toBeInstanceOf(BidClosedToEvaluator);
    await declareNone(t, [tom]);
    const answer = await answerForScoring(db, { tenderId: t.id, submissionId: t.subA, questionId: t.q.quality }, tom);
    expect(answer).toMatchObject({ answerText: "Trained staff and nightly safeguarding reviews", wordCount: 6, canScore: true, others: null });
    expect(answer.question.scale.map((s) => s.score)).toEqual([0, 1, 2, 3, 4, 5]);
    // Someone not on the panel, and another council, are told nothing exists.
    await expect(evaluatorWork(db, t.id, evaluators[2]!)).rejects.toBeInstanceOf(RecordNotFound);
    await expect(answerForScoring(db, { tenderId: t.id, submissionId: t.subA, questionId: t.q.quality }, world.otherCouncilOfficer)).rejects.toBeInstanceOf(RecordNotFound);
  });

  it("keeps a declared conflict's bid from the evaluator until an officer decides, and an exclusion keeps it from them for good", async () => {
    const t = await started();
    await atQuality(t);
    const [tom, asha] = evaluators as [Actor, Actor];
    const declared = await runAudited(db, (trx) =>
      declareConflicts(
        trx,
        { tenderId: t.id, declarations: [noConflicts()[0]!, { organisationId: world.providerB.organisationId, hasConflict: true, description: "My sister manages one of their homes" }] },
        as(tom),
        LINKS,
      ),
    );
    expect(declared.events.map((e) => e.action)).toEqual(["evaluation.conflicts_declared"]);
    const officersTold = await db.selectFrom("outbox_email").select("to_address").where("template", "=", "evaluation_conflict_declared").where("text", "like", `%${tom.name}%`).execute();
    expect(officersTold.map((e) => e.to_address)).toEqual(expect.arrayContaining([t.secondOfficer.email, world.officer.email]));
    expect(officersTold.map((e) => e.to_address)).not.toContain(tom.email);
    // A's bid is open to Tom; B's waits for the decision.
    expect((await answerForScoring(db, { tenderId: t.id, submissionId: t.subA, questionId: t.q.quality }, tom)).organisationName).toBe(world.providerA.organisationName);
    const waiting = await answerForScoring(db, { tenderId: t.id, submissionId: t.subB, questionId: t.q.quality }, tom).catch((e: unknown) => e);
    expect(waiting).toBeInstanceOf(BidClosedToEvaluator);
    expect((waiting as BidClosedToEvaluator).access).toBe("awaiting_decision");
    expect((await score(t, tom, t.subB, 3).catch((e: unknown) => e)) as Error).toBeInstanceOf(BidClosedToEvaluator);
    // The conflict cannot be taken back to "none".
    expect((await failure((trx) => declareConflicts(trx, { tenderId: t.id, declarations: noConflicts() }, as(tom), LINKS)))?.message).toMatch(/stays on the record/);
    // Moving to price waits for the decision.
    const [pending] = (await declarations(db, t.id)).filter((d) => d.hasConflict);
    expect((await evaluationOverview(db, t.id, world.officer)).blockers).toContain("1 declared conflict awaits a decision");
    // Deciding needs an outcome and a reason (and a mitigation to accept).
    expect((await failure((trx) => decideConflict(trx, { tenderId: t.id, declarationId: pending!.id, outcome: "accept", mitigation: "", reason: "Low risk" }, as(world.officer))))?.message).toBe("Say how the conflict is mitigated");
    expect((await failure((trx) => decideConflict(trx, { tenderId: t.id, declarationId: pending!.id, outcome: "exclude", mitigation: "", reason: " " }, as(world.officer))))?.message).toBe("Give the reason for your decision");
    const decided = await runAudited(db, (trx) => decideConflict(trx, { tenderId: t.id, declarationId: pending!.id, outcome: "exclude", mitigation: "", reason: "A close family tie with the provider's management" }, as(world.officer)));
    expect(decided.events).toEqual([expect.objectContaining({ action: "evaluation.conflict_decided", reason: "A close family tie with the provider's management" })]);
    // Exactly one decision stands.
    expect((await failure((trx) => decideConflict(trx, { tenderId: t.id, declarationId: pending!.id, outcome: "accept", mitigation: "Second reader", reason: "Changed mind" }, as(t.secondOfficer))))?.message).toMatch(/already decided/);
    const excluded = await answerForScoring(db, { tenderId: t.id, submissionId: t.subB, questionId: t.q.quality }, tom).catch((e: unknown) => e);
    expect((excluded as BidClosedToEvaluator).access).toBe("excluded");
    // Tom is no longer one of B's evaluators, so moderation of B's answer waits only for Asha.
    await declareNone(t, [asha]);
    await score(t, asha, t.subB, 4);
    const moderation = await questionModeration(db, { tenderId: t.id, questionId: t.q.quality }, world.officer);
    expect(moderation.answers.find((a) => a.submissionId === t.subB)!.evaluators.map((e) => e.name)).toEqual([asha.name]);
  });

  it("accepting a conflict with a mitigation opens the bid to the evaluator; no one decides on their own declaration", async () => {
    const t = await started();
    await atQuality(t);
    const tom = evaluators[0]!;
    // The second officer is on the panel too, and declares a conflict.
    await run((trx) => assignEvaluator(trx, { tenderId: t.id, evaluatorId: t.secondOfficer.userId, questionId: t.q.quality, lotIds: [t.lot1] }, as(world.officer), LINKS));
    await run((trx) => declareConflicts(trx, { tenderId: t.id, declarations: [noConflicts()[0]!, { organisationId: world.providerB.organisationId, hasConflict: true, description: "Former employee, left in 2019" }] }, as(t.secondOfficer), LINKS));
    const own = (await declarations(db, t.id)).find((d) => d.evaluatorId === t.secondOfficer.userId && d.hasConflict)!;
    expect((await failure((trx) => decideConflict(trx, { tenderId: t.id, declarationId: own.id, outcome: "accept", mitigation: "x", reason: "y" }, as(t.secondOfficer))))?.message).toBe(
      "You declared this conflict, so a different commissioning officer decides on it",
    );
    expect(await failure((trx) => decideConflict(trx, { tenderId: t.id, declarationId: own.id, outcome: "accept", mitigation: "x", reason: "y" }, as(tom)))).toBeInstanceOf(ActionRefused);
    await run((trx) => decideConflict(trx, { tenderId: t.id, declarationId: own.id, outcome: "accept", mitigation: "Their scores are reviewed by a second moderator", reason: "Left five years ago, no ongoing ties" }, as(world.officer)));
    expect((await answerForScoring(db, { tenderId: t.id, submissionId: t.subB, questionId: t.q.quality }, t.secondOfficer)).organisationName).toBe(world.providerB.organisationName);
  });
});

describe("compliance", () => {
  it("records each bid's pass/fail results; a failing bid needs a reason and is not scored; the stage waits for every bid", async () => {
    const t = await started();
    const blocked = await failure((trx) => moveToNextStage(trx, { tenderId: t.id, expectedVersion: 1 }, as(world.officer)));
    expect(blocked?.message).toBe(`The evaluation cannot move to quality yet: 2 bids have no compliance result (${world.providerA.organisationName}, ${world.providerB.organisationName})`);
    const noReason = await runAudited(db, (trx) => recordCompliance(trx, { tenderId: t.id, submissionId: t.subB, checks: [{ questionId: t.q.passFail, passed: false }], complete: true, reason: "", replacesId: null }, as(world.officer)));
    expect(noReason.error).toMatchObject({ message: "Give the reason the bid is not compliant: the provider is told it", field: "reason" });
    expect(noReason.events).toEqual([]);
    expect((await failure((trx) => recordCompliance(trx, { tenderId: t.id, submissionId: t.subB, checks: [], complete: true, reason: "", replacesId: null }, as(world.officer))))?.message).toBe("Say whether question 1.1 passes");
    await run((trx) => recordCompliance(trx, { tenderId: t.id, submissionId: t.subB, checks: [{ questionId: t.q.passFail, passed: false }], complete: true, reason: "No Ofsted registration for the homes offered", replacesId: null }, as(world.officer)));
    // Two officers recording A's first result from the same page: one stands, the other is told.
    const both = await Promise.all(
      [world.officer, t.secondOfficer].map((o) =>
        failure((trx) => recordCompliance(trx, { tenderId: t.id, submissionId: t.subA, checks: [{ questionId: t.q.passFail, passed: true }], complete: true, reason: "", replacesId: null }, as(o))),
      ),
    );
    expect(both.filter((e) => e === null)).toHaveLength(1);
    expect(both.find((e) => e !== null)).toBeInstanceOf(ConcurrentEditError);
    const results = await complianceResults(db, t.id);
    expect(results.get(t.subB)).toMatchObject({ compliant: false, reason: "No Ofsted registration for the homes offered" });
    expect(results.get(t.subA)).toMatchObject({ compliant: true });
    await run((trx) => moveToNextStage(trx, { tenderId: t.id, expectedVersion: 1 }, as(world.officer)));
    // B failed, so nobody scores its answers.
    await declareNone(t, evaluators.slice(0, 2));
    const work = await evaluatorWork(db, t.id, evaluators[0]!);
    expect(work.questions[0]!.answers.map((a) => a.organisationName)).toEqual([world.providerA.organisationName]);
    await expect(answerForScoring(db, { tenderId: t.id, submissionId: t.subB, questionId: t.q.quality }, evaluators[0]!)).rejects.toBeInstanceOf(RecordNotFound);
    // Compliance no longer changes once the evaluation has moved on.
    expect((await failure((trx) => recordCompliance(trx, { tenderId: t.id, submissionId: t.subB, checks: [{ questionId: t.q.passFail, passed: true }], complete: true, reason: "", replacesId: results.get(t.subB)!.id }, as(world.officer))))?.message).toMatch(/no longer change/);
  });
});

describe("independent scoring", () => {
  it("refuses scores before the quality stage, off the scale or without a justification, with a clear message and nothing written", async () => {
    const t = await started();
    const tom = evaluators[0]!;
    await declareNone(t, [tom]);
    expect((await score(t, tom, t.subA, 3).then(() => null, (e: unknown) => e as Error))?.message).toMatch(/once every bid's compliance has been checked/);
    await atQuality(t);
    for (const [value, message] of [
      [6, "Choose a score from 0 to 5"],
      [-1, "Choose a score from 0 to 5"],
      [2.5, "Choose a score from 0 to 5"],
      [null, "Choose a score from 0 to 5"],
    ] as const) {
      const refused = await runAudited(db, (trx) => submitScore(trx, { tenderId: t.id, submissionId: t.subA, questionId: t.q.quality, score: value, justification: "Fine", replacesId: null }, as(tom)));
      expect(refused.error).toMatchObject({ message, field: "score" });
      expect(refused.events).toEqual([]);
    }
    const blank = await runAudited(db, (trx) => submitScore(trx, { tenderId: t.id, submissionId: t.subA, questionId: t.q.quality, score: 3, justification: "   ", replacesId: null }, as(tom)));
    expect(blank.error).toMatchObject({ message: "Write a justification for your score: say why the answer earns it", field: "justification" });
    expect(await db.selectFrom("evaluation_score").select("id").where("tender_id", "=", t.id).execute()).toEqual([]);
    // The database refuses a blank justification too, whatever the module.
    await expect(
      sql`INSERT INTO evaluation_score (tender_id, submission_id, question_id, evaluator_id, score, justification, submitted_at) VALUES (${t.id}, ${t.subA}, ${t.q.quality}, ${tom.userId}, 3, ' ', now())`.execute(db),
    ).rejects.toThrow(/check constraint/);
  });

  it("hides other evaluators' scores for a question until the evaluator has submitted their own for every answer of it", async () => {
    const t = await started();
    await atQuality(t);
    const [tom, asha] = evaluators as [Actor, Actor];
    await declareNone(t, [tom, asha]);
    await score(t, asha, t.subA, 4, "Strong, evidenced answer");
    await score(t, asha, t.subB, 2, "Thin on detail");
    // Tom has scored nothing: Asha's scores are hidden from him, on every answer.
    expect((await answerForScoring(db, { tenderId: t.id, submissionId: t.subA, questionId: t.q.quality }, tom)).others).toBeNull();
    await score(t, tom, t.subA, 3);
    // One answer of two scored: still hidden.
    expect((await answerForScoring(db, { tenderId: t.id, submissionId: t.subA, questionId: t.q.quality }, tom)).others).toBeNull();
    await score(t, tom, t.subB, 2);
    const seen = await answerForScoring(db, { tenderId: t.id, submissionId: t.subA, questionId: t.q.quality }, tom);
    expect(seen.others?.map((s) => [s.evaluatorName, s.score, s.justification])).toEqual([[asha.name, 4, "Strong, evidenced answer"]]);
    expect(seen.myScore?.score).toBe(3);
  });

  it("keeps every original when an evaluator corrects a score, and refuses a correction from a stale page", async () => {
    const t = await started();
    await atQuality(t);
    const tom = evaluators[0]!;
    await declareNone(t, [tom]);
    const first = await score(t, tom, t.subA, 3, "Adequate");
    const corrected = await runAudited(db, (trx) => submitScore(trx, { tenderId: t.id, submissionId: t.subA, questionId: t.q.quality, score: 4, justification: "Re-read: stronger than I first thought", replacesId: first.id }, as(tom)));
    expect(corrected.events).toEqual([expect.objectContaining({ action: "evaluation.score_corrected", before: { Score: 3, Justification: "Adequate" } })]);
    expect(corrected.value).toMatchObject({ score: 4, corrections: 1 });
    const stale = await score(t, tom, t.subA, 5, "From an old window", first.id).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(ConcurrentEditError);
    const rows = await db.selectFrom("evaluation_score").select(["score", "replaces_id"]).where("tender_id", "=", t.id).orderBy("submitted_at").execute();
    expect(rows.map((r) => r.score).sort()).toEqual([3, 4]);
    expect((await latestScores(db, t.id)).map((s) => s.score)).toEqual([4]);
    // The runtime login can neither rewrite nor remove a score.
    await expect(sql`UPDATE evaluation_score SET score = 0 WHERE tender_id = ${t.id}`.execute(db)).rejects.toThrow(/permission denied|append-only/);
    await expect(sql`DELETE FROM evaluation_score WHERE tender_id = ${t.id}`.execute(db)).rejects.toThrow(/permission denied|append-only/);
    await expect(sql`DELETE FROM evaluation_score WHERE tender_id = ${t.id}`.execute(ownerDb())).rejects.toThrow(/append-only|cannot/);
  });
});

describe("moderation and the price envelope", () => {
  it("waits for every evaluator, flags a wide spread, keeps the originals beside the agreed score, and only then unseals price", async () => {
    const t = await started();
    await atQuality(t);
    const [tom, asha] = evaluators as [Actor, Actor];
    await declareNone(t, [tom, asha]);
    await expect(pricesForEvaluator(db, t.id, tom)).rejects.toBeInstanceOf(PricesSealed);
    await score(t, tom, t.subA, 1, "Little evidence of practice");
    const early = await failure((trx) => moderateAnswer(trx, { tenderId: t.id, submissionId: t.subA, questionId: t.q.quality, agreedScore: 2, rationale: "Agreed", replacesId: null }, as(world.officer)));
    expect(early?.message).toBe(`Waiting for ${asha.name} to submit their scores for this answer`);
    expect((await questionModeration(db, { tenderId: t.id, questionId: t.q.quality }, world.officer)).answers.find((a) => a.submissionId === t.subA)!.scores).toBeNull();
    await score(t, asha, t.subA, 3, "Clear, if brief");
    await score(t, tom, t.subB, 4, "Good");
    await score(t, asha, t.subB, 5, "Excellent");
    const page = await questionModeration(db, { tenderId: t.id, questionId: t.q.quality }, world.officer);
    const a = page.answers.find((x) => x.submissionId === t.subA)!;
    const b = page.answers.find((x) => x.submissionId === t.subB)!;
    expect(a).toMatchObject({ spread: 2, wideSpread: true });
    expect(a.scores?.map((s) => [s.evaluatorName, s.score, s.justification])).toEqual([
      [asha.name, 3, "Clear, if brief"],
      [tom.name, 1, "Little evidence of practice"],
    ]);
    expect(b).toMatchObject({ spread: 1, wideSpread: false });
    expect((await evaluationOverview(db, t.id, world.officer)).progress[0]).toMatchObject({ answers: 2, scored: 2, moderated: 0, wideSpreads: 1 });

    expect((await failure((trx) => moderateAnswer(trx, { tenderId: t.id, submissionId: t.subA, questionId: t.q.quality, agreedScore: 7, rationale: "x", replacesId: null }, as(world.officer))))?.message).toBe("Choose a score from 0 to 5");
    expect((await failure((trx) => moderateAnswer(trx, { tenderId: t.id, submissionId: t.subA, questionId: t.q.quality, agreedScore: 2, rationale: "", replacesId: null }, as(world.officer))))?.message).toBe("Write the rationale for the agreed score");
    expect(await failure((trx) => moderateAnswer(trx, { tenderId: t.id, submissionId: t.subA, questionId: t.q.quality, agreedScore: 2, rationale: "x", replacesId: null }, as(tom)))).toBeInstanceOf(ActionRefused);
    const moderated = await runAudited(db, (trx) => moderateAnswer(trx, { tenderId: t.id, submissionId: t.subA, questionId: t.q.quality, agreedScore: 2, rationale: "Discussed: some evidence, but thin on practice", replacesId: null }, as(world.officer)));
    expect(moderated.events).toEqual([expect.objectContaining({ action: "evaluation.answer_moderated", after: expect.objectContaining({ "Agreed score": 2, "Wide spread": "Yes" }) })]);
    // The originals are untouched; scores of a moderated answer no longer change.
    expect((await latestScores(db, t.id)).filter((s) => s.submissionId === t.subA).map((s) => s.score).sort()).toEqual([1, 3]);
    const mine = (await latestScores(db, t.id)).find((s) => s.submissionId === t.subA && s.evaluatorId === tom.userId)!;
    expect((await score(t, tom, t.subA, 2, "Changed", mine.id).then(() => null, (e: unknown) => e as Error))?.message).toBe("This answer has been moderated, so its scores no longer change");

    // Price stays sealed until every answer is moderated, and the stage cannot move on before.
    // B also answered question 2.2 (lot 2 only), which nobody is on yet.
    expect((await failure((trx) => moveToNextStage(trx, { tenderId: t.id, expectedVersion: 2 }, as(world.officer))))?.message).toBe(
      "The evaluation cannot move to price yet: 1 answer has no evaluator; 2 answers have no agreed score",
    );
    await expect(pricesForEvaluator(db, t.id, tom)).rejects.toBeInstanceOf(PricesSealed);
    await run((trx) => moderateAnswer(trx, { tenderId: t.id, submissionId: t.subB, questionId: t.q.quality, agreedScore: 4, rationale: "Agreed after discussion", replacesId: null }, as(world.officer)));
    await run((trx) => assignEvaluator(trx, { tenderId: t.id, evaluatorId: asha.userId, questionId: t.q.lot2Only, lotIds: [t.lot2] }, as(world.officer), LINKS));
    await run((trx) => submitScore(trx, { tenderId: t.id, submissionId: t.subB, questionId: t.q.lot2Only, score: 3, justification: "Sound clinical offer", replacesId: null }, as(asha)));
    expect((await failure((trx) => moveToNextStage(trx, { tenderId: t.id, expectedVersion: 2 }, as(world.officer))))?.message).toBe("The evaluation cannot move to price yet: 1 answer has no agreed score");
    await run((trx) => moderateAnswer(trx, { tenderId: t.id, submissionId: t.subB, questionId: t.q.lot2Only, agreedScore: 3, rationale: "One evaluator, agreed", replacesId: null }, as(world.officer)));
    // From a stale page (version 1), moving on is refused.
    expect(await failure((trx) => moveToNextStage(trx, { tenderId: t.id, expectedVersion: 1 }, as(world.officer)))).toBeInstanceOf(ConcurrentEditError);
    await run((trx) => moveToNextStage(trx, { tenderId: t.id, expectedVersion: 2 }, as(world.officer)));
    const prices = await pricesForEvaluator(db, t.id, tom);
    expect(prices.find((p) => p.organisationName === world.providerA.organisationName)!.prices[0]!.amountPence).toBe(PRICE_A_STANDARD);

    // The evaluation report, from the scoring rules: lot 1 quality 60 (A agreed 2 of 5, B 4 of 5), price 40 on
    // lowest price (A £11,623.45, B £10,800.00); lot 2 only B (4 of 5 at 40, 3 of 5 at 30, price 30).
    const report = await evaluationReport(db, t.id, world.officer);
    if (!report?.ready) throw new Error("the report should be ready at the price stage");
    const [lot1, lot2] = reportLotsInWords(report.lots);
    expect(lot1!.bids.map((b) => [b.rank, b.bidder, b.quality, b.price, b.priceScore, b.total, b.recommended])).toEqual([
      ["1", world.providerB.organisationName, "48.00", "£10,800.00", "40.00", "88.00", true],
      // 40 × 1,080,000 / 1,162,345 = 37.166…, rounded to 37.17.
      ["2", world.providerA.organisationName, "24.00", "£11,623.45", "37.17", "61.17", true],
    ]);
    expect(lot1!.bids[1]!.questions).toEqual([
      expect.objectContaining({ moderated: "2 of 5", weighted: "24.00 of 60", originals: `${asha.name}: 3; ${tom.name}: 1` }),
    ]);
    expect(lot2!.bids.map((b) => [b.rank, b.quality, b.priceScore, b.total])).toEqual([["1", "50.00", "30.00", "80.00"]]);
    // The PDF names the question's evaluators once, then gives each bid's own scores in that order.
    const [pdfLot1] = reportPdfLots(report.lots);
    const order = [asha.name, tom.name].sort((x, y) => x.localeCompare(y));
    const inOrder = (scores: Record<string, number>) => order.map((name) => scores[name]).join(", ");
    expect(pdfLot1!.questions.map((q) => [q.about, q.evaluators])).toEqual([["out of 5, minimum 2, worth 60 points", order]]);
    expect(pdfLot1!.scores.map((b) => [b.bidder, b.lines.map((l) => [l.question, l.agreed, l.points, l.evaluators])])).toEqual([
      [world.providerB.organisationName, [["2.1", "4 of 5", "48.00", inOrder({ [tom.name]: 4, [asha.name]: 5 })]]],
      [world.providerA.organisationName, [["2.1", "2 of 5", "24.00", inOrder({ [asha.name]: 3, [tom.name]: 1 })]]],
    ]);
    expect(report.panel.map((m) => [m.name, m.places, m.declarations.map((d) => d.declared)])).toEqual([
      [asha.name, ["2.1 in lot 1", "2.2 in lot 2"], ["No conflict.", "No conflict."]],
      [tom.name, ["2.1 in lot 1"], ["No conflict.", "No conflict."]],
    ]);
    // Another council's officer gets nothing.
    expect(await evaluationReport(db, t.id, world.otherCouncilOfficer)).toBeNull();

    // The award page starts the officer's first recommendation from the report: both lot 1 bids (a framework
    // admits every scored bid) and B alone in lot 2, ticked; the summary names who ranked first.
    const award = (await awardPage.loader({ request: new Request(`http://portal.test/tenders/${t.id}/award`), params: { tenderId: t.id }, context: portalContext(db, world.officer) })) as {
      recommendation: unknown;
      proposal: { chosen: Record<string, string[]>; evaluationSummary: string } | null;
    };
    expect(award.recommendation).toBeNull();
    const bidOf = async (p: { organisationId: string }) => (await db.selectFrom("bid").select("id").where("tender_id", "=", t.id).where("organisation_id", "=", p.organisationId).executeTakeFirstOrThrow()).id;
    const [bidA, bidB] = [await bidOf(world.providerA), await bidOf(world.providerB)];
    expect(Object.fromEntries(Object.entries(award.proposal!.chosen).map(([lot, bids]) => [lot, [...bids].sort()]))).toEqual({ [t.lot1]: [bidA, bidB].sort(), [t.lot2]: [bidB] });
    expect(award.proposal!.evaluationSummary).toContain(`${world.providerB.organisationName} ranked first with 88.00 points (quality 48.00, price 40.00).`);
  });

  it("lets exactly one of two officers moderating the same answer at once stand, and tells the other", async () => {
    const t = await started();
    await atQuality(t);
    const [tom, asha] = evaluators as [Actor, Actor];
    await declareNone(t, [tom, asha]);
    await score(t, tom, t.subA, 3);
    await score(t, asha, t.subA, 3);
    const outcomes = await Promise.all(
      [
        [world.officer, 3, "Both evaluators agreed"],
        [t.secondOfficer, 4, "On reflection the answer is good"],
      ].map(([who, agreed, rationale]) =>
        failure((trx) => moderateAnswer(trx, { tenderId: t.id, submissionId: t.subA, questionId: t.q.quality, agreedScore: agreed as number, rationale: rationale as string, replacesId: null }, as(who as Actor))),
      ),
    );
    expect(outcomes.filter((e) => e === null)).toHaveLength(1);
    const loser = outcomes.find((e) => e !== null);
    expect(loser).toBeInstanceOf(ModerationChanged);
    expect(loser?.message).toMatch(/recorded an agreed score of [34] for this answer while you were moderating it/);
    expect(await db.selectFrom("evaluation_moderation").select("id").where("tender_id", "=", t.id).execute()).toHaveLength(1);
    // Changing the agreed score names the one it replaces; both stay on record.
    const standing = (await questionModeration(db, { tenderId: t.id, questionId: t.q.quality }, world.officer)).answers.find((a) => a.submissionId === t.subA)!.moderation!;
    await run((trx) => moderateAnswer(trx, { tenderId: t.id, submissionId: t.subA, questionId: t.q.quality, agreedScore: 2, rationale: "Panel met again", replacesId: standing.id }, as(world.officer)));
    expect((await questionModeration(db, { tenderId: t.id, questionId: t.q.quality }, world.officer)).answers.find((a) => a.submissionId === t.subA)!.moderation).toMatchObject({ agreedScore: 2, replaced: 1 });
    await expect(sql`UPDATE evaluation_moderation SET agreed_score = 5 WHERE tender_id = ${t.id}`.execute(db)).rejects.toThrow(/permission denied|append-only/);
  });

  it("opens price to evaluators with quality when the tender is not staged", async () => {
    const t = await started({ staged: false });
    await atQuality(t);
    const tom = evaluators[0]!;
    // Not before every bidder is declared.
    expect(await pricesForEvaluator(db, t.id, tom)).toEqual([]);
    await declareNone(t, [tom]);
    const prices = await pricesForEvaluator(db, t.id, tom);
    expect(prices.map((p) => p.organisationName)).toEqual([world.providerA.organisationName, world.providerB.organisationName]);
  });
});
