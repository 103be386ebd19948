// A commissioning officer finds homes (every filter, nearest first, stale
// vacancies flagged, paged, with and without JavaScript), is told plainly
// about bad input, and suspends and lifts a home's suspension, which its
// provider sees with the reasons.
import { DEMO, expect, test, visit, type Page } from "./support/fixtures";
import { ownHomes } from "./support/market";
import { screenshots } from "./support/screenshots";

const results = (page: Page) => page.locator(".portal-table-container tbody tr");

/** The Distance column's miles on the page, in order. */
async function distances(page: Page): Promise<number[]> {
  const headers = (await page.locator(".portal-table-container thead th").allTextContents()).map((t) => t.trim());
  const column = headers.indexOf("Distance");
  expect(column).toBeGreaterThanOrEqual(0);
  const cells = await results(page).evaluateAll((rows, c) => rows.map((r) => r.querySelectorAll("td")[c]?.textContent ?? ""), column);
  return cells.filter((c) => c.endsWith("miles") || c.endsWith("mile")).map((c) => Number.parseFloat(c));
}

test.describe("Placement search", () => {
  test("an officer finds homes near a district with a bed free now, nearest first and paged, with stale vacancies flagged", async ({
    page,
    signIn,
    expectAccessible,
  }) => {
    await signIn(page, DEMO.officer.email);
    await page.locator("#navigation").getByRole("link", { name: "Find a home" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Find a home");
    await expectAccessible(page);
    await page.getByLabel("Child's home postcode district").fill("ex4");
    await page.getByLabel("Vacancy").selectOption({ label: "A bed free now" });
    await page.getByLabel("Minimum Ofsted grade").selectOption({ label: "Good or better" });
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page).toHaveURL(/from=ex4/);
    const caption = page.locator(".portal-table-container caption");
    await expect(caption).toHaveText(/^\d+ homes found, page 1 of \d+$/);
    const miles = await distances(page);
    expect(miles.length).toBeGreaterThan(5);
    expect(miles).toEqual([...miles].sort((a, b) => a - b));
    for (const vacancy of await results(page).locator("td:nth-child(6)").allTextContents()) expect(vacancy).toMatch(/free now/);
    for (const grade of await results(page).locator("td:nth-child(4)").allTextContents()) expect(grade).toMatch(/^(Outstanding|Good)$/);
    await expect(results(page).locator(".govuk-tag", { hasText: "Stale" }).first()).toBeVisible();
    await expectAccessible(page);
    await screenshots(page, "placement-search-results");

    await page.getByRole("link", { name: "Next page" }).click();
    await expect(caption).toHaveText(/page 2 of/);
    expect((await distances(page))[0]).toBeGreaterThanOrEqual(miles[miles.length - 1]!);
    await expect(page.getByLabel("Child's home postcode district")).toHaveValue("ex4");

    // Sorted by grade instead, for one need, Outstanding homes come first.
    await page.getByLabel("Sort by").selectOption({ label: "Best Ofsted grade first" });
    await page.getByLabel("Need").selectOption({ label: "Emotional and behavioural difficulties" });
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page).toHaveURL(/need=emotional_behavioural/);
    await expect(caption).toHaveText(/^\d+ homes? found/);
    // The lists written as HTML keep what was chosen, and offer every choice.
    await expect(page.getByLabel("Need")).toHaveValue("emotional_behavioural");
    await expect(page.getByLabel("Lot")).toHaveValue("");
    expect(await page.getByLabel("Lot").locator("option").count()).toBeGreaterThan(3);
    const grades = await results(page).locator("td:nth-child(4)").allTextContents();
    expect(grades).toEqual([...grades].sort((a, b) => (a === b ? 0 : a === "Outstanding" ? -1 : 1)));
  });

  test("the search works without JavaScript, and filters by need, age, gender and a date a bed is needed by", async ({ newPage }) => {
    const page = await newPage(DEMO.officer.email, undefined, { javaScript: false });
    await visit(page, "/placements/search");
    await page.getByLabel("Need").selectOption({ label: "Autism" });
    await page.getByLabel("Child's age").fill("14");
    await page.getByLabel("Gender").selectOption({ label: "Girls" });
    await page.getByLabel("Vacancy").selectOption({ label: "A bed free by the date below" });
    await page.getByLabel("Day").fill("1");
    await page.getByLabel("Month").fill("6");
    await page.getByLabel("Year").fill("2030");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page).toHaveURL(/need=autism/);
    await expect(page.getByLabel("Need")).toHaveValue("autism");
    await expect(page.locator(".portal-table-container caption")).toHaveText(/^\d+ homes? found/);
    expect(await results(page).count()).toBeGreaterThan(0);
    for (const ages of await results(page).locator("td:nth-child(4)").allTextContents()) {
      // No district given: no Distance column, so ages are the fourth.
      const [min, max] = ages.split(" to ").map(Number);
      expect(min).toBeLessThanOrEqual(14);
      expect(max).toBeGreaterThanOrEqual(14);
    }
    await expect(page.locator(".portal-table-container thead")).not.toContainText("Distance");
  });

  test("bad input is explained beside each field with what was typed kept; an unknown district is accepted as 'distance unknown'", async ({
    page,
    signIn,
    expectAccessible,
  }) => {
    await signIn(page, DEMO.officer.email);
    await visit(page, "/placements/search?age=fourteen&miles=far&vacancy=by", { status: 400 });
    const summary = page.locator(".govuk-error-summary");
    await expect(summary.getByRole("link", { name: "Enter the child's age as a whole number of years, like 14" })).toHaveAttribute("href", "#age");
    await expect(summary.getByRole("link", { name: "Enter the distance as a whole number of miles, like 30" })).toHaveAttribute("href", "#miles");
    await expect(summary.getByRole("link", { name: "Enter the date a bed is needed by" })).toHaveAttribute("href", "#by-day");
    await expect(page.locator("#age-error")).toBeVisible();
    await expect(page.getByLabel("Child's age")).toHaveValue("fourteen");
    await expect(page.locator(".portal-table-container")).toHaveCount(0);
    await expectAccessible(page);

    await visit(page, "/placements/search?miles=20", { status: 400 });
    await expect(summary).toContainText("Enter the postcode district to measure the distance from, like EX4");

    await visit(page, "/placements/search?from=12345", { status: 400 });
    await expect(summary.getByRole("link", { name: "Enter a postcode district, like EX4 or PL12" })).toHaveAttribute("href", "#from");

    await visit(page, "/placements/search?vacancy=by&by-day=31&by-month=2&by-year=2030", { status: 400 });
    await expect(summary.getByRole("link", { name: "The date a bed is needed by must be a real date" })).toHaveAttribute("href", "#by-day");

    await visit(page, "/placements/search?from=ZZ9&miles=10");
    await expect(page.locator(".govuk-inset-text")).toHaveText(
      "We do not know where ZZ9 is, so no distances are shown and the distance limit was not applied. Check the district, or ask an administrator to import it."
    );
    await expect(results(page).first().locator("td:nth-child(3)")).toHaveText("Distance unknown");

    await visit(page, "/placements/search?page=999", { status: 404 });
  });

  test("providers and other council staff cannot search", async ({ newPage }) => {
    for (const user of [DEMO.harbourLight, DEMO.evaluator]) {
      const page = await newPage(user.email);
      await visit(page, "/placements/search", { status: 403 });
    }
  });
});

test.describe("Suspensions", () => {
  test("an officer suspends a home with a reason and lifts it with reasons and conditions; the provider sees why; search leaves it out meanwhile", async ({
    newPage,
    expectAccessible,
  }) => {
    const provider = await newPage(DEMO.harbourLight.email);
    const officer = await newPage(DEMO.officer.email);
    // A Harbour Light home not suspended now.
    let home: { id: string; name: string } | undefined;
    for (const candidate of await ownHomes(provider)) {
      await visit(officer, `/homes/${candidate.id}`);
      if ((await officer.getByRole("link", { name: `Suspend from new placements of ${candidate.name}` }).count()) === 1) {
        home = candidate;
        break;
      }
    }
    expect(home, "a Harbour Light home that is not suspended").toBeDefined();
    const { id, name } = home!;
    const district = (await officer.locator(".govuk-summary-list__row", { hasText: "Postcode district" }).locator("dd").textContent())!.trim();
    const nearby = `/placements/search?from=${district}&miles=1`;
    await visit(officer, nearby);
    await expect(officer.locator(`tbody a[href="/homes/${id}"]`)).toHaveCount(1);

    await visit(officer, `/homes/${id}`);
    await officer.getByRole("link", { name: `Suspend from new placements of ${name}` }).click();
    await expect(officer.getByRole("heading", { level: 1 })).toHaveText(`Suspend ${name} from new placements`);
    await officer.getByRole("button", { name: "Suspend from new placements" }).click();
    await expect(officer.locator(".govuk-error-summary").getByRole("link", { name: "Enter the reason for the suspension" })).toHaveAttribute("href", "#reason");
    await expectAccessible(officer);
    const reason = "Staffing levels below the registered minimum at the last visit.";
    await officer.getByLabel("Reason for the suspension").fill(reason);
    await officer.getByRole("button", { name: "Suspend from new placements" }).click();
    await expect(officer).toHaveURL(`/homes/${id}`);
    await expect(officer.locator(".govuk-notification-banner")).toContainText(`${name} is suspended from new placements`);
    await expect(officer.locator(".govuk-warning-text")).toContainText(`Suspended by a commissioner: ${reason}`);

    await visit(officer, nearby);
    await expect(officer.locator(`tbody a[href="/homes/${id}"]`)).toHaveCount(0);

    // The provider sees the suspension and why, and cannot lift it.
    await visit(provider, `/homes/${id}`);
    await expect(provider.locator(".govuk-warning-text")).toContainText(reason);
    await expect(provider.getByRole("table", { name: "Suspensions from new placements" })).toContainText("In force");
    await expect(provider.getByRole("link", { name: /Lift the suspension/ })).toHaveCount(0);
    await visit(provider, `/homes/${id}/suspension`, { status: 403 });
    const moorland = await newPage(DEMO.moorland.email);
    await visit(moorland, `/homes/${id}/suspension`, { status: 404 });
    await visit(moorland, `/homes/${id}`, { status: 404 });

    await visit(officer, `/homes/${id}`);
    await officer.getByRole("link", { name: `Lift the suspension of ${name}` }).click();
    await officer.getByLabel("Conditions (optional)").fill("A monitoring visit within 3 months");
    await officer.getByRole("button", { name: "Lift suspension" }).click();
    await expect(officer.locator(".govuk-error-summary").getByRole("link", { name: "Enter the reasons for lifting the suspension" })).toHaveAttribute(
      "href",
      "#reason"
    );
    await expect(officer.getByLabel("Conditions (optional)")).toHaveValue("A monitoring visit within 3 months");
    await officer.getByLabel("Reasons for lifting the suspension").fill("Staffing restored and checked on a visit.");
    await officer.getByRole("button", { name: "Lift suspension" }).click();
    await expect(officer.locator(".govuk-notification-banner")).toContainText(`The suspension of ${name} is lifted`);
    const history = officer.getByRole("table", { name: "Suspensions from new placements" }).locator("tbody tr").first();
    await expect(history).toContainText(`by ${DEMO.officer.name}. Staffing restored and checked on a visit. Conditions: A monitoring visit within 3 months`);
    await expect(officer.locator(".govuk-warning-text")).toHaveCount(0);

    await visit(officer, nearby);
    await expect(officer.locator(`tbody a[href="/homes/${id}"]`)).toHaveCount(1);
    await visit(provider, `/homes/${id}`);
    await expect(provider.getByRole("table", { name: "Suspensions from new placements" })).toContainText("A monitoring visit within 3 months");
  });
});

test.describe("The market's forms fit narrow screens", () => {
  test("the Statement of Purpose, suspension and search-with-errors pages need no sideways scrolling at 375 px or at 200% zoom", async ({ newPage }) => {
    const provider = await newPage(DEMO.harbourLight.email);
    const [home] = await ownHomes(provider);
    const officer = await newPage(DEMO.officer.email);
    const pages: [Page, string][] = [
      [provider, `/homes/${home!.id}/statement-of-purpose`],
      [officer, `/homes/${home!.id}/suspension`],
      [officer, "/placements/search?age=x&from=ZZ9"],
      [officer, `/homes/${home!.id}`],
    ];
    for (const viewport of [
      { width: 375, height: 812 },
      { width: 640, height: 400 },
    ]) {
      for (const [page, path] of pages) {
        await page.setViewportSize(viewport);
        await page.goto(path);
        const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(sideways, `${path} at ${viewport.width} px`).toBeLessThanOrEqual(0);
      }
    }
  });
});
