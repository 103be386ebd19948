import { DEMO, expect, newContextWithoutJavaScript, PASSWORD, test } from "./support/fixtures";

test.describe("Signing in and out", () => {
  test("a signed-out visitor sees the home page with a Sign in button that leads to the sign-in form", async ({ page, visit }) => {
    await visit(page, "/");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Children's Placements Portal");
    await expect(page.locator("#navigation")).toHaveCount(0);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/sign-in$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in");
    await expect(page.getByLabel("Email address")).toBeVisible();
    await expect(page.getByLabel("Password")).toBeVisible();
  });

  test("a wrong password shows the error summary linked to the field and keeps the email", async ({ page, visit, expectAccessible }) => {
    await visit(page, "/sign-in");
    await page.locator("#email").fill(DEMO.evaluator.email);
    await page.locator("#password").fill("not-the-right-password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();

    const summary = page.locator(".govuk-error-summary");
    await expect(summary).toBeVisible();
    await expect(summary.getByRole("heading")).toHaveText("There is a problem");
    const link = summary.getByRole("link", { name: "Enter a correct email address and password" });
    await expect(link).toHaveAttribute("href", "#email");
    await expect(page.locator("#email-error")).toContainText("Enter a correct email address and password");
    await expect(page.locator("#email")).toHaveAttribute("aria-describedby", /email-error/);
    await expect(page.locator("#email")).toHaveValue(DEMO.evaluator.email);
    await expect(page).toHaveURL(/\/sign-in/);
    await expectAccessible(page);

    await link.click();
    await expect(page.locator("#email")).toBeFocused();
  });

  // A bug found from outside, fixed, and kept fixed by this test: with
  // JavaScript the form was re-rendered in place after an error, and the
  // password box (uncontrolled, same key) kept the wrong password typed.
  test("a wrong password is not kept in the password box", async ({ page, visit }) => {
    await visit(page, "/sign-in");
    await page.locator("#email").fill(DEMO.evaluator.email);
    await page.locator("#password").fill("not-the-right-password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.locator("#email-error")).toBeVisible();
    await expect(page.locator("#password")).toHaveValue("");
  });

  test("without JavaScript, a wrong password is not sent back in the page", async ({ browser, baseURL }) => {
    const context = await newContextWithoutJavaScript(browser, baseURL);
    const page = await context.newPage();
    await page.goto("/sign-in");
    await page.locator("#email").fill(DEMO.portfolioHolder.email);
    await page.locator("#password").fill("not-the-right-password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.locator("#email-error")).toContainText("Enter a correct email address and password");
    await expect(page.locator("#email")).toHaveValue(DEMO.portfolioHolder.email);
    await expect(page.locator("#password")).toHaveValue("");
    expect(await page.content()).not.toContain("not-the-right-password");
    await context.close();
  });

  test("an empty form asks for the email address and the password", async ({ page, visit, expectAccessible }) => {
    await visit(page, "/sign-in");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    const summary = page.locator(".govuk-error-summary");
    await expect(summary.getByRole("link", { name: "Enter your email address" })).toHaveAttribute("href", "#email");
    await expect(summary.getByRole("link", { name: "Enter your password" })).toHaveAttribute("href", "#password");
    await expect(page.locator("#email-error")).toContainText("Enter your email address");
    await expect(page.locator("#password-error")).toContainText("Enter your password");
    await expectAccessible(page);
  });

  test("signing in lands on the dashboard with a welcome, and signing out returns to sign-in with a banner", async ({ page, visit, signIn }) => {
    await signIn(page, DEMO.officer.email);
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Welcome, ${DEMO.officer.name}`);
    await expect(page.locator(".portal-account")).toContainText(`Signed in as ${DEMO.officer.name}`);

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in$/);
    await expect(page.locator(".govuk-notification-banner")).toContainText("You have signed out");
    await expect(page.locator(".portal-account")).toHaveCount(0);

    // The banner shows once, and the dashboard now asks to sign in again.
    const response = await visit(page, "/");
    expect(response.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Children's Placements Portal");
    await visit(page, "/agreements");
    await expect(page).toHaveURL(/\/sign-in\?returnTo=%2Fagreements$/);
    await expect(page.locator(".govuk-notification-banner")).toHaveCount(0);
  });

  test("a protected page sends a signed-out visitor to sign in, and back to that page afterwards", async ({ page, visit }) => {
    await visit(page, "/agreements");
    await expect(page).toHaveURL(/\/sign-in\?returnTo=%2Fagreements$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in");
    await page.locator("#email").fill(DEMO.chiefOfficer.email);
    await page.locator("#password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(/\/agreements$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Agreements");
  });

  test("the address to return to keeps its query and cannot send people to another site", async ({ page, visit, signIn }) => {
    await visit(page, "/audit?action=user.signed_in");
    await expect(page).toHaveURL(/\/sign-in\?returnTo=%2Faudit%3Faction%3Duser.signed_in$/);
    await signIn(page, DEMO.officer.email);
    await expect(page).toHaveURL(/\/audit\?action=user\.signed_in$/);
    await expect(page.getByLabel("Action")).toHaveValue("user.signed_in");

    // As the browser reads them, each of these leads to evil.example (a tab or newline is dropped, a backslash is a slash).
    for (const returnTo of ["//evil.example/phish", "/%09/evil.example/x", "/%5Cevil.example", "%09//evil.example", "/.//evil.example"]) {
      const other = await page.context().browser()!.newPage();
      await visit(other, `/sign-in?returnTo=${returnTo}`);
      await other.locator("#email").fill(DEMO.officer.email);
      await other.locator("#password").fill(PASSWORD);
      const answer = other.waitForResponse((r) => r.request().method() === "POST");
      await other.getByRole("button", { name: "Sign in", exact: true }).click();
      expect((await answer).headers()["location"] ?? "/", returnTo).not.toContain("evil");
      await expect(other, returnTo).toHaveURL(/^http:\/\/localhost:\d+\/$/);
      await expect(other.getByRole("heading", { level: 1 })).toHaveText(`Welcome, ${DEMO.officer.name}`);
      await other.close();
    }
  });

  test("every protected page sends a signed-out visitor to sign in", async ({ page }) => {
    for (const path of ["/agreements", "/organisations", "/homes", "/audit", "/admin/users", "/admin/emails", "/admin/users/invite"]) {
      const response = await page.request.get(path, { maxRedirects: 0 });
      expect(response.status(), path).toBe(302);
      expect(response.headers().location, path).toBe(`/sign-in?returnTo=${encodeURIComponent(path)}`);
    }
  });
});
