// The public checkpoints: a page for people (what a checkpoint proves, how
// to check one, the list) and the same checkpoints as JSON for machines, at
// the new address and, by content negotiation, at the old one.
import crypto from "node:crypto";
import { DEMO, expect, test, type Page } from "./support/fixtures";

interface CheckpointsDocument {
  algorithm: string;
  keyId: string;
  publicKey: string;
  signedMessage: string;
  checkpoints: { id: number; events: number; hash: string; signedAt: string; keyId: string; reason: string; signature: string }[];
}

async function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}

test.describe("Audit checkpoints", () => {
  test("the page says what a checkpoint proves and how to check one, and lists them newest first", async ({ page, visit }) => {
    await visit(page, "/audit/checkpoints");
    await expect(page).toHaveTitle("Audit checkpoints – Children's Placements Portal");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Audit checkpoints");
    await expect(page.getByRole("heading", { name: "What a checkpoint proves" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "How to check the trail against a checkpoint" })).toBeVisible();
    await expect(page.locator("pre").first()).toHaveText("npm run audit:verify -- --public-key portal-key.pem --witness audit-checkpoints.json");

    const doc = (await (await page.request.get("/audit/checkpoints.json")).json()) as CheckpointsDocument;
    const rows = page.locator("table tbody tr");
    await expect(rows).toHaveCount(doc.checkpoints.length);
    const newest = doc.checkpoints.at(-1)!;
    await expect(rows.first().locator("td").first()).toContainText(String(newest.id));
    await expect(rows.first()).toContainText(newest.hash);
    await expect(page.locator("table caption")).toHaveText(`${doc.checkpoints.length} checkpoint${doc.checkpoints.length === 1 ? "" : "s"}, newest first`);
    // Dates in UK time and words, e.g. "30 November 2026, 10:57am".
    await expect(rows.first().locator("td").nth(1)).toHaveText(/^\d{1,2} [A-Z][a-z]+ \d{4}, \d{1,2}:\d{2}(am|pm)$/);

    // The public key, shown and as a file, is the one the JSON publishes.
    await page.getByText(`Show the public key (key ${doc.keyId})`).click();
    await expect(page.locator(".govuk-details__text pre")).toHaveText(doc.publicKey.trim());
    const pem = await page.request.get("/audit/checkpoints.pem");
    expect(pem.headers()["content-type"]).toBe("application/x-pem-file");
    expect(await pem.text()).toBe(doc.publicKey);

    // Phone width and 200% zoom (640 CSS pixels): nothing scrolls sideways.
    for (const width of [375, 640]) {
      await page.setViewportSize({ width, height: 800 });
      expect(await scrollsSideways(page), `sideways scrolling at ${width}px`).toBe(false);
    }
  });

  test("the checkpoints are public JSON that verifies with the published key, at the new address and the old one", async ({ playwright, baseURL }) => {
    const anonymous = await playwright.request.newContext({ baseURL });
    const response = await anonymous.get("/audit/checkpoints.json");
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toMatch(/^application\/json/);
    const doc = (await response.json()) as CheckpointsDocument;
    expect(doc.algorithm).toBe("Ed25519");
    expect(doc.publicKey).toContain("-----BEGIN PUBLIC KEY-----");
    expect(doc.checkpoints.length).toBeGreaterThanOrEqual(1);
    expect(doc.checkpoints.map((c) => c.id)).toEqual(doc.checkpoints.map((_, i) => i + 1));
    const key = crypto.createPublicKey(doc.publicKey);
    for (const c of doc.checkpoints) {
      const message = doc.signedMessage.replace("<events>", String(c.events)).replace("<hash>", c.hash).replace("<signedAt>", c.signedAt);
      expect(crypto.verify(null, Buffer.from(message), key, Buffer.from(c.signature, "base64")), `checkpoint ${c.id}`).toBe(true);
    }

    // Scripts written against the old address, asking for JSON or for anything, still get it.
    for (const accept of ["application/json", "*/*"]) {
      const old = await anonymous.get("/audit/checkpoints", { headers: { Accept: accept } });
      expect(old.status(), `Accept: ${accept}`).toBe(200);
      expect(old.headers()["content-type"]).toMatch(/^application\/json/);
      expect(((await old.json()) as CheckpointsDocument).checkpoints).toEqual(doc.checkpoints);
    }
    const redirect = await anonymous.get("/audit/checkpoints", { headers: { Accept: "application/json" }, maxRedirects: 0 });
    expect(redirect.status()).toBe(307);
    expect(redirect.headers()["location"]).toBe("/audit/checkpoints.json");
    expect(redirect.headers()["vary"]).toMatch(/Accept/);
    await anonymous.dispose();
  });

  test("an administrator signs a checkpoint on demand and it heads the list", async ({ page, signIn, visit, expectAccessible, newPage }) => {
    await signIn(page, DEMO.admin.email);
    await visit(page, "/audit");
    await page.getByRole("button", { name: "Sign a checkpoint now" }).click();
    const banner = page.locator(".govuk-notification-banner");
    await expect(banner).toContainText(/Checkpoint signed at event \d+/);
    await expectAccessible(page);
    const seq = Number(/event (\d+)/.exec((await banner.textContent()) ?? "")?.[1]);
    const doc = (await (await page.request.get("/audit/checkpoints.json")).json()) as CheckpointsDocument;
    const signed = doc.checkpoints.at(-1)!;
    expect(signed).toMatchObject({ events: seq, reason: "on_demand" });

    await visit(page, "/audit/checkpoints");
    const first = page.locator("table tbody tr").first();
    await expect(first.locator("td").first()).toHaveText(`${signed.id}On request`);
    await expect(first.locator("td").nth(2)).toHaveText(seq.toLocaleString("en-GB"));

    // An officer may not.
    const officerPage = await newPage(DEMO.officer.email);
    await visit(officerPage, "/audit");
    const token = await officerPage.locator('input[name="_csrf"]').first().getAttribute("value");
    const refused = await officerPage.request.post("/audit/checkpoints", { form: { _csrf: token ?? "" }, maxRedirects: 0 });
    expect(refused.status()).toBe(403);
  });
});
