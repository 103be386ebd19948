// A provider's bid in the browser: answers saved as they are typed (and kept
// after a reload), the word count, a colleague's newer answer shown beside
// one's own, the whole journey without JavaScript to a receipt with its
// fingerprint, and council staff finding nothing of a bid before opening.
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { DEMO, expect, test, type Page } from "./support/fixtures";
import { screenshots } from "./support/screenshots";

const TENDER_TITLE = "Residential children's homes framework 2027 to 2031: call for providers";

/** Reads the demo's ids from the portal's own database with its runtime login (the e2e run seeded it). */
async function query<T>(text: string, values: unknown[] = []): Promise<T[]> {
  const dataDir = process.env.E2E_DATA_DIR!;
  const logins = JSON.parse(fs.readFileSync(path.join(dataDir, "postgres.credentials.json"), "utf8")) as { runtime: string };
  const client = new pg.Client({ host: "127.0.0.1", port: Number(process.env.E2E_PG_PORT ?? 54398), user: "portal_runtime", password: logins.runtime, database: "postgres" });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

async function demoTender() {
  const [tender] = await query<{ id: string }>("SELECT id FROM tender WHERE title = $1", [TENDER_TITLE]);
  const questions = await query<{ id: string; number: string; kind: string }>(
    `SELECT q.id, s.position || '.' || q.position AS number, q.kind FROM tender_question q JOIN tender_section s ON s.id = q.section_id
      WHERE q.tender_id = $1 ORDER BY s.position, q.position`,
    [tender!.id],
  );
  const q = (n: string) => questions.find((x) => x.number === n)!.id;
  return { id: tender!.id, q };
}

const pdf = (name: string) => ({ name, mimeType: "application/pdf", buffer: Buffer.from(`%PDF-1.4\n% ${name}\n%%EOF\n`) });

test.describe("A provider's bid", () => {
  // One story on the demo's data: the answers typed in the first two tests complete the bid the third submits.
  test.describe.configure({ mode: "serial" });
  test("an answer is saved as it is typed, counted as it grows, and is still there after a reload", async ({ page, signIn, visit }) => {
    const tender = await demoTender();
    await signIn(page, DEMO.moorland.email);
    await visit(page, `/tenders/${tender.id}/bid`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your bid");
    await screenshots(page, "bid-task-list");
    await page.getByRole("link", { name: /^2\.1 / }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("How do you keep children safe, in the home and online?");
    const words = "Our staff are trained before their first shift <b>and</b> every year";
    await page.locator("#answerText").fill(words);
    await expect(page.locator("#answerText-info")).toHaveText("You have 739 words remaining");
    await expect(page.getByRole("status")).toHaveText(/^Saved at /, { timeout: 15_000 });
    // Typing on saves again, from the version the first save made (not refused as a colleague's change).
    await page.locator("#answerText").fill(`${words} and after.`);
    await expect(page.getByRole("status")).toHaveText("Saving…");
    await expect(page.getByRole("status")).toHaveText(/^Saved at /, { timeout: 15_000 });
    await expect(page.locator(".govuk-error-summary")).toHaveCount(0);
    const typed = `${words} and after.`;
    await page.reload();
    await expect(page.locator("#answerText")).toHaveValue(typed);
    await expect(page.getByText(/Last saved .* by Sam Okafor/)).toBeVisible();
  });

  test("a colleague's newer answer is shown beside yours, and nothing either of you typed is lost", async ({ newPage }) => {
    const tender = await demoTender();
    const url = `/tenders/${tender.id}/bid/questions/${tender.q("2.2")}`;
    const mine = await newPage(DEMO.moorland.email, undefined, { javaScript: false });
    const colleague = await newPage(DEMO.moorland.email, undefined, { javaScript: false });
    await mine.goto(url);
    await colleague.goto(url);
    await colleague.locator("#answerText").fill("The colleague's answer about settling in.");
    await colleague.getByRole("button", { name: "Save and return to your bid" }).click();
    await expect(colleague.getByText("Your answer to question 2.2 has been saved")).toBeVisible();
    await mine.locator("#answerText").fill("My own answer about school and family time.");
    await mine.getByRole("button", { name: "Save and return to your bid" }).click();
    await expect(mine.locator(".govuk-error-summary")).toContainText("Both versions are shown");
    await expect(mine.locator(".govuk-inset-text")).toContainText("The colleague's answer about settling in.");
    await expect(mine.locator("#answerText")).toHaveValue("My own answer about school and family time.");
    // Saving again after seeing theirs replaces it on purpose.
    await mine.getByRole("button", { name: "Save and return to your bid" }).click();
    await expect(mine.getByText("Your answer to question 2.2 has been saved")).toBeVisible();
  });

  test("can be completed and submitted without JavaScript, with errors beside the fields, ending at a receipt with its fingerprint", async ({ newPage, page, visit, signIn }) => {
    const tender = await demoTender();
    const bid = `/tenders/${tender.id}/bid`;
    const p = await newPage(DEMO.moorland.email, undefined, { javaScript: false });
    const save = (button = "Save and return to your bid") => p.getByRole("button", { name: button }).click();

    await p.goto(`${bid}/lots`);
    await p.getByLabel(/^Lot 2:/).uncheck();
    await p.getByRole("button", { name: "Save and continue" }).click();
    await expect(p).toHaveURL(bid);

    for (const n of ["1.1", "1.2"]) {
      await p.goto(`${bid}/questions/${tender.q(n)}`);
      await p.getByLabel("Yes").check();
      await save();
      await p.goto(`${bid}/questions/${tender.q(n)}`);
      await p.locator("#file").setInputFiles(pdf(`evidence-${n}.pdf`));
      await p.getByRole("button", { name: "Upload file" }).click();
      await expect(p.getByRole("link", { name: `evidence-${n}.pdf` })).toBeVisible();
    }
    // A file that is not a document is refused beside the upload field.
    await p.locator("#file").setInputFiles({ name: "tool.exe", mimeType: "application/octet-stream", buffer: Buffer.from("MZ\x90\x00 not a document") });
    await p.getByRole("button", { name: "Upload file" }).click();
    await expect(p.locator("#file-error")).toContainText("must be a PDF, Word");

    await p.goto(`${bid}/questions/${tender.q("3.1")}`);
    await p.getByLabel("I confirm this declaration").check();
    await save();

    await p.goto(`${bid}/prices`);
    await p.getByLabel(/Standard, per week/).fill("4,250.50");
    await p.getByLabel(/Enhanced, per week/).fill("lots");
    await p.getByRole("button", { name: "Save prices" }).click();
    await expect(p.locator(".govuk-error-summary")).toContainText("Enter the weekly fee per placement, enhanced as an amount of money");
    await expect(p.getByLabel(/Standard, per week/)).toHaveValue("4,250.50");
    await expect(p.getByLabel(/Enhanced, per week/)).toHaveValue("lots");
    await p.getByLabel(/Enhanced, per week/).fill("60000");
    await p.getByRole("button", { name: "Save prices" }).click();
    await expect(p.locator("#price-" + (await p.getByLabel(/Enhanced, per week/).getAttribute("id"))!.slice(6) + "-error")).toContainText("£50,000 or less per week");
    await p.getByLabel(/Enhanced, per week/).fill("5875");
    await p.getByRole("button", { name: "Save prices" }).click();
    await expect(p.getByText("Your prices have been saved")).toBeVisible();

    await p.goto(`${bid}/check`);
    await expect(p.getByRole("heading", { name: /things? to complete/ })).toHaveCount(0);
    // HTML typed into an answer is shown as the text typed.
    await expect(p.getByText("<b>and</b>")).toBeVisible();
    await p.getByRole("button", { name: "Submit bid" }).click();
    await expect(p.locator("#declarationConfirmed-error")).toContainText("Confirm that the bid is complete");
    await p.getByLabel(/I confirm this bid is complete and correct/).check();
    await p.getByRole("button", { name: "Submit bid" }).click();
    await expect(p.getByRole("heading", { name: "Bid submitted" })).toBeVisible();
    const fingerprint = (await p.locator(".portal-hash").first().textContent())!.trim();
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    const [stored] = await query<{ fingerprint: string }>(
      "SELECT s.fingerprint FROM bid_submission s JOIN organisation o ON o.id = s.organisation_id WHERE s.tender_id = $1 AND o.name = 'Moorland Care Group Ltd' ORDER BY number DESC LIMIT 1",
      [tender.id],
    );
    expect(stored!.fingerprint).toBe(fingerprint);
    const receipt = p.url();
    const pdfResponse = await p.request.get(`${receipt}.pdf`);
    expect(pdfResponse.headers()["content-type"]).toBe("application/pdf");

    // The same pages with JavaScript pass axe: the receipt, and the bid with its versions.
    await signIn(page, DEMO.moorland.email);
    await visit(page, new URL(receipt).pathname);
    await visit(page, bid);
    await expect(page.getByRole("cell", { name: "Counts" })).toBeVisible();
    await visit(page, `${bid}/check`);
    await visit(page, `${bid}/prices`);
    await visit(page, `${bid}/lots`);
    await visit(page, `${bid}/questions/${tender.q("1.1")}`);
  });

  test("gives council staff and other providers nothing of it before the bids are opened", async ({ newPage, visit }) => {
    const tender = await demoTender();
    const [file] = await query<{ file_id: string }>(
      "SELECT f.file_id FROM bid_answer_file f JOIN bid b ON b.id = f.bid_id JOIN organisation o ON o.id = b.organisation_id WHERE b.tender_id = $1 AND o.name = 'Harbour Light Children''s Homes Ltd' LIMIT 1",
      [tender.id],
    );
    const bid = `/tenders/${tender.id}/bid`;
    for (const who of [DEMO.officer, DEMO.evaluator, DEMO.admin, DEMO.chiefOfficer, DEMO.portfolioHolder]) {
      const p: Page = await newPage(who.email);
      for (const url of [bid, `${bid}/check`, `${bid}/receipt/1`, `${bid}/receipt/1.pdf`, `${bid}/files/${file!.file_id}`]) {
        const response = await p.request.get(url);
        expect([403, 404], `${who.email} ${url}`).toContain(response.status());
        const body = await response.text();
        expect(body).not.toContain("Harbour Light's answer");
        expect(body).not.toContain("4,850");
      }
    }
    // The council's own page of bids received: who and when, nothing more, until two officers open them.
    const officer = await newPage(DEMO.officer.email);
    await visit(officer, `/tenders/${tender.id}/bids`);
    await expect(officer.getByRole("region", { name: "2 providers have a bid in" })).toContainText("Harbour Light Children's Homes Ltd");
    await expect(officer.getByRole("region", { name: "2 providers have a bid in" })).toContainText("Moorland Care Group Ltd");
    await expect(officer.getByText("No one has asked for the bids to be opened yet.")).toBeVisible();
    expect(await officer.content()).not.toContain("Harbour Light's answer");
    // Before the deadline there is nothing to press.
    await expect(officer.getByRole("button", { name: "Ask for the bids to be opened" })).toHaveCount(0);
    expect((await newPage(DEMO.moorland.email).then((m) => m.request.get(`/tenders/${tender.id}/bids`))).status()).toBe(404);
    // Moorland cannot open Harbour Light's evidence by its id.
    const moorland = await newPage(DEMO.moorland.email);
    expect((await moorland.request.get(`${bid}/files/${file!.file_id}`)).status()).toBe(404);
  });
});
