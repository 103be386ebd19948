// The rows of the audit trail's table (/audit), written as HTML on the
// server: fifty events of five cells each were most of that page's cost as
// React elements (decision 019). The markup is the one the Who component and
// the page used before, so the page looks and reads the same. The headers stay
// in the route, which the browser needs too.
import type { AuditListEvent } from "#app/modules/audit/trail";
import type { RecordNames } from "#app/modules/audit/wording";
import { describeActor, historyPath, subjectName } from "#app/modules/audit/wording";
import { ukDate, ukTime } from "#app/web/format";
import { html, type TrustedHtml } from "#app/web/html.server";

export function auditTrailRows(events: readonly AuditListEvent[], names: RecordNames): string {
  return events.map((event) => auditTrailRow(event, names).markup).join("");
}

function auditTrailRow(event: AuditListEvent, names: RecordNames): TrustedHtml {
  const who = describeActor(event);
  return html`<tr class="govuk-table__row"><td class="govuk-table__cell">${event.seq}</td><td class="govuk-table__cell">${
    // Date and time on lines of their own, so the column is no wider than a date on a phone.
    html`<span class="portal-audit-line portal-nowrap">${ukDate(event.occurredAt)}</span><span class="portal-audit-line">${ukTime(event.occurredAt)}</span>`
  }</td><td class="govuk-table__cell"><span class="portal-audit-line">${who.who}</span>${
    who.detail ? html`<span class="portal-audit-line portal-secondary-text">${who.detail}</span>` : null
  }</td><td class="govuk-table__cell"><strong>${event.actionLabel}</strong><br/>${event.summary}${
    event.reason ? html`<span class="govuk-hint govuk-!-font-size-16 govuk-!-margin-bottom-0">Reason: ${event.reason}</span>` : null
  }</td><td class="govuk-table__cell">${event.subjects.map(
    (subject) =>
      html`<span class="portal-audit-line"><a class="govuk-link" href="${historyPath(subject)}"><span class="govuk-visually-hidden">History of </span>${subjectName(subject, names)}</a></span>`,
  )}</td></tr>`;
}
