// Assessment summaries and the decision record in the browser: an officer
// sends the summaries of an approved award from the tender's page; the
// unsuccessful bidder's user reads its own summary (with the successful
// bid's scores beside its own) and downloads it as a PDF, but not another
// bidder's; the email arrives (the administrator's Sent email filter); the
// Chief Officer downloads the decision record. The evaluation and the
// decision are arranged through the modules (their pages have specs of their own).
import { approvedAward } from "#test/support/assessment";
import { demoAwardWorld } from "./support/awards";
import { withDatabase } from "./support/database";
import { DEMO, expect, expectAccessible, test } from "./support/fixtures";
import { screenshots } from "./support/screenshots";
import { readEmail } from "./support/users";

async function arrangeApprovedAward() {
  return withDatabase(async (db) => {
    const { world, actor } = await demoAwardWorld(db);
    // The demo's own Chief Officer decides: another Chief Officer would be emailed by other specs' awards.
    return approvedAward(db, world, { chief: await actor(DEMO.chiefOfficer.email) });
  });
}

test.describe("assessment summaries", () => {
  test("the officer sends them once; the bidder reads its own and downloads it; the decision record is a PDF", async ({ page, signIn, visit, newPage }) => {
    test.setTimeout(240_000);
    const t = await arrangeApprovedAward();

    await signIn(page, DEMO.officer.email);
    await visit(page, `/tenders/${t.id}`);
    await page.getByRole("link", { name: "Assessment summaries" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Assessment summaries");
    await expect(page.locator("table")).toContainText("Harbour Light");
    await expectAccessible(page);
    await screenshots(page, "assessment-summaries-ready");
    await page.getByRole("button", { name: "Send assessment summaries" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText("Assessment summaries sent");
    await expect(page.locator(".govuk-inset-text")).toContainText(`Sent by ${DEMO.officer.name} at`);
    await expect(page.getByRole("button", { name: "Send assessment summaries" })).toHaveCount(0);
    await expectAccessible(page);
    await screenshots(page, "assessment-summaries-sent");
    const officerPdf = await page.request.get(`/tenders/${t.id}/award/summaries/${t.bidB}.pdf`);
    expect(officerPdf.status()).toBe(200);
    expect(officerPdf.headers()["content-type"]).toBe("application/pdf");
    // The tender page shows when they were sent.
    await visit(page, `/tenders/${t.id}`);
    await expect(page.locator(".govuk-summary-list").filter({ hasText: "Assessment summaries sent" })).toHaveCount(1);

    // Harbour Light (unsuccessful in lot 1) reads its own summary from the tender page.
    const provider = await newPage(DEMO.harbourLight.email);
    await visit(provider, `/tenders/${t.id}`);
    await provider.getByRole("link", { name: "Your assessment summary" }).click();
    await expect(provider.getByRole("heading", { level: 1 })).toHaveText("Your assessment summary");
    await expect(provider.locator("main")).toContainText("Unsuccessful: your bid is not to be admitted to the framework for this lot.");
    await expect(provider.locator("main")).toContainText("The successful bid's score");
    await expect(provider.locator("main")).toContainText("61.17 of 100");
    await expectAccessible(provider);
    await screenshots(provider, "assessment-summary-provider");
    const ownPdf = await provider.request.get(`/tenders/${t.id}/award/summaries/${t.bidA}.pdf`);
    expect(ownPdf.status()).toBe(200);
    expect((await ownPdf.body()).subarray(0, 5).toString()).toBe("%PDF-");
    // Moorland's summary is not Harbour Light's to read: not found.
    expect((await provider.request.get(`/tenders/${t.id}/award/summaries/${t.bidB}.pdf`)).status()).toBe(404);

    // The email reached Harbour Light, linking to its PDF.
    const admin = await newPage(DEMO.admin.email);
    const { text } = await readEmail(admin, DEMO.harbourLight.email, "Your assessment summary");
    expect(text).toContain(`/tenders/${t.id}/award/summaries/${t.bidA}.pdf`);

    // The decision record as a PDF, from the recommendation's page.
    const chief = await newPage(DEMO.chiefOfficer.email);
    await visit(chief, `/decisions/${t.recommendationId}`);
    const link = chief.getByRole("link", { name: "Download the decision record (PDF)" });
    await expect(link).toBeVisible();
    const record = await chief.request.get((await link.getAttribute("href"))!);
    expect(record.status()).toBe(200);
    expect(record.headers()["content-type"]).toBe("application/pdf");
    expect((await provider.request.get(`/decisions/${t.recommendationId}/record.pdf`)).status()).toBe(404);
  });
});
