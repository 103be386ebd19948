// What every loader and action receives from the HTTP server: the database,
// the request's identity and the signed-in actor (resolved once per request).
import type { Kysely } from "kysely";
import type { Database } from "#app/database/schema";
import type { Actor, ActionContext } from "#app/modules/identity/actor";
import type { SigningKey } from "#app/modules/audit/signing-key";
import type { PdfRenderer } from "#app/modules/pdf/renderer";

export interface Flash {
  title: string;
  body?: string;
}

export interface PortalContext {
  db: Kysely<Database>;
  requestId: string;
  clientAddress: string | null;
  actor: Actor | null;
  /**
   * The audit chain's version, read with the session at the start of a GET
   * request (before anything the request could change); unset otherwise. A
   * page kept while the chain is unchanged may use it instead of asking again.
   */
  chainVersion?: string | null;
  csrfToken: string;
  nonce: string;
  flash: Flash | null;
  baseUrl: string;
  /** Show error details (stack traces): development only. */
  development: boolean;
  signingKey: SigningKey;
  emailTransport: "smtp" | "portal";
  /**
   * Remix renders a whole page from this request (not `.data` or `?_data=`):
   * a loader may keep markup only that render reads out of the browser's copy
   * of its data (decision 026). Unset where a loader is called directly.
   */
  rendersDocument?: boolean;
  /** Makes PDFs away from the thread that serves pages. */
  pdf: PdfRenderer;
  /** Sets a one-time banner shown on the next page. */
  flashCookie: (flash: Flash) => string;
  sessionCookie: (token: string, expiresAt: Date) => string;
  clearSessionCookie: () => string;
}

declare module "@remix-run/node" {
  interface AppLoadContext {
    portal: PortalContext;
  }
  // Types for single fetch: loaders return plain data.
  interface Future {
    v3_singleFetch: true;
  }
}

export function actionContext(portal: PortalContext): ActionContext {
  return { actor: portal.actor, requestId: portal.requestId, clientAddress: portal.clientAddress, now: new Date() };
}
