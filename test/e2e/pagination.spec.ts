// A page after the last of a list (an old bookmark, a typed address) is a
// 404 that says how many pages there are and links to the last one, rather
// than an empty "page 99 of 2".
import { DEMO, expect, test } from "./support/fixtures";

test.describe("Pages of a list", () => {
  test("asking for page 99 of the homes says there is no page 99, how many there are, and links to the last", async ({ page, signIn, visit }) => {
    await signIn(page, DEMO.officer.email);
    await visit(page, "/homes");
    const caption = (await page.locator("main table caption").textContent()) ?? "";
    const pages = Number(/page 1 of (\d+)/.exec(caption)?.[1]);
    expect(pages, `the demo has more than one page of homes (${caption})`).toBeGreaterThan(1);

    await visit(page, "/homes?page=99", { status: 404 });
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
    await expect(page.locator("main")).toContainText(`There is no page 99 of homes and services. There are ${pages} pages.`);
    await expect(page.locator("main")).not.toContainText(`page 99 of ${pages}`);
    await page.getByRole("link", { name: `Go to page ${pages}, the last page of homes and services` }).click();
    await expect(page).toHaveURL(new RegExp(`/homes\\?page=${pages}$`));
    await expect(page.locator("main table caption")).toContainText(`page ${pages} of ${pages}`);
  });

  test("a provider with one page of homes is told there is 1 page", async ({ page, signIn, visit }) => {
    await signIn(page, DEMO.harbourLight.email);
    await visit(page, "/homes?page=2", { status: 404 });
    await expect(page.locator("main")).toContainText("There is no page 2 of homes and services. There is 1 page.");
    await page.getByRole("link", { name: "Go to homes and services" }).click();
    await expect(page).toHaveURL(/\/homes\?page=1$/);
  });

  test("the sent email list does the same", async ({ page, signIn, visit }) => {
    await signIn(page, DEMO.admin.email);
    await visit(page, "/admin/emails?page=500", { status: 404 });
    await expect(page.locator("main")).toContainText("There is no page 500 of sent email.");
    await visit(page, "/admin/emails?page=1");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sent email");
  });
});
