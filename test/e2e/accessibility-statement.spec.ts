// The accessibility statement follows the GOV.UK model: who it covers, how
// accessible the portal is, what to do and whom to contact, enforcement,
// the compliance status with its known issues, how it was tested and when.
import { expect, test } from "./support/fixtures";

test("the accessibility statement has every part of the GOV.UK model, with a contact, the compliance status and its dates", async ({ page, visit }) => {
  await visit(page, "/accessibility");
  const headings = (await page.locator("main h2, main h3").allTextContents()).map((h) => h.trim());
  expect(headings).toEqual([
    "How accessible this portal is",
    "What to do if you cannot use parts of the portal",
    "Reporting accessibility problems with this portal",
    "Enforcement procedure",
    "Technical information about this portal's accessibility",
    "Compliance status",
    "Non-accessible content",
    "Non-compliance with the accessibility regulations",
    "What we are doing to improve accessibility",
    "Preparation of this accessibility statement",
  ]);
  const main = page.locator("main");
  await expect(main).toContainText("This accessibility statement applies to the Children's Placements Portal");
  await expect(main).toContainText(/The portal is (partially|fully) compliant with the Web Content Accessibility Guidelines version 2\.2 AA standard/);
  await expect(main.getByRole("link", { name: /@/ }).first()).toHaveAttribute("href", /^mailto:/);
  await expect(main).toContainText("Equality and Human Rights Commission (EHRC)");
  await expect(main).toContainText("Equality Commission for Northern Ireland (ECNI)");
  await expect(main).toContainText("This statement was prepared on 30 November 2026. It was last reviewed on 30 November 2026.");
  await expect(main).toContainText("375 pixel wide phone or at 200% zoom");
});
