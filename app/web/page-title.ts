// Every page's <title>: "<page name> – Children's Placements Portal", with
// "Error: " in front while the page shows errors (GOV.UK's pattern), so a
// screen reader user hears that something went wrong before anything else.
// Routes name their page with `meta = () => pageMeta("Sign in")`; the root
// layout adds the "Error: " (see PageTitle in app/root.tsx).
import type { MetaDescriptor } from "@remix-run/node";

export const SERVICE_NAME = "Children's Placements Portal";

export function pageTitle(name: string): string {
  return `${name} – ${SERVICE_NAME}`;
}

export function pageMeta(name: string): MetaDescriptor[] {
  return [{ title: pageTitle(name) }];
}

/**
 * Whether a route's loader or action data carries errors the page shows in
 * its error summary: by the portal's convention, a non-empty `errors` record.
 */
export function showsErrors(data: unknown): boolean {
  if (typeof data !== "object" || data === null || !("errors" in data)) return false;
  const errors: unknown = data.errors;
  return typeof errors === "object" && errors !== null && Object.values(errors).some(Boolean);
}

export function errorTitle(title: string): string {
  return title.startsWith("Error: ") ? title : `Error: ${title}`;
}
