// The rows of the audit trail's table (/audit), written as HTML on the
// server: fifty events of five cells each were most of that page's cost as
// React elements (decision 019). The page looks and reads as it did with the
// Who component and React's rows; the markup is shorter (decision 026). The
// headers stay in the route, which the browser needs too. The filter's list of
// actions is written here too (decision 042).
import { auditActionOptions, type AuditActionOption } from "#app/modules/audit/actions";
import type { AuditListEvent } from "#app/modules/audit/trail";
import type { RecordNames } from "#app/modules/audit/wording";
import { describeActor, eventPath, historyPath, subjectName } from "#app/modules/audit/wording";
import { ukDate, ukTime } from "#app/web/format";
import { html, optionsHtml, type TrustedHtml } from "#app/web/html.server";
import "./audit-labels.server";

/** Rows already written, by the page's events: the newest page is the same objects until the chain grows (decision 046). */
const written = new WeakMap<readonly AuditListEvent[], { names: RecordNames; markup: string }>();

export function auditTrailRows(events: readonly AuditListEvent[], names: RecordNames): string {
  const hit = written.get(events);
  if (hit?.names === names) return hit.markup;
  const markup = events.map((event) => auditTrailRow(event, names).markup).join("");
  written.set(events, { names, markup });
  return markup;
}

function auditTrailRow(event: AuditListEvent, names: RecordNames): TrustedHtml {
  const who = describeActor(event);
  // Bare <tr> and <td>, and a <div> for each line of a cell: the table's own
  // class gives them the GOV.UK table's look (portal.scss), so fifty rows
  // carry no repeated class names (decision 026).
  return html`<tr><td>${event.seq}</td><td>${
    // Date and time on lines of their own, so the column is no wider than a date on a phone.
    html`<div class="portal-nowrap">${ukDate(event.occurredAt)}</div><div>${ukTime(event.occurredAt)}</div>`
  }</td><td><div>${who.who}</div>${who.detail ? html`<div class="portal-secondary-text">${who.detail}</div>` : null}</td><td><strong>${
    event.actionLabel
  }</strong><br/>${event.summary}${
    event.reason ? html`<span class="govuk-hint govuk-!-font-size-16 govuk-!-margin-bottom-0">Reason: ${event.reason}</span>` : null
  }</td><td>${event.subjects.map(
    (subject) =>
      html`<div><a class="govuk-link" href="${historyPath(subject)}"><span class="govuk-visually-hidden">History of </span>${subjectName(subject, names)}</a></div>`,
  )}${moreRecords(event)}</td></tr>`;
}

/**
 * "and 303 more" when the event names more records than the list shows, a
 * link to the event's own page, which lists them all (decision 034).
 */
function moreRecords(event: AuditListEvent): TrustedHtml | null {
  const more = event.subjectCount - event.subjects.length;
  if (more <= 0) return null;
  return html`<div><a class="govuk-link" href="${eventPath(event.seq)}">and ${more} more<span class="govuk-visually-hidden"> records of event ${event.seq}</span></a></div>`;
}

/** The list as last written with nothing chosen: the same for every view of the trail until a module registers more actions. */
let unchosen: { options: readonly AuditActionOption[]; markup: string } | null = null;

/**
 * The options of the trail's "Action" filter, "Any action" first, with the
 * chosen one (or "Any action") selected. A hundred options as React elements,
 * and again as the browser's copy of the loader's data, cost the page more
 * than its fifty rows (decision 042).
 */
export function auditActionOptionsHtml(chosen: string | undefined): string {
  const options = auditActionOptions();
  const value = chosen ?? "";
  if (value === "" && unchosen?.options === options) return unchosen.markup;
  const markup = optionsHtml([{ value: "", label: "Any action" }, ...options.map((option) => ({ value: option.name, label: option.label }))], value);
  if (value === "") unchosen = { options, markup };
  return markup;
}
