import { expect, test } from "./support/fixtures";
import { createCouncilUser, GOOD_PASSWORD, uniqueEmail } from "./support/users";

const LOCKED = /Your account is locked because of too many failed sign-in attempts\. Try again after .+, or reset your password/;

test("five wrong passwords lock the account: even the right password is then refused, and the administrator sees the lock in the audit trail", async ({
  page,
  newPage,
  visit,
  expectAccessible,
}) => {
  test.setTimeout(90_000);
  const admin = await newPage("admin@westmoor.example");
  const person = { fullName: `Lockout Tester ${Date.now()}`, email: uniqueEmail("lockout"), roles: ["Evaluator"] };
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
  // The fifth failure locks the account and says so.
  expect(await attempt("wrong-password-5")).toBe(429);
  await expect(message).toHaveText(LOCKED);

  // The sixth attempt, with the right password, is refused too.
  expect(await attempt(GOOD_PASSWORD)).toBe(429);
  await expect(message).toHaveText(LOCKED);
  await expect(page.locator(".govuk-error-summary")).toContainText("Your account is locked");
  await expect(page).toHaveURL(/\/sign-in/);
  await expectAccessible(page);
  const dashboard = await page.request.get("/", { maxRedirects: 0 });
  expect(await dashboard.text()).not.toContain(`Welcome, ${person.fullName}`);

  // The administrator's audit trail, filtered to "Account locked", shows it.
  await visit(admin, "/audit");
  await admin.getByLabel("Action").selectOption({ label: "Account locked" });
  await admin.getByRole("button", { name: "Apply filters" }).click();
  await expect(admin).toHaveURL(/[?&]action=user\.locked(&|$)/);
  const lockRow = admin.locator("tbody tr").filter({ hasText: `Locked ${person.fullName}'s account` });
  await expect(lockRow).toHaveCount(1);
  await expect(lockRow).toContainText("after 5 failed sign-ins");
  // Only lock events are listed (waits for the filtered list to replace the whole trail).
  await expect(admin.locator("tbody tr td:nth-child(4) strong").filter({ hasNotText: /^Account locked$/ })).toHaveCount(0);
  await expectAccessible(admin);

  // ... and the five failures before it.
  await visit(admin, "/audit?action=user.sign_in_failed");
  await expect(admin.locator("tbody tr").filter({ hasText: `Failed sign-in as ${person.email}` })).toHaveCount(5);

  // ... and the refused attempt after it.
  await visit(admin, "/audit?action=user.sign_in_refused");
  await expect(admin.locator("tbody tr").filter({ hasText: `Refused sign-in as ${person.email}: account locked` })).toHaveCount(1);

  // The user's own page says the account is locked.
  await visit(admin, "/admin/users");
  await admin.getByRole("link", { name: person.fullName }).click();
  await expect(admin.locator(".govuk-summary-list")).toContainText("Sign-in locked until");
  await expectAccessible(admin);
});
