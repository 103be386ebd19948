// An opened tender for the award tests: the bid tender of bids.ts, both
// providers submitting for lot 1, opened by two officers after the deadline.
import type { Kysely } from "kysely";
import type { Database, Trx } from "#app/database/schema";
import { publishAwardNotice } from "#app/modules/awards/award-notice";
import { decideAward } from "#app/modules/awards/decisions";
import { recommendationForTender, saveRecommendation, submitRecommendation } from "#app/modules/awards/recommendations";
import type { Actor } from "#app/modules/identity/actor";
import { attachBidFile, chooseBidLots, saveAnswer, setBidPrices, startBid } from "#app/modules/tendering/bids";
import { submitBid } from "#app/modules/tendering/bids-submission";
import { confirmOpening, requestOpening } from "#app/modules/tendering/opening";
import { BID_DEADLINE, BID_NOW, publishedBidTender, registerBothProviders, type BidTender } from "./bids";
import { contextOf, type TenderingWorld } from "./tendering";

/** A minute after the bid tenders' deadline. */
export const AFTER_DEADLINE = new Date(BID_DEADLINE.getTime() + 60_000);

export interface OpenedTender extends BidTender {
  bidA: string;
  bidB: string;
}

/** `staff.secondOfficer`, a commissioning officer of the same council as `world.officer`, confirms the opening. */
export async function openedTender(db: Kysely<Database>, world: TenderingWorld, staff: { secondOfficer: Actor }, options: { lightTouch?: boolean } = {}): Promise<OpenedTender> {
  const t = await publishedBidTender(db, world, options);
  await registerBothProviders(db, world, t.id);
  const run = <T>(work: (trx: Trx) => Promise<T>) => db.transaction().execute(work);
  const bid = async (actor: Actor, pence: number, words: string) => {
    const a = contextOf(actor, BID_NOW);
    const { id } = await run((trx) => startBid(trx, { tenderId: t.id }, a));
    await run((trx) => chooseBidLots(trx, { tenderId: t.id, expectedVersion: 1, lotIds: [t.lot1] }, a));
    await run((trx) => saveAnswer(trx, { tenderId: t.id, questionId: t.q.passFail, expectedVersion: 0, meetsRequirement: true }, a));
    await run((trx) =>
      attachBidFile(trx, { tenderId: t.id, questionId: t.q.passFail, file: { fileName: "registration.pdf", contents: Buffer.from("%PDF-1.4\n%registration\n"), ownerOrganisationId: actor.organisationId } }, a),
    );
    await run((trx) => saveAnswer(trx, { tenderId: t.id, questionId: t.q.quality, expectedVersion: 0, answerText: words }, a));
    await run((trx) => saveAnswer(trx, { tenderId: t.id, questionId: t.q.declaration, expectedVersion: 0, declared: true }, a));
    await run((trx) => setBidPrices(trx, { tenderId: t.id, expectedVersion: 2, prices: [{ priceItemId: t.prices.standard, amountPence: pence }, { priceItemId: t.prices.enhanced, amountPence: pence + 100_000 }] }, a));
    await run((trx) => submitBid(trx, { tenderId: t.id, declarationConfirmed: true }, a, { baseUrl: "http://portal.test" }));
    return id;
  };
  const bidA = await bid(world.providerA, 450_000, "Named keyworkers and nightly safety reviews");
  const bidB = await bid(world.providerB, 480_000, "Therapeutic care with weekly reflective practice");
  await run((trx) => requestOpening(trx, { tenderId: t.id }, contextOf(world.officer, AFTER_DEADLINE)));
  await run((trx) => confirmOpening(trx, { tenderId: t.id }, contextOf(staff.secondOfficer, AFTER_DEADLINE)));
  return { ...t, bidA, bidB };
}

/** A day after the deadline: when the awards below are recommended and decided. */
export const AWARD_DECIDED = new Date(AFTER_DEADLINE.getTime() + 86_400_000);

/**
 * An opened tender whose recommendation (lot 1 to provider A, £120,000,
 * below the default key-decision threshold) the Chief Officer has approved,
 * or only submitted when `decided` is false.
 */
export async function approvedAward(
  db: Kysely<Database>,
  world: TenderingWorld,
  staff: { secondOfficer: Actor; chief_officer: Actor },
  options: { lightTouch: boolean; decided?: boolean },
): Promise<OpenedTender> {
  const t = await openedTender(db, world, staff);
  if (!options.lightTouch) await db.updateTable("tender").set({ light_touch: false }).where("id", "=", t.id).execute();
  const run = <T>(work: (trx: Trx) => Promise<T>) => db.transaction().execute(work);
  const links = { baseUrl: "http://portal.test" };
  const as = contextOf(world.officer, AWARD_DECIDED);
  await run((trx) =>
    saveRecommendation(
      trx,
      {
        tenderId: t.id,
        expectedVersion: 0,
        lots: [{ lotId: t.lot1, bidIds: [t.bidA] }],
        evaluationSummary: "Harbour ranked first on quality and price.",
        valuePence: 120_000_00,
        budgetLine: "Children's placements 2027/28",
        risks: "Thin capacity in the west.",
        alternatives: "Spot purchasing, rejected as dearer.",
      },
      as,
    ),
  );
  await run((trx) => submitRecommendation(trx, { tenderId: t.id, expectedVersion: 1 }, as, links));
  if (options.decided !== false) {
    const rec = (await recommendationForTender(db, t.id, world.officer)).recommendation!;
    await run((trx) => decideAward(trx, { recommendationId: rec.id, outcome: "approved", reasons: "Best value", conditions: "" }, contextOf(staff.chief_officer, AWARD_DECIDED), links));
  }
  return t;
}

/**
 * Publishes the contract award notice of an approved award at `at`, with the
 * standstill of 8 working days (voluntary under the light-touch regime), so
 * the award may proceed to contracts once `afterStandstill(at)` has come.
 */
export async function publishNotice(db: Kysely<Database>, world: TenderingWorld, tenderId: string, at: Date): Promise<void> {
  await db.transaction().execute((trx) =>
    publishAwardNotice(trx, { tenderId, standstill: "apply", workingDays: 8, reason: "A standstill as for any award of this size" }, contextOf(world.officer, at), { baseUrl: "http://portal.test" }),
  );
}

/** Three weeks on: past any 8-working-day standstill begun at `at`, bank holidays included. */
export const afterStandstill = (at: Date): Date => new Date(at.getTime() + 21 * 86_400_000);

