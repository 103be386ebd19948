// The Playwright `test` every browser spec uses: signing in, visiting pages
// with their status checked, and an accessibility check (axe, WCAG 2.2 AA)
// of every page the suite sees. `visit` scans each page it lands on;
// `expectAccessible` scans the page as it is now (after a form post that
// shows errors, say); and after each test every page still open is scanned
// too, so a page reached by clicking is not missed. Any error thrown in a
// page's own JavaScript (a hydration mismatch, say) fails the test as well.
import axe from "axe-core";
import { test as base, expect, type Browser, type BrowserContext, type Page, type Response } from "@playwright/test";

export { expect };
export type { Page };

export const PASSWORD = "lantern-meadow-harbour";

export const DEMO = {
  admin: { email: "admin@westmoor.example", name: "Alex Morgan" },
  officer: { email: "officer@westmoor.example", name: "Priya Shah" },
  secondOfficer: { email: "officer2@westmoor.example", name: "Dan Whitfield" },
  evaluator: { email: "evaluator@westmoor.example", name: "Tom Evans" },
  chiefOfficer: { email: "chief.officer@westmoor.example", name: "Helen Carter" },
  portfolioHolder: { email: "portfolio.holder@westmoor.example", name: "Cllr Rhys Pengelly" },
  harbourLight: { email: "provider@harbour-light.example", name: "Jo Bennett" },
  moorland: { email: "provider@moorland-care.example", name: "Sam Okafor" },
} as const;

const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

// One worker runs the whole suite, so this set lasts the run. A page is
// scanned once per state: its route (ids and tokens in the path stand for
// any record), the service navigation shown (it follows the viewer's roles,
// so two roles with the same links see the same page), its heading (with the
// viewer's own name taken out), its errors and whether a banner shows.
// Scans are still the slowest step of a test (about 0.1 to 1.5 s each).
const scanned = new Set<string>();

/**
 * axe's violations on the page as it is now: axe-core is put into the page
 * once (a page reached by a client-side navigation still has it) and run
 * there. The portal's pages have no frames, so @axe-core/playwright, used
 * before, had nothing more to find: it put axe in twice a scan and opened a
 * blank page to finish each, and scans took about three times as long.
 */
async function axeViolations(page: Page): Promise<axe.Result[]> {
  const { loaded, frames } = await page.evaluate(() => ({
    loaded: typeof (window as { axe?: { run?: unknown } }).axe?.run === "function",
    frames: document.querySelectorAll("iframe, frame, object[data]").length,
  }));
  if (!loaded) await page.evaluate(axe.source);
  expect(frames, `${page.url()} has frames, which this scan does not look into`).toBe(0);
  return page.evaluate(
    (tags) =>
      (window as unknown as { axe: typeof axe }).axe
        .run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] })
        .then((results) => results.violations),
    WCAG_TAGS,
  );
}

async function pageState(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    if (document.contentType !== "text/html") return null;
    const text = (selector: string) => document.querySelector(selector)?.textContent?.replace(/\s+/g, " ").trim() ?? "";
    const route = location.pathname
      .split("/")
      .map((part) => (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(part) || /^[A-Za-z0-9_-]{20,}$/.test(part) ? ":id" : part))
      .join("/");
    const name = text(".portal-account strong");
    const signedIn = name ? `signed in: ${[...document.querySelectorAll("#navigation a")].map((a) => a.textContent?.trim()).join(", ")}` : "signed out";
    const heading = name ? text("h1").replace(name, "<name>") : text("h1");
    const banner = document.querySelector(".govuk-notification-banner")?.className ?? "";
    // The refusal and not-found pages are the same page whatever the address.
    const errorPage = ["Page not found", "You do not have permission to do this"].includes(heading);
    return [errorPage ? "(error page)" : route, signedIn, heading, text(".govuk-error-summary"), banner].join(" | ");
  });
}

// Browsers opened without JavaScript (to check the forms work without it):
// axe cannot run there (it needs timers), and those pages are scanned with
// JavaScript elsewhere.
const withoutJavaScript = new WeakSet<BrowserContext>();

/** A browser context with JavaScript off; expectAccessible skips its pages. */
export async function newContextWithoutJavaScript(browser: Browser, baseURL: string | undefined): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, javaScriptEnabled: false });
  withoutJavaScript.add(context);
  return context;
}

/** Fails with a readable list when axe finds WCAG 2.2 AA violations on the page as it is now. */
export async function expectAccessible(page: Page, options: { force?: boolean } = {}): Promise<void> {
  if (withoutJavaScript.has(page.context())) return;
  await page.waitForLoadState("load");
  const state = await pageState(page);
  if (state === null) return; // JSON, PDF, CSV: not a page to scan.
  if (!options.force && scanned.has(state)) return;
  const started = Date.now();
  const violations = await axeViolations(page);
  const problems = violations.map(
    (v) =>
      `${v.id} (${v.impact ?? "unknown impact"}): ${v.help}\n` +
      v.nodes.map((n) => `    at ${n.target.map(String).join(" > ")}`).join("\n"),
  );
  if (process.env.E2E_AXE_LOG) console.log(`axe ${Date.now() - started} ms: ${state}`);
  expect(problems, `Accessibility violations on ${page.url()} (${state})`).toEqual([]);
  scanned.add(state);
}

/** Opens a path, checks the HTTP status of the page it ends on, and scans it with axe. */
export async function visit(page: Page, path: string, options: { status?: number } = {}): Promise<Response> {
  const response = await page.goto(path);
  if (!response) throw new Error(`No response for ${path}`);
  expect(response.status(), `HTTP status of ${path} (ended at ${page.url()})`).toBe(options.status ?? 200);
  await expectAccessible(page);
  return response;
}

/** Signs in through the form and waits until the browser has left /sign-in. */
export async function signIn(page: Page, email: string, password: string = PASSWORD): Promise<void> {
  if (!new URL(page.url(), "http://x").pathname.startsWith("/sign-in")) await visit(page, "/sign-in");
  await page.locator("#email").fill(email);
  await page.locator("#password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
  // With JavaScript the address changes before the new page has rendered.
  await expect(page.locator(".portal-account")).toBeVisible();
  await expectAccessible(page);
}

/** The service navigation's link texts, in order. */
export async function navigationLinks(page: Page): Promise<string[]> {
  return (await page.locator("#navigation a").allTextContents()).map((t) => t.trim());
}

/** The form token of the page (every POST must carry it). */
export async function csrfToken(page: Page): Promise<string> {
  const token = await page.locator('input[name="_csrf"]').first().getAttribute("value");
  if (!token) throw new Error(`No _csrf field on ${page.url()}`);
  return token;
}

type Fixtures = {
  visit: typeof visit;
  expectAccessible: typeof expectAccessible;
  signIn: typeof signIn;
  /** A page in a browser context of its own (another person), signed in if an email is given; closed after the test. */
  newPage: (signedInAs?: string, password?: string, options?: { javaScript?: boolean }) => Promise<Page>;
  axeAfterEach: void;
  noPageErrors: void;
};

/** Errors thrown by the JavaScript of every page the context opens, kept in `errors`. */
function watchPageErrors(context: BrowserContext, errors: string[]): void {
  const watch = (page: Page) => page.on("pageerror", (error) => errors.push(`${page.url()}: ${error.message}`));
  context.pages().forEach(watch);
  context.on("page", watch);
}

/**
 * What the browser saw, for a failed test's report: errors thrown, console
 * errors, requests that failed or were answered 400 or more (a test may
 * expect some), and each page's address and heading at the end. A failure
 * that happens only in the full run can then be read from its log.
 */
function watchBrowser(context: BrowserContext): { report: () => Promise<string> } {
  const seen: string[] = [];
  const at = () => new Date().toISOString().slice(11, 23);
  const watch = (page: Page) => {
    page.on("pageerror", (error) => seen.push(`${at()} error thrown at ${page.url()}: ${error.stack ?? error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") seen.push(`${at()} console ${message.type()} at ${page.url()}: ${message.text()}`);
    });
    page.on("requestfailed", (request) => seen.push(`${at()} request failed: ${request.method()} ${request.url()} (${request.failure()?.errorText ?? "?"})`));
    page.on("response", (response) => {
      if (response.status() >= 400) seen.push(`${at()} HTTP ${response.status()} for ${response.request().method()} ${response.url()}`);
    });
    page.on("framenavigated", (frame) => {
      if (frame === page.mainFrame()) seen.push(`${at()} navigated to ${frame.url()}`);
    });
  };
  context.pages().forEach(watch);
  context.on("page", watch);
  return {
    report: async () => {
      const pages: string[] = [];
      for (const page of context.pages()) {
        if (page.isClosed()) continue;
        const heading = await page.locator("h1").first().textContent({ timeout: 1_000 }).catch(() => null);
        pages.push(`page at ${page.url()}, heading: ${heading?.trim() ?? "none"}`);
      }
      return [...seen.slice(-40), ...pages].join("\n");
    },
  };
}

export const test = base.extend<Fixtures>({
  visit: async ({}, use) => use(visit),
  expectAccessible: async ({}, use) => use(expectAccessible),
  signIn: async ({}, use) => use(signIn),
  newPage: async ({ browser }, use, testInfo) => {
    const contexts: BrowserContext[] = [];
    const pageErrors: string[] = [];
    await use(async (signedInAs?: string, password?: string, options: { javaScript?: boolean } = {}) => {
      const baseURL = testInfo.project.use.baseURL;
      const context = options.javaScript === false ? await newContextWithoutJavaScript(browser, baseURL) : await browser.newContext({ baseURL });
      watchPageErrors(context, pageErrors);
      contexts.push(context);
      const page = await context.newPage();
      if (signedInAs) await signIn(page, signedInAs, password);
      return page;
    });
    await scanOpenPages(contexts.flatMap((c) => c.pages()), testInfo.status === testInfo.expectedStatus);
    for (const context of contexts) await context.close();
    if (testInfo.status === testInfo.expectedStatus) expect(pageErrors, "errors thrown by the pages' JavaScript").toEqual([]);
  },
  axeAfterEach: [
    async ({ context }, use, testInfo) => {
      await use();
      await scanOpenPages(context.pages(), testInfo.status === testInfo.expectedStatus);
    },
    { auto: true },
  ],
  noPageErrors: [
    async ({ context }, use, testInfo) => {
      const errors: string[] = [];
      watchPageErrors(context, errors);
      const browser = watchBrowser(context);
      await use();
      if (testInfo.status === testInfo.expectedStatus) expect(errors, "errors thrown by the pages' JavaScript").toEqual([]);
      else console.log(`What the browser saw in "${testInfo.title}" (the test's own page):\n${await browser.report()}`);
    },
    { auto: true },
  ],
});

async function scanOpenPages(pages: Page[], testPassed: boolean): Promise<void> {
  if (!testPassed) return; // The test's own failure is the one to read.
  for (const page of pages) {
    if (page.isClosed() || !page.url().startsWith("http")) continue;
    await expectAccessible(page);
  }
}

