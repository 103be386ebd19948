// The competitive flexible procedure's two stages in the browser, on the
// demo's block-bed tenders: an officer gives a new draft a participation stage
// and is told its deadline is out of order; a provider requests to
// participate page by page (errors beside the fields, what was typed kept)
// and is told it cannot bid yet; the officer passes a waiting request (reasons
// needed to not pass it); the provider that passed starts its bid, which does
// not ask the conditions again. Axe runs on every page.
import { DEMO, expect, expectAccessible, test, type Page } from "./support/fixtures";
import { screenshots } from "./support/screenshots";

const REQUESTS_OPEN = "Block beds for children with complex needs, 2027 (two stages)";
const BIDDING = "Block beds in east Westmoor, 2027 (two stages)";
const HARBOUR_LIGHT = "Harbour Light Children's Homes Ltd";

async function openTender(page: Page, visit: (page: Page, path: string) => Promise<unknown>, title: string) {
  await visit(page, "/tenders");
  await page.getByRole("link", { name: title }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
}

async function fillDateTime(page: Page, field: string, day: string, month: string, year: string, time: string) {
  await page.locator(`#${field}-day`).fill(day);
  await page.locator(`#${field}-month`).fill(month);
  await page.locator(`#${field}-year`).fill(year);
  await page.locator(`#${field}-time`).fill(time);
}

test.describe("A competitive flexible tender in two stages", () => {
  // One story on the demo's data: Harbour Light's waiting request is passed in the third test, and it bids in the fourth; the fifth is Moorland Care's, without JavaScript.
  test.describe.configure({ mode: "serial" });

  test("an officer gives a new draft a participation stage, and publishing says the deadline is out of order", async ({ page, signIn, visit }) => {
    await signIn(page, DEMO.officer.email);
    await visit(page, "/tenders");
    await page.getByRole("button", { name: "Create a tender" }).click();
    await page.getByLabel("Agreement").selectOption({ label: "Residential block contract: 12 beds in Westmoor (WCC-BLOCK-2026)" });
    await page.getByLabel("Title").fill("Solo placements, two stages");
    await page.getByLabel("Competitive flexible procedure").check();
    await page.getByRole("group", { name: "Does the light-touch regime apply?" }).getByLabel("Yes").check();
    await page.getByRole("button", { name: "Create draft tender" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Change the draft tender");

    const stage = page.getByRole("group", { name: "Does the tender have a participation stage first?" });
    await stage.getByLabel("Yes, conditions of participation first, then bids").check();
    await fillDateTime(page, "publicationAt", "1", "3", "2030", "09:00");
    await fillDateTime(page, "clarificationDeadlineAt", "1", "4", "2030", "12:00");
    await fillDateTime(page, "participationDeadlineAt", "1", "6", "2030", "12:00");
    await fillDateTime(page, "submissionDeadlineAt", "1", "5", "2030", "12:00");
    await page.getByLabel("Lot 2: Four beds for children with complex needs").check();
    await expectAccessible(page);
    await screenshots(page, "competitive-flexible-edit");
    await page.getByRole("button", { name: "Save draft" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText("Draft tender saved");
    await expect(page.getByText("Two stages: requests to participate close at midday on Saturday 1 June 2030")).toBeVisible();

    await page.getByRole("link", { name: "Check and publish" }).click();
    const summary = page.locator(".govuk-error-summary");
    await expect(summary.getByRole("link", { name: "The participation deadline must be before the submission deadline" })).toBeVisible();
    await expect(summary.getByRole("link", { name: /^Choose the questionnaire sections that hold the conditions of participation/ })).toBeVisible();
    await expectAccessible(page);
    await summary.getByRole("link", { name: /^Choose the questionnaire sections/ }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Participation stage");
    await expect(page.getByText("The questionnaire has no sections yet.")).toBeVisible();
    await expectAccessible(page);

    // A section of conditions, then ticked as the participation stage.
    await page.getByRole("link", { name: "Add a section of pass/fail questions and declarations" }).click();
    await expect(page).toHaveURL(/\/questionnaire$/);
    await page.getByRole("link", { name: "Add a section", exact: true }).click();
    await page.getByLabel("Section title").fill("Eligibility");
    await page.getByRole("button", { name: "Add section" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText('Section "Eligibility" added');
    await visit(page, `/tenders/${/\/tenders\/([0-9a-f-]{36})/.exec(page.url())![1]!}`);
    await page.getByRole("link", { name: "Choose the conditions of participation" }).click();
    const sections = page.getByRole("group", { name: "Which sections hold the conditions of participation?" });
    await expect(sections.getByLabel("Section 1: Eligibility")).not.toBeChecked();
    await expectAccessible(page);
    await screenshots(page, "competitive-flexible-participation-draft");
    await sections.getByLabel("Section 1: Eligibility").check();
    await page.getByRole("button", { name: "Save the conditions" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText("The conditions of participation have been saved");
    await expect(sections.getByLabel("Section 1: Eligibility")).toBeChecked();
    await visit(page, `/tenders/${/\/tenders\/([0-9a-f-]{36})/.exec(page.url())![1]!}/questionnaire`);
    await expect(page.locator(".govuk-summary-card__title")).toHaveText(["Section 1: Eligibility (conditions of participation, asked before bids)"]);
  });

  test("a provider requests to participate page by page, is told what is missing, and may not bid while it waits", async ({ page, signIn, visit }) => {
    await signIn(page, DEMO.harbourLight.email);
    await openTender(page, visit, REQUESTS_OPEN);
    await expect(page.getByText(/^Stage 1 of 2: requests to participate, until /)).toBeVisible();
    await expect(page.getByText("Requests to participate close")).toBeVisible();
    await page.getByRole("button", { name: "Register interest" }).click();
    // The registration's page must have come back before following a link, or the click races it.
    await expect(page.getByRole("button", { name: "Withdraw interest" })).toBeVisible();
    await page.getByRole("link", { name: "Request to participate" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your request to participate");
    await expectAccessible(page);
    await screenshots(page, "participate-start");
    await page.getByRole("button", { name: "Start your request" }).click();
    await expect(page.getByRole("link", { name: "Check your answers and submit" })).toBeVisible();
    await expectAccessible(page);
    await screenshots(page, "participate-tasks");

    // The check page lists what is missing, each a link to put it right.
    await page.getByRole("link", { name: "Check your answers and submit" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Check your request to participate");
    const summary = page.locator(".govuk-error-summary");
    await expect(summary.getByRole("link", { name: "Answer condition 1.1" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Submit request" })).toHaveCount(0);
    await expectAccessible(page);
    await summary.getByRole("link", { name: "Answer condition 1.1" }).click();

    // Condition 1.1: nothing chosen, then yes without saying how: each refused beside the field, the choice kept.
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(/registered with Ofsted/);
    await page.getByRole("button", { name: "Save and continue" }).click();
    await expect(page.locator("#meetsRequirement-error")).toContainText("Select yes if your organisation meets this condition");
    await page.getByLabel("Yes").check();
    await page.getByRole("button", { name: "Save and continue" }).click();
    await expect(page.locator("#evidence-error")).toContainText("Say how your organisation meets this condition");
    await expect(page.getByLabel("Yes")).toBeChecked();
    await expectAccessible(page);
    await screenshots(page, "participate-condition-error");
    await page.getByLabel("How does your organisation meet it?").fill("Solo home at Lydford: Ofsted URN SC455667, rated Good in March");
    await page.getByRole("button", { name: "Save and continue" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText("Your answer to condition 1.1 has been saved");

    await page.getByRole("link", { name: /^1\.2 / }).click();
    await page.getByLabel("Yes").check();
    await page.getByLabel("How does your organisation meet it?").fill("Harbour Mutual policy HM-2231, £10 million, renewed in April");
    await page.getByRole("button", { name: "Save and continue" }).click();
    await page.getByRole("link", { name: /^1\.3 / }).click();
    await page.getByRole("button", { name: "Save and continue" }).click();
    await expect(page.locator("#declared-error")).toContainText("Tick the box to make this declaration");
    await page.getByLabel("I make this declaration on behalf of my organisation").check();
    await page.getByRole("button", { name: "Save and continue" }).click();

    await page.getByRole("link", { name: "Check your answers and submit" }).click();
    await expect(page.locator(".govuk-error-summary")).toHaveCount(0);
    await expect(page.getByText("How: Solo home at Lydford: Ofsted URN SC455667, rated Good in March")).toBeVisible();
    await expectAccessible(page);
    await screenshots(page, "participate-check");
    await page.getByRole("button", { name: "Submit request" }).click();
    await expect(page.locator(".govuk-notification-banner").first()).toContainText("Your request to participate has been submitted");
    await expect(page.locator(".govuk-summary-list").first()).toContainText("Waiting for assessment");
    await expectAccessible(page);
    await screenshots(page, "participate-waiting");

    // Not yet passed: the tender page says why it cannot bid, and offers no bid.
    await page.getByRole("link", { name: "Back to the tender" }).click();
    await expect(page.getByText("Your organisation's request to participate is waiting for assessment: you can bid once it has passed.")).toBeVisible();
    await expect(page.getByRole("link", { name: "Your organisation's bid" })).toHaveCount(0);
    // The officers' pages are not there for a provider.
    const id = /\/tenders\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    await visit(page, `/tenders/${id}/participation`, { status: 404 });
  });

  test("the officer moves the participation deadline of the tender taking requests by an amendment", async ({ page, signIn, visit }) => {
    await signIn(page, DEMO.officer.email);
    await openTender(page, visit, REQUESTS_OPEN);
    await page.getByRole("link", { name: "Amend this tender" }).click();
    await expect(page.locator("#participationDeadlineAt-time")).toHaveValue("12:00");
    await page.getByLabel("Reason for the amendment").fill("More time to gather Ofsted evidence");
    await page.locator("#participationDeadlineAt-time").fill("17:00");
    await expectAccessible(page);
    await screenshots(page, "competitive-flexible-amend");
    await page.getByRole("button", { name: "Publish amendment" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText("Amendment 1 published");
    await expect(page.getByText(/^Participation deadline: was midday on .*, now 5pm on /)).toBeVisible();
  });

  test("the officer sees who passed and who waits, needs reasons to not pass a request, and passes Harbour Light", async ({ page, signIn, visit }) => {
    await signIn(page, DEMO.officer.email);
    await openTender(page, visit, BIDDING);
    await expect(page.getByText("Stage 2 of 2: bids, from providers who passed the conditions of participation.")).toBeVisible();
    await expect(page.getByText("Passed the conditions of participation: Moorland Care Group Ltd.")).toBeVisible();
    await screenshots(page, "competitive-flexible-tender-officer");
    await page.getByRole("link", { name: "Requests to participate" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Participation stage");
    const rows = page.locator("table tbody tr");
    await expect(rows.nth(0)).toContainText("Waiting for assessment");
    await expect(rows.nth(1)).toContainText("Passed");
    await expectAccessible(page);
    await screenshots(page, "participation-requests");

    await page.getByRole("link", { name: HARBOUR_LIGHT }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Request from ${HARBOUR_LIGHT}`);
    await expect(page.getByText(/SC401122, Good; certificates from Harbour Mutual/).first()).toBeVisible();
    await expectAccessible(page);
    await screenshots(page, "participation-request");
    await page.getByRole("button", { name: "Record the assessment" }).click();
    await expect(page.locator("#result-error")).toContainText("Select whether the provider passed the conditions of participation");
    await page.getByLabel("Not passed").check();
    await page.getByRole("button", { name: "Record the assessment" }).click();
    await expect(page.locator("#reason-error")).toContainText("Give the reasons the provider did not pass");
    await expect(page.getByLabel("Not passed")).toBeChecked();
    await expectAccessible(page);
    await screenshots(page, "participation-request-error");
    await page.getByLabel("Passed", { exact: true }).check();
    await page.getByRole("button", { name: "Record the assessment" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText(`${HARBOUR_LIGHT} passed the conditions of participation`);
    await expect(page.locator("table tbody tr").nth(0)).toContainText("Passed");
  });

  test("Harbour Light, having passed, starts its bid, which asks the quality question but not the conditions again", async ({ page, signIn, visit }) => {
    await signIn(page, DEMO.harbourLight.email);
    await openTender(page, visit, BIDDING);
    await expect(page.getByText("Your organisation's request to participate: Passed.")).toBeVisible();
    await screenshots(page, "competitive-flexible-tender-provider");
    await page.getByRole("link", { name: "Your organisation's bid" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your bid");
    await page.getByRole("button", { name: "Start your bid" }).click();
    await expect(page.getByText("2.1 How will you keep the contracted beds full and safe for the children Westmoor places?")).toBeVisible();
    await expect(page.getByText("Conditions of participation")).toHaveCount(0);
    await expect(page.getByText(/registered with Ofsted/)).toHaveCount(0);
    await expectAccessible(page);
    await screenshots(page, "competitive-flexible-bid");
  });

  test("without JavaScript, a provider registers interest, starts its request and is told beside the field what is missing", async ({ newPage }) => {
    const page = await newPage(DEMO.moorland.email, undefined, { javaScript: false });
    await page.goto("/tenders");
    await page.getByRole("link", { name: REQUESTS_OPEN }).click();
    await page.getByRole("button", { name: "Register interest" }).click();
    // The registration's page must have come back before following a link, or the click races it.
    await expect(page.getByRole("button", { name: "Withdraw interest" })).toBeVisible();
    await page.getByRole("link", { name: "Request to participate" }).click();
    await page.getByRole("button", { name: "Start your request" }).click();
    await page.getByRole("link", { name: /^1\.2 / }).click();
    await page.getByLabel("Yes").check();
    await page.getByRole("button", { name: "Save and continue" }).click();
    await expect(page.locator("#evidence-error")).toContainText("Say how your organisation meets this condition");
    await expect(page.locator(".govuk-error-summary")).toContainText("Say how your organisation meets this condition");
    await expect(page.getByLabel("Yes")).toBeChecked();
    await page.getByLabel("How does your organisation meet it?").fill("Moor Insurance policy MI-7781, £10 million");
    await page.getByRole("button", { name: "Save and continue" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText("Your answer to condition 1.2 has been saved");
  });
});
