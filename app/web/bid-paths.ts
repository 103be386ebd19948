// Addresses of a provider's bid pages, for links on the server and in the browser.
export function bidPath(tenderId: string, rest = ""): string {
  return `/tenders/${tenderId}/bid${rest}`;
}
