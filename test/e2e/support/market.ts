// Steps the placements market's specs share: finding a provider's homes as
// its own user sees them.
import { expect, visit, type Page } from "./fixtures";

export const HARBOUR = "Harbour Light Children's Homes Ltd";
export const MOORLAND = "Moorland Care Group Ltd";

/** The signed-in provider user's homes, from /homes, by name. */
export async function ownHomes(page: Page): Promise<{ id: string; name: string }[]> {
  await visit(page, "/homes");
  const links = await page
    .locator("tbody a[href^='/homes/']")
    .evaluateAll((as) => as.map((a) => ({ href: a.getAttribute("href") ?? "", name: a.textContent?.trim() ?? "" })));
  expect(links.length, "the provider has homes in the demo data").toBeGreaterThan(0);
  return links.map((l) => ({ id: l.href.replace("/homes/", ""), name: l.name }));
}
