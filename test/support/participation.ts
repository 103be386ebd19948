// A published two-stage competitive flexible tender for the tests: conditions
// of participation (a pass/fail question and a declaration in a
// participation-stage section), then a quality question (60%) and prices
// (40%) for the bid, built through the modules.
import type { Kysely } from "kysely";
import type { Database } from "#app/database/schema";
import { chooseParticipationSections } from "#app/modules/tendering/participation";
import { publishTender } from "#app/modules/tendering/publication";
import { addQuestion, addSection, setPriceSchedule } from "#app/modules/tendering/questionnaires";
import { chooseLots, createTender } from "#app/modules/tendering/tenders";
import { contextOf, type TenderingWorld } from "./tendering";

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
    const conditions = await addSection(trx, { tenderId: id, expectedVersion: version++, title: "Conditions of participation" }, officer);
    const ofsted = await addQuestion(
      trx,
      { tenderId: id, expectedVersion: version++, sectionId: conditions.id, kind: "pass_fail", question: "Is each home registered with Ofsted?", evidenceRequired: "Ofsted registration" },
      officer,
    );
    const declaration = await addQuestion(
      trx,
      { tenderId: id, expectedVersion: version++, sectionId: conditions.id, kind: "declaration", question: "We will follow the council's safeguarding procedures." },
      officer,
    );
    const quality = await addSection(trx, { tenderId: id, expectedVersion: version++, title: "Quality" }, officer);
    const safeguarding = await addQuestion(
      trx,
      { tenderId: id, expectedVersion: version++, sectionId: quality.id, kind: "quality", question: "How do you keep children safe?", wordLimit: 500, minimumScore: 2, weights: [{ lotId, weight: 60 }] },
      officer,
    );
    await setPriceSchedule(trx, { tenderId: id, expectedVersion: version++, lotId, priceWeight: 40, items: [{ component: "weekly_fee", needBand: "Standard" }] }, officer);
    await chooseParticipationSections(trx, { tenderId: id, expectedVersion: version++, sectionIds: [conditions.id] }, officer);
    await publishTender(trx, { tenderId: id, expectedVersion: version++ }, officer);
    return { id, lotId, ofstedQuestionId: ofsted.id, declarationId: declaration.id, qualityQuestionId: safeguarding.id };
  });
}
