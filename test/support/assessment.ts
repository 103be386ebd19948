// A tender whose award decision is approved, for the assessment summary
// tests, built through the modules: the evaluation support's opened tender
// (A bids for lot 1; B for lots 1 and 2), evaluated by two evaluators with
// both bids compliant, moderated (lot 1's question: A 2 of 5, B 4 of 5; B's
// lot 2 question 3 of 5), priced, then the officer recommends B for both
// lots (A unsuccessful in lot 1) below the key-decision threshold and a
// Chief Officer approves. Figures: see evaluation.test.ts's report. With
// `failA`, A's bid is found not compliant instead and never scored.
import type { Kysely } from "kysely";
import type { Database, Trx } from "#app/database/schema";
import { sendAssessmentSummaries } from "#app/modules/awards/assessment-summaries";
import { publishAwardNotice } from "#app/modules/awards/award-notice";
import { recordChallenge, resolveChallenge } from "#app/modules/awards/challenges";
import { decideAward } from "#app/modules/awards/decisions";
import { recommendationForTender, saveRecommendation, submitRecommendation } from "#app/modules/awards/recommendations";
import { recordCompliance } from "#app/modules/evaluation/compliance";
import { declareConflicts } from "#app/modules/evaluation/conflicts";
import { startEvaluation } from "#app/modules/evaluation/evaluation";
import { moderateAnswer } from "#app/modules/evaluation/moderation";
import { assignEvaluator } from "#app/modules/evaluation/panel";
import { submitScore } from "#app/modules/evaluation/scores";
import { moveToNextStage } from "#app/modules/evaluation/stages";
import { ukDate } from "#app/modules/common/input";
import type { Actor } from "#app/modules/identity/actor";
import { councilPeople, EVALUATION_NOW, openedTender, type OpenedTender } from "./evaluation";
import { contextOf, type TenderingWorld } from "./tendering";

const LINKS = { baseUrl: "http://portal.test" };

export const RATIONALE = {
  a: "Describes nightly reviews, but gives little evidence of how staff are trained",
  b: "A named safeguarding lead and clear key-worker arrangements, well evidenced",
  bLot2: "A credible clinical offer, though without outcome measures",
};

/** Why A's bid fails compliance with `failA`. */
export const A_FAILURE = "No current public liability insurance certificate was provided";

export interface DecidedTender extends OpenedTender {
  bidA: string;
  bidB: string;
  recommendationId: string;
  chief: Actor;
}

/**
 * Up to the Chief Officer's decision; `decide: false` stops with it waiting
 * for the decision. `chief`: who decides (else a new Chief Officer of the
 * council; browser tests pass the demo's, so no one else is emailed later).
 */
export async function approvedAward(db: Kysely<Database>, world: TenderingWorld, options: { decide?: boolean; chief?: Actor; failA?: boolean } = {}): Promise<DecidedTender> {
  const t = await openedTender(db, world);
  const run = <T>(work: (trx: Trx) => Promise<T>) => db.transaction().execute(work);
  const as = (actor: Actor) => contextOf(actor, EVALUATION_NOW);
  const officer = world.officer;
  const subs = await db.selectFrom("bid_submission").select(["id", "bid_id", "organisation_id"]).where("tender_id", "=", t.id).execute();
  const subA = subs.find((s) => s.organisation_id === world.providerA.organisationId)!;
  const subB = subs.find((s) => s.organisation_id === world.providerB.organisationId)!;
  const [e1, e2] = (await councilPeople(db, world, "evaluator", ["Nia Hughes", "Owen Price"])) as [Actor, Actor];
  const chief = options.chief ?? (await councilPeople(db, world, "chief_officer", ["Chief Officer"]))[0]!;

  await run((trx) => startEvaluation(trx, { tenderId: t.id, staged: true }, as(officer)));
  for (const e of [e1, e2]) await run((trx) => assignEvaluator(trx, { tenderId: t.id, evaluatorId: e.userId, questionId: t.q.quality, lotIds: [t.lot1] }, as(officer), LINKS));
  await run((trx) => assignEvaluator(trx, { tenderId: t.id, evaluatorId: e1.userId, questionId: t.q.lot2Only, lotIds: [t.lot2] }, as(officer), LINKS));
  for (const s of [subA, subB]) {
    const fails = options.failA === true && s === subA;
    await run((trx) =>
      recordCompliance(trx, { tenderId: t.id, submissionId: s.id, checks: [{ questionId: t.q.passFail, passed: !fails }], complete: true, reason: fails ? A_FAILURE : "", replacesId: null }, as(officer)),
    );
  }
  await run((trx) => moveToNextStage(trx, { tenderId: t.id, expectedVersion: 1 }, as(officer)));
  const none = [world.providerA, world.providerB].map((p) => ({ organisationId: p.organisationId, hasConflict: false, description: "" }));
  for (const e of [e1, e2]) await run((trx) => declareConflicts(trx, { tenderId: t.id, declarations: none }, as(e), LINKS));
  const score = (e: Actor, submissionId: string, questionId: string, value: number) =>
    run((trx) => submitScore(trx, { tenderId: t.id, submissionId, questionId, score: value, justification: "Scored against the published guidance", replacesId: null }, as(e)));
  if (!options.failA) {
    await score(e1, subA.id, t.q.quality, 2);
    await score(e2, subA.id, t.q.quality, 2);
  }
  await score(e1, subB.id, t.q.quality, 4);
  await score(e2, subB.id, t.q.quality, 4);
  await score(e1, subB.id, t.q.lot2Only, 3);
  const moderate = (submissionId: string, questionId: string, agreedScore: number, rationale: string) =>
    run((trx) => moderateAnswer(trx, { tenderId: t.id, submissionId, questionId, agreedScore, rationale, replacesId: null }, as(officer)));
  if (!options.failA) await moderate(subA.id, t.q.quality, 2, RATIONALE.a);
  await moderate(subB.id, t.q.quality, 4, RATIONALE.b);
  await moderate(subB.id, t.q.lot2Only, 3, RATIONALE.bLot2);
  await run((trx) => moveToNextStage(trx, { tenderId: t.id, expectedVersion: 2 }, as(officer)));

  await run((trx) =>
    saveRecommendation(
      trx,
      {
        tenderId: t.id,
        expectedVersion: 0,
        lots: [
          { lotId: t.lot1, bidIds: [subB.bid_id] },
          { lotId: t.lot2, bidIds: [subB.bid_id] },
        ],
        evaluationSummary: "B ranked first in both lots on quality and price.",
        valuePence: 400_000_00,
        budgetLine: "Children's placements 2027/28, cost centre 4410",
        risks: "One provider across both lots.",
        alternatives: "Admitting both bids to lot 1, rejected on quality.",
      },
      as(officer),
    ),
  );
  await run((trx) => submitRecommendation(trx, { tenderId: t.id, expectedVersion: 1 }, as(officer), LINKS));
  const rec = (await recommendationForTender(db, t.id, officer)).recommendation!;
  if (options.decide !== false) {
    await run((trx) => decideAward(trx, { recommendationId: rec.id, outcome: "approved", reasons: "The evaluation was sound and the value is within budget.", conditions: "" }, as(chief), LINKS));
  }
  return { ...t, bidA: subA.bid_id, bidB: subB.bid_id, recommendationId: rec.id, chief };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The moments after the award decision (EVALUATION_NOW) that `challengedAward` takes it through, and re-evaluation then follows. */
export const SUMMARIES_SENT = new Date(EVALUATION_NOW.getTime() + HOUR);
export const NOTICE_PUBLISHED = new Date(SUMMARIES_SENT.getTime() + HOUR);
export const CHALLENGE_RECEIVED = new Date(NOTICE_PUBLISHED.getTime() + DAY);
export const CHALLENGE_UPHELD = new Date(CHALLENGE_RECEIVED.getTime() + DAY);
export const REEVALUATED = new Date(CHALLENGE_UPHELD.getTime() + DAY);

/**
 * An approved award (B for both lots; A failing compliance when `failA`), its
 * assessment summaries sent, the notice published with 8 working days'
 * standstill and a challenge from A recorded on the grounds given. `uphold`
 * resolves it as upheld for re-evaluation, for the reasons given.
 */
export async function challengedAward(
  db: Kysely<Database>,
  world: TenderingWorld,
  options: { failA?: boolean; grounds: string; upheldBecause: string },
): Promise<{ t: DecidedTender; challengeId: string; uphold: () => Promise<void> }> {
  const run = <T>(work: (trx: Trx) => Promise<T>) => db.transaction().execute(work);
  const officerAt = (at: Date) => contextOf(world.officer, at);
  const t = await approvedAward(db, world, { failA: options.failA });
  await run((trx) => sendAssessmentSummaries(trx, { tenderId: t.id }, officerAt(SUMMARIES_SENT), LINKS));
  await run((trx) => publishAwardNotice(trx, { tenderId: t.id, standstill: "apply", workingDays: 8, reason: "As for any award of this size" }, officerAt(NOTICE_PUBLISHED), LINKS));
  const challenge = await run((trx) =>
    recordChallenge(trx, { tenderId: t.id, organisationId: world.providerA.organisationId, receivedOn: ukDate(CHALLENGE_RECEIVED), grounds: options.grounds }, officerAt(CHALLENGE_RECEIVED)),
  );
  const uphold = async () => {
    await run((trx) => resolveChallenge(trx, { tenderId: t.id, challengeId: challenge.id, outcome: "upheld_reevaluate", reasons: options.upheldBecause }, officerAt(CHALLENGE_UPHELD), LINKS));
  };
  return { t, challengeId: challenge.id, uphold };
}
