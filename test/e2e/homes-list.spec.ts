// The homes list's links: one click handler for the table opens a home in
// the page (as a Remix <Link> in every row did, for less server time), and
// the rows stay plain links for everything else.
import { DEMO, expect, newContextWithoutJavaScript, PASSWORD, test } from "./support/fixtures";

test.describe("Links in the homes list", () => {
  test("a home opens in the page without loading a new document, and Back returns to the list", async ({ page, signIn, visit }) => {
    await signIn(page, DEMO.officer.email);
    await visit(page, "/homes?page=2");
    const link = page.locator("tbody a[href^='/homes/']").first();
    const name = (await link.textContent())!.trim();
    const href = (await link.getAttribute("href"))!;
    // A full page load would lose this.
    await page.evaluate(() => ((window as unknown as { stillThisDocument: boolean }).stillThisDocument = true));
    const documents: string[] = [];
    page.on("request", (request) => {
      if (request.resourceType() === "document") documents.push(request.url());
    });
    await link.click();
    await expect(page).toHaveURL(href);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
    expect(await page.evaluate(() => (window as unknown as { stillThisDocument?: boolean }).stillThisDocument)).toBe(true);
    expect(documents).toEqual([]);
    await page.goBack();
    await expect(page).toHaveURL("/homes?page=2");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Homes and services");
  });

  test("a click meant for a new tab is left to the browser", async ({ page, signIn, visit }) => {
    await signIn(page, DEMO.officer.email);
    await visit(page, "/homes");
    const link = page.locator("tbody a[href^='/homes/']").first();
    const opened = page.context().waitForEvent("page");
    await link.click({ modifiers: ["ControlOrMeta"] });
    const tab = await opened;
    await tab.waitForLoadState();
    expect(new URL(tab.url()).pathname).toBe(await link.getAttribute("href"));
    await expect(page).toHaveURL("/homes");
    await tab.close();
  });

  test("without JavaScript, a home's link still opens it", async ({ browser, baseURL }) => {
    const context = await newContextWithoutJavaScript(browser, baseURL);
    const page = await context.newPage();
    await page.goto("/sign-in");
    await page.locator("#email").fill(DEMO.officer.email);
    await page.locator("#password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.goto("/homes");
    const link = page.locator("tbody a[href^='/homes/']").first();
    const name = (await link.textContent())!.trim();
    await link.click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
    await context.close();
  });
});
