// Tells a provider's users, once per document, that a document in their
// evidence library expires within 30 days. Safe with several instances
// running it at once: each run locks the documents it takes (FOR UPDATE SKIP
// LOCKED) and marks them reminded in the same transaction, so another run
// either skips them or, once this one commits, no longer finds them due.
import type { Trx } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { longDate, ukDate } from "#app/modules/common/input";
import type { ActionContext } from "#app/modules/identity/actor";
import { activeProviderUsers } from "#app/modules/identity/queries";
import { queueEmail } from "#app/modules/outbox/outbox";
import { addDays, EVIDENCE_KIND_LABELS, EXPIRY_WARNING_DAYS } from "./evidence";

export async function sendEvidenceExpiryReminders(
  trx: Trx,
  options: { baseUrl: string },
  ctx: ActionContext,
): Promise<{ documents: number; emails: number }> {
  const today = ukDate(ctx.now);
  const due = await trx
    .selectFrom("evidence_document")
    .innerJoin("organisation", "organisation.id", "evidence_document.organisation_id")
    .select([
      "evidence_document.id",
      "evidence_document.organisation_id",
      "evidence_document.kind",
      "evidence_document.title",
      "evidence_document.expires_on",
      "organisation.name as organisation_name",
    ])
    .where("evidence_document.superseded_at", "is", null)
    .where("evidence_document.expiry_reminder_sent_at", "is", null)
    .where("evidence_document.expires_on", ">=", today)
    .where("evidence_document.expires_on", "<=", addDays(today, EXPIRY_WARNING_DAYS))
    .orderBy("evidence_document.expires_on")
    .orderBy("evidence_document.id")
    .forUpdate("evidence_document")
    .skipLocked()
    .execute();
  if (due.length === 0) return { documents: 0, emails: 0 };
  const users = await activeProviderUsers(trx, [...new Set(due.map((d) => d.organisation_id))]);
  let emails = 0;
  for (const doc of due) {
    for (const user of users.filter((u) => u.organisation_id === doc.organisation_id)) {
      await queueEmail(trx, {
        to: user.email,
        template: {
          name: "evidence_expiry",
          props: {
            organisationName: doc.organisation_name,
            documentTitle: doc.title,
            kindLabel: EVIDENCE_KIND_LABELS[doc.kind],
            expiresOn: longDate(doc.expires_on!),
            documentUrl: new URL(`/evidence/${doc.id}`, options.baseUrl).toString(),
          },
        },
      });
      emails++;
    }
  }
  await trx
    .updateTable("evidence_document")
    .set({ expiry_reminder_sent_at: ctx.now })
    .where("id", "in", due.map((d) => d.id))
    .execute();
  await recordAuditEvent(trx, ctx, {
    action: "evidence.expiry_reminders_sent",
    summary: `Reminded providers that ${due.length} document${due.length === 1 ? "" : "s"} expire within ${EXPIRY_WARNING_DAYS} days (${emails} email${emails === 1 ? "" : "s"})`,
    subjects: [
      ...due.map((d) => ({ type: "evidence_document", id: d.id })),
      ...[...new Set(due.map((d) => d.organisation_id))].map((id) => ({ type: "organisation", id })),
    ],
    after: Object.fromEntries(due.map((d) => [`${d.organisation_name}: ${d.title}`, `expires ${longDate(d.expires_on!)}`])),
  });
  return { documents: due.length, emails };
}
