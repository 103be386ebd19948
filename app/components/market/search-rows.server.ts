// The placement search's result rows written as HTML (decision 019): 20 homes
// of eight cells each, with a link and a freshness tag, were most of the
// page's render as React elements, and their words went to the browser
// twice. Written once per page and sent once (decision 026).
import { escapeHtml, html, type TrustedHtml } from "#app/web/html.server";
import { ukDateTime } from "#app/web/format";
import { distanceInWords } from "./search-columns";

/** A home as the results table shows it, in words. */
export interface SearchRow {
  homeId: string;
  name: string;
  providerName: string;
  postcodeDistrict: string;
  distanceMiles: number | null;
  gradeLabel: string;
  ages: string;
  vacancy: string;
  lastConfirmedAt: string | null;
  stale: boolean;
  fee: string;
}

/** When the vacancy was last confirmed, with a "Stale" tag once older than 7 days: the words of `Freshness`. */
export function freshnessHtml(lastConfirmedAt: string | null, stale: boolean): TrustedHtml {
  return html`${lastConfirmedAt ? `Last confirmed ${ukDateTime(lastConfirmedAt)}` : "Never confirmed"}${stale ? html` <strong class="govuk-tag govuk-tag--orange">Stale</strong>` : ""}`;
}

const cell = (content: TrustedHtml | string) => `<td class="govuk-table__cell">${typeof content === "string" ? escapeHtml(content) : content.markup}</td>`;

export function searchRowsHtml(rows: readonly SearchRow[], withDistance: boolean): string {
  let out = "";
  for (const h of rows) {
    out += '<tr class="govuk-table__row">';
    out += cell(html`<a class="govuk-link" href="/homes/${h.homeId}">${h.name}</a><br/><span class="govuk-body-s">${h.providerName}</span>`);
    out += cell(h.postcodeDistrict);
    if (withDistance) out += cell(distanceInWords(h.distanceMiles));
    out += cell(h.gradeLabel) + cell(h.ages) + cell(h.vacancy) + cell(freshnessHtml(h.lastConfirmedAt, h.stale)) + cell(h.fee);
    out += "</tr>";
  }
  return out;
}
