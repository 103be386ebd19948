// Pages the HTTP layer answers itself, before Remix: kept in the GOV.UK look.
import { errorTitle, pageTitle } from "#app/web/page-title";

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function csrfFailedPage(reason: string): string {
  return `<!DOCTYPE html>
<html lang="en-GB" class="govuk-template">
<head><meta charset="utf-8"><title>${escape(errorTitle(pageTitle("Your form could not be sent")))}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="/portal.css">
<link rel="icon" href="/favicon.ico" sizes="48x48"><link rel="icon" href="/favicon.svg" type="image/svg+xml"></head>
<body class="govuk-template__body">
<a href="#main-content" class="govuk-skip-link">Skip to main content</a>
<header><div class="govuk-generic-header"><div class="govuk-generic-header__container govuk-width-container"><div class="govuk-generic-header__logo">
<a href="/" class="govuk-generic-header__homepage-link">Children's Placements Portal</a></div></div></div></header>
<div class="govuk-width-container"><main class="govuk-main-wrapper" id="main-content">
<h1 class="govuk-heading-l">Your form could not be sent</h1>
<p class="govuk-body">This can happen if the page was open for a long time, or you signed in or out in another tab. Nothing was saved.</p>
<p class="govuk-body">Go back to the page you were on, reload it and try again, or go to the <a class="govuk-link" href="/">home page</a>.</p>
<p class="govuk-body govuk-!-font-size-16">Reason: ${escape(reason)}</p>
</main></div></body></html>`;
}
