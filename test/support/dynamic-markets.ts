// A published short-breaks dynamic market for the tests: two lots, conditions
// of participation (a pass/fail question and a declaration) and indicative
// nightly rates, built through the modules.
import type { Kysely } from "kysely";
import type { Database } from "#app/database/schema";
import { publishTender } from "#app/modules/tendering/publication";
import { addQuestion, addSection, setPriceSchedule } from "#app/modules/tendering/questionnaires";
import { chooseLots, createTender } from "#app/modules/tendering/tenders";
import { contextOf, type TenderingWorld } from "./tendering";

export interface MarketFixture {
  id: string;
  lotIds: string[];
  ofstedQuestionId: string;
  declarationId: string;
}

/** Published at `now`; the market ends (its tenderPeriod.endDate) a year later. */
export async function publishedDynamicMarket(db: Kysely<Database>, world: TenderingWorld, now: Date): Promise<MarketFixture> {
  const officer = contextOf(world.officer, now);
  const lotIds = world.agreements.short_breaks.lotIds;
  return db.transaction().execute(async (trx) => {
    const { id } = await createTender(
      trx,
      {
        agreementId: world.agreements.short_breaks.id,
        title: "Short breaks dynamic market",
        procedure: "dynamic_market",
        lightTouch: true,
        publicationAt: "2027-01-04T09:00",
        clarificationDeadlineAt: "2027-12-01T12:00",
        submissionDeadlineAt: "2028-01-04T12:00",
        intendedAwardOn: "2028-01-10",
        intendedContractStartOn: "2028-02-01",
      },
      officer,
    );
    let version = 1;
    await chooseLots(trx, { tenderId: id, expectedVersion: version++, lotIds }, officer);
    const s = await addSection(trx, { tenderId: id, expectedVersion: version++, title: "Conditions of participation" }, officer);
    const ofsted = await addQuestion(
      trx,
      { tenderId: id, expectedVersion: version++, sectionId: s.id, kind: "pass_fail", question: "Is each home registered with Ofsted for short breaks?", evidenceRequired: "Ofsted registration" },
      officer,
    );
    const declaration = await addQuestion(
      trx,
      { tenderId: id, expectedVersion: version++, sectionId: s.id, kind: "declaration", question: "We will follow the council's safeguarding procedures." },
      officer,
    );
    for (const lotId of lotIds) {
      await setPriceSchedule(trx, { tenderId: id, expectedVersion: version++, lotId, priceWeight: 100, items: [{ component: "nightly_rate" }] }, officer);
    }
    await publishTender(trx, { tenderId: id, expectedVersion: version++ }, officer);
    return { id, lotIds, ofstedQuestionId: ofsted.id, declarationId: declaration.id };
  });
}
