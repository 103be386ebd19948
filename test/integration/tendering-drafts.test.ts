import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { Trx } from "#app/database/schema";
import { createAgreement } from "#app/modules/agreements/agreements";
import { verifyAuditTrail } from "#app/modules/audit/verify";
import { ActionRefused, ConcurrentEditError, RecordNotFound } from "#app/modules/errors";
import { systemContext } from "#app/modules/identity/actor";
import {
  addQuestion,
  addSection,
  getQuestionnaire,
  moveQuestion,
  moveSection,
  removeQuestion,
  removeSection,
  setPriceSchedule,
  updateQuestion,
} from "#app/modules/tendering/questionnaires";
import { chooseLots, createTender, getTender, tenderHistory, updateTender, type TenderDetails } from "#app/modules/tendering/tenders";
import { auditHead } from "#test/support/audited";
import { useTestDatabase } from "#test/support/database";
import { buildTenderingWorld, contextOf, type TenderingWorld } from "#test/support/tendering";

const { db, ownerDb } = await useTestDatabase();
let world: TenderingWorld;
beforeAll(async () => {
  world = await buildTenderingWorld(db);
}, 60_000);

const NOW = new Date("2027-01-04T09:00:00Z");
const officer = () => contextOf(world.officer, NOW);

const headSeq = () => auditHead(db);

async function eventsAfter(seq: number) {
  return db.selectFrom("audit_event").select(["action", "summary", "subjects", "before", "after"]).where("seq", ">", seq).orderBy("seq").execute();
}

/** Runs one change and expects exactly one audit event from it. */
async function oneEvent<T>(work: (trx: Trx) => Promise<T>) {
  const start = await headSeq();
  const result = await db.transaction().execute(work);
  const events = await eventsAfter(start);
  expect(events).toHaveLength(1);
  return { result, event: events[0]! };
}

async function refused(work: (trx: Trx) => Promise<unknown>) {
  const start = await headSeq();
  const error = await db.transaction().execute(work).then(
    () => null,
    (e: unknown) => e,
  );
  expect(await headSeq()).toBe(start);
  return error as Error;
}

const details = (overrides: Partial<TenderDetails> = {}): TenderDetails => ({
  title: "Residential children's homes framework 2027",
  summary: "Placements in Ofsted-registered homes.",
  procedure: "open",
  lightTouch: true,
  publicationAt: "2027-01-11T09:00",
  clarificationDeadlineAt: "2027-01-25T17:00",
  submissionDeadlineAt: "2027-07-15T17:00",
  intendedAwardOn: "2027-08-01",
  intendedContractStartOn: "2027-09-01",
  ...overrides,
});

async function draft(overrides: Partial<TenderDetails> = {}, kind: keyof TenderingWorld["agreements"] = "residential_framework") {
  return db.transaction().execute((trx) => createTender(trx, { agreementId: world.agreements[kind].id, ...details(overrides) }, officer()));
}

async function version(tenderId: string) {
  return (await getTender(db, tenderId))!.tender.version;
}

describe("lots' price basis", () => {
  it("comes from the agreement's kind, for every kind of agreement", async () => {
    const rows = await db
      .selectFrom("lot")
      .innerJoin("agreement", "agreement.id", "lot.agreement_id")
      .select(["agreement.kind", "lot.price_basis"])
      .where("agreement.lead_council_id", "=", world.councilId)
      .execute();
    const basisOf = Object.fromEntries(rows.map((r) => [r.kind, r.price_basis]));
    expect(basisOf).toEqual({
      residential_framework: "weekly_fee_by_need_band",
      supported_living_framework: "hourly_support_and_weekly_accommodation",
      residential_block: "weekly_bed_price",
      short_breaks: "nightly_rate",
    });
    expect(rows).toHaveLength(8);
  });
});

describe("drafting a tender", () => {
  it("creates a draft with one audit event in words, keeping the officer's UK times as UTC", async () => {
    const { result, event } = await oneEvent((trx) => createTender(trx, { agreementId: world.agreements.residential_framework.id, ...details() }, officer()));
    const view = await getTender(db, result.id);
    expect(view?.tender).toMatchObject({ status: "draft", version: 1, created_by: world.officer.userId, legal_basis: "Procurement Act 2023, section 20(2)(a) (open procedure)" });
    // 5pm in July is British Summer Time: 4pm UTC. 9am in January is GMT.
    expect(view?.tender.submission_deadline_at?.toISOString()).toBe("2027-07-15T16:00:00.000Z");
    expect(view?.tender.publication_at?.toISOString()).toBe("2027-01-11T09:00:00.000Z");
    expect(event.action).toBe("tender.created");
    expect(event.subjects).toEqual([
      { type: "tender", id: result.id },
      { type: "agreement", id: world.agreements.residential_framework.id },
    ]);
    expect(event.after).toMatchObject({ Title: details().title, Procedure: "Open procedure", "Light-touch regime": "Applies", "Submission deadline": "5pm on Thursday 15 July 2027" });
  });

  it("refuses a deadline typed in the hour the clocks skip, naming the field, and writes nothing", async () => {
    const error = await refused((trx) => createTender(trx, { agreementId: world.agreements.residential_framework.id, ...details({ submissionDeadlineAt: "2027-03-28T01:15" }) }, officer()));
    expect(error).toBeInstanceOf(ActionRefused);
    expect((error as ActionRefused).field).toBe("submissionDeadlineAt");
  });

  it("records only what changed, before and after, and moves the version on", async () => {
    const { id } = await draft();
    const { event } = await oneEvent((trx) =>
      updateTender(trx, { tenderId: id, expectedVersion: 1, ...details({ submissionDeadlineAt: "2027-07-16T12:00", lightTouch: false }) }, officer()),
    );
    expect(event.action).toBe("tender.updated");
    expect(event.before).toEqual({ "Light-touch regime": "Applies", "Submission deadline": "5pm on Thursday 15 July 2027" });
    expect(event.after).toEqual({ "Light-touch regime": "Does not apply", "Submission deadline": "midday on Friday 16 July 2027" });
    expect(await version(id)).toBe(2);
  });

  it("refuses an update made on a page older than the tender, saying someone else changed it", async () => {
    const { id } = await draft();
    await db.transaction().execute((trx) => updateTender(trx, { tenderId: id, expectedVersion: 1, ...details({ title: "First edit" }) }, officer()));
    const error = await refused((trx) => updateTender(trx, { tenderId: id, expectedVersion: 1, ...details({ title: "Second edit" }) }, officer()));
    expect(error).toBeInstanceOf(ConcurrentEditError);
    expect(error.message).toMatch(/Someone else changed this tender/);
    expect((await getTender(db, id))?.tender.title).toBe("First edit");
  });

  it("lets exactly one of two simultaneous updates with the same version through, and tells the other", async () => {
    const { id } = await draft();
    const start = await headSeq();
    // The second starts while the first is still open, so both read the tender before either commits.
    let second: Promise<unknown> = Promise.resolve();
    await db.transaction().execute(async (trx) => {
      await updateTender(trx, { tenderId: id, expectedVersion: 1, ...details({ title: "Edit A" }) }, officer());
      second = db.transaction().execute((other) => updateTender(other, { tenderId: id, expectedVersion: 1, ...details({ title: "Edit B" }) }, officer()));
      second.catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 300));
    });
    await expect(second).rejects.toBeInstanceOf(ConcurrentEditError);
    expect(await eventsAfter(start)).toHaveLength(1);
    expect((await getTender(db, id))?.tender).toMatchObject({ title: "Edit A", version: 2 });
  });

  it("offers only lots of its own agreement, in the module and in the database", async () => {
    const { id } = await draft();
    const foreignLot = world.agreements.short_breaks.lotIds[0]!;
    const error = await refused((trx) => chooseLots(trx, { tenderId: id, expectedVersion: 1, lotIds: [world.agreements.residential_framework.lotIds[0]!, foreignLot] }, officer()));
    expect(error).toMatchObject({ field: "lotIds" });
    const agreementId = world.agreements.residential_framework.id;
    await expect(db.insertInto("tender_lot").values({ tender_id: id, lot_id: foreignLot, agreement_id: agreementId }).execute()).rejects.toThrow(/foreign key/);

    const { event } = await oneEvent((trx) => chooseLots(trx, { tenderId: id, expectedVersion: 1, lotIds: world.agreements.residential_framework.lotIds }, officer()));
    expect(event).toMatchObject({ action: "tender.lots_chosen", before: { "Lots on offer": [] }, after: { "Lots on offer": ["Lot 1", "Lot 2"] } });
    expect((await getTender(db, id))?.lots.map((l) => l.priceBasis)).toEqual(["weekly_fee_by_need_band", "weekly_fee_by_need_band"]);
  });

  it("only lets an open framework carry a scheme start, and fills its re-opening date by the rule", async () => {
    const error = await refused((trx) => createTender(trx, { agreementId: world.agreements.residential_framework.id, ...details({ schemeStartOn: "2027-04-01" }) }, officer()));
    expect(error).toMatchObject({ field: "procedure" });
    const { id } = await draft({ procedure: "open_framework", schemeStartOn: "2027-04-01" });
    expect((await getTender(db, id))?.tender).toMatchObject({ scheme_start_on: "2027-04-01", next_reopening_due_on: "2030-04-01" });
  });
});

describe("the questionnaire of a draft", () => {
  it("is built of ordered sections and questions, each change audited once, quality questions scaled 0 to 5 by default", async () => {
    const { id } = await draft();
    const [lot1, lot2] = world.agreements.residential_framework.lotIds as [string, string];
    await db.transaction().execute((trx) => chooseLots(trx, { tenderId: id, expectedVersion: 1, lotIds: [lot1, lot2] }, officer()));
    const s1 = (await oneEvent((trx) => addSection(trx, { tenderId: id, expectedVersion: 2, title: "Eligibility" }, officer()))).result;
    const s2 = (await oneEvent((trx) => addSection(trx, { tenderId: id, expectedVersion: 3, title: "Quality" }, officer()))).result;
    const ofsted = await oneEvent((trx) =>
      addQuestion(trx, { tenderId: id, expectedVersion: 4, sectionId: s1.id, kind: "pass_fail", question: "Are your homes registered with Ofsted?", evidenceRequired: "Ofsted registration certificate for each home" }, officer()),
    );
    expect(ofsted.event).toMatchObject({ action: "tender.question_added", summary: expect.stringContaining("question 1.1 (pass or fail)") });
    const safeguarding = await oneEvent((trx) =>
      addQuestion(
        trx,
        { tenderId: id, expectedVersion: 5, sectionId: s2.id, kind: "quality", question: "How do you keep children safe?", wordLimit: 750, minimumScore: 2, weights: [{ lotId: lot1, weight: 30 }, { lotId: lot2, weight: 40 }] },
        officer(),
      ),
    );
    expect(safeguarding.event.after).toMatchObject({
      "Word limit": 750,
      "Scoring scale": ["0 Unacceptable", "1 Poor", "2 Weak", "3 Satisfactory", "4 Good", "5 Excellent"],
      Weights: ["Lot 1: 30%", "Lot 2: 40%"],
    });
    await db.transaction().execute((trx) => addQuestion(trx, { tenderId: id, expectedVersion: 6, sectionId: s2.id, kind: "declaration", question: "I confirm the information given is true" }, officer()));

    // Reordering: the declaration first, then the quality section before eligibility.
    const declaration = (await getQuestionnaire(db, id)).sections[1]!.questions[1]!;
    await oneEvent((trx) => moveQuestion(trx, { tenderId: id, expectedVersion: 7, questionId: declaration.id, toPosition: 1 }, officer()));
    await oneEvent((trx) => moveSection(trx, { tenderId: id, expectedVersion: 8, sectionId: s2.id, toPosition: 1 }, officer()));
    const q = await getQuestionnaire(db, id);
    expect(q.sections.map((s) => s.title)).toEqual(["Quality", "Eligibility"]);
    expect(q.sections[0]!.questions.map((x) => [x.number, x.kind])).toEqual([
      ["1.1", "declaration"],
      ["1.2", "quality"],
    ]);
    expect(q.sections[0]!.questions[1]!.scale).toHaveLength(6);
    expect(await version(id)).toBe(9);
  });

  it("refuses a pass/fail question without its evidence, and weights for lots not on offer", async () => {
    const { id } = await draft();
    const s = await db.transaction().execute((trx) => addSection(trx, { tenderId: id, expectedVersion: 1, title: "Eligibility" }, officer()));
    const noEvidence = await refused((trx) => addQuestion(trx, { tenderId: id, expectedVersion: 2, sectionId: s.id, kind: "pass_fail", question: "Insurance?" }, officer()));
    expect(noEvidence).toMatchObject({ field: "evidenceRequired", message: "Enter the evidence required" });
    const notOffered = await refused((trx) =>
      addQuestion(trx, { tenderId: id, expectedVersion: 2, sectionId: s.id, kind: "quality", question: "Q", wordLimit: 100, weights: [{ lotId: world.agreements.residential_framework.lotIds[0]!, weight: 10 }] }, officer()),
    );
    expect(notOffered).toMatchObject({ field: "weights" });
  });

  it("really deletes a question or section of a never-published draft, keeping its words in the audit event", async () => {
    const { id } = await draft();
    const s = await db.transaction().execute((trx) => addSection(trx, { tenderId: id, expectedVersion: 1, title: "Quality" }, officer()));
    const first = await db.transaction().execute((trx) => addQuestion(trx, { tenderId: id, expectedVersion: 2, sectionId: s.id, kind: "quality", question: "Question one", wordLimit: 100 }, officer()));
    await db.transaction().execute((trx) => addQuestion(trx, { tenderId: id, expectedVersion: 3, sectionId: s.id, kind: "quality", question: "Question two", wordLimit: 100 }, officer()));
    const { event } = await oneEvent((trx) => removeQuestion(trx, { tenderId: id, expectedVersion: 4, questionId: first.id }, officer()));
    expect(event).toMatchObject({ action: "tender.question_removed", before: { Question: "Question one" } });
    expect(await db.selectFrom("tender_question_scale").select("score").where("question_id", "=", first.id).execute()).toEqual([]);
    const q = await getQuestionnaire(db, id);
    expect(q.sections[0]!.questions.map((x) => [x.number, x.question])).toEqual([["1.1", "Question two"]]);
    const gone = await oneEvent((trx) => removeSection(trx, { tenderId: id, expectedVersion: 5, sectionId: s.id }, officer()));
    expect(gone.event.summary).toMatch(/and its 1 question from draft tender/);
    expect((await getQuestionnaire(db, id)).sections).toEqual([]);
  });

  it("edits a question's wording and weights, recording only what changed", async () => {
    const { id } = await draft();
    const [lot1] = world.agreements.residential_framework.lotIds as [string];
    await db.transaction().execute((trx) => chooseLots(trx, { tenderId: id, expectedVersion: 1, lotIds: [lot1] }, officer()));
    const s = await db.transaction().execute((trx) => addSection(trx, { tenderId: id, expectedVersion: 2, title: "Quality" }, officer()));
    const q = await db.transaction().execute((trx) => addQuestion(trx, { tenderId: id, expectedVersion: 3, sectionId: s.id, kind: "quality", question: "Staffing", wordLimit: 500, weights: [{ lotId: lot1, weight: 20 }] }, officer()));
    const { event } = await oneEvent((trx) => updateQuestion(trx, { tenderId: id, expectedVersion: 4, questionId: q.id, question: "Staffing", wordLimit: 600, weights: [{ lotId: lot1, weight: 25 }] }, officer()));
    expect(event).toMatchObject({ action: "tender.question_changed", before: { "Word limit": 500, Weights: ["Lot 1: 20%"] }, after: { "Word limit": 600, Weights: ["Lot 1: 25%"] } });
  });

  it("prices each lot in its own price basis", async () => {
    const { id } = await draft({}, "supported_living_framework");
    const [lot1] = world.agreements.supported_living_framework.lotIds as [string];
    await db.transaction().execute((trx) => chooseLots(trx, { tenderId: id, expectedVersion: 1, lotIds: [lot1] }, officer()));
    const wrong = await refused((trx) => setPriceSchedule(trx, { tenderId: id, expectedVersion: 2, lotId: lot1, priceWeight: 40, items: [{ component: "weekly_fee", needBand: "Standard" }] }, officer()));
    expect(wrong).toMatchObject({ field: "items", message: expect.stringContaining("hourly support rate and weekly accommodation charge") });
    const { event } = await oneEvent((trx) =>
      setPriceSchedule(trx, { tenderId: id, expectedVersion: 2, lotId: lot1, priceWeight: 40, items: [{ component: "hourly_support_rate" }, { component: "weekly_accommodation_charge" }] }, officer()),
    );
    expect(event).toMatchObject({ action: "tender.price_schedule_set", after: { "Price weight": "40%", Prices: ["Hourly support rate", "Weekly accommodation charge"] } });
    const schedules = (await getQuestionnaire(db, id)).priceSchedules;
    expect(schedules[0]!.items.map((i) => [i.component, i.unit])).toEqual([
      ["hourly_support_rate", "hour"],
      ["weekly_accommodation_charge", "week"],
    ]);
  });

  it("needs a need band for each weekly fee of a residential framework lot", async () => {
    const { id } = await draft();
    const [lot1] = world.agreements.residential_framework.lotIds as [string];
    await db.transaction().execute((trx) => chooseLots(trx, { tenderId: id, expectedVersion: 1, lotIds: [lot1] }, officer()));
    const missing = await refused((trx) => setPriceSchedule(trx, { tenderId: id, expectedVersion: 2, lotId: lot1, priceWeight: 40, items: [{ component: "weekly_fee" }] }, officer()));
    expect(missing).toMatchObject({ field: "items", message: "Enter the need band" });
    const twice = await refused((trx) =>
      setPriceSchedule(trx, { tenderId: id, expectedVersion: 2, lotId: lot1, priceWeight: 40, items: [{ component: "weekly_fee", needBand: "Standard" }, { component: "weekly_fee", needBand: "standard" }] }, officer()),
    );
    expect(twice.message).toMatch(/listed twice/);
  });
});

describe("a new lot of an agreement made after migration 0009", () => {
  it("gets its price basis from its agreement without the agreement module knowing", async () => {
    const { lotIds } = await db.transaction().execute((trx) =>
      createAgreement(
        trx,
        {
          reference: "LATE-SB-1",
          kind: "short_breaks",
          title: "Late short breaks",
          leadCouncilId: world.councilId,
          participatingCouncilIds: [],
          termStart: "2028-01-01",
          termEnd: "2030-01-01",
          estimatedValuePence: 1000,
          lots: [{ number: 1, title: "Only lot", estimatedValuePence: 1000 }],
        },
        systemContext("test"),
      ),
    );
    expect((await db.selectFrom("lot").select("price_basis").where("id", "=", lotIds[0]!).executeTakeFirstOrThrow()).price_basis).toBe("nightly_rate");
  });
});

describe("a tender's history", () => {
  it("is every audit event naming it, oldest first, and the whole trail still verifies", async () => {
    const { id } = await draft();
    await db.transaction().execute((trx) => updateTender(trx, { tenderId: id, expectedVersion: 1, ...details({ title: "Renamed" }) }, officer()));
    await db.transaction().execute((trx) => addSection(trx, { tenderId: id, expectedVersion: 2, title: "Quality" }, officer()));
    const history = await tenderHistory(db, id);
    expect(history.map((e) => e.action)).toEqual(["tender.created", "tender.updated", "tender.section_added"]);
    const result = await verifyAuditTrail(db, { publicKey: null });
    expect(result.ok).toBe(true);
  });

  it("is empty for an id that is no tender, and a missing tender cannot be changed", async () => {
    expect(await tenderHistory(db, "00000000-0000-4000-8000-000000000000")).toEqual([]);
    const error = await refused((trx) => updateTender(trx, { tenderId: "00000000-0000-4000-8000-000000000000", expectedVersion: 1, ...details() }, officer()));
    expect(error).toBeInstanceOf(RecordNotFound);
  });
});

describe("the database itself", () => {
  it("refuses a tender cancelled without a reason, or published with dates out of order", async () => {
    const { id } = await draft();
    const owner = ownerDb();
    await expect(sql`UPDATE tender SET status = 'cancelled', cancelled_at = now() WHERE id = ${id}`.execute(owner)).rejects.toThrow(/check constraint/);
    await expect(
      sql`UPDATE tender SET status = 'published', published_at = now(), clarification_deadline_at = submission_deadline_at + interval '1 day' WHERE id = ${id}`.execute(owner),
    ).rejects.toThrow(/check constraint/);
  });
});
