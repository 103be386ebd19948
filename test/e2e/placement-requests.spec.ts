// Placement requests in the browser: an officer previews which homes a
// request reaches and why others are left out, is warned about a summary that
// names the child, sends it; a provider whose home it reached offers; the
// officer compares and accepts. A provider never sees a request not sent to
// its homes. Every page is checked with axe (WCAG 2.2 AA).
import { DEMO, expect, newContextWithoutJavaScript, PASSWORD, test } from "./support/fixtures";
import { fillCriteria, fillDate, inDays } from "./support/market";

test.describe("Placement requests", () => {
  test.describe.configure({ mode: "serial" });
  let requestPath = "";
  let cascadePath = "";

  test("a provider sees only the requests sent to its homes; any other is not found", async ({ page, signIn, visit, newPage }) => {
    await signIn(page, DEMO.harbourLight.email);
    await visit(page, "/placement-requests");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Placement requests");
    cascadePath = (await page.locator("tbody a").first().getAttribute("href"))!;
    expect(cascadePath).toMatch(/^\/placement-requests\/received\//);
    await visit(page, cascadePath);
    // Moorland Care's home waits in the cascade's last tier: not yet sent, so not there for it.
    const moorland = await newPage(DEMO.moorland.email);
    await visit(moorland, cascadePath, { status: 404 });
    // The officer's page of the same request is the council's alone.
    await visit(moorland, cascadePath.replace("/received", ""), { status: 404 });
  });

  test("an officer sees which homes a request reaches and why others are left out, is warned about a name, and sends it", async ({ page, signIn, visit, expectAccessible }) => {
    await signIn(page, DEMO.officer.email);
    await visit(page, "/placement-requests");
    await page.getByRole("link", { name: "Send a placement request" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Send a placement request");
    await expectAccessible(page);

    await page.getByRole("button", { name: "Send request" }).click();
    await expect(page.locator(".govuk-error-summary")).toContainText("Select the child's age band");
    await expect(page.locator(".govuk-error-summary")).toContainText("Enter the start date");
    await expectAccessible(page);

    await fillCriteria(page);
    await page.locator("#maxDistanceMiles").fill("20");
    await page.getByRole("button", { name: "Check which homes it reaches" }).click();
    await expect(page.locator("#match-heading")).toHaveText(/^Reaches \d+ homes?; \d+ left out$/);
    await expect(page.getByRole("table", { name: "Homes it reaches" })).toContainText("Harbour Light");
    await expect(page.locator("section[aria-labelledby=match-heading]")).toContainText("further than the distance given");
    await expect(page.locator("section[aria-labelledby=match-heading]")).toContainText("not on this lot");
    // What was typed is kept.
    await expect(page.locator("#homeDistrict")).toHaveValue("PL4");
    await expectAccessible(page);

    await page.locator("#expectedWeeks").fill("26");
    await page.locator("#budget").fill("5,500");
    await page.locator("#summary").fill("Settles with consistent adults. Her sister Amy Trelawny visits at weekends.");
    await fillDate(page, "deadline", inDays(4));
    await page.getByRole("button", { name: "Send request" }).click();
    await expect(page.locator(".govuk-error-summary")).toContainText("The summary may identify the child");
    await expect(page.locator(".govuk-warning-text").first()).toContainText("The summary may identify the child");
    await expect(page.getByText('"Amy Trelawny" looks like a name')).toBeVisible();
    await expectAccessible(page);

    await page.locator("#summary").fill("Settles with consistent adults; family visits at weekends are part of the care plan.");
    await page.getByRole("button", { name: "Send request" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText(/Placement request CH-[0-9A-Z]{6} sent to \d+ homes?/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Placement request CH-[0-9A-Z]{6}$/);
    await expect(page.getByRole("table", { name: "Homes it was sent to" })).toContainText("Harbour Light");
    requestPath = new URL(page.url()).pathname;
    await expectAccessible(page);
  });

  test("the provider offers for its home, after a fee it mistyped is pointed out", async ({ page, signIn, visit, expectAccessible }) => {
    await signIn(page, DEMO.harbourLight.email);
    await visit(page, "/placement-requests");
    const received = requestPath.replace("/placement-requests/", "/placement-requests/received/");
    await page.locator(`a[href="${received}"]`).click();
    await expect(page.getByRole("heading", { name: "Make an offer" })).toBeVisible();
    await expectAccessible(page);
    const homeSelect = page.locator("#offerHomeId");
    if (await homeSelect.count()) {
      // Two of its homes were sent it: a decline must say for which.
      await page.getByRole("button", { name: "Decline", exact: true }).click();
      await expect(page.locator(".govuk-error-summary")).toContainText("Select the home you are declining for");
      await expectAccessible(page);
      await homeSelect.selectOption({ index: 1 });
    }
    await page.locator("#weeklyFee").fill("five thousand");
    await page.getByRole("button", { name: "Send offer" }).click();
    await expect(page.locator(".govuk-error-summary")).toContainText("Weekly fee must be an amount in pounds");
    await expect(page.locator("#weeklyFee")).toHaveValue("five thousand");
    await expectAccessible(page);
    if (await homeSelect.count()) await homeSelect.selectOption({ index: 1 });
    await page.locator("#weeklyFee").fill("5200");
    await page.locator("#additionalSupport").fill("300");
    await page.locator("#additionalSupportReason").fill("Waking night staff for the first month");
    await page.getByRole("button", { name: "Send offer" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText("Offer sent");
    await expect(page.getByRole("table", { name: "Your offers" })).toContainText("£5,200.00 plus £300.00 additional support");
    await expectAccessible(page);
  });

  test("the officer compares the offers, ranks them by fee alone, and accepts one", async ({ page, signIn, visit, expectAccessible }) => {
    await signIn(page, DEMO.officer.email);
    await visit(page, requestPath);
    const offers = page.getByRole("table", { name: "Offers compared, best first" });
    await expect(offers).toContainText("£5,200.00 plus £300.00 for Waking night staff for the first month");
    await page.locator("#weight-fee").fill("100");
    for (const w of ["distance", "grade", "freshness"]) await page.locator(`#weight-${w}`).fill("0");
    await page.getByRole("button", { name: "Rank again" }).click();
    await expect(page).toHaveURL(/fee=100/);
    await expect(offers.locator("tbody tr").first()).toContainText("100.0");
    await expectAccessible(page);

    await page.getByRole("button", { name: "Accept offer and make the placement" }).click();
    await expect(page.locator(".govuk-error-summary")).toContainText("Select the offer to accept");
    await expectAccessible(page);
    await page.locator("input[name=offerId]").first().check();
    await page.locator("#council").fill("70");
    await page.locator("#health").fill("20");
    await page.getByRole("button", { name: "Accept offer and make the placement" }).click();
    await expect(page.locator(".govuk-error-summary")).toContainText("must add up to 100%");
    await expect(page.locator("#health")).toHaveValue("20");
    await page.locator("input[name=offerId]").first().check();
    await page.locator("#health").fill("30");
    await page.getByRole("button", { name: "Accept offer and make the placement" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText("Offer accepted and placement made");
    await expect(page.locator("main .govuk-tag").first()).toHaveText("Placed");
    await expect(page.getByRole("heading", { name: "Accept an offer" })).toHaveCount(0);
    await expectAccessible(page);
  });

  test("without JavaScript, the preview of which homes a request reaches still works", async ({ browser, baseURL }) => {
    const context = await newContextWithoutJavaScript(browser, baseURL);
    const page = await context.newPage();
    await page.goto("/sign-in");
    await page.locator("#email").fill(DEMO.officer.email);
    await page.locator("#password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.goto("/placement-requests/new");
    await fillCriteria(page);
    await page.getByRole("button", { name: "Check which homes it reaches" }).click();
    await expect(page.locator("#match-heading")).toHaveText(/^Reaches \d+ homes?; \d+ left out$/);
    await expect(page.locator("#ageBand")).toHaveValue("15-16");
    await context.close();
  });
});
