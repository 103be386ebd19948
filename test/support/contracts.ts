// A signed block or short-breaks contract for the contract tests, made the
// way the portal makes one: a tender on the world's block (or short breaks)
// agreement with one price a week per bed (or a night), provider A's bid,
// opened by two officers, recommended, approved, its notice's standstill
// over, the contract created and accepted by provider A.
import type { Kysely } from "kysely";
import type { Database, Trx } from "#app/database/schema";
import { decideAward } from "#app/modules/awards/decisions";
import { recommendationForTender, saveRecommendation, submitRecommendation } from "#app/modules/awards/recommendations";
import { createContracts, respondToContract } from "#app/modules/contracts/contracts";
import { createHome } from "#app/modules/homes/homes";
import type { Actor } from "#app/modules/identity/actor";
import { attachBidFile, chooseBidLots, getOwnBid, saveAnswer, setBidPrices, startBid } from "#app/modules/tendering/bids";
import { submitBid } from "#app/modules/tendering/bids-submission";
import { registerInterest } from "#app/modules/tendering/interest";
import { confirmOpening, requestOpening } from "#app/modules/tendering/opening";
import { publishTender } from "#app/modules/tendering/publication";
import { addQuestion, addSection, setPriceSchedule } from "#app/modules/tendering/questionnaires";
import { chooseLots, createTender } from "#app/modules/tendering/tenders";
import { AFTER_DEADLINE, AWARD_DECIDED, afterStandstill, publishNotice } from "./awards";
import { BID_NOW } from "./bids";
import { contextOf, type TenderingWorld } from "./tendering";

const LINKS = { baseUrl: "http://portal.test" };
/** When the contracts below are created, and (a day later) accepted. */
export const CONTRACT_CREATED = afterStandstill(AWARD_DECIDED);
export const CONTRACT_SIGNED = new Date(CONTRACT_CREATED.getTime() + 86_400_000);
/** The contracts run from 1 April 2027 to 31 March 2031. */
export const CONTRACT_START = "2027-04-01";
export const CONTRACT_END = "2031-03-31";

let made = 0;

/**
 * A block or short-breaks contract awarded to provider A at `pricePence` a
 * week per bed (or a night). Offered only, unless `accept` (the default).
 */
export async function awardedContract(
  db: Kysely<Database>,
  world: TenderingWorld,
  staff: { secondOfficer: Actor; chief_officer: Actor },
  options: { kind: "residential_block" | "short_breaks"; pricePence?: number; accept?: boolean },
): Promise<{ contractId: string; tenderId: string }> {
  const n = ++made;
  const run = <T>(work: (trx: Trx) => Promise<T>) => db.transaction().execute(work);
  const agreement = world.agreements[options.kind];
  const lot = agreement.lotIds[0]!;
  const officer = contextOf(world.officer, BID_NOW);
  const tenderId = await run(async (trx) => {
    const { id } = await createTender(
      trx,
      {
        agreementId: agreement.id,
        title: `${options.kind === "residential_block" ? "Block beds" : "Short breaks"} ${n}`,
        procedure: "open",
        lightTouch: true,
        publicationAt: "2027-01-04T08:00",
        clarificationDeadlineAt: "2027-01-25T17:00",
        submissionDeadlineAt: "2027-02-08T12:00",
        intendedAwardOn: "2027-03-15",
        intendedContractStartOn: CONTRACT_START,
      },
      officer,
    );
    let v = 1;
    await chooseLots(trx, { tenderId: id, expectedVersion: v++, lotIds: [lot] }, officer);
    const s = await addSection(trx, { tenderId: id, expectedVersion: v++, title: "Quality" }, officer);
    await addQuestion(trx, { tenderId: id, expectedVersion: v++, sectionId: s.id, kind: "pass_fail", question: "Is each home registered?", evidenceRequired: "Certificates" }, officer);
    await addQuestion(trx, { tenderId: id, expectedVersion: v++, sectionId: s.id, kind: "quality", question: "How do you keep children safe?", wordLimit: 100, minimumScore: 2, weights: [{ lotId: lot, weight: 60 }] }, officer);
    await addQuestion(trx, { tenderId: id, expectedVersion: v++, sectionId: s.id, kind: "declaration", question: "The bid is true." }, officer);
    await setPriceSchedule(
      trx,
      { tenderId: id, expectedVersion: v++, lotId: lot, priceWeight: 40, items: [{ component: options.kind === "residential_block" ? "weekly_bed_price" : "nightly_rate" }] },
      officer,
    );
    await publishTender(trx, { tenderId: id, expectedVersion: v++ }, officer);
    return id;
  });
  const p = contextOf(world.providerA, BID_NOW);
  await run((trx) => registerInterest(trx, { tenderId, organisationId: world.providerA.organisationId }, p));
  await run((trx) => startBid(trx, { tenderId }, p));
  let bid = (await getOwnBid(db, tenderId, world.providerA))!;
  await run((trx) => chooseBidLots(trx, { tenderId, expectedVersion: bid.bid.version, lotIds: [lot] }, p));
  bid = (await getOwnBid(db, tenderId, world.providerA))!;
  for (const q of bid.sections.flatMap((x) => x.questions).filter((x) => x.applies)) {
    if (q.kind === "pass_fail") {
      await run((trx) => saveAnswer(trx, { tenderId, questionId: q.id, expectedVersion: 0, meetsRequirement: true }, p));
      await run((trx) => attachBidFile(trx, { tenderId, questionId: q.id, file: { fileName: "registration.pdf", contents: Buffer.from("%PDF-1.4\n%registration\n"), ownerOrganisationId: world.providerA.organisationId } }, p));
    } else if (q.kind === "quality") {
      await run((trx) => saveAnswer(trx, { tenderId, questionId: q.id, expectedVersion: 0, answerText: "Named keyworkers" }, p));
    } else {
      await run((trx) => saveAnswer(trx, { tenderId, questionId: q.id, expectedVersion: 0, declared: true }, p));
    }
  }
  bid = (await getOwnBid(db, tenderId, world.providerA))!;
  await run((trx) => setBidPrices(trx, { tenderId, expectedVersion: bid.bid.version, prices: bid.prices.map((x) => ({ priceItemId: x.id, amountPence: options.pricePence ?? 350_000 })) }, p));
  await run((trx) => submitBid(trx, { tenderId, declarationConfirmed: true }, p, LINKS));
  await run((trx) => requestOpening(trx, { tenderId }, contextOf(world.officer, AFTER_DEADLINE)));
  await run((trx) => confirmOpening(trx, { tenderId }, contextOf(staff.secondOfficer, AFTER_DEADLINE)));

  const deciding = contextOf(world.officer, AWARD_DECIDED);
  const saved = await run((trx) =>
    saveRecommendation(
      trx,
      {
        tenderId,
        expectedVersion: 0,
        lots: [{ lotId: lot, bidIds: [bid.bid.id] }],
        evaluationSummary: "The only bid passed every check.",
        valuePence: 100_000_00,
        budgetLine: "Children's placements 2027/28",
        risks: "One provider.",
        alternatives: "Spot purchasing, rejected as dearer.",
      },
      deciding,
    ),
  );
  await run((trx) => submitRecommendation(trx, { tenderId, expectedVersion: saved.version }, deciding, LINKS));
  const rec = (await recommendationForTender(db, tenderId, world.officer)).recommendation!;
  await run((trx) => decideAward(trx, { recommendationId: rec.id, outcome: "approved", reasons: "Best value", conditions: "" }, contextOf(staff.chief_officer, AWARD_DECIDED), LINKS));
  await publishNotice(db, world, tenderId, AWARD_DECIDED);
  const { ids } = await run((trx) =>
    createContracts(trx, { tenderId, startOn: CONTRACT_START, termMonths: 48, values: [{ lotId: lot, bidId: bid.bid.id, valuePence: 900_000_00 }] }, contextOf(world.officer, CONTRACT_CREATED), LINKS),
  );
  const contractId = ids[0]!;
  if (options.accept !== false) {
    await run((trx) => respondToContract(trx, { contractId, expectedVersion: 1, response: "accept" }, contextOf(world.providerA, CONTRACT_SIGNED), LINKS));
  }
  return { contractId, tenderId };
}

/** A home of the provider with this many registered places. */
export async function homeOf(db: Kysely<Database>, provider: Actor, name: string, places: number, serviceType: "childrens_home" | "short_breaks" = "childrens_home"): Promise<string> {
  const { id } = await db.transaction().execute((trx) =>
    createHome(trx, { organisationId: provider.organisationId, name, serviceType, registeredPlaces: places, postcodeDistrict: "EX4" }, contextOf(null, BID_NOW)),
  );
  return id;
}
