// What the moderation page shows of each answer without anyone acting on
// it: the wide-spread flag, the answer itself, the evaluators' scores and
// justifications, and the agreed score, written as HTML on the server
// (decisions 019, 026 and 036). Twenty-five answers of this as React
// elements, and their texts sent again as the browser's copy of the data,
// were most of the page's cost. The markup is the Tag, details, Table and
// SummaryList components' own; the form stays in the route, in React.
import { html, type HtmlValue, type TrustedHtml } from "#app/web/html.server";

export interface AnswerToShow {
  /** Unique on the page: it names the scores table's caption. */
  key: string;
  provider: string;
  text: string;
  words: number;
  /** Evaluators yet to submit, while the scores are held back. */
  waiting: string[];
  scores: { id: string; evaluator: string; score: number; justification: string; corrected: boolean }[] | null;
  spread: number | null;
  wide: boolean;
  moderation: { score: number; rationale: string; by: string; replaced: number } | null;
}

export function moderationAnswerMarkup(a: AnswerToShow): string {
  return html`${a.wide ? html`<p class="govuk-body"><strong class="govuk-tag govuk-tag--orange">Wide spread: discuss</strong></p>` : null}<details class="govuk-details"><summary class="govuk-details__summary"><span class="govuk-details__summary-text">Read ${a.provider}'s answer (${a.words} words)</span></summary><div class="govuk-details__text">${paragraphs(a.text || "Not answered")}</div></details>${
    a.scores ? scoresTable(a.key, a.scores, a.spread) : html`<p class="govuk-body">${a.waiting.length ? `Waiting for ${a.waiting.join(" and ")} to submit their scores.` : "No evaluator is on this answer yet."}</p>`
  }${a.moderation ? agreed(a.moderation) : null}`.markup;
}

function scoresTable(key: string, scores: NonNullable<AnswerToShow["scores"]>, spread: number | null): TrustedHtml {
  const caption = `Evaluators' scores${spread !== null ? `: spread of ${spread} ${spread === 1 ? "point" : "points"}` : ""}`;
  // A table wider than the screen scrolls inside its own named, focusable box, as Table's does.
  return html`<div class="portal-table-container" role="region" aria-labelledby="${key}-scores" tabindex="0"><table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--m" id="${key}-scores">${caption}</caption><thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Evaluator</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Score</th><th scope="col" class="govuk-table__header">Justification</th></tr></thead><tbody class="govuk-table__body">${scores.map(
    (s) =>
      html`<tr class="govuk-table__row"><td class="govuk-table__cell">${s.evaluator}</td><td class="govuk-table__cell govuk-table__cell--numeric">${s.score}${s.corrected ? " (corrected)" : ""}</td><td class="govuk-table__cell">${s.justification}</td></tr>`,
  )}</tbody></table></div>`;
}

function agreed(m: NonNullable<AnswerToShow["moderation"]>): TrustedHtml {
  const changed = m.replaced ? ` (changed ${m.replaced} ${m.replaced === 1 ? "time" : "times"})` : "";
  return html`<dl class="govuk-summary-list">${row("Agreed score", html`${m.score}${changed}`)}${row("Rationale", paragraphs(m.rationale))}${row("Recorded by", m.by)}</dl>`;
}

function row(key: string, value: HtmlValue): TrustedHtml {
  return html`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">${key}</dt><dd class="govuk-summary-list__value">${value}</dd></div>`;
}

/** Text as the person wrote it, as the Paragraphs component shows it: blank lines start a paragraph, single line breaks are kept. */
function paragraphs(text: string): TrustedHtml[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== "")
    .map((p) => html`<p class="govuk-body">${p.split("\n").map((line, i) => (i > 0 ? html`<br>${line}` : line))}</p>`);
}
