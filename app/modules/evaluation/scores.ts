// Independent scoring. Each evaluator scores each answer assigned to them
// (a compliant bid's answer to a quality question, for a lot the evaluator is
// on) on the question's scale, with a written justification. They see no
// answer until they have declared conflicts for every bidder, and no one
// else's score for a question until they have submitted their own for every
// answer of it they are to score. A correction is a new row naming the one
// it replaces; an answer's scores are final once it is moderated. Price
// stays sealed to evaluators, in a staged evaluation, until quality is moderated.
import type { Reader, Trx } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { ActionRefused, ConcurrentEditError, RecordNotFound } from "#app/modules/errors";
import type { ActionContext, Actor } from "#app/modules/identity/actor";
import { loadSubmission } from "#app/modules/tendering/bids-submission";
import { wordCount } from "#app/modules/tendering/bids-text";
import { compliantSubmissionIds } from "./compliance";
import { ACCESS_WORDS, bidAccess, bidders, declarations, exclusions, panelMember, type BidAccess } from "./conflicts";
import { councilTender, countingSubmissions, evaluationOf, EvaluationNotStarted, lockEvaluation, offScale, qualityQuestion, qualityQuestions, type QualityQuestion } from "./evaluation";
import { currentAssignments } from "./panel";

registerAuditActions({
  "evaluation.score_submitted": "Submitted an evaluator's score for an answer",
  "evaluation.score_corrected": "Corrected an evaluator's score for an answer",
});

export interface AnswerToScore {
  submissionId: string;
  organisationId: string;
  organisationName: string;
  questionId: string;
  /** Who is to score it: evaluators on the question for a lot the bid is for, less any excluded from this bid by a conflict decision. */
  evaluators: { id: string; name: string }[];
}

/** Every answer of a compliant bid to a quality question, with who is to score it. */
export async function answersToScore(db: Reader, tenderId: string, questionId?: string): Promise<AnswerToScore[]> {
  const [submissions, compliant, assignments, excluded] = await Promise.all([countingSubmissions(db, tenderId), compliantSubmissionIds(db, tenderId), currentAssignments(db, tenderId), exclusions(db, tenderId)]);
  const scored = new Map(submissions.filter((s) => compliant.has(s.submissionId)).map((s) => [s.submissionId, s]));
  if (scored.size === 0) return [];
  let query = db
    .selectFrom("bid_submission_answer")
    .innerJoin("tender_question", "tender_question.id", "bid_submission_answer.question_id")
    .select(["bid_submission_answer.submission_id", "bid_submission_answer.question_id"])
    .where("bid_submission_answer.submission_id", "in", [...scored.keys()])
    .where("tender_question.kind", "=", "quality");
  if (questionId) query = query.where("bid_submission_answer.question_id", "=", questionId);
  const answered = await query.execute();
  // Each question's panel once, not a scan of every assignment per answer (150 bids × 30 questions).
  const panels = new Map<string, typeof assignments>();
  for (const x of assignments) panels.set(x.questionId, [...(panels.get(x.questionId) ?? []), x]);
  return answered.map((a) => {
    const s = scored.get(a.submission_id)!;
    const evaluators = new Map<string, string>();
    for (const x of panels.get(a.question_id) ?? []) {
      if (s.lotIds.includes(x.lotId) && !excluded.has(`${x.evaluatorId}:${s.organisationId}`)) evaluators.set(x.evaluatorId, x.evaluatorName);
    }
    return { submissionId: s.submissionId, organisationId: s.organisationId, organisationName: s.organisationName, questionId: a.question_id, evaluators: [...evaluators].map(([id, name]) => ({ id, name })) };
  });
}

export interface EvaluatorScore {
  id: string;
  submissionId: string;
  questionId: string;
  evaluatorId: string;
  evaluatorName: string;
  score: number;
  justification: string;
  submittedAt: Date;
  /** How many earlier scores this one corrects. */
  corrections: number;
}

/** Each evaluator's standing (latest) score per answer of the tender, optionally for one question. */
export async function latestScores(db: Reader, tenderId: string, questionId?: string): Promise<EvaluatorScore[]> {
  let query = db
    .selectFrom("evaluation_score as s")
    .innerJoin("app_user", "app_user.id", "s.evaluator_id")
    .select(["s.id", "s.submission_id", "s.question_id", "s.evaluator_id", "app_user.full_name", "s.score", "s.justification", "s.submitted_at", "s.replaces_id"])
    .where("s.tender_id", "=", tenderId);
  if (questionId) query = query.where("s.question_id", "=", questionId);
  const rows = await query.execute();
  const replaced = new Set(rows.map((r) => r.replaces_id).filter((id): id is string => id !== null));
  // By id, so following a chain of corrections is a lookup per step rather than a scan of every score.
  const byId = new Map(rows.map((r) => [r.id, r]));
  const depth = (id: string | null): number => {
    let n = 0;
    for (let r = id === null ? undefined : byId.get(id); r?.replaces_id; r = byId.get(r.replaces_id)) n++;
    return n;
  };
  return rows
    .filter((r) => !replaced.has(r.id))
    .map((r) => ({
      id: r.id,
      submissionId: r.submission_id,
      questionId: r.question_id,
      evaluatorId: r.evaluator_id,
      evaluatorName: r.full_name,
      score: r.score,
      justification: r.justification,
      submittedAt: r.submitted_at,
      corrections: depth(r.id),
    }))
    .sort((a, b) => a.evaluatorName.localeCompare(b.evaluatorName));
}

/** Whether this evaluator has submitted a score for every answer of the question they are to score. */
export function finishedQuestion(evaluatorId: string, questionId: string, answers: readonly AnswerToScore[], scores: readonly EvaluatorScore[]): boolean {
  return answers
    .filter((a) => a.questionId === questionId && a.evaluators.some((e) => e.id === evaluatorId))
    .every((a) => scores.some((s) => s.evaluatorId === evaluatorId && s.submissionId === a.submissionId && s.questionId === questionId));
}

/** Answers that have an agreed score, by "submission:question". */
export async function moderatedAnswers(db: Reader, tenderId: string): Promise<Set<string>> {
  const rows = await db.selectFrom("evaluation_moderation").select(["submission_id", "question_id"]).where("tender_id", "=", tenderId).execute();
  return new Set(rows.map((r) => `${r.submission_id}:${r.question_id}`));
}

export interface MyAnswer {
  submissionId: string;
  organisationName: string;
  access: BidAccess;
  myScore: number | null;
  moderated: boolean;
}

export interface MyWork {
  stage: "compliance" | "quality" | "price";
  staged: boolean;
  /** Bidding providers with the evaluator's declaration (null: not yet declared). */
  providers: { organisationId: string; organisationName: string; declared: "none" | "conflict" | null; access: BidAccess }[];
  declaredAll: boolean;
  /** myLotIds: the lots the evaluator is on this question for. */
  questions: { question: QualityQuestion; myLotIds: string[]; answers: MyAnswer[]; finished: boolean }[];
}

/** An evaluator's page: their declarations and, once made, the answers they are to score. */
export async function evaluatorWork(db: Reader, tenderId: string, actor: Actor | null): Promise<MyWork> {
  const { tender, actor: me, assigned } = await panelMember(db, tenderId, actor);
  const evaluation = await evaluationOf(db, tender.id);
  if (!evaluation) throw new EvaluationNotStarted();
  const providers = bidders(await countingSubmissions(db, tender.id));
  const mine = await declarations(db, tender.id, me.userId);
  const access = bidAccess(mine, providers);
  const declaredAll = providers.every((p) => mine.some((d) => d.organisationId === p.organisationId));
  const [answers, scores, moderated, questions] = await Promise.all([answersToScore(db, tender.id), latestScores(db, tender.id), moderatedAnswers(db, tender.id), qualityQuestions(db, tender.id)]);
  const myQuestions = questions.filter((q) => assigned.some((a) => a.questionId === q.id));
  return {
    stage: evaluation.stage,
    staged: evaluation.staged,
    providers: providers.map((p) => {
      const d = mine.find((x) => x.organisationId === p.organisationId);
      return { ...p, declared: d ? (d.hasConflict ? "conflict" : "none") : null, access: access.get(p.organisationId)! };
    }),
    declaredAll,
    questions: myQuestions.map((question) => ({
      question,
      myLotIds: assigned.filter((a) => a.questionId === question.id).map((a) => a.lotId),
      finished: finishedQuestion(me.userId, question.id, answers, scores),
      // Nothing of the bids, not even which are compliant, before every bidder is declared.
      answers: !declaredAll || evaluation.stage === "compliance"
        ? []
        : answers
            .filter((a) => a.questionId === question.id && a.evaluators.some((e) => e.id === me.userId))
            .map((a) => ({
              submissionId: a.submissionId,
              organisationName: a.organisationName,
              access: access.get(a.organisationId) ?? "undeclared",
              myScore: scores.find((s) => s.evaluatorId === me.userId && s.submissionId === a.submissionId && s.questionId === a.questionId)?.score ?? null,
              moderated: moderated.has(`${a.submissionId}:${a.questionId}`),
            })),
    })),
  };
}

export class BidClosedToEvaluator extends ActionRefused {
  constructor(readonly access: Exclude<BidAccess, "open">) {
    super(ACCESS_WORDS[access]);
    this.name = "BidClosedToEvaluator";
  }
}

export interface AnswerForScoring {
  tenderTitle: string;
  question: QualityQuestion;
  organisationName: string;
  answerText: string;
  wordCount: number;
  files: { fileName: string; sizeBytes: number }[];
  myScore: EvaluatorScore | null;
  /** Everyone else's standing scores for this answer; null until the evaluator has scored every answer of the question. */
  others: EvaluatorScore[] | null;
  moderated: boolean;
  canScore: boolean;
}

async function assignedAnswer(db: Reader, input: { tenderId: string; submissionId: string; questionId: string }, actor: Actor | null) {
  const { tender, actor: me } = await panelMember(db, input.tenderId, actor);
  const evaluation = await evaluationOf(db, tender.id);
  if (!evaluation) throw new EvaluationNotStarted();
  if (evaluation.stage === "compliance") throw new ActionRefused("Quality answers open for scoring once every bid's compliance has been checked");
  const answers = await answersToScore(db, tender.id);
  const answer = answers.find((a) => a.submissionId === input.submissionId && a.questionId === input.questionId);
  const mine = await declarations(db, tender.id, me.userId);
  if (!answer || !answer.evaluators.some((e) => e.id === me.userId)) {
    // An answer the evaluator was taken off by a conflict decision is closed to them, not unknown.
    if (answer && mine.find((d) => d.organisationId === answer.organisationId)?.decision?.outcome === "exclude") throw new BidClosedToEvaluator("excluded");
    throw new RecordNotFound("answer");
  }
  const providers = bidders(await countingSubmissions(db, tender.id));
  const access = bidAccess(mine, providers).get(answer.organisationId) ?? "undeclared";
  if (access !== "open") throw new BidClosedToEvaluator(access);
  return { tender, me, evaluation, answers, answer };
}

/** One answer as the evaluator scores it: the question, guidance, scale, the answer and its word count. */
export async function answerForScoring(db: Reader, input: { tenderId: string; submissionId: string; questionId: string }, actor: Actor | null): Promise<AnswerForScoring> {
  const { tender, me, evaluation, answers, answer } = await assignedAnswer(db, input, actor);
  const [question, bid, scores, moderated] = await Promise.all([
    qualityQuestion(db, tender.id, input.questionId),
    loadSubmission(db, { submissionId: answer.submissionId }),
    latestScores(db, tender.id, input.questionId),
    moderatedAnswers(db, tender.id),
  ]);
  const text = bid!.answers.find((a) => a.questionId === input.questionId);
  const forAnswer = scores.filter((s) => s.submissionId === answer.submissionId);
  const isModerated = moderated.has(`${answer.submissionId}:${input.questionId}`);
  return {
    tenderTitle: tender.title,
    question,
    organisationName: answer.organisationName,
    answerText: text?.answerText ?? "",
    wordCount: wordCount(text?.answerText ?? ""),
    files: (text?.files ?? []).map((f) => ({ fileName: f.fileName, sizeBytes: f.sizeBytes })),
    myScore: forAnswer.find((s) => s.evaluatorId === me.userId) ?? null,
    others: finishedQuestion(me.userId, input.questionId, answers, scores) ? forAnswer.filter((s) => s.evaluatorId !== me.userId) : null,
    moderated: isModerated,
    canScore: evaluation.stage === "quality" && !isModerated,
  };
}

export interface ScoreInput {
  tenderId: string;
  submissionId: string;
  questionId: string;
  score: number | null;
  justification: string;
  /** The evaluator's own standing score the page showed (null when they had none). */
  replacesId: string | null;
}

/** Submits (or corrects) the evaluator's score for one answer. */
export async function submitScore(trx: Trx, input: ScoreInput, ctx: ActionContext): Promise<EvaluatorScore> {
  const evaluation = await lockEvaluation(trx, (await councilTender(trx, input.tenderId, ctx.actor)).id);
  const { tender, me } = await assignedAnswer(trx, input, ctx.actor);
  if (evaluation.stage === "price") throw new ActionRefused("Quality has been moderated, so scores no longer change", "form");
  if ((await moderatedAnswers(trx, tender.id)).has(`${input.submissionId}:${input.questionId}`)) {
    throw new ActionRefused("This answer has been moderated, so its scores no longer change", "form");
  }
  const question = await qualityQuestion(trx, tender.id, input.questionId);
  const scaleProblem = offScale(input.score, question.scale);
  if (scaleProblem) throw new ActionRefused(scaleProblem, "score");
  const justification = input.justification.trim();
  if (justification === "") throw new ActionRefused("Write a justification for your score: say why the answer earns it", "justification");
  if (justification.length > 10_000) throw new ActionRefused("Write the justification in 10,000 characters or fewer", "justification");
  const scores = await latestScores(trx, tender.id, input.questionId);
  const current = scores.find((s) => s.evaluatorId === me.userId && s.submissionId === input.submissionId) ?? null;
  if ((current?.id ?? null) !== input.replacesId) {
    throw new ConcurrentEditError(
      current
        ? `You submitted a score of ${current.score} for this answer in another window. Check it and correct it if you need to.`
        : "The score you were correcting has changed. Check the page and try again.",
    );
  }
  if (current && current.score === input.score && current.justification === justification) return current;
  await trx
    .insertInto("evaluation_score")
    .values({ tender_id: tender.id, submission_id: input.submissionId, question_id: input.questionId, evaluator_id: me.userId, score: input.score!, justification, replaces_id: current?.id ?? null, submitted_at: ctx.now })
    .execute();
  const submission = (await countingSubmissions(trx, tender.id)).find((s) => s.submissionId === input.submissionId)!;
  await recordAuditEvent(trx, ctx, {
    action: current ? "evaluation.score_corrected" : "evaluation.score_submitted",
    summary: `${me.name} ${current ? "corrected their score" : "scored"} ${submission.organisationName}'s answer to question ${question.number} of "${tender.title}"`,
    subjects: [{ type: "tender", id: tender.id }, { type: "tender_question", id: question.id }, { type: "organisation", id: submission.organisationId }],
    ...(current ? { before: { Score: current.score, Justification: current.justification } } : {}),
    after: { Score: input.score, Justification: justification },
  });
  return (await latestScores(trx, tender.id, input.questionId)).find((s) => s.evaluatorId === me.userId && s.submissionId === input.submissionId)!;
}

export class PricesSealed extends ActionRefused {
  constructor() {
    super("Prices stay sealed to evaluators until every quality answer has been moderated");
    this.name = "PricesSealed";
  }
}

/** The prices of the bids open to this evaluator: in a staged evaluation, only at the price stage. */
export async function pricesForEvaluator(db: Reader, tenderId: string, actor: Actor | null): Promise<{ organisationName: string; prices: { label: string; lotNumber: number; unit: string; amountPence: number }[] }[]> {
  const { tender, actor: me } = await panelMember(db, tenderId, actor);
  const evaluation = await evaluationOf(db, tender.id);
  if (!evaluation) throw new EvaluationNotStarted();
  if (evaluation.staged && evaluation.stage !== "price") throw new PricesSealed();
  const submissions = await countingSubmissions(db, tender.id);
  const compliant = await compliantSubmissionIds(db, tender.id);
  const access = bidAccess(await declarations(db, tender.id, me.userId), bidders(submissions));
  const open = submissions.filter((s) => compliant.has(s.submissionId) && access.get(s.organisationId) === "open");
  const bids = await Promise.all(open.map((s) => loadSubmission(db, { submissionId: s.submissionId })));
  return bids.map((b) => ({ organisationName: b!.organisation.name, prices: b!.prices.map((p) => ({ label: p.label, lotNumber: p.lotNumber, unit: p.unit, amountPence: p.amountPence })) }));
}
