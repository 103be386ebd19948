import { expect, test } from "./support/fixtures";
import { createCouncilUser, GOOD_PASSWORD, linkIn, readEmail, uniqueEmail } from "./support/users";

const SLOWED = /There have been too many failed attempts to sign in as this email address\. You can try your password again after .+, or we can email you a link to sign in now/;

test("five wrong passwords slow sign-in down instead of locking the person out: the right password waits, an emailed link signs them in, and the administrator sees one event for it", async ({
  page,
  newPage,
  visit,
  expectAccessible,
}) => {
  test.setTimeout(120_000);
  const admin = await newPage("admin@westmoor.example");
  const person = { fullName: `Slowdown Tester ${Date.now()}`, email: uniqueEmail("slowdown"), roles: ["Evaluator"] };
  await createCouncilUser(admin, person);

  const attempt = async (password: string) => {
    await page.locator("#email").fill(person.email);
    await page.locator("#password").fill(password);
    const answer = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname.startsWith("/sign-in"));
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    return (await answer).status();
  };
  const message = page.locator("#email-error");

  await visit(page, "/sign-in");
  for (let i = 1; i <= 4; i++) {
    expect(await attempt(`wrong-password-${i}`), `attempt ${i}`).toBe(400);
    await expect(message).toContainText("Enter a correct email address and password");
  }
  // The fifth failure starts a wait, and the page says so plainly.
  expect(await attempt("wrong-password-5")).toBe(429);
  await expect(message).toHaveText(SLOWED);
  // The right password is not even checked during the wait.
  expect(await attempt(GOOD_PASSWORD)).toBe(429);
  await expect(message).toHaveText(SLOWED);
  await expect(page).toHaveURL(/\/sign-in/);
  await expectAccessible(page);

  // ... but the person can have a link emailed to them.
  await page.getByRole("button", { name: "Email me a link to sign in" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.locator(".govuk-notification-banner")).toContainText(`If ${person.email} has an account, we have sent it a link to sign in.`);
  await expectAccessible(page);

  // The demo portal keeps its email (no SMTP_URL): the administrator's page warns that its links are live.
  const email = await readEmail(admin, person.email, "Your link to sign in");
  await expect(admin.locator(".govuk-warning-text")).toContainText("These are demo links for development");
  const linkPath = linkIn(email.text, "sign-in-link");

  // The preview of the email as its reader sees it: its own inline styles apply, and nothing can run.
  const preview = await admin.goto(`/admin/emails/${email.id}/html`);
  expect(preview?.headers()["content-security-policy"]).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox");
  const button = admin.getByRole("link", { name: "Sign in" });
  await expect(button).toHaveCSS("background-color", "rgb(0, 112, 60)");
  await expect(button).toHaveCSS("color", "rgb(255, 255, 255)");
  await admin.goBack();

  // Opening the link changes nothing (mail scanners open links); the button signs in, once.
  await visit(page, linkPath);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Sign in as ${person.fullName}`);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Welcome, ${person.fullName}`);
  await expectAccessible(page);
  const again = await newPage();
  await visit(again, linkPath);
  await expect(again.getByRole("heading", { level: 1 })).toHaveText("This link has expired or has been used");

  // One audit event for the start of the wait, not one per refused attempt.
  await visit(admin, "/audit?action=user.locked");
  await expect(admin.locator("tbody tr").filter({ hasText: `Slowed sign-in to ${person.fullName}'s account after 5 failed sign-ins` })).toHaveCount(1);
  await visit(admin, "/audit?action=user.sign_in_failed");
  await expect(admin.locator("tbody tr").filter({ hasText: `Failed sign-in as ${person.email}` })).toHaveCount(5);
  await visit(admin, "/audit?action=user.signed_in");
  await expect(admin.locator("tbody tr").filter({ hasText: `${person.fullName} signed in with an emailed link` })).toHaveCount(1);

  // The user's own page says when a password may next be tried.
  await visit(admin, "/admin/users");
  await admin.getByRole("link", { name: person.fullName }).click();
  await expect(admin.locator(".govuk-summary-list")).toContainText("Next password attempt allowed");
  await expectAccessible(admin);
});

test("asking for a sign-in link looks the same whether or not the address has an account", async ({ page, visit, expectAccessible }) => {
  await visit(page, "/sign-in");
  await page.getByRole("link", { name: "Email me a link to sign in instead" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Email me a link to sign in");
  await page.getByRole("button", { name: "Email me a link" }).click();
  await expect(page.locator("#email-error")).toContainText("Enter your email address");
  await expectAccessible(page);
  const ghost = uniqueEmail("nobody");
  await page.getByLabel("Email address").fill(ghost);
  await page.getByRole("button", { name: "Email me a link" }).click();
  await expect(page.locator(".govuk-notification-banner")).toContainText(`If ${ghost} has an account, we have sent it a link to sign in.`);
});
