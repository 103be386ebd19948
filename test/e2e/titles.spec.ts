// Each page's <title> names the page ("<page> – Children's Placements
// Portal"), and starts with "Error: " while the page shows errors. The error
// summary sits in one place on every page, first in the main content before
// the h1 (only a back link may come before it), and with JavaScript on it
// takes focus after a failed submit.
import { DEMO, expect, newContextWithoutJavaScript, test, type Page } from "./support/fixtures";
import { inviteUser, linkIn, readEmail, uniqueEmail } from "./support/users";

const SERVICE = "Children's Placements Portal";
const titled = (name: string) => `${name} – ${SERVICE}`;

/** The text in the main content before the error summary: nothing but a back link. */
async function textBeforeErrorSummary(page: Page): Promise<string> {
  return page.evaluate(() => {
    const main = document.querySelector("main");
    const summary = document.querySelector(".govuk-error-summary");
    const h1 = document.querySelector("h1");
    if (!main || !summary || !h1) return "missing";
    if (!(summary.compareDocumentPosition(h1) & Node.DOCUMENT_POSITION_FOLLOWING)) return "after the h1";
    const range = document.createRange();
    range.setStart(main, 0);
    range.setEndBefore(summary);
    return range.toString().trim();
  });
}

async function expectErrorSummaryFirst(page: Page): Promise<void> {
  await expect(page.locator(".govuk-error-summary")).toBeVisible();
  expect(["", "Back"]).toContain(await textBeforeErrorSummary(page));
}

const focusedIsErrorSummary = (page: Page) => page.evaluate(() => document.activeElement?.classList.contains("govuk-error-summary") ?? false);

test.describe("Page titles", () => {
  test("every page an administrator reaches names itself in its title, after the h1 of the page", async ({ page, signIn }) => {
    await signIn(page, DEMO.admin.email);
    await expect(page).toHaveTitle(titled("Dashboard"));
    const sections = await page.locator("#navigation a").evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).pathname));
    const expected: Record<string, string> = {
      "/": "Dashboard",
      "/agreements": "Agreements",
      "/tenders": "Tenders",
      "/organisations": "Providers",
      "/homes": "Homes and services",
      "/utilisation": "Block beds",
      "/audit": "Audit trail",
      "/admin/users": "Users",
      "/admin/emails": "Sent email",
      "/admin/districts": "Postcode districts",
      "/admin/key-decisions": "Key decisions",
    };
    expect(sections.sort()).toEqual(Object.keys(expected).sort());
    for (const section of sections) {
      await page.goto(section);
      await expect(page).toHaveTitle(titled(expected[section]!));
      // A record from the list is titled with its name, its h1.
      const first = page.locator("main table tbody a").first();
      if (section === "/audit" || (await first.count()) === 0) continue;
      const name = (await first.textContent())?.trim() ?? "";
      await first.click();
      await expect(page).toHaveURL(new RegExp(`${section}/[0-9a-f-]{36}$`));
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
      await expect(page).toHaveTitle(titled(name));
    }
    await page.goto("/admin/users/invite");
    await expect(page).toHaveTitle(titled("Invite a user"));
  });

  test("signed out, the start page, sign-in, password reset and the accessibility statement are titled", async ({ page, visit }) => {
    for (const [path, name] of [
      ["/", "Home"],
      ["/sign-in", "Sign in"],
      ["/forgot-password", "Reset your password"],
      ["/accessibility", "Accessibility statement"],
      ["/reset-password/no-such-token", "This link has expired or has been used"],
      ["/invitation/no-such-token", "This invitation has expired or has been used"],
    ] as const) {
      await visit(page, path);
      await expect(page).toHaveTitle(titled(name));
    }
  });

  test("the not-found, refused and failure pages say what happened, after 'Error: '", async ({ page, signIn, visit }) => {
    await visit(page, "/no-such-page", { status: 404 });
    await expect(page).toHaveTitle(titled("Error: Page not found"));
    await signIn(page, DEMO.evaluator.email);
    await visit(page, "/no-such-page", { status: 404 });
    await expect(page).toHaveTitle(titled("Error: Page not found"));
    await visit(page, "/admin/users", { status: 403 });
    await expect(page).toHaveTitle(titled("Error: You do not have permission to do this"));
    await visit(page, "/test-hooks/fault", { status: 500 });
    await expect(page).toHaveTitle(titled("Error: Sorry, there is a problem with the service"));
    // The refusal page the HTTP layer answers itself.
    await page.evaluate(() => {
      const form = document.createElement("form");
      form.method = "post";
      form.action = "/sign-out";
      document.body.append(form);
      form.submit();
    });
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your form could not be sent");
    await expect(page).toHaveTitle(titled("Error: Your form could not be sent"));
  });

  test("after the error page, the next page's title has no 'Error: '", async ({ page, signIn, visit }) => {
    await signIn(page, DEMO.evaluator.email);
    await visit(page, "/no-such-page", { status: 404 });
    await page.getByRole("link", { name: "Go to the home page" }).click();
    await expect(page).toHaveTitle(titled("Dashboard"));
  });
});

test.describe("Error summary", () => {
  test("with JavaScript, a failed sign-in puts 'Error: ' in the title and focus on the error summary, first in the page", async ({
    page,
    visit,
  }) => {
    await visit(page, "/sign-in");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.locator(".govuk-error-summary")).toBeVisible();
    await expect(page).toHaveTitle(titled("Error: Sign in"));
    await expectErrorSummaryFirst(page);
    await expect.poll(() => focusedIsErrorSummary(page)).toBe(true);

    // A second failed try takes focus back to the summary.
    await page.locator("#email").fill(DEMO.evaluator.email);
    await page.locator("#password").fill("not the password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.locator(".govuk-error-summary")).toContainText("Enter a correct email address and password");
    await expect.poll(() => focusedIsErrorSummary(page)).toBe(true);
    await expect(page).toHaveTitle(titled("Error: Sign in"));

    // Put right, the title loses its 'Error: '.
    await page.locator("#password").fill("lantern-meadow-harbour");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveTitle(titled("Dashboard"));
  });

  test("without JavaScript, a failed form still says 'Error: ' in its title, with the summary first in the page", async ({ browser, baseURL }) => {
    const context = await newContextWithoutJavaScript(browser, baseURL);
    try {
      const page = await context.newPage();
      await page.goto("/forgot-password");
      await page.getByRole("button", { name: "Send reset link" }).click();
      await expect(page).toHaveTitle(titled("Error: Reset your password"));
      await expectErrorSummaryFirst(page);
      await page.goto("/sign-in");
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await expect(page).toHaveTitle(titled("Error: Sign in"));
      await expectErrorSummaryFirst(page);
    } finally {
      await context.close();
    }
  });

  test("an administrator's forms show the summary in the same place, focused, with 'Error: ' in the title", async ({ page, signIn, visit }) => {
    await signIn(page, DEMO.admin.email);
    await visit(page, "/admin/users/invite");
    await page.getByRole("button", { name: "Send invitation" }).click();
    await expect(page).toHaveTitle(titled("Error: Invite a user"));
    await expectErrorSummaryFirst(page);
    await expect.poll(() => focusedIsErrorSummary(page)).toBe(true);

    await visit(page, "/admin/users");
    const user = page.locator("main table tbody a").first();
    const name = (await user.textContent())?.trim() ?? "";
    await user.click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
    // Deactivating without a reason is refused; nothing changes.
    await page.getByRole("button", { name: /^(Deactivate|Reactivate) user$/ }).click();
    await expect(page).toHaveTitle(titled(`Error: ${name}`));
    await expectErrorSummaryFirst(page);
    await expect.poll(() => focusedIsErrorSummary(page)).toBe(true);
  });

  test("the set-a-password form of an invitation shows its error summary above the h1, focused, with 'Error: ' in the title", async ({
    page,
    newPage,
    visit,
  }) => {
    const admin = await newPage(DEMO.admin.email);
    const person = { fullName: `Title Tester ${Date.now()}`, email: uniqueEmail("titles"), roles: ["Evaluator"] };
    await inviteUser(admin, person);
    const { text } = await readEmail(admin, person.email, "invited");
    await visit(page, linkIn(text, "invitation"));
    await page.getByRole("button", { name: "Create account" }).click();
    await expectErrorSummaryFirst(page);
    await expect.poll(() => focusedIsErrorSummary(page)).toBe(true);
    await expect(page).toHaveTitle(titled("Error: Set up your account"));
  });
});
