// The demo's evaluation (issue 10): the opened supported-living tender
// carried through compliance, conflict declarations, independent scoring and
// moderation to the price stage, so its evaluation report ranks each lot.
// Tom Evans (evaluator) and Dan Whitfield (commissioning officer) score every
// quality answer; Dan declares a conflict with one bidder, which Priya Shah
// accepts with a mitigation; one answer's scores are 3 points apart and
// flagged; one bid is not compliant (its insurance lapsed before the
// deadline). Built through the evaluation modules, so every step is audited.
import type { Kysely } from "kysely";
import type { Database, Trx } from "#app/database/schema";
import { recordCompliance } from "#app/modules/evaluation/compliance";
import { declareConflicts, declarations, decideConflict } from "#app/modules/evaluation/conflicts";
import { countingSubmissions, qualityQuestions, startEvaluation } from "#app/modules/evaluation/evaluation";
import { moderateAnswer } from "#app/modules/evaluation/moderation";
import { assignEvaluator } from "#app/modules/evaluation/panel";
import { submitScore } from "#app/modules/evaluation/scores";
import { moveToNextStage } from "#app/modules/evaluation/stages";
import type { ActionContext } from "#app/modules/identity/actor";
import { actorForUser } from "#app/modules/identity/sessions";
import { DEMO_OPENED_TENDER } from "./demo-data";

const JUSTIFICATIONS: Record<number, string> = {
  1: "Describes intentions rather than practice; little evidence of how it works for young people.",
  2: "Covers the basics with some evidence, but thin on outcomes and on how staff are supported.",
  3: "A sound answer with clear arrangements and some examples of outcomes.",
  4: "A strong answer: specific practice, named roles and outcomes from the last two years.",
  5: "Excellent: detailed, evidenced practice with measured outcomes and learning from reviews.",
};

export async function seedDemoEvaluation(db: Kysely<Database>, now: Date, options: { baseUrl?: string } = {}): Promise<void> {
  const links = { baseUrl: options.baseUrl ?? "http://localhost:3000" };
  const run = <T>(work: (trx: Trx) => Promise<T>) => db.transaction().execute(work);
  const as = async (email: string, step: string): Promise<ActionContext> => {
    const user = await db.selectFrom("app_user").select("id").where("email", "=", email).executeTakeFirstOrThrow();
    return { actor: await actorForUser(db, user.id, null), requestId: `seed:demo:evaluation:${step}`, clientAddress: null, now };
  };
  const tender = await db.selectFrom("tender").select("id").where("title", "=", DEMO_OPENED_TENDER.title).executeTakeFirstOrThrow();
  const priya = await as("officer@westmoor.example", "officer");
  const tom = await as("evaluator@westmoor.example", "tom");
  const dan = await as("officer2@westmoor.example", "dan");

  await run((trx) => startEvaluation(trx, { tenderId: tender.id, staged: true }, priya));
  const questions = await qualityQuestions(db, tender.id);
  for (const q of questions) {
    for (const evaluator of [tom, dan]) {
      await run((trx) => assignEvaluator(trx, { tenderId: tender.id, evaluatorId: evaluator.actor!.userId, questionId: q.id, lotIds: q.lots.map((l) => l.lotId) }, priya, links));
    }
  }

  // Compliance: every bid but the last passes; the last's insurance lapsed before the deadline.
  const submissions = await countingSubmissions(db, tender.id);
  const passFail = await db.selectFrom("tender_question").select("id").where("tender_id", "=", tender.id).where("kind", "=", "pass_fail").orderBy("position").execute();
  const failing = submissions.at(-1)!;
  for (const s of submissions) {
    const fails = s.submissionId === failing.submissionId;
    await run((trx) =>
      recordCompliance(
        trx,
        {
          tenderId: tender.id,
          submissionId: s.submissionId,
          checks: passFail.map((q, i) => ({ questionId: q.id, passed: !(fails && i === passFail.length - 1) })),
          complete: true,
          reason: fails ? "The public liability insurance certificate expired before the submission deadline, so the insurance requirement is not met." : "",
          replacesId: null,
        },
        priya,
      ),
    );
  }
  await run((trx) => moveToNextStage(trx, { tenderId: tender.id, expectedVersion: 1 }, priya));

  // Declarations: Tom has no conflicts; Dan worked for one bidder until 2022, which Priya accepts with a mitigation.
  const conflicted = submissions[1]!;
  const scored = submissions.filter((s) => s.submissionId !== failing.submissionId);
  await run((trx) =>
    declareConflicts(trx, { tenderId: tender.id, declarations: submissions.map((s) => ({ organisationId: s.organisationId, hasConflict: false, description: "" })) }, tom, links),
  );
  await run((trx) =>
    declareConflicts(
      trx,
      {
        tenderId: tender.id,
        declarations: submissions.map((s) =>
          s.organisationId === conflicted.organisationId
            ? { organisationId: s.organisationId, hasConflict: true, description: "I was a support worker at one of its services until March 2022." }
            : { organisationId: s.organisationId, hasConflict: false, description: "" },
        ),
      },
      dan,
      links,
    ),
  );
  const declared = (await declarations(db, tender.id)).find((d) => d.hasConflict)!;
  await run((trx) =>
    decideConflict(
      trx,
      {
        tenderId: tender.id,
        declarationId: declared.id,
        outcome: "accept",
        mitigation: "Dan's scores for this bid are moderated with Tom's and discussed before any agreed score is recorded.",
        reason: "The role ended more than four years ago and was not in management.",
      },
      priya,
    ),
  );

  // Scores: a pattern per bid and question, Dan's a point away from Tom's now and then; one wide disagreement.
  const agreed = new Map<string, number>();
  for (const [b, s] of scored.entries()) {
    for (const [qi, q] of questions.entries()) {
      const tomScore = 2 + ((b * 2 + qi * 3) % 4);
      const wide = b === 0 && qi === 0;
      const danScore = wide ? (tomScore <= 2 ? tomScore + 3 : tomScore - 3) : Math.min(5, Math.max(1, tomScore + (((b + qi) % 3) - 1)));
      for (const [who, score] of [[tom, tomScore], [dan, danScore]] as const) {
        await run((trx) => submitScore(trx, { tenderId: tender.id, submissionId: s.submissionId, questionId: q.id, score, justification: JUSTIFICATIONS[score]!, replacesId: null }, who));
      }
      agreed.set(`${s.submissionId}:${q.id}`, wide ? Math.round((tomScore + danScore) / 2) : Math.max(tomScore, danScore));
    }
  }
  for (const s of scored) {
    for (const q of questions) {
      const score = agreed.get(`${s.submissionId}:${q.id}`)!;
      const wide = s.submissionId === scored[0]!.submissionId && q.id === questions[0]!.id;
      await run((trx) =>
        moderateAnswer(
          trx,
          {
            tenderId: tender.id,
            submissionId: s.submissionId,
            questionId: q.id,
            agreedScore: score,
            rationale: wide
              ? "Wide disagreement discussed at the moderation meeting: the answer shows good intentions but limited evidence of outcomes, so the panel agreed the middle score."
              : "Agreed at the moderation meeting after comparing the evidence in the answer.",
            replacesId: null,
          },
          priya,
        ),
      );
    }
  }
  await run((trx) => moveToNextStage(trx, { tenderId: tender.id, expectedVersion: 2 }, priya));
}
