// A lot's scoring rules in the browser, as the tender's commissioning
// officer, with axe on every page: the evaluation page says how each lot is
// scored, the form shows a message beside each bad field and keeps what was
// typed, a good choice is saved and read back in the report's words, and
// once the bids are opened the rules are shown but no longer offered for
// change. The tender is built through the tendering modules.
import { confirmOpening, requestOpening } from "#app/modules/tendering/opening";
import { EVALUATION_NOW, openedTender, type OpenedTender } from "#test/support/evaluation";
import { buildTenderingWorld, contextOf, type TenderingWorld } from "#test/support/tendering";
import { withDatabase } from "./support/database";
import { expect, test } from "./support/fixtures";
import { screenshots } from "./support/screenshots";

let world: TenderingWorld;
let tender: OpenedTender;

test.describe("Choosing how a lot is scored", () => {
  test.describe.configure({ mode: "serial" });

  test.beforeAll(async () => {
    await withDatabase(async (db) => {
      world = await buildTenderingWorld(db);
      tender = await openedTender(db, world, { open: false });
    });
  });

  test("the officer is told what is wrong beside each field, then saves fixed bands and the top 1", async ({ page, signIn, visit, expectAccessible }) => {
    await signIn(page, world.officer.email);
    await visit(page, `/tenders/${tender.id}/evaluation`);
    const rules = page.locator(".govuk-summary-list").last();
    await expect(rules).toContainText("The lowest price among the bids still in the evaluation scores all 40");
    await expect(rules).toContainText("Every compliant bid that meets each question's minimum score is admitted to the framework.");
    await expectAccessible(page);
    await page.getByRole("link", { name: "Change lot 1's scoring rules" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Scoring rules for lot 1");
    await expect(page.getByLabel("Lowest price")).toBeChecked();
    await expectAccessible(page);
    await screenshots(page, "scoring-rules");

    await page.getByLabel("Fixed price bands").check();
    await page.getByLabel("Band 1: prices up to (£)").fill("9,000");
    await page.getByLabel("Band 1: scores (%)").fill("100");
    await page.getByLabel("Band 2: prices up to (£)").fill("8000");
    await page.getByLabel("Band 2: scores (%)").fill("150");
    await page.getByLabel("Only the top-ranked bids").check();
    await page.getByLabel("How many top-ranked bids to admit").fill("0");
    await page.getByRole("button", { name: "Save scoring rules" }).click();

    const summary = page.locator(".govuk-error-summary");
    await expect(summary).toContainText("Band 2 must go up to more than band 1 (£9,000): put the bands in order of price, lowest first");
    await expect(summary).toContainText("Band 2's percentage must be a whole number from 0 to 100");
    await expect(summary).toContainText("Enter the percentage for any higher price");
    await expect(summary).toContainText("The number to admit must be a whole number, 1 or more");
    await expect(page.locator("#bandUpTo2-error")).toContainText("put the bands in order of price");
    await expect(page.locator("#bandPercent2-error")).toContainText("from 0 to 100");
    await expect(page.locator("#admitTopN-error")).toContainText("1 or more");
    // What was typed is still there, and the summary's links go to the fields.
    await expect(page.getByLabel("Band 2: prices up to (£)")).toHaveValue("8000");
    await expect(page.getByLabel("Fixed price bands")).toBeChecked();
    await expectAccessible(page);
    await screenshots(page, "scoring-rules-errors");
    await summary.getByRole("link", { name: /Band 2 must go up to more/ }).click();
    await expect(page.getByLabel("Band 2: prices up to (£)")).toBeFocused();

    await page.getByLabel("Band 2: prices up to (£)").fill("11500");
    await page.getByLabel("Band 2: scores (%)").fill("50");
    await page.getByLabel("Any higher price scores (%)").fill("0");
    await page.getByLabel("How many top-ranked bids to admit").fill("1");
    await page.getByRole("button", { name: "Save scoring rules" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText("Lot 1's scoring rules are saved");
    await expect(rules).toContainText("scored in fixed bands: up to £9,000 scores 100% (40.00 points); above £9,000 up to £11,500 scores 50% (20.00 points); above £11,500 scores 0% (0.00 points).");
    await expect(rules).toContainText("admitted to the framework with a place in the top 1.");
    await expectAccessible(page);
  });

  test("once the bids are opened, the rules are shown as fixed and no longer offered for change", async ({ page, signIn, visit, expectAccessible }) => {
    await withDatabase(async (db) => {
      await db.transaction().execute((trx) => requestOpening(trx, { tenderId: tender.id }, contextOf(world.officer, EVALUATION_NOW)));
      await db.transaction().execute((trx) => confirmOpening(trx, { tenderId: tender.id }, contextOf(tender.secondOfficer, EVALUATION_NOW)));
    });
    await signIn(page, world.officer.email);
    await visit(page, `/tenders/${tender.id}/evaluation`);
    await expect(page.getByText("as fixed before the bids were opened")).toBeVisible();
    await expect(page.getByRole("link", { name: "Change lot 1's scoring rules" })).toHaveCount(0);
    await visit(page, `/tenders/${tender.id}/evaluation/scoring/${tender.lot1}`);
    await expect(page.getByText("The bids have been opened, so these rules no longer change")).toBeVisible();
    await expect(page.getByRole("button", { name: "Save scoring rules" })).toHaveCount(0);
    await expectAccessible(page);
    await screenshots(page, "scoring-rules-fixed");
  });
});
