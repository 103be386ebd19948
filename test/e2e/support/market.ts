// Steps the placements market's specs share: finding a provider's homes as
// its own user sees them, and filling in a placement request's need.
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

/** A day this many days from now, as a date input's boxes take it. */
export function inDays(days: number) {
  const d = new Date(Date.now() + days * 86_400_000);
  return { day: String(d.getUTCDate()), month: String(d.getUTCMonth() + 1), year: String(d.getUTCFullYear()) };
}

export async function fillDate(page: Page, name: string, date: { day: string; month: string; year: string }) {
  await page.locator(`#${name}-day`).fill(date.day);
  await page.locator(`#${name}-month`).fill(date.month);
  await page.locator(`#${name}-year`).fill(date.year);
}

/** A request any of the demo's residential homes with a bed free for a girl of 15 or 16 can meet. */
export async function fillCriteria(page: Page) {
  const lots = await page.locator("#lotId option").allTextContents();
  await page.locator("#lotId").selectOption({ index: lots.findIndex((l) => /^Residential children's homes framework.*lot 1,/.test(l)) });
  await page.locator("#ageBand").selectOption("15-16");
  await page.locator("#gender").selectOption("female");
  await page.locator("#homeDistrict").fill("PL4");
  await fillDate(page, "startOn", inDays(10));
}
