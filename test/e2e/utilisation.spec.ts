// Block beds and short breaks in the browser: the utilisation pages with
// their chart and table, the CSV, recording a bed as unavailable as its
// provider, the officer's occupancy form refusing what is wrong and keeping
// what was typed, another provider kept out, and a short break past the
// reg. 48 limits asking for its reason. axe checks every page seen.
import { DEMO, expect, expectAccessible, test } from "./support/fixtures";
import { screenshots } from "./support/screenshots";

test.describe("Block beds and short breaks", () => {
  test("an officer sees utilisation across contracts as a chart and a table, by month and by week, and downloads it", async ({ page, signIn, visit }) => {
    await signIn(page, DEMO.officer.email);
    await visit(page, "/utilisation");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Block beds");
    await expect(page.getByRole("table", { name: "Block contracts" })).toContainText("WCC-BLK-01");
    await expect(page.getByRole("img", { name: /Utilisation by month, against the 90% target/ })).toBeVisible();
    // Across several contracts that share a target, the chart still draws it; the page fits 1280 and 375 px.
    await screenshots(page, "utilisation-across-contracts");
    await expect(page.getByRole("table", { name: "Nights by month" })).toContainText("October 2026");
    await page.getByRole("link", { name: "by week" }).click();
    await expect(page).toHaveURL(/by=week/);
    await expect(page.getByRole("table", { name: "Nights by week" })).toContainText("Week of 28 September 2026");
    await expectAccessible(page);
    const csv = await page.request.get("/utilisation.csv?by=month");
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toContain("text/csv");
    const lines = (await csv.text()).split("\r\n");
    expect(lines[0]).toBe("Contract,Period starting,Contracted nights,Occupied nights,Void nights,Unavailable nights,Utilisation %,Void cost £");
    expect(lines).toContainEqual(expect.stringMatching(/^WCC-BLK-01,2026-10-01,372,\d+,\d+,\d+,\d+\.\d,\d+\.\d\d$/));
  });

  test("the officer's occupancy form names each problem beside its field and keeps what was typed", async ({ page, signIn, visit }) => {
    await signIn(page, DEMO.officer.email);
    await visit(page, "/utilisation");
    await page.getByRole("table", { name: "Block contracts" }).getByRole("link", { name: /WCC-BLK-01/ }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("WCC-BLK-01: Westmoor block beds with Moorland Care");
    await expectAccessible(page);
    await page.getByRole("link", { name: "Record a child in a bed" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Record a child in a bed");
    await page.getByRole("button", { name: "Record the child in the bed" }).click();
    const summary = page.locator(".govuk-error-summary");
    await expect(summary).toContainText("Select the bed");
    await expect(summary).toContainText("Enter the child's reference");
    await expect(summary).toContainText("Enter the first night");
    await expectAccessible(page);
    await page.getByLabel("Bed", { exact: true }).selectOption({ index: 1 });
    await page.getByLabel("Child's reference").fill("ch-5521");
    await page.locator("#firstNight-day").fill("31");
    await page.locator("#firstNight-month").fill("2");
    await page.locator("#firstNight-year").fill("2031");
    await page.getByRole("button", { name: "Record the child in the bed" }).click();
    await expect(page.locator("#firstNight-error")).toContainText("First night must be a real date");
    await expect(page.getByLabel("Child's reference")).toHaveValue("ch-5521");
    await expect(page.locator("#firstNight-day")).toHaveValue("31");
  });

  test("a provider records its own bed as unavailable; another provider cannot even see the contract", async ({ page, signIn, visit, newPage }) => {
    await signIn(page, DEMO.moorland.email);
    await visit(page, "/utilisation");
    await page.getByRole("table", { name: "Block contracts" }).getByRole("link", { name: /WCC-BLK-01/ }).click();
    await expect(page).toHaveURL(/\/utilisation\/[0-9a-f-]{36}$/);
    const contractUrl = page.url();
    await expect(page.getByRole("link", { name: "Record a child in a bed" })).toHaveCount(0);
    await page.getByRole("link", { name: "Record a bed as unavailable" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Record a bed as unavailable");
    await page.getByLabel("Bed", { exact: true }).selectOption({ index: 1 });
    for (const [box, value] of [["firstNight-day", "20"], ["firstNight-month", "9"], ["firstNight-year", "2031"], ["lastNight-day", "22"], ["lastNight-month", "9"], ["lastNight-year", "2031"]]) {
      await page.locator(`#${box}`).fill(value!);
    }
    await page.getByLabel("Why the bed could not be used").fill("Bathroom refit agreed with the council");
    await page.getByRole("button", { name: "Record the bed as unavailable" }).click();
    await expect(page.locator(".govuk-notification-banner--success")).toContainText("as unavailable");
    await expect(page.getByRole("table", { name: "Latest bed records" })).toContainText("Unavailable: Bathroom refit agreed with the council");
    await expectAccessible(page);

    const other = await newPage(DEMO.harbourLight.email);
    await visit(other, new URL(contractUrl).pathname, { status: 404 });
    await visit(other, `${new URL(contractUrl).pathname}/unavailability`, { status: 404 });
  });

  test("a short break past 17 nights in a row asks for a reason, and is booked with it", async ({ page, signIn, visit }) => {
    await signIn(page, DEMO.officer.email);
    await visit(page, "/short-breaks?year=2026");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Short breaks");
    await expect(page.getByRole("table", { name: "Nights and cost by home" })).toContainText("All homes");
    await expect(page.getByRole("table", { name: "Bookings" })).toContainText("Past the limits");
    await page.getByRole("link", { name: "Book a short break" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Book a short break");
    // The Highcliffe home whose contract SB-2041's February nights are booked on (the demo has other homes' contracts too).
    const home = page.getByLabel("Home", { exact: true });
    await home.selectOption((await home.locator("option", { hasText: "(SB-HC-01)" }).getAttribute("value"))!);
    await page.getByLabel("Child's reference").fill("SB-2041");
    // SB-2041 is booked for the nights of 8 to 28 February 2027: 1 March joins them, 22 in a row.
    for (const [box, value] of [["firstNight-day", "1"], ["firstNight-month", "3"], ["firstNight-year", "2027"], ["lastNight-day", "1"], ["lastNight-month", "3"], ["lastNight-year", "2027"]]) {
      await page.locator(`#${box}`).fill(value!);
    }
    await page.getByLabel("Health's share of the cost (%)").fill("50");
    await page.getByRole("button", { name: "Book the short break" }).click();
    await expect(page.locator(".govuk-error-summary")).toContainText("more than 17 nights in a row (22 in a row at most");
    await expect(page.locator(".govuk-warning-text")).toBeVisible();
    await expect(page.getByLabel("Child's reference")).toHaveValue("SB-2041");
    await expectAccessible(page);
    await page.getByLabel("Why this booking should go ahead past the limits").fill("Parent still in hospital; extension agreed by the head of service");
    await page.getByRole("button", { name: "Book the short break" }).click();
    await expect(page).toHaveURL(/\/short-breaks$/);
    await expect(page.locator(".govuk-notification-banner--success")).toContainText("Short break booked for SB-2041");
  });

  test("the utilisation page fits a 375 px phone: the chart shrinks and only tables scroll", async ({ page, signIn, visit }) => {
    await page.setViewportSize({ width: 375, height: 812 });
    await signIn(page, DEMO.officer.email);
    await visit(page, "/utilisation");
    const chart = page.getByRole("img", { name: /Utilisation by month/ });
    const box = await chart.boundingBox();
    expect(box!.width).toBeLessThanOrEqual(375);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  });
});
