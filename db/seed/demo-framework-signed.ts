// The demo's earlier tender, carried all the way (issue 10): a call for
// providers to lot 1 of the residential framework that closed about thirteen
// months before seeding, with bids from Harbour Light and Moorland Care,
// opened by two officers; Priya Shah recommends admitting both (a key
// decision), the Portfolio Holder supports it, the Chief Officer approves;
// the contract award notice's voluntary standstill runs out without a
// challenge; Priya creates a framework agreement with each provider, both
// providers accept, and the contract details notices are recorded. Every step
// goes through the modules with the moment it happened, so the audit trail
// and the OCDS releases tell the same story.
import type { Kysely } from "kysely";
import type { Database } from "#app/database/schema";
import { publishAwardNotice } from "#app/modules/awards/award-notice";
import { decideAward, recordConsultation } from "#app/modules/awards/decisions";
import { recommendationForTender, saveRecommendation, submitRecommendation } from "#app/modules/awards/recommendations";
import { ukDate } from "#app/modules/common/input";
import { createContracts, recordNoticePublished, respondToContract } from "#app/modules/contracts/contracts";
import { seedOpenedShortBreaksTender } from "./demo-awards";

const DAY = 86_400_000;
export const DEMO_SIGNED_FRAMEWORK_TENDER_TITLE = "Residential children's homes, Standard and Enhanced needs: interim call for providers 2025 to 2027";

export async function seedDemoFrameworkSigned(db: Kysely<Database>, now: Date, options: { baseUrl?: string } = {}): Promise<void> {
  const links = { baseUrl: options.baseUrl ?? "http://localhost:3000" };
  // The tender's own clock: it closed 3 days before `opened`, about thirteen months ago.
  const opened = new Date(now.getTime() - 400 * DAY);
  const at = (days: number) => new Date(opened.getTime() + days * DAY);
  const { tenderId, lotId, harbourBidId, run, as } = await seedOpenedShortBreaksTender(db, opened, {
    title: DEMO_SIGNED_FRAMEWORK_TENDER_TITLE,
    summary: "An interim call for providers of residential children's homes for children with standard and enhanced needs, until the 2027 framework starts.",
    lotNumber: 1,
    links,
    agreement: {
      reference: "SWPPC-RES-2027",
      eligibility: "Is each home you offer registered with Ofsted as a children's home?",
      quality: "How will you keep children's placements stable, and avoid unplanned endings?",
      priceItems: [
        { component: "weekly_fee", needBand: "Standard" },
        { component: "weekly_fee", needBand: "Enhanced" },
      ],
    },
  });
  const moorlandBidId = (
    await db
      .selectFrom("bid")
      .innerJoin("organisation", "organisation.id", "bid.organisation_id")
      .select("bid.id")
      .where("bid.tender_id", "=", tenderId)
      .where("organisation.name", "=", "Moorland Care Group Ltd")
      .executeTakeFirstOrThrow()
  ).id;

  const priya = (days: number, step: string) => as("officer@westmoor.example", at(days), `framework-signed:${step}`);
  const recommending = await priya(1, "recommendation");
  const saved = await run((trx) =>
    saveRecommendation(
      trx,
      {
        tenderId,
        expectedVersion: 0,
        lots: [{ lotId, bidIds: [harbourBidId, moorlandBidId] }],
        evaluationSummary: "Both bids passed every compliance check and met the minimum quality score, so the framework admits both providers.",
        valuePence: 2_400_000_00,
        budgetLine: "Children's placements 2025/26 to 2026/27, cost centre 4410",
        risks: "Two providers only: if either leaves, children may be placed further from home until the 2027 framework starts.",
        alternatives: "Spot purchasing until 2027, rejected as dearer with no quality checks.",
      },
      recommending,
    ),
  );
  await run((trx) => submitRecommendation(trx, { tenderId, expectedVersion: saved.version }, recommending, links));
  const recommendation = (await recommendationForTender(db, tenderId, recommending.actor)).recommendation!;
  await run(async (trx) =>
    recordConsultation(
      trx,
      { recommendationId: recommendation.id, response: "support", comments: "" },
      await as("portfolio.holder@westmoor.example", at(2), "framework-signed:consultation"),
      links,
    ),
  );
  await run(async (trx) =>
    decideAward(
      trx,
      { recommendationId: recommendation.id, outcome: "approved", reasons: "Both providers meet the framework's standards, and the value is within the placements budget.", conditions: "" },
      await as("chief.officer@westmoor.example", at(3), "framework-signed:decision"),
      links,
    ),
  );
  const notice = await priya(4, "notice");
  await run((trx) =>
    publishAwardNotice(trx, { tenderId, standstill: "apply", workingDays: 8, reason: "A voluntary standstill, as for any framework award of this value." }, notice, links),
  );

  // Standstill over with no challenge: the agreements, from the first of the next month, for two years.
  const creating = await priya(20, "contracts");
  const startOn = ukDate(at(30));
  const { ids } = await run((trx) =>
    createContracts(
      trx,
      {
        tenderId,
        startOn,
        termMonths: 24,
        values: [
          { lotId, bidId: harbourBidId, valuePence: 1_300_000_00 },
          { lotId, bidId: moorlandBidId, valuePence: 1_100_000_00 },
        ],
      },
      creating,
      links,
    ),
  );
  const providers = new Map([
    [harbourBidId, "provider@harbour-light.example"],
    [moorlandBidId, "provider@moorland-care.example"],
  ]);
  for (const [i, id] of ids.entries()) {
    const contract = await db.selectFrom("contract").select(["bid_id", "version"]).where("id", "=", id).executeTakeFirstOrThrow();
    const accepting = await as(providers.get(contract.bid_id)!, at(22 + i), "framework-signed:acceptance");
    await run((trx) => respondToContract(trx, { contractId: id, expectedVersion: contract.version, response: "accept" }, accepting, links));
    const signed = await db.selectFrom("contract").select("version").where("id", "=", id).executeTakeFirstOrThrow();
    await run(async (trx) => recordNoticePublished(trx, { contractId: id, expectedVersion: signed.version, publishedOn: ukDate(at(40)) }, await priya(41, "contract-notice")));
  }
}
