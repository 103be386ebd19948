// Steps several specs share: an administrator inviting someone, reading the
// email the portal kept for them, and the invitee setting a password.
import { expect, expectAccessible, newContextWithoutJavaScript, visit, type Page } from "./fixtures";

export const GOOD_PASSWORD = "copper-kettle-orchard-9";

export const WESTMOOR = "Westmoor County Council (council)";
export const HARBOUR_LIGHT = "Harbour Light Children's Homes Ltd (provider)";

let counter = 0;

/** An email address no other test (or earlier run) has used. */
export function uniqueEmail(label: string): string {
  counter++;
  return `${label}.${Date.now().toString(36)}${counter}@westmoor.example`;
}

export interface Invitee {
  fullName: string;
  email: string;
  /** The option as the form lists it, e.g. "Westmoor County Council (council)"; Westmoor by default. */
  organisation?: string;
  roles: string[];
}

/** Fills in and sends /admin/users/invite as the signed-in administrator; checks the flash. */
export async function inviteUser(admin: Page, invitee: Invitee): Promise<void> {
  await visit(admin, "/admin/users/invite");
  await fillInvitation(admin, { organisation: WESTMOOR, ...invitee });
  await admin.getByRole("button", { name: "Send invitation" }).click();
  await expect(admin).toHaveURL(/\/admin\/users$/);
  await expect(admin.locator(".govuk-notification-banner")).toContainText(`Invitation sent to ${invitee.email}`);
  await expectAccessible(admin);
}

export async function fillInvitation(page: Page, invitee: Partial<Invitee>): Promise<void> {
  if (invitee.fullName !== undefined) await page.getByLabel("Full name").fill(invitee.fullName);
  if (invitee.email !== undefined) await page.getByLabel("Email address").fill(invitee.email);
  if (invitee.organisation !== undefined) await page.getByLabel("Organisation").selectOption({ label: invitee.organisation });
  for (const role of invitee.roles ?? []) await page.getByLabel(role, { exact: true }).check();
}

/**
 * The plain text of the newest email to this address whose subject contains
 * `subject`, read as an administrator from /admin/emails (waits for it).
 */
export async function readEmail(admin: Page, to: string, subject: string): Promise<{ text: string; id: string }> {
  const row = admin.locator("tbody tr").filter({ has: admin.getByRole("cell", { name: to, exact: true }) }).filter({ hasText: subject });
  await expect(async () => {
    await visit(admin, `/admin/emails?to=${encodeURIComponent(to)}`);
    await expect(row.first()).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 10_000 });
  await row.first().getByRole("link").click();
  await expect(admin).toHaveURL(/\/admin\/emails\/[0-9a-f-]{36}$/);
  await expectAccessible(admin);
  const text = (await admin.locator("pre").textContent()) ?? "";
  const id = new URL(admin.url()).pathname.split("/").pop() ?? "";
  return { text, id };
}

/** The path of the first link in an email's text that goes to /<kind>/<token>. */
export function linkIn(text: string, kind: "invitation" | "reset-password" | "sign-in-link" | "sign-up"): string {
  const match = new RegExp(`https?://[^\\s/]+(/${kind}/[A-Za-z0-9_-]+)`).exec(text);
  if (!match?.[1]) throw new Error(`No /${kind}/ link in this email:\n${text}`);
  return match[1];
}

/** Opens the invitation link and sets a password; lands on /sign-in with "Your account is ready". */
export async function acceptInvitation(page: Page, path: string, password: string = GOOD_PASSWORD): Promise<void> {
  await visit(page, path);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Set up your account");
  await setPassword(page, password, password, "Create account");
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.locator(".govuk-notification-banner")).toContainText("Your account is ready");
  await expectAccessible(page);
}

export async function setPassword(page: Page, password: string, confirm: string, button: string): Promise<void> {
  await page.getByLabel("New password", { exact: true }).fill(password);
  await page.getByLabel("Confirm new password").fill(confirm);
  await page.getByRole("button", { name: button }).click();
}

/**
 * Invites a council user as the administrator and accepts the invitation in
 * a browser of the invitee's own, without JavaScript: with JavaScript the
 * "Your account is ready" banner is often lost (an app bug reported with the
 * fixme test in invitation.spec.ts), and this is only setting up a person.
 */
export async function createCouncilUser(admin: Page, person: Invitee, password: string = GOOD_PASSWORD): Promise<void> {
  await inviteUser(admin, person);
  const { text } = await readEmail(admin, person.email, "invited");
  const browser = admin.context().browser();
  if (!browser) throw new Error("No browser");
  const context = await newContextWithoutJavaScript(browser, new URL(admin.url()).origin);
  try {
    await acceptInvitation(await context.newPage(), linkIn(text, "invitation"), password);
  } finally {
    await context.close();
  }
}

/**
 * The page at a 375 px phone's width and at 1280 px: at 375 it must not
 * scroll sideways (tables scroll in their own box). With SCREENSHOT_DIR set,
 * each width is saved there as <name>-<width>.png for a person to look at.
 */
export async function checkWidths(page: Page, name: string): Promise<void> {
  const original = page.viewportSize() ?? { width: 1280, height: 720 };
  for (const width of [375, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(sideways, `${page.url()} scrolls sideways at ${width} px`).toBeLessThanOrEqual(0);
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize(original);
}
