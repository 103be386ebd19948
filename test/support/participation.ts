// A published two-stage competitive flexible tender for the tests: conditions
// of participation (a pass/fail question and a declaration in a
// participation-stage section), then a quality question (60%) and prices
// (40%) for the bid, built through the modules. useParticipationSuite gives a
// test file of conditions of participation (dynamic market applications or
// requests to participate) its database, the tendering world and a second
// commissioning officer.
import type { Kysely } from "kysely";
import { beforeAll } from "vitest";
import type { Database, Trx } from "#app/database/schema";
import { systemContext, type ActionContext, type Actor } from "#app/modules/identity/actor";
import { createActiveUser } from "#app/modules/identity/users";
import { chooseParticipationSections } from "#app/modules/tendering/participation";
import { publishTender } from "#app/modules/tendering/publication";
import { addQuestion, addSection, setPriceSchedule } from "#app/modules/tendering/questionnaires";
import { chooseLots, createTender } from "#app/modules/tendering/tenders";
import { useTestDatabase } from "./database";
import { buildTenderingWorld, contextOf, type TenderingWorld } from "./tendering";

/** When the suites' work happens unless a test says otherwise: both fixtures take applications and requests then. */
export const CONDITIONS_NOW = new Date("2027-01-05T10:00:00Z");

export async function useParticipationSuite() {
  const { db, ownerDb } = await useTestDatabase();
  const world = {} as TenderingWorld;
  /** A second commissioning officer of the council, for two officers deciding at once. */
  const secondOfficer = {} as Actor;
  const run = <T>(work: (trx: Trx) => Promise<T>) => db.transaction().execute(work);
  beforeAll(async () => {
    Object.assign(world, await buildTenderingWorld(db));
    const email = "second.officer@fernvale.example";
    const { id } = await run((trx) =>
      createActiveUser(trx, { organisationId: world.councilId, email, fullName: "Second Officer", roles: ["commissioning_officer"], password: "lantern-meadow-harbour" }, systemContext("test")),
    );
    Object.assign(secondOfficer, { ...world.officer, userId: id, name: "Second Officer", email });
  }, 60_000);
  return {
    db,
    ownerDb,
    world,
    secondOfficer,
    /** The actor's context at CONDITIONS_NOW (or `now`). */
    as: (actor: Actor, now = CONDITIONS_NOW) => contextOf(actor, now),
    run,
    /** The error the work throws, or null. */
    failure: (work: (trx: Trx) => Promise<unknown>) => run(work).then(() => null, (e: unknown) => e as Error),
  };
}

export interface TwoStageFixture {
  id: string;
  lotId: string;
  ofstedQuestionId: string;
  declarationId: string;
  qualityQuestionId: string;
}

/** UK times: requests close 25 January 2027 at noon, bids 15 February 2027 at noon. */
export const TWO_STAGE_TIMELINE = {
  publicationAt: "2027-01-04T09:00",
  clarificationDeadlineAt: "2027-01-20T12:00",
  participationDeadlineAt: "2027-01-25T12:00",
  submissionDeadlineAt: "2027-02-15T12:00",
  intendedAwardOn: "2027-03-01",
  intendedContractStartOn: "2027-04-01",
};

/**
 * A draft tender's "Conditions of participation" section: a pass/fail
 * question asking for Ofsted registration and a safeguarding declaration,
 * added at the tender's `version`; returns their ids and the version after.
 */
export async function addConditionsSection(trx: Trx, input: { tenderId: string; version: number; ofstedQuestion: string }, officer: ActionContext) {
  let version = input.version;
  const tenderId = input.tenderId;
  const section = await addSection(trx, { tenderId, expectedVersion: version++, title: "Conditions of participation" }, officer);
  const ofsted = await addQuestion(
    trx,
    { tenderId, expectedVersion: version++, sectionId: section.id, kind: "pass_fail", question: input.ofstedQuestion, evidenceRequired: "Ofsted registration" },
    officer,
  );
  const declaration = await addQuestion(trx, { tenderId, expectedVersion: version++, sectionId: section.id, kind: "declaration", question: "We will follow the council's safeguarding procedures." }, officer);
  return { sectionId: section.id, ofstedQuestionId: ofsted.id, declarationId: declaration.id, version };
}

/** Published at `now` (before the participation deadline). */
export async function publishedTwoStageTender(db: Kysely<Database>, world: TenderingWorld, now: Date): Promise<TwoStageFixture> {
  const officer = contextOf(world.officer, now);
  const lotId = world.agreements.residential_framework.lotIds[0]!;
  return db.transaction().execute(async (trx) => {
    const { id } = await createTender(
      trx,
      {
        agreementId: world.agreements.residential_framework.id,
        title: "Residential homes, two stages",
        procedure: "competitive_flexible",
        lightTouch: true,
        participationStage: true,
        ...TWO_STAGE_TIMELINE,
      },
      officer,
    );
    let version = 1;
    await chooseLots(trx, { tenderId: id, expectedVersion: version++, lotIds: [lotId] }, officer);
    const conditions = await addConditionsSection(trx, { tenderId: id, version, ofstedQuestion: "Is each home registered with Ofsted?" }, officer);
    version = conditions.version;
    const quality = await addSection(trx, { tenderId: id, expectedVersion: version++, title: "Quality" }, officer);
    const safeguarding = await addQuestion(
      trx,
      { tenderId: id, expectedVersion: version++, sectionId: quality.id, kind: "quality", question: "How do you keep children safe?", wordLimit: 500, minimumScore: 2, weights: [{ lotId, weight: 60 }] },
      officer,
    );
    await setPriceSchedule(trx, { tenderId: id, expectedVersion: version++, lotId, priceWeight: 40, items: [{ component: "weekly_fee", needBand: "Standard" }] }, officer);
    await chooseParticipationSections(trx, { tenderId: id, expectedVersion: version++, sectionIds: [conditions.sectionId] }, officer);
    await publishTender(trx, { tenderId: id, expectedVersion: version++ }, officer);
    return { id, lotId, ofstedQuestionId: conditions.ofstedQuestionId, declarationId: conditions.declarationId, qualityQuestionId: safeguarding.id };
  });
}
