// The page side of markup a loader wrote as an HTML string (decision 026):
// used by the route component, in the server's render and in the browser.

const markupReadFromPage = new WeakMap<object, string>();

/**
 * The markup: the loader's string after a link followed in the page; in the
 * server's render, the markup the loader held back from the browser
 * (`markupForPage`); in the browser that starts on a page the server wrote,
 * what is already in the page at `selector`, read before React takes it
 * over, so what React is given matches what is there.
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
