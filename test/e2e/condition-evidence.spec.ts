// Evidence on a request to participate in the browser, on the demo's
// two-stage tender taking requests: Moorland Care attaches its Ofsted
// certificate from its evidence library (the expired insurance certificate is
// refused beside the field, what was ticked kept), uploads a file and removes
// it, sees both conditions' evidence on check your answers and submits; the
// officer sees the evidence on the request and downloads it; another
// provider asking for that file is told it does not exist. Axe runs on every page.
import { DEMO, expect, expectAccessible, test, type Page } from "./support/fixtures";
import { screenshots } from "./support/screenshots";

const REQUESTS_OPEN = "Block beds for children with complex needs, 2027 (two stages)";
const MOORLAND = "Moorland Care Group Ltd";

async function openTender(page: Page, visit: (page: Page, path: string) => Promise<unknown>, title: string) {
  await visit(page, "/tenders");
  await page.getByRole("link", { name: title }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
}

test.describe("Evidence on a request to participate", () => {
  test.describe.configure({ mode: "serial" });
  let fileUrl = "";

  test("a provider attaches library documents and a file to its conditions, is refused an expired one, checks and submits", async ({ page, signIn, visit }) => {
    await signIn(page, DEMO.moorland.email);
    await openTender(page, visit, REQUESTS_OPEN);
    // After competitive-flexible.spec.ts Moorland Care has registered interest and started its request; alone, this spec does both.
    const register = page.getByRole("button", { name: "Register interest" });
    const withdraw = page.getByRole("button", { name: "Withdraw interest" });
    await expect(register.or(withdraw)).toBeVisible();
    if (await register.isVisible()) await register.click();
    await expect(withdraw).toBeVisible();
    await page.getByRole("link", { name: "Request to participate" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your request to participate");
    const start = page.getByRole("button", { name: "Start your request" });
    const tasks = page.getByRole("link", { name: "Check your answers and submit" });
    await expect(start.or(tasks)).toBeVisible();
    if (await start.isVisible()) await start.click();
    await expect(tasks).toBeVisible();

    await page.getByRole("link", { name: /^1\.1 / }).click();
    await expect(page.getByRole("heading", { name: "Evidence", level: 2 })).toBeVisible();
    const library = page.getByRole("group", { name: "Choose documents to attach" });
    await expect(library.getByText(/^Expired on .*: cannot be attached$/)).toBeVisible();
    await expectAccessible(page);
    await screenshots(page, "condition-evidence-empty");

    // The expired certificate is refused beside the field, with what was ticked kept.
    await library.getByLabel(/^Employer's liability insurance, policy EL-77310/).check();
    await library.getByLabel(/^Ofsted registration certificate/).check();
    await page.getByRole("button", { name: "Attach chosen documents" }).click();
    await expect(page.locator("#documents-error")).toContainText("Employer's liability insurance, policy EL-77310\" expired on");
    await expect(page.locator(".govuk-error-summary")).toContainText("expired on");
    await expect(page.getByRole("group", { name: "Choose documents to attach" }).getByLabel(/^Ofsted registration certificate/)).toBeChecked();
    await expectAccessible(page);
    await screenshots(page, "condition-evidence-refused");

    await page.getByRole("group", { name: "Choose documents to attach" }).getByLabel(/^Employer's liability insurance/).uncheck();
    await page.getByRole("button", { name: "Attach chosen documents" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText("1 document attached from your evidence library");
    await expect(page.getByRole("link", { name: /^Ofsted registration certificate, from the evidence library, valid until/ })).toBeVisible();

    // An upload, then removed: the list goes back to the library document alone.
    await page.getByLabel("Upload a file").setInputFiles({ name: "inspection-report.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n% Moorland inspection report\n%%EOF\n") });
    // With JavaScript the file goes with a progress bar, and the page reloads once it is stored.
    await page.getByRole("button", { name: "Upload file" }).click();
    await expect(page.getByRole("link", { name: "inspection-report.pdf" })).toBeVisible();
    await expectAccessible(page);
    await screenshots(page, "condition-evidence-attached");
    await page.getByRole("button", { name: "Remove inspection-report.pdf" }).click();
    await expect(page.getByRole("link", { name: "inspection-report.pdf" })).toHaveCount(0);

    // The answer itself, then the other conditions.
    await page.getByRole("group", { name: "Does your organisation meet this condition?" }).getByLabel("Yes").check();
    await page.getByLabel("How does your organisation meet it?").fill("Ofsted URN SC398877, Outstanding: the certificate is attached");
    await page.getByRole("button", { name: "Save and continue" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText("Your answer to condition 1.1 has been saved");
    await page.getByRole("link", { name: /^1\.2 / }).click();
    await page.getByRole("group", { name: "Does your organisation meet this condition?" }).getByLabel("Yes").check();
    await page.getByLabel("How does your organisation meet it?").fill("Moor Insurance policy MI-7781, £10 million");
    await page.getByRole("button", { name: "Save and continue" }).click();
    await page.getByRole("link", { name: /^1\.3 / }).click();
    await page.getByLabel("I make this declaration on behalf of my organisation").check();
    await page.getByRole("button", { name: "Save and continue" }).click();

    await page.getByRole("link", { name: "Check your answers and submit" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Check your request to participate");
    const evidence = page.getByRole("link", { name: /^Ofsted registration certificate, from the evidence library/ });
    await expect(evidence).toBeVisible();
    const download = await page.request.get((await evidence.getAttribute("href"))!);
    expect(download.status()).toBe(200);
    expect(download.headers()["content-type"]).toBe("application/pdf");
    await expectAccessible(page);
    await screenshots(page, "condition-evidence-check");
    await page.getByRole("button", { name: "Submit request" }).click();
    await expect(page.getByRole("alert", { name: "Success" })).toContainText("Your request to participate has been submitted");
  });

  test("the officer sees the evidence on the request and downloads it; another provider is told the file does not exist", async ({ page, signIn, visit, newPage }) => {
    await signIn(page, DEMO.officer.email);
    await openTender(page, visit, REQUESTS_OPEN);
    await page.getByRole("link", { name: "Requests to participate" }).click();
    await page.getByRole("link", { name: MOORLAND }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Request from ${MOORLAND}`);
    const evidence = page.getByRole("link", { name: /^Ofsted registration certificate, from the evidence library/ });
    await expect(evidence).toBeVisible();
    fileUrl = (await evidence.getAttribute("href"))!;
    expect(fileUrl).toMatch(/\/participation\/files\//);
    const download = await page.request.get(fileUrl);
    expect(download.status()).toBe(200);
    expect((await download.body()).subarray(0, 5).toString()).toBe("%PDF-");
    await expectAccessible(page);
    await screenshots(page, "condition-evidence-officer");

    const other = await newPage(DEMO.harbourLight.email);
    expect((await other.request.get(fileUrl)).status()).toBe(404);
    expect((await other.request.get(fileUrl.replace("/participation/", "/participate/"))).status()).toBe(404);
  });
});
