// The evaluation panel: which evaluators score which quality question for
// which lot. Assignments are history (a row per change, the latest counts);
// an evaluator is emailed when first put on a tender's panel. The officer is
// warned where a question has fewer than two evaluators for a lot.
import type { Reader, Trx } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { isUuid } from "#app/modules/common/input";
import { ActionRefused } from "#app/modules/errors";
import type { ActionContext } from "#app/modules/identity/actor";
import { queueEmail } from "#app/modules/outbox/outbox";
import { lockEvaluation, officerTender, qualityQuestions, type QualityQuestion } from "./evaluation";

registerAuditActions({
  "evaluation.evaluator_assigned": "Put an evaluator on a tender's evaluation panel",
  "evaluation.evaluator_removed": "Took an evaluator off a question of a tender's evaluation",
});

/** The norm for a quality question: fewer evaluators than this per lot is warned about. */
export const EVALUATORS_PER_QUESTION = 2;

export interface Assignment {
  questionId: string;
  lotId: string;
  evaluatorId: string;
  evaluatorName: string;
}

/** Who is on the panel now: the latest row per question, lot and evaluator, where it says assigned. */
export async function currentAssignments(db: Reader, tenderId: string): Promise<Assignment[]> {
  const rows = await db
    .selectFrom("evaluation_assignment")
    .innerJoin("app_user", "app_user.id", "evaluation_assignment.evaluator_id")
    .select(["evaluation_assignment.question_id", "evaluation_assignment.lot_id", "evaluation_assignment.evaluator_id", "evaluation_assignment.change", "app_user.full_name"])
    .distinctOn(["evaluation_assignment.question_id", "evaluation_assignment.lot_id", "evaluation_assignment.evaluator_id"])
    .where("evaluation_assignment.tender_id", "=", tenderId)
    .orderBy("evaluation_assignment.question_id")
    .orderBy("evaluation_assignment.lot_id")
    .orderBy("evaluation_assignment.evaluator_id")
    .orderBy("evaluation_assignment.id", "desc")
    .execute();
  return rows
    .filter((r) => r.change === "assigned")
    .map((r) => ({ questionId: r.question_id, lotId: r.lot_id, evaluatorId: r.evaluator_id, evaluatorName: r.full_name }))
    .sort((a, b) => a.evaluatorName.localeCompare(b.evaluatorName));
}

export interface PanelCandidate {
  id: string;
  name: string;
}

/** The council's active evaluators and commissioning officers: who may be put on a panel. */
export async function panelCandidates(db: Reader, councilId: string): Promise<PanelCandidate[]> {
  const rows = await db
    .selectFrom("app_user")
    .innerJoin("user_role", "user_role.user_id", "app_user.id")
    .select(["app_user.id", "app_user.full_name"])
    .distinct()
    .where("app_user.organisation_id", "=", councilId)
    .where("app_user.status", "=", "active")
    .where("user_role.role", "in", ["evaluator", "commissioning_officer"])
    .orderBy("app_user.full_name")
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.full_name }));
}

export interface PanelWarning {
  questionId: string;
  lotId: string;
  message: string;
}

/** Each quality question and lot with fewer than two evaluators. */
export function panelWarnings(questions: readonly QualityQuestion[], assignments: readonly Assignment[]): PanelWarning[] {
  return questions.flatMap((q) =>
    q.lots.flatMap((lot) => {
      const count = assignments.filter((a) => a.questionId === q.id && a.lotId === lot.lotId).length;
      if (count >= EVALUATORS_PER_QUESTION) return [];
      const who = count === 0 ? "no evaluators" : "only one evaluator";
      return [{ questionId: q.id, lotId: lot.lotId, message: `Question ${q.number} has ${who} for lot ${lot.lotNumber}: at least ${EVALUATORS_PER_QUESTION} is the norm` }];
    }),
  );
}

function describe(q: QualityQuestion, lotIds: readonly string[]): string[] {
  return q.lots.filter((l) => lotIds.includes(l.lotId)).map((l) => `${q.number} ${q.question} (lot ${l.lotNumber})`);
}

/**
 * Puts an evaluator on a quality question for the chosen lots. Assigning
 * someone already assigned changes nothing; their first assignment in the
 * tender emails them.
 */
export async function assignEvaluator(
  trx: Trx,
  input: { tenderId: string; evaluatorId: string; questionId: string; lotIds: string[] },
  ctx: ActionContext,
  links: { baseUrl: string },
): Promise<{ added: number }> {
  const { tender, actor } = await officerTender(trx, input.tenderId, ctx);
  const evaluation = await lockEvaluation(trx, tender.id);
  if (evaluation.stage === "price") throw new ActionRefused("Quality has been moderated, so the panel no longer changes", "form");
  const question = (await qualityQuestions(trx, tender.id)).find((q) => q.id === input.questionId);
  if (!question) throw new ActionRefused("Choose a quality question", "questionId");
  const lotIds = [...new Set(input.lotIds)];
  if (lotIds.length === 0 || lotIds.some((id) => !question.lots.some((l) => l.lotId === id))) {
    throw new ActionRefused("Choose at least one lot this question is scored for", "lotIds");
  }
  const candidate = isUuid(input.evaluatorId) ? (await panelCandidates(trx, tender.councilId)).find((c) => c.id === input.evaluatorId) : undefined;
  if (!candidate) throw new ActionRefused("Choose an evaluator or commissioning officer of your council", "evaluatorId");

  const current = await currentAssignments(trx, tender.id);
  const wasOnPanel = current.some((a) => a.evaluatorId === candidate.id);
  const toAdd = lotIds.filter((lotId) => !current.some((a) => a.evaluatorId === candidate.id && a.questionId === question.id && a.lotId === lotId));
  if (toAdd.length === 0) return { added: 0 };
  await trx
    .insertInto("evaluation_assignment")
    .values(toAdd.map((lotId) => ({ tender_id: tender.id, question_id: question.id, lot_id: lotId, evaluator_id: candidate.id, change: "assigned" as const, changed_at: ctx.now, changed_by: actor.userId })))
    .execute();
  const evaluator = await trx.selectFrom("app_user").select(["email", "full_name"]).where("id", "=", candidate.id).executeTakeFirstOrThrow();
  if (!wasOnPanel) {
    await queueEmail(trx, {
      to: evaluator.email,
      template: {
        name: "evaluation_panel_assigned",
        props: { evaluatorName: evaluator.full_name, tenderTitle: tender.title, evaluationUrl: `${links.baseUrl}/tenders/${tender.id}/evaluation`, questions: describe(question, toAdd) },
      },
    });
  }
  await recordAuditEvent(trx, ctx, {
    action: "evaluation.evaluator_assigned",
    summary: `${actor.name} asked ${candidate.name} to score question ${question.number} of "${tender.title}"${wasOnPanel ? "" : ", and emailed them"}`,
    subjects: [{ type: "tender", id: tender.id }, { type: "user", id: candidate.id }, { type: "tender_question", id: question.id }, ...toAdd.map((id) => ({ type: "lot", id }))],
    after: { Evaluator: candidate.name, Question: question.number, Lots: describe(question, toAdd) },
  });
  return { added: toAdd.length };
}

/** Takes an evaluator off a question for a lot, before they have scored any of its answers. */
export async function removeEvaluator(trx: Trx, input: { tenderId: string; evaluatorId: string; questionId: string; lotId: string }, ctx: ActionContext): Promise<void> {
  const { tender, actor } = await officerTender(trx, input.tenderId, ctx);
  const evaluation = await lockEvaluation(trx, tender.id);
  if (evaluation.stage === "price") throw new ActionRefused("Quality has been moderated, so the panel no longer changes", "form");
  const assignment = (await currentAssignments(trx, tender.id)).find((a) => a.evaluatorId === input.evaluatorId && a.questionId === input.questionId && a.lotId === input.lotId);
  if (!assignment) throw new ActionRefused("That evaluator is not on this question for this lot", "form");
  const scored = await trx
    .selectFrom("evaluation_score")
    .select("id")
    .where("tender_id", "=", tender.id)
    .where("question_id", "=", input.questionId)
    .where("evaluator_id", "=", input.evaluatorId)
    .executeTakeFirst();
  if (scored) throw new ActionRefused(`${assignment.evaluatorName} has already scored answers to this question, so they stay on the panel: their scores are part of the record`, "form");
  await trx
    .insertInto("evaluation_assignment")
    .values({ tender_id: tender.id, question_id: input.questionId, lot_id: input.lotId, evaluator_id: input.evaluatorId, change: "removed", changed_at: ctx.now, changed_by: actor.userId })
    .execute();
  const question = (await qualityQuestions(trx, tender.id)).find((q) => q.id === input.questionId)!;
  await recordAuditEvent(trx, ctx, {
    action: "evaluation.evaluator_removed",
    summary: `${actor.name} took ${assignment.evaluatorName} off question ${question.number} of "${tender.title}"`,
    subjects: [{ type: "tender", id: tender.id }, { type: "user", id: input.evaluatorId }, { type: "tender_question", id: question.id }, { type: "lot", id: input.lotId }],
    before: { Evaluator: assignment.evaluatorName, Question: question.number, Lots: describe(question, [input.lotId]) },
  });
}
