// The administrator's Sent email page finds one person's emails: the list
// filtered by the address they were sent to (whatever its capitals), paged
// within it, and a clear message beside the box for an address that cannot
// be one, with nothing lost of what was typed.
import { DEMO, expect, test } from "./support/fixtures";

test.describe("Sent email", () => {
  test("an administrator finds the emails sent to one address, and is told when what they typed cannot be one", async ({ page, signIn, visit, expectAccessible }) => {
    await signIn(page, DEMO.admin.email);
    await visit(page, "/admin/emails");
    await page.getByLabel("Sent to").fill(DEMO.harbourLight.email.toUpperCase());
    await page.getByRole("button", { name: "Show" }).click();
    await expect(page).toHaveURL(/\/admin\/emails\?to=/);
    const caption = page.locator("caption");
    await expect(caption).toHaveText(new RegExp(`^\\d+ emails? to ${DEMO.harbourLight.email.toUpperCase().replace(/[.]/g, "\\.")}$`));
    const recipients = await page.locator("tbody tr td:nth-child(2)").allTextContents();
    expect(recipients.length).toBeGreaterThan(0);
    expect(new Set(recipients.map((r) => r.trim().toLowerCase()))).toEqual(new Set([DEMO.harbourLight.email]));
    await expectAccessible(page);

    // A control character cannot be part of an address: a message beside the box, "Error: " in the title, no 500.
    // (A NUL byte never gets this far: the portal answers 400 to any address holding one.)
    const response = await page.goto("/admin/emails?to=provider%07@harbour-light.example");
    expect(response?.status()).toBe(200);
    await expect(page).toHaveTitle(/^Error: Sent email/);
    await expect(page.locator("#to-error")).toContainText("Enter an email address without control characters");
    await expect(page.getByLabel("Sent to")).toHaveValue("provider@harbour-light.example");
    await expectAccessible(page);

    await page.getByRole("link", { name: "Show every email" }).click();
    await expect(page).toHaveURL(/\/admin\/emails$/);
  });
});
