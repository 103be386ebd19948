// How many SQL statements the moderation page of a question sends per
// request (its loader as the browser calls it; the session lookup comes on
// top), counted by a Kysely plugin on the real database, and that what it
// keeps between requests (decision 043) is read again once anything changes
// and is never shown to someone the page would refuse. The first view of a
// question reads it (about a dozen statements); the same page again costs
// the policy's look-up and the audit chain's head; another page of it, one
// more for its answers' texts. QUERY_COUNTS=1 prints the figures.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ActionRefused, RecordNotFound } from "#app/modules/errors";
import { assignEvaluator } from "#app/modules/evaluation/panel";
import { questionModeration } from "#app/modules/evaluation/moderation";
import type { Actor } from "#app/modules/identity/actor";
import { actorForUser } from "#app/modules/identity/sessions";
import * as moderationPage from "#app/routes/tenders.$tenderId.evaluation.moderation.$questionId";
import { generateAward, type GeneratedAward } from "#db/seed/generate-award";
import { generateDataSet } from "#db/seed/generate";
import { useTestDatabase } from "#test/support/database";
import { QueryCounter } from "#test/support/query-counter";
import { answer, loaderStatus, portalContext, post } from "#test/support/portal-context";
import { contextOf } from "#test/support/tendering";

const { db } = await useTestDatabase();
const counter = new QueryCounter();
const counted = db.withPlugin(counter);
let award: GeneratedAward;
let officer: Actor;
let secondOfficer: Actor;
let otherCouncilOfficer: Actor;
let evaluator: Actor;

beforeAll(async () => {
  await generateDataSet(db, { seed: "moderation-counts", councils: 2, providers: 32, homesPerProvider: 1, usersPerCouncil: 15, audit: "batch" });
  // Every answer scored by three evaluators, none agreed yet: moderation about to start.
  award = await generateAward(db, { seed: "moderation-counts", bids: 30, qualityQuestions: 2, publishedTenders: 0, agreed: false });
  officer = await actorForUser(db, award.officerIds[0], null);
  secondOfficer = await actorForUser(db, award.officerIds[1], null);
  const staff = (role: "commissioning_officer" | "evaluator") =>
    db.selectFrom("app_user").innerJoin("user_role", "user_role.user_id", "app_user.id").select("app_user.id").where("user_role.role", "=", role);
  const other = await staff("commissioning_officer").where("app_user.organisation_id", "!=", officer.organisationId).executeTakeFirstOrThrow();
  otherCouncilOfficer = await actorForUser(db, other.id, null);
  const plainEvaluator = await staff("evaluator")
    .where("app_user.organisation_id", "=", officer.organisationId)
    .where((eb) => eb.not(eb.exists(eb.selectFrom("user_role as r").select("r.user_id").whereRef("r.user_id", "=", "app_user.id").where("r.role", "=", "commissioning_officer"))))
    .executeTakeFirstOrThrow();
  evaluator = await actorForUser(db, plainEvaluator.id, null);
}, 120_000);

const figures: Record<string, number> = {};
afterAll(() => {
  if (process.env.QUERY_COUNTS) console.log(figures);
});

const path = (query = "") => `/tenders/${award.tenderId}/evaluation/moderation/${award.questionId}${query}`;
const params = () => ({ tenderId: award.tenderId, questionId: award.questionId });

/** The page as the browser asks for it, on the counted handle, with the statements it sent recorded under `name`. */
async function open(name: string, query = "", as: Actor = officer) {
  counter.count = 0;
  const result = await moderationPage.loader({ request: new Request(`http://portal.test${path(query)}`), params: params(), context: portalContext(counted, as) });
  figures[name] = counter.count;
  if (!result.page) throw new Error(`the moderation page was refused: ${result.refusal}`);
  return { page: result.page, statements: counter.count };
}

describe("the moderation page's statements", () => {
  it("reads the question once, then answers the same page with two statements and another page with three, the same as read afresh", async () => {
    const first = await open("first view");
    expect(first.statements).toBeLessThanOrEqual(16);
    const again = await open("same page again");
    expect(again.statements).toBe(2);
    expect(again.page).toEqual(first.page);
    const second = await open("second page", "?page=2");
    expect(second.statements).toBe(3);
    expect(second.page.answers.map((a) => a.position)).toEqual([26, 27, 28, 29, 30]);
    expect((await open("second page again", "?page=2")).statements).toBe(2);
    // Another officer's view of it: the same two.
    expect((await open("another officer", "", secondOfficer)).statements).toBe(2);
    // The whole question through the module, as the report and tests ask for it: what was kept is what a fresh read gives.
    const kept = await questionModeration(counted, { tenderId: award.tenderId, questionId: award.questionId }, officer);
    const fresh = await questionModeration(db.withPlugin(new QueryCounter()), { tenderId: award.tenderId, questionId: award.questionId }, officer);
    expect(kept).toEqual(fresh);
  });

  it("reads it again once an agreed score is recorded, and shows it", async () => {
    const before = await open("before saving");
    const a = before.page.answers[0]!;
    expect(a.agreed).toBeNull();
    const saved = await answer(() =>
      moderationPage.action({ request: post(path(), { submissionId: a.submissionId, replacesId: "", [`agreedScore-${a.key}`]: "2", [`rationale-${a.key}`]: "Agreed at 2" }), params: params(), context: portalContext(db, officer) }),
    );
    expect(saved.status).toBe(302);
    const after = await open("after saving");
    expect(after.statements).toBeGreaterThan(3);
    expect(after.page.answers[0]).toMatchObject({ submissionId: a.submissionId, agreed: expect.objectContaining({ score: 2 }) });
    expect(after.page.counts.unagreed).toBe(before.page.counts.unagreed - 1);
  });

  it("refuses, from what it kept as when reading afresh, an officer of another council and an evaluator who is not an officer", async () => {
    await open("kept for the refusals");
    const status = await loaderStatus(() => moderationPage.loader({ request: new Request(`http://portal.test${path()}`), params: params(), context: portalContext(counted, otherCouncilOfficer) }));
    expect(status.status).toBe(404);
    await expect(questionModeration(counted, { tenderId: award.tenderId, questionId: award.questionId }, otherCouncilOfficer)).rejects.toBeInstanceOf(RecordNotFound);
    await expect(questionModeration(counted, { tenderId: award.tenderId, questionId: award.questionId }, evaluator)).rejects.toBeInstanceOf(ActionRefused);
    await expect(questionModeration(counted, { tenderId: award.tenderId, questionId: award.questionId }, null)).rejects.toBeInstanceOf(RecordNotFound);
  });

  it("hides the scores from an officer put on the question's panel until they have scored, from what it kept as well", async () => {
    const lotIds = (await db.selectFrom("tender_question_weight").select("lot_id").where("question_id", "=", award.questionId).execute()).map((r) => r.lot_id);
    await db.transaction().execute((trx) => assignEvaluator(trx, { tenderId: award.tenderId, evaluatorId: secondOfficer.userId, questionId: award.questionId, lotIds }, contextOf(officer), { baseUrl: "http://portal.test" }));
    const mine = await open("the officer on the panel", "", secondOfficer);
    expect(mine.statements).toBeGreaterThan(3);
    expect(mine.page.hidden).toBe(true);
    // The other officer, from what was kept: not on the panel, so nothing is hidden from them, but every answer now waits for the new panel member.
    const theirs = await open("the officer not on the panel");
    expect(theirs.statements).toBe(2);
    expect(theirs.page.hidden).toBe(false);
    expect(theirs.page.answers.every((a) => !a.scored)).toBe(true);
    expect((await open("the officer on the panel again", "", secondOfficer)).page.hidden).toBe(true);
  });
});
