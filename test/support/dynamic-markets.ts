// A published short-breaks dynamic market for the tests: two lots, conditions
// of participation (a pass/fail question and a declaration) and indicative
// nightly rates, built through the modules.
import type { Kysely } from "kysely";
import type { Database } from "#app/database/schema";
import { publishTender } from "#app/modules/tendering/publication";
import { addQuestion, addSection, setPriceSchedule } from "#app/modules/tendering/questionnaires";
import { startCallOff } from "#app/modules/tendering/dynamic-markets";
import { chooseLots, createTender, updateTender } from "#app/modules/tendering/tenders";
import { addConditionsSection } from "./participation";
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
    const conditions = await addConditionsSection(trx, { tenderId: id, version, ofstedQuestion: "Is each home registered with Ofsted for short breaks?" }, officer);
    version = conditions.version;
    for (const lotId of lotIds) {
      await setPriceSchedule(trx, { tenderId: id, expectedVersion: version++, lotId, priceWeight: 100, items: [{ component: "nightly_rate" }] }, officer);
    }
    await publishTender(trx, { tenderId: id, expectedVersion: version++ }, officer);
    return { id, lotIds, ofstedQuestionId: conditions.ofstedQuestionId, declarationId: conditions.declarationId };
  });
}

/**
 * A call-off competition under the market's first lot, started and published
 * through the modules at `now` (its dates follow `now`); returns its id.
 */
export async function publishedCallOff(db: Kysely<Database>, world: TenderingWorld, market: MarketFixture, now: Date, title = "Weekend short breaks, spring 2027"): Promise<string> {
  const officer = contextOf(world.officer, now);
  const lotId = market.lotIds[0]!;
  return db.transaction().execute(async (trx) => {
    const { id } = await startCallOff(trx, { marketTenderId: market.id, lotId, title }, officer);
    const at = (days: number) => new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 16);
    await updateTender(
      trx,
      {
        tenderId: id,
        expectedVersion: 2,
        title,
        procedure: "dynamic_market",
        lightTouch: true,
        publicationAt: at(0),
        clarificationDeadlineAt: at(14),
        submissionDeadlineAt: at(28),
        intendedAwardOn: at(35).slice(0, 10),
        intendedContractStartOn: at(56).slice(0, 10),
      },
      officer,
    );
    const s = await addSection(trx, { tenderId: id, expectedVersion: 3, title: "Quality" }, officer);
    await addQuestion(trx, { tenderId: id, expectedVersion: 4, sectionId: s.id, kind: "quality", question: "Activities offered", wordLimit: 300, weights: [{ lotId, weight: 60 }] }, officer);
    await setPriceSchedule(trx, { tenderId: id, expectedVersion: 5, lotId, priceWeight: 40, items: [{ component: "nightly_rate" }] }, officer);
    await publishTender(trx, { tenderId: id, expectedVersion: 6 }, officer);
    return id;
  });
}
