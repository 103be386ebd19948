// The questionnaire builder's pages, called through their real loaders and
// actions against PostgreSQL: who may read and change them, the form's
// fields becoming questions and price schedules, every error at once, a
// stale save showing what is saved now, and a published tender refusing.
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "#app/modules/identity/actor";
import { systemContext } from "#app/modules/identity/actor";
import { createActiveUser } from "#app/modules/identity/users";
import { publishTender } from "#app/modules/tendering/publication";
import { addQuestion, addSection, getQuestionnaire, setPriceSchedule } from "#app/modules/tendering/questionnaires";
import { chooseLots, createTender, getTender, updateTender } from "#app/modules/tendering/tenders";
import * as overview from "#app/routes/tenders.$tenderId.questionnaire._index";
import * as priceSchedule from "#app/routes/tenders.$tenderId.questionnaire.prices.$lotId";
import * as changeQuestion from "#app/routes/tenders.$tenderId.questionnaire.questions.$questionId";
import * as newSection from "#app/routes/tenders.$tenderId.questionnaire.sections.new";
import * as removeSectionPage from "#app/routes/tenders.$tenderId.questionnaire.sections.$sectionId_.remove";
import * as newQuestion from "#app/routes/tenders.$tenderId.questionnaire.sections.$sectionId_.questions.new";
import { runAudited } from "#test/support/audited";
import { useTestDatabase } from "#test/support/database";
import { answer, loaderStatus, portalContext, post } from "#test/support/portal-context";
import { buildTenderingWorld, contextOf, type TenderingWorld } from "#test/support/tendering";

const { db } = await useTestDatabase();
let world: TenderingWorld;
let evaluator: Actor;

beforeAll(async () => {
  world = await buildTenderingWorld(db);
  const { id } = await db.transaction().execute((trx) =>
    createActiveUser(
      trx,
      { organisationId: world.councilId, email: "evaluator@fernvale.example", fullName: "Eve Evaluator", roles: ["evaluator"], password: "lantern-meadow-harbour" },
      systemContext("test"),
    ),
  );
  evaluator = { ...world.officer, userId: id, name: "Eve Evaluator", email: "evaluator@fernvale.example", roles: ["evaluator"] };
}, 60_000);

/** A draft tender for the agreement kind, its lots on offer, one empty section; its id, section and lots. */
async function draftTender(kind: keyof TenderingWorld["agreements"] = "supported_living_framework") {
  const agreement = world.agreements[kind];
  return db.transaction().execute(async (trx) => {
    const ctx = contextOf(world.officer);
    const { id } = await createTender(trx, { agreementId: agreement.id, title: `Questionnaire test ${kind}`, summary: "For the page tests.", procedure: "open", lightTouch: true }, ctx);
    await chooseLots(trx, { tenderId: id, expectedVersion: 1, lotIds: agreement.lotIds }, ctx);
    const section = await addSection(trx, { tenderId: id, expectedVersion: 2, title: "Quality" }, ctx);
    return { id, sectionId: section.id, lotIds: agreement.lotIds, version: 3 };
  });
}

const version = async (tenderId: string) => (await getTender(db, tenderId))!.tender.version;

const qualityFields = (lotIds: string[], overrides: Record<string, string | string[]> = {}) => ({
  kind: "quality",
  question: "How do you help young people move on?",
  guidance: "Examples from the last two years.",
  wordLimit: "500",
  minimumScore: "2",
  ...Object.fromEntries([0, 1, 2, 3, 4, 5].map((s) => [`descriptor-${s}`, s === 3 ? "Meets the requirement" : `Descriptor ${s}`])),
  [`weight-${lotIds[0]}`]: "35",
  [`weight-${lotIds[1]}`]: "",
  ...overrides,
});

describe("who may read and change a questionnaire", () => {
  it("the leading council's staff read it; only its commissioning officers may change it; other councils and providers are told it does not exist", async () => {
    const t = await draftTender();
    const path = `/tenders/${t.id}/questionnaire`;
    const read = (actor: Actor) => loaderStatus(() => overview.loader({ request: new Request(`http://portal.test${path}`), params: { tenderId: t.id }, context: portalContext(db, actor) }));
    const asOfficer = await read(world.officer);
    expect(asOfficer.status).toBe(200);
    expect(JSON.parse(asOfficer.body)).toMatchObject({ canEdit: true });
    const asEvaluator = await read(evaluator);
    expect(asEvaluator.status).toBe(200);
    expect(JSON.parse(asEvaluator.body)).toMatchObject({ canEdit: false });
    expect((await read(world.otherCouncilOfficer)).status).toBe(404);
    expect((await read(world.providerA)).status).toBe(404);
    expect((await loaderStatus(() => overview.loader({ request: new Request(`http://portal.test${path}`), params: { tenderId: "not-a-uuid" }, context: portalContext(db, world.officer) }))).status).toBe(404);

    const add = (actor: Actor) =>
      answer(() => newSection.action({ request: post(`${path}/sections/new`, { title: "Pricing", version: String(t.version) }), params: { tenderId: t.id }, context: portalContext(db, actor) }));
    expect((await add(evaluator)).status).toBe(403);
    expect((await add(world.otherCouncilOfficer)).status).toBe(404);
    expect((await add(world.providerA)).status).toBe(404);
    expect((await getQuestionnaire(db, t.id)).sections.map((s) => s.title)).toEqual(["Quality"]);
    const added = await add(world.officer);
    expect(added).toMatchObject({ status: 302, location: path });
    expect((await getQuestionnaire(db, t.id)).sections.map((s) => s.title)).toEqual(["Quality", "Pricing"]);
  });
});

describe("the question form", () => {
  it("adds a quality question from its fields: scale descriptors, a weight only for the lots given, one audit event", async () => {
    const t = await draftTender();
    const { events, value } = await runAudited(db, () =>
      answer(() =>
        newQuestion.action({
          request: post("/q", { ...qualityFields(t.lotIds), version: String(t.version) }),
          params: { tenderId: t.id, sectionId: t.sectionId },
          context: portalContext(db, world.officer),
        }),
      ),
    );
    expect(value?.status).toBe(302);
    expect(events.map((e) => e.action)).toEqual(["tender.question_added"]);
    const [question] = (await getQuestionnaire(db, t.id)).sections[0]!.questions;
    expect(question).toMatchObject({ kind: "quality", wordLimit: 500, minimumScore: 2, weights: [{ lotId: t.lotIds[0], weight: 35 }] });
    expect(question!.scale.map((s) => s.descriptor)).toEqual(["Descriptor 0", "Descriptor 1", "Descriptor 2", "Meets the requirement", "Descriptor 4", "Descriptor 5"]);
  });

  it("says everything wrong at once, beside each field, keeps what was typed and saves nothing", async () => {
    const t = await draftTender();
    const fields = qualityFields(t.lotIds, { question: " ", wordLimit: "lots", minimumScore: "-1", "descriptor-4": "", [`weight-${t.lotIds[1]}`]: "101", version: String(t.version) });
    const { events, value } = await runAudited(db, () =>
      answer(() => newQuestion.action({ request: post("/q", fields), params: { tenderId: t.id, sectionId: t.sectionId }, context: portalContext(db, world.officer) })),
    );
    expect(events).toEqual([]);
    expect(value?.status).toBe(400);
    expect(value?.data?.errors).toEqual({
      question: "Enter the question",
      wordLimit: "Word limit must be a whole number, like 750",
      minimumScore: "Minimum acceptable score must be a whole number, like 2",
      "descriptor-4": "Enter the descriptor for score 4",
      [`weight-${t.lotIds[1]}`]: "Weight for lot 2 must be from 1 to 100",
    });
    expect(value?.data).toMatchObject({ values: { wordLimit: "lots", weights: { [t.lotIds[1]!]: "101" } }, version: t.version });
    expect((await getQuestionnaire(db, t.id)).sections[0]!.questions).toEqual([]);
  });

  it("uses only the chosen kind's fields: a pass/fail question ignores a word limit typed without JavaScript, and stores its evidence one item a line", async () => {
    const t = await draftTender();
    const result = await answer(() =>
      newQuestion.action({
        request: post("/q", {
          kind: "pass_fail",
          question: "Is each home registered with Ofsted?",
          guidance: "",
          evidenceRequired: ["Ofsted registration", "Safeguarding policy", "Other"],
          evidenceOther: "Fire risk  assessment",
          wordLimit: "not a number",
          [`weight-${t.lotIds[0]}`]: "40",
          version: String(t.version),
        }),
        params: { tenderId: t.id, sectionId: t.sectionId },
        context: portalContext(db, world.officer),
      }),
    );
    expect(result.status).toBe(302);
    const [question] = (await getQuestionnaire(db, t.id)).sections[0]!.questions;
    expect(question).toMatchObject({ kind: "pass_fail", evidenceRequired: "Ofsted registration\nSafeguarding policy\nFire risk assessment", wordLimit: null, weights: [] });
  });

  it("a save from a page opened before a colleague's change is refused with the question as saved now and the version to save over it", async () => {
    const t = await draftTender();
    const { id: questionId } = await db.transaction().execute((trx) =>
      addQuestion(trx, { tenderId: t.id, expectedVersion: t.version, sectionId: t.sectionId, kind: "declaration", question: "I confirm this bid is true." }, contextOf(world.officer)),
    );
    const opened = await version(t.id);
    const save = (wording: string, v: number) =>
      answer(() =>
        changeQuestion.action({
          request: post("/q", { question: wording, guidance: "", version: String(v) }),
          params: { tenderId: t.id, questionId },
          context: portalContext(db, world.officer),
        }),
      );
    expect((await save("I confirm this bid is true and complete.", opened)).status).toBe(302);
    const { events, value: stale } = await runAudited(db, () => save("I confirm everything here is true.", opened));
    expect(events).toEqual([]);
    expect(stale?.status).toBe(409);
    expect(stale?.data?.errors.form).toMatch(/^The questionnaire has changed since you opened this page/);
    expect(stale?.data).toMatchObject({ values: { question: "I confirm everything here is true." }, latest: { question: "I confirm this bid is true and complete." }, version: opened + 1 });
    // Saving again with the version it was given applies the change knowingly.
    expect((await save("I confirm everything here is true.", stale?.data?.version as number)).status).toBe(302);
    expect((await getQuestionnaire(db, t.id)).sections[0]!.questions[0]!.question).toBe("I confirm everything here is true.");
  });

  it("a published tender's question cannot be changed from these pages: it goes by amendment", async () => {
    const t = await draftTender("short_breaks");
    const now = new Date();
    const day = (days: number) => new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);
    const questionId = await db.transaction().execute(async (trx) => {
      const ctx = contextOf(world.officer, now);
      const { id } = await addQuestion(
        trx,
        { tenderId: t.id, expectedVersion: t.version, sectionId: t.sectionId, kind: "quality", question: "How do you plan a short break?", wordLimit: 500, weights: t.lotIds.map((lotId) => ({ lotId, weight: 60 })) },
        ctx,
      );
      let v = t.version + 1;
      for (const lotId of t.lotIds) await setPriceSchedule(trx, { tenderId: t.id, expectedVersion: v++, lotId, priceWeight: 40, items: [{ component: "nightly_rate" }] }, ctx);
      await updateTender(
        trx,
        {
          tenderId: t.id,
          expectedVersion: v++,
          title: "Short breaks",
          summary: "Short breaks.",
          procedure: "open",
          lightTouch: true,
          publicationAt: `${day(0)}T00:00`,
          clarificationDeadlineAt: `${day(10)}T12:00`,
          submissionDeadlineAt: `${day(20)}T12:00`,
          intendedAwardOn: day(30),
          intendedContractStartOn: day(40),
        },
        ctx,
      );
      await publishTender(trx, { tenderId: t.id, expectedVersion: v }, ctx);
      return id;
    });
    const page = await loaderStatus(() =>
      changeQuestion.loader({ request: new Request("http://portal.test/q"), params: { tenderId: t.id, questionId }, context: portalContext(db, world.officer) }),
    );
    expect(JSON.parse(page.body)).toMatchObject({ canEdit: false, tender: { status: "published" } });
    const current = await version(t.id);
    const result = await answer(() =>
      changeQuestion.action({
        request: post("/q", { question: "Changed", guidance: "", wordLimit: "500", version: String(current) }),
        params: { tenderId: t.id, questionId },
        context: portalContext(db, world.officer),
      }),
    );
    expect(result.status).toBe(400);
    expect(result.data?.errors.form).toBe("This tender has been published, so it can only be changed by an amendment");
  });
});

describe("the price schedule form", () => {
  it("prices a residential lot by the need bands typed one a line, with the price weight", async () => {
    const t = await draftTender("residential_framework");
    const lotId = t.lotIds[0]!;
    const result = await answer(() =>
      priceSchedule.action({
        request: post("/p", { priceWeight: "40", needBands: "Standard\n\n  Enhanced \nSolo placement", version: String(t.version) }),
        params: { tenderId: t.id, lotId },
        context: portalContext(db, world.officer),
      }),
    );
    expect(result.status).toBe(302);
    const [schedule] = (await getQuestionnaire(db, t.id)).priceSchedules;
    expect(schedule).toMatchObject({ lotId, priceWeight: 40 });
    expect(schedule!.items.map((i) => [i.component, i.needBand])).toEqual([
      ["weekly_fee", "Standard"],
      ["weekly_fee", "Enhanced"],
      ["weekly_fee", "Solo placement"],
    ]);
  });

  it("refuses a weight that is not a whole number from 0 to 100 and a price outside the lot's basis, beside the fields", async () => {
    const t = await draftTender();
    const send = (fields: Record<string, string | string[]>) =>
      answer(() =>
        priceSchedule.action({ request: post("/p", { ...fields, version: String(t.version) }), params: { tenderId: t.id, lotId: t.lotIds[0]! }, context: portalContext(db, world.officer) }),
      );
    expect((await send({ priceWeight: "101", components: ["hourly_support_rate"] })).data?.errors).toEqual({ priceWeight: "Price weight must be from 0 to 100" });
    expect((await send({ priceWeight: "40%", components: [] })).data?.errors).toEqual({
      priceWeight: "Price weight must be a whole number, like 40",
      components: "Select at least one price to ask for",
    });
    const wrongBasis = await send({ priceWeight: "40", components: ["nightly_rate"] });
    expect(wrongBasis.status).toBe(400);
    expect(wrongBasis.data?.errors.components).toMatch(/^Lot 1 is priced as hourly support rate and weekly accommodation charge/);
    expect((await getQuestionnaire(db, t.id)).priceSchedules).toEqual([]);
  });
});

describe("moving and removing", () => {
  it("moves a section up from the overview's form; a move from a stale page moves nothing and says why", async () => {
    const t = await draftTender();
    const { id: second } = await db.transaction().execute((trx) => addSection(trx, { tenderId: t.id, expectedVersion: t.version, title: "Eligibility" }, contextOf(world.officer)));
    const move = (v: number) =>
      answer(() =>
        overview.action({
          request: post("/o", { intent: "move-section", id: second, to: "1", version: String(v) }),
          params: { tenderId: t.id },
          context: portalContext(db, world.officer),
        }),
      );
    const stale = await runAudited(db, () => move(t.version));
    expect(stale.events).toEqual([]);
    expect(stale.value?.status).toBe(409);
    expect(stale.value?.data?.errors.form).toMatch(/^Nothing was moved: the questionnaire had changed since you opened it/);
    expect((await getQuestionnaire(db, t.id)).sections.map((s) => s.title)).toEqual(["Quality", "Eligibility"]);
    const moved = await runAudited(db, () => move(t.version + 1));
    expect(moved.value).toMatchObject({ status: 302, location: `/tenders/${t.id}/questionnaire` });
    expect(moved.events.map((e) => e.action)).toEqual(["tender.section_moved"]);
    expect((await getQuestionnaire(db, t.id)).sections.map((s) => s.title)).toEqual(["Eligibility", "Quality"]);
    const nonsense = await answer(() =>
      overview.action({ request: post("/o", { intent: "delete-everything", id: second, to: "1", version: String(t.version + 2) }), params: { tenderId: t.id }, context: portalContext(db, world.officer) }),
    );
    expect(nonsense.status).toBe(400);
  });

  it("removes a section with its questions after the confirmation, in one audit event; a confirmation from a stale page shows the section as it is now", async () => {
    const t = await draftTender();
    await db.transaction().execute((trx) =>
      addQuestion(trx, { tenderId: t.id, expectedVersion: t.version, sectionId: t.sectionId, kind: "declaration", question: "I confirm." }, contextOf(world.officer)),
    );
    const confirm = (v: number) =>
      answer(() =>
        removeSectionPage.action({ request: post("/r", { version: String(v) }), params: { tenderId: t.id, sectionId: t.sectionId }, context: portalContext(db, world.officer) }),
      );
    const stale = await confirm(t.version);
    expect(stale.status).toBe(409);
    expect(stale.data).toMatchObject({ latest: { title: "Quality", questions: [{ number: "1.1", question: "I confirm." }] }, version: t.version + 1 });
    const removed = await runAudited(db, () => confirm(t.version + 1));
    expect(removed.value?.status).toBe(302);
    expect(removed.events.map((e) => [e.action, e.summary])).toEqual([["tender.section_removed", `Removed section 1 "Quality" and its 1 question from draft tender "Questionnaire test supported_living_framework"`]]);
    expect((await getQuestionnaire(db, t.id)).sections).toEqual([]);
  });

  it("a price schedule saved from a stale page shows the schedule as it is now", async () => {
    const t = await draftTender();
    const lotId = t.lotIds[0]!;
    await db.transaction().execute((trx) =>
      setPriceSchedule(trx, { tenderId: t.id, expectedVersion: t.version, lotId, priceWeight: 30, items: [{ component: "hourly_support_rate" }] }, contextOf(world.officer)),
    );
    const stale = await answer(() =>
      priceSchedule.action({
        request: post("/p", { priceWeight: "40", components: ["weekly_accommodation_charge"], version: String(t.version) }),
        params: { tenderId: t.id, lotId },
        context: portalContext(db, world.officer),
      }),
    );
    expect(stale.status).toBe(409);
    expect(stale.data).toMatchObject({ values: { priceWeight: "40" }, latest: { schedule: { priceWeight: 30, items: [{ component: "hourly_support_rate" }] } }, version: t.version + 1 });
    expect((await getQuestionnaire(db, t.id)).priceSchedules[0]).toMatchObject({ priceWeight: 30 });
  });
});
