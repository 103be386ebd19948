// The demo's award after the decision, built through the modules so every
// step is audited: a short breaks tender for lot 2 (west), opened like the
// award demo's, with Priya Shah's recommendation (below the key-decision
// threshold) approved by the Chief Officer, and the contract award notice
// published with a voluntary standstill of 8 working days that ends in the future.
import type { Kysely } from "kysely";
import type { Database } from "#app/database/schema";
import { publishAwardNotice } from "#app/modules/awards/award-notice";
import { decideAward } from "#app/modules/awards/decisions";
import { recommendationForTender, saveRecommendation, submitRecommendation } from "#app/modules/awards/recommendations";
import { seedOpenedShortBreaksTender } from "./demo-awards";

const HOUR = 3_600_000;
export const DEMO_AWARD_NOTICE_TENDER_TITLE = "Residential short breaks, west: a home in Tamarmouth for 2027 to 2032";

export async function seedDemoAwardNotice(db: Kysely<Database>, now: Date, options: { baseUrl?: string } = {}): Promise<void> {
  const links = { baseUrl: options.baseUrl ?? "http://localhost:3000" };
  const { tenderId, lotId, harbourBidId, run, as } = await seedOpenedShortBreaksTender(db, now, {
    title: DEMO_AWARD_NOTICE_TENDER_TITLE,
    summary: "Overnight short breaks for disabled children in Tamarmouth, in one home.",
    lotNumber: 2,
    links,
  });
  const recommending = await as("officer@westmoor.example", new Date(now.getTime() - 30 * HOUR), "award-notice:recommendation");
  const saved = await run((trx) =>
    saveRecommendation(
      trx,
      {
        tenderId,
        expectedVersion: 0,
        lots: [{ lotId, bidIds: [harbourBidId] }],
        evaluationSummary: "Both bids passed the compliance checks. Harbour Light scored higher on safeguarding and offered the lower nightly rate, so it ranks first.",
        valuePence: 420_000_00,
        budgetLine: "Short breaks 2027/28, cost centre 4460",
        risks: "One home only: if it closes for a period, families would need nights elsewhere.",
        alternatives: "Spot purchasing nights, rejected as dearer and less reliable for families.",
      },
      recommending,
    ),
  );
  await run((trx) => submitRecommendation(trx, { tenderId, expectedVersion: saved.version }, recommending, links));
  const recommendation = (await recommendationForTender(db, tenderId, recommending.actor)).recommendation!;
  const chief = await as("chief.officer@westmoor.example", new Date(now.getTime() - 20 * HOUR), "award-notice:decision");
  await run((trx) => decideAward(trx, { recommendationId: recommendation.id, outcome: "approved", reasons: "Best quality and price for families in Tamarmouth.", conditions: "" }, chief, links));
  const publishing = await as("officer@westmoor.example", now, "award-notice:publication");
  await run((trx) =>
    publishAwardNotice(
      trx,
      { tenderId, standstill: "apply", workingDays: 8, reason: "Fairness to bidders: the same standstill as a contract outside the light-touch regime." },
      publishing,
      links,
    ),
  );
}
