// Where to send someone after signing in. The value comes from the address
// bar, so it is read the way the browser will read the Location header
// (WHATWG URL parsing: tabs and newlines dropped, backslashes as slashes,
// dot segments resolved) and kept only if it stays on this site.

// Any origin does: only whether the parsed result keeps it matters.
const HERE = "http://portal.invalid";

/** A path on this site, normalised as the browser would; otherwise `fallback`. */
export function safeReturnTo(value: unknown, fallback = "/"): string {
  if (typeof value !== "string" || value === "") return fallback;
  let url: URL;
  try {
    url = new URL(value, HERE);
  } catch {
    return fallback;
  }
  if (url.origin !== HERE) return fallback;
  const path = url.pathname + url.search + url.hash;
  // "/.//evil" resolves to the path "//evil", which a browser reads as another host.
  if (!path.startsWith("/") || path.startsWith("//")) return fallback;
  if (url.pathname.startsWith("/sign-in") || url.pathname.startsWith("/sign-out")) return fallback;
  return path;
}
