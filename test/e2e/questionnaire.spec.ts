// The questionnaire builder as a commissioning officer uses it on the demo's
// draft tender (supported living, three lots): sections, a pass/fail, a
// quality and a declaration question, a price schedule per lot, weights that
// do not add up and then do, reordering, removing after a confirmation,
// messages beside fields, a stale save, the form without JavaScript, and who
// may read or change it. Every page is scanned with axe, and photographed at
// 1280 px and 375 px into test-results/questionnaire/.
import fs from "node:fs";
import { DEMO, expect, expectAccessible, signIn, test, visit, type Page } from "./support/fixtures";

const DRAFT = "Supported living options (16+)";
const PUBLISHED = "Residential children's homes framework 2027 to 2031";
const SHOTS = "test-results/questionnaire";

/** The path of a demo tender's questionnaire, found through the audit trail (the tender pages are another change's). */
async function questionnairePath(officer: Page, title: string): Promise<string> {
  await visit(officer, "/audit?action=tender.created");
  const href = await officer.locator("tr", { hasText: title }).locator("a[href^='/audit/records/tender/']").first().getAttribute("href");
  const id = /\/audit\/records\/tender\/([0-9a-f-]{36})$/.exec(href ?? "")?.[1];
  if (!id) throw new Error(`No tender "${title}" in the audit trail: ${href}`);
  return `/tenders/${id}/questionnaire`;
}

/**
 * Full-page screenshots at 1280 px and 375 px; at those widths and at 200%
 * zoom (640 CSS pixels) the page must not scroll sideways.
 */
async function photograph(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  for (const width of [1280, 640, 375]) {
    await page.setViewportSize({ width, height: 900 });
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(sideways, `${name} scrolls sideways at ${width} px`).toBeLessThanOrEqual(0);
    if (width !== 640) await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function banner(page: Page, title: string): Promise<void> {
  await expect(page.locator(".govuk-notification-banner")).toContainText(title);
  await expectAccessible(page);
}

/** The error summary links to the field, and the same message shows beside it. */
async function expectFieldError(page: Page, field: string, message: string): Promise<void> {
  await expect(page.locator(".govuk-error-summary")).toContainText(message);
  await expect(page.locator(`.govuk-error-summary a[href="#${field}"]`)).toHaveText(message);
  await expect(page.locator(`#${field}-error`)).toContainText(message);
}

function weightLine(page: Page, lot: number) {
  return page.locator("section", { has: page.getByRole("heading", { level: 3, name: new RegExp(`^Lot ${lot}:`) }) });
}

test.describe("The questionnaire builder", () => {
  test.describe.configure({ mode: "serial" });
  let draft: string;
  let published: string;

  test.beforeAll(async ({ browser, baseURL }) => {
    const context = await browser.newContext({ baseURL });
    const officer = await context.newPage();
    await signIn(officer, DEMO.officer.email);
    draft = await questionnairePath(officer, DRAFT);
    published = await questionnairePath(officer, PUBLISHED);
    await context.close();
  });

  test("an officer builds the draft's questionnaire: sections, the three kinds of question and a price schedule per lot, with messages beside fields", async ({
    page,
    signIn,
  }) => {
    test.setTimeout(180_000);
    await signIn(page, DEMO.officer.email);
    await visit(page, draft);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Questionnaire");
    await expect(page.getByText("No sections yet.")).toBeVisible();
    await photograph(page, "overview-empty");

    // A section: first without a title.
    await page.getByRole("link", { name: "Add a section" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Add a section");
    await expectAccessible(page);
    await page.getByLabel("Description (optional)").fill("What every provider must hold.");
    await page.getByRole("button", { name: "Add section" }).click();
    await expectFieldError(page, "title", "Enter the section title");
    await expect(page).toHaveTitle(/^Error: Add a section – /);
    await expect(page.locator(".govuk-error-summary")).toBeFocused();
    await expect(page.getByLabel("Description (optional)")).toHaveValue("What every provider must hold.");
    await expectAccessible(page);
    await photograph(page, "section-errors");
    await page.getByLabel("Section title").fill("Eligibility");
    await page.getByRole("button", { name: "Add section" }).click();
    await banner(page, 'Section "Eligibility" added');

    // A pass/fail question: nothing chosen, then the kind and its evidence.
    await page.getByRole("link", { name: "Add a question to section 1, Eligibility" }).click();
    await expectAccessible(page);
    await page.getByLabel("Question", { exact: true }).fill("Is each home you offer registered with Ofsted?");
    await page.getByRole("button", { name: "Add question" }).click();
    await expectFieldError(page, "kind", "Select the kind of question");
    await expect(page.getByLabel("Question", { exact: true })).toHaveValue("Is each home you offer registered with Ofsted?");
    await expectAccessible(page);
    await page.getByLabel("Pass or fail", { exact: true }).check();
    // With JavaScript only the chosen kind's fields show.
    await expect(page.getByLabel("Ofsted registration")).toBeVisible();
    await expect(page.getByLabel("Word limit")).toBeHidden();
    // "Other evidence" reveals its text box.
    await expect(page.getByLabel("Other evidence required")).toBeHidden();
    await page.getByLabel("Other evidence", { exact: true }).check();
    await expect(page.getByLabel("Other evidence required")).toBeVisible();
    await page.getByLabel("Other evidence", { exact: true }).uncheck();
    await expect(page.getByLabel("Other evidence required")).toBeHidden();
    await page.getByRole("button", { name: "Add question" }).click();
    await expectFieldError(page, "evidenceRequired", "Select the evidence required, or describe it under Other");
    await page.getByLabel("Ofsted registration").check();
    await page.getByLabel("Insurance certificates").check();
    await photograph(page, "question-pass-fail");
    await page.getByRole("button", { name: "Add question" }).click();
    await banner(page, "Question added to section 1");
    await expect(page.locator(".govuk-summary-card", { hasText: "Section 1: Eligibility" })).toContainText("evidence: Ofsted registration, Insurance certificates");

    // A second section with a quality question, its scale prefilled.
    await page.getByRole("link", { name: "Add a section" }).click();
    await page.getByLabel("Section title").fill("Quality");
    await page.getByRole("button", { name: "Add section" }).click();
    await banner(page, 'Section "Quality" added');
    await page.getByRole("link", { name: "Add a question to section 2, Quality" }).click();
    await page.getByLabel("Quality", { exact: true }).check();
    await expect(page.getByLabel("Ofsted registration")).toBeHidden();
    await expect(page.getByLabel("Score 0")).toHaveValue("Unacceptable");
    await expect(page.getByLabel("Score 5")).toHaveValue("Excellent");
    await page.getByLabel("Question", { exact: true }).fill("How do you help young people move on to living independently?");
    await page.getByLabel("Guidance (optional)").fill("Give examples from the last two years.");
    await page.getByLabel("Word limit").fill("five hundred");
    await page.getByLabel("Score 3").fill("");
    await page.getByLabel(/^Lot 1:/).fill("60");
    await page.getByLabel(/^Lot 2:/).fill("60");
    await page.getByLabel(/^Lot 3:/).fill("150");
    await page.getByRole("button", { name: "Add question" }).click();
    await expectFieldError(page, "wordLimit", "Word limit must be a whole number, like 750");
    await expectFieldError(page, "descriptor-3", "Enter the descriptor for score 3");
    await expect(page.locator(".govuk-error-summary")).toContainText("Weight for lot 3 must be from 1 to 100");
    // What was typed is all still there.
    await expect(page.getByLabel("Word limit")).toHaveValue("five hundred");
    await expect(page.getByLabel(/^Lot 2:/)).toHaveValue("60");
    await expect(page.getByLabel("Guidance (optional)")).toHaveValue("Give examples from the last two years.");
    await expectAccessible(page);
    await photograph(page, "question-quality-errors");
    await page.getByLabel("Word limit").fill("500");
    await page.getByLabel("Minimum acceptable score (optional)").fill("2");
    await page.getByLabel("Score 3").fill("Meets the requirement");
    await page.getByLabel(/^Lot 3:/).fill("50");
    await page.getByRole("button", { name: "Add question" }).click();
    await banner(page, "Question added to section 2");
    await expect(page.getByText("Quality · weight: lot 1 60%, lot 2 60%, lot 3 50% · 500 words · minimum score 2")).toBeVisible();

    // A declaration, in the Quality section for now.
    await page.getByRole("link", { name: "Add a question to section 2, Quality" }).click();
    await page.getByLabel("Declaration", { exact: true }).check();
    await page.getByLabel("Question", { exact: true }).fill("I confirm the information in this bid is true and complete.");
    await page.getByRole("button", { name: "Add question" }).click();
    await banner(page, "Question added to section 2");

    // Price schedules: no weight yet says so, as does the publication check; a wrong total warns.
    await expect(weightLine(page, 1)).toContainText("Quality 60%, price weight not set yet");
    await expect(page.locator("#to-do")).toContainText("Add a price schedule for lot 1 (Higher support");
    await page.getByRole("link", { name: "Set the price schedule for lot 1" }).click();
    await expect(page.getByLabel("Hourly support rate")).toBeChecked();
    await expect(page.getByLabel("Weekly accommodation charge")).toBeChecked();
    await page.getByLabel("Hourly support rate").uncheck();
    await page.getByLabel("Weekly accommodation charge").uncheck();
    await page.getByRole("button", { name: "Save price schedule" }).click();
    await expectFieldError(page, "priceWeight", "Enter the price weight");
    await expectFieldError(page, "components", "Select at least one price to ask for");
    await expectAccessible(page);
    await photograph(page, "price-errors");
    await page.getByLabel("Price weight (%)").fill("30");
    await page.getByLabel("Hourly support rate").check();
    await page.getByLabel("Weekly accommodation charge").check();
    await page.getByRole("button", { name: "Save price schedule" }).click();
    await banner(page, "Price schedule for lot 1 saved");
    await expect(weightLine(page, 1)).toContainText("Quality 60% + price 30% = 90%");
    await expect(weightLine(page, 1).locator(".govuk-warning-text")).toContainText("must add up to 100% before the tender can be published");
    for (const [lot, weight] of [
      [2, "40"],
      [3, "50"],
    ] as const) {
      await page.getByRole("link", { name: `Set the price schedule for lot ${lot}` }).click();
      await page.getByLabel("Price weight (%)").fill(weight);
      await page.getByRole("button", { name: "Save price schedule" }).click();
      await banner(page, `Price schedule for lot ${lot} saved`);
    }
    await expect(weightLine(page, 2)).toContainText("Quality 60% + price 40% = 100%");
    await expect(weightLine(page, 3)).toContainText("Quality 50% + price 50% = 100%");
    await expect(page.locator("#to-do li")).toHaveCount(1);
    await expect(page.locator("#to-do")).toContainText("add up to 90% (quality 60%, price 30%): they must add up to 100%");
    await photograph(page, "overview-weights-wrong");

    // Fixed: price for lot 1 goes to 40%.
    await page.getByRole("link", { name: "Change the price schedule for lot 1" }).click();
    await expect(page.getByLabel("Price weight (%)")).toHaveValue("30");
    await expect(page.getByText("a price weight of 40% makes 100%")).toBeVisible();
    await photograph(page, "price");
    await page.getByLabel("Price weight (%)").fill("40");
    await page.getByRole("button", { name: "Save price schedule" }).click();
    await banner(page, "Price schedule for lot 1 saved");
    await expect(weightLine(page, 1)).toContainText("Quality 60% + price 40% = 100%");
    await expect(page.locator(".govuk-warning-text")).toHaveCount(0);
    await expect(page.locator("#to-do")).toHaveCount(0);
  });

  test("an officer reorders sections and questions and removes one after confirming, and changes a question's scale", async ({ page, signIn }) => {
    test.setTimeout(120_000);
    await signIn(page, DEMO.officer.email);
    await visit(page, draft);
    const cards = page.locator(".govuk-summary-card__title");
    await expect(cards).toHaveText(["Section 1: Eligibility", "Section 2: Quality"]);

    // The declaration belongs last: move the Quality section up, then the declaration above the quality question and back down.
    await page.getByRole("button", { name: "Move up section 2, Quality" }).click();
    await banner(page, "Section moved");
    await expect(cards).toHaveText(["Section 1: Quality", "Section 2: Eligibility"]);
    await page.getByRole("button", { name: "Move up question 1.2" }).click();
    await banner(page, "Question moved");
    const quality = page.locator(".govuk-summary-card", { hasText: "Section 1: Quality" });
    await expect(quality.locator(".govuk-summary-list__row").first()).toContainText("I confirm the information");
    await page.getByRole("button", { name: "Move down question 1.1" }).click();
    await banner(page, "Question moved");
    await expect(quality.locator(".govuk-summary-list__row").first()).toContainText("move on to living independently");
    await photograph(page, "overview");

    // Change the quality question's scale and weight for lot 3.
    await page.getByRole("link", { name: "Change question 1.1" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Change question 1.1");
    await expect(page.getByLabel("Score 3")).toHaveValue("Meets the requirement");
    await expect(page.getByRole("radio")).toHaveCount(0);
    await expect(page.getByText("This is a quality question. Its kind cannot be changed")).toBeVisible();
    await expectAccessible(page);
    await photograph(page, "question-change");
    await page.getByLabel("Score 5").fill("Excellent: exceeds the requirement");
    await page.getByRole("button", { name: "Save question" }).click();
    await banner(page, "Question 1.1 saved");

    // Remove the declaration: "No, keep it" keeps it; "Yes" removes it.
    await page.getByRole("link", { name: "Remove question 1.2" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Are you sure you want to remove question 1.2?");
    await expect(page.locator("main")).toContainText("I confirm the information in this bid is true and complete.");
    await expectAccessible(page);
    await photograph(page, "remove-question");
    await page.getByRole("link", { name: "No, keep it" }).click();
    await expect(page.getByText("I confirm the information in this bid is true and complete.")).toBeVisible();
    await page.getByRole("link", { name: "Remove question 1.2" }).click();
    await page.getByRole("button", { name: "Yes, remove question 1.2" }).click();
    await banner(page, "Question 1.2 removed");
    await expect(page.getByText("I confirm the information in this bid is true and complete.")).toHaveCount(0);

    // A whole section, with a question in it, after its own confirmation.
    await page.getByRole("link", { name: "Add a section" }).click();
    await page.getByLabel("Section title").fill("Declarations");
    await page.getByRole("button", { name: "Add section" }).click();
    await page.getByRole("link", { name: "Remove section 3, Declarations" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Are you sure you want to remove section 3?");
    await expect(page.locator(".govuk-warning-text")).toContainText("The section has no questions.");
    await expectAccessible(page);
    await page.getByRole("button", { name: "Yes, remove section 3" }).click();
    await banner(page, 'Section "Declarations" removed');
    await expect(cards).toHaveText(["Section 1: Quality", "Section 2: Eligibility"]);

    // A question moves to another section, and back.
    await page.getByRole("link", { name: "Change question 2.1" }).click();
    await page.getByRole("button", { name: "Move question" }).click();
    await expectFieldError(page, "toSectionId", "Select the section to move the question to");
    await expectAccessible(page);
    await page.getByLabel("Section", { exact: true }).selectOption({ label: "Section 1: Quality" });
    await page.getByRole("button", { name: "Move question" }).click();
    await banner(page, "Question 2.1 moved to section 1, as question 1.2");
    await expect(page.locator(".govuk-summary-card", { hasText: "Section 2: Eligibility" })).toContainText("No questions in this section yet.");
    await page.getByRole("link", { name: "Change question 1.2" }).click();
    await page.getByLabel("Section", { exact: true }).selectOption({ label: "Section 2: Eligibility" });
    await page.getByRole("button", { name: "Move question" }).click();
    await banner(page, "Question 1.2 moved to section 2, as question 2.1");
  });

  test("a save made on a page opened before a colleague's change is refused, with what is saved now beside what was typed", async ({ newPage }) => {
    test.setTimeout(120_000);
    const first = await newPage(DEMO.officer.email);
    const second = await newPage(DEMO.officer.email);
    await visit(first, draft);
    await first.getByRole("link", { name: "Change question 2.1" }).click();
    await expect(first.getByRole("heading", { level: 1 })).toHaveText("Change question 2.1");
    await visit(second, draft);
    await second.getByRole("link", { name: "Change question 2.1" }).click();
    await second.getByLabel("Question", { exact: true }).fill("Is each home you offer registered with Ofsted as a children's home?");
    await second.getByRole("button", { name: "Save question" }).click();
    await banner(second, "Question 2.1 saved");

    await first.getByLabel("Question", { exact: true }).fill("Is every home registered with Ofsted?");
    await first.getByRole("button", { name: "Save question" }).click();
    await expect(first.locator(".govuk-error-summary")).toContainText("The questionnaire has changed since you opened this page");
    await expect(first.getByLabel("Question", { exact: true })).toHaveValue("Is every home registered with Ofsted?");
    await expect(first.locator("#saved-now")).toContainText("Is each home you offer registered with Ofsted as a children's home?");
    await expectAccessible(first);
    await photograph(first, "stale");
    // Having seen both, saving again keeps the first officer's wording.
    await first.getByRole("button", { name: "Save question" }).click();
    await banner(first, "Question 2.1 saved");
    await expect(first.getByText("Is every home registered with Ofsted?")).toBeVisible();

    // A move from a page opened before a change moves nothing and says so.
    await visit(second, draft);
    await first.getByRole("link", { name: "Change section 2, Eligibility" }).click();
    await first.getByLabel("Description (optional)").fill("What every provider must hold before its bid is scored.");
    await first.getByRole("button", { name: "Save section" }).click();
    await banner(first, 'Section "Eligibility" saved');
    await second.getByRole("button", { name: "Move up section 2, Eligibility" }).click();
    await expect(second.locator(".govuk-error-summary")).toContainText("Nothing was moved: the questionnaire had changed since you opened it");
    await expect(second.locator(".govuk-summary-card", { hasText: "Section 2: Eligibility" })).toContainText("before its bid is scored");
    await expectAccessible(second);
    await expect(second.locator(".govuk-summary-card__title")).toHaveText(["Section 1: Quality", "Section 2: Eligibility"]);
  });

  test("without JavaScript the question form shows every kind's fields and uses only the chosen kind's", async ({ newPage }) => {
    const page = await newPage(DEMO.officer.email, undefined, { javaScript: false });
    await page.goto(draft);
    await page.getByRole("link", { name: "Add a question to section 2, Eligibility" }).click();
    await expect(page.getByText("Fill in only the fields for the kind of question you chose.")).toBeVisible();
    await expect(page.getByLabel("Word limit")).toBeVisible();
    await expect(page.getByLabel("Ofsted registration")).toBeVisible();
    await photograph(page, "question-no-javascript");
    await page.getByLabel("Pass or fail", { exact: true }).check();
    await page.getByLabel("Question", { exact: true }).fill("Do you have a safeguarding policy reviewed in the last year?");
    await page.getByLabel("Other evidence", { exact: true }).check();
    await page.getByRole("button", { name: "Add question" }).click();
    await expect(page.locator("#evidenceOther-error")).toContainText("Enter the other evidence required");
    await expect(page.getByLabel("Question", { exact: true })).toHaveValue("Do you have a safeguarding policy reviewed in the last year?");
    await page.getByLabel("Safeguarding policy").check();
    await page.getByLabel("Other evidence required").fill("The date of its last review");
    // A word limit typed in the quality fields is ignored for a pass/fail question.
    await page.getByLabel("Word limit").fill("not a number");
    await page.getByRole("button", { name: "Add question" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText("Question added to section 2");
    await expect(page.getByText("evidence: Safeguarding policy, The date of its last review")).toBeVisible();
    // Moving works as a plain form too.
    await page.getByRole("button", { name: "Move up question 2.2" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText("Question moved");
    await expect(page.locator(".govuk-summary-card", { hasText: "Section 2: Eligibility" }).locator(".govuk-summary-list__row").first()).toContainText(
      "safeguarding policy",
    );
  });

  test("other council staff read the questionnaire without changing it; a published tender's is read-only; providers get 'Page not found'", async ({ newPage }) => {
    const evaluator = await newPage(DEMO.evaluator.email);
    await visit(evaluator, draft);
    await expect(evaluator.locator(".govuk-inset-text")).toContainText("Only the council's commissioning officers can change this questionnaire.");
    await expect(evaluator.getByRole("link", { name: "Add a section" })).toHaveCount(0);
    await expect(evaluator.getByRole("button", { name: /Move/ })).toHaveCount(0);
    await evaluator.getByRole("link", { name: "View question 1.1" }).click();
    await expect(evaluator.getByRole("heading", { level: 1 })).toHaveText("Question 1.1");
    await expect(evaluator.getByRole("button", { name: "Save question" })).toHaveCount(0);
    await expect(evaluator.locator("main")).toContainText("Meets the requirement");
    await expectAccessible(evaluator);

    const officer = await newPage(DEMO.officer.email);
    await visit(officer, published);
    await expect(officer.locator(".govuk-inset-text")).toContainText("Changes go by amendment");
    await expect(officer.getByRole("link", { name: "Add a section" })).toHaveCount(0);
    await expect(officer.getByRole("link", { name: /^Remove/ })).toHaveCount(0);
    await photograph(officer, "published");
    await officer.getByRole("link", { name: "View the price schedule for lot 1" }).click();
    await expect(officer.locator(".govuk-inset-text")).toContainText("Changes go by amendment");
    await expect(officer.getByRole("button", { name: "Save price schedule" })).toHaveCount(0);
    await expectAccessible(officer);

    const provider = await newPage(DEMO.harbourLight.email);
    for (const path of [draft, published, `${draft}/sections/new`]) {
      await visit(provider, path, { status: 404 });
      await expect(provider.getByRole("heading", { level: 1 })).toHaveText("Page not found");
    }
  });
});
