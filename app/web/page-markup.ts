// The browser's side of markup sent once (decision 026): a loader returns
// HTML it wrote as a DocumentOnlyHtml (html.server.ts) when Remix renders the
// whole page, so the browser's copy of the data holds an empty object in its
// place. The page then takes the markup from where the server wrote it.

const markupReadFromPage = new WeakMap<object, string>();

/**
 * The markup to show: the loader's string after a link followed in the page;
 * in the server's render, the markup the loader held back from the browser;
 * in the browser that starts on a page the server wrote, what the element
 * `selector` finds already holds, read before React takes it over, so what
 * React is given matches what is there.
 */
export function pageMarkup(markup: string | { readonly markup?: string }, selector: string): string {
  if (typeof markup === "string") return markup;
  if (typeof markup.markup === "string") return markup.markup;
  let read = markupReadFromPage.get(markup);
  if (read === undefined) {
    read = typeof document === "undefined" ? "" : (document.querySelector(selector)?.innerHTML ?? "");
    markupReadFromPage.set(markup, read);
  }
  return read;
}
