// Contracts after the award in the browser: the officer creates the
// agreements for an approved award (errors beside the fields, then a check of
// the answers), the provider finds its agreement at /contracts and accepts
// it, and the officer sees it signed with its contract details notice due.
// The tender, bids, opening, the approved decision and its award notice are arranged through
// the modules (their own pages have specs of their own).
import { publishAwardNotice } from "#app/modules/awards/award-notice";
import { decideAward } from "#app/modules/awards/decisions";
import { recommendationForTender, saveRecommendation, submitRecommendation } from "#app/modules/awards/recommendations";
import { openedTender } from "#test/support/awards";
import { contextOf } from "#test/support/tendering";
import { demoAwardWorld } from "./support/awards";
import { withDatabase } from "./support/database";
import { DEMO, expect, expectAccessible, test } from "./support/fixtures";
import { screenshots } from "./support/screenshots";

async function arrangeApprovedAward(): Promise<{ id: string; title: string }> {
  return withDatabase(async (db) => {
    const { world, actor } = await demoAwardWorld(db);
    const officer = world.officer;
    const t = await openedTender(db, world, { secondOfficer: await actor(DEMO.secondOfficer.email) });
    const links = { baseUrl: "http://portal.test" };
    const now = new Date();
    await db.transaction().execute((trx) =>
      saveRecommendation(
        trx,
        {
          tenderId: t.id,
          expectedVersion: 0,
          lots: [{ lotId: t.lot1, bidIds: [t.bidA, t.bidB] }],
          evaluationSummary: "Both bids met every minimum score.",
          valuePence: 240_000_00,
          budgetLine: "Children's placements 2027/28",
          risks: "Thin capacity in the west.",
          alternatives: "Spot purchasing, rejected as dearer.",
        },
        contextOf(officer, now),
      ),
    );
    await db.transaction().execute((trx) => submitRecommendation(trx, { tenderId: t.id, expectedVersion: 1 }, contextOf(officer, now), links));
    const rec = (await recommendationForTender(db, t.id, officer)).recommendation!;
    const chief = await actor(DEMO.chiefOfficer.email);
    await db.transaction().execute((trx) => decideAward(trx, { recommendationId: rec.id, outcome: "approved", reasons: "Best value for children", conditions: "" }, contextOf(chief, now), links));
    // A light-touch award: the officer publishes its notice with no standstill, so it may go on to contracts at once.
    await db.transaction().execute((trx) =>
      publishAwardNotice(trx, { tenderId: t.id, standstill: "none", workingDays: null, reason: "Light-touch framework: no standstill, as the tender said" }, contextOf(officer, now), links),
    );
    return db.selectFrom("tender").select(["id", "title"]).where("id", "=", t.id).executeTakeFirstOrThrow();
  });
}

test.describe("contracts after the award", () => {
  test("officer creates the agreements, the provider accepts its own, the officer sees it signed", async ({ page, signIn, visit, newPage }) => {
    test.setTimeout(240_000);
    const tender = await arrangeApprovedAward();

    await signIn(page, DEMO.officer.email);
    await visit(page, `/tenders/${tender.id}/award`);
    await page.getByRole("link", { name: "Create the agreements for this award" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Create the agreements for this award");
    await expectAccessible(page);
    await screenshots(page, "contracts-create");

    // Nothing filled in but the start date: each problem is listed and shown beside its field.
    await page.getByRole("button", { name: "Continue" }).click();
    const summary = page.locator(".govuk-error-summary");
    await expect(summary.getByRole("link", { name: "Enter the term in months" })).toHaveAttribute("href", "#termMonths");
    await expect(page.locator("#termMonths-error")).toContainText("Enter the term in months");
    await expect(summary.getByRole("link", { name: /^Enter the value of the agreement with Harbour Light/ })).toBeVisible();
    await expectAccessible(page);
    await screenshots(page, "contracts-create-errors");

    await page.getByLabel("Term, in months").fill("48");
    await page.getByLabel(/^Harbour Light/).fill("120,000");
    await page.getByLabel(/^Moorland/).fill("120000");
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Check the agreements before creating them");
    await expect(page.locator(".govuk-summary-list")).toContainText("48 months, ending 31 March 2031");
    await expectAccessible(page);
    await screenshots(page, "contracts-check");
    await page.getByRole("button", { name: "Create the agreements" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText("2 agreements created");
    await expect(page.getByRole("table")).toContainText("Not yet accepted");
    await expectAccessible(page);

    // The provider finds its own agreement, and only its own, to accept.
    const provider = await newPage(DEMO.harbourLight.email);
    await provider.goto("/");
    await expect(provider.getByTestId("contracts-card")).toContainText("1 agreement is waiting for you to read and accept.");
    await expectAccessible(provider);
    await provider.getByTestId("contracts-card").getByRole("link", { name: "See contracts" }).click();
    await expect(provider.getByRole("heading", { level: 2, name: "Agreements to accept" })).toBeVisible();
    await expect(provider.getByRole("heading", { level: 1 })).toHaveText("Contracts");
    await expect(provider.locator("main")).not.toContainText("Moorland");
    await expectAccessible(provider);
    await screenshots(provider, "contracts-provider-list");
    await provider.getByRole("link", { name: /^Framework agreement / }).first().click();
    await expect(provider.getByRole("heading", { level: 1 })).toHaveText(/^Framework agreement /);
    await expect(provider.getByRole("table")).toContainText("Weekly fee per placement (Standard)");
    await expect(provider.getByRole("table")).toContainText("£4,500.00 a week");
    await expectAccessible(provider);
    await screenshots(provider, "contracts-provider-agreement");
    // Declining needs a reason.
    await provider.getByRole("button", { name: "Decline the agreement" }).click();
    await expect(provider.locator("#reason-error")).toContainText("Enter why you decline the agreement");
    await expectAccessible(provider);
    await provider.getByRole("button", { name: "Accept the agreement" }).click();
    await expect(provider.locator(".govuk-notification-banner")).toContainText("You accepted the framework agreement");
    await expect(provider.locator(".govuk-tag")).toHaveText("Signed");
    const contractPath = new URL(provider.url()).pathname;

    // The officer sees it signed, with its notice due (light touch: 120 days), and records it.
    await visit(page, contractPath);
    await expect(page.locator(".govuk-tag")).toHaveText("Signed");
    await expect(page.locator(".govuk-summary-list")).toContainText("120 days after the contract was entered into");
    await expect(page.locator(".govuk-summary-list")).toContainText(`by ${DEMO.harbourLight.name}`);
    await expectAccessible(page);
    await screenshots(page, "contracts-officer-signed");
    await page.getByRole("button", { name: "Record the notice" }).click();
    await expect(page.locator(".govuk-error-summary")).toContainText("Enter the date the notice was published");
    await expectAccessible(page);
    const today = new Date().toLocaleDateString("en-GB", { timeZone: "Europe/London" }).split("/");
    await page.getByLabel("Day").fill(today[0]!);
    await page.getByLabel("Month").fill(today[1]!);
    await page.getByLabel("Year").fill(today[2]!);
    await page.getByRole("button", { name: "Record the notice" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText("Contract details notice recorded");
    await expect(page.locator(".govuk-summary-list")).toContainText("Published on");

    // Another provider is told the agreement does not exist.
    const other = await newPage(DEMO.moorland.email);
    const response = await other.goto(contractPath);
    expect(response?.status()).toBe(404);
  });
});
