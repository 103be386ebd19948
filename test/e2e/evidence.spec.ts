// A provider's evidence library in the browser: the demo's documents with
// their status, adding one (with and without JavaScript), replacing it while
// keeping the earlier version, downloading it, and another provider's
// documents answering "not found".
import fs from "node:fs";
import path from "node:path";
import { DEMO, expect, test } from "./support/fixtures";
import { checkWidths } from "./support/users";

const FIXTURES = path.join(import.meta.dirname, "../fixtures/files");
const docx = path.join(FIXTURES, "method-statement.docx");

/** A date this many days from today, as the boxes take it. */
function daysAhead(days: number): { day: string; month: string; year: string } {
  const d = new Date(Date.now() + days * 86_400_000);
  return { day: String(d.getUTCDate()), month: String(d.getUTCMonth() + 1), year: String(d.getUTCFullYear()) };
}

test.describe("The evidence library", () => {
  test("lists the demo provider's documents with their status and opens each, with its versions", async ({ newPage, expectAccessible }) => {
    const page = await newPage(DEMO.harbourLight.email);
    await page.locator("#navigation").getByRole("link", { name: "Evidence", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Evidence library");
    const rows = page.locator("tbody tr");
    await expect(rows.filter({ hasText: "Employer's liability insurance" })).toContainText("Expired");
    await expect(rows.filter({ hasText: "Public liability insurance" })).toContainText("Expires soon");
    await expect(rows.filter({ hasText: "Safeguarding" })).toContainText("No expiry date");
    await expect(page.locator(".govuk-inset-text")).toContainText("2 documents have expired or expire within 30 days");
    await expectAccessible(page);
    await checkWidths(page, "evidence-list");

    await page.getByRole("link", { name: "Professional indemnity insurance, policy PI-5120" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Professional indemnity insurance, policy PI-5120");
    await expect(page.getByRole("table", { name: "All versions" }).locator("tbody tr")).toHaveCount(2);
    await expectAccessible(page);
    await checkWidths(page, "evidence-document");
    // The earlier version says it was replaced and links to the current one.
    await page.getByRole("table", { name: "All versions" }).getByRole("link").first().click();
    await expect(page.locator(".govuk-inset-text")).toContainText("This is an earlier version");
    await expect(page.getByRole("button", { name: "Replace with a renewed document" })).toHaveCount(0);
    await expectAccessible(page);
  });

  test("adding a document says what is wrong beside each field, keeps what was typed, then stores it; replacing keeps the old version", async ({
    newPage,
    expectAccessible,
  }) => {
    const page = await newPage(DEMO.moorland.email);
    await page.goto("/evidence");
    await page.getByRole("button", { name: "Add a document" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Add a document");
    await expectAccessible(page);
    await checkWidths(page, "evidence-new");

    // An insurance certificate with no expiry date and no file.
    await page.getByLabel("Kind of document").selectOption({ label: "Public liability insurance certificate" });
    await page.getByLabel("Title").fill("Public liability, Tamar Mutual");
    await page.getByRole("button", { name: "Add document" }).click();
    const summary = page.locator(".govuk-error-summary");
    await expect(summary.getByRole("link")).toHaveText(["Enter the date the public liability insurance certificate expires"]);
    await expect(page.locator("#expiresOn-error")).toBeVisible();
    await expect(page.getByLabel("Title")).toHaveValue("Public liability, Tamar Mutual");
    await expect(page.getByLabel("Kind of document")).toHaveValue("public_liability_insurance");
    await expectAccessible(page);
    await checkWidths(page, "evidence-new-errors");

    // A date that is not a date.
    await page.getByLabel("Day").fill("31");
    await page.getByLabel("Month").fill("2");
    await page.getByLabel("Year").fill("2028");
    await page.getByRole("button", { name: "Add document" }).click();
    await expect(summary.getByRole("link")).toHaveText(["Expiry date must be a real date"]);
    await expect(page.getByLabel("Day")).toHaveValue("31");

    // A wrong kind of file.
    const date = daysAhead(200);
    await page.getByLabel("Day").fill(date.day);
    await page.getByLabel("Month").fill(date.month);
    await page.getByLabel("Year").fill(date.year);
    await page.getByLabel("File").setInputFiles(path.join(FIXTURES, "program.pdf"));
    await page.getByRole("button", { name: "Add document" }).click();
    await expect(page.locator("#file-error")).toContainText("The selected file must be a");
    await expectAccessible(page);

    await page.getByLabel("File").setInputFiles(docx);
    await page.getByRole("button", { name: "Add document" }).click();
    await expect(page).toHaveURL(/\/evidence\/[0-9a-f-]{36}$/);
    await expect(page.locator(".govuk-notification-banner")).toContainText("Document added to your evidence library");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Public liability, Tamar Mutual");
    await expect(page.locator(".govuk-summary-list")).toContainText("method-statement.docx");
    const documentUrl = page.url();

    // The download is the very file uploaded.
    const download = await page.request.get(`${new URL(documentUrl).pathname}/file`);
    expect(download.status()).toBe(200);
    expect(download.headers()["content-type"]).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    expect((await download.body()).equals(fs.readFileSync(docx))).toBe(true);

    await page.getByRole("button", { name: "Replace with a renewed document" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Replace Public liability, Tamar Mutual");
    await expect(page.getByLabel("Title")).toHaveValue("Public liability, Tamar Mutual");
    await expectAccessible(page);
    await checkWidths(page, "evidence-replace");
    const renewed = daysAhead(560);
    await page.getByLabel("Day").fill(renewed.day);
    await page.getByLabel("Month").fill(renewed.month);
    await page.getByLabel("Year").fill(renewed.year);
    await page.getByLabel("File").setInputFiles(path.join(FIXTURES, "policy.odt"));
    await page.getByRole("button", { name: "Replace document" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText("Document replaced");
    await expect(page.getByRole("table", { name: "All versions" }).locator("tbody tr")).toHaveCount(2);
    await expect(page.locator(".govuk-summary-list")).toContainText("policy.odt");
    await expectAccessible(page);
    // The old address now shows the earlier version, still downloadable.
    await page.goto(documentUrl);
    await expect(page.locator(".govuk-inset-text")).toContainText("This is an earlier version");
    expect((await page.request.get(`${new URL(documentUrl).pathname}/file`)).status()).toBe(200);
  });

  test("adding a document works without JavaScript", async ({ newPage }) => {
    const page = await newPage(DEMO.moorland.email, undefined, { javaScript: false });
    await page.goto("/evidence/new");
    await page.getByLabel("Kind of document").selectOption({ label: "Safeguarding policy" });
    await page.getByRole("button", { name: "Add document" }).click();
    await expect(page.locator("#file-error")).toContainText("Select a file");
    await expect(page.getByLabel("Kind of document")).toHaveValue("safeguarding_policy");
    await page.getByLabel("File").setInputFiles(path.join(FIXTURES, "policy.odt"));
    await page.getByRole("button", { name: "Add document" }).click();
    await expect(page).toHaveURL(/\/evidence\/[0-9a-f-]{36}$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Safeguarding policy");
  });

  test("another provider's document, its file and its replace page are not found; council staff are refused", async ({ newPage, visit }) => {
    const harbour = await newPage(DEMO.harbourLight.email);
    await harbour.goto("/evidence");
    await harbour.locator("tbody tr").first().getByRole("link").click();
    await harbour.waitForURL(/\/evidence\/[0-9a-f-]{36}$/);
    const documentPath = new URL(harbour.url()).pathname;

    const moorland = await newPage(DEMO.moorland.email);
    await visit(moorland, documentPath, { status: 404 });
    await visit(moorland, `${documentPath}/replace`, { status: 404 });
    expect((await moorland.request.get(`${documentPath}/file`)).status()).toBe(404);

    const officer = await newPage(DEMO.officer.email);
    await visit(officer, "/evidence", { status: 403 });
    await visit(officer, documentPath, { status: 403 });
    expect((await officer.request.get(`${documentPath}/file`)).status()).toBe(403);
  });
});
