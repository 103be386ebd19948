import type { LoaderFunctionArgs } from "@remix-run/node";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyAuditTrail } from "#app/modules/audit/verify";
import { ActionRefused, RecordNotFound } from "#app/modules/errors";
import {
  answerClarification,
  askClarification,
  clarificationThing,
  getQuestion,
  listAllQuestions,
  listOwnQuestions,
  listPublicClarifications,
} from "#app/modules/tendering/clarifications";
import { registerInterest } from "#app/modules/tendering/interest";
import { may } from "#app/policy/policy";
import * as clarificationsPage from "#app/routes/tenders.$tenderId.clarifications._index";
import * as questionPage from "#app/routes/tenders.$tenderId.clarifications.$questionId";
import { runAudited } from "#test/support/audited";
import { loaderStatus, portalContext } from "#test/support/portal-context";
import { useTestDatabase } from "#test/support/database";
import { buildTenderingWorld, contextOf, publishedTender, type TenderingWorld } from "#test/support/tendering";

const { db } = await useTestDatabase();
let world: TenderingWorld;
let tenderId: string;
const NOW = new Date("2027-01-04T09:00:00Z");
const BEFORE_DEADLINE = new Date("2027-01-25T16:59:00Z");
const AFTER_DEADLINE = new Date("2027-01-25T17:00:00Z");
const LINKS = { baseUrl: "http://portal.test" };
const TENDER_THING = () => ({ councilId: world.councilId, everPublished: true });

beforeAll(async () => {
  world = await buildTenderingWorld(db);
  ({ id: tenderId } = await publishedTender(db, world, NOW, {
    publicationAt: "2027-01-04T09:00",
    clarificationDeadlineAt: "2027-01-25T17:00",
    submissionDeadlineAt: "2027-02-08T12:00",
    intendedAwardOn: "2027-03-15",
    intendedContractStartOn: "2027-04-01",
  }));
  await db.transaction().execute(async (trx) => {
    await registerInterest(trx, { tenderId, organisationId: world.providerA.organisationId }, contextOf(world.providerA, NOW));
    await registerInterest(trx, { tenderId, organisationId: world.providerB.organisationId }, contextOf(world.providerB, NOW));
  });
}, 60_000);

const ask = (actor: TenderingWorld["providerA"], question: string, now = NOW) =>
  runAudited(db, (trx) => askClarification(trx, { tenderId, question }, contextOf(actor, now)));

async function emailsSince(start: Date) {
  return db.selectFrom("outbox_email").select(["to_address", "template", "subject", "text", "html"]).where("created_at", ">=", start).where("template", "=", "clarification_answered").orderBy("to_address").execute();
}

describe("asking a clarification question", () => {
  it("records the provider's question with one audit event naming the organisation, keeping HTML as the text typed", async () => {
    const { value, error, events } = await ask(world.providerA, "Can we offer <b>two</b> homes in one lot? <script>alert(1)</script>");
    expect(error).toBeNull();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: "clarification.asked", after: { Question: "Can we offer <b>two</b> homes in one lot? <script>alert(1)</script>" } });
    expect(events[0]!.summary).toContain(world.providerA.organisationName);
    const question = await getQuestion(db, tenderId, value!.questionId);
    expect(question).toMatchObject({ organisationId: world.providerA.organisationId, askedBy: world.providerA.name, answer: null });
    expect(question!.question).toBe("Can we offer <b>two</b> homes in one lot? <script>alert(1)</script>");
  });

  it("accepts a question a minute before the clarification deadline and refuses one at the deadline, by the server's clock, writing nothing", async () => {
    expect((await ask(world.providerB, "Is TUPE expected to apply?", BEFORE_DEADLINE)).error).toBeNull();
    const late = await ask(world.providerB, "One more question", AFTER_DEADLINE);
    expect(late.error).toBeInstanceOf(ActionRefused);
    expect(late.error!.message).toBe("Clarification questions closed at 5pm on Monday 25 January 2027, so this question cannot be sent");
    expect((late.error as ActionRefused).field).toBe("question");
    expect(late.events).toEqual([]);
    expect((await listOwnQuestions(db, tenderId, world.providerB.organisationId)).map((q) => q.question)).not.toContain("One more question");
  });

  it("refuses a provider that has not registered interest, and an empty question", async () => {
    // A second tender, in which no provider has registered interest.
    const { id: fresh } = await publishedTender(db, world, NOW, {
      publicationAt: "2027-01-04T09:00",
      clarificationDeadlineAt: "2027-01-25T17:00",
      submissionDeadlineAt: "2027-02-08T12:00",
      intendedAwardOn: "2027-03-15",
      intendedContractStartOn: "2027-04-01",
    });
    const uninterested = await runAudited(db, (trx) => askClarification(trx, { tenderId: fresh, question: "Hello?" }, contextOf(world.providerA, NOW)));
    expect(uninterested.error?.message).toBe("Register interest in this tender before asking a question");
    expect(uninterested.events).toEqual([]);
    const empty = await ask(world.providerA, "   ");
    expect(empty.error?.message).toBe("Enter the question");
    expect(await runAudited(db, (trx) => askClarification(trx, { tenderId, question: "From a council" }, contextOf(world.officer, NOW))).then((r) => r.error)).toBeInstanceOf(ActionRefused);
  });
});

describe("answering publicly", () => {
  it("publishes the reworded question and answer, numbered, to every interested provider in the same words, never revealing who asked", async () => {
    const { value: asked } = await ask(world.providerA, "Harbour Homes has a home in Bude with 3 beds: can it bid for lot 1 only?");
    const start = new Date();
    const { value, error, events } = await runAudited(db, (trx) =>
      answerClarification(
        trx,
        {
          tenderId,
          questionId: asked!.questionId,
          visibility: "public",
          publishedQuestion: "Can a provider bid for one lot only?",
          answer: "Yes. Each lot is evaluated separately.",
        },
        contextOf(world.officer, new Date(NOW.getTime() + 60_000)),
        LINKS,
      ),
    );
    expect(error).toBeNull();
    expect(value).toMatchObject({ publicNumber: 1 });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: "clarification.answered_publicly", after: { "Published question": "Can a provider bid for one lot only?" } });

    const published = await listPublicClarifications(db, tenderId);
    expect(published).toEqual([{ number: 1, question: "Can a provider bid for one lot only?", answer: "Yes. Each lot is evaluated separately.", publishedAt: expect.any(Date) }]);
    expect(JSON.stringify(published)).not.toContain("Harbour");

    const emails = await emailsSince(start);
    // Provider A's two active users and provider B's one; the invited user is not told.
    expect(emails.map((e) => e.to_address).sort()).toEqual([world.providerA.email, world.providerAColleague.email, world.providerB.email].sort());
    expect(value!.emailed).toBe(3);
    for (const e of emails) {
      expect(e.subject).toBe("Clarification 1 published: Residential homes framework");
      expect(e.text).toContain("Can a provider bid for one lot only?");
      expect(e.text).toContain("Yes. Each lot is evaluated separately.");
      expect(e.text).not.toContain("Bude");
      expect(e.text).toContain(`http://portal.test/tenders/${tenderId}/clarifications`);
    }
    const toB = emails.find((e) => e.to_address === world.providerB.email)!;
    expect(toB.text).not.toContain(world.providerA.organisationName);
    expect(toB.html).not.toContain(world.providerA.organisationName);
    expect(toB.text).toContain(world.providerB.organisationName);

    // Everyone, signed in or not, may read a published answer.
    const question = (await getQuestion(db, tenderId, asked!.questionId))!;
    expect(may(world.providerB, "clarification.view", clarificationThing(question, TENDER_THING())).allowed).toBe(true);
  });

  it("lets officers see every question with who asked, and a provider only its own", async () => {
    const all = await listAllQuestions(db, tenderId);
    expect(new Set(all.map((q) => q.organisationName))).toEqual(new Set([world.providerA.organisationName, world.providerB.organisationName]));
    const own = await listOwnQuestions(db, tenderId, world.providerB.organisationId);
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((q) => q.organisationId === world.providerB.organisationId)).toBe(true);
    const tender = { kind: "tender" as const, councilId: world.councilId, status: "published" as const, everPublished: true };
    expect(may(world.officer, "clarification.viewAll", tender).allowed).toBe(true);
    expect(may(world.otherCouncilOfficer, "clarification.viewAll", tender)).toMatchObject({ allowed: false, status: 404 });
    expect(may(world.providerA, "clarification.viewAll", tender)).toMatchObject({ allowed: false, status: 404 });
    expect(may(world.otherCouncilOfficer, "clarification.answer", tender)).toMatchObject({ allowed: false, status: 404 });
  });
});

describe("answering privately", () => {
  it("tells only the asking organisation, with the reason, and another provider cannot see it (404)", async () => {
    const { value: asked } = await ask(world.providerA, "Our fee for the Bude home includes a 1:1 rate of £48/hour: is that acceptable?");
    const start = new Date();
    const { value, error, events } = await runAudited(db, (trx) =>
      answerClarification(
        trx,
        { tenderId, questionId: asked!.questionId, visibility: "private", answer: "Yes, enter it as the Complex band.", privateReason: "It discloses the provider's pricing." },
        contextOf(world.officer, new Date(NOW.getTime() + 120_000)),
        LINKS,
      ),
    );
    expect(error).toBeNull();
    expect(value).toMatchObject({ publicNumber: null, emailed: 2 });
    expect(events[0]).toMatchObject({ action: "clarification.answered_privately", reason: "It discloses the provider's pricing." });
    const emails = await emailsSince(start);
    expect(emails.map((e) => e.to_address).sort()).toEqual([world.providerA.email, world.providerAColleague.email].sort());
    expect(emails[0]!.text).toContain("Why it was not published: It discloses the provider's pricing.");
    expect(emails[0]!.text).toContain("£48/hour");
    expect((await listPublicClarifications(db, tenderId)).map((c) => c.answer)).not.toContain("Yes, enter it as the Complex band.");

    const question = (await getQuestion(db, tenderId, asked!.questionId))!;
    const thing = clarificationThing(question, TENDER_THING());
    expect(may(world.providerB, "clarification.view", thing)).toMatchObject({ allowed: false, status: 404 });
    expect(may(world.otherCouncilOfficer, "clarification.view", thing)).toMatchObject({ allowed: false, status: 404 });
    expect(may(world.providerAColleague, "clarification.view", thing).allowed).toBe(true);
    expect(may(world.officer, "clarification.view", thing).allowed).toBe(true);
    // The council's evaluators are not to know which provider asked what.
    expect(may({ ...world.officer, roles: ["evaluator"] }, "clarification.view", thing)).toMatchObject({ allowed: false, status: 404 });
    expect((await listOwnQuestions(db, tenderId, world.providerB.organisationId)).map((q) => q.id)).not.toContain(question.id);
  });

  it("needs a reason to answer privately and the published wording to answer publicly, and answers each question once", async () => {
    const { value: asked } = await ask(world.providerB, "Question to be answered once");
    const answer = (input: Partial<Parameters<typeof answerClarification>[1]>) =>
      runAudited(db, (trx) => answerClarification(trx, { tenderId, questionId: asked!.questionId, visibility: "private", answer: "An answer", ...input }, contextOf(world.officer, NOW), LINKS));
    expect((await answer({ privateReason: "" })).error).toMatchObject({ message: "Enter the reason for answering privately", field: "privateReason" });
    expect((await answer({ visibility: "public", publishedQuestion: " " })).error).toMatchObject({ field: "publishedQuestion" });
    expect((await answer({ visibility: "public", publishedQuestion: "Reworded", answer: "" })).error).toMatchObject({ field: "answer" });
    expect((await answer({ visibility: "public", publishedQuestion: "Reworded" })).error).toBeNull();
    const again = await answer({ visibility: "public", publishedQuestion: "Reworded again" });
    expect(again.error?.message).toMatch(/already been answered/);
    expect(again.events).toEqual([]);
    expect((await listPublicClarifications(db, tenderId)).map((c) => c.number)).toEqual([1, 2]);
  });

  it("lets only one of two officers answering at once answer: the other is told it has been answered, nothing overwritten", async () => {
    const { value: asked } = await ask(world.providerB, "Asked once, answered by two officers at once");
    const answer = (text: string) =>
      runAudited(db, (trx) =>
        answerClarification(trx, { tenderId, questionId: asked!.questionId, visibility: "public", publishedQuestion: "Asked once", answer: text }, contextOf(world.officer, NOW), LINKS),
      );
    const results = await Promise.all([answer("First officer's answer"), answer("Second officer's answer")]);
    expect(results.filter((r) => r.error === null)).toHaveLength(1);
    const refused = results.find((r) => r.error !== null)!;
    expect(refused.error!.message).toMatch(/already been answered/);
    const stored = (await getQuestion(db, tenderId, asked!.questionId))!.answer!;
    expect(stored.answer).toBe(results.find((r) => r.error === null) === results[0] ? "First officer's answer" : "Second officer's answer");
  });

  it("treats another tender's question id as not found", async () => {
    const [someQuestion] = await listAllQuestions(db, tenderId);
    const error = await runAudited(db, (trx) =>
      answerClarification(trx, { tenderId: world.councilId, questionId: someQuestion!.id, visibility: "private", answer: "x", privateReason: "y" }, contextOf(world.officer, NOW), LINKS),
    ).then((r) => r.error);
    expect(error).toBeInstanceOf(RecordNotFound);
  });
});

describe("the pages", () => {
  const page = (loader: (args: LoaderFunctionArgs) => Promise<unknown>, actor: TenderingWorld["officer"] | null, params: Record<string, string>) =>
    loaderStatus(() => loader({ request: new Request(`http://portal.test/tenders/${tenderId}/clarifications`), params, context: portalContext(db, actor) }));

  it("answer another provider's private or unanswered question with 404, naming nothing, and send a signed-out visitor to sign in", async () => {
    const { value } = await ask(world.providerA, "A question about our private pricing, not yet answered");
    const params = { tenderId, questionId: value!.questionId };
    const other = await page(questionPage.loader, world.providerB, params);
    expect(other.status).toBe(404);
    expect(other.body).not.toContain("private pricing");
    expect((await page(questionPage.loader, world.otherCouncilOfficer, params)).status).toBe(404);
    expect((await page(questionPage.loader, null, params)).status).toBe(302);
    const own = await page(questionPage.loader, world.providerAColleague, params);
    expect(own.status).toBe(200);
    expect(own.body).toContain("private pricing");
    expect((await page(questionPage.loader, world.officer, params)).body).toContain(world.providerA.organisationName);
  });

  it("show other providers and the public the published answers only, never who asked", async () => {
    for (const actor of [world.providerB, null]) {
      const list = await page(clarificationsPage.loader, actor, { tenderId });
      expect(list.status).toBe(200);
      expect(list.body).toContain("Can a provider bid for one lot only?");
      expect(list.body).not.toContain(world.providerA.organisationName);
      expect(list.body).not.toContain("Bude");
    }
  });
});

describe("history", () => {
  it("keeps questions and answers: the portal's login can neither change nor delete them, and the audit trail verifies", async () => {
    await expect(sql`UPDATE clarification_question SET question = 'rewritten'`.execute(db)).rejects.toThrow(/permission denied/);
    await expect(sql`DELETE FROM clarification_answer`.execute(db)).rejects.toThrow(/permission denied/);
    expect((await verifyAuditTrail(db, { publicKey: null })).ok).toBe(true);
  });
});
