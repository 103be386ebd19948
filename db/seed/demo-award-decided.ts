// The demo's opened supported-living tender taken on from its evaluation
// report to an approved award (issue 10): Priya Shah drafts the
// recommendation from the report as the portal proposes it, and submits it;
// its value makes it a key decision, so Cllr Rhys Pengelly, Portfolio Holder,
// is consulted and supports it with a comment; then Helen Carter, Chief
// Officer, approves it; Priya sends every bidder its assessment summary and
// publishes the contract award notice, whose standstill is still running.
// Built through the award modules, so each step is audited and emailed as it
// would be in use. Runs after seedDemoEvaluation.
import type { Kysely } from "kysely";
import type { Database, Trx } from "#app/database/schema";
import { sendAssessmentSummaries } from "#app/modules/awards/assessment-summaries";
import { publishAwardNotice } from "#app/modules/awards/award-notice";
import { decideAward, recordConsultation } from "#app/modules/awards/decisions";
import { proposalFromEvaluation } from "#app/modules/awards/proposal";
import { saveRecommendation, submitRecommendation } from "#app/modules/awards/recommendations";
import type { ActionContext } from "#app/modules/identity/actor";
import { actorForUser } from "#app/modules/identity/sessions";
import { DEMO_OPENED_TENDER } from "./demo-data";

/** What the demo's approved award is worth: four years of both lots, a key decision. */
export const DEMO_DECIDED_AWARD_VALUE_PENCE = 6_400_000_00;

export async function seedDemoAwardDecided(db: Kysely<Database>, now: Date, options: { baseUrl?: string } = {}): Promise<void> {
  const links = { baseUrl: options.baseUrl ?? "http://localhost:3000" };
  const run = <T>(work: (trx: Trx) => Promise<T>) => db.transaction().execute(work);
  const as = async (email: string, step: string): Promise<ActionContext> => {
    const user = await db.selectFrom("app_user").select("id").where("email", "=", email).executeTakeFirstOrThrow();
    return { actor: await actorForUser(db, user.id, null), requestId: `seed:demo:award-decided:${step}`, clientAddress: null, now };
  };
  const tender = await db.selectFrom("tender").select("id").where("title", "=", DEMO_OPENED_TENDER.title).executeTakeFirstOrThrow();
  const priya = await as("officer@westmoor.example", "recommendation");
  const proposal = await proposalFromEvaluation(db, tender.id, priya.actor!);
  if (!proposal) throw new Error("The demo's evaluation report is not ready, so there is nothing to recommend from");

  const saved = await run((trx) =>
    saveRecommendation(
      trx,
      {
        tenderId: tender.id,
        expectedVersion: 0,
        lots: Object.entries(proposal.chosen).map(([lotId, bidIds]) => ({ lotId, bidIds })),
        evaluationSummary: proposal.evaluationSummary,
        valuePence: DEMO_DECIDED_AWARD_VALUE_PENCE,
        budgetLine: "Care leavers' accommodation 2027/28 to 2030/31, cost centre 4425",
        risks:
          "Higher-support places in the west depend on two providers; if either leaves the framework, young people may be placed further from home. " +
          "Hourly rates are fixed for the first year, so an uplift request is likely in year two.",
        alternatives:
          "Extending the current spot arrangements, rejected because prices rose 14% last year with no quality checks; " +
          "a single block contract, rejected because need varies too much across the peninsula.",
      },
      priya,
    ),
  );
  await run((trx) => submitRecommendation(trx, { tenderId: tender.id, expectedVersion: saved.version }, priya, links));
  const recommendation = await db
    .selectFrom("award_recommendation")
    .select("id")
    .where("tender_id", "=", tender.id)
    .where("status", "=", "awaiting_consultation")
    .executeTakeFirstOrThrow();

  await run(async (trx) =>
    recordConsultation(
      trx,
      {
        recommendationId: recommendation.id,
        response: "support_with_comments",
        comments: "I support the award. Please report the first six months' placements by district to the Corporate Parenting Board.",
      },
      await as("portfolio.holder@westmoor.example", "consultation"),
      links,
    ),
  );
  await run(async (trx) =>
    decideAward(
      trx,
      {
        recommendationId: recommendation.id,
        outcome: "approved",
        reasons: "The evaluation was carried out as the tender said it would be, the recommended bids rank highest in each lot, and the value is within the budget agreed for care leavers' accommodation.",
        conditions: "",
      },
      await as("chief.officer@westmoor.example", "decision"),
      links,
    ),
  );

  // Then, as the Act orders them: every assessed bidder's summary, and the contract award notice with a
  // voluntary standstill (light touch) of eight working days, so it is still running after seeding.
  await run((trx) => sendAssessmentSummaries(trx, { tenderId: tender.id }, priya, links));
  await run((trx) =>
    publishAwardNotice(
      trx,
      { tenderId: tender.id, standstill: "apply", workingDays: 8, reason: "A voluntary standstill as for any framework award of this value, so bidders can raise concerns before agreements are made." },
      priya,
      links,
    ),
  );
}
