// The two "which lots" pages, a bid's and a dynamic market application's,
// which share one form: each as it first shows and with nothing chosen
// (the error beside the field and in the summary, linked to it), at 1280 and
// 375 px. Axe runs on every page.
import { DEMO, expect, expectAccessible, test, type Page } from "./support/fixtures";
import { screenshots } from "./support/screenshots";

const FRAMEWORK = "Residential children's homes framework 2027 to 2031: call for providers";
const MARKET = "Residential short breaks dynamic market 2027 to 2031";

async function openTender(page: Page, visit: (page: Page, path: string) => Promise<unknown>, title: string) {
  await visit(page, "/tenders");
  await page.getByRole("link", { name: title }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
}

async function refuseNothingChosen(page: Page, message: string) {
  for (const box of await page.getByRole("checkbox").all()) await box.uncheck();
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page.locator("#lotIds-error")).toContainText(message);
  await expect(page.locator(".govuk-error-summary").getByRole("link", { name: message })).toHaveAttribute("href", "#lotIds");
  await expect(page.getByRole("checkbox", { checked: true })).toHaveCount(0);
  await expectAccessible(page);
}

test.describe("Choosing lots", () => {
  test("in a bid: the tender's lots, those chosen ticked, and nothing chosen refused beside the field", async ({ page, signIn, visit }) => {
    await signIn(page, DEMO.moorland.email);
    await openTender(page, visit, FRAMEWORK);
    const bid = `${new URL(page.url()).pathname}/bid`;
    await visit(page, `${bid}/lots`);
    await expect(page.getByRole("group", { name: "Which lots are you bidding for?" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Back to your bid" })).toHaveAttribute("href", bid);
    await expect(page.getByRole("checkbox")).not.toHaveCount(0);
    await screenshots(page, "lots-bid");
    await refuseNothingChosen(page, "Select at least one lot to bid for");
    await screenshots(page, "lots-bid-error");
  });

  test("in a market application: only lots not joined already, and nothing chosen refused beside the field", async ({ page, signIn, visit }) => {
    // Harbour Light is a member of lot 1 and applies again, for the other lots.
    await signIn(page, DEMO.harbourLight.email);
    await openTender(page, visit, MARKET);
    const apply = `${new URL(page.url()).pathname}/apply`;
    await page.getByRole("link", { name: "Apply to join this market" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your application to join the market");
    // After the dynamic market spec its new application may already be under way.
    const again = page.getByRole("button", { name: "Apply again" });
    if (await again.isVisible()) await again.click();
    await expect(page.getByRole("link", { name: "Check your answers and submit" })).toBeVisible();
    await visit(page, `${apply}/lots`);
    await expect(page.getByRole("group", { name: "Which lots are you applying to join?" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Back to your application" })).toHaveAttribute("href", apply);
    await expect(page.getByLabel("Lot 1: Short breaks, east (Westmoor and Dartvale)")).toHaveCount(0);
    await screenshots(page, "lots-apply");
    await refuseNothingChosen(page, "Select at least one lot to apply for");
    await screenshots(page, "lots-apply-error");
  });
});
