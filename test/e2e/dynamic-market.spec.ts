// The demo's short-breaks dynamic market in the browser: a provider applies
// to join another lot page by page (errors beside the fields, what was typed
// kept); the officer admits one waiting application and refuses another with
// reasons, which the provider then reads; a call-off competition for lot 2
// tells a provider outside the lot why it cannot take part and lets a member
// register interest; an officer starts a call-off; the forms work without
// JavaScript. Axe runs on every page.
import { DEMO, expect, expectAccessible, test, type Page } from "./support/fixtures";
import { screenshots } from "./support/screenshots";

const MARKET = "Residential short breaks dynamic market 2027 to 2031";
const CALL_OFF = "Holiday short breaks, west, summer 2027";

async function openTender(page: Page, visit: (page: Page, path: string) => Promise<unknown>, title: string) {
  await visit(page, "/tenders");
  await page.getByRole("link", { name: title }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
}

test.describe("A dynamic market", () => {
  // One story on the demo's data: Harbour Light's application in the first test is refused in the second.
  test.describe.configure({ mode: "serial" });

  test("a provider applies to join lot 2 page by page, is told what is missing, and sees its application waiting", async ({ page, signIn, visit }) => {
    await signIn(page, DEMO.harbourLight.email);
    await openTender(page, visit, MARKET);
    await expect(page.getByText("Market closes")).toBeVisible();
    await page.getByRole("link", { name: "Apply to join this market" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your application to join the market");
    await expect(page.getByRole("heading", { name: "Your organisation is a member of" })).toBeVisible();
    await expect(page.getByRole("listitem").filter({ hasText: "Lot 1: Short breaks, east (Westmoor and Dartvale)" })).toBeVisible();
    await expectAccessible(page);
    await screenshots(page, "market-apply-member");
    await page.getByRole("button", { name: "Apply again" }).click();
    await expect(page.getByRole("link", { name: "Check your answers and submit" })).toBeVisible();
    await expectAccessible(page);
    await screenshots(page, "market-apply-tasks");

    // The check page lists what is missing, each a link to put it right.
    await page.getByRole("link", { name: "Check your answers and submit" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Check your application");
    const summary = page.locator(".govuk-error-summary");
    await expect(summary.getByRole("link", { name: "Choose the lots you are applying for" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Submit application" })).toHaveCount(0);
    await expectAccessible(page);
    await summary.getByRole("link", { name: "Choose the lots you are applying for" }).click();

    // Lots: none chosen is refused beside the field; lot 1 is not offered, being joined already.
    await expect(page.getByRole("group", { name: "Which lots are you applying to join?" })).toBeVisible();
    await expect(page.getByLabel("Lot 1: Short breaks, east (Westmoor and Dartvale)")).toHaveCount(0);
    await page.getByRole("button", { name: "Save and continue" }).click();
    await expect(page.locator("#lotIds-error")).toContainText("Select at least one lot to apply for");
    await expectAccessible(page);
    await page.getByLabel("Lot 2: Short breaks, west (Tamarmouth)").check();
    await page.getByRole("button", { name: "Save and continue" }).click();

    // Condition 1.1: yes without saying how is refused, and the choice is kept.
    await page.getByRole("link", { name: /^1\.1 / }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(/registered with Ofsted/);
    await page.getByRole("button", { name: "Save and continue" }).click();
    await expect(page.locator("#meetsRequirement-error")).toContainText("Select yes if your organisation meets this condition");
    await page.getByLabel("Yes").check();
    await page.getByRole("button", { name: "Save and continue" }).click();
    await expect(page.locator("#evidence-error")).toContainText("Say how your organisation meets this condition");
    await expect(page.getByLabel("Yes")).toBeChecked();
    await expectAccessible(page);
    await screenshots(page, "market-apply-condition-error");
    await page.getByLabel("How does your organisation meet it?").fill("Tamarmouth home: Ofsted URN SC455667, rated Good in March");
    await page.getByRole("button", { name: "Save and continue" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText("Your answer to condition 1.1 has been saved");

    await page.getByRole("link", { name: /^1\.2 / }).click();
    await page.getByLabel("Yes").check();
    await page.getByLabel("How does your organisation meet it?").fill("Harbour Mutual policy HM-2231, £10 million, renewed in April");
    await page.getByRole("button", { name: "Save and continue" }).click();

    await page.getByRole("link", { name: /^1\.3 / }).click();
    await page.getByRole("button", { name: "Save and continue" }).click();
    await expect(page.locator("#declared-error")).toContainText("Tick the box to make this declaration");
    await expectAccessible(page);
    await page.getByLabel("I make this declaration on behalf of my organisation").check();
    await page.getByRole("button", { name: "Save and continue" }).click();

    await page.getByRole("link", { name: "Check your answers and submit" }).click();
    await expect(page.locator(".govuk-error-summary")).toHaveCount(0);
    await expect(page.getByText("How: Tamarmouth home: Ofsted URN SC455667, rated Good in March")).toBeVisible();
    await expectAccessible(page);
    await screenshots(page, "market-apply-check");
    await page.getByRole("button", { name: "Submit application" }).click();
    await expect(page.locator(".govuk-notification-banner").first()).toContainText("Your application has been submitted");
    await expect(page.locator(".govuk-summary-list").first()).toContainText("Waiting for a decision");
    await expectAccessible(page);
    await screenshots(page, "market-apply-waiting");

    // The officers' pages are not there for a provider.
    const url = new URL(page.url());
    await visit(page, url.pathname.replace(/\/apply$/, "/applications"), { status: 404 });
  });

  test("the officer sees waiting applications first, needs reasons to refuse, admits one and refuses the other", async ({ page, signIn, visit }) => {
    await signIn(page, DEMO.officer.email);
    await openTender(page, visit, MARKET);
    await page.getByRole("link", { name: "Applications and members" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Applications and members");
    await expect(page.getByText("2 applications are waiting for a decision.")).toBeVisible();
    const rows = page.locator("table tbody tr");
    await expect(rows.nth(0)).toContainText("Waiting for a decision");
    await expect(rows.nth(1)).toContainText("Waiting for a decision");
    await expect(rows.nth(2)).toContainText("Admitted");
    await expectAccessible(page);
    await screenshots(page, "market-applications");

    await page.getByRole("link", { name: "Moorland Care Group Ltd, application 2" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Application from Moorland Care Group Ltd (number 2)");
    await expect(page.getByText(/SC412233, Good; the same insurance \(Ofsted registration\)/)).toBeVisible();
    await expectAccessible(page);
    await screenshots(page, "market-application");
    await page.getByRole("button", { name: "Record the decision" }).click();
    await expect(page.locator("#decision-error")).toContainText("Select whether to admit or refuse the provider");
    await page.getByLabel("Refuse").check();
    await page.getByRole("button", { name: "Record the decision" }).click();
    await expect(page.locator("#reason-error")).toContainText("Give the reasons for refusing the application");
    await expect(page.getByLabel("Refuse")).toBeChecked();
    await expectAccessible(page);
    await page.getByLabel("Admit").check();
    await page.getByRole("button", { name: "Record the decision" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText("Moorland Care Group Ltd has been admitted");
    const lot2 = page.locator("section", { has: page.getByRole("heading", { name: "Lot 2: Short breaks, west (Tamarmouth)" }) });
    await expect(lot2).toContainText("Moorland Care Group Ltd");

    await page.getByRole("link", { name: "Harbour Light Children's Homes Ltd, application 2" }).click();
    await page.getByLabel("Refuse").check();
    await page.getByLabel("Reasons").fill("The Ofsted URN given is not registered for short breaks. Apply again once it is.");
    await page.getByRole("button", { name: "Record the decision" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText("Harbour Light Children's Homes Ltd's application has been refused");
    await expect(page.getByText("No application is waiting for a decision.")).toBeVisible();
  });

  test("the provider reads the refusal's reasons and may apply again", async ({ page, signIn, visit }) => {
    await signIn(page, DEMO.harbourLight.email);
    await openTender(page, visit, MARKET);
    await page.getByRole("link", { name: "Apply to join this market" }).click();
    await expect(page.locator(".govuk-summary-list").first()).toContainText("Refused");
    await expect(page.getByText("The Ofsted URN given is not registered for short breaks. Apply again once it is.")).toBeVisible();
    await expect(page.getByRole("button", { name: "Apply again" })).toBeVisible();
    await expectAccessible(page);
    await screenshots(page, "market-apply-refused");
  });

  test("a call-off for lot 2 tells a provider outside the lot why it cannot take part, and a member registers interest", async ({ page, newPage, signIn, visit }) => {
    await signIn(page, DEMO.harbourLight.email);
    await openTender(page, visit, CALL_OFF);
    await expect(page.getByText(/open only to members of lot 2 \(Short breaks, west \(Tamarmouth\)\)/)).toBeVisible();
    await expect(page.getByRole("button", { name: "Register interest" })).toHaveCount(0);
    await expectAccessible(page);
    await screenshots(page, "market-call-off-excluded");

    const moorland = await newPage(DEMO.moorland.email);
    await openTender(moorland, visit, CALL_OFF);
    await moorland.getByRole("button", { name: "Register interest" }).click();
    await expect(moorland.locator(".govuk-notification-banner")).toContainText("You have registered interest in this tender");
  });

  test("an officer starts a call-off competition for one lot's members", async ({ page, signIn, visit }) => {
    await signIn(page, DEMO.officer.email);
    await openTender(page, visit, MARKET);
    await page.getByRole("link", { name: "Applications and members" }).click();
    await page.getByRole("link", { name: "Start a call-off competition" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Start a call-off competition");
    await page.getByRole("button", { name: "Start the competition" }).click();
    await expect(page.locator("#title-error")).toContainText("Enter the call-off competition's title");
    await expect(page.locator("#lotId-error")).toContainText("Select the lot whose members will compete");
    await expectAccessible(page);
    await screenshots(page, "market-call-off-start");
    await page.getByLabel("Title").fill("Weekend short breaks, east, autumn 2027");
    await page.getByLabel(/^Lot 1: /).check();
    await page.getByRole("button", { name: "Start the competition" }).click();
    await expect(page).toHaveURL(/\/tenders\/[0-9a-f-]{36}\/edit$/);
    await expect(page.locator(".govuk-notification-banner")).toContainText("Call-off competition started");
  });

  test("without JavaScript, a refused provider applies again and is told beside the field what is missing", async ({ newPage }) => {
    const page = await newPage(DEMO.harbourLight.email, undefined, { javaScript: false });
    await page.goto("/tenders");
    await page.getByRole("link", { name: MARKET }).click();
    await page.getByRole("link", { name: "Apply to join this market" }).click();
    await page.getByRole("button", { name: "Apply again" }).click();
    await page.getByRole("link", { name: "Choose the lots you are applying for" }).click();
    await page.getByRole("button", { name: "Save and continue" }).click();
    await expect(page.locator("#lotIds-error")).toContainText("Select at least one lot to apply for");
    await expect(page.locator(".govuk-error-summary")).toContainText("Select at least one lot to apply for");
    await page.getByLabel("Lot 2: Short breaks, west (Tamarmouth)").check();
    await page.getByRole("button", { name: "Save and continue" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your application to join the market");
    await page.getByRole("link", { name: /^1\.3 / }).click();
    await page.getByLabel("I make this declaration on behalf of my organisation").check();
    await page.getByRole("button", { name: "Save and continue" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText("Your answer to condition 1.3 has been saved");
  });
});
