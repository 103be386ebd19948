// The evaluation of one opened tender (decision 022): who may take part, the
// bids that count, the stage it is at (compliance, then quality, then price)
// and moving it on. Panel, conflicts, compliance, scores and moderation each
// have their own file; they all find the tender and its evaluation here, so
// every rule about who may act starts from one place.
import type { EvaluationStage, Reader, Trx } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { isUuid } from "#app/modules/common/input";
import { ActionRefused, RecordNotFound } from "#app/modules/errors";
import type { ActionContext, Actor } from "#app/modules/identity/actor";
import { bidsOpened } from "#app/modules/tendering/opening";

registerAuditActions({
  "evaluation.started": "Started the evaluation of a tender",
});

export const STAGE_LABELS: Record<EvaluationStage, string> = { compliance: "Compliance", quality: "Quality", price: "Price" };

export interface EvaluationTender {
  id: string;
  title: string;
  councilId: string;
}

export interface Evaluation {
  id: string;
  tenderId: string;
  staged: boolean;
  stage: EvaluationStage;
  version: number;
  startedAt: Date;
  startedBy: string;
}

/** The tender if the actor is staff of its lead council and it was published; otherwise not found. */
export async function councilTender(db: Reader, tenderId: string, actor: Actor | null): Promise<EvaluationTender> {
  const row = isUuid(tenderId)
    ? await db
        .selectFrom("tender")
        .innerJoin("agreement", "agreement.id", "tender.agreement_id")
        .select(["tender.id", "tender.title", "tender.published_at", "agreement.lead_council_id"])
        .where("tender.id", "=", tenderId)
        .executeTakeFirst()
    : undefined;
  if (!row || row.published_at === null || !isStaffOf(actor, row.lead_council_id)) throw new RecordNotFound("tender");
  return { id: row.id, title: row.title, councilId: row.lead_council_id };
}

/** Whether the actor is staff of the council that leads the tender (councilTender's rule, for a tender already found). */
export function isStaffOf(actor: Actor | null, councilId: string): actor is Actor {
  return actor !== null && actor.organisationKind === "council" && actor.organisationId === councilId;
}

export function isOfficer(actor: Actor): boolean {
  return actor.roles.includes("commissioning_officer");
}

/** A commissioning officer of the tender's council, or a refusal. */
export async function officerTender(db: Reader, tenderId: string, ctx: { actor: Actor | null }): Promise<{ tender: EvaluationTender; actor: Actor }> {
  const tender = await councilTender(db, tenderId, ctx.actor);
  if (!isOfficer(ctx.actor!)) throw new ActionRefused("Only a commissioning officer can do this");
  return { tender, actor: ctx.actor! };
}

export async function evaluationOf(db: Reader, tenderId: string): Promise<Evaluation | null> {
  if (!isUuid(tenderId)) return null;
  const row = await db
    .selectFrom("evaluation")
    .innerJoin("app_user", "app_user.id", "evaluation.started_by")
    .select(["evaluation.id", "evaluation.tender_id", "evaluation.staged", "evaluation.stage", "evaluation.version", "evaluation.started_at", "app_user.full_name"])
    .where("evaluation.tender_id", "=", tenderId)
    .executeTakeFirst();
  return row
    ? { id: row.id, tenderId: row.tender_id, staged: row.staged, stage: row.stage, version: row.version, startedAt: row.started_at, startedBy: row.full_name }
    : null;
}

export class EvaluationNotStarted extends ActionRefused {
  constructor() {
    super("The evaluation of this tender has not started: a commissioning officer starts it once two officers have opened the bids");
    this.name = "EvaluationNotStarted";
  }
}

/** The evaluation, locked for the rest of the transaction: every change to an evaluation takes this lock, so changes to one tender's evaluation queue. */
export async function lockEvaluation(trx: Trx, tenderId: string): Promise<Evaluation> {
  await trx.selectFrom("evaluation").select("id").where("tender_id", "=", tenderId).forUpdate().executeTakeFirst();
  const evaluation = await evaluationOf(trx, tenderId);
  if (!evaluation) throw new EvaluationNotStarted();
  return evaluation;
}

/** Staff of the tender's council may read the evaluation only once it has started; before that there is nothing to see. */
export async function startedEvaluation(db: Reader, tenderId: string, actor: Actor | null): Promise<{ tender: EvaluationTender; evaluation: Evaluation }> {
  const tender = await councilTender(db, tenderId, actor);
  const evaluation = await evaluationOf(db, tender.id);
  if (!evaluation) throw new EvaluationNotStarted();
  return { tender, evaluation };
}

/** Starts the evaluation, choosing whether envelopes open in stages; only once two officers have opened the bids. */
export async function startEvaluation(trx: Trx, input: { tenderId: string; staged: boolean }, ctx: ActionContext): Promise<Evaluation> {
  const { tender, actor } = await officerTender(trx, input.tenderId, ctx);
  if (!(await bidsOpened(trx, tender.id))) {
    throw new ActionRefused("The bids have not been opened: evaluation starts once one officer has asked for the opening and a different one has confirmed it", "form");
  }
  const inserted = await trx
    .insertInto("evaluation")
    .values({ tender_id: tender.id, staged: input.staged, stage: "compliance", started_at: ctx.now, started_by: actor.userId, updated_at: ctx.now, updated_by: actor.userId })
    .onConflict((oc) => oc.column("tender_id").doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!inserted) throw new ActionRefused("The evaluation of this tender has already started", "form");
  await recordAuditEvent(trx, ctx, {
    action: "evaluation.started",
    summary: `${actor.name} started the evaluation of "${tender.title}" ${input.staged ? "in stages (compliance, quality, then price)" : "with every envelope open at once"}`,
    subjects: [{ type: "tender", id: tender.id }, { type: "evaluation", id: inserted.id }],
    after: { Envelopes: input.staged ? "Opened in stages: price sealed until quality is moderated" : "All opened at once", Stage: STAGE_LABELS.compliance },
  });
  return (await evaluationOf(trx, tender.id))!;
}

export interface CountingSubmission {
  submissionId: string;
  organisationId: string;
  organisationName: string;
  number: number;
  lotIds: string[];
}

/** Each provider's version that counts (its latest, unless withdrawn): what is evaluated. Callers check who is asking. */
export async function countingSubmissions(db: Reader, tenderId: string): Promise<CountingSubmission[]> {
  const rows = await db
    .selectFrom("bid_submission")
    .innerJoin("organisation", "organisation.id", "bid_submission.organisation_id")
    .leftJoin("bid_withdrawal", (j) => j.onRef("bid_withdrawal.bid_id", "=", "bid_submission.bid_id").onRef("bid_withdrawal.submission_number", "=", "bid_submission.number"))
    .select(["bid_submission.id", "bid_submission.organisation_id", "organisation.name", "bid_submission.number", "bid_withdrawal.withdrawn_at"])
    .distinctOn("bid_submission.bid_id")
    .where("bid_submission.tender_id", "=", tenderId)
    .orderBy("bid_submission.bid_id")
    .orderBy("bid_submission.number", "desc")
    .execute();
  const counting = rows.filter((r) => r.withdrawn_at === null);
  const lots = counting.length
    ? await db.selectFrom("bid_submission_lot").select(["submission_id", "lot_id"]).where("submission_id", "in", counting.map((r) => r.id)).execute()
    : [];
  return counting
    .map((r) => ({
      submissionId: r.id,
      organisationId: r.organisation_id,
      organisationName: r.name,
      number: r.number,
      lotIds: lots.filter((l) => l.submission_id === r.id).map((l) => l.lot_id),
    }))
    .sort((a, b) => a.organisationName.localeCompare(b.organisationName));
}

/** The counting submission with this id, or not found (an old version or another tender's bid is not evaluated). */
export async function countingSubmission(db: Reader, tenderId: string, submissionId: string): Promise<CountingSubmission> {
  const found = isUuid(submissionId) ? (await countingSubmissions(db, tenderId)).find((s) => s.submissionId === submissionId) : undefined;
  if (!found) throw new RecordNotFound("bid");
  return found;
}

export interface QualityQuestion {
  id: string;
  number: string;
  question: string;
  guidance: string;
  wordLimit: number | null;
  minimumScore: number | null;
  scale: { score: number; descriptor: string }[];
  lots: { lotId: string; lotNumber: number; lotTitle: string; weight: number }[];
}

/** The tender's quality questions in questionnaire order, with their scales and the lots they are weighted for (or only the one asked for). */
export async function qualityQuestions(db: Reader, tenderId: string, onlyQuestionId?: string): Promise<QualityQuestion[]> {
  let query = db
    .selectFrom("tender_question")
    .innerJoin("tender_section", "tender_section.id", "tender_question.section_id")
    .select(["tender_question.id", "tender_question.question", "tender_question.guidance", "tender_question.word_limit", "tender_question.minimum_score", "tender_question.position", "tender_section.position as section_position"])
    .where("tender_question.tender_id", "=", tenderId)
    .where("tender_question.kind", "=", "quality");
  if (onlyQuestionId !== undefined) query = query.where("tender_question.id", "=", onlyQuestionId);
  const questions = await query.orderBy("tender_section.position").orderBy("tender_question.position").execute();
  if (questions.length === 0) return [];
  const ids = questions.map((q) => q.id);
  const [scales, weights] = await Promise.all([
    db.selectFrom("tender_question_scale").select(["question_id", "score", "descriptor"]).where("question_id", "in", ids).orderBy("score").execute(),
    db
      .selectFrom("tender_question_weight")
      .innerJoin("lot", "lot.id", "tender_question_weight.lot_id")
      .select(["tender_question_weight.question_id", "tender_question_weight.lot_id", "tender_question_weight.weight", "lot.number", "lot.title"])
      .where("tender_question_weight.question_id", "in", ids)
      .orderBy("lot.number")
      .execute(),
  ]);
  return questions.map((q) => ({
    id: q.id,
    number: `${q.section_position}.${q.position}`,
    question: q.question,
    guidance: q.guidance,
    wordLimit: q.word_limit,
    minimumScore: q.minimum_score,
    scale: scales.filter((s) => s.question_id === q.id).map((s) => ({ score: s.score, descriptor: s.descriptor })),
    lots: weights.filter((w) => w.question_id === q.id).map((w) => ({ lotId: w.lot_id, lotNumber: w.number, lotTitle: w.title, weight: w.weight })),
  }));
}

export async function qualityQuestion(db: Reader, tenderId: string, questionId: string): Promise<QualityQuestion> {
  // The one question's rows, not every question's scale and weights.
  const found = isUuid(questionId) ? (await qualityQuestions(db, tenderId, questionId))[0] : undefined;
  if (!found) throw new RecordNotFound("question");
  return found;
}

/** Why a score is not on the question's scale, or null when it is. */
export function offScale(score: number | null, scale: readonly { score: number }[]): string | null {
  if (scale.length === 0) return "This question has no scoring scale";
  const low = scale[0]!.score;
  const high = scale[scale.length - 1]!.score;
  if (score === null || !Number.isInteger(score) || !scale.some((s) => s.score === score)) return `Choose a score from ${low} to ${high}`;
  return null;
}

/**
 * A spread wide enough to talk about: 2 or more points on a 0 to 5 scale,
 * the same share (40%) of any other scale's range.
 */
export function isWideSpread(scores: readonly number[], scale: readonly { score: number }[]): boolean {
  if (scores.length < 2 || scale.length < 2) return false;
  const range = scale[scale.length - 1]!.score - scale[0]!.score;
  return Math.max(...scores) - Math.min(...scores) >= (range * 2) / 5;
}

