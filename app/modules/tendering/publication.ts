// Whether a draft can be published (every problem, each tied to its field,
// and warnings that do not block), publishing (which freezes the draft),
// amendments to a published tender and cancellation; interested providers
// are emailed in the same transaction as the change they are told of.
import type { Reader, Tender, Trx } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { isoDate, longDate, optionalText, requiredText, ukDate } from "#app/modules/common/input";
import { ActionRefused } from "#app/modules/errors";
import type { ActionContext } from "#app/modules/identity/actor";
import { queueEmail } from "#app/modules/outbox/outbox";
import { recordTenderRelease } from "#app/modules/publication/ocds-releases";
import { formatUkDateTime } from "#emails/format";
import { interestedRecipients } from "./interest";
import { getQuestionnaire, rewriteQuestion, type Questionnaire, type QuestionInput } from "./questionnaires";
import {
  changedFields,
  columnsOf,
  fieldInWords,
  lockTender,
  reopeningDays,
  TENDER_FIELD_LABELS,
  tenderLots,
  touchTender,
  type TenderLot,
} from "./tenders";
import { daysBetween, daysBetweenDays, deadlineSevenDaysOut, reopeningRule, ukTimeToUtc, type UkDateTime } from "./timeline";

registerAuditActions({
  "tender.published": "Published a tender",
  "tender.amended": "Amended a published tender",
  "tender.cancelled": "Cancelled a tender",
});

/** Under the light-touch regime there is no minimum; otherwise fewer days than this draws a warning. */
export const MINIMUM_TENDERING_DAYS = 25;
/** An open framework's re-opening this close draws a warning. */
export const REOPENING_WARNING_DAYS = 90;
/** Providers get at least this long to respond to a change in what they must submit. */
export const AMENDMENT_NOTICE_DAYS = 7;

export interface PublicationProblem {
  /** The form field it concerns, for the error summary's link. */
  field: string;
  message: string;
}

export interface PublicationCheck {
  problems: PublicationProblem[];
  warnings: PublicationProblem[];
}

export interface PublicationFacts {
  tender: Tender;
  lots: TenderLot[];
  questionnaire: Questionnaire;
  /** UK days on which the framework this tender re-opens was re-opened before. */
  previousReopenings: string[];
}

const lotName = (lot: TenderLot) => `lot ${lot.number} (${lot.title})`;

/** Missing dates and dates out of order, in the order the timeline runs. */
export function timelineProblems(t: Tender): PublicationProblem[] {
  const problems: PublicationProblem[] = [];
  const missing: [keyof Tender, string, string][] = [
    ["publication_at", "publicationAt", "Enter the publication date and time"],
    ["clarification_deadline_at", "clarificationDeadlineAt", "Enter the clarification deadline"],
    ["submission_deadline_at", "submissionDeadlineAt", "Enter the submission deadline"],
    ["intended_award_on", "intendedAwardOn", "Enter the intended award date"],
    ["intended_contract_start_on", "intendedContractStartOn", "Enter the intended contract start date"],
  ];
  for (const [column, field, message] of missing) if (t[column] === null) problems.push({ field, message });
  const { publication_at: pub, clarification_deadline_at: clar, submission_deadline_at: sub, intended_award_on: award, intended_contract_start_on: start } = t;
  if (pub && clar && clar <= pub) {
    problems.push({ field: "clarificationDeadlineAt", message: "The clarification deadline must be after the publication date" });
  }
  if (clar && sub && sub <= clar) {
    problems.push({ field: "clarificationDeadlineAt", message: "The clarification deadline must be before the submission deadline" });
  }
  problems.push(...participationTimelineProblems(t));
  if (sub && award && award <= ukDate(sub)) {
    problems.push({ field: "intendedAwardOn", message: "The intended award date must be after the day of the submission deadline" });
  }
  if (award && start && start < award) {
    problems.push({ field: "intendedContractStartOn", message: "The intended contract start must be the same as or after the intended award date" });
  }
  return problems;
}

/** A participation stage's deadline: given, after publication and before the submission deadline (decision 035). */
function participationTimelineProblems(t: Tender): PublicationProblem[] {
  if (!t.participation_stage) return [];
  const { publication_at: pub, participation_deadline_at: part, submission_deadline_at: sub } = t;
  if (!part) return [{ field: "participationDeadlineAt", message: "Enter the participation deadline" }];
  const problems: PublicationProblem[] = [];
  if (pub && part <= pub) problems.push({ field: "participationDeadlineAt", message: "The participation deadline must be after the publication date" });
  if (sub && sub <= part) problems.push({ field: "participationDeadlineAt", message: "The participation deadline must be before the submission deadline" });
  return problems;
}

/** A participation stage needs conditions to assess, and its sections hold only conditions. */
function participationQuestionnaireProblems(t: Tender, questionnaire: Questionnaire): PublicationProblem[] {
  if (!t.participation_stage) return [];
  const sections = questionnaire.sections.filter((s) => s.stage === "participation");
  const problems: PublicationProblem[] = [];
  if (!sections.some((s) => s.questions.some((q) => q.kind !== "quality"))) {
    problems.push({ field: "participationSections", message: "Choose the questionnaire sections that hold the conditions of participation: at least one pass/fail question or declaration" });
  }
  for (const s of sections) {
    for (const q of s.questions.filter((x) => x.kind === "quality")) {
      problems.push({ field: `question-${q.id}`, message: `Question ${q.number} is a quality question in a participation stage section: move it to a section of the bid` });
    }
  }
  return problems;
}

/**
 * Everything that stops the tender being published, and warnings that do
 * not. A pure function of the tender's facts and the time, so each rule is
 * tested on its own.
 */
export function checkPublication(facts: PublicationFacts, now: Date): PublicationCheck {
  const { tender: t, lots, questionnaire } = facts;
  const problems: PublicationProblem[] = [];
  const warnings: PublicationProblem[] = [];
  if (lots.length === 0) problems.push({ field: "lotIds", message: "Choose at least one lot to offer" });
  problems.push(...timelineProblems(t));
  if (t.clarification_deadline_at && t.clarification_deadline_at <= now) {
    problems.push({ field: "clarificationDeadlineAt", message: "The clarification deadline must be in the future" });
  }
  if (t.submission_deadline_at && t.submission_deadline_at <= now) {
    problems.push({ field: "submissionDeadlineAt", message: "The submission deadline must be in the future" });
  }
  if (t.participation_stage && t.participation_deadline_at && t.participation_deadline_at <= now) {
    problems.push({ field: "participationDeadlineAt", message: "The participation deadline must be in the future" });
  }
  problems.push(...participationQuestionnaireProblems(t, questionnaire));

  const questions = questionnaire.sections.flatMap((s) => s.questions);
  for (const q of questions.filter((x) => x.kind === "quality")) {
    const field = `question-${q.id}`;
    if (q.scale.length === 0) problems.push({ field, message: `Question ${q.number} has no scoring scale: add one` });
    const top = Math.max(...q.scale.map((s) => s.score));
    if (q.scale.length > 0 && q.minimumScore !== null && q.minimumScore > top) {
      problems.push({ field, message: `The minimum acceptable score for question ${q.number} is ${q.minimumScore}, above the top of its scale (${top})` });
    }
    if (q.weights.length === 0) problems.push({ field, message: `Question ${q.number} is not weighted for any lot: give it a weight for each lot it applies to` });
  }
  for (const lot of lots) {
    const schedule = questionnaire.priceSchedules.find((s) => s.lotId === lot.id);
    if (!schedule || schedule.items.length === 0) {
      problems.push({ field: `priceSchedule-${lot.id}`, message: `Add a price schedule for ${lotName(lot)}` });
      continue;
    }
    const quality = questions.reduce((sum, q) => sum + (q.weights.find((w) => w.lotId === lot.id)?.weight ?? 0), 0);
    const total = quality + schedule.priceWeight;
    if (total !== 100) {
      problems.push({
        field: `weights-${lot.id}`,
        message: `Quality and price weights for ${lotName(lot)} add up to ${total}% (quality ${quality}%, price ${schedule.priceWeight}%): they must add up to 100%`,
      });
    }
  }

  if (!t.light_touch && t.publication_at && t.submission_deadline_at) {
    const days = daysBetween(t.publication_at, t.submission_deadline_at);
    if (days < MINIMUM_TENDERING_DAYS) {
      warnings.push({
        field: "submissionDeadlineAt",
        message: `The tendering period is ${Math.floor(days)} ${Math.floor(days) === 1 ? "day" : "days"}. Outside the light-touch regime it should be at least ${MINIMUM_TENDERING_DAYS} days`,
      });
    }
  }
  if (t.procedure === "open_framework") {
    if (!t.scheme_start_on) {
      problems.push({ field: "schemeStartOn", message: "Enter the date the framework scheme starts" });
    } else {
      const rule = reopeningRule(t.scheme_start_on, facts.previousReopenings);
      if (rule.dueBy && !t.next_reopening_due_on) {
        problems.push({ field: "nextReopeningDueOn", message: "Enter the date by which the framework must next be re-opened" });
      } else if (rule.dueBy && t.next_reopening_due_on && t.next_reopening_due_on > rule.dueBy) {
        problems.push({ field: "nextReopeningDueOn", message: `The framework must next be re-opened by ${longDate(rule.dueBy)}` });
      }
      if (t.next_reopening_due_on && t.next_reopening_due_on >= rule.schemeEndsBy) {
        problems.push({ field: "nextReopeningDueOn", message: `An open framework may run for 8 years at most: its scheme ends by ${longDate(rule.schemeEndsBy)}` });
      }
      if (t.next_reopening_due_on) {
        const days = daysBetweenDays(ukDate(now), t.next_reopening_due_on);
        if (days <= REOPENING_WARNING_DAYS) {
          warnings.push({
            field: "nextReopeningDueOn",
            message: `The framework must be re-opened by ${longDate(t.next_reopening_due_on)}, ${days < 0 ? `${-days} days ago` : `in ${days} ${days === 1 ? "day" : "days"}`}`,
          });
        }
      }
    }
  }
  return { problems, warnings };
}

async function facts(db: Reader, tender: Tender): Promise<PublicationFacts> {
  return {
    tender,
    lots: await tenderLots(db, tender.id),
    questionnaire: await getQuestionnaire(db, tender.id),
    previousReopenings: tender.reopens_tender_id ? await reopeningDays(db, tender.reopens_tender_id) : [],
  };
}

/** Every reason the tender cannot be published now, and warnings; null for no such tender. */
export async function publicationProblems(db: Reader, tenderId: string, now: Date): Promise<PublicationCheck | null> {
  const tender = await db.selectFrom("tender").selectAll().where("id", "=", tenderId).executeTakeFirst();
  return tender ? checkPublication(await facts(db, tender), now) : null;
}

/** Publishing was refused; `problems` lists every reason, for the error summary. */
export class TenderNotReady extends ActionRefused {
  constructor(readonly problems: PublicationProblem[]) {
    super(`This tender cannot be published yet: ${problems.map((p) => p.message).join("; ")}`);
    this.name = "TenderNotReady";
  }
}

/**
 * Publishes the draft: from now on it changes only by amendment. A
 * publication time already past becomes the moment of publishing, so the
 * notice never claims an earlier one. Publishing a re-opening moves its
 * framework's next re-opening date on by the rule.
 */
export async function publishTender(
  trx: Trx,
  input: { tenderId: string; expectedVersion: number },
  ctx: ActionContext,
): Promise<{ warnings: PublicationProblem[] }> {
  const tender = await lockTender(trx, input.tenderId, input.expectedVersion, { draft: true });
  const check = checkPublication(await facts(trx, tender), ctx.now);
  if (check.problems.length > 0) throw new TenderNotReady(check.problems);
  const publicationAt = tender.publication_at && tender.publication_at > ctx.now ? tender.publication_at : ctx.now;
  const by = ctx.actor?.userId ?? null;
  await trx
    .updateTable("tender")
    .set((eb) => ({
      status: "published",
      publication_at: publicationAt,
      published_at: ctx.now,
      published_by: by,
      version: eb("version", "+", 1),
      updated_at: ctx.now,
      updated_by: by,
    }))
    .where("id", "=", tender.id)
    .execute();
  await recordTenderRelease(trx, { tenderId: tender.id, tag: "tender", at: ctx.now });
  const subjects = [{ type: "tender", id: tender.id }];
  const after: Record<string, unknown> = { Status: "Published", Publication: formatUkDateTime(publicationAt) };
  if (tender.reopens_tender_id) {
    const framework = await trx.selectFrom("tender").select(["id", "scheme_start_on", "next_reopening_due_on"]).where("id", "=", tender.reopens_tender_id).forUpdate().executeTakeFirstOrThrow();
    const next = reopeningRule(framework.scheme_start_on ?? ukDate(publicationAt), await reopeningDays(trx, framework.id)).dueBy;
    await trx.updateTable("tender").set((eb) => ({ next_reopening_due_on: next, version: eb("version", "+", 1) })).where("id", "=", framework.id).execute();
    subjects.push({ type: "tender", id: framework.id });
    after["Framework's next re-opening due"] = fieldInWords("next_reopening_due_on", next);
  }
  if (check.warnings.length > 0) after.Warnings = check.warnings.map((w) => w.message);
  await recordAuditEvent(trx, ctx, {
    action: "tender.published",
    summary: `Published tender "${tender.title}", closing ${formatUkDateTime(tender.submission_deadline_at ?? ctx.now)}`,
    subjects,
    before: { Status: "Draft" },
    after,
  });
  return { warnings: check.warnings };
}

/** What an amendment may change directly; procedure, light touch and lots need a new tender. */
export interface AmendableDetails {
  title?: string;
  summary?: string;
  clarificationDeadlineAt?: UkDateTime;
  /** Only a tender with a participation stage, and only while the deadline is ahead (decision 035). */
  participationDeadlineAt?: UkDateTime;
  submissionDeadlineAt?: UkDateTime;
  intendedAwardOn?: string;
  intendedContractStartOn?: string;
}

/** An amendment changing what providers submit, too close to the deadline; carries the date to propose. */
export class DeadlineMustMove extends ActionRefused {
  constructor(readonly proposedDeadline: Date) {
    super(
      `This amendment changes what providers must submit, so they need at least ${AMENDMENT_NOTICE_DAYS} days after it: ` +
        `move the submission deadline to ${formatUkDateTime(proposedDeadline)} or later`,
      "submissionDeadlineAt",
    );
    this.name = "DeadlineMustMove";
  }
}

export interface AmendmentChange {
  field: string;
  label: string;
  before: unknown;
  after: unknown;
}

/**
 * Amends a published tender: one amendment with its reason and what changed,
 * listed on the tender and emailed to every interested provider. A change
 * to what providers must submit (a question) needs 7 clear days before the
 * deadline: without them it is refused, proposing a deadline 7 days out.
 */
export async function amendTender(
  trx: Trx,
  input: { tenderId: string; expectedVersion: number; reason: string; details?: AmendableDetails; questions?: (QuestionInput & { questionId: string })[] },
  ctx: ActionContext,
  links: { baseUrl: string },
): Promise<{ number: number }> {
  const tender = await lockTender(trx, input.tenderId, input.expectedVersion, { draft: false });
  if (tender.status !== "published") {
    throw new ActionRefused(tender.status === "draft" ? "A draft is changed directly: only a published tender is amended" : "This tender has been cancelled and cannot be amended");
  }
  if (!tender.submission_deadline_at || tender.submission_deadline_at <= ctx.now) {
    throw new ActionRefused("The submission deadline has passed, so this tender can no longer be amended");
  }
  const reason = requiredText(input.reason, "reason", "reason for the amendment", 2000);
  const before = columnsOf(tender);
  const after = { ...before };
  const d = input.details ?? {};
  if (d.title !== undefined) after.title = requiredText(d.title, "title", "title");
  if (d.summary !== undefined) after.summary = optionalText(d.summary, "summary", "summary", 5000) ?? "";
  if (d.clarificationDeadlineAt !== undefined) after.clarification_deadline_at = ukTimeToUtc(d.clarificationDeadlineAt, "clarificationDeadlineAt", "Clarification deadline");
  if (d.participationDeadlineAt !== undefined) after.participation_deadline_at = movedParticipationDeadline(tender, d.participationDeadlineAt, ctx.now);
  if (d.submissionDeadlineAt !== undefined) after.submission_deadline_at = ukTimeToUtc(d.submissionDeadlineAt, "submissionDeadlineAt", "Submission deadline");
  if (d.intendedAwardOn !== undefined) after.intended_award_on = isoDate(d.intendedAwardOn, "intendedAwardOn", "intended award date");
  if (d.intendedContractStartOn !== undefined) after.intended_contract_start_on = isoDate(d.intendedContractStartOn, "intendedContractStartOn", "intended contract start");
  const amended = { ...tender, ...after };
  const outOfOrder = timelineProblems(amended)[0];
  if (outOfOrder) throw new ActionRefused(outOfOrder.message, outOfOrder.field);
  const newDeadline = after.submission_deadline_at ?? tender.submission_deadline_at;
  if (newDeadline.getTime() !== tender.submission_deadline_at.getTime() && newDeadline <= ctx.now) {
    throw new ActionRefused("The submission deadline must be in the future", "submissionDeadlineAt");
  }

  const diff = changedFields(before, after);
  const changes: AmendmentChange[] = diff.columns.map((c) => ({
    field: c,
    label: TENDER_FIELD_LABELS[c],
    before: diff.before[TENDER_FIELD_LABELS[c]],
    after: diff.after[TENDER_FIELD_LABELS[c]],
  }));
  const questionSubjects: { type: string; id: string }[] = [];
  for (const edit of input.questions ?? []) {
    const change = await rewriteQuestion(trx, tender, edit.questionId, edit);
    if (!change) continue;
    questionSubjects.push({ type: "tender_question", id: change.questionId });
    for (const key of Object.keys(change.after)) {
      changes.push({ field: `question-${change.questionId}`, label: `Question ${change.number}: ${key}`, before: change.before[key], after: change.after[key] });
    }
  }
  if (changes.length === 0) throw new ActionRefused("Change at least one thing, or there is nothing to amend");
  const changesSubmission = questionSubjects.length > 0;
  if (changesSubmission) {
    const earliest = ctx.now.getTime() + AMENDMENT_NOTICE_DAYS * 86_400_000;
    if (newDeadline.getTime() < earliest) throw new DeadlineMustMove(deadlineSevenDaysOut(ctx.now, tender.submission_deadline_at));
  }

  const { number, emailed } = await writeAmendment(
    trx,
    { tender: { ...tender, title: after.title }, reason, changes, changesSubmission, submissionDeadline: newDeadline },
    ctx,
    { tenderUrl: `${links.baseUrl}/tenders/${tender.id}` },
  );
  await touchTender(trx, tender.id, ctx, after);
  await recordTenderRelease(trx, { tenderId: tender.id, tag: "tenderAmendment", at: ctx.now });
  await recordAuditEvent(trx, ctx, {
    action: "tender.amended",
    summary: `Amendment ${number} to "${after.title}": ${changes.map((c) => c.label.toLowerCase()).join(", ")}; emailed ${emailed} ${emailed === 1 ? "person" : "people"} at interested providers`,
    subjects: [{ type: "tender", id: tender.id }, ...questionSubjects],
    before: Object.fromEntries(changes.map((c) => [c.label, c.before])),
    after: Object.fromEntries(changes.map((c) => [c.label, c.after])),
    reason,
  });
  return { number };
}

/** The participation deadline an amendment moves to: only while requests are still open, and to a time still ahead. */
function movedParticipationDeadline(tender: Tender, typed: UkDateTime, now: Date): Date {
  const field = "participationDeadlineAt";
  if (!tender.participation_stage) throw new ActionRefused("Only a tender with a participation stage has a participation deadline", field);
  const moved = ukTimeToUtc(typed, field, "Participation deadline");
  if (tender.participation_deadline_at && moved.getTime() === tender.participation_deadline_at.getTime()) return moved;
  if (tender.participation_deadline_at && tender.participation_deadline_at <= now) {
    throw new ActionRefused("The participation deadline has passed, so it can no longer be moved: requests to participate have closed", field);
  }
  if (moved <= now) throw new ActionRefused("The participation deadline must be in the future", field);
  return moved;
}

/**
 * Writes amendment number n+1 of the tender and emails it to every
 * interested provider, in the caller's transaction (which holds the tender's
 * row lock, so numbers follow one another). Shared by amendTender and the
 * documents pack, whose changes to a published tender are amendments too.
 */
export async function writeAmendment(
  trx: Trx,
  input: { tender: Tender; reason: string; changes: AmendmentChange[]; changesSubmission: boolean; submissionDeadline: Date },
  ctx: ActionContext,
  links: { tenderUrl: string },
): Promise<{ id: string; number: number; emailed: number }> {
  const { tender, reason, changes, changesSubmission } = input;
  const { count } = await trx
    .selectFrom("tender_amendment")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("tender_id", "=", tender.id)
    .executeTakeFirstOrThrow();
  const number = Number(count) + 1;
  const { id } = await trx
    .insertInto("tender_amendment")
    .values({
      tender_id: tender.id,
      number,
      reason,
      changes: JSON.stringify(changes),
      changes_submission: changesSubmission,
      amended_at: ctx.now,
      amended_by: ctx.actor?.userId ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const recipients = await interestedRecipients(trx, tender.id);
  for (const r of recipients) {
    await queueEmail(trx, {
      to: r.email,
      template: {
        name: "tender_amended",
        props: {
          organisationName: r.organisationName,
          tenderTitle: tender.title,
          tenderUrl: links.tenderUrl,
          amendmentNumber: number,
          reason,
          changes: changes.map((c) => `${c.label}: was ${inWords(c.before)}, now ${inWords(c.after)}`),
          changesSubmission,
          submissionDeadline: input.submissionDeadline,
        },
      },
    });
  }
  return { id, number, emailed: recipients.length };
}

/** An amendment's before or after value as the tender page and emails list it. */
export function inWords(value: unknown): string {
  if (Array.isArray(value)) return value.join(", ") || "none";
  if (value === null || value === undefined || value === "") return "not set";
  return String(value);
}

export interface AmendmentView {
  number: number;
  reason: string;
  changes: AmendmentChange[];
  changesSubmission: boolean;
  amendedAt: Date;
  amendedBy: string | null;
}

/** The tender's amendments, first first, as listed on the tender. */
export async function listAmendments(db: Reader, tenderId: string): Promise<AmendmentView[]> {
  const rows = await db
    .selectFrom("tender_amendment")
    .leftJoin("app_user", "app_user.id", "tender_amendment.amended_by")
    .select(["number", "reason", "changes", "changes_submission", "amended_at", "app_user.full_name"])
    .where("tender_id", "=", tenderId)
    .orderBy("number")
    .execute();
  return rows.map((r) => ({
    number: r.number,
    reason: r.reason,
    changes: r.changes as AmendmentChange[],
    changesSubmission: r.changes_submission,
    amendedAt: r.amended_at,
    amendedBy: r.full_name,
  }));
}

/** Cancels a draft or published tender, with its reason; interested providers are emailed. Nothing is deleted. */
export async function cancelTender(
  trx: Trx,
  input: { tenderId: string; expectedVersion: number; reason: string },
  ctx: ActionContext,
  links: { baseUrl: string },
): Promise<void> {
  const tender = await lockTender(trx, input.tenderId, input.expectedVersion, { draft: false });
  if (tender.status === "cancelled") throw new ActionRefused("This tender has already been cancelled");
  const reason = requiredText(input.reason, "reason", "reason for cancelling", 2000);
  const by = ctx.actor?.userId ?? null;
  await trx
    .updateTable("tender")
    .set((eb) => ({
      status: "cancelled",
      cancelled_at: ctx.now,
      cancelled_by: by,
      cancellation_reason: reason,
      version: eb("version", "+", 1),
      updated_at: ctx.now,
      updated_by: by,
    }))
    .where("id", "=", tender.id)
    .execute();
  if (tender.status === "published") await recordTenderRelease(trx, { tenderId: tender.id, tag: "tenderCancellation", at: ctx.now });
  const recipients = await interestedRecipients(trx, tender.id);
  for (const r of recipients) {
    await queueEmail(trx, {
      to: r.email,
      template: {
        name: "tender_cancelled",
        props: { organisationName: r.organisationName, tenderTitle: tender.title, tenderUrl: `${links.baseUrl}/tenders/${tender.id}`, reason },
      },
    });
  }
  await recordAuditEvent(trx, ctx, {
    action: "tender.cancelled",
    summary: `Cancelled ${tender.status === "draft" ? "draft " : ""}tender "${tender.title}"; emailed ${recipients.length} ${recipients.length === 1 ? "person" : "people"} at interested providers`,
    subjects: [{ type: "tender", id: tender.id }],
    before: { Status: tender.status === "draft" ? "Draft" : "Published" },
    after: { Status: "Cancelled" },
    reason,
  });
}
