// Pages the HTTP layer answers itself, before Remix: kept in the GOV.UK look.
import { errorTitle, pageTitle } from "#app/web/page-title";

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A whole page with a heading and paragraphs of plain text (escaped here); `detail` is printed small. */
function refusalPage(page: { title: string; paragraphs: string[]; detail?: string }): string {
  return `<!DOCTYPE html>
<html lang="en-GB" class="govuk-template">
<head><meta charset="utf-8"><title>${escape(errorTitle(pageTitle(page.title)))}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="/portal.css">
<link rel="icon" href="/favicon.ico" sizes="48x48"><link rel="icon" href="/favicon.svg" type="image/svg+xml"></head>
<body class="govuk-template__body">
<a href="#main-content" class="govuk-skip-link">Skip to main content</a>
<header><div class="govuk-generic-header"><div class="govuk-generic-header__container govuk-width-container"><div class="govuk-generic-header__logo">
<a href="/" class="govuk-generic-header__homepage-link">Children's Placements Portal</a></div></div></div></header>
<div class="govuk-width-container"><main class="govuk-main-wrapper" id="main-content">
<h1 class="govuk-heading-l">${escape(page.title)}</h1>
${page.paragraphs.map((p) => `<p class="govuk-body">${escape(p)}</p>`).join("\n")}
<p class="govuk-body">Go back to the page you were on, or go to the <a class="govuk-link" href="/">home page</a>.</p>
${page.detail ? `<p class="govuk-body govuk-!-font-size-16">${escape(page.detail)}</p>` : ""}
</main></div></body></html>`;
}

export function csrfFailedPage(reason: string): string {
  return refusalPage({
    title: "Your form could not be sent",
    paragraphs: [
      "This can happen if the page was open for a long time, or you signed in or out in another tab. Nothing was saved.",
      "Reload the page you were on and try again.",
    ],
    detail: `Reason: ${reason}`,
  });
}

export function tooLargePage(limitBytes: number): string {
  return refusalPage({
    title: "What you sent is too large",
    paragraphs: [`The portal accepts forms of up to ${Math.floor(limitBytes / 1024 / 1024)} MB here. Nothing was saved.`],
  });
}

/** The same refusal for a machine reading a JSON address. */
export const UNREADABLE_JSON = "The address contains a NUL character, which cannot be used here";

export function unreadableRequestPage(reference: string): string {
  return refusalPage({
    title: "The portal could not read what you sent",
    paragraphs: [
      "The address or the form contains a character that cannot be used here (a NUL character, often pasted in by mistake). Nothing was saved.",
      "Remove it and try again.",
    ],
    detail: `Reference: ${reference}`,
  });
}
