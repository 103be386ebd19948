// Moderation: for each answer a commissioning officer records the agreed
// score and its rationale, once every evaluator on it has submitted. The
// evaluators' own scores stay as they were and are shown beside it; a wide
// spread (2 or more points on 0 to 5) is flagged for discussion. A later
// moderation names the one it replaces, so when two people moderate the same
// answer at once exactly one stands and the other is told.
import type { Reader, Trx } from "#app/database/schema";
import { auditChainVersion, recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { ActionRefused, ConcurrentEditError, RecordNotFound } from "#app/modules/errors";
import type { ActionContext, Actor } from "#app/modules/identity/actor";
import { wordCount } from "#app/modules/tendering/bids-text";
import { isOfficer, isStaffOf, isWideSpread, lockEvaluation, officerTender, offScale, qualityQuestion, startedEvaluation, type Evaluation, type EvaluationTender, type QualityQuestion } from "./evaluation";
import { answersToScore, latestScores, type AnswerToScore, type EvaluatorScore } from "./scores";

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

/** One answer of the question as every officer's page starts from it: who may see its scores is decided per request. */
interface AnswerState {
  submissionId: string;
  organisationName: string;
  evaluators: { id: string; name: string; submitted: boolean }[];
  /** The standing scores of every evaluator on it, by evaluator name. */
  scores: EvaluatorScore[];
  /** Every evaluator on it has submitted. */
  complete: boolean;
  spread: number | null;
  wide: boolean;
  moderation: Moderation | null;
}

/** A question's moderation as read at one length of the audit chain. Shared by every request that reuses it: callers only read what it returns. */
interface QuestionState {
  version: string;
  tender: EvaluationTender;
  stage: Evaluation["stage"];
  question: QualityQuestion;
  /** By provider name. */
  answers: AnswerState[];
  /** Panel members who have not yet scored every answer of the question they were given: they see no one's scores. */
  unfinished: Set<string>;
  /** The answers' texts read so far (a submitted bid's answers never change). */
  texts: Map<string, { text: string; words: number }>;
}

// Per database handle (each test database has its own), then per "tender:question", most recently used last.
const questionStates = new WeakMap<object, Map<string, QuestionState>>();
const QUESTIONS_KEPT = 60;

async function readQuestionState(db: Reader, tenderId: string, questionId: string, actor: Actor | null, version: string): Promise<QuestionState> {
  const { tender, evaluation } = await startedEvaluation(db, tenderId, actor);
  // startedEvaluation has found the tender at the actor's council; officerTender would look it up again.
  if (!isOfficer(actor!)) throw new ActionRefused("Only a commissioning officer can do this");
  const question = await qualityQuestion(db, tender.id, questionId);
  const [answers, scores, moderations] = await Promise.all([answersToScore(db, tender.id, question.id), latestScores(db, tender.id, question.id), currentModerations(db, tender.id, question.id)]);
  const bySubmission = new Map<string, EvaluatorScore[]>();
  for (const s of scores) bySubmission.set(s.submissionId, [...(bySubmission.get(s.submissionId) ?? []), s]);
  const unfinished = new Set<string>();
  const states = answers
    .map((a): AnswerState => {
      const mine = bySubmission.get(a.submissionId) ?? [];
      const values = mine.map((s) => s.score);
      const evaluators = a.evaluators.map((e) => ({ ...e, submitted: mine.some((s) => s.evaluatorId === e.id) })).sort((x, y) => x.name.localeCompare(y.name));
      for (const e of evaluators) if (!e.submitted) unfinished.add(e.id);
      return {
        submissionId: a.submissionId,
        organisationName: a.organisationName,
        evaluators,
        scores: mine,
        complete: allSubmitted(a, mine),
        spread: values.length ? Math.max(...values) - Math.min(...values) : null,
        wide: isWideSpread(values, question.scale),
        moderation: moderations.get(`${a.submissionId}:${question.id}`) ?? null,
      };
    })
    .sort((x, y) => x.organisationName.localeCompare(y.organisationName));
  return { version, tender, stage: evaluation.stage, question, answers: states, unfinished, texts: new Map() };
}

/**
 * The moderation page of one question: each compliant bid's answer with its
 * evaluators' scores side by side, the spread and the agreed score. A page
 * of 150 answers with three scores each was too long to read and to serve,
 * so the page asks for them a page at a time; only the listed answers'
 * texts are read. What it reads of the question (about a dozen queries) is
 * kept until the audit chain grows, as the officer's dashboard is: the next
 * page, another officer's view or the same page again then costs one query,
 * with the same checks of who may see it (decision 043).
 */
export async function questionModeration(db: Reader, input: QuestionModerationInput, actor: Actor | null): Promise<QuestionModeration> {
  const version = await auditChainVersion(db);
  const key = `${input.tenderId}:${input.questionId}`;
  let known = questionStates.get(db);
  if (!known) questionStates.set(db, (known = new Map()));
  let state = known.get(key);
  if (state && state.version === version) {
    // The same refusals as reading it afresh: not found outside the tender's council, refused to anyone but its officers.
    if (!isStaffOf(actor, state.tender.councilId)) throw new RecordNotFound("tender");
    if (!isOfficer(actor)) throw new ActionRefused("Only a commissioning officer can do this");
  } else {
    // Read from the chain as it stood at `version` or later: kept only while the chain is still that long.
    state = await readQuestionState(db, input.tenderId, input.questionId, actor, version);
  }
  known.delete(key);
  known.set(key, state);
  if (known.size > QUESTIONS_KEPT) known.delete(known.keys().next().value!);

  const { question } = state;
  const hidden = state.unfinished.has(actor!.userId);
  const all = state.answers.map((a) => {
    const shown = !hidden && a.complete;
    return { submissionId: a.submissionId, organisationName: a.organisationName, evaluators: a.evaluators, scores: shown ? a.scores : null, spread: shown ? a.spread : null, wideSpread: shown && a.wide, moderation: a.moderation };
  });
  const keeps: Record<ModerationFilter, (a: (typeof all)[number]) => boolean> = { all: () => true, wide: (a) => a.wideSpread, unagreed: (a) => a.moderation === null };
  const kept = all.filter(keeps[input.show ?? "all"]);
  const size = input.pageSize ?? Math.max(1, kept.length);
  const pages = Math.max(1, Math.ceil(kept.length / size));
  const page = Math.min(Math.max(1, Math.floor(input.page ?? 1)), pages);
  const listed = kept.slice((page - 1) * size, page * size);
  // This question's answer from each listed bid not read before, in one query (not each whole submission in turn).
  const unread = listed.filter((a) => !state.texts.has(a.submissionId)).map((a) => a.submissionId);
  if (unread.length) {
    const rows = await db.selectFrom("bid_submission_answer").select(["submission_id", "answer_text"]).where("question_id", "=", question.id).where("submission_id", "in", unread).execute();
    const found = new Map(rows.map((r) => [r.submission_id, r.answer_text ?? ""]));
    for (const id of unread) {
      const text = found.get(id) ?? "";
      state.texts.set(id, { text, words: wordCount(text) });
    }
  }
  return {
    tenderTitle: state.tender.title,
    stage: state.stage,
    question,
    hiddenUntilYouScore: hidden,
    counts: { all: all.length, wide: all.filter(keeps.wide).length, unagreed: all.filter(keeps.unagreed).length },
    answers: listed.map((a) => ({ ...a, answerText: state.texts.get(a.submissionId)!.text, wordCount: state.texts.get(a.submissionId)!.words })),
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
