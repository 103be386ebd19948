import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { Trx } from "#app/database/schema";
import { verifyAuditTrail } from "#app/modules/audit/verify";
import { ActionRefused, RecordNotFound } from "#app/modules/errors";
import { interestedProviders, registerInterest, withdrawInterest } from "#app/modules/tendering/interest";
import {
  amendTender,
  cancelTender,
  DeadlineMustMove,
  listAmendments,
  publicationProblems,
  publishTender,
  TenderNotReady,
} from "#app/modules/tendering/publication";
import { addQuestion, addSection, getQuestionnaire, removeQuestion, setPriceSchedule } from "#app/modules/tendering/questionnaires";
import { chooseLots, createTender, getTender, tenderHistory, updateTender, type TenderDetails } from "#app/modules/tendering/tenders";
import { utcToUkTime } from "#app/modules/tendering/timeline";
import { auditHead } from "#test/support/audited";
import { useTestDatabase } from "#test/support/database";
import { buildTenderingWorld, contextOf, type TenderingWorld } from "#test/support/tendering";

const { db, ownerDb } = await useTestDatabase();
let world: TenderingWorld;
beforeAll(async () => {
  world = await buildTenderingWorld(db);
}, 60_000);

const NOW = new Date("2027-01-04T09:00:00Z");
const LINKS = { baseUrl: "http://portal.test" };
const at = (now: Date) => ({ officer: contextOf(world.officer, now), a: contextOf(world.providerA, now), b: contextOf(world.providerB, now) });

const headSeq = () => auditHead(db);

async function eventsAfter(seq: number) {
  return db.selectFrom("audit_event").select(["action", "summary", "subjects", "before", "after", "reason"]).where("seq", ">", seq).orderBy("seq").execute();
}

async function oneEvent<T>(work: (trx: Trx) => Promise<T>) {
  const start = await headSeq();
  const result = await db.transaction().execute(work);
  const events = await eventsAfter(start);
  expect(events).toHaveLength(1);
  return { result, event: events[0]! };
}

async function refused(work: (trx: Trx) => Promise<unknown>) {
  const start = await headSeq();
  const emails = await emailCount();
  const error = await db.transaction().execute(work).then(
    () => null,
    (e: unknown) => e,
  );
  expect(await headSeq()).toBe(start);
  expect(await emailCount()).toBe(emails);
  return error as Error;
}

async function emailCount() {
  return Number((await db.selectFrom("outbox_email").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
}

async function emailsAfter(count: number, template: string) {
  const rows = await db.selectFrom("outbox_email").select(["to_address", "template", "subject", "text", "created_at"]).orderBy("created_at").execute();
  return rows.slice(count).filter((r) => r.template === template);
}

const details = (overrides: Partial<TenderDetails> = {}): TenderDetails => ({
  title: "Residential framework 2027",
  procedure: "open",
  lightTouch: true,
  publicationAt: "2027-01-11T09:00",
  clarificationDeadlineAt: "2027-01-25T17:00",
  submissionDeadlineAt: "2027-02-08T12:00",
  intendedAwardOn: "2027-03-15",
  intendedContractStartOn: "2027-04-01",
  ...overrides,
});

/** A draft ready to publish: two lots, one quality question at 60/70 and prices at 40/30. Returns its id and version. */
async function readyDraft(overrides: Partial<TenderDetails> = {}) {
  const { officer } = at(NOW);
  const [lot1, lot2] = world.agreements.residential_framework.lotIds as [string, string];
  return db.transaction().execute(async (trx) => {
    const { id } = await createTender(trx, { agreementId: world.agreements.residential_framework.id, ...details(overrides) }, officer);
    await chooseLots(trx, { tenderId: id, expectedVersion: 1, lotIds: [lot1, lot2] }, officer);
    const s = await addSection(trx, { tenderId: id, expectedVersion: 2, title: "Quality" }, officer);
    await addQuestion(trx, { tenderId: id, expectedVersion: 3, sectionId: s.id, kind: "pass_fail", question: "Ofsted registration", evidenceRequired: "Certificate" }, officer);
    await addQuestion(
      trx,
      { tenderId: id, expectedVersion: 4, sectionId: s.id, kind: "quality", question: "Safeguarding", wordLimit: 500, minimumScore: 2, weights: [{ lotId: lot1, weight: 60 }, { lotId: lot2, weight: 70 }] },
      officer,
    );
    await setPriceSchedule(trx, { tenderId: id, expectedVersion: 5, lotId: lot1, priceWeight: 40, items: [{ component: "weekly_fee", needBand: "Standard" }, { component: "weekly_fee", needBand: "Enhanced" }] }, officer);
    await setPriceSchedule(trx, { tenderId: id, expectedVersion: 6, lotId: lot2, priceWeight: 30, items: [{ component: "weekly_fee", needBand: "Complex" }] }, officer);
    return { id, version: 7 };
  });
}

async function published(overrides: Partial<TenderDetails> = {}) {
  const { id, version } = await readyDraft(overrides);
  await db.transaction().execute((trx) => publishTender(trx, { tenderId: id, expectedVersion: version }, at(NOW).officer));
  return { id, version: version + 1 };
}

describe("publishing", () => {
  it("lists every problem with a draft, each tied to its field, and publishes nothing", async () => {
    const { officer } = at(NOW);
    const { id } = await db.transaction().execute((trx) =>
      createTender(trx, { agreementId: world.agreements.residential_framework.id, ...details({ clarificationDeadlineAt: "2027-02-09T09:00", intendedContractStartOn: null }) }, officer),
    );
    const check = await publicationProblems(db, id, NOW);
    expect(check?.problems.map((p) => p.field)).toEqual(["lotIds", "intendedContractStartOn", "clarificationDeadlineAt"]);
    const error = await refused((trx) => publishTender(trx, { tenderId: id, expectedVersion: 1 }, officer));
    expect(error).toBeInstanceOf(TenderNotReady);
    expect((error as TenderNotReady).problems).toEqual(check?.problems);
    expect((await getTender(db, id))?.tender.status).toBe("draft");
  });

  it("publishes a complete draft with one audit event, and from then on it is frozen", async () => {
    const { id, version } = await readyDraft();
    const { event } = await oneEvent((trx) => publishTender(trx, { tenderId: id, expectedVersion: version }, at(NOW).officer));
    expect(event).toMatchObject({ action: "tender.published", before: { Status: "Draft" }, after: { Status: "Published", Publication: "9am on Monday 11 January 2027" } });
    expect((await getTender(db, id))?.tender).toMatchObject({ status: "published", published_by: world.officer.userId, version: version + 1 });

    const edit = await refused((trx) => updateTender(trx, { tenderId: id, expectedVersion: version + 1, ...details({ title: "Sneaky" }) }, at(NOW).officer));
    expect(edit).toBeInstanceOf(ActionRefused);
    expect(edit.message).toMatch(/only be changed by an amendment/);
    const question = (await getQuestionnaire(db, id)).sections[0]!.questions[0]!;
    expect(await refused((trx) => removeQuestion(trx, { tenderId: id, expectedVersion: version + 1, questionId: question.id }, at(NOW).officer))).toBeInstanceOf(ActionRefused);
  });

  it("has the database refuse to delete a published tender's questions, weights, prices or lots, even for a direct query", async () => {
    const { id } = await published();
    await expect(sql`DELETE FROM tender_question WHERE tender_id = ${id}`.execute(db)).rejects.toThrow(/published tender cannot be deleted/);
    await expect(sql`DELETE FROM tender_question_weight WHERE tender_id = ${id}`.execute(db)).rejects.toThrow(/published tender cannot be deleted/);
    await expect(sql`DELETE FROM tender_lot WHERE tender_id = ${id}`.execute(db)).rejects.toThrow(/published tender cannot be deleted/);
    await expect(
      sql`DELETE FROM tender_price_item WHERE schedule_id IN (SELECT id FROM tender_price_schedule WHERE tender_id = ${id})`.execute(db),
    ).rejects.toThrow(/published tender cannot be deleted/);
  });

  it("records a past publication time as the moment it was actually published", async () => {
    const { id, version } = await readyDraft();
    const later = new Date("2027-01-12T10:30:00Z");
    await db.transaction().execute((trx) => publishTender(trx, { tenderId: id, expectedVersion: version }, at(later).officer));
    expect((await getTender(db, id))?.tender.publication_at?.toISOString()).toBe(later.toISOString());
  });
});

describe("interest", () => {
  it("is registered once however often a provider asks, even by two colleagues at once, and kept as history when withdrawn", async () => {
    const { id } = await published();
    const { a } = at(NOW);
    const register = (trx: Trx, ctx = a) => registerInterest(trx, { tenderId: id, organisationId: world.providerA.organisationId }, ctx);
    const start = await headSeq();
    // The colleague's click arrives while the first registration is still being written.
    let colleague: Promise<{ changed: boolean }> = Promise.resolve({ changed: false });
    await db.transaction().execute(async (trx) => {
      expect(await register(trx)).toEqual({ changed: true });
      colleague = db.transaction().execute((other) => register(other, contextOf(world.providerAColleague, NOW)));
      colleague.catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 300));
    });
    expect(await colleague).toEqual({ changed: false });
    const events = await eventsAfter(start);
    expect(events.map((e) => e.action)).toEqual(["tender.interest_registered"]);
    expect(events[0]).toMatchObject({ after: { Interested: "Yes" } });
    expect(await db.selectFrom("tender_interest").select("change").where("tender_id", "=", id).execute()).toHaveLength(1);
    expect((await interestedProviders(db, id)).map((p) => p.organisationId)).toEqual([world.providerA.organisationId]);

    await oneEvent((trx) => withdrawInterest(trx, { tenderId: id, organisationId: world.providerA.organisationId }, a));
    expect(await interestedProviders(db, id)).toEqual([]);
    const rows = await db.selectFrom("tender_interest").select("change").where("tender_id", "=", id).orderBy("id").execute();
    expect(rows.map((r) => r.change)).toEqual(["registered", "withdrawn"]);
  });

  it("cannot be withdrawn or registered by another organisation's user, who is told it does not exist", async () => {
    const { id } = await published();
    await db.transaction().execute((trx) => registerInterest(trx, { tenderId: id, organisationId: world.providerA.organisationId }, at(NOW).a));
    const withdraw = await refused((trx) => withdrawInterest(trx, { tenderId: id, organisationId: world.providerA.organisationId }, at(NOW).b));
    expect(withdraw).toBeInstanceOf(RecordNotFound);
    const register = await refused((trx) => registerInterest(trx, { tenderId: id, organisationId: world.providerA.organisationId }, at(NOW).b));
    expect(register).toBeInstanceOf(RecordNotFound);
    expect((await interestedProviders(db, id)).map((p) => p.organisationId)).toEqual([world.providerA.organisationId]);
  });

  it("is for providers only, and only in a published tender", async () => {
    const { id } = await published();
    const council = await refused((trx) => registerInterest(trx, { tenderId: id, organisationId: world.officer.organisationId }, at(NOW).officer));
    expect(council).toBeInstanceOf(ActionRefused);
    const { id: draftId } = await readyDraft();
    expect(await refused((trx) => registerInterest(trx, { tenderId: draftId, organisationId: world.providerA.organisationId }, at(NOW).a))).toBeInstanceOf(RecordNotFound);
  });

  it("cannot be rewritten by the portal's own login: it is history", async () => {
    const { id } = await published();
    await db.transaction().execute((trx) => registerInterest(trx, { tenderId: id, organisationId: world.providerB.organisationId }, at(NOW).b));
    await expect(sql`UPDATE tender_interest SET change = 'withdrawn' WHERE tender_id = ${id}`.execute(db)).rejects.toThrow(/permission denied|append-only/);
    await expect(sql`DELETE FROM tender_interest WHERE tender_id = ${id}`.execute(db)).rejects.toThrow(/permission denied|append-only/);
    await expect(sql`DELETE FROM tender_interest WHERE tender_id = ${id}`.execute(ownerDb())).rejects.toThrow(/append-only/);
  });
});

describe("amendments", () => {
  async function withInterest() {
    const tender = await published();
    await db.transaction().execute((trx) => registerInterest(trx, { tenderId: tender.id, organisationId: world.providerA.organisationId }, at(NOW).a));
    await db.transaction().execute((trx) => registerInterest(trx, { tenderId: tender.id, organisationId: world.providerB.organisationId }, at(NOW).b));
    return tender;
  }

  it("need a reason, and a draft or a tender without changes cannot be amended", async () => {
    const { id, version } = await withInterest();
    const noReason = await refused((trx) => amendTender(trx, { tenderId: id, expectedVersion: version, reason: " ", details: { title: "New" } }, at(NOW).officer, LINKS));
    expect(noReason).toMatchObject({ field: "reason" });
    const nothing = await refused((trx) => amendTender(trx, { tenderId: id, expectedVersion: version, reason: "Tidy", details: {} }, at(NOW).officer, LINKS));
    expect(nothing.message).toMatch(/Change at least one thing/);
    const draft = await readyDraft();
    const onDraft = await refused((trx) => amendTender(trx, { tenderId: draft.id, expectedVersion: draft.version, reason: "x", details: { title: "New" } }, at(NOW).officer, LINKS));
    expect(onDraft.message).toMatch(/only a published tender is amended/);
  });

  it("are listed with their reason, audited once and emailed to every active user of every interested provider", async () => {
    const { id, version } = await withInterest();
    // Provider B loses interest; provider A's invited (not yet active) user is not emailed.
    await db.transaction().execute((trx) => withdrawInterest(trx, { tenderId: id, organisationId: world.providerB.organisationId }, at(NOW).b));
    const before = await emailCount();
    const { event } = await oneEvent((trx) =>
      amendTender(trx, { tenderId: id, expectedVersion: version, reason: "More time for site visits", details: { submissionDeadlineAt: "2027-02-15T12:00", intendedAwardOn: "2027-03-22" } }, at(NOW).officer, LINKS),
    );
    expect(event).toMatchObject({
      action: "tender.amended",
      reason: "More time for site visits",
      before: { "Submission deadline": "midday on Monday 8 February 2027", "Intended award date": "15 March 2027" },
      after: { "Submission deadline": "midday on Monday 15 February 2027", "Intended award date": "22 March 2027" },
    });
    const emails = await emailsAfter(before, "tender_amended");
    expect(emails.map((e) => e.to_address).sort()).toEqual([world.providerA.email, world.providerAColleague.email].sort());
    expect(emails[0]!.subject).toBe("Tender amended: Residential framework 2027");
    expect(emails[0]!.text).toContain("Reason: More time for site visits");
    expect(emails[0]!.text).toContain("Submission deadline: was midday on Monday 8 February 2027, now midday on Monday 15 February 2027");
    expect(emails[0]!.text).toContain(`http://portal.test/tenders/${id}`);
    const amendments = await listAmendments(db, id);
    expect(amendments).toHaveLength(1);
    expect(amendments[0]).toMatchObject({ number: 1, reason: "More time for site visits", changesSubmission: false, amendedBy: world.officer.name });
    expect(utcToUkTime((await getTender(db, id))!.tender.submission_deadline_at!)).toBe("2027-02-15T12:00");
  });

  it("refuse dates put out of order", async () => {
    const { id, version } = await withInterest();
    const error = await refused((trx) => amendTender(trx, { tenderId: id, expectedVersion: version, reason: "x", details: { clarificationDeadlineAt: "2027-02-09T09:00" } }, at(NOW).officer, LINKS));
    expect(error).toMatchObject({ field: "clarificationDeadlineAt", message: "The clarification deadline must be before the submission deadline" });
  });

  it("that change what providers submit within 7 days of the deadline are refused unless the deadline moves, proposing a date 7 days out", async () => {
    const { id, version } = await withInterest();
    const question = (await getQuestionnaire(db, id)).sections[0]!.questions[1]!;
    const close = new Date("2027-02-03T10:00:00Z"); // five days before the midday 8 February deadline
    const edit = { questionId: question.id, question: "Safeguarding, including online safety", wordLimit: 500 };
    const error = await refused((trx) => amendTender(trx, { tenderId: id, expectedVersion: version, reason: "Online safety", questions: [edit] }, at(close).officer, LINKS));
    expect(error).toBeInstanceOf(DeadlineMustMove);
    expect(error).toMatchObject({ field: "submissionDeadlineAt" });
    expect(utcToUkTime((error as DeadlineMustMove).proposedDeadline)).toBe("2027-02-10T12:00");
    expect(error.message).toContain("midday on Wednesday 10 February 2027");

    const tooShort = await refused((trx) =>
      amendTender(trx, { tenderId: id, expectedVersion: version, reason: "Online safety", questions: [edit], details: { submissionDeadlineAt: "2027-02-09T12:00" } }, at(close).officer, LINKS),
    );
    expect(tooShort).toBeInstanceOf(DeadlineMustMove);

    const before = await emailCount();
    const { event } = await oneEvent((trx) =>
      amendTender(
        trx,
        { tenderId: id, expectedVersion: version, reason: "Online safety", questions: [edit], details: { submissionDeadlineAt: "2027-02-10T12:00", intendedAwardOn: "2027-03-20" } },
        at(close).officer,
        LINKS,
      ),
    );
    expect(event.subjects).toEqual([
      { type: "tender", id },
      { type: "tender_question", id: question.id },
    ]);
    expect(event.after).toMatchObject({ "Question 1.2: Question": "Safeguarding, including online safety" });
    expect((await listAmendments(db, id))[0]).toMatchObject({ changesSubmission: true });
    const emails = await emailsAfter(before, "tender_amended");
    expect(emails).toHaveLength(3);
    expect(emails[0]!.text).toContain("What providers must submit has changed");
    expect((await getQuestionnaire(db, id)).sections[0]!.questions[1]!.question).toBe("Safeguarding, including online safety");
  });

  it("that change only wording of the notice may be made close to the deadline", async () => {
    const { id, version } = await withInterest();
    const close = new Date("2027-02-07T10:00:00Z");
    await oneEvent((trx) => amendTender(trx, { tenderId: id, expectedVersion: version, reason: "Typo", details: { summary: "Corrected summary" } }, at(close).officer, LINKS));
  });

  it("are refused once the deadline has passed", async () => {
    const { id, version } = await withInterest();
    const after = new Date("2027-02-08T12:00:00Z");
    const error = await refused((trx) => amendTender(trx, { tenderId: id, expectedVersion: version, reason: "Late", details: { submissionDeadlineAt: "2027-03-01T12:00" } }, at(after).officer, LINKS));
    expect(error.message).toMatch(/deadline has passed/);
  });

  it("cannot be rewritten afterwards", async () => {
    const { id, version } = await withInterest();
    await db.transaction().execute((trx) => amendTender(trx, { tenderId: id, expectedVersion: version, reason: "Why", details: { title: "Renamed" } }, at(NOW).officer, LINKS));
    await expect(sql`UPDATE tender_amendment SET reason = 'Other' WHERE tender_id = ${id}`.execute(db)).rejects.toThrow(/permission denied|append-only/);
  });
});

describe("cancelling", () => {
  it("needs a reason, emails every interested provider, keeps everything, and ends amendments", async () => {
    const { id, version } = await published();
    await db.transaction().execute((trx) => registerInterest(trx, { tenderId: id, organisationId: world.providerB.organisationId }, at(NOW).b));
    const noReason = await refused((trx) => cancelTender(trx, { tenderId: id, expectedVersion: version, reason: "" }, at(NOW).officer, LINKS));
    expect(noReason).toMatchObject({ field: "reason" });
    const before = await emailCount();
    const { event } = await oneEvent((trx) => cancelTender(trx, { tenderId: id, expectedVersion: version, reason: "Budget withdrawn" }, at(NOW).officer, LINKS));
    expect(event).toMatchObject({ action: "tender.cancelled", reason: "Budget withdrawn", after: { Status: "Cancelled" } });
    const emails = await emailsAfter(before, "tender_cancelled");
    expect(emails.map((e) => e.to_address)).toEqual([world.providerB.email]);
    expect(emails[0]!.text).toContain("Reason: Budget withdrawn");
    expect((await getTender(db, id))?.tender).toMatchObject({ status: "cancelled", cancellation_reason: "Budget withdrawn", cancelled_by: world.officer.userId });
    expect((await getQuestionnaire(db, id)).sections[0]!.questions).toHaveLength(2);
    const amend = await refused((trx) => amendTender(trx, { tenderId: id, expectedVersion: version + 1, reason: "x", details: { title: "y" } }, at(NOW).officer, LINKS));
    expect(amend.message).toMatch(/cancelled/);
    expect(await refused((trx) => cancelTender(trx, { tenderId: id, expectedVersion: version + 1, reason: "again" }, at(NOW).officer, LINKS))).toBeInstanceOf(ActionRefused);
  });
});

describe("open framework re-openings", () => {
  it("link to their framework, and publishing one moves the framework's next re-opening on 5 years from it", async () => {
    const framework = await published({ procedure: "open_framework", schemeStartOn: "2027-04-01" });
    expect((await getTender(db, framework.id))?.tender.next_reopening_due_on).toBe("2030-04-01");
    const reopening = await readyDraft({
      procedure: "open_framework",
      reopensTenderId: framework.id,
      publicationAt: "2029-05-01T09:00",
      clarificationDeadlineAt: "2029-05-15T17:00",
      submissionDeadlineAt: "2029-06-01T12:00",
      intendedAwardOn: "2029-07-01",
      intendedContractStartOn: "2029-08-01",
    });
    expect((await getTender(db, reopening.id))?.tender).toMatchObject({ scheme_start_on: "2027-04-01", reopens_tender_id: framework.id });
    const { event } = await oneEvent((trx) => publishTender(trx, { tenderId: reopening.id, expectedVersion: reopening.version }, at(NOW).officer));
    expect(event.subjects).toEqual([
      { type: "tender", id: reopening.id },
      { type: "tender", id: framework.id },
    ]);
    expect((await getTender(db, framework.id))?.tender.next_reopening_due_on).toBe("2034-05-01");
    expect(event.after).toMatchObject({ "Framework's next re-opening due": "1 May 2034" });
  });
});

describe("the audit trail after all of this", () => {
  it("tells each tender's story in order and still verifies", async () => {
    const { id, version } = await published();
    await db.transaction().execute((trx) => registerInterest(trx, { tenderId: id, organisationId: world.providerA.organisationId }, at(NOW).a));
    await db.transaction().execute((trx) => cancelTender(trx, { tenderId: id, expectedVersion: version, reason: "Replaced" }, at(NOW).officer, LINKS));
    const history = await tenderHistory(db, id);
    expect(history.map((e) => e.action)).toEqual([
      "tender.created",
      "tender.lots_chosen",
      "tender.section_added",
      "tender.question_added",
      "tender.question_added",
      "tender.price_schedule_set",
      "tender.price_schedule_set",
      "tender.published",
      "tender.interest_registered",
      "tender.cancelled",
    ]);
    expect((await verifyAuditTrail(db, { publicKey: null })).ok).toBe(true);
  });
});
