import { DEMO, expect, test } from "./support/fixtures";
import { createCouncilUser, GOOD_PASSWORD, linkIn, readEmail, setPassword, uniqueEmail } from "./support/users";

const NEW_PASSWORD = "granite-lighthouse-puffin-4";
const CHECK_EMAIL = "Check your email";

test.describe("Resetting a forgotten password", () => {
  test("a reset link from the email sets a new password once; the old password stops working and other sessions end", async ({
    page,
    newPage,
    visit,
    signIn,
    expectAccessible,
  }) => {
    test.setTimeout(240_000);
    // A person of our own, so the demo accounts keep their passwords.
    const admin = await newPage(DEMO.admin.email);
    const person = { fullName: `Reset Tester ${Date.now()}`, email: uniqueEmail("reset"), roles: ["Portfolio Holder"] };
    await createCouncilUser(admin, person);

    // Signed in elsewhere before the reset.
    const elsewhere = await newPage(person.email, GOOD_PASSWORD);
    await expect(elsewhere.getByRole("heading", { level: 1 })).toHaveText(`Welcome, ${person.fullName}`);

    await visit(page, "/sign-in");
    await page.getByRole("link", { name: "I have forgotten my password" }).click();
    await expect(page).toHaveURL(/\/forgot-password$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Reset your password");
    await expectAccessible(page);

    await page.getByLabel("Email address").fill("not an email");
    await page.getByRole("button", { name: "Send reset link" }).click();
    await expect(page.locator("#email-error")).toContainText("Enter an email address in the correct format");
    await expectAccessible(page);

    await page.getByLabel("Email address").fill(person.email);
    await page.getByRole("button", { name: "Send reset link" }).click();
    await expect(page).toHaveURL(/\/sign-in$/);
    const banner = page.locator(".govuk-notification-banner");
    await expect(banner).toContainText(CHECK_EMAIL);
    await expect(banner).toContainText(`If ${person.email} has an account, we have sent it a link to reset the password.`);
    await expectAccessible(page);

    const email = await readEmail(admin, person.email, "Reset your password");
    const resetPath = linkIn(email.text, "reset-password");

    await visit(page, resetPath);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Set a new password");
    await expect(page.getByText(`For ${person.email}.`)).toBeVisible();
    await setPassword(page, "password1234", "password1234", "Set new password");
    await expect(page.locator("#password-error")).toContainText("This password is too common");
    await expectAccessible(page);

    // The new password is sent without JavaScript, so the form is shown to
    // work without it.
    const noScript = await newPage(undefined, undefined, { javaScript: false });
    await noScript.goto(resetPath);
    await setPassword(noScript, NEW_PASSWORD, NEW_PASSWORD, "Set new password");
    await expect(noScript).toHaveURL(/\/sign-in$/);
    await expect(noScript.locator(".govuk-notification-banner")).toContainText("Your password has been changed");

    // The link works once.
    await visit(page, resetPath);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("This link has expired or has been used");
    await expect(page.getByLabel("New password", { exact: true })).toHaveCount(0);

    // The old password no longer works; the new one does.
    await visit(page, "/sign-in");
    await page.locator("#email").fill(person.email);
    await page.locator("#password").fill(GOOD_PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.locator("#email-error")).toContainText("Enter a correct email address and password");
    await signIn(page, person.email, NEW_PASSWORD);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Welcome, ${person.fullName}`);

    // The session opened before the reset has ended.
    await visit(elsewhere, "/agreements");
    await expect(elsewhere).toHaveURL(/\/sign-in\?returnTo=%2Fagreements$/);
  });

  test("an unknown email address gets the same answer and no email is sent", async ({ page, newPage, visit }) => {
    const nobody = uniqueEmail("nobody");
    await visit(page, "/sign-in");
    await page.getByRole("link", { name: "I have forgotten my password" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Reset your password");
    await page.getByLabel("Email address").fill(nobody);
    await page.getByRole("button", { name: "Send reset link" }).click();
    await expect(page).toHaveURL(/\/sign-in$/);
    const banner = page.locator(".govuk-notification-banner");
    await expect(banner).toContainText(CHECK_EMAIL);
    await expect(banner).toContainText(`If ${nobody} has an account, we have sent it a link to reset the password.`);

    // The email would have been queued with the request: there is none.
    const admin = await newPage(DEMO.admin.email);
    await visit(admin, `/admin/emails?to=${encodeURIComponent(nobody)}`);
    await expect(admin.getByText(`No emails to ${nobody}.`)).toBeVisible();
  });
});
