// Homes' weekly fees in the browser: a provider records its home's fee (bad
// amounts explained beside the field with what was typed kept), sees it and
// its history on the home's page; another provider cannot reach the form; a
// commissioning officer filters search by a fee range and sorts by lowest fee.
import { DEMO, expect, test, visit, type Page } from "./support/fixtures";
import { fillDate, inDays, ownHomes } from "./support/market";

const results = (page: Page) => page.locator(".portal-table-container tbody tr");

/** The Weekly fee column of the results, as pence (null for "Fee not recorded"). */
async function fees(page: Page): Promise<(number | null)[]> {
  const headers = (await page.locator(".portal-table-container thead th").allTextContents()).map((t) => t.trim());
  const column = headers.indexOf("Weekly fee");
  expect(column).toBeGreaterThanOrEqual(0);
  const cells = await results(page).evaluateAll((rows, c) => rows.map((r) => r.querySelectorAll("td")[c]?.textContent?.trim() ?? ""), column);
  return cells.map((c) => (c === "Fee not recorded" ? null : Math.round(Number(c.replace(/[£,]/g, "")) * 100)));
}

test.describe("Homes' weekly fees", () => {
  test("a provider records a home's weekly fee, told plainly about amounts that are not fees, and sees it with its history", async ({ page, signIn, expectAccessible }) => {
    await signIn(page, DEMO.harbourLight.email);
    const [home] = await ownHomes(page);
    await visit(page, `/homes/${home!.id}`);
    const feeRow = page.locator(".govuk-summary-list__row", { has: page.locator("dt", { hasText: "Weekly fee" }) });
    await expect(feeRow).toBeVisible();
    await feeRow.getByRole("link").click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Weekly fee: ${home!.name}`);
    await expectAccessible(page);

    const fee = page.getByLabel("Weekly fee in pounds");
    for (const [typed, message] of [
      ["-450", "The weekly fee cannot be negative"],
      ["about 4000", "Weekly fee must be an amount in pounds, like 5200 or 5200.50"],
      ["60000", "The weekly fee must be £50,000 or less"],
    ] as const) {
      await fee.fill(typed);
      await fillDate(page, "effectiveFrom", inDays(0));
      await page.getByRole("button", { name: "Save weekly fee" }).click();
      await expect(page.locator(".govuk-error-summary")).toContainText(message);
      await expect(page.locator("#weeklyFee-error")).toContainText(message);
      await expect(fee).toHaveValue(typed);
      await expectAccessible(page);
    }
    // A date that is not a date is explained beside the date, and the fee typed is kept.
    await fee.fill("4,250.50");
    await fillDate(page, "effectiveFrom", { day: "31", month: "2", year: "2027" });
    await page.getByRole("button", { name: "Save weekly fee" }).click();
    await expect(page.locator(".govuk-error-summary")).toContainText("Date the fee applies from");
    await expect(fee).toHaveValue("4,250.50");

    await fillDate(page, "effectiveFrom", inDays(0));
    await page.getByLabel("Reason for the change (optional)").fill("Annual uplift");
    await page.getByRole("button", { name: "Save weekly fee" }).click();
    await expect(page).toHaveURL(new RegExp(`/homes/${home!.id}$`));
    await expect(page.locator(".govuk-notification-banner")).toContainText(`Weekly fee of ${home!.name} saved`);
    await expect(feeRow).toContainText("£4,250.50 a week");
    const history = page.locator("table", { has: page.locator("caption", { hasText: "Weekly fee history" }) });
    await expect(history.locator("tbody tr").first()).toContainText("£4,250.50");
    await expect(history.locator("tbody tr").first()).toContainText("Annual uplift");
    await expect(history.locator("tbody tr").first()).toContainText(DEMO.harbourLight.name);
    await expectAccessible(page);
  });

  test("another provider's home's fee form is not found, and council staff cannot record a fee", async ({ newPage }) => {
    const owner = await newPage(DEMO.harbourLight.email);
    const [home] = await ownHomes(owner);
    const other = await newPage(DEMO.moorland.email);
    await visit(other, `/homes/${home!.id}/weekly-fee`, { status: 404 });
    const officer = await newPage(DEMO.officer.email);
    await visit(officer, `/homes/${home!.id}`);
    await expect(officer.locator(".govuk-summary-list__row", { has: officer.locator("dt", { hasText: "Weekly fee" }) }).getByRole("link")).toHaveCount(0);
    await visit(officer, `/homes/${home!.id}/weekly-fee`, { status: 403 });
  });

  test("an officer filters search by a weekly fee range and sorts by lowest fee, with homes that recorded none last", async ({ page, signIn, expectAccessible }) => {
    await signIn(page, DEMO.officer.email);
    await visit(page, "/placements/search");
    // The wrong way round is explained beside the highest fee, with both amounts kept.
    await page.getByLabel("Lowest, in pounds").fill("6000");
    await page.getByLabel("Highest, in pounds").fill("4000");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page.locator("#maxFee-error")).toContainText("The highest weekly fee must be the same as or more than the lowest");
    await expect(page.getByLabel("Lowest, in pounds")).toHaveValue("6000");
    await expectAccessible(page);
    await page.getByLabel("Lowest, in pounds").fill("-5");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page.locator("#minFee-error")).toContainText("Lowest weekly fee cannot be negative");

    await page.getByLabel("Lowest, in pounds").fill("4000");
    await page.getByLabel("Highest, in pounds").fill("£5,500");
    await page.getByLabel("Sort by").selectOption({ label: "Lowest weekly fee first" });
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page.locator(".govuk-inset-text")).toContainText("homes that have not recorded a fee are left out");
    const inRange = await fees(page);
    expect(inRange.length).toBeGreaterThan(0);
    for (const f of inRange) expect(f).not.toBeNull();
    expect(inRange.every((f) => f! >= 400_000 && f! <= 550_000)).toBe(true);
    expect(inRange).toEqual([...inRange].sort((a, b) => a! - b!));
    await expectAccessible(page);

    // Without a range every home is listed, by fee, and the last page ends with homes that recorded none.
    await visit(page, "/placements/search?sort=fee");
    await expect(page.locator(".govuk-inset-text")).toHaveCount(0);
    const first = await fees(page);
    expect(first[0]).not.toBeNull();
    const caption = await page.locator(".portal-table-container caption").textContent();
    const pages = Number(/page 1 of (\d+)/.exec(caption ?? "")?.[1]);
    expect(pages).toBeGreaterThan(1);
    await visit(page, `/placements/search?sort=fee&page=${pages}`);
    const last = await fees(page);
    expect(last[last.length - 1]).toBeNull();
    const known = last.filter((f) => f !== null);
    expect(last.slice(known.length).every((f) => f === null)).toBe(true);
  });
});

test.describe("The fee pages fit narrow screens", () => {
  test("the weekly fee form (with errors), the home's page and search by fee need no sideways scrolling at 375 px or at 200% zoom", async ({ newPage }) => {
    const provider = await newPage(DEMO.harbourLight.email);
    const [home] = await ownHomes(provider);
    const officer = await newPage(DEMO.officer.email);
    for (const viewport of [
      { width: 375, height: 812 },
      { width: 640, height: 400 },
    ]) {
      for (const page of [provider, officer]) await page.setViewportSize(viewport);
      await provider.goto(`/homes/${home!.id}/weekly-fee`);
      await provider.getByLabel("Weekly fee in pounds").fill("999999");
      await provider.getByRole("button", { name: "Save weekly fee" }).click();
      await expect(provider.locator("#weeklyFee-error")).toBeVisible();
      const checks: [Page, string | null][] = [
        [provider, null],
        [provider, `/homes/${home!.id}`],
        [officer, "/placements/search?minFee=4000&maxFee=3000&sort=fee"],
        [officer, "/placements/search?minFee=3000&sort=fee&from=EX4"],
      ];
      for (const [page, path] of checks) {
        if (path) await page.goto(path);
        const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(sideways, `${path ?? "the fee form with errors"} at ${viewport.width} px`).toBeLessThanOrEqual(0);
      }
    }
  });
});
