// The delegated award decision in the browser, as each role: the officer
// drafts and submits a recommendation for an opened tender (errors beside
// the fields first); a key decision cannot be approved before consultation;
// the Portfolio Holder responds from their dashboard and /decisions; the
// Chief Officer decides; the record shows who did what. The tender, the
// providers' bids and the two-officer opening are arranged through the
// modules (their own pages have specs of their own); the demo's own
// recommendation waiting for consultation is listed beside it.
import { arrangeOpenedTender } from "./support/awards";
import { withDatabase } from "./support/database";
import { DEMO, expect, expectAccessible, test } from "./support/fixtures";
import { screenshots } from "./support/screenshots";

test.describe("the award decision", () => {
  test("officer recommends, Portfolio Holder is consulted, Chief Officer decides", async ({ page, signIn, visit, newPage }) => {
    test.setTimeout(240_000);
    const tender = await arrangeOpenedTender();

    // The officer's recommendation: every missing part is listed and shown beside its field.
    await signIn(page, DEMO.officer.email);
    await visit(page, `/tenders/${tender.id}`);
    await page.getByRole("link", { name: "Award recommendation" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Award recommendation");
    await expectAccessible(page);
    await page.getByRole("button", { name: "Submit for decision" }).click();
    const summary = page.locator(".govuk-error-summary");
    await expect(summary).toContainText("Your draft was saved, but it cannot be submitted until every part is filled in");
    await expect(summary.getByRole("link", { name: "Choose at least one bid to recommend" })).toBeVisible();
    await expect(summary.getByRole("link", { name: "Enter the value of the award" })).toHaveAttribute("href", "#value");
    await expect(page.locator("#value-error")).toContainText("Enter the value of the award");
    await expectAccessible(page);
    await screenshots(page, "award-recommendation-errors");

    await page.getByRole("group", { name: /^Lot 1:/ }).getByLabel("Harbour Light Children's Homes Ltd").check();
    await page.getByLabel("Evaluation summary").fill("Both bids met every minimum score. Harbour Light ranked first on quality and price.");
    await page.getByLabel("Value of the award, in pounds").fill("1,850,000");
    await page.getByLabel("Budget line").fill("Children's placements 2027/28, cost centre 4410");
    await page.getByLabel("Risks").fill("Capacity in the west of the county is thin.");
    await page.getByLabel("Alternatives considered").fill("Spot purchasing, rejected as dearer and less stable for children.");
    await screenshots(page, "award-recommendation-form");
    await page.getByRole("button", { name: "Submit for decision" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText("Recommendation submitted for decision");
    await expect(page.locator(".govuk-notification-banner")).toContainText("the Portfolio Holder has been emailed");
    await expect(page.locator("main")).toContainText("Waiting for consultation");
    await expectAccessible(page);
    await screenshots(page, "award-recommendation-submitted");
    // The officer who drafted it may not decide it, nor is the decision page theirs.
    const recommendationId = (await page.getByRole("link", { name: "See the decision record" }).getAttribute("href"))!.split("/").pop()!;
    await visit(page, `/decisions/${recommendationId}/decide`, { status: 403 });

    // The Chief Officer cannot approve a key decision before the consultation.
    const chief = await newPage(DEMO.chiefOfficer.email);
    await visit(chief, `/decisions/${recommendationId}/decide`);
    await expect(chief.locator(".govuk-inset-text")).toContainText("has not yet given their consultation response");
    await chief.getByRole("radio", { name: "Approve", exact: true }).check();
    await chief.getByLabel("Reasons").fill("Best value");
    await chief.getByRole("button", { name: "Record decision" }).click();
    await expect(chief.locator(".govuk-error-summary")).toContainText("The Portfolio Holder has not yet been consulted on this key decision");
    await expect(chief.getByLabel("Reasons")).toHaveValue("Best value");
    await expectAccessible(chief);

    // The Portfolio Holder finds it from the dashboard and /decisions, the recommendation one click away.
    const ph = await newPage(DEMO.portfolioHolder.email);
    await visit(ph, "/");
    // The demo's own recommendation waits for them too.
    await expect(ph.getByTestId("awards-card")).toContainText("2 award recommendations are waiting for you");
    await screenshots(ph, "award-dashboard-portfolio-holder");
    await ph.getByRole("link", { name: "See award decisions" }).click();
    await expect(ph.getByRole("heading", { level: 1 })).toHaveText("Award decisions");
    await expect(ph.locator("main")).toContainText("Residential short breaks, east: homes for 2027 to 2032");
    await expectAccessible(ph);
    await screenshots(ph, "award-decisions-list");
    await ph.getByRole("link", { name: tender.title }).click();
    await expect(ph.locator("main")).toContainText("Key decision (value at or above £500,000)");
    await expectAccessible(ph);
    await screenshots(ph, "award-recommendation-record");
    await ph.getByRole("button", { name: "Give your consultation response" }).click();
    await ph.getByLabel("I object to it").check();
    await ph.getByRole("button", { name: "Send response" }).click();
    await expect(ph.locator("#comments-error")).toContainText("Enter your reasons for objecting");
    await expect(ph.getByLabel("I object to it")).toBeChecked();
    await expectAccessible(ph);
    await screenshots(ph, "award-consultation-errors");
    await ph.getByLabel("I support it, with comments").check();
    await ph.getByLabel("Comments or reasons").fill("Please review in-county capacity after six months.");
    await ph.getByRole("button", { name: "Send response" }).click();
    await expect(ph.locator(".govuk-notification-banner")).toContainText("Consultation response recorded");
    await expect(ph.locator("main")).toContainText("Supports the recommendation, with comments");

    // The Chief Officer decides; conditions are needed for a conditional approval.
    await visit(chief, "/decisions");
    await chief.getByRole("link", { name: tender.title }).click();
    await chief.getByRole("button", { name: "Decide" }).click();
    await expect(chief.locator("main")).toContainText("Please review in-county capacity after six months.");
    await expectAccessible(chief);
    await screenshots(chief, "award-decide");
    await chief.getByRole("radio", { name: "Approve with conditions" }).check();
    await chief.getByLabel("Reasons").fill("Best value for children in the county.");
    await chief.getByRole("button", { name: "Record decision" }).click();
    await expect(chief.locator("#conditions-error")).toContainText("Enter the conditions");
    await chief.getByLabel("Conditions", { exact: true }).fill("Review in-county capacity after six months.");
    await chief.getByRole("button", { name: "Record decision" }).click();
    await expect(chief.locator(".govuk-notification-banner")).toContainText("Decision recorded: approved with conditions");
    await expect(chief.locator("main")).toContainText(`Approved with conditions by ${DEMO.chiefOfficer.name}`);
    await expectAccessible(chief);
    await screenshots(chief, "award-decision-record");

    // The next person was emailed at each step.
    const mail = await withDatabase((db) =>
      db.selectFrom("outbox_email").select(["to_address", "template"]).where("template", "in", ["award_decision_requested", "award_decided"]).where("text", "like", `%${recommendationId}%`).orderBy("created_at").execute(),
    );
    expect(mail.map((m) => [m.to_address, m.template])).toEqual([
      [DEMO.portfolioHolder.email, "award_decision_requested"],
      [DEMO.chiefOfficer.email, "award_decision_requested"],
      [DEMO.officer.email, "award_decided"],
    ]);
  });
});
