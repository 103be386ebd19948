// A provider keeps all its homes' vacancies on one page, and its homes'
// Statements of Purpose: saving without JavaScript, messages beside the
// fields with nothing typed lost, a colleague's save reported with the latest
// values, "No change" confirming them all, the history on the home's page,
// and nobody else's homes reachable.
import { DEMO, expect, expectAccessible, test, visit, type Page } from "./support/fixtures";
import { HARBOUR, ownHomes } from "./support/market";
import { screenshots } from "./support/screenshots";
import { readEmail } from "./support/users";

/** The name of each home on /vacancies, in form order (home-1, home-2, ...). */
async function formHomes(page: Page): Promise<string[]> {
  return (await page.locator("section.portal-vacancy h2").allTextContents()).map((t) => t.trim());
}

/** A row of the summary lists on a page, by its key. */
function row(page: Page, key: string) {
  return page.locator(".govuk-summary-list__row").filter({ has: page.locator("dt", { hasText: new RegExp(`^${key}$`) }) });
}

/** Fills every home with no vacancy recorded yet with 0, so a save can take them all. */
async function fillEmpty(page: Page): Promise<void> {
  for (const input of await page.locator("input[id$='-bedsFreeNow']").all()) {
    if ((await input.inputValue()) === "") await input.fill("0");
  }
}

test.describe("Vacancies", () => {
  test.describe.configure({ mode: "serial" });

  test("a provider saves every home's vacancy in one submit without JavaScript", async ({ newPage }) => {
    const page = await newPage(DEMO.harbourLight.email, undefined, { javaScript: false });
    await visit(page, "/vacancies");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Vacancies");
    await expect(page.locator(".govuk-caption-l")).toHaveText(HARBOUR);
    const names = await formHomes(page);
    expect(names.length).toBeGreaterThan(3);
    // A home with no vacancy yet is flagged stale and "never confirmed".
    await expect(page.locator("section.portal-vacancy").first()).toContainText("Never confirmed");
    await page.locator("#home-1-bedsFreeNow").fill("2");
    await page.locator("#home-1-from-day").fill("1");
    await page.locator("#home-1-from-month").fill("3");
    await page.locator("#home-1-from-year").fill("2030");
    await page.locator("#home-1-fromBeds").fill("3");
    await page.locator("#home-1-needs").check();
    await fillEmpty(page);
    await page.getByRole("button", { name: "Save vacancies" }).click();
    await expect(page).toHaveURL(/\/vacancies$/);
    await expect(page.locator(".govuk-notification-banner")).toContainText(`Vacancies saved for ${names.length} homes`);
    const first = page.locator("section.portal-vacancy").first();
    await expect(first).toContainText("Now: 2 beds free now; 3 beds free from 1 March 2030.");
    await expect(first).not.toContainText("Stale");
    await expect(page.locator("#home-1-needs")).toBeChecked();
    await screenshots(page, "vacancies-saved");
  });

  test("wrong values are refused beside each home's fields, the others are saved, and nothing typed is lost", async ({ page, signIn, expectAccessible }) => {
    await signIn(page, DEMO.harbourLight.email);
    await visit(page, "/vacancies");
    const names = await formHomes(page);
    await page.locator("#home-1-bedsFreeNow").fill("99");
    await page.locator("#home-2-bedsFreeNow").fill("two");
    await page.locator("#home-3-from-day").fill("31");
    await page.locator("#home-3-from-month").fill("2");
    await page.locator("#home-3-from-year").fill("2030");
    await page.locator("#home-3-fromBeds").fill("1");
    await page.getByRole("button", { name: "Save vacancies" }).click();

    const summary = page.locator(".govuk-error-summary");
    await expect(summary).toBeVisible();
    await expect(summary.getByRole("link", { name: new RegExp(`^${names[0]} has \\d+ registered places?: beds free now cannot be more$`) })).toHaveAttribute(
      "href",
      "#home-1-bedsFreeNow"
    );
    await expect(summary.getByRole("link", { name: `Enter the beds free now at ${names[1]} as a whole number, 0 or more` })).toHaveAttribute(
      "href",
      "#home-2-bedsFreeNow"
    );
    await expect(summary.getByRole("link", { name: `The date beds are free from at ${names[2]} must be a real date` })).toHaveAttribute(
      "href",
      "#home-3-from-day"
    );
    // Each message is beside its field too, and what was typed is still there.
    await expect(page.locator("#home-2-bedsFreeNow-error")).toContainText("as a whole number");
    await expect(page.locator("#home-1-bedsFreeNow")).toHaveValue("99");
    await expect(page.locator("#home-2-bedsFreeNow")).toHaveValue("two");
    await expect(page.locator("#home-3-from-day")).toHaveValue("31");
    await expect(page.locator(".govuk-inset-text")).toContainText(`Saved ${names.length - 3} homes`);
    await expectAccessible(page);

    // The summary's link takes the reader to the field.
    await summary.getByRole("link", { name: /Enter the beds free now at/ }).click();
    await expect(page.locator("#home-2-bedsFreeNow")).toBeFocused();

    // Corrected, all are saved.
    await page.locator("#home-1-bedsFreeNow").fill("1");
    await page.locator("#home-2-bedsFreeNow").fill("0");
    await page.locator("#home-3-from-day").fill("28");
    await page.getByRole("button", { name: "Save vacancies" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText(`Vacancies saved for ${names.length} homes`);
  });

  test("a home a colleague saved since the form was opened is reported, showing the latest values and what was typed", async ({ newPage }) => {
    const mine = await newPage(DEMO.harbourLight.email);
    const colleague = await newPage(DEMO.harbourLight.email);
    await visit(mine, "/vacancies");
    await visit(colleague, "/vacancies");
    const names = await formHomes(mine);

    await colleague.locator("#home-1-bedsFreeNow").fill("3");
    await colleague.getByRole("button", { name: "Save vacancies" }).click();
    await expect(colleague.locator(".govuk-notification-banner")).toContainText("Vacancies saved");

    await mine.locator("#home-1-bedsFreeNow").fill("0");
    await mine.locator("#home-2-bedsFreeNow").fill("1");
    await mine.getByRole("button", { name: "Save vacancies" }).click();
    const summary = mine.locator(".govuk-error-summary");
    await expect(
      summary.getByRole("link", { name: `Someone else updated ${names[0]}'s vacancy while you were editing it. Check its current vacancy and try again.` })
    ).toHaveAttribute("href", "#home-1");
    await expect(mine.locator("#home-1-bedsFreeNow")).toHaveValue("3");
    await expect(mine.locator("section.portal-vacancy").first()).toContainText(
      "You had entered: 0 free now; 3 free from 1 March 2030. The form now shows the latest vacancy."
    );
    // The other home was saved.
    await expect(mine.locator(".govuk-inset-text")).toContainText(`Saved ${names.length - 1} homes`);
    await expect(mine.locator("section.portal-vacancy").nth(1)).toContainText("Now: 1 bed free now");
    await expectAccessible(mine);

    // Saved again from the latest values, it goes through.
    await mine.locator("#home-1-bedsFreeNow").fill("0");
    await mine.getByRole("button", { name: "Save vacancies" }).click();
    await expect(mine.locator(".govuk-notification-banner")).toContainText(`Vacancies saved for ${names.length} homes`);
  });

  test("'No change' confirms every home at once, and each home's page lists its history", async ({ page, signIn }) => {
    await signIn(page, DEMO.harbourLight.email);
    await visit(page, "/vacancies");
    const names = await formHomes(page);
    await page.getByRole("button", { name: "No change: confirm all" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText(`Vacancies confirmed for ${names.length} homes`);
    await expect(page.locator("section.portal-vacancy .govuk-tag")).toHaveCount(0);

    const home = (await ownHomes(page)).find((h) => h.name === names[0])!;
    await visit(page, `/homes/${home.id}`);
    const history = page.getByRole("table", { name: "Vacancy updates and confirmations (latest 20)" });
    await expect(history.locator("tbody tr").first()).toContainText("Confirmed, no change");
    await expect(history.locator("tbody tr").first()).toContainText(DEMO.harbourLight.name);
    await expect(history.locator("tbody tr").nth(1)).toContainText("Updated");
    await expect(page.locator("main")).toContainText("Last confirmed");
  });

  test("council staff cannot open the page, and another provider's home is 'not found'", async ({ newPage }) => {
    const officer = await newPage(DEMO.officer.email);
    await visit(officer, "/vacancies", { status: 403 });

    const [theirs] = await ownHomes(await newPage(DEMO.moorland.email));
    const page = await newPage(DEMO.harbourLight.email);
    await visit(page, "/vacancies");
    const token = (await page.locator('input[name="_csrf"]').first().getAttribute("value"))!;
    const response = await page.request.post("/vacancies", {
      form: { _csrf: token, intent: "save", "home-1-id": theirs!.id, "home-1-version": "0", "home-1-bedsFreeNow": "0" },
    });
    expect(response.status()).toBe(404);
    expect(await response.text()).not.toContain(theirs!.name);
  });
});

test.describe("Statement of Purpose", () => {
  test.describe.configure({ mode: "serial" });

  test("a provider changes a home's Statement of Purpose; wrong values are refused beside the fields with what was typed kept", async ({
    page,
    signIn,
    expectAccessible,
  }) => {
    await signIn(page, DEMO.harbourLight.email);
    // A home whose vacancy offers 2 or more beds, to try lowering its places below them.
    await visit(page, "/vacancies");
    const names = await formHomes(page);
    const values = await page.locator("input[id$='-bedsFreeNow']").evaluateAll((inputs) => inputs.map((i) => Number((i as HTMLInputElement).value)));
    const index = values.findIndex((v) => v >= 2);
    expect(index, "a home with 2 or more beds free").toBeGreaterThanOrEqual(0);
    const home = (await ownHomes(page)).find((h) => h.name === names[index])!;

    await visit(page, `/homes/${home.id}`);
    await page.getByRole("link", { name: `Change the Statement of Purpose of ${home.name}` }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Statement of Purpose: ${home.name}`);
    await expectAccessible(page);

    await page.getByLabel("Registered places").fill("lots");
    for (const box of await page.getByRole("group", { name: "Genders" }).getByRole("checkbox").all()) await box.uncheck();
    await page.getByLabel("Postcode").fill("EX4 3AB");
    await page.getByRole("button", { name: "Save Statement of Purpose" }).click();
    const summary = page.locator(".govuk-error-summary");
    await expect(summary.getByRole("link", { name: "Enter the registered places as a whole number, like 4" })).toHaveAttribute("href", "#registeredPlaces");
    await expect(summary.getByRole("link", { name: "Select the genders the home looks after" })).toHaveAttribute("href", "#genders");
    await expect(page.getByLabel("Registered places")).toHaveValue("lots");
    await expect(page.getByLabel("Postcode")).toHaveValue("EX4 3AB");
    await expectAccessible(page);

    await page.getByLabel("Registered places").fill("1");
    await page.getByLabel("Girls").check();
    await page.getByRole("button", { name: "Save Statement of Purpose" }).click();
    await expect(
      summary.getByRole("link", { name: new RegExp(`^${home.name}'s vacancy offers \\d+ beds: update its vacancy before lowering its places to 1$`) })
    ).toBeVisible();

    await page.getByLabel("Registered places").fill("6");
    await page.getByLabel("Youngest age").fill("17");
    await page.getByLabel("Oldest age").fill("12");
    await page.getByRole("button", { name: "Save Statement of Purpose" }).click();
    await expect(summary.getByRole("link", { name: "The oldest age must be the same as or older than the youngest age" })).toHaveAttribute("href", "#ageMax");
    await expect(page.locator("#ageMax-error")).toBeVisible();

    await page.getByLabel("Youngest age").fill("12");
    await page.getByLabel("Oldest age").fill("17");
    await page.getByRole("button", { name: "Save Statement of Purpose" }).click();
    await expect(page).toHaveURL(`/homes/${home.id}`);
    await expect(page.locator(".govuk-notification-banner")).toContainText(`Statement of Purpose of ${home.name} saved`);
    await expect(row(page, "Registered places")).toContainText("6");
    await expect(row(page, "Postcode district")).toContainText("EX4");
    await expect(row(page, "Ages")).toContainText("12 to 17");
    await expect(row(page, "Looks after")).toContainText("Girls");
  });

  test("a change saved by a colleague meanwhile is reported, not overwritten; others' homes are refused", async ({ newPage }) => {
    const mine = await newPage(DEMO.harbourLight.email);
    const colleague = await newPage(DEMO.harbourLight.email);
    const [home] = await ownHomes(mine);
    const path = `/homes/${home!.id}/statement-of-purpose`;
    await visit(mine, path);
    await visit(colleague, path);
    await colleague.getByLabel("Registered places").fill("5");
    await colleague.getByRole("button", { name: "Save Statement of Purpose" }).click();
    await expect(colleague.locator(".govuk-notification-banner")).toContainText("saved");

    await mine.getByLabel("Registered places").fill("7");
    await mine.getByRole("button", { name: "Save Statement of Purpose" }).click();
    await expect(mine.locator(".govuk-error-summary")).toContainText("Someone else changed this record while you were editing it");
    await expect(mine.getByLabel("Registered places")).toHaveValue("7");
    await visit(mine, `/homes/${home!.id}`);
    await expect(row(mine, "Registered places")).toHaveText(/5$/);

    // Another provider's home is not found; council staff may read it but not change it.
    const moorland = await newPage(DEMO.moorland.email);
    await visit(moorland, path, { status: 404 });
    await visit(moorland, `/homes/${home!.id}`, { status: 404 });
    const officer = await newPage(DEMO.officer.email);
    await visit(officer, path, { status: 403 });
    await visit(officer, `/homes/${home!.id}`);
    await expect(officer.getByRole("link", { name: /Change the Statement of Purpose/ })).toHaveCount(0);
  });
});

test.describe("Vacancy reminders", () => {
  test("the portal's background work emails a provider with stale vacancies once, linking to the vacancies page", async ({ page, signIn }) => {
    await signIn(page, DEMO.admin.email);
    // The demo has Harbour Light homes with stale or no vacancies; the reminder is sent when the portal starts.
    const { text } = await readEmail(page, DEMO.harbourLight.email, "Please confirm your vacancies");
    expect(text).toMatch(/https?:\/\/[^\s]+\/vacancies/);
    const reminders = page
      .locator("tbody tr")
      .filter({ has: page.getByRole("cell", { name: DEMO.harbourLight.email, exact: true }) })
      .filter({ hasText: "Please confirm your vacancies" });
    await visit(page, `/admin/emails?to=${encodeURIComponent(DEMO.harbourLight.email)}`);
    // Two web workers serve the pages, and the reminder is still sent once.
    await expect(reminders).toHaveCount(1);
  });
});
