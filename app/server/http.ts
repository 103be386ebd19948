// The HTTP layer in front of Remix: security headers, request ids, the client
// address, the signed-in actor (resolved once per request from the session
// cookie), body size limits, CSRF checks on every state-changing request,
// input no route can store (NUL characters), static files.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Transform } from "node:stream";
import express from "express";
import { sql, type Kysely } from "kysely";
import {
  createReadableStreamFromReadable,
  createRequestHandler,
  writeReadableStreamToWritable,
  type ServerBuild,
} from "@remix-run/node";
import type { Database } from "#app/database/schema";
import { DEFAULT_MAX_FILE_BYTES } from "#app/modules/files/files";
import type { SigningKey } from "#app/modules/audit/signing-key";
import { sessionAt } from "#app/modules/identity/sessions";
import { bidFileLimitsFromEnv } from "#app/modules/tendering/bids";
import type { PdfRenderer } from "#app/modules/pdf/renderer";
import type { PortalContext } from "#app/web/context";
import type { PortalConfig } from "./config";
import {
  CSRF_COOKIE,
  FLASH_COOKIE,
  SESSION_COOKIE,
  csrfTokenFor,
  parseCookies,
  readFlash,
  serializeCookie,
  signFlash,
  tokensEqual,
} from "./cookies";
import { installDataRoutesCache, installRouteMatchingCache, installServerRoutesCache } from "./route-matching";
import { randomText } from "./random";
import { csrfFailedPage, tooLargePage, UNREADABLE_JSON, unreadableRequestPage } from "./static-pages";

export interface HttpDeps {
  db: Kysely<Database>;
  build: ServerBuild;
  config: PortalConfig;
  signingKey: SigningKey;
  cookieSecret: string;
  emailTransport: "smtp" | "portal";
  pdf: PdfRenderer;
  root: string;
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Every form but an upload fits in this many bytes many times over. */
export const FORM_BODY_LIMIT = 1024 * 1024;
/**
 * Routes that take files, with the most each may be sent (the file store's
 * own limit plus room for the form around it). The roadmap's other upload
 * pages add themselves here. `.data` is the same form sent by the page's
 * JavaScript.
 */
const UPLOAD_ROUTES: { path: RegExp; limitBytes: number }[] = [
  // A tender's documents pack (app/routes/tenders.$tenderId.documents._index.tsx).
  { path: /^\/tenders\/[^/]+\/documents\/?(?:\.data)?$/, limitBytes: DEFAULT_MAX_FILE_BYTES + 64 * 1024 },
  // The evidence library's upload and replace forms (issue 8).
  { path: /^\/evidence\/(?:new|[^/]+\/replace)(?:\.data)?$/, limitBytes: DEFAULT_MAX_FILE_BYTES + FORM_BODY_LIMIT },
  // A bid's evidence, one file per upload (BID_MAX_FILE_MB, 25 by default).
  { path: /^\/tenders\/[^/]+\/bid\/questions\/[^/.]+(\.data)?$/, limitBytes: bidFileLimitsFromEnv(process.env).maxFileBytes + FORM_BODY_LIMIT },
  // Evidence for a condition of an application to a dynamic market or a request to participate, as a bid's.
  { path: /^\/tenders\/[^/]+\/(?:apply|participate)\/conditions\/[^/.]+(\.data)?$/, limitBytes: bidFileLimitsFromEnv(process.env).maxFileBytes + FORM_BODY_LIMIT },
  // A postcode district file (placements market): the file store's limit plus the form.
  { path: /^\/admin\/districts$/, limitBytes: DEFAULT_MAX_FILE_BYTES + 64 * 1024 },
  // An officer's file on a contract (app/routes/contracts.$contractId_.files.new.tsx).
  { path: /^\/contracts\/[^/]+\/files\/new(?:\.data)?$/, limitBytes: DEFAULT_MAX_FILE_BYTES + FORM_BODY_LIMIT },
];

function bodyLimitFor(pathname: string): number {
  return UPLOAD_ROUTES.find((route) => route.path.test(pathname))?.limitBytes ?? FORM_BODY_LIMIT;
}

class BodyTooLarge extends Error {}

export function createPortalApp(deps: HttpDeps): express.Express {
  const { config } = deps;
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", config.trustProxy);
  const secure = config.production;
  installRouteMatchingCache();
  installServerRoutesCache();
  installDataRoutesCache();
  const handle = createRequestHandler(deps.build, config.development ? "development" : "production");

  app.use((req, res, next) => {
    res.locals.requestId = crypto.randomUUID();
    res.locals.nonce = randomText(16, "base64");
    res.setHeader("X-Request-Id", res.locals.requestId);
    res.setHeader(
      "Content-Security-Policy",
      [
        "default-src 'self'",
        `script-src 'self' 'nonce-${res.locals.nonce}'`,
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
      ].join("; "),
    );
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Referrer-Policy", "same-origin");
    res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    if (secure) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    next();
  });

  // Before anything reads the body (the CSRF check parses it): a 50 MB post
  // from anyone would otherwise be read and parsed in full.
  app.use((req, res, next) => {
    // PostgreSQL cannot store a NUL in text, so no page can do anything with one.
    if (/%00|\0/i.test(req.originalUrl)) {
      // Machines reading a JSON address (OCDS, checkpoints) get the refusal in JSON, people a page.
      if (req.path.endsWith(".json")) res.status(400).json({ error: UNREADABLE_JSON, reference: res.locals.requestId as string });
      else res.status(400).type("html").send(unreadableRequestPage(res.locals.requestId as string));
      return;
    }
    if (!UNSAFE.has(req.method)) return next();
    const limit = bodyLimitFor(req.path);
    res.locals.bodyLimit = limit;
    if (Number(req.get("content-length") ?? 0) > limit) {
      refuseTooLarge(req, res, limit);
      return;
    }
    next();
  });

  app.get("/healthz", async (_req, res) => {
    try {
      await sql`SELECT 1`.execute(deps.db);
      res.json({ status: "ok" });
    } catch {
      res.status(503).json({ status: "database unavailable" });
    }
  });

  app.use("/build", express.static(path.join(deps.root, "public/build"), { immutable: true, maxAge: "1y" }));
  app.use(
    "/assets",
    express.static(path.join(deps.root, "node_modules/govuk-frontend/dist/govuk/assets"), { maxAge: "1d" }),
  );
  // Named files only: a static handler at the root would look on disk for every request.
  app.get("/portal.css", (_req, res) => res.sendFile(path.join(deps.root, "public/portal.css"), { maxAge: "1h" }));
  for (const file of ["favicon.ico", "favicon.svg", "robots.txt"]) {
    app.get(`/${file}`, (_req, res) => res.sendFile(path.join(deps.root, "public", file), { maxAge: "1d" }));
  }
  // RFC 9116; its Canonical line names this portal's own address.
  const securityTxt = `${fs.readFileSync(path.join(deps.root, "public/.well-known/security.txt"), "utf8")}Canonical: ${config.baseUrl}/.well-known/security.txt\n`;
  app.get("/.well-known/security.txt", (_req, res) => res.type("text/plain; charset=utf-8").set("Cache-Control", "public, max-age=86400").send(securityTxt));

  app.all("*", async (req, res, next) => {
    try {
      const cookies = parseCookies(req.headers.cookie);
      const setCookies: string[] = [];
      // Remix's route discovery (/__manifest) is not a page: it renders no form.
      const discovery = req.path.startsWith("/__manifest");
      let csrfCookie = cookies[CSRF_COOKIE];
      if (!csrfCookie || !/^[A-Za-z0-9_-]{32,64}$/.test(csrfCookie)) {
        csrfCookie = randomText(24, "base64url");
        // Given only with a page: a discovery request sent without cookies (as the last page's is,
        // when cookies were cleared before the browser left it) and answered after the next page
        // would replace the cookie that page's forms were made for, and refuse them.
        if (!discovery) setCookies.push(serializeCookie(CSRF_COOKIE, csrfCookie, { secure }));
      }
      const sessionToken = cookies[SESSION_COOKIE];
      const csrfToken = csrfTokenFor(deps.cookieSecret, csrfCookie, sessionToken);
      const request = toFetchRequest(req, res);

      if (UNSAFE.has(req.method)) {
        const refusal = await csrfRefusal(request, req, csrfToken);
        if (refusal === TOO_LARGE) {
          refuseTooLarge(req, res, res.locals.bodyLimit as number);
          return;
        }
        if (refusal === HAS_NUL) {
          res.status(400).type("html").send(unreadableRequestPage(res.locals.requestId as string));
          return;
        }
        if (refusal) {
          res.status(403).type("html").send(csrfFailedPage(refusal));
          return;
        }
      }

      // Nor may a discovery request use up the banner.
      const flash = req.method === "GET" && !discovery ? readFlash(deps.cookieSecret, cookies[FLASH_COOKIE]) : null;
      if (flash) setCookies.push(serializeCookie(FLASH_COOKIE, "", { secure, maxAgeSeconds: 0 }));

      const session = sessionToken ? await sessionAt(deps.db, sessionToken, new Date()) : null;
      const portal: PortalContext = {
        db: deps.db,
        requestId: res.locals.requestId as string,
        clientAddress: req.ip ?? null,
        actor: session?.actor ?? null,
        // Only a GET's: a POST's action changes things before its page's loaders run.
        chainVersion: req.method === "GET" ? (session?.chainVersion ?? null) : null,
        csrfToken,
        nonce: res.locals.nonce as string,
        rendersDocument: !req.path.endsWith(".data") && req.query._data === undefined,
        flash,
        baseUrl: config.baseUrl,
        development: config.development,
        signingKey: deps.signingKey,
        emailTransport: deps.emailTransport,
        pdf: deps.pdf,
        flashCookie: (f) => serializeCookie(FLASH_COOKIE, signFlash(deps.cookieSecret, f), { secure, maxAgeSeconds: 120 }),
        sessionCookie: (token, expiresAt) => serializeCookie(SESSION_COOKIE, token, { secure, expires: expiresAt }),
        clearSessionCookie: () => serializeCookie(SESSION_COOKIE, "", { secure, maxAgeSeconds: 0 }),
      };
      const response = await handle(request, { portal });
      res.status(response.status);
      res.statusMessage = response.statusText || res.statusMessage;
      for (const cookie of setCookies) res.append("Set-Cookie", cookie);
      for (const [key, value] of response.headers.entries()) {
        const name = key.toLowerCase();
        if (name === "set-cookie") continue;
        // A route that sets its own policy (the email preview) replaces the
        // portal's: two policies would both apply, and the stricter one wins.
        if (name === "content-security-policy") res.setHeader(key, value);
        else res.append(key, value);
      }
      for (const cookie of response.headers.getSetCookie()) res.append("Set-Cookie", cookie);
      if (!portal.actor) res.setHeader("Cache-Control", res.getHeader("Cache-Control") ?? "no-store");
      else res.setHeader("Cache-Control", "private, no-store");
      const type = response.headers.get("content-type") ?? "";
      if (response.status >= 500 && !type.startsWith("text/html")) {
        // A download (CSV, PDF) that failed: the same words and reference as the error page.
        await response.body?.cancel();
        res.removeHeader("Content-Disposition");
        res.type("text").send(serviceProblem(res));
        return;
      }
      if (response.body) await writeReadableStreamToWritable(response.body, res);
      else res.end();
    } catch (error) {
      next(error);
    }
  });

  app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    console.error(`[${res.locals.requestId}]`, error);
    if (!res.headersSent) res.status(500).type("text").send(serviceProblem(res));
    else res.end();
  });
  return app;
}

function serviceProblem(res: express.Response): string {
  return `Sorry, there is a problem with the service. Reference: ${res.locals.requestId}`;
}

function refuseTooLarge(req: express.Request, res: express.Response, limit: number): void {
  res.status(413).type("html").send(tooLargePage(limit));
  // The sender is most likely still writing. Closing at once would reset the
  // connection and lose the answer about half the time, so a little more is
  // read and thrown away unparsed; then reading stops, which stops the sender
  // (it can still read the answer) without letting it push megabytes more
  // while a loaded machine is slow to notice; then the connection goes.
  let discarded = 0;
  req.unpipe();
  req.on("data", (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded >= DISCARD_AFTER_REFUSAL) req.pause();
  });
  req.resume();
  setTimeout(() => {
    if (!req.complete) req.socket.destroy();
  }, 2000).unref();
}

/** How much of a refused body is read and thrown away before reading stops. */
const DISCARD_AFTER_REFUSAL = 1024 * 1024;

function toFetchRequest(req: express.Request, res: express.Response): Request {
  const url = new URL(req.originalUrl || req.url, `${req.protocol}://${req.get("host") ?? "localhost"}`);
  const controller = new AbortController();
  // Only a request the browser gave up on is aborted: aborting every finished
  // one would build an AbortError and run every listener for nothing.
  res.on("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  const headers = new Headers();
  for (const [key, values] of Object.entries(req.headers)) {
    if (values === undefined) continue;
    for (const value of Array.isArray(values) ? values : [values]) headers.append(key, value);
  }
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    init.body = createReadableStreamFromReadable(req.pipe(bodyLimiter(res.locals.bodyLimit ?? FORM_BODY_LIMIT)));
    init.duplex = "half";
  }
  return new Request(url.href, init);
}

/** Counts a body as it streams (a chunked one declares no length) and stops it once past the limit. */
function bodyLimiter(limit: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      callback(seen > limit ? new BodyTooLarge() : null, chunk);
    },
  });
}

const TOO_LARGE = Symbol("too large");
const HAS_NUL = Symbol("has NUL");

/** Why a state-changing request is refused, or null when it carries this browser's token and nothing unstorable. */
async function csrfRefusal(request: Request, req: express.Request, expected: string): Promise<string | typeof TOO_LARGE | typeof HAS_NUL | null> {
  const fetchSite = req.get("sec-fetch-site");
  if (fetchSite && fetchSite !== "same-origin" && fetchSite !== "none") return "cross-site request";
  const origin = req.get("origin");
  // "null" comes from sandboxed frames and pages with no address: never from the portal's own forms.
  if (origin === "null") return "request from a page with no address";
  if (origin && !sameHost(origin, req.get("host"))) return "cross-origin request";
  const type = req.get("content-type") ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data")) {
    return "not a form submission";
  }
  let form: FormData;
  try {
    form = await request.clone().formData();
  } catch (error) {
    if (error instanceof BodyTooLarge || (error instanceof Error && error.cause instanceof BodyTooLarge)) return TOO_LARGE;
    return "unreadable form";
  }
  const token = form.get("_csrf");
  if (typeof token !== "string" || !tokensEqual(token, expected)) return "missing or expired form token";
  for (const [name, value] of form.entries()) {
    if (name.includes("\0") || (typeof value === "string" && value.includes("\0"))) return HAS_NUL;
  }
  return null;
}

function sameHost(origin: string, host: string | undefined): boolean {
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
