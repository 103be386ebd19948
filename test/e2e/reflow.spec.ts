// WCAG 2.2 Reflow (1.4.10): at 320 CSS pixels of width nothing but a table
// may need scrolling sideways, and a table scrolls inside its own box. Every
// page each role reaches from the navigation, and the first record each list
// links to, is checked on a 375 px phone and at 200% zoom (a 1280 px window
// at 200% is 640 CSS pixels wide), with axe.
import { DEMO, expect, expectAccessible, test, type Page } from "./support/fixtures";

const WIDTHS = [
  { name: "a 375 px phone", viewport: { width: 375, height: 812 } },
  { name: "200% zoom", viewport: { width: 640, height: 400 } },
];

const ROLES = [
  { role: "an administrator", user: DEMO.admin },
  { role: "a commissioning officer", user: DEMO.officer },
  { role: "an evaluator", user: DEMO.evaluator },
  { role: "a Chief Officer", user: DEMO.chiefOfficer },
  { role: "a Portfolio Holder", user: DEMO.portfolioHolder },
  { role: "a provider user", user: DEMO.harbourLight },
];

/** How far the page itself scrolls sideways, in CSS pixels (0 when it fits). */
async function sidewaysScroll(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

async function expectReflows(page: Page, label: string): Promise<void> {
  await page.waitForLoadState("load");
  expect(await sidewaysScroll(page), `${page.url()} scrolls sideways at ${label}`).toBeLessThanOrEqual(0);
  await expectAccessible(page);
}

test.describe("Pages reflow at 375 px and at 200% zoom", () => {
  for (const { role, user } of ROLES) {
    test(`every page ${role} reaches from the navigation, and a record from each list, fits the width with no sideways scrolling`, async ({
      page,
      signIn,
    }) => {
      test.setTimeout(240_000);
      await signIn(page, user.email);
      const sections = await page.locator("#navigation a").evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).pathname));
      expect(sections.length).toBeGreaterThan(0);
      const records: string[] = [];
      for (const section of sections) {
        await page.goto(section);
        const first = page.locator("main table tbody a").first();
        if ((await first.count()) > 0) records.push(await first.evaluate((a) => (a as HTMLAnchorElement).pathname));
      }
      for (const { name, viewport } of WIDTHS) {
        await page.setViewportSize(viewport);
        for (const path of [...sections, ...records, "/accessibility"]) {
          const response = await page.goto(path);
          expect(response?.status(), path).toBe(200);
          await expectReflows(page, name);
        }
      }
    });
  }

  test("the signed-out pages and the error pages fit the width too", async ({ page }) => {
    for (const { name, viewport } of WIDTHS) {
      await page.setViewportSize(viewport);
      for (const path of ["/", "/sign-in", "/forgot-password", "/accessibility", "/no-such-page"]) {
        await page.goto(path);
        await expectReflows(page, name);
      }
      // A form sent back with errors.
      await page.goto("/sign-in");
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await expect(page.locator(".govuk-error-summary")).toBeVisible();
      await expectReflows(page, name);
    }
  });

  test("a wide table scrolls inside its own box, which is named by its caption and can be scrolled from the keyboard", async ({ page, signIn }) => {
    await signIn(page, DEMO.admin.email);
    await page.setViewportSize(WIDTHS[0]!.viewport);
    await page.goto("/audit");
    const box = page.getByRole("region", { name: "Events" });
    await expect(box).toBeVisible();
    const widths = await box.evaluate((el) => ({ box: el.clientWidth, table: el.scrollWidth }));
    expect(widths.table, "the audit trail is wider than a phone").toBeGreaterThan(widths.box);
    expect(await sidewaysScroll(page)).toBeLessThanOrEqual(0);
    await box.focus();
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => box.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
  });
});
