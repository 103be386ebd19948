// Moderation: for each answer a commissioning officer records the agreed
// score and its rationale, once every evaluator on it has submitted. The
// evaluators' own scores stay as they were and are shown beside it; a wide
// spread (2 or more points on 0 to 5) is flagged for discussion. A later
// moderation names the one it replaces, so when two people moderate the same
// answer at once exactly one stands and the other is told.
import type { Reader, Trx } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { ActionRefused, ConcurrentEditError, RecordNotFound } from "#app/modules/errors";
import type { ActionContext, Actor } from "#app/modules/identity/actor";
import { wordCount } from "#app/modules/tendering/bids-text";
import { isOfficer, isWideSpread, lockEvaluation, officerTender, offScale, qualityQuestion, startedEvaluation, type QualityQuestion } from "./evaluation";
import { answersToScore, finishedQuestion, latestScores, type AnswerToScore, type EvaluatorScore } from "./scores";

registerAuditActions({
  "evaluation.answer_moderated": "Recorded the moderated score of an answer",
});

export interface Moderation {
  id: string;
  agreedScore: number;
  rationale: string;
  moderatedAt: Date;
  moderatedBy: string;
  /** Earlier agreed scores this one replaces. */
  replaced: number;
}

/** The standing moderation of each answer of a question (or of the tender), by "submission:question". */
export async function currentModerations(db: Reader, tenderId: string, questionId?: string): Promise<Map<string, Moderation>> {
  let query = db
    .selectFrom("evaluation_moderation as m")
    .innerJoin("app_user", "app_user.id", "m.moderated_by")
    .select(["m.id", "m.submission_id", "m.question_id", "m.agreed_score", "m.rationale", "m.moderated_at", "m.replaces_id", "app_user.full_name"])
    .where("m.tender_id", "=", tenderId);
  if (questionId) query = query.where("m.question_id", "=", questionId);
  const rows = await query.execute();
  const replaced = new Set(rows.map((r) => r.replaces_id).filter((id): id is string => id !== null));
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(`${r.submission_id}:${r.question_id}`, (counts.get(`${r.submission_id}:${r.question_id}`) ?? 0) + 1);
  const count = (key: string) => (counts.get(key) ?? 1) - 1;
  return new Map(
    rows
      .filter((r) => !replaced.has(r.id))
      .map((r) => {
        const key = `${r.submission_id}:${r.question_id}`;
        return [key, { id: r.id, agreedScore: r.agreed_score, rationale: r.rationale, moderatedAt: r.moderated_at, moderatedBy: r.full_name, replaced: count(key) }];
      }),
  );
}

/**
 * Answers of compliant bids that have no agreed score: none once quality is
 * moderated, unless a bid was passed into compliance in re-evaluation after a
 * challenge (decision 037) and has not been scored since.
 */
export async function answersWithoutAgreedScore(db: Reader, tenderId: string): Promise<AnswerToScore[]> {
  const [answers, moderations] = await Promise.all([answersToScore(db, tenderId), currentModerations(db, tenderId)]);
  return answers.filter((a) => !moderations.has(`${a.submissionId}:${a.questionId}`));
}

export interface AnswerForModeration {
  submissionId: string;
  organisationName: string;
  answerText: string;
  wordCount: number;
  evaluators: { id: string; name: string; submitted: boolean }[];
  /** Every evaluator's standing score and justification; null until all of them have submitted. */
  scores: EvaluatorScore[] | null;
  spread: number | null;
  wideSpread: boolean;
  moderation: Moderation | null;
}

/** Which answers the moderation page lists: all, those whose spread is flagged, or those still without an agreed score. */
export const MODERATION_FILTERS = ["all", "wide", "unagreed"] as const;
export type ModerationFilter = (typeof MODERATION_FILTERS)[number];

export interface QuestionModeration {
  tenderTitle: string;
  stage: "compliance" | "quality" | "price";
  question: QualityQuestion;
  /** How many answers each filter keeps, over the whole question. */
  counts: Record<ModerationFilter, number>;
  /** The answers the filter keeps, by provider name: all of them, or one page of them when a page size is given. */
  answers: AnswerForModeration[];
  /** Of the answers the filter keeps, how many there are, and the position (from 1) of the first one listed. */
  listed: number;
  first: number;
  page: number;
  pages: number;
  /** Set when the officer is on this question's panel and has not finished scoring it: they see no one's scores yet. */
  hiddenUntilYouScore: boolean;
}

export interface QuestionModerationInput {
  tenderId: string;
  questionId: string;
  show?: ModerationFilter;
  /** From 1; a page after the last gives the last. */
  page?: number;
  /** Answers a page; without it, every answer the filter keeps. */
  pageSize?: number;
}

function allSubmitted(answer: AnswerToScore, scores: readonly EvaluatorScore[]): boolean {
  return answer.evaluators.length > 0 && answer.evaluators.every((e) => scores.some((s) => s.evaluatorId === e.id && s.submissionId === answer.submissionId));
}

/**
 * The moderation page of one question: each compliant bid's answer with its
 * evaluators' scores side by side, the spread and the agreed score. A page
 * of 150 answers with three scores each was too long to read and to serve,
 * so the page asks for them a page at a time; only the listed answers'
 * texts are read.
 */
export async function questionModeration(db: Reader, input: QuestionModerationInput, actor: Actor | null): Promise<QuestionModeration> {
  const { tender, evaluation } = await startedEvaluation(db, input.tenderId, actor);
  // startedEvaluation has found the tender at the actor's council; officerTender would look it up again.
  if (!isOfficer(actor!)) throw new ActionRefused("Only a commissioning officer can do this");
  const officer = actor!;
  const question = await qualityQuestion(db, tender.id, input.questionId);
  const [answers, scores, moderations] = await Promise.all([answersToScore(db, tender.id, question.id), latestScores(db, tender.id, question.id), currentModerations(db, tender.id, question.id)]);
  const hidden = !finishedQuestion(officer.userId, question.id, answers, scores);
  const bySubmission = new Map<string, EvaluatorScore[]>();
  for (const s of scores) bySubmission.set(s.submissionId, [...(bySubmission.get(s.submissionId) ?? []), s]);
  const all = answers
    .map((a) => {
      const mine = bySubmission.get(a.submissionId) ?? [];
      const shown = !hidden && allSubmitted(a, mine);
      const values = mine.map((s) => s.score);
      return {
        submissionId: a.submissionId,
        organisationName: a.organisationName,
        evaluators: a.evaluators.map((e) => ({ ...e, submitted: mine.some((s) => s.evaluatorId === e.id) })).sort((x, y) => x.name.localeCompare(y.name)),
        scores: shown ? mine : null,
        spread: shown && values.length ? Math.max(...values) - Math.min(...values) : null,
        wideSpread: shown && isWideSpread(values, question.scale),
        moderation: moderations.get(`${a.submissionId}:${question.id}`) ?? null,
      };
    })
    .sort((x, y) => x.organisationName.localeCompare(y.organisationName));
  const keeps: Record<ModerationFilter, (a: (typeof all)[number]) => boolean> = { all: () => true, wide: (a) => a.wideSpread, unagreed: (a) => a.moderation === null };
  const kept = all.filter(keeps[input.show ?? "all"]);
  const size = input.pageSize ?? Math.max(1, kept.length);
  const pages = Math.max(1, Math.ceil(kept.length / size));
  const page = Math.min(Math.max(1, Math.floor(input.page ?? 1)), pages);
  const listed = kept.slice((page - 1) * size, page * size);
  // This question's answer from each listed bid in one query (not each whole submission in turn).
  const texts = new Map(
    listed.length
      ? (
          await db
            .selectFrom("bid_submission_answer")
            .select(["submission_id", "answer_text"])
            .where("question_id", "=", question.id)
            .where("submission_id", "in", listed.map((a) => a.submissionId))
            .execute()
        ).map((r) => [r.submission_id, r.answer_text ?? ""])
      : [],
  );
  return {
    tenderTitle: tender.title,
    stage: evaluation.stage,
    question,
    hiddenUntilYouScore: hidden,
    counts: { all: all.length, wide: all.filter(keeps.wide).length, unagreed: all.filter(keeps.unagreed).length },
    answers: listed.map((a) => ({ ...a, answerText: texts.get(a.submissionId) ?? "", wordCount: wordCount(texts.get(a.submissionId) ?? "") })),
    listed: kept.length,
    first: (page - 1) * size + 1,
    page,
    pages,
  };
}

export class ModerationChanged extends ConcurrentEditError {
  constructor(readonly standing: Moderation) {
    super(`${standing.moderatedBy} recorded an agreed score of ${standing.agreedScore} for this answer while you were moderating it. Their score stands: read their rationale and record yours only if it should change.`);
    this.name = "ModerationChanged";
  }
}

export interface ModerationInput {
  tenderId: string;
  submissionId: string;
  questionId: string;
  agreedScore: number | null;
  rationale: string;
  /** The moderation the officer's page showed (null when there was none). */
  replacesId: string | null;
}

/** Records the agreed score of one answer, once every evaluator on it has submitted. */
export async function moderateAnswer(trx: Trx, input: ModerationInput, ctx: ActionContext): Promise<Moderation> {
  const { tender, actor } = await officerTender(trx, input.tenderId, ctx);
  const evaluation = await lockEvaluation(trx, tender.id);
  if (evaluation.stage !== "quality") {
    throw new ActionRefused(evaluation.stage === "compliance" ? "Moderation starts once compliance is checked and the answers have been scored" : "Quality has been moderated and the evaluation has moved on to price", "form");
  }
  const question = await qualityQuestion(trx, tender.id, input.questionId);
  const answer = (await answersToScore(trx, tender.id)).find((a) => a.submissionId === input.submissionId && a.questionId === question.id);
  if (!answer) throw new RecordNotFound("answer");
  const scores = await latestScores(trx, tender.id, question.id);
  if (!allSubmitted(answer, scores)) {
    const waiting = answer.evaluators.filter((e) => !scores.some((s) => s.evaluatorId === e.id && s.submissionId === answer.submissionId)).map((e) => e.name);
    throw new ActionRefused(waiting.length ? `Waiting for ${waiting.join(" and ")} to submit their scores for this answer` : "No evaluator is on this answer yet", "form");
  }
  const standing = (await currentModerations(trx, tender.id, question.id)).get(`${answer.submissionId}:${question.id}`) ?? null;
  if ((standing?.id ?? null) !== input.replacesId) {
    if (standing) throw new ModerationChanged(standing);
    throw new ConcurrentEditError("The agreed score you were changing has changed. Check the page and try again.");
  }
  const scaleProblem = offScale(input.agreedScore, question.scale);
  if (scaleProblem) throw new ActionRefused(scaleProblem, "agreedScore");
  const rationale = input.rationale.trim();
  if (rationale === "") throw new ActionRefused("Write the rationale for the agreed score", "rationale");
  if (rationale.length > 10_000) throw new ActionRefused("Write the rationale in 10,000 characters or fewer", "rationale");
  await trx
    .insertInto("evaluation_moderation")
    .values({ tender_id: tender.id, submission_id: answer.submissionId, question_id: question.id, agreed_score: input.agreedScore!, rationale, replaces_id: standing?.id ?? null, moderated_at: ctx.now, moderated_by: actor.userId })
    .execute();
  const originals = scores.filter((s) => s.submissionId === answer.submissionId);
  await recordAuditEvent(trx, ctx, {
    action: "evaluation.answer_moderated",
    summary: `${actor.name} recorded an agreed score of ${input.agreedScore} for ${answer.organisationName}'s answer to question ${question.number} of "${tender.title}"`,
    subjects: [{ type: "tender", id: tender.id }, { type: "tender_question", id: question.id }, { type: "organisation", id: answer.organisationId }],
    ...(standing ? { before: { "Agreed score": standing.agreedScore, Rationale: standing.rationale } } : {}),
    after: {
      "Agreed score": input.agreedScore,
      Rationale: rationale,
      "Evaluators' scores": originals.map((s) => `${s.evaluatorName}: ${s.score}`),
      "Wide spread": isWideSpread(originals.map((s) => s.score), question.scale) ? "Yes" : "No",
    },
  });
  return (await currentModerations(trx, tender.id, question.id)).get(`${answer.submissionId}:${question.id}`)!;
}
