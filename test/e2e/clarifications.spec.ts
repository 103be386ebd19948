import fs from "node:fs";
import { DEMO, expect, expectAccessible, newContextWithoutJavaScript, PASSWORD, signIn, test, visit, type Page } from "./support/fixtures";
import { readEmail } from "./support/users";

const HARBOUR = "Harbour Light Children's Homes Ltd";

/** The demo tender's id, from the link in the clarification email the seed sent Harbour Light (as an administrator reads it). */
async function demoTenderId(admin: Page): Promise<string> {
  const { text } = await readEmail(admin, DEMO.harbourLight.email, "Clarification 1 published");
  const id = /\/tenders\/([0-9a-f-]{36})\/clarifications/.exec(text)?.[1];
  if (!id) throw new Error(`No clarifications link in the seed's email:\n${text}`);
  return id;
}

test.describe("Clarifications and the documents pack", () => {
  test.describe.configure({ mode: "serial" });
  let tenderId: string;
  const question = `Must each home's manager be registered with Ofsted <b>before</b> we bid? ${Date.now()}`;
  const reworded = "Must a home's registered manager be in post before the bid is submitted?";

  test.beforeAll(async ({ browser, baseURL }) => {
    const context = await browser.newContext({ baseURL });
    const admin = await context.newPage();
    await signIn(admin, DEMO.admin.email);
    tenderId = await demoTenderId(admin);
    await context.close();
  });

  test("a provider asks, an officer answers publicly, the answer appears for everyone and is emailed without naming the asker", async ({ page, browser, baseURL }) => {
    const clarifications = `/tenders/${tenderId}/clarifications`;

    // Harbour Light registered interest in the demo: it may ask. An empty question is refused beside the field.
    await signIn(page, DEMO.harbourLight.email);
    await visit(page, clarifications);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Clarifications");
    await expect(page.locator(".govuk-summary-card")).toContainText("Can a provider offer different homes in different lots?");
    await page.getByRole("button", { name: "Send question" }).click();
    await expect(page.locator(".govuk-error-summary")).toContainText("Enter your question");
    await expect(page.locator("#question-error")).toContainText("Enter your question");
    await expectAccessible(page);
    await page.getByLabel("Your question").fill(question);
    await page.getByRole("button", { name: "Send question" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText("Your question has been sent");
    await expectAccessible(page);
    const own = page.getByRole("region", { name: "Your organisation's questions" });
    // HTML typed in a question is shown as the text typed.
    await expect(own.getByRole("row").filter({ hasText: "<b>before</b>" })).toContainText("Awaiting answer");
    await page.getByRole("link", { name: /<b>before<\/b>/ }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Clarification question");
    await expectAccessible(page);
    const ownQuestion = page.url();

    // Unanswered, it does not exist for another provider.
    const moorlandContext = await browser.newContext({ baseURL });
    const moorland = await moorlandContext.newPage();
    await signIn(moorland, DEMO.moorland.email);
    await visit(moorland, new URL(ownQuestion).pathname, { status: 404 });
    await moorlandContext.close();

    // The officer sees who asked, and answers publicly in other words.
    const officerContext = await browser.newContext({ baseURL });
    const officer = await officerContext.newPage();
    await signIn(officer, DEMO.officer.email);
    await visit(officer, clarifications);
    const waiting = officer.getByRole("region", { name: /Questions awaiting an answer/ });
    await expect(waiting.getByRole("row").filter({ hasText: "<b>before</b>" })).toContainText(HARBOUR);
    await waiting.getByRole("row").filter({ hasText: "<b>before</b>" }).getByRole("link", { name: /Answer/ }).click();
    await expect(officer.getByRole("heading", { level: 1 })).toHaveText("Clarification question");
    await expect(officer.locator(".govuk-summary-list")).toContainText(HARBOUR);
    await expectAccessible(officer);
    // Publishing needs the wording and the answer; what was typed is kept.
    await officer.getByLabel("Publish it to every provider").check();
    await officer.getByLabel("The question as it will be published").fill("");
    await officer.getByRole("button", { name: "Send answer" }).click();
    await expect(officer.locator(".govuk-error-summary")).toContainText("Enter the question as it will be published");
    await expect(officer.locator(".govuk-error-summary")).toContainText("Enter the answer");
    await expect(officer.getByLabel("Publish it to every provider")).toBeChecked();
    await expectAccessible(officer);
    await officer.getByLabel("The question as it will be published").fill(reworded);
    await officer.getByLabel("Answer", { exact: true }).fill("Yes. The registered manager must be in post when you bid.\n\nName them in your answer to question 3.");
    await officer.getByRole("button", { name: "Send answer" }).click();
    await expect(officer.locator(".govuk-notification-banner")).toContainText("Clarification 2 published");
    await expectAccessible(officer);
    await officerContext.close();

    // Everyone sees the reworded question and the answer, never who asked: another provider, and someone not signed in.
    for (const who of ["moorland", "anonymous"] as const) {
      const context = await browser.newContext({ baseURL });
      const other = await context.newPage();
      if (who === "moorland") await signIn(other, DEMO.moorland.email);
      await visit(other, clarifications);
      const card = other.locator(".govuk-summary-card").filter({ hasText: "Clarification 2" });
      await expect(card).toContainText(reworded);
      await expect(card).toContainText("The registered manager must be in post when you bid.");
      await expect(other.locator("main")).not.toContainText(HARBOUR);
      await expect(other.locator("main")).not.toContainText("<b>before</b>");
      // Moorland registered interest when it started its demo bid, so it may ask too; a visitor may not.
      if (who === "moorland") await expect(other.getByLabel("Your question")).toBeVisible();
      else await expect(other.getByLabel("Your question")).toHaveCount(0);
      // Harbour Light's question, now published, shows others only its published words.
      await visit(other, new URL(ownQuestion).pathname);
      await expect(other.getByRole("heading", { level: 1 })).toHaveText("Clarification 2");
      await expect(other.locator("main")).not.toContainText(HARBOUR);
      await expect(other.locator("main")).not.toContainText("<b>before</b>");
      await context.close();
    }

    // Harbour Light sees its question answered, with both wordings.
    await visit(page, new URL(ownQuestion).pathname);
    await expect(page.locator(".govuk-summary-list")).toContainText("Published as clarification 2");
    await expect(page.locator(".govuk-summary-list")).toContainText(reworded);

    // The email is in the outbox for Harbour Light's users (interested), with the reworded question and not the original.
    const adminContext = await browser.newContext({ baseURL });
    const admin = await adminContext.newPage();
    await signIn(admin, DEMO.admin.email);
    const { text } = await readEmail(admin, DEMO.harbourLight.email, "Clarification 2 published");
    expect(text).toContain(reworded);
    expect(text).toContain("The registered manager must be in post when you bid.");
    expect(text).not.toContain("<b>before</b>");
    await adminContext.close();
  });

  test("an officer uploads a document to the published tender with a reason; a provider with interest downloads it, one without is told to register interest", async ({ page, browser, baseURL }) => {
    const documents = `/tenders/${tenderId}/documents`;
    // 2.5MB: more than an ordinary form may send, so this also proves the page takes uploads up to the file store's limit.
    const bytes = Buffer.concat([Buffer.from(`%PDF-1.4\n% Pricing guidance ${Date.now()}\n`), Buffer.alloc(2_500_000, 0x20), Buffer.from("\n%%EOF\n")]);
    await signIn(page, DEMO.officer.email);
    await visit(page, documents);
    await expect(page.getByRole("region", { name: "Documents in the pack" })).toContainText("Service specification");

    // A published tender's documents change only with a reason; the title typed is kept.
    await page.getByLabel("Document title").fill("Pricing guidance");
    await page.getByLabel("File").setInputFiles({ name: "pricing-guidance.pdf", mimeType: "application/pdf", buffer: bytes });
    await page.getByRole("button", { name: "Upload document" }).click();
    await expect(page.locator(".govuk-error-summary")).toContainText("Enter the reason for changing the documents of a published tender");
    await expect(page.getByLabel("Document title")).toHaveValue("Pricing guidance");
    await expectAccessible(page);
    await page.getByLabel("File").setInputFiles({ name: "pricing-guidance.pdf", mimeType: "application/pdf", buffer: bytes });
    await page.getByLabel("Reason for the change").fill("Providers asked how to price one-to-one support");
    await page.getByRole("button", { name: "Upload document" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText('"Pricing guidance" added to the documents');
    await expect(page.locator(".govuk-notification-banner")).toContainText("amendment");
    await expectAccessible(page);

    // Harbour Light registered interest: it downloads the same bytes.
    const harbourContext = await browser.newContext({ baseURL, acceptDownloads: true });
    const harbour = await harbourContext.newPage();
    await signIn(harbour, DEMO.harbourLight.email);
    await visit(harbour, documents);
    const [download] = await Promise.all([harbour.waitForEvent("download"), harbour.getByRole("link", { name: /^Pricing guidance/ }).click()]);
    expect(download.suggestedFilename()).toBe("pricing-guidance.pdf");
    expect(fs.readFileSync((await download.path())!).equals(bytes)).toBe(true);
    const href = await harbour.getByRole("link", { name: /^Pricing guidance/ }).getAttribute("href");
    await harbourContext.close();

    // Moorland (interested since it started its demo bid) withdraws its interest: then it gets no download
    // links but a message, and the file's address leads back to that message. It registers again after.
    const moorlandContext = await browser.newContext({ baseURL });
    const moorland = await moorlandContext.newPage();
    await signIn(moorland, DEMO.moorland.email);
    await visit(moorland, `/tenders/${tenderId}`);
    await moorland.getByRole("button", { name: "Withdraw interest" }).click();
    await expect(moorland.locator(".govuk-notification-banner")).toContainText("You have withdrawn your interest in this tender");
    await visit(moorland, documents);
    await expect(moorland.locator(".govuk-inset-text")).toContainText("Register interest in this tender");
    await expect(moorland.getByRole("link", { name: /^Pricing guidance/ })).toHaveCount(0);
    await visit(moorland, href!);
    await expect(moorland).toHaveURL(new RegExp(`${documents}$`));
    await visit(moorland, `/tenders/${tenderId}`);
    await moorland.getByRole("button", { name: "Register interest" }).click();
    await expect(moorland.locator(".govuk-notification-banner")).toContainText("You have registered interest in this tender");
    await moorlandContext.close();
  });

  test("without JavaScript, an officer replaces a document and withdraws another; both stay listed", async ({ browser, baseURL }) => {
    const documents = `/tenders/${tenderId}/documents`;
    const context = await newContextWithoutJavaScript(browser, baseURL);
    const officer = await context.newPage();
    await officer.goto("/sign-in");
    await officer.locator("#email").fill(DEMO.officer.email);
    await officer.locator("#password").fill(PASSWORD);
    await officer.getByRole("button", { name: "Sign in", exact: true }).click();
    await officer.goto(documents);

    // Replacing: the form posts as a plain multipart upload; a missing file is said beside the field.
    await officer.getByLabel("Document title").fill("Service specification (revised)");
    await officer.getByLabel("Does it replace a document?").selectOption({ label: 'Yes, it replaces "Service specification"' });
    await officer.getByLabel("Reason for the change").fill("Lot 2's need bands were corrected");
    await officer.getByRole("button", { name: "Upload document" }).click();
    await expect(officer.locator("#file-error")).toContainText("Select a file");
    await expect(officer.getByLabel("Document title")).toHaveValue("Service specification (revised)");
    await expect(officer.getByLabel("Reason for the change")).toHaveValue("Lot 2's need bands were corrected");
    await officer.getByLabel("File").setInputFiles({ name: "specification-v2.txt", mimeType: "text/plain", buffer: Buffer.from("Service specification, revised: lot 2 need bands corrected.\n") });
    await officer.getByRole("button", { name: "Upload document" }).click();
    await expect(officer.locator(".govuk-notification-banner")).toContainText("replaces the earlier document");

    // Withdrawing needs a reason.
    await officer.getByRole("link", { name: "Withdraw Pricing guidance" }).click();
    await expect(officer.getByRole("heading", { level: 1 })).toHaveText('Withdraw "Pricing guidance"');
    await officer.getByRole("button", { name: "Withdraw document" }).click();
    await expect(officer.locator("#reason-error")).toContainText("Enter why the document is withdrawn");
    await officer.getByLabel("Why is it withdrawn?").fill("Replaced by clarification 2");
    await officer.getByRole("button", { name: "Withdraw document" }).click();
    await expect(officer.locator(".govuk-notification-banner")).toContainText('"Pricing guidance" withdrawn');

    const current = officer.getByRole("region", { name: "Documents in the pack" });
    await expect(current).toContainText("Service specification (revised)");
    await expect(current).not.toContainText("Pricing guidance");
    const earlier = officer.getByRole("region", { name: "Replaced and withdrawn documents" });
    await expect(earlier.getByRole("row").filter({ hasText: /^Service specification\b/ })).toContainText('Replaced by "Service specification (revised)"');
    await expect(earlier.getByRole("row").filter({ hasText: "Pricing guidance" })).toContainText("Replaced by clarification 2");
    await context.close();

    // With JavaScript, the page with both lists passes axe.
    const withJs = await browser.newContext({ baseURL });
    const page = await withJs.newPage();
    await signIn(page, DEMO.officer.email);
    await visit(page, documents);
    await page.getByRole("link", { name: "Withdraw Service specification (revised)" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText('Withdraw "Service specification (revised)"');
    await expectAccessible(page);
    await withJs.close();
  });
});
