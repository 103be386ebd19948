// Open frameworks coming up for re-opening: the demo's Westmoor open
// framework is due to be re-opened about ten weeks after the seed ran, so its
// officer's dashboard lists it, with the date and a link to the framework;
// a provider's dashboard does not.
import { DEMO, expect, test } from "./support/fixtures";

test.describe("Open frameworks to re-open", () => {
  test("the commissioning officer's dashboard lists the framework with its date, and links to it", async ({ page, signIn, expectAccessible }) => {
    await signIn(page, DEMO.officer.email);
    const section = page.getByRole("heading", { name: "Open frameworks to re-open", level: 2 });
    await expect(section).toBeVisible();
    const item = page.locator("li", { hasText: "Westmoor residential open framework: first call for providers" });
    await expect(item).toContainText(/re-open by \d{1,2} [A-Z][a-z]+ \d{4}, in 7[45] days\. No re-opening drafted yet\./);
    await expectAccessible(page);
    await item.getByRole("link", { name: "Westmoor residential open framework: first call for providers" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Westmoor residential open framework: first call for providers");
    await expectAccessible(page);
  });

  test("a provider's dashboard does not list the council's frameworks to re-open", async ({ page, signIn }) => {
    await signIn(page, DEMO.harbourLight.email);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Welcome, /);
    await expect(page.getByRole("heading", { name: "Open frameworks to re-open" })).toHaveCount(0);
  });
});
