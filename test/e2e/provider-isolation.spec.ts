import { DEMO, expect, signIn, test, visit, type Page } from "./support/fixtures";

const HARBOUR = "Harbour Light Children's Homes Ltd";
const MOORLAND = "Moorland Care Group Ltd";
const RANDOM_ID = "3f2b8c1e-9a4d-4e6f-8b7a-0c1d2e3f4a5b";

interface Provider {
  id: string;
  homes: { id: string; name: string }[];
}

/** A provider's id and homes, as a commissioning officer sees them. */
async function providerAsOfficerSees(officer: Page, name: string): Promise<Provider> {
  await visit(officer, "/organisations");
  const href = await officer.getByRole("link", { name, exact: true }).getAttribute("href");
  const id = /^\/organisations\/([0-9a-f-]{36})$/.exec(href ?? "")?.[1];
  if (!id) throw new Error(`No organisation link for ${name}: ${href}`);
  await visit(officer, `/organisations/${id}`);
  const links = officer.locator("tbody a[href^='/homes/']");
  const homes: Provider["homes"] = [];
  for (const link of await links.all()) {
    homes.push({ id: (await link.getAttribute("href"))!.replace("/homes/", ""), name: (await link.textContent())!.trim() });
  }
  expect(homes.length, `${name} has homes in the demo data`).toBeGreaterThan(0);
  return { id, homes };
}

test.describe("A provider sees only its own organisation", () => {
  test.describe.configure({ mode: "serial" });
  let harbour: Provider;
  let moorland: Provider;

  test.beforeAll(async ({ browser, baseURL }) => {
    const context = await browser.newContext({ baseURL });
    const officer = await context.newPage();
    await signIn(officer, DEMO.officer.email);
    harbour = await providerAsOfficerSees(officer, HARBOUR);
    moorland = await providerAsOfficerSees(officer, MOORLAND);
    await context.close();
  });

  test("the homes list shows the provider's own homes and nobody else's", async ({ page }) => {
    await signIn(page, DEMO.harbourLight.email);
    await visit(page, "/homes");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${HARBOUR}: homes and services`);
    const names = (await page.locator("tbody a[href^='/homes/']").allTextContents()).map((n) => n.trim());
    expect(names.sort()).toEqual(harbour.homes.map((h) => h.name).sort());
    const body = await page.locator("main").textContent();
    for (const home of moorland.homes) expect(body).not.toContain(home.name);

    // The dashboard counts only its own homes too.
    await visit(page, "/");
    await expect(page.locator(".govuk-grid-column-one-quarter").filter({ hasText: "Your homes and services" })).toContainText(String(harbour.homes.length));
  });

  test("another provider's home and organisation are 'Page not found'; its own open normally", async ({ page }) => {
    await signIn(page, DEMO.harbourLight.email);
    const notFound = async (path: string) => {
      await visit(page, path, { status: 404 });
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
      await expect(page.locator("main")).not.toContainText(MOORLAND);
    };
    for (const home of moorland.homes) await notFound(`/homes/${home.id}`);
    await notFound(`/organisations/${moorland.id}`);
    await notFound(`/homes/${RANDOM_ID}`);

    await visit(page, `/organisations/${harbour.id}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(HARBOUR);
    await visit(page, `/homes/${harbour.homes[0]!.id}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(harbour.homes[0]!.name);
  });

  // A bug found from outside, fixed, and kept fixed by this test:
  // /organisations/<unknown id> answered 403 to a provider while another
  // provider's real id answered 404, so a provider could tell which ids exist.
  test("an organisation id that does not exist looks the same as another provider's: 'Page not found'", async ({ page }) => {
    await signIn(page, DEMO.harbourLight.email);
    await visit(page, `/organisations/${RANDOM_ID}`, { status: 404 });
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  });

  test("council-only pages refuse a provider with 'You do not have permission to do this'", async ({ page }) => {
    await signIn(page, DEMO.harbourLight.email);
    for (const path of ["/audit", `/audit/records/home/${harbour.homes[0]!.id}`, `/audit/records/home/${moorland.homes[0]!.id}`, "/admin/emails", "/admin/users", "/organisations"]) {
      await visit(page, path, { status: 403 });
      await expect(page.getByRole("heading", { level: 1 }), path).toHaveText("You do not have permission to do this");
    }
    for (const path of [`/audit/records/home/${moorland.homes[0]!.id}.pdf`, "/audit/export.csv"]) {
      const response = await page.request.get(path);
      expect(response.status(), path).toBe(403);
      expect(response.headers()["content-type"], path).not.toMatch(/pdf|csv/);
    }
  });

  test("the data behind the pages leaks nothing of another provider", async ({ page }) => {
    await signIn(page, DEMO.harbourLight.email);
    const other = moorland.homes[0]!;
    const probes = [
      `/homes/${other.id}.data`,
      `/homes/${other.id}.data?_routes=routes%2Fhomes.%24homeId`,
      `/homes/${other.id}.data?_routes=root%2Croutes%2Fhomes.%24homeId`,
      `/organisations/${moorland.id}.data`,
      `/organisations/${moorland.id}.data?_routes=routes%2Forganisations.%24organisationId`,
      "/homes.data",
      "/homes.data?_routes=routes%2Fhomes._index",
      "/organisations.data",
      "/.data",
    ];
    for (const path of probes) {
      const response = await page.request.get(path, { maxRedirects: 0 });
      const text = await response.text();
      expect([200, 202, 204, 302, 403, 404], `${path} answered ${response.status()}`).toContain(response.status());
      for (const home of moorland.homes) expect(text, `${path} must not name ${home.name}`).not.toContain(home.name);
      expect(text, `${path} must not name ${MOORLAND}`).not.toContain(MOORLAND);
      if (path.startsWith(`/homes/${other.id}`) || path.startsWith(`/organisations/${moorland.id}`)) {
        expect(response.status(), path).toBe(404);
      }
    }
    // Its own home's data is there (so the probes above really reached the loaders).
    const own = await page.request.get(`/homes/${harbour.homes[0]!.id}.data`);
    expect(own.status()).toBe(200);
    expect(await own.text()).toContain(harbour.homes[0]!.name);
  });
});
