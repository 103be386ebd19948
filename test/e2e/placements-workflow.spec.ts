// The placements market's workflow in the browser: an officer ends a
// placement (the day the child leaves and why), sees placements in a block
// contract's beds among its records, withdraws a block bed's occupancy
// recorded in error, cancels a short break with a reason, and sends a
// request in two tiers chosen among the providers it reaches; each
// form names its problems beside the fields and keeps what was typed. The
// contract's provider may withdraw only its own unavailability; another
// provider is told the record does not exist. axe checks every page seen.
import { DEMO, expect, expectAccessible, test, type Page } from "./support/fixtures";
import { fillCriteria, fillDate, inDays } from "./support/market";

/** With SHOTS=dir set, the page as it is now at 1280 and 375 px wide, for a person to look at. */
async function shots(page: Page, name: string) {
  const dir = process.env.SHOTS;
  if (!dir) return;
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${dir}/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 720 });
}

test.describe("Placements workflow", () => {
  test("an officer ends a placement: a reason and a date are asked for, and the bed is free from the night the child leaves", async ({ page, signIn, visit }) => {
    await signIn(page, DEMO.officer.email);
    await visit(page, "/placement-requests");
    await page.getByRole("link", { name: "Your council's placements" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Placements");
    const inForce = page.getByRole("table", { name: /^In force/ });
    await expect(inForce).toBeVisible();
    await expect(page.getByRole("table", { name: /^Ended/ })).toBeVisible();
    await expectAccessible(page);
    await shots(page, "placements");
    const first = inForce.getByRole("row").nth(1).getByRole("link");
    const reference = (await first.textContent())!.trim();
    await first.click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Placement of ${reference}`);
    await expect(page.getByText("In force", { exact: true })).toBeVisible();

    await page.getByRole("button", { name: "End the placement" }).click();
    const summary = page.locator(".govuk-error-summary");
    await expect(summary).toContainText("Enter the date the child leaves");
    await expect(summary).toContainText("Enter why the placement ends");
    await expectAccessible(page);
    await shots(page, "placement-end-errors");

    await page.getByLabel("Why does the placement end?").fill("Planned move to a foster family near school");
    await page.locator("#endOn-day").fill("31");
    await page.locator("#endOn-month").fill("2");
    await page.locator("#endOn-year").fill("2031");
    await page.getByRole("button", { name: "End the placement" }).click();
    await expect(page.locator("#endOn-error")).toContainText("must be a real date");
    await expect(page.getByLabel("Why does the placement end?")).toHaveValue("Planned move to a foster family near school");
    await expect(page.locator("#endOn-day")).toHaveValue("31");

    const leaves = inDays(21);
    await page.locator("#endOn-day").fill(leaves.day);
    await page.locator("#endOn-month").fill(leaves.month);
    await page.locator("#endOn-year").fill(leaves.year);
    await page.getByRole("button", { name: "End the placement" }).click();
    await expect(page.locator(".govuk-notification-banner--success")).toContainText(`Placement of ${reference} ends on`);
    await expect(page.locator(".govuk-notification-banner--success")).toContainText("is free from the night of");
    await expect(page.getByText("Ending", { exact: true })).toBeVisible();
    await expect(page.locator(".govuk-summary-list")).toContainText("Planned move to a foster family near school");
    await expect(page.getByRole("button", { name: "End the placement" })).toHaveCount(0);
    await expectAccessible(page);
    await shots(page, "placement-ended");
  });

  test("a provider cannot see a council's placement", async ({ page, signIn, visit, newPage }) => {
    await signIn(page, DEMO.officer.email);
    await visit(page, "/placements");
    await page.getByRole("table", { name: /^Ended/ }).getByRole("row").nth(1).getByRole("link").click();
    await expect(page).toHaveURL(/\/placements\/[0-9a-f-]{36}$/);
    await expect(page.getByRole("button", { name: "End the placement" })).toHaveCount(0);
    await expect(page.locator(".govuk-summary-list")).toContainText("Why it ended");
    const provider = await newPage(DEMO.moorland.email);
    await visit(provider, new URL(page.url()).pathname, { status: 404 });
    await visit(provider, "/placements", { status: 403 });
  });

  test("an officer withdraws a stay recorded in error; it leaves the records and nothing is deleted", async ({ page, signIn, visit, newPage }) => {
    await signIn(page, DEMO.officer.email);
    await visit(page, "/utilisation");
    await page.getByRole("table", { name: "Block contracts" }).getByRole("link", { name: /WCC-BLK-01/ }).click();
    const records = page.getByRole("table", { name: "Latest bed records" });
    // Children placed through the portal in the contract's beds count without being typed again, and are not withdrawn here.
    const placed = records.getByRole("row").filter({ hasText: "placed through the portal" });
    await expect(placed.first()).toBeVisible();
    await expect(placed.first().getByRole("link")).toHaveCount(0);
    await shots(page, "block-contract");
    if (process.env.SHOTS) for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 900 });
      await records.screenshot({ path: `${process.env.SHOTS}/bed-records-${width}.png` });
    }
    const row = records.getByRole("row").filter({ hasText: "Occupied by" }).first();
    await expect(row).toBeVisible();
    const text = (await row.textContent())!.replace(/Withdraw.*$/, "").trim();
    await row.getByRole("link", { name: /^Withdraw/ }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Withdraw a child's stay in a bed");
    const withdrawUrl = new URL(page.url()).pathname;
    await page.getByRole("button", { name: "Withdraw the record" }).click();
    await expect(page.locator(".govuk-error-summary")).toContainText("Enter why the record is withdrawn");
    await expectAccessible(page);
    await shots(page, "bed-record-withdraw-errors");
    await page.getByLabel("Why is this record withdrawn?").fill("Recorded against the wrong bed");
    await page.getByRole("button", { name: "Withdraw the record" }).click();
    await expect(page.locator(".govuk-notification-banner--success")).toContainText("Withdrawn:");
    await expect(records.getByRole("row").filter({ hasText: text })).toHaveCount(0);
    await visit(page, withdrawUrl, { status: 404 });

    const provider = await newPage(DEMO.moorland.email);
    await visit(provider, "/utilisation");
    await provider.getByRole("table", { name: "Block contracts" }).getByRole("link", { name: /WCC-BLK-01/ }).click();
    const theirs = provider.getByRole("table", { name: "Latest bed records" });
    await expect(theirs.getByRole("row").filter({ hasText: "Occupied by" }).first().getByRole("link")).toHaveCount(0);
    const unavailable = theirs.getByRole("row").filter({ hasText: "Unavailable:" }).first().getByRole("link", { name: /^Withdraw/ });
    await unavailable.click();
    await expect(provider.getByRole("heading", { level: 1 })).toHaveText("Withdraw a bed's unavailability");
    await expectAccessible(provider);
    await shots(provider, "bed-record-withdraw");
    const other = await newPage(DEMO.harbourLight.email);
    await visit(other, new URL(provider.url()).pathname, { status: 404 });
  });

  test("an officer corrects a stay: the form starts from the record, keeps what was typed, and saves the correction as a new record", async ({ page, signIn, visit }) => {
    await signIn(page, DEMO.officer.email);
    await visit(page, "/utilisation");
    await page.getByRole("table", { name: "Block contracts" }).getByRole("link", { name: /WCC-BLK-01/ }).click();
    const row = page.getByRole("table", { name: "Latest bed records" }).getByRole("row").filter({ hasText: "Occupied by WM-" }).first();
    const child = (await row.textContent())!.match(/Occupied by (WM-\d+)/)![1]!;
    await row.getByRole("link", { name: /^Correct/ }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Correct a child's stay in a bed");
    await expect(page.getByLabel("Child's reference")).toHaveValue(child);
    await expect(page.locator("#firstNight-year")).not.toHaveValue("");
    await page.getByLabel("Child's reference").fill(`${child}A`);
    await page.getByRole("button", { name: "Save the correction" }).click();
    await expect(page.locator(".govuk-error-summary")).toContainText("Enter what was wrong with the record");
    await expect(page.getByLabel("Child's reference")).toHaveValue(`${child}A`);
    await expectAccessible(page);
    await shots(page, "stay-correct-errors");
    await page.getByLabel("What was wrong with the record?").fill("The child's reference was typed wrong");
    await page.getByRole("button", { name: "Save the correction" }).click();
    await expect(page.locator(".govuk-notification-banner--success")).toContainText(`Corrected: ${child}A`);
    await expect(page.getByRole("table", { name: "Latest bed records" })).toContainText(`Occupied by ${child}A`);
  });

  test("an officer cancels a short break with a reason; its nights stop counting", async ({ page, signIn, visit }) => {
    await signIn(page, DEMO.officer.email);
    await visit(page, "/short-breaks");
    const bookings = page.getByRole("table", { name: "Bookings" });
    const before = await bookings.getByRole("row").count();
    await bookings.getByRole("row").nth(1).getByRole("link", { name: /^Cancel/ }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("short break");
    await page.getByRole("button", { name: "Cancel the short break" }).click();
    await expect(page.locator(".govuk-error-summary")).toContainText("Enter why the short break is cancelled");
    await expectAccessible(page);
    await shots(page, "short-break-cancel-errors");
    await page.getByLabel("Why is the short break cancelled?").fill("The family cancelled: the child is unwell");
    await page.getByRole("button", { name: "Cancel the short break" }).click();
    await expect(page.locator(".govuk-notification-banner--success")).toContainText("Short break cancelled for");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Short breaks");
    await expect(bookings.getByRole("row")).toHaveCount(before - 1);
  });

  test("an officer chooses a cascade's two tiers among the providers whose homes the request reaches, not from every provider", async ({ page, signIn, visit }) => {
    await signIn(page, DEMO.officer.email);
    await visit(page, "/placement-requests/new");
    await expect(page.getByText("To send it to preferred providers first, check which homes it reaches")).toBeVisible();
    await expect(page.getByRole("group", { name: /^Tier 1/ })).toHaveCount(0);
    await fillCriteria(page);
    await page.locator("#sending").selectOption("cascade");
    await page.getByRole("button", { name: "Check which homes it reaches" }).click();
    await expect(page.locator("#match-heading")).toHaveText(/^Reaches \d+ homes?/);
    const reached = (await page.getByRole("table", { name: "Homes it reaches" }).locator("tbody tr").allTextContents()).map((t) => t.replace(/\s+/g, " "));
    const tier1 = page.getByRole("group", { name: /^Tier 1/ });
    const offered = (await tier1.locator("label").allTextContents()).map((t) => t.replace(/ \(\d+ matching homes?\)$/, "").trim());
    expect(offered.length).toBeGreaterThan(1);
    // Every provider offered has a home it reaches, and every home it reaches has its provider offered.
    for (const name of offered) expect(reached.some((row) => row.includes(name))).toBe(true);
    for (const row of reached) expect(offered.some((name) => row.includes(name))).toBe(true);
    await expectAccessible(page);

    await tier1.getByRole("checkbox").first().check();
    const tier2 = page.getByRole("group", { name: /^Tier 2/ });
    await tier2.getByRole("checkbox").nth(1).check();
    await page.locator("#tier1WindowHours").fill("12");
    await page.locator("#tier2WindowHours").fill("6");
    await page.locator("#summary").fill("Settles with consistent adults; enjoys football.");
    await fillDate(page, "deadline", inDays(4));
    await shots(page, "request-tiers");
    await page.getByRole("button", { name: "Send request" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText(/more will be sent it when the earlier tiers' windows end/);
    const sentTo = page.getByRole("table", { name: "Homes it was sent to" });
    await expect(sentTo).toContainText(offered[0]!);
    await expect(sentTo.getByRole("row").filter({ hasText: offered[1]! }).first()).toContainText("Second");
    if (offered.length > 2) await expect(sentTo).toContainText("Everyone else");
  });
});
