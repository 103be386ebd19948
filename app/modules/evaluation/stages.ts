// The evaluation's stages and the officer's overview of it. Compliance moves
// on to quality once every counting bid has a compliance result; quality
// moves on to price once every answer of a compliant bid has an agreed score
// and no declared conflict awaits a decision. Moving on takes the
// evaluation's version the officer's page showed, so two officers cannot
// both move it on from the same view.
import type { EvaluationStage, Reader, Trx } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { ActionRefused, ConcurrentEditError } from "#app/modules/errors";
import type { ActionContext, Actor } from "#app/modules/identity/actor";
import { bidsOpened } from "#app/modules/tendering/opening";
import { bidsAwaitingCompliance, complianceResults, type ComplianceResult } from "./compliance";
import { declarations, type Declaration } from "./conflicts";
import { councilTender, countingSubmissions, evaluationOf, isOfficer, isWideSpread, lockEvaluation, officerTender, qualityQuestions, STAGE_LABELS, type CountingSubmission, type Evaluation, type QualityQuestion } from "./evaluation";
import { currentModerations } from "./moderation";
import { currentAssignments, panelCandidates, panelWarnings, type Assignment, type PanelCandidate, type PanelWarning } from "./panel";
import { answersToScore, latestScores } from "./scores";

registerAuditActions({
  "evaluation.stage_moved": "Moved a tender's evaluation to its next stage",
});

const NEXT_STAGE: Record<EvaluationStage, EvaluationStage | null> = { compliance: "quality", quality: "price", price: null };

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** What still holds the evaluation at its stage, in words; empty when it may move on. */
export async function stageBlockers(db: Reader, tenderId: string, stage: EvaluationStage): Promise<string[]> {
  if (stage === "compliance") {
    const waiting = await bidsAwaitingCompliance(db, tenderId);
    return waiting.length ? [`${plural(waiting.length, "bid has", "bids have")} no compliance result (${waiting.join(", ")})`] : [];
  }
  if (stage === "quality") {
    const [answers, moderated, all] = await Promise.all([answersToScore(db, tenderId), currentModerations(db, tenderId), declarations(db, tenderId)]);
    const blockers: string[] = [];
    const pending = all.filter((d) => d.hasConflict && !d.decision).length;
    if (pending) blockers.push(`${plural(pending, "declared conflict awaits", "declared conflicts await")} a decision`);
    const unassigned = answers.filter((a) => a.evaluators.length === 0).length;
    if (unassigned) blockers.push(`${plural(unassigned, "answer has", "answers have")} no evaluator`);
    const open = answers.filter((a) => !moderated.has(`${a.submissionId}:${a.questionId}`)).length;
    if (open) blockers.push(`${plural(open, "answer has", "answers have")} no agreed score`);
    return blockers;
  }
  return [];
}

export class StageRefused extends ActionRefused {
  constructor(message: string) {
    super(message, "form");
    this.name = "StageRefused";
  }
}

/** Moves the evaluation to its next stage, once nothing holds it. */
export async function moveToNextStage(trx: Trx, input: { tenderId: string; expectedVersion: number }, ctx: ActionContext): Promise<Evaluation> {
  const { tender, actor } = await officerTender(trx, input.tenderId, ctx);
  const evaluation = await lockEvaluation(trx, tender.id);
  if (evaluation.version !== input.expectedVersion) {
    throw new ConcurrentEditError(`Someone else moved this evaluation on while you were looking at it: it is now at the ${STAGE_LABELS[evaluation.stage].toLowerCase()} stage. Check the page and try again.`);
  }
  const next = NEXT_STAGE[evaluation.stage];
  if (!next) throw new StageRefused("The evaluation is at its last stage, price");
  const standing = await stageBlockers(trx, tender.id, evaluation.stage);
  if (standing.length > 0) throw new StageRefused(`The evaluation cannot move to ${STAGE_LABELS[next].toLowerCase()} yet: ${standing.join("; ")}`);
  await trx.updateTable("evaluation").set({ stage: next, version: evaluation.version + 1, updated_at: ctx.now, updated_by: actor.userId }).where("id", "=", evaluation.id).execute();
  await recordAuditEvent(trx, ctx, {
    action: "evaluation.stage_moved",
    summary: `${actor.name} moved the evaluation of "${tender.title}" from ${STAGE_LABELS[evaluation.stage].toLowerCase()} to ${STAGE_LABELS[next].toLowerCase()}`,
    subjects: [{ type: "tender", id: tender.id }, { type: "evaluation", id: evaluation.id }],
    before: { Stage: STAGE_LABELS[evaluation.stage] },
    after: { Stage: STAGE_LABELS[next] },
  });
  return (await evaluationOf(trx, tender.id))!;
}

export interface QuestionProgress {
  question: QualityQuestion;
  answers: number;
  /** Answers every evaluator on it has scored. */
  scored: number;
  moderated: number;
  wideSpreads: number;
}

export interface EvaluationOverview {
  tender: { id: string; title: string };
  opened: boolean;
  evaluation: Evaluation | null;
  submissions: (CountingSubmission & { compliance: ComplianceResult | null })[];
  questions: QualityQuestion[];
  assignments: Assignment[];
  candidates: PanelCandidate[];
  warnings: PanelWarning[];
  declarations: Declaration[];
  progress: QuestionProgress[];
  blockers: string[];
  /** Set for an evaluator who is not an officer: they get their own page, not this one. */
  isOfficer: boolean;
}

/** Everything the officer's evaluation page shows. */
export async function evaluationOverview(db: Reader, tenderId: string, actor: Actor | null): Promise<EvaluationOverview> {
  const tender = await councilTender(db, tenderId, actor);
  const evaluation = await evaluationOf(db, tender.id);
  const opened = await bidsOpened(db, tender.id);
  const questions = await qualityQuestions(db, tender.id);
  const base = { tender: { id: tender.id, title: tender.title }, opened, evaluation, questions, isOfficer: isOfficer(actor!) };
  if (!evaluation) {
    return { ...base, submissions: [], assignments: [], candidates: [], warnings: [], declarations: [], progress: [], blockers: [] };
  }
  const [submissions, results, assignments, candidates, all, answers, scores, moderations, blockers] = await Promise.all([
    countingSubmissions(db, tender.id),
    complianceResults(db, tender.id),
    currentAssignments(db, tender.id),
    panelCandidates(db, tender.councilId),
    declarations(db, tender.id),
    answersToScore(db, tender.id),
    latestScores(db, tender.id),
    currentModerations(db, tender.id),
    stageBlockers(db, tender.id, evaluation.stage),
  ]);
  return {
    ...base,
    submissions: submissions.map((s) => ({ ...s, compliance: results.get(s.submissionId) ?? null })),
    assignments,
    candidates,
    warnings: panelWarnings(questions, assignments),
    declarations: all,
    blockers,
    progress: questions.map((question) => {
      const mine = answers.filter((a) => a.questionId === question.id);
      const scoredBy = (a: (typeof mine)[number]) => scores.filter((s) => s.submissionId === a.submissionId && s.questionId === question.id);
      const complete = mine.filter((a) => a.evaluators.length > 0 && a.evaluators.every((e) => scoredBy(a).some((s) => s.evaluatorId === e.id)));
      return {
        question,
        answers: mine.length,
        scored: complete.length,
        moderated: mine.filter((a) => moderations.has(`${a.submissionId}:${question.id}`)).length,
        wideSpreads: complete.filter((a) => isWideSpread(scoredBy(a).map((s) => s.score), question.scale)).length,
      };
    }),
  };
}
