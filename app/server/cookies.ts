// Cookie plumbing: the session cookie, the CSRF cookie and its form token,
// and signed one-time flash banners. HMAC keys come from the database, so
// every instance agrees.
import crypto from "node:crypto";
import type { Flash } from "#app/web/context";

export const SESSION_COOKIE = "portal_session";
export const CSRF_COOKIE = "portal_csrf";
export const FLASH_COOKIE = "portal_flash";

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(";")) {
    const i = part.indexOf("=");
    if (i < 0) continue;
    const name = part.slice(0, i).trim();
    const value = part.slice(i + 1).trim();
    if (name && !(name in out)) {
      try {
        out[name] = decodeURIComponent(value);
      } catch {
        out[name] = value;
      }
    }
  }
  return out;
}

export function serializeCookie(
  name: string,
  value: string,
  options: { secure: boolean; maxAgeSeconds?: number; expires?: Date },
): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, "Path=/", "HttpOnly", "SameSite=Lax"];
  if (options.secure) parts.push("Secure");
  if (options.maxAgeSeconds !== undefined) parts.push(`Max-Age=${options.maxAgeSeconds}`);
  if (options.expires) parts.push(`Expires=${options.expires.toUTCString()}`);
  return parts.join("; ");
}

function hmac(secret: string, value: string): string {
  return crypto.createHmac("sha256", secret).update(value).digest("base64url");
}

/** The form token: bound to the browser's CSRF cookie and to its session. */
export function csrfTokenFor(secret: string, csrfCookie: string, sessionToken: string | undefined): string {
  return hmac(secret, `csrf:${csrfCookie}:${sessionToken ?? ""}`);
}

export function tokensEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

export function signFlash(secret: string, flash: Flash): string {
  const body = Buffer.from(JSON.stringify(flash)).toString("base64url");
  return `${body}.${hmac(secret, `flash:${body}`)}`;
}

export function readFlash(secret: string, value: string | undefined): Flash | null {
  if (!value) return null;
  const [body, mac] = value.split(".");
  if (!body || !mac || !tokensEqual(mac, hmac(secret, `flash:${body}`))) return null;
  try {
    const parsed = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as Flash;
    return typeof parsed.title === "string" ? parsed : null;
  } catch {
    return null;
  }
}
