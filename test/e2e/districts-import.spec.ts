// An administrator imports postcode district centres: a preview with the
// counts and line-numbered errors first, then Apply; a file with problems
// cannot be applied; nobody else may import.
import { DEMO, expect, test, visit, type Page } from "./support/fixtures";

function csv(name: string, text: string) {
  return { name, mimeType: "text/csv", buffer: Buffer.from(text, "utf8") };
}

async function upload(page: Page, file: { name: string; mimeType: string; buffer: Buffer }) {
  await visit(page, "/admin/districts");
  await page.getByLabel("Upload a file of district locations").setInputFiles(file);
  await page.getByRole("button", { name: "Check the file" }).click();
}

function row(page: Page, key: string) {
  return page.locator(".govuk-summary-list__row").filter({ has: page.locator("dt", { hasText: new RegExp(`^${key.replace(/[()]/g, "\\$&")}$`) }) });
}

test.describe("Postcode district import", () => {
  test.describe.configure({ mode: "serial" });

  test("a good file is previewed with its counts and first rows, then imported and listed", async ({ page, signIn, expectAccessible }) => {
    await signIn(page, DEMO.admin.email);
    await visit(page, "/admin/districts");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Postcode districts");
    const located = Number(/(\d+) districts are/.exec((await page.locator("main").textContent()) ?? "")?.[1]);
    expect(located).toBeGreaterThan(50);

    // ZE1 and ZE2 are new (Shetland, far from the demo); EX4 is already known and is given again unchanged.
    const known = "EX4,50.7312,-3.5181";
    await upload(page, csv("shetland.csv", `outcode,latitude,longitude,town\nZE1,60.1553,-1.1450,Lerwick\nze2,60.3035,-1.2710,Brae\n${known}\n`));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Check shetland.csv");
    await expect(row(page, "Format")).toContainText("District centres (outcode, latitude, longitude)");
    await expect(row(page, "Rows read")).toContainText("3");
    await expect(row(page, "New districts")).toContainText("2");
    const newRows = page.getByRole("table", { name: "New districts" }).locator("tbody tr");
    await expect(newRows).toHaveCount(2);
    await expect(newRows.first()).toContainText("ZE1");
    await expectAccessible(page);

    await page.getByRole("button", { name: "Import these districts" }).click();
    await expect(page).toHaveURL(/\/admin\/districts$/);
    await expect(page.locator(".govuk-notification-banner")).toContainText("Imported shetland.csv");
    await expect(page.locator(".govuk-notification-banner")).toContainText("2 districts added");
    await expect(page.locator("main")).toContainText(`${located + 2} districts are located`);
    const latest = page.getByRole("table", { name: "Latest imports" }).locator("tbody tr").first();
    await expect(latest).toContainText("shetland.csv");
    await expect(latest).toContainText(DEMO.admin.name);

    // The same file again changes nothing new.
    await upload(page, csv("shetland.csv", `outcode,latitude,longitude\nZE1,60.1553,-1.1450\nZE2,60.3100,-1.2710\n`));
    await expect(row(page, "New districts")).toContainText("0");
    await expect(row(page, "Districts that move")).toContainText("1");
    await expect(row(page, "Districts unchanged")).toContainText("1");
    await expect(page.getByRole("table", { name: "Districts that move" })).toContainText("60.3035, -1.271");
  });

  test("an ONS Postcode Directory extract is averaged per district, with rows without a location skipped", async ({ page, signIn }) => {
    await signIn(page, DEMO.admin.email);
    await upload(page, csv("onspd.csv", `pcd,lat,long\n"ZE3 9JP",59.9,-1.3\nZE3 9JQ,59.8,-1.3\nZE3 9ZZ,99.999999,0.000000\n`));
    await expect(row(page, "Format")).toContainText("ONS Postcode Directory");
    await expect(row(page, "Rows without a location (skipped)")).toContainText("1");
    await expect(page.getByRole("table", { name: "New districts" })).toContainText("59.85");
    await expect(page.locator("main")).not.toContainText("9JP");
  });

  test("a file with problems lists them by line and cannot be imported; no file and a file of another kind are refused", async ({
    page,
    signIn,
    expectAccessible,
  }) => {
    await signIn(page, DEMO.admin.email);
    await upload(page, csv("bad.csv", "outcode,latitude,longitude\nZE4,60.1,-1.2\nNOT A CODE,60.1,-1.2\nZE5,95,-1.2\nZE4,60.2,-1.2\n"));
    await expect(page).toHaveTitle(/^Error: /);
    await expect(
      page.locator(".govuk-error-summary").getByRole("link", { name: "The file has 3 problems, listed by line below: correct them and upload it again" })
    ).toHaveAttribute("href", "#file");
    await expect(page.locator("#file-error")).toBeVisible();
    const problems = page.getByRole("table", { name: "Lines with problems" }).locator("tbody tr");
    await expect(problems).toHaveCount(3);
    const cells = async (n: number) => (await problems.nth(n).locator("td").allTextContents()).map((t) => t.trim());
    expect(await cells(0)).toEqual(["3", '"NOT A CODE" is not a postcode district (like EX4 or PL12)']);
    expect(await cells(1)).toEqual(["4", 'Latitude "95" is not a number between 49 and 61']);
    expect(await cells(2)).toEqual(["5", "District ZE4 is listed twice (first on line 2)"]);
    await expect(page.getByRole("button", { name: "Import these districts" })).toHaveCount(0);
    await expectAccessible(page);

    await upload(page, csv("columns.csv", "outcode,lat,lng\nZE4,60.1,-1.2\n"));
    await expect(page.getByRole("table", { name: "Lines with problems" })).toContainText("The header has no latitude or longitude column");

    await visit(page, "/admin/districts");
    await page.getByRole("button", { name: "Check the file" }).click();
    await expect(page.locator(".govuk-error-summary").getByRole("link", { name: "Select a CSV file of postcode districts" })).toHaveAttribute("href", "#file");
    await expect(page.locator("#file-error")).toBeVisible();
    await expectAccessible(page);

    await upload(page, { name: "map.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n%\xe2\xe3\n", "latin1") });
    await expect(page.locator(".govuk-error-summary")).toContainText("The selected file must be a CSV file");
  });

  test("only administrators may import", async ({ page, signIn }) => {
    for (const user of [DEMO.officer, DEMO.harbourLight]) {
      await signIn(page, user.email);
      await visit(page, "/admin/districts", { status: 403 });
      await page.context().clearCookies();
    }
  });
});
