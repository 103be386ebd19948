// Clarification questions on a published tender and their answers. A provider
// that registered interest asks until the clarification deadline (the
// server's clock). The officer answers publicly, in words that need not be
// the asker's and never naming them, to every interested provider; or
// privately, to the asking organisation only, with the reason. Questions and
// answers are written once.
import { sql } from "kysely";
import type { ClarificationVisibility, Reader, Trx } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { isUuid, requiredText } from "#app/modules/common/input";
import { ActionRefused, RecordNotFound } from "#app/modules/errors";
import type { ActionContext } from "#app/modules/identity/actor";
import { activeProviderUsers } from "#app/modules/identity/queries";
import { queueEmail } from "#app/modules/outbox/outbox";
import { formatUkDateTime } from "#emails/format";
import { interestedRecipients, isInterested } from "./interest";

registerAuditActions({
  "clarification.asked": "Asked a clarification question",
  "clarification.answered_publicly": "Published a clarification answer",
  "clarification.answered_privately": "Answered a clarification question privately",
});

export const QUESTION_MAX = 5000;
export const ANSWER_MAX = 10000;

/** Whether questions are still open, by the server's clock; null when the tender has no deadline yet. */
export function questionsOpen(tender: { status: string; clarification_deadline_at: Date | null }, now: Date): boolean {
  return tender.status === "published" && tender.clarification_deadline_at !== null && now < tender.clarification_deadline_at;
}

/** A provider asks; refused after the clarification deadline and for an organisation that has not registered interest. */
export async function askClarification(trx: Trx, input: { tenderId: string; question: string }, ctx: ActionContext): Promise<{ questionId: string }> {
  const actor = ctx.actor;
  if (!actor || actor.organisationKind !== "provider" || !actor.roles.includes("provider_user")) {
    throw new ActionRefused("Only a provider's users can ask clarification questions");
  }
  const tender = isUuid(input.tenderId)
    ? await trx.selectFrom("tender").select(["id", "title", "status", "clarification_deadline_at"]).where("id", "=", input.tenderId).executeTakeFirst()
    : undefined;
  if (!tender || tender.status === "draft") throw new RecordNotFound("tender");
  if (tender.status === "cancelled") throw new ActionRefused("This tender has been cancelled, so questions are closed");
  if (!questionsOpen(tender, ctx.now)) {
    throw new ActionRefused(
      `Clarification questions closed at ${formatUkDateTime(tender.clarification_deadline_at ?? ctx.now)}, so this question cannot be sent`,
      "question",
    );
  }
  if (!(await isInterested(trx, tender.id, actor.organisationId))) {
    throw new ActionRefused("Register interest in this tender before asking a question");
  }
  const question = requiredText(input.question, "question", "question", QUESTION_MAX);
  const { id } = await trx
    .insertInto("clarification_question")
    .values({ tender_id: tender.id, organisation_id: actor.organisationId, question, asked_at: ctx.now, asked_by: actor.userId })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordAuditEvent(trx, ctx, {
    action: "clarification.asked",
    summary: `${actor.organisationName} asked a clarification question about "${tender.title}"`,
    subjects: [
      { type: "tender", id: tender.id },
      { type: "clarification_question", id },
      { type: "organisation", id: actor.organisationId },
    ],
    after: { Question: question },
  });
  return { questionId: id };
}

export interface AnswerInput {
  tenderId: string;
  questionId: string;
  visibility: ClarificationVisibility;
  /** Public answers: the question as it is published (the officer may reword it). */
  publishedQuestion?: string | null;
  answer: string;
  /** Private answers: why only the asker is told. */
  privateReason?: string | null;
}

/**
 * Answers a question once. Public: numbered on the tender and emailed in the
 * same words to every interested provider (and the asker's organisation),
 * never naming who asked. Private: emailed to the asking organisation only.
 */
export async function answerClarification(
  trx: Trx,
  input: AnswerInput,
  ctx: ActionContext,
  links: { baseUrl: string },
): Promise<{ answerId: string; publicNumber: number | null; emailed: number }> {
  const question = await getQuestion(trx, input.tenderId, input.questionId);
  if (!question) throw new RecordNotFound("clarification question");
  // One answer per question, and public numbers in order: answers of one tender are given one at a time.
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`clarification-answers:${question.tenderId}`}, 0))`.execute(trx);
  const tender = await trx.selectFrom("tender").select(["id", "title", "status"]).where("id", "=", question.tenderId).executeTakeFirstOrThrow();
  if (tender.status !== "published") throw new ActionRefused("This tender has been cancelled, so its questions can no longer be answered");
  const existing = await trx.selectFrom("clarification_answer").select("id").where("question_id", "=", question.id).executeTakeFirst();
  if (existing) throw new ActionRefused("This question has already been answered. Answers are not changed: publish a further clarification if something needs correcting");
  if (input.visibility !== "public" && input.visibility !== "private") throw new ActionRefused("Select whether to publish the answer or send it privately", "visibility");
  const isPublic = input.visibility === "public";
  const publishedQuestion = isPublic ? requiredText(input.publishedQuestion, "publishedQuestion", "question as it will be published", QUESTION_MAX) : null;
  const answer = requiredText(input.answer, "answer", "answer", ANSWER_MAX);
  const privateReason = isPublic ? null : requiredText(input.privateReason, "privateReason", "reason for answering privately", 2000);

  let publicNumber: number | null = null;
  if (isPublic) {
    const { n } = await trx
      .selectFrom("clarification_answer")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("tender_id", "=", tender.id)
      .where("visibility", "=", "public")
      .executeTakeFirstOrThrow();
    publicNumber = Number(n) + 1;
  }
  const { id } = await trx
    .insertInto("clarification_answer")
    .values({
      question_id: question.id,
      tender_id: tender.id,
      visibility: input.visibility,
      public_number: publicNumber,
      published_question: publishedQuestion,
      answer,
      private_reason: privateReason,
      answered_at: ctx.now,
      answered_by: ctx.actor?.userId ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();

  const askers = (await activeProviderUsers(trx, [question.organisationId])).map((u) => ({ email: u.email, organisationName: question.organisationName }));
  const recipients = isPublic ? withoutRepeats([...(await interestedRecipients(trx, tender.id)), ...askers]) : askers;
  for (const r of recipients) {
    await queueEmail(trx, {
      to: r.email,
      template: {
        name: "clarification_answered",
        props: {
          organisationName: r.organisationName,
          tenderTitle: tender.title,
          clarificationsUrl: `${links.baseUrl}/tenders/${tender.id}/clarifications`,
          visibility: input.visibility,
          number: publicNumber,
          question: publishedQuestion ?? question.question,
          answer,
          privateReason,
        },
      },
    });
  }
  const people = `${recipients.length} ${recipients.length === 1 ? "person" : "people"}`;
  await recordAuditEvent(trx, ctx, {
    action: isPublic ? "clarification.answered_publicly" : "clarification.answered_privately",
    summary: isPublic
      ? `Published clarification ${publicNumber} on "${tender.title}"; emailed ${people} at interested providers`
      : `Answered ${question.organisationName}'s clarification question on "${tender.title}" privately; emailed ${people} at ${question.organisationName}`,
    subjects: [
      { type: "tender", id: tender.id },
      { type: "clarification_question", id: question.id },
      { type: "organisation", id: question.organisationId },
    ],
    after: isPublic ? { "Published question": publishedQuestion, Answer: answer } : { Answer: answer, "Sent only to": question.organisationName },
    reason: privateReason,
  });
  return { answerId: id, publicNumber, emailed: recipients.length };
}

function withoutRepeats<T extends { email: string }>(list: T[]): T[] {
  const seen = new Set<string>();
  return list.filter((r) => (seen.has(r.email) ? false : (seen.add(r.email), true)));
}

export interface ClarificationAnswerView {
  visibility: ClarificationVisibility;
  publicNumber: number | null;
  publishedQuestion: string | null;
  answer: string;
  privateReason: string | null;
  answeredAt: Date;
  answeredBy: string | null;
}

/** A question with who asked and its answer: for the asker's organisation and the council's staff only. */
export interface ClarificationQuestionView {
  id: string;
  tenderId: string;
  organisationId: string;
  organisationName: string;
  askedBy: string | null;
  question: string;
  askedAt: Date;
  answer: ClarificationAnswerView | null;
}

function questionsQuery(db: Reader) {
  return db
    .selectFrom("clarification_question as q")
    .innerJoin("organisation as o", "o.id", "q.organisation_id")
    .leftJoin("app_user as asker", "asker.id", "q.asked_by")
    .leftJoin("clarification_answer as a", "a.question_id", "q.id")
    .leftJoin("app_user as answerer", "answerer.id", "a.answered_by")
    .select([
      "q.id",
      "q.tender_id",
      "q.organisation_id",
      "o.name as organisation_name",
      "asker.full_name as asked_by",
      "q.question",
      "q.asked_at",
      "a.visibility",
      "a.public_number",
      "a.published_question",
      "a.answer",
      "a.private_reason",
      "a.answered_at",
      "answerer.full_name as answered_by",
    ]);
}

type QuestionRow = Awaited<ReturnType<ReturnType<typeof questionsQuery>["execute"]>>[number];

function questionView(r: QuestionRow): ClarificationQuestionView {
  return {
    id: r.id,
    tenderId: r.tender_id,
    organisationId: r.organisation_id,
    organisationName: r.organisation_name,
    askedBy: r.asked_by,
    question: r.question,
    askedAt: r.asked_at,
    answer:
      r.visibility && r.answer !== null && r.answered_at
        ? {
            visibility: r.visibility,
            publicNumber: r.public_number,
            publishedQuestion: r.published_question,
            answer: r.answer,
            privateReason: r.private_reason,
            answeredAt: r.answered_at,
            answeredBy: r.answered_by,
          }
        : null,
  };
}

/** One question of the tender with who asked it; null for an id that is not one of this tender's questions. */
export async function getQuestion(db: Reader, tenderId: string, questionId: string): Promise<ClarificationQuestionView | null> {
  if (!isUuid(tenderId) || !isUuid(questionId)) return null;
  const row = await questionsQuery(db).where("q.id", "=", questionId).where("q.tender_id", "=", tenderId).executeTakeFirst();
  return row ? questionView(row) : null;
}

/** Every question on the tender, with who asked, oldest first: the officers' view. */
export async function listAllQuestions(db: Reader, tenderId: string): Promise<ClarificationQuestionView[]> {
  if (!isUuid(tenderId)) return [];
  return (await questionsQuery(db).where("q.tender_id", "=", tenderId).orderBy("q.asked_at").orderBy("q.id").execute()).map(questionView);
}

/** The organisation's own questions on the tender, newest first, with their answers (public or private). */
export async function listOwnQuestions(db: Reader, tenderId: string, organisationId: string): Promise<ClarificationQuestionView[]> {
  if (!isUuid(tenderId)) return [];
  const rows = await questionsQuery(db).where("q.tender_id", "=", tenderId).where("q.organisation_id", "=", organisationId).orderBy("q.asked_at", "desc").orderBy("q.id").execute();
  return rows.map(questionView);
}

/** A published clarification as everyone sees it: no asker, only the published words. */
export interface PublicClarification {
  number: number;
  question: string;
  answer: string;
  publishedAt: Date;
}

/** The tender's published clarifications, in the order they were published. */
export async function listPublicClarifications(db: Reader, tenderId: string): Promise<PublicClarification[]> {
  if (!isUuid(tenderId)) return [];
  const rows = await db
    .selectFrom("clarification_answer")
    .select(["public_number", "published_question", "answer", "answered_at"])
    .where("tender_id", "=", tenderId)
    .where("visibility", "=", "public")
    .orderBy("public_number")
    .execute();
  return rows.map((r) => ({ number: r.public_number ?? 0, question: r.published_question ?? "", answer: r.answer, publishedAt: r.answered_at }));
}

/** What the policy needs about one question (app/policy/policy.ts). */
export function clarificationThing(question: ClarificationQuestionView, tender: { councilId: string; everPublished: boolean }) {
  return {
    kind: "clarification" as const,
    councilId: tender.councilId,
    everPublished: tender.everPublished,
    organisationId: question.organisationId,
    published: question.answer?.visibility === "public",
  };
}
