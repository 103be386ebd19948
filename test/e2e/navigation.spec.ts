import { DEMO, expect, navigationLinks, newContextWithoutJavaScript, signIn as signInWith, test } from "./support/fixtures";

const PAGES: Record<string, { path: string; heading: RegExp }> = {
  Dashboard: { path: "/", heading: /^Welcome, / },
  Agreements: { path: "/agreements", heading: /^Agreements$/ },
  Tenders: { path: "/tenders", heading: /^Tenders$/ },
  Providers: { path: "/organisations", heading: /^Providers$/ },
  Homes: { path: "/homes", heading: /homes and services$/i },
  "Placement requests": { path: "/placement-requests", heading: /^Placement requests$/ },
  "Block beds": { path: "/utilisation", heading: /^Block beds$/ },
  Decisions: { path: "/decisions", heading: /^Award decisions$/ },
  Contracts: { path: "/contracts", heading: /^Contracts$/ },
  "Audit trail": { path: "/audit", heading: /^Audit trail$/ },
  Users: { path: "/admin/users", heading: /^Users$/ },
  "Sent email": { path: "/admin/emails", heading: /^Sent email$/ },
  Evidence: { path: "/evidence", heading: /^Evidence library$/ },
  Colleagues: { path: "/organisation/users", heading: /^Your colleagues$/ },
  Vacancies: { path: "/vacancies", heading: /^Vacancies$/ },
  "Find a home": { path: "/placements/search", heading: /^Find a home$/ },
  "Postcode districts": { path: "/admin/districts", heading: /^Postcode districts$/ },
  "Key decisions": { path: "/admin/key-decisions", heading: /^Key decisions$/ },
};

const ROLES: { role: string; user: { email: string; name: string }; links: string[] }[] = [
  { role: "Administrator", user: DEMO.admin, links: ["Dashboard", "Agreements", "Tenders", "Providers", "Homes", "Block beds", "Audit trail", "Users", "Sent email", "Postcode districts", "Key decisions"] },
  { role: "Commissioning officer", user: DEMO.officer, links: ["Dashboard", "Agreements", "Tenders", "Providers", "Homes", "Find a home", "Placement requests", "Block beds", "Contracts", "Audit trail"] },
  { role: "Evaluator", user: DEMO.evaluator, links: ["Dashboard", "Agreements", "Tenders", "Providers", "Homes", "Block beds"] },
  { role: "Chief Officer", user: DEMO.chiefOfficer, links: ["Dashboard", "Agreements", "Tenders", "Providers", "Homes", "Placement requests", "Block beds", "Decisions", "Contracts", "Audit trail"] },
  { role: "Portfolio Holder", user: DEMO.portfolioHolder, links: ["Dashboard", "Agreements", "Tenders", "Providers", "Homes", "Block beds", "Decisions"] },
  { role: "Provider user", user: DEMO.harbourLight, links: ["Dashboard", "Agreements", "Tenders", "Homes", "Vacancies", "Placement requests", "Block beds", "Contracts", "Evidence", "Colleagues"] },
];

test.describe("Navigation by role", () => {
  for (const { role, user, links } of ROLES) {
    test(`a ${role} sees exactly ${links.join(", ")} and can open each of them, but not the pages their role does not allow`, async ({
      page,
      signIn,
      visit,
      expectAccessible,
    }) => {
      await signIn(page, user.email);
      await expect(page.locator(".portal-account")).toContainText(`(${role})`);
      expect(await navigationLinks(page)).toEqual(links);

      // Each link, followed from the navigation, opens its page.
      for (const label of [...links.slice(1), links[0]!]) {
        const target = PAGES[label]!;
        await page.locator("#navigation").getByRole("link", { name: label, exact: true }).click();
        await expect(page).toHaveURL((url) => url.pathname === target.path);
        await expect(page.getByRole("heading", { level: 1 })).toHaveText(target.heading);
        // The current page is marked in the navigation.
        await expect(page.locator('#navigation a[aria-current="page"]')).toHaveText(label);
        expect(await navigationLinks(page)).toEqual(links);
        await expectAccessible(page);
      }

      for (const [label, target] of Object.entries(PAGES)) {
        if (links.includes(label)) continue;
        await visit(page, target.path, { status: 403 });
        await expect(page.getByRole("heading", { level: 1 })).toHaveText("You do not have permission to do this");
        expect(await navigationLinks(page), "the navigation stays on a refusal").toEqual(links);
      }
    });
  }

  test("on a 375 px phone the navigation folds behind a Menu button that opens it, and closes again on the next page", async ({ page, signIn, expectAccessible }) => {
    await page.setViewportSize({ width: 375, height: 812 });
    await signIn(page, DEMO.officer.email);
    const menu = page.getByRole("button", { name: "Menu" });
    const homes = page.locator("#navigation").getByRole("link", { name: "Homes", exact: true });
    await expect(menu).toBeVisible();
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await expect(homes).toBeHidden();
    // The page's heading is the first thing below the header, not nine links.
    const headingTop = await page.getByRole("heading", { level: 1 }).evaluate((h) => h.getBoundingClientRect().top);
    expect(headingTop).toBeLessThan(400);
    await expectAccessible(page);

    await menu.click();
    await expect(menu).toHaveAttribute("aria-expanded", "true");
    await expect(homes).toBeVisible();
    await expectAccessible(page, { force: true });
    await homes.click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(/homes and services$/i);
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await expect(homes).toBeHidden();

    // At desktop width the list shows and the button does not.
    await page.setViewportSize({ width: 1280, height: 800 });
    await expect(homes).toBeVisible();
    await expect(menu).toBeHidden();
  });

  test("without JavaScript a phone shows every navigation link and no Menu button", async ({ browser, baseURL }) => {
    const context = await newContextWithoutJavaScript(browser, baseURL);
    const page = await context.newPage();
    await page.setViewportSize({ width: 375, height: 812 });
    await signInWith(page, DEMO.officer.email);
    await expect(page.getByRole("button", { name: "Menu" })).toBeHidden();
    await expect(page.locator("#navigation").getByRole("link", { name: "Homes", exact: true })).toBeVisible();
    expect(await navigationLinks(page)).toContain("Audit trail");
    await context.close();
  });

  test("the footer's accessibility statement is open to everyone", async ({ page, visit }) => {
    await visit(page, "/");
    await page.getByRole("link", { name: "Accessibility statement" }).click();
    await expect(page).toHaveURL(/\/accessibility$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Accessibility statement");
  });
});
