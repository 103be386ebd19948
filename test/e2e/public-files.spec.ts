// The files a browser, a crawler or a security researcher asks any site for.
import { expect, test } from "./support/fixtures";

test.describe("Favicon, robots.txt and security.txt", () => {
  test("the favicon is served as an icon and an SVG, and every page links to both", async ({ page, request, visit }) => {
    const ico = await request.get("/favicon.ico");
    expect(ico.status()).toBe(200);
    expect(ico.headers()["content-type"]).toMatch(/^image\/(x-icon|vnd\.microsoft\.icon)/);
    expect((await ico.body()).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
    const svg = await request.get("/favicon.svg");
    expect(svg.headers()["content-type"]).toMatch(/^image\/svg\+xml/);
    expect(await svg.text()).toContain("<svg");
    await visit(page, "/");
    await expect(page.locator('link[rel="icon"][href="/favicon.svg"]')).toHaveAttribute("type", "image/svg+xml");
    await expect(page.locator('link[rel="icon"][href="/favicon.ico"]')).toHaveCount(1);
  });

  test("robots.txt keeps crawlers out of everything but the public pages", async ({ request }) => {
    const robots = await request.get("/robots.txt");
    expect(robots.headers()["content-type"]).toMatch(/^text\/plain/);
    const lines = (await robots.text()).split("\n").filter((l) => l && !l.startsWith("#"));
    expect(lines).toContain("User-agent: *");
    expect(lines).toContain("Disallow: /");
    expect(lines).toContain("Allow: /accessibility$");
    expect(lines.filter((l) => l.startsWith("Allow:")).some((l) => /homes|agreements|admin|organisations/.test(l))).toBe(false);
  });

  test("security.txt follows RFC 9116: contact, an expiry within a year, languages, policy and its own address", async ({ request, baseURL }) => {
    const response = await request.get("/.well-known/security.txt");
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toMatch(/^text\/plain; charset=utf-8/i);
    const fields = new Map(
      (await response.text())
        .split("\n")
        .filter((l) => l && !l.startsWith("#"))
        .map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1).trim()] as const),
    );
    expect(fields.get("Contact")).toMatch(/^(mailto:|https:\/\/)/);
    expect(fields.get("Preferred-Languages")).toBe("en");
    expect(fields.get("Policy")).toMatch(/^https:\/\//);
    expect(fields.get("Canonical")).toBe(`${baseURL}/.well-known/security.txt`);
    // Operators move Expires on each year (README); this fails when it has lapsed.
    const expires = new Date(fields.get("Expires") ?? "");
    expect(expires.getTime()).toBeGreaterThan(Date.now());
    expect(expires.getTime() - Date.now()).toBeLessThanOrEqual(366 * 24 * 60 * 60 * 1000);
  });
});
