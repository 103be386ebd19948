// Open frameworks coming up for re-opening (Procurement Act 2023 s.49): the
// list a council's officers see on their dashboard, and the reminders the
// background loop emails 90 and 30 days ahead. A framework's next re-opening
// date is kept on its tender and moves on when a re-opening is published
// (publication.ts), so a framework drops off once re-opened.
import type { Reader, Trx } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { ukDate } from "#app/modules/common/input";
import type { ActionContext } from "#app/modules/identity/actor";
import { activeCouncilUsers } from "#app/modules/identity/queries";
import { queueEmail } from "#app/modules/outbox/outbox";
import { REOPENING_WARNING_DAYS } from "./publication";
import { addDaysToDay, daysBetweenDays } from "./timeline";

registerAuditActions({
  "tender.reopening_reminders_sent": "Reminded officers that open frameworks must be re-opened",
});

export interface FrameworkDueForReopening {
  tenderId: string;
  title: string;
  councilId: string;
  dueOn: string;
  /** Negative when overdue. */
  daysLeft: number;
  /** A re-opening of it already drafted (not yet published), if any. */
  draft: { id: string; title: string } | null;
}

/** Published open frameworks that must be re-opened within REOPENING_WARNING_DAYS (or are overdue), soonest first. */
export async function frameworksDueForReopening(db: Reader, input: { now: Date; councilId?: string }): Promise<FrameworkDueForReopening[]> {
  const today = ukDate(input.now);
  const rows = await db
    .selectFrom("tender as t")
    .innerJoin("agreement as a", "a.id", "t.agreement_id")
    .leftJoin(
      (eb) =>
        eb
          .selectFrom("tender as d")
          .select(["d.reopens_tender_id", "d.id", "d.title"])
          .distinctOn("d.reopens_tender_id")
          .where("d.status", "=", "draft")
          .where("d.reopens_tender_id", "is not", null)
          .orderBy("d.reopens_tender_id")
          .orderBy("d.created_at", "desc")
          .as("draft"),
      (join) => join.onRef("draft.reopens_tender_id", "=", "t.id"),
    )
    .select(["t.id", "t.title", "t.next_reopening_due_on", "a.lead_council_id", "draft.id as draft_id", "draft.title as draft_title"])
    .where("t.procedure", "=", "open_framework")
    .where("t.status", "=", "published")
    .where("t.reopens_tender_id", "is", null)
    .where("t.next_reopening_due_on", "is not", null)
    .where("t.next_reopening_due_on", "<=", addDaysToDay(today, REOPENING_WARNING_DAYS))
    .$if(input.councilId !== undefined, (q) => q.where("a.lead_council_id", "=", input.councilId!))
    .orderBy("t.next_reopening_due_on")
    .orderBy("t.title")
    .execute();
  return rows.map((r) => ({
    tenderId: r.id,
    title: r.title,
    councilId: r.lead_council_id,
    dueOn: r.next_reopening_due_on!,
    daysLeft: daysBetweenDays(today, r.next_reopening_due_on!),
    draft: r.draft_id && r.draft_title ? { id: r.draft_id, title: r.draft_title } : null,
  }));
}

/** The reminder due for a re-opening this many days away: the 30-day one inside 30 days (or overdue), else the 90-day one inside 90. */
export function reopeningReminderDue(daysLeft: number): 90 | 30 | null {
  if (daysLeft <= 30) return 30;
  if (daysLeft <= 90) return 90;
  return null;
}

/**
 * For the background loop: emails the lead council's commissioning officers
 * about each framework whose re-opening is 90 or 30 days away (or overdue),
 * once per framework, due date and reminder, however many instances run.
 */
export async function sendReopeningReminders(trx: Trx, options: { baseUrl: string }, ctx: ActionContext): Promise<{ reminders: number; emails: number }> {
  let reminders = 0;
  let emails = 0;
  const subjects: { type: string; id: string }[] = [];
  for (const f of await frameworksDueForReopening(trx, { now: ctx.now })) {
    const days = reopeningReminderDue(f.daysLeft);
    if (!days) continue;
    // The 30-day reminder stands in for a 90-day one never sent (a framework first noticed late).
    const marked = await trx
      .insertInto("framework_reopening_reminder")
      .values({ tender_id: f.tenderId, due_on: f.dueOn, days_before: days, sent_at: ctx.now })
      .onConflict((oc) => oc.columns(["tender_id", "due_on", "days_before"]).doNothing())
      .returning("tender_id")
      .executeTakeFirst();
    if (!marked) continue;
    reminders++;
    subjects.push({ type: "tender", id: f.tenderId });
    for (const officer of await activeCouncilUsers(trx, f.councilId, "commissioning_officer")) {
      await queueEmail(trx, {
        to: officer.email,
        template: {
          name: "framework_reopening",
          props: {
            tenderTitle: f.title,
            dueOn: f.dueOn,
            daysLeft: f.daysLeft,
            draftTitle: f.draft?.title ?? null,
            tenderUrl: new URL(`/tenders/${f.tenderId}`, options.baseUrl).toString(),
            newTenderUrl: new URL("/tenders/new", options.baseUrl).toString(),
          },
        },
      });
      emails++;
    }
  }
  if (reminders > 0) {
    await recordAuditEvent(trx, ctx, {
      action: "tender.reopening_reminders_sent",
      summary: `Reminded officers that ${reminders} open ${reminders === 1 ? "framework" : "frameworks"} must be re-opened (${emails} ${emails === 1 ? "email" : "emails"})`,
      subjects,
      after: { Frameworks: reminders, Emails: emails },
    });
  }
  return { reminders, emails };
}
