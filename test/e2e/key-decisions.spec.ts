// A council administrator sets the key-decision threshold that routes award
// recommendations: a wrong amount is refused beside the box and keeps what
// was typed; a saved one is named with who set it; a colleague's change made
// meanwhile is never silently overwritten. Other roles cannot reach the page.
import { withDatabase } from "./support/database";
import { DEMO, expect, test } from "./support/fixtures";
import { screenshots } from "./support/screenshots";

test.describe("Key decisions", () => {
  test.afterAll(async () => {
    // Leave the demo's council on the portal's default for the specs after this one.
    await withDatabase(async (db) => {
      const council = await db.selectFrom("organisation").select("id").where("name", "=", "Westmoor County Council").executeTakeFirstOrThrow();
      await db.updateTable("council_award_setting").set({ key_decision_threshold_pence: 500_000_00 }).where("council_id", "=", council.id).execute();
    });
  });

  test("the administrator sets the threshold: a wrong amount is refused beside the box, a saved one says who set it", async ({ page, signIn, visit, expectAccessible }) => {
    await signIn(page, DEMO.admin.email);
    await page.getByRole("link", { name: "Key decisions" }).first().click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Key decisions");
    await expect(page.locator(".govuk-summary-list")).toContainText("£500,000");
    await expect(page.locator(".govuk-summary-list")).toContainText("Nobody yet: the portal's default of £500,000 applies");
    await expectAccessible(page);
    await screenshots(page, "key-decisions");

    await page.getByLabel("New threshold, in pounds").fill("half a million");
    await page.getByRole("button", { name: "Save the threshold" }).click();
    await expect(page.locator(".govuk-error-summary")).toContainText("The threshold must be an amount in pounds, like 5200 or 5200.50");
    await expect(page.locator("#threshold-error")).toContainText("The threshold must be an amount in pounds");
    await expect(page.getByLabel("New threshold, in pounds")).toHaveValue("half a million");
    await expectAccessible(page);

    await page.getByLabel("New threshold, in pounds").fill("£250,000");
    await page.getByRole("button", { name: "Save the threshold" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText("The key-decision threshold is now £250,000");
    await expect(page.locator(".govuk-summary-list")).toContainText("£250,000");
    await expect(page.locator(".govuk-summary-list")).toContainText(DEMO.admin.name);

    // A colleague changes it while this page is open: saving from the stale page is refused, naming the new figure.
    await withDatabase(async (db) => {
      await db.updateTable("council_award_setting").set((eb) => ({ key_decision_threshold_pence: 300_000_00, version: eb("version", "+", 1) })).execute();
    });
    await page.getByLabel("New threshold, in pounds").fill("400000");
    await page.getByRole("button", { name: "Save the threshold" }).click();
    await expect(page.locator("#threshold-error")).toContainText("Someone changed the threshold while you were editing it: it is now £300,000");
    await expect(page.getByLabel("New threshold, in pounds")).toHaveValue("400000");
    await page.getByRole("button", { name: "Save the threshold" }).click();
    await expect(page.locator(".govuk-summary-list")).toContainText("£400,000");
    await visit(page, "/admin/key-decisions");
  });

  test("is for administrators only", async ({ browser, signIn }) => {
    for (const who of [DEMO.officer, DEMO.chiefOfficer, DEMO.harbourLight]) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await signIn(page, who.email);
      const response = await page.request.get("/admin/key-decisions", { maxRedirects: 0 });
      expect([403, 404], who.email).toContain(response.status());
      await context.close();
    }
  });
});
