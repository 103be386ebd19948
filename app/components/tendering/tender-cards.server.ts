// The /tenders list: one GOV.UK summary card per tender with its status,
// procedure, key dates in UK time, lots and estimated value. Cards rather
// than a table, so a phone reads each tender down the screen. The cards are
// written as one escaped HTML string (decisions 019 and 041): as React
// elements, 25 cards of six rows each were most of the page's rendering, and
// their words went to the browser twice.
import { html, type TrustedHtml } from "#app/web/html.server";
import type { TenderListItem } from "#app/modules/tendering/tenders";
import { tenderRow, type TenderRow } from "./tender-row.server";

const STATUS_TAGS = {
  draft: html`<strong class="govuk-tag govuk-tag--grey">Draft</strong>`,
  cancelled: html`<strong class="govuk-tag govuk-tag--red">Cancelled</strong>`,
  open: html`<strong class="govuk-tag govuk-tag--green">Open for bids</strong>`,
  closed: html`<strong class="govuk-tag govuk-tag--yellow">Closed</strong>`,
};

function statusTag(row: TenderRow): TrustedHtml {
  if (row.status === "draft" || row.status === "cancelled") return STATUS_TAGS[row.status];
  return row.open ? STATUS_TAGS.open : STATUS_TAGS.closed;
}

function list(items: string[], empty: string): TrustedHtml | string {
  if (items.length === 0) return empty;
  return html`<ul class="govuk-list govuk-!-margin-bottom-0">${items.map((item) => html`<li>${item}</li>`)}</ul>`;
}

function summaryRow(key: string, value: TrustedHtml | string): TrustedHtml {
  return html`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">${key}</dt><dd class="govuk-summary-list__value">${value}</dd></div>`;
}

function tenderCard(t: TenderRow): TrustedHtml {
  return html`<div class="govuk-summary-card"><div class="govuk-summary-card__title-wrapper"><h3 class="govuk-summary-card__title"><a class="govuk-link" href="/tenders/${t.id}">${t.title}</a></h3></div><div class="govuk-summary-card__content"><dl class="govuk-summary-list">${[
    summaryRow("Status", statusTag(t)),
    summaryRow("Agreement", t.agreement),
    summaryRow("Procedure", t.procedure),
    summaryRow("Key dates (UK time)", list(t.dates.map((d) => `${d.label}: ${d.value}`), "Not set yet")),
    summaryRow("Lots", list(t.lots, "None chosen yet")),
    summaryRow("Estimated value", t.value),
  ]}</dl></div></div>`;
}

export function tenderCards(rows: readonly TenderRow[]): string {
  return rows.map((row) => tenderCard(row).markup).join("");
}

/** Cards already written, by list: the kept first page of /tenders is the same list until it changes (decision 047). */
const written = new WeakMap<readonly TenderListItem[], string>();

/** The cards of a list of tenders, written once for the same list. */
export function tenderListCards(items: readonly TenderListItem[]): string {
  let markup = written.get(items);
  if (markup === undefined) written.set(items, (markup = tenderCards(items.map(tenderRow))));
  return markup;
}
