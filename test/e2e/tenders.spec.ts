// The tender pages: the public list and tender page signed out; an officer
// creating, editing, checking, publishing, amending and cancelling a tender
// and reading its history; a provider registering and withdrawing interest;
// a stale edit told and nothing lost; drafts hidden from everyone outside
// their council. The questionnaire has pages of its own (another part of the
// portal), so this spec fills a tender's questionnaire through the module.
import { ukDate } from "#app/modules/common/input";
import { systemContext } from "#app/modules/identity/actor";
import { createActiveUser } from "#app/modules/identity/users";
import { addDaysToDay, deadlineSevenDaysOut, ukTimeToUtc, utcToUkTime } from "#app/modules/tendering/timeline";
import { completeQuestionnaire } from "#test/support/tendering";
import { withDatabase } from "./support/database";
import { screenshots } from "./support/screenshots";
import { DEMO, expect, expectAccessible, PASSWORD, test, type Page } from "./support/fixtures";

const today = ukDate(new Date());
const day = (days: number) => addDaysToDay(today, days);
const parts = (iso: string) => {
  const [y, m, d] = iso.split("-");
  return { day: String(Number(d)), month: String(Number(m)), year: y! };
};

async function fillDate(page: Page, field: string, iso: string, time?: string) {
  const p = parts(iso);
  await page.locator(`#${field}-day`).fill(p.day);
  await page.locator(`#${field}-month`).fill(p.month);
  await page.locator(`#${field}-year`).fill(p.year);
  if (time !== undefined) await page.locator(`#${field}-time`).fill(time);
}

const tenderId = (page: Page) => /\/tenders\/([0-9a-f-]{36})/.exec(page.url())![1]!;

/** The officer's new draft of the residential framework, with the title given; returns its id (the edit page is open). */
async function createDraft(page: Page, title: string, lightTouch: "Yes" | "No" = "Yes"): Promise<string> {
  await page.goto("/tenders");
  await page.getByRole("button", { name: "Create a tender" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Create a tender");
  await page.getByLabel("Agreement").selectOption({ label: "Residential children's homes framework 2027 to 2031 (SWPPC-RES-2027)" });
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Open procedure").check();
  await page.getByRole("group", { name: "Does the light-touch regime apply?" }).getByLabel(lightTouch).check();
  await page.getByRole("button", { name: "Create draft tender" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Change the draft tender");
  await expect(page.locator(".govuk-notification-banner")).toContainText("Draft tender created");
  return tenderId(page);
}

test.describe("Tenders", () => {
  test("anyone, signed out, finds the published tenders from the start page and reads one; drafts are not there", async ({ page, visit }) => {
    await visit(page, "/");
    await page.getByRole("link", { name: "See the tenders open for bids" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Tenders");
    await expectAccessible(page);
    const list = page.locator("main");
    await expect(list).toContainText("Residential children's homes framework 2027 to 2031: call for providers");
    await expect(list).toContainText("Open for bids");
    await expect(list).toContainText("Open procedure (light-touch regime)");
    await expect(list).toContainText(/Closes: midday on \w+day \d+ \w+ \d{4}/);
    await expect(list).toContainText("Lot 1: Standard residential");
    await expect(list).not.toContainText("Supported living options (16+): higher and medium support");
    await expect(page.getByRole("button", { name: "Create a tender" })).toHaveCount(0);
    await screenshots(page, "tenders-list-signed-out");

    await page.getByRole("link", { name: "Residential children's homes framework 2027 to 2031: call for providers" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Residential children's homes framework 2027 to 2031: call for providers");
    await expectAccessible(page);
    await expect(page.locator("main")).toContainText("Timeline (UK time)");
    await expect(page.locator("main")).toContainText("Weekly fee per placement, by need band");
    // The demo added its service specification after publishing, as amendment 1, with its reason.
    await expect(page.locator("main")).toContainText("Reason: The service specification was not attached when the tender was published");
    await expect(page.getByRole("button", { name: "Register interest" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Cancel this tender" })).toHaveCount(0);
    await screenshots(page, "tender-signed-out");

    // The demo's draft, by its id, is not found for anyone outside its council.
    const draftId = await withDatabase(async (db) => (await db.selectFrom("tender").select("id").where("status", "=", "draft").where("title", "like", "Supported living%").executeTakeFirstOrThrow()).id);
    await visit(page, `/tenders/${draftId}`, { status: 404 });
    await visit(page, `/tenders/${draftId}/edit`, { status: 200 }); // asks for sign-in, whatever the id
    await expect(page).toHaveURL(/\/sign-in\?returnTo=/);
  });

  test("the list sends its cards once, in the page, keeps them once JavaScript has taken over, and draws them when reached from another page", async ({ page, signIn, visit }) => {
    const consoleErrors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    const html = await (await visit(page, "/tenders")).text();
    const cardsHtml = html.slice(html.indexOf('<div id="published-tenders">'), html.indexOf("</main>"));
    const links = [...cardsHtml.matchAll(/<a class="govuk-link" href="(\/tenders\/[0-9a-f-]{36})">/g)].map(([, href]) => href!);
    expect(links.length).toBeGreaterThan(0);
    // Remix's copy of the page's data, in the page's scripts, holds none of the cards (decisions 026 and 041).
    const scripts = [...html.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map(([, script]) => script).join("\n");
    for (const href of links) expect(scripts).not.toContain(href);
    const titles = [...cardsHtml.matchAll(/href="\/tenders\/[0-9a-f-]{36}">([^<]+)<\/a>/g)].map(([, title]) => title!);
    expect(titles).toHaveLength(links.length);
    for (const title of titles) expect(scripts).not.toContain(title);
    expect(scripts).not.toContain("Key dates (UK time)");
    await page.waitForFunction(() => (window as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter?.state.initialized === true);
    await expect(page.locator("#published-tenders .govuk-summary-card")).toHaveCount(links.length);

    // Reached by a link in the page, the list comes as data and is drawn from it: the same cards as a full load, drafts too for an officer.
    await signIn(page, DEMO.officer.email);
    await page.locator("#navigation").getByRole("link", { name: "Tenders", exact: true }).click();
    await expect(page).toHaveURL(/\/tenders$/);
    await expect(page.locator("#published-tenders .govuk-summary-card")).toHaveCount(links.length);
    await expect(page.locator("#published-tenders .govuk-summary-card a").first()).toHaveAttribute("href", links[0]!);
    const drafts = await page.locator("#draft-tenders .govuk-summary-card").count();
    await page.reload();
    await expect(page.locator("#draft-tenders .govuk-summary-card")).toHaveCount(drafts);
    await expect(page.locator("#published-tenders .govuk-summary-card")).toHaveCount(links.length);
    expect(consoleErrors).toEqual([]);
  });

  test("an officer creates a draft, is told of a wrong field with what they typed kept, sees the publication problems, publishes, amends and reads the history; a provider registers and withdraws interest", async ({
    page,
    signIn,
    visit,
    newPage,
  }) => {
    test.setTimeout(180_000);
    await signIn(page, DEMO.officer.email);
    await visit(page, "/tenders");
    await expect(page.locator("main")).toContainText("Westmoor County Council: drafts");
    await screenshots(page, "tenders-list-officer");

    // Creating: an empty form names every field.
    await page.getByRole("button", { name: "Create a tender" }).click();
    await page.getByRole("button", { name: "Create draft tender" }).click();
    const summary = page.locator(".govuk-error-summary");
    await expect(summary).toContainText("Select the agreement this tender is for");
    await expect(summary).toContainText("Enter the title");
    await expect(summary).toContainText("Select the procedure");
    await expect(summary).toContainText("Select whether the light-touch regime applies");
    await expectAccessible(page);
    await screenshots(page, "tender-new-errors");

    const title = `Emergency residential beds ${Date.now().toString(36)}`;
    // Outside the light-touch regime, so its short tendering period draws a warning before publishing.
    const id = await createDraft(page, title, "No");

    // Editing: a time that is not a time is named beside its field; everything typed comes back.
    await page.getByLabel("Summary").fill("Beds for children who need a home at short notice.");
    await fillDate(page, "publicationAt", day(1), "09:00");
    await fillDate(page, "clarificationDeadlineAt", day(2), "25:00");
    await fillDate(page, "submissionDeadlineAt", day(5), "12:00");
    await fillDate(page, "intendedAwardOn", day(30));
    await fillDate(page, "intendedContractStartOn", day(60));
    await page.getByLabel("Lot 1: Standard residential").check();
    await page.getByLabel("Lot 2: Complex needs and therapeutic").check();
    await page.getByRole("button", { name: "Save draft" }).click();
    const message = "The time of the clarification deadline must be a real time, like 17:00 or 5pm";
    await expect(summary.getByRole("link", { name: message })).toHaveAttribute("href", "#clarificationDeadlineAt-time");
    await expect(page.locator("#clarificationDeadlineAt-time-error")).toContainText(message);
    await expect(page.getByLabel("Summary")).toHaveValue("Beds for children who need a home at short notice.");
    await expect(page.locator("#clarificationDeadlineAt-time")).toHaveValue("25:00");
    await expect(page.locator("#submissionDeadlineAt-day")).toHaveValue(parts(day(5)).day);
    await expect(page.getByLabel("Lot 2: Complex needs and therapeutic")).toBeChecked();
    await expect(page).toHaveTitle(/^Error: /);
    await expectAccessible(page);
    await screenshots(page, "tender-edit-error");
    await page.locator("#clarificationDeadlineAt-time").fill("5pm");
    await page.getByRole("button", { name: "Save draft" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText("Draft tender saved");
    await expect(page.locator("main")).toContainText(`5pm on`);
    await expect(page.getByRole("link", { name: "Change the questionnaire" })).toHaveAttribute("href", `/tenders/${id}/questionnaire`);
    await screenshots(page, "tender-draft-officer");

    // Checking: each problem links to where it is put right.
    await page.getByRole("link", { name: "Check and publish" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Check and publish the tender");
    await expect(summary).toContainText("This tender cannot be published yet");
    const problem = summary.getByRole("link", { name: /Add a price schedule for lot 1/ });
    await expect(problem).toHaveAttribute("href", new RegExp(`^/tenders/${id}/questionnaire#priceSchedule-`));
    await expect(page.getByRole("button", { name: "Publish tender" })).toHaveCount(0);
    await expectAccessible(page);
    await screenshots(page, "tender-publish-problems");

    // The questionnaire is filled (its pages are another part's), then the tender publishes.
    await withDatabase((db) =>
      db.transaction().execute(async (trx) => {
        const t = await trx.selectFrom("tender").select(["version"]).where("id", "=", id).executeTakeFirstOrThrow();
        const lots = await trx.selectFrom("tender_lot").select("lot_id").where("tender_id", "=", id).execute();
        await completeQuestionnaire(trx, { tenderId: id, version: t.version, lotIds: lots.map((l) => l.lot_id) }, systemContext("e2e:tenders"));
      }),
    );
    await page.reload();
    await expect(page.locator(".govuk-error-summary")).toHaveCount(0);
    await expect(page.locator(".govuk-warning-text")).toContainText("The tendering period is 4 days. Outside the light-touch regime it should be at least 25 days");
    await expect(page.locator(".govuk-warning-text").getByRole("link", { name: "Change it" })).toHaveAttribute("href", `/tenders/${id}/edit#submissionDeadlineAt-day`);
    await screenshots(page, "tender-publish-ready");
    await page.getByRole("button", { name: "Publish tender" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText("Tender published");
    await expect(page.locator(".govuk-notification-banner")).toContainText("The tendering period is 4 days");
    await expect(page.locator("main")).toContainText("Open for bids");

    // A provider registers interest (and is emailed the amendment below).
    const provider = await newPage(DEMO.harbourLight.email);
    await visit(provider, `/tenders/${id}`);
    await provider.getByRole("button", { name: "Register interest" }).click();
    await expect(provider.locator(".govuk-notification-banner")).toContainText("You have registered interest in this tender");
    await expect(provider.getByRole("button", { name: "Withdraw interest" })).toBeVisible();
    await screenshots(provider, "tender-provider-interested");

    // Amending a question 5 days before the deadline: the portal proposes a deadline 7 days out, in the boxes.
    await page.getByRole("link", { name: "Amend this tender" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Amend the tender");
    await page.getByRole("button", { name: "Publish amendment" }).click();
    await expect(summary).toContainText("Enter the reason for the amendment");
    await page.getByLabel("Reason for the amendment").fill("Online safety matters as much as safety in the home");
    await page.getByLabel("Question 1.2", { exact: true }).fill("How do you keep children safe, in the home and online?");
    await page.getByRole("button", { name: "Publish amendment" }).click();
    await expect(summary).toContainText("Move the submission deadline to");
    await expect(page.locator(".govuk-inset-text")).toContainText("less than 7 days before the submission deadline");
    // 7 days from now at the deadline's time of day (midday), so the 8th day once today's midday has passed.
    const proposed = utcToUkTime(deadlineSevenDaysOut(new Date(), ukTimeToUtc(`${day(5)}T12:00`, "", "")));
    await expect(page.locator("#submissionDeadlineAt-day")).toHaveValue(parts(proposed.slice(0, 10)).day);
    await expect(page.locator("#submissionDeadlineAt-time")).toHaveValue("12:00");
    await expect(page.getByLabel("Reason for the amendment")).toHaveValue("Online safety matters as much as safety in the home");
    await expect(page.getByLabel("Question 1.2", { exact: true })).toHaveValue("How do you keep children safe, in the home and online?");
    await expectAccessible(page);
    await screenshots(page, "tender-amend-deadline-must-move");
    await page.getByRole("button", { name: "Publish amendment" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText("Amendment 1 published");
    await expect(page.locator("main")).toContainText("Reason: Online safety matters as much as safety in the home");
    await expect(page.locator("main")).toContainText("This changes what providers must submit.");
    await expect(page.locator("main")).toContainText("Harbour Light Children's Homes Ltd");
    await screenshots(page, "tender-amended");

    await page.getByRole("link", { name: "See its history" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("History of the tender");
    const history = page.locator("main ol");
    await expect(history).toContainText("Created a tender");
    await expect(history).toContainText("Published a tender");
    await expect(history).toContainText("Registered interest in a tender");
    await expect(history).toContainText("Amended a published tender");
    await expect(history).toContainText("Reason given");
    await expect(history).toContainText(/Submission deadline: Was midday on \w+day .+, now midday on/);
    await expect(page.locator("main")).not.toContainText(id);
    await expectAccessible(page);
    await screenshots(page, "tender-history");

    await provider.reload();
    await provider.getByRole("button", { name: "Withdraw interest" }).click();
    await expect(provider.locator(".govuk-notification-banner")).toContainText("You have withdrawn your interest in this tender");
    await expect(provider.getByRole("button", { name: "Register interest" })).toBeVisible();

    // Cancelling needs a reason; the tender then says why, for everyone.
    await visit(page, `/tenders/${id}/cancel`);
    await page.getByRole("button", { name: "Cancel tender" }).click();
    await expect(summary).toContainText("Enter the reason for cancelling the tender");
    await expectAccessible(page);
    await screenshots(page, "tender-cancel-error");
    await page.getByLabel("Reason for cancelling").fill("The beds will be bought through the block contract instead");
    await page.getByRole("button", { name: "Cancel tender" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText("Tender cancelled");
    await expect(page.locator("main")).toContainText("Reason: The beds will be bought through the block contract instead");
    await provider.reload();
    await expect(provider.locator("main")).toContainText("This tender was cancelled");
    await expect(provider.getByRole("button", { name: "Register interest" })).toHaveCount(0);
  });

  test("a stale edit in a second tab is told someone else changed the tender, sees both versions and loses nothing", async ({ page, signIn, visit }) => {
    await signIn(page, DEMO.officer.email);
    const id = await createDraft(page, `Stale edit ${Date.now().toString(36)}`);
    const second = await page.context().newPage();
    await visit(second, `/tenders/${id}/edit`);

    await page.getByLabel("Title").fill("Saved first, in the first tab");
    await page.getByRole("button", { name: "Save draft" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText("Draft tender saved");

    const typed = "Typed in the second tab, on the page from before the first save.";
    await second.getByLabel("Summary").fill(typed);
    await second.getByRole("button", { name: "Save draft" }).click();
    await expect(second.locator(".govuk-error-summary")).toContainText("Someone else changed this tender while you were editing it");
    const table = second.getByRole("region", { name: "Saved now and what you typed" });
    await expect(table.getByRole("row", { name: /Title/ })).toContainText("Saved first, in the first tab");
    await expect(table.getByRole("row", { name: /Summary/ })).toContainText(typed);
    await expect(second.getByLabel("Summary")).toHaveValue(typed);
    await expectAccessible(second);
    await screenshots(second, "tender-edit-stale");

    // Saving again is a choice made with both in view: it goes through.
    await second.getByLabel("Title").fill("Saved first, in the first tab");
    await second.getByRole("button", { name: "Save draft" }).click();
    await expect(second.locator(".govuk-notification-banner")).toContainText("Draft tender saved");
    await expect(second.locator("main")).toContainText(typed);
    await expect(second.getByRole("heading", { level: 1 })).toHaveText("Saved first, in the first tab");
  });

  test("a provider withdraws and registers interest with JavaScript off", async ({ newPage }) => {
    // Moorland registered interest when it started its demo bid: it withdraws, then registers again.
    const provider = await newPage(DEMO.moorland.email, undefined, { javaScript: false });
    await provider.goto("/tenders");
    await provider.getByRole("link", { name: "Residential children's homes framework 2027 to 2031: call for providers" }).click();
    await expect(provider.locator("main")).toContainText("Moorland Care Group Ltd has registered interest");
    await provider.getByRole("button", { name: "Withdraw interest" }).click();
    await expect(provider.locator(".govuk-notification-banner")).toContainText("You have withdrawn your interest in this tender");
    await provider.getByRole("button", { name: "Register interest" }).click();
    await expect(provider.locator(".govuk-notification-banner")).toContainText("You have registered interest in this tender");
    await expect(provider.locator("main")).toContainText("Moorland Care Group Ltd has registered interest");
    await expect(provider.getByRole("button", { name: "Withdraw interest" })).toBeVisible();
  });

  test("a draft without dates lists each missing date, linked to its boxes on the edit page", async ({ page, signIn, visit }) => {
    await signIn(page, DEMO.officer.email);
    await visit(page, "/tenders");
    await page.getByRole("link", { name: "Supported living options (16+): higher and medium support" }).click();
    await page.getByRole("link", { name: "Check and publish" }).click();
    const summary = page.locator(".govuk-error-summary");
    const id = tenderId(page);
    await expect(summary.getByRole("link", { name: "Enter the publication date and time" })).toHaveAttribute("href", `/tenders/${id}/edit#publicationAt-day`);
    await expect(summary.getByRole("link", { name: "Enter the submission deadline" })).toHaveAttribute("href", `/tenders/${id}/edit#submissionDeadlineAt-day`);
    await summary.getByRole("link", { name: "Enter the intended award date" }).click();
    await expect(page).toHaveURL(new RegExp(`/tenders/${id}/edit#intendedAwardOn-day$`));
    await expect(page.locator("#intendedAwardOn-day")).toBeVisible();
  });

  test("a draft is not found for a provider or another council's officer, and the list never shows it to them", async ({ page, signIn, visit, newPage }) => {
    await signIn(page, DEMO.officer.email);
    const title = `Westmoor's own draft ${Date.now().toString(36)}`;
    const id = await createDraft(page, title);
    const email = `officer.${Date.now().toString(36)}@tamarmouth.example`;
    await withDatabase((db) =>
      db.transaction().execute(async (trx) => {
        const council = await trx.selectFrom("organisation").select("id").where("name", "=", "Tamarmouth City Council").executeTakeFirstOrThrow();
        await createActiveUser(trx, { organisationId: council.id, email, fullName: "Tamsin Rowe", roles: ["commissioning_officer"], password: PASSWORD }, systemContext("e2e:tenders"));
      }),
    );
    for (const who of [DEMO.harbourLight.email, email]) {
      const other = await newPage(who);
      for (const path of [`/tenders/${id}`, `/tenders/${id}/edit`, `/tenders/${id}/publish`, `/tenders/${id}/history`, `/tenders/${id}/cancel`]) {
        await visit(other, path, { status: 404 });
      }
      await visit(other, "/tenders");
      await expect(other.locator("main")).not.toContainText(title);
    }
  });
});
