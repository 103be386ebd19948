// A PortalContext as the HTTP layer builds it, for calling route loaders and
// actions directly in integration tests.
import type { Kysely } from "kysely";
import { afterAll } from "vitest";
import type { Database } from "#app/database/schema";
import { generateSigningKey } from "#app/modules/audit/signing-key";
import type { Actor } from "#app/modules/identity/actor";
import { createPdfRenderer } from "#app/modules/pdf/renderer";
import type { PortalContext } from "#app/web/context";

const key = generateSigningKey();
// The real renderer, worker thread and all; it starts only if a test asks for a PDF.
const pdf = createPdfRenderer();
afterAll(() => pdf.close());

export function portalContext(db: Kysely<Database>, actor: Actor | null): { portal: PortalContext } {
  return {
    portal: {
      db,
      requestId: "test-request",
      clientAddress: "127.0.0.1",
      actor,
      csrfToken: "test-token",
      nonce: "test-nonce",
      flash: null,
      baseUrl: "http://portal.test",
      development: false,
      signingKey: key,
      emailTransport: "portal",
      pdf,
      flashCookie: () => "portal_flash=x",
      sessionCookie: () => "portal_session=x",
      clearSessionCookie: () => "portal_session=",
    },
  };
}

/** Runs a loader and gives back its HTTP status: 200 for data, or the thrown Response's status. */
export async function loaderStatus(run: () => Promise<unknown>): Promise<{ status: number; body: string }> {
  try {
    const result = await run();
    if (result instanceof Response) return { status: result.status, body: await result.text() };
    return { status: 200, body: JSON.stringify(result) };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, body: await thrown.text() };
    throw thrown;
  }
}

/** A form POST to a route's action, each field once or (an array) several times. */
export function post(path: string, fields: Record<string, string | string[]>): Request {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
  return new Request(`http://portal.test${path}`, { method: "POST", body });
}

/** An action's answer: a redirect (status and where to), or its data and status. */
export async function answer(run: () => Promise<unknown>) {
  try {
    const result = await run();
    if (result instanceof Response) return { status: result.status, location: result.headers.get("Location"), data: null };
    const d = result as { data: unknown; init: ResponseInit | null };
    return { status: d.init?.status ?? 200, location: null, data: d.data as Record<string, unknown> & { errors: Record<string, string> } };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, location: null, data: null };
    throw thrown;
  }
}
