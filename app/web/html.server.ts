// HTML written as a string, for the few long tables where React's per-element
// work dominates the page (decision 019). Every value put into a template is
// escaped unless it is itself the result of `html`, so text from the
// database is always shown as text.

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

const SPECIAL = /[&<>"']/;

export function escapeHtml(text: string): string {
  // Most values (names, dates, numbers) have nothing to escape: test before building a new string.
  return SPECIAL.test(text) ? text.replace(/[&<>"']/g, (c) => ESCAPES[c]!) : text;
}

/** Markup made by `html`: already escaped, so it is put in as it is. */
export class TrustedHtml {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

export type HtmlValue = string | number | TrustedHtml | null | undefined | false | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (typeof value === "string") return escapeHtml(value);
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof TrustedHtml) return value.markup;
  if (Array.isArray(value)) {
    let out = "";
    for (const item of value) out += render(item);
    return out;
  }
  return escapeHtml(String(value));
}

/**
 * A tagged template: html`<td>${name}</td>` escapes `name`. Attribute values
 * must be quoted with double quotes in the template.
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): TrustedHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new TrustedHtml(out);
}

/**
 * Markup that only the server's render of a whole page reads (decision 026).
 * Remix sends the browser its own copy of every loader's data, inside the
 * page, so markup returned as a string goes out twice: once in the table and
 * once, escaped again, in that copy. Held here it goes out once: Remix copies
 * a class instance as its enumerable fields, and `markup` is not one, so the
 * browser's copy is an empty object and the page takes the rows from the
 * table the server wrote (`usePageMarkup` in the page).
 */
export class DocumentOnlyHtml {
  declare readonly markup: string;
  constructor(markup: string) {
    Object.defineProperty(this, "markup", { value: markup, enumerable: false });
  }
}

/**
 * Rows for a loader to return: held back from the browser's copy when Remix
 * renders the page from this request, as a string when the browser asked for
 * the data alone (a link followed in the page, `.data`), which it then draws.
 */
export function markupForPage(markup: string, rendersDocument: boolean | undefined): string | DocumentOnlyHtml {
  return rendersDocument ? new DocumentOnlyHtml(markup) : markup;
}

/**
 * A GOV.UK table's body rows as HTML, each cell's text escaped: the rows the
 * React `Table` would draw from the same columns, written once for a page
 * that is kept (decision 048).
 */
export function tableRowsHtml<Row>(rows: readonly Row[], columns: readonly { numeric?: boolean; text: (row: Row) => string }[]): string {
  let out = "";
  for (const row of rows) {
    out += '<tr class="govuk-table__row">';
    for (const c of columns) out += `<td class="govuk-table__cell${c.numeric ? " govuk-table__cell--numeric" : ""}">${escapeHtml(c.text(row))}</td>`;
    out += "</tr>";
  }
  return out;
}

/**
 * A select's options as HTML, the chosen one (by value) selected: for a form
 * whose long lists cost its page more as React elements, and again in the
 * browser's copy of the loader's data, than the rest of it (decisions 042 and 057).
 */
export function optionsHtml(options: readonly { value: string; label: string }[], chosen: string): string {
  let out = "";
  for (const o of options) out += `<option value="${escapeHtml(o.value)}"${o.value === chosen ? " selected" : ""}>${escapeHtml(o.label)}</option>`;
  return out;
}
