// Reminders before a tender's deadline, 72 and 24 hours ahead, to the active
// users of each interested provider that has started a bid but has no
// submitted version counting. The background loop calls this every ten
// minutes on every instance; a bid_reminder row per tender, provider and
// reminder (its primary key) makes each one go once, however many run.
import type { Trx } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import type { ActionContext } from "#app/modules/identity/actor";
import { activeProviderUsers } from "#app/modules/identity/queries";
import { queueEmail } from "#app/modules/outbox/outbox";
import { isInterested } from "./interest";

registerAuditActions({
  "bid.reminders_sent": "Reminded providers of a bid deadline",
});

const HOUR = 3_600_000;

/** The reminder due now for a deadline this far ahead: the 24-hour one inside a day, else the 72-hour one inside three. */
export function reminderDue(deadline: Date, now: Date): 72 | 24 | null {
  const left = deadline.getTime() - now.getTime();
  if (left <= 0) return null;
  if (left <= 24 * HOUR) return 24;
  if (left <= 72 * HOUR) return 72;
  return null;
}

export async function sendBidReminders(trx: Trx, options: { baseUrl: string }, ctx: ActionContext): Promise<{ reminders: number; emails: number }> {
  const tenders = await trx
    .selectFrom("tender")
    .select(["id", "title", "submission_deadline_at"])
    .where("status", "=", "published")
    .where("submission_deadline_at", ">", ctx.now)
    .where("submission_deadline_at", "<=", new Date(ctx.now.getTime() + 72 * HOUR))
    .execute();
  let reminders = 0;
  let emails = 0;
  const bidIds: string[] = [];
  for (const tender of tenders) {
    const hours = reminderDue(tender.submission_deadline_at!, ctx.now);
    if (!hours) continue;
    // Drafts with no version counting: none submitted, or the latest withdrawn.
    const drafts = await trx
      .selectFrom("bid")
      .innerJoin("organisation", "organisation.id", "bid.organisation_id")
      .select(["bid.id", "bid.organisation_id", "organisation.name"])
      .where("bid.tender_id", "=", tender.id)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom("bid_submission as s")
              .select("s.id")
              .whereRef("s.bid_id", "=", "bid.id")
              .where(({ not: n, exists: e, selectFrom: sf }) =>
                n(e(sf("bid_withdrawal as w").select("w.id").whereRef("w.bid_id", "=", "s.bid_id").whereRef("w.submission_number", "=", "s.number"))),
              )
              .where(({ not: n, exists: e, selectFrom: sf }) => n(e(sf("bid_submission as later").select("later.id").whereRef("later.bid_id", "=", "s.bid_id").whereRef("later.number", ">", "s.number")))),
          ),
        ),
      )
      .execute();
    for (const draft of drafts) {
      if (!(await isInterested(trx, tender.id, draft.organisation_id))) continue;
      // The key is taken once: a second instance waits here for the first's commit, then does nothing.
      const marked = await trx
        .insertInto("bid_reminder")
        .values({ tender_id: tender.id, organisation_id: draft.organisation_id, hours_before: hours, sent_at: ctx.now })
        .onConflict((oc) => oc.columns(["tender_id", "organisation_id", "hours_before"]).doNothing())
        .returning("tender_id")
        .executeTakeFirst();
      if (!marked) continue;
      reminders++;
      bidIds.push(draft.id);
      for (const user of await activeProviderUsers(trx, [draft.organisation_id])) {
        await queueEmail(trx, {
          to: user.email,
          template: {
            name: "bid_reminder",
            props: { tenderTitle: tender.title, organisationName: draft.name, deadline: tender.submission_deadline_at!, hoursBefore: hours, bidUrl: new URL(`/tenders/${tender.id}/bid`, options.baseUrl).toString() },
          },
        });
        emails++;
      }
    }
  }
  if (reminders > 0) {
    await recordAuditEvent(trx, ctx, {
      action: "bid.reminders_sent",
      summary: `Reminded ${reminders} ${reminders === 1 ? "provider" : "providers"} with unsubmitted bids of a deadline (${emails} ${emails === 1 ? "email" : "emails"})`,
      // The bids, not the tenders: who is drafting is not the council's to follow before the opening.
      subjects: bidIds.map((id) => ({ type: "bid", id })),
      after: { Reminders: reminders, Emails: emails },
    });
  }
  return { reminders, emails };
}
