// Reads the audit trail page's table (written as HTML on the server) back into
// what people see in each row, for tests of the /audit loader.

/**
 * The trail's rows as people read them: the table's HTML taken apart, with the
 * text unescaped. The loader gives the markup as a string, or held back for
 * the server's render of the page (decision 026).
 */
export function rowsOf(data: { rowsHtml: string | { readonly markup: string } }) {
  const rowsHtml = typeof data.rowsHtml === "string" ? data.rowsHtml : data.rowsHtml.markup;
  const text = (markup: string) =>
    markup
      .replace(/<[^>]+>/g, "")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, "&");
  return [...rowsHtml.matchAll(/<tr>(.*?)<\/tr>/g)].map(([, row]) => {
    const cells = [...row!.matchAll(/<td>(.*?)<\/td>/g)].map(([, cell]) => cell!);
    const lines = [...cells[2]!.matchAll(/<div[^>]*>(.*?)<\/div>/g)].map(([, line]) => text(line!));
    return {
      seq: Number(cells[0]),
      who: { who: lines[0], detail: lines[1] ?? null },
      actionLabel: text(/<strong>(.*?)<\/strong>/.exec(cells[3]!)![1]!),
      records: [...cells[4]!.matchAll(/<a class="govuk-link" href="([^"]*)"><span class="govuk-visually-hidden">History of <\/span>(.*?)<\/a>/g)].map(
        ([, href, name]) => ({ href: text(href!), name: text(name!) }),
      ),
      /** "and 303 more", the link to the event's page when it names more records than the row lists. */
      more: [...cells[4]!.matchAll(/<a class="govuk-link" href="([^"]*)">(and \d+ more)<span class="govuk-visually-hidden">(.*?)<\/span><\/a>/g)].map(
        ([, href, words, hidden]) => ({ href: text(href!), text: text(words!), hidden: text(hidden!) }),
      )[0] ?? null,
    };
  });
}
