import fs from "node:fs";
import { withDatabase } from "./support/database";
import { DEMO, expect, newContextWithoutJavaScript, test, type Page } from "./support/fixtures";

/** RFC 4180 CSV: quoted fields may hold commas, quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const CSV_HEADER = [
  "Sequence",
  "Time (UK)",
  "Time (UTC ISO)",
  "Person",
  "Roles",
  "Organisation",
  "Action",
  "Summary",
  "Records",
  "Reason",
  "Before (JSON)",
  "After (JSON)",
  "Request ID",
  "Client address",
  "Hash",
  "Records (names)",
  "Changes (in words)",
];

test.describe("The audit trail", () => {
  test("an officer browses the trail and filters it by action and by person", async ({ page, signIn, visit, expectAccessible }) => {
    await signIn(page, DEMO.officer.email);
    await page.getByRole("link", { name: "Audit trail", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Audit trail");
    const rows = page.locator("table.govuk-table tbody tr");
    await expect(rows.first()).toBeVisible();
    expect(await rows.count()).toBeGreaterThan(1);
    await expectAccessible(page);
    // Only administrators sign checkpoints on demand.
    await expect(page.getByRole("button", { name: "Sign a checkpoint now" })).toHaveCount(0);

    await page.getByLabel("Action").selectOption({ label: "Signed in" });
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/[?&]action=user\.signed_in(&|$)/);
    await expect(page.getByLabel("Action")).toHaveValue("user.signed_in");
    const actionCells = rows.locator("td:nth-child(4) strong");
    await expect(actionCells.filter({ hasNotText: /^Signed in$/ })).toHaveCount(0);
    await expect(actionCells.first()).toHaveText("Signed in");
    await expect(rows.filter({ hasText: `${DEMO.officer.name} signed in` }).first()).toBeVisible();
    await expectAccessible(page);

    // Person and action together: only this officer's sign-ins.
    await page.getByLabel("Person").fill(DEMO.officer.email);
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/[?&]person=/);
    await expect(page.getByLabel("Person")).toHaveValue(DEMO.officer.name);
    await expect(rows.locator("td:nth-child(3)").filter({ hasNotText: new RegExp(`^${DEMO.officer.name}`) })).toHaveCount(0);
    await expect(rows.locator("td:nth-child(4)").filter({ hasNotText: `${DEMO.officer.name} signed in` })).toHaveCount(0);
    await expect(rows.first()).toContainText(`${DEMO.officer.name} signed in`);

    // Changing only the action keeps the chosen person.
    await page.getByLabel("Action").selectOption({ label: "Signed out" });
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/[?&]actorUserId=[0-9a-f-]{36}/);
    await expect(page.getByLabel("Person")).toHaveValue(DEMO.officer.name);

    // A name several people share is offered as a choice, keeping the other filters.
    await page.getByLabel("Action").selectOption({ label: "Signed in" });
    // ("officer" is in the demo's officer@, officer2@ and chief.officer@, and in any officer an earlier spec added.)
    const sharing = await withDatabase(async (db) =>
      Number((await db.selectFrom("app_user").select((eb) => eb.fn.countAll<string>().as("n")).where((eb) => eb.or([eb("full_name", "ilike", "%officer%"), eb("email", "ilike", "%officer%")])).executeTakeFirstOrThrow()).n),
    );
    expect(sharing).toBeGreaterThanOrEqual(3);
    await page.getByLabel("Person").fill("officer");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page.locator(".govuk-error-summary")).toContainText(`${sharing} people match 'officer'`);
    await expect(page.getByLabel("Person")).toHaveValue("officer");
    await expectAccessible(page);
    await page.getByRole("list", { name: "People who match" }).getByRole("link", { name: DEMO.officer.name }).click();
    await expect(page).toHaveURL(/[?&]action=user\.signed_in(&|$)/);
    await expect(page.getByLabel("Person")).toHaveValue(DEMO.officer.name);
    await expect(rows.first()).toContainText(`${DEMO.officer.name} signed in`);

    // Clearing the filters shows other people's events again.
    await page.getByRole("link", { name: "Clear filters" }).click();
    await expect(page).toHaveURL(/\/audit$/);
    await expect(rows.locator("td:nth-child(4) strong").filter({ hasNotText: /^Signed in$/ }).first()).toBeVisible();
    await visit(page, "/audit?action=user.signed_in&to=2000-01-01");
    await expect(page.getByText("No events match these filters.")).toBeVisible();
  });

  // A bug found from outside, fixed, and kept fixed by this test: with
  // JavaScript, "Clear filters" showed the whole trail but left the old filter
  // in the boxes (defaultValue is applied only when a box is first rendered).
  test("'Clear filters' empties the filter boxes", async ({ page, signIn, visit }) => {
    await signIn(page, DEMO.officer.email);
    await visit(page, "/audit?action=user.signed_in&from=2020-01-01");
    // The page as the server wrote it shows the chosen action (its options are written as HTML, decision 042).
    await expect(page.getByLabel("Action")).toHaveValue("user.signed_in");
    await page.getByRole("link", { name: "Clear filters" }).click();
    await expect(page).toHaveURL(/\/audit$/);
    await expect(page.getByLabel("Action")).toHaveValue("");
    await expect(page.locator("#from-year")).toHaveValue("");
  });

  test("an impossible date in the filter is explained in an error summary", async ({ page, signIn, visit }) => {
    await signIn(page, DEMO.officer.email);
    await visit(page, "/audit?from-day=30&from-month=2&from-year=2026");
    const summary = page.locator(".govuk-error-summary");
    await expect(summary.getByRole("link", { name: "Date from must be a real date" })).toHaveAttribute("href", "#from-day");
    await expect(page.locator("#from-error")).toContainText("Date from must be a real date");
    await expect(page.getByRole("group", { name: "Date from" })).toHaveAttribute("aria-describedby", /from-error/);
    // What was typed stays in the boxes.
    await expect(page.locator("#from-day")).toHaveValue("30");
    await expect(page.locator("#from-month")).toHaveValue("2");
    await expect(page.locator("#from-year")).toHaveValue("2026");
    await expect(page.locator("table.govuk-table")).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Export these events as CSV" })).toHaveCount(0);

    await visit(page, "/audit?from-day=10&from-month=3&from-year=2026&to-day=1&to-month=3&to-year=2026");
    await expect(summary.getByRole("link", { name: "Date to must be the same as or after date from" })).toHaveAttribute("href", "#to-day");

    await visit(page, "/audit?from-day=27&from-month=&from-year=2026");
    await expect(summary.getByRole("link", { name: "Date from must include a month" })).toHaveAttribute("href", "#from-month");
    await expect(page.locator("#from-month")).toHaveClass(/govuk-input--error/);
    await expect(page.locator("#from-day")).not.toHaveClass(/govuk-input--error/);

    // The CSV export refuses the same filter rather than exporting everything.
    const csv = await page.request.get("/audit/export.csv?from=2026-02-30");
    expect(csv.status()).toBe(400);
  });

  test("filters by UK dates typed in the date input, with and without JavaScript", async ({ page, signIn, browser, baseURL }) => {
    await signIn(page, DEMO.officer.email);
    const today = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", day: "numeric", month: "numeric", year: "numeric" })
      .format(new Date())
      .split("/");
    const fillDates = async (p: Page, field: "from" | "to", [day, month, year]: string[]) => {
      await p.locator(`#${field}-day`).fill(day!);
      await p.locator(`#${field}-month`).fill(month!);
      await p.locator(`#${field}-year`).fill(year!);
    };
    await page.goto("/audit");
    await expect(page.getByRole("group", { name: "Date from" })).toContainText("For example, 27 3 2025");
    await expect(page.locator("#from-day")).toHaveAttribute("inputmode", "numeric");
    await fillDates(page, "from", today);
    await fillDates(page, "to", today);
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/from-day=/);
    // The demo data was made today, so today's events are all there, and the boxes keep the dates.
    await expect(page.locator("table.govuk-table tbody tr").first()).toBeVisible();
    await expect(page.locator("#to-year")).toHaveValue(today[2]!);
    // A day in the past has no events.
    await fillDates(page, "from", ["1", "1", "2000"]);
    await fillDates(page, "to", ["2", "1", "2000"]);
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page.getByText("No events match these filters.")).toBeVisible();

    // Without JavaScript: the same GET form, and the error summary links to the box to fix.
    const context = await newContextWithoutJavaScript(browser, baseURL);
    const noJs = await context.newPage();
    await signIn(noJs, DEMO.officer.email);
    await noJs.goto("/audit");
    await fillDates(noJs, "from", ["27", "", "2025"]);
    await noJs.getByRole("button", { name: "Apply filters" }).click();
    const summary = noJs.locator(".govuk-error-summary");
    await expect(summary.getByRole("link", { name: "Date from must include a month" })).toHaveAttribute("href", "#from-month");
    await expect(noJs.locator("#from-day")).toHaveValue("27");
    await fillDates(noJs, "from", today);
    await fillDates(noJs, "to", today);
    await noJs.getByRole("button", { name: "Apply filters" }).click();
    await expect(noJs.locator(".govuk-error-summary")).toHaveCount(0);
    await expect(noJs.locator("table.govuk-table tbody tr").first()).toBeVisible();
    await context.close();
  });

  test("pages to older events and back to newer ones, keeping the filter", async ({ page, signIn, visit }) => {
    await signIn(page, DEMO.admin.email);
    await visit(page, "/audit?subjectType=home");
    const numbers = () => page.locator("table.govuk-table tbody tr td:first-child").allTextContents();
    const first = await numbers();
    expect(first).toHaveLength(50);
    await expect(page.getByRole("link", { name: "Newer events" })).toHaveCount(0);
    await expect(page.getByText(/^Showing 50 events, newest first, from /)).toBeVisible();
    await page.getByRole("link", { name: "Older events" }).click();
    await expect(page).toHaveURL(/subjectType=home.*before=\d+/);
    const firstCell = page.locator("table.govuk-table tbody tr td:first-child").first();
    await expect(firstCell).not.toHaveText(first[0]!);
    const second = await numbers();
    expect(Number(second[0])).toBeLessThan(Number(first.at(-1)));
    await page.getByRole("link", { name: "Newer events" }).click();
    await expect(page).toHaveURL(/subjectType=home.*after=\d+/);
    await expect(firstCell).toHaveText(first[0]!);
    expect(await numbers()).toEqual(first);
    await expect(page.getByRole("link", { name: "Newer events" })).toHaveCount(0);
    await expect(page.getByLabel("Record type")).toHaveValue("home");
  });

  test("sends the rows once, in the table, and keeps them once the page's JavaScript has taken over", async ({ page, signIn, visit }) => {
    const consoleErrors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    await signIn(page, DEMO.admin.email);
    const html = await (await visit(page, "/audit")).text();
    const table = html.slice(html.indexOf("<tbody"), html.indexOf("</tbody>"));
    const historyLinks = [...table.matchAll(/href="(\/audit\/records\/[^"]+)"/g)].map(([, href]) => href!);
    expect(historyLinks.length).toBeGreaterThanOrEqual(50);
    // Remix's copy of the page's data, in the page's scripts, holds none of the rows (decision 026).
    const scripts = [...html.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map(([, script]) => script).join("\n");
    expect(scripts).not.toContain("History of ");
    for (const href of historyLinks) expect(scripts).not.toContain(href);
    expect(table.match(/<tr>/g)).toHaveLength(50);
    // Nor the Action filter's hundred options, which are in the select alone (decision 042).
    const select = html.slice(html.indexOf('<select class="govuk-select" id="action"'), html.indexOf("</select>", html.indexOf('id="action"')));
    expect(select.match(/<option /g)!.length).toBeGreaterThan(50);
    expect(select).toContain(">Accepted an invitation</option>");
    expect(scripts).not.toContain("Accepted an invitation");
    expect(scripts).not.toContain("user.invitation_accepted");

    const rows = page.locator("table.govuk-table tbody tr");
    await page.waitForFunction(() => (window as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter?.state.initialized === true);
    await expect(rows).toHaveCount(50);
    // Once the page's JavaScript has taken over, the select still offers every action, with none chosen.
    await expect(page.getByLabel("Action").locator("option")).toHaveCount(select.match(/<option /g)!.length);
    await expect(page.getByLabel("Action")).toHaveValue("");
    const before = await page.locator("table.govuk-table tbody").innerHTML();
    // Signing a checkpoint reloads the trail's data in the page: the rows then come as data.
    await page.getByRole("button", { name: "Sign a checkpoint now" }).click();
    await expect(rows.first().locator("td").nth(3)).toContainText("Signed an audit checkpoint");
    await expect(rows).toHaveCount(50);
    expect(await page.locator("table.govuk-table tbody").innerHTML()).not.toBe(before);
    expect(consoleErrors).toEqual([]);
  });

  test("finds a record by its name and shows its history in words, with the exact JSON one click away", async ({ page, signIn, visit }) => {
    await signIn(page, DEMO.officer.email);
    await visit(page, "/audit");
    await page.getByLabel("Record", { exact: true }).fill("Harbour Light");
    await page.getByLabel("Record type").selectOption({ label: "Organisation" });
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page.getByLabel("Record", { exact: true })).toHaveValue("Harbour Light Children's Homes Ltd");
    const link = page.locator("table.govuk-table tbody tr").getByRole("link", { name: "History of Harbour Light Children's Homes Ltd" }).first();
    await link.click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Organisation: Harbour Light Children's Homes Ltd");
    const created = page.locator("ol.portal-audit-history > li").filter({ hasText: "Created an organisation" });
    await expect(created.getByRole("heading", { name: "What was recorded" })).toBeVisible();
    await expect(created.locator(".govuk-summary-list__row").filter({ hasText: "Companies House number" })).toContainText("09876543");
    await expect(created.locator(".govuk-summary-list__row").filter({ hasText: "Kind" })).toContainText("Provider");
    await expect(created).toContainText("Set up by the demo data");
    for (const list of await created.locator("dl").all()) await expect(list).not.toContainText("companiesHouseNumber");
    const details = created.locator("details");
    await expect(details.locator("pre")).not.toBeVisible();
    await details.getByText("Exact record (JSON)").click();
    await expect(details.locator("pre")).toContainText('"companiesHouseNumber": "09876543"');
    await expect(details).toContainText(/Hash: [0-9a-f]{64}/);
    await expectNoSidewaysScroll(page);
  });

  test("the audit pages reflow at 375 px and at 200% zoom without scrolling sideways", async ({ page, signIn, visit }) => {
    test.setTimeout(180_000);
    await signIn(page, DEMO.admin.email);
    // A failed sign-in: a long email address in the Who column.
    const other = await page.context().browser()!.newContext({ baseURL: new URL(page.url()).origin });
    const attempt = await other.newPage();
    await attempt.goto("/sign-in");
    await attempt.locator("#email").fill("someone.with.a.very.long.address@a-long-council-domain-name.example");
    await attempt.locator("#password").fill("not the password");
    await attempt.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(attempt.locator(".govuk-error-summary")).toBeVisible();
    await other.close();

    await visit(page, "/audit?action=user.sign_in_failed");
    await expect(page.locator("table.govuk-table tbody tr").first()).toContainText(
      "Sign-in attempt as someone.with.a.very.long.address@a-long-council-domain-name.example",
    );
    await expect(page.locator("table.govuk-table tbody tr").first()).not.toContainText("The portal (automatic)");
    const pages = ["/audit", "/audit?action=user.sign_in_failed", "/audit?from-day=31&from-month=2&from-year=2026", "/audit?record=a"];
    await visit(page, "/audit?subjectType=organisation");
    const history = await page.locator("table.govuk-table tbody tr").first().getByRole("link").first().getAttribute("href");
    pages.push(history!);
    // 375 px is a small phone; 640 px is a 1280 px window at 200% zoom.
    for (const width of [375, 640]) {
      await page.setViewportSize({ width, height: 800 });
      for (const path of pages) {
        await page.goto(path);
        // Open the exact JSON too: it is the widest thing on a history page.
        await page.evaluate(() => document.querySelectorAll("details").forEach((d) => d.setAttribute("open", "")));
        await expectNoSidewaysScroll(page, `${path} at ${width} px`);
      }
    }
  });

  test("a record's history lists its events and downloads as a PDF extract", async ({ page, signIn, visit, expectAccessible }) => {
    await signIn(page, DEMO.officer.email);
    await visit(page, "/audit?action=user.signed_in");
    // The link says whose history it opens, by name.
    const historyLink = page.locator("table.govuk-table tbody tr").first().getByRole("link", { name: /^History of [A-Z]/ });
    const href = await historyLink.getAttribute("href");
    expect(href).toMatch(/^\/audit\/records\/user\/[0-9a-f-]{36}$/);
    await historyLink.click();
    await expect(page).toHaveURL(new RegExp(`${href}$`));
    await expect(page.locator(".govuk-caption-l")).toHaveText("History");
    await expect(page.getByRole("heading", { level: 1 })).not.toBeEmpty();
    const events = page.locator("ol.govuk-list > li");
    await expect(events.first()).toBeVisible();
    await expect(events.filter({ hasText: "Signed in" }).first()).toBeVisible();
    await expectAccessible(page);

    const pdfHref = await page.getByRole("link", { name: "Download the audit extract (PDF)" }).getAttribute("href");
    expect(pdfHref).toBe(`${href}.pdf`);
    const pdf = await page.request.get(pdfHref!);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()["content-type"]).toBe("application/pdf");
    const body = await pdf.body();
    expect(body.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(body.length).toBeGreaterThan(1000);

    // An id with no history is not a page.
    await visit(page, "/audit/records/user/00000000-0000-4000-8000-000000000000", { status: 404 });
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  });

  test("the CSV export holds exactly the filtered events, with the documented columns", async ({ page, signIn, visit }) => {
    await signIn(page, DEMO.officer.email);
    await visit(page, "/audit?action=user.signed_in");
    const shown = await page.locator("table.govuk-table tbody tr td:first-child").allTextContents();
    const link = page.getByRole("link", { name: "Export these events as CSV" });
    await expect(link).toHaveAttribute("href", "/audit/export.csv?action=user.signed_in");
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^audit-trail-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = fs.readFileSync((await download.path())!, "utf8").replace(/^\uFEFF/, "");
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual(CSV_HEADER);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row).toHaveLength(CSV_HEADER.length);
      expect(row[6]).toBe("Signed in (user.signed_in)");
      expect(row[14]).toMatch(/^[0-9a-f]{64}$/);
    }
    // Oldest first, and every event the page shows (newest first) is in the file.
    const sequences = rows.map((r) => Number(r[0]));
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    for (const seq of shown) expect(sequences).toContain(Number(seq));
  });
});

/** The page never scrolls sideways: wide content reflows or scrolls inside its own box. */
async function expectNoSidewaysScroll(page: Page, where = page.url()): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(scrollWidth, `page width at ${where}`).toBeLessThanOrEqual(clientWidth);
}
