// A provider attaching documents from its evidence library to a bid's
// answer, instead of uploading them again: an expired document is refused
// beside the field (the choice kept), a current one is attached and named
// with its expiry on the question, on check your answers and as a download;
// and the same works without JavaScript (plain checkboxes).
import { DEMO, expect, test } from "./support/fixtures";
import { withDatabase } from "./support/database";
import { screenshots } from "./support/screenshots";

const TENDER_TITLE = "Residential children's homes framework 2027 to 2031: call for providers";
const EXPIRED = "Employer's liability insurance, policy EL-77310 (employer's liability insurance certificate)";
const INDEMNITY = "Professional indemnity insurance, policy PI-5120 (professional indemnity insurance certificate)";
const POLICY = "Safeguarding and child protection policy";

/** The demo tender and its second pass/fail question (insurance), as Harbour Light's bid shows it. */
async function insuranceQuestion(): Promise<{ bid: string; question: string }> {
  return withDatabase(async (db) => {
    const tender = await db.selectFrom("tender").select("id").where("title", "=", TENDER_TITLE).executeTakeFirstOrThrow();
    const question = await db
      .selectFrom("tender_question")
      .innerJoin("tender_section", "tender_section.id", "tender_question.section_id")
      .select("tender_question.id")
      .where("tender_question.tender_id", "=", tender.id)
      .where("tender_question.kind", "=", "pass_fail")
      .orderBy("tender_section.position")
      .orderBy("tender_question.position")
      .offset(1)
      .limit(1)
      .executeTakeFirstOrThrow();
    return { bid: `/tenders/${tender.id}/bid`, question: `/tenders/${tender.id}/bid/questions/${question.id}` };
  });
}

test.describe("Evidence from the library in a bid", () => {
  test("an expired document is refused beside the field, a current one is attached and named with its expiry", async ({ page, signIn, visit, expectAccessible }) => {
    const { bid, question } = await insuranceQuestion();
    await signIn(page, DEMO.harbourLight.email);
    await visit(page, question);
    const library = page.getByRole("group", { name: "Choose documents to attach" });
    await expect(library).toContainText("It must still be valid on the day of the deadline");
    await expect(library.getByText(/^Expired on .*: cannot be attached$/)).toBeVisible();
    await screenshots(page, "bid-evidence-library");

    await page.getByLabel(EXPIRED).check();
    await page.getByRole("button", { name: "Attach chosen documents" }).click();
    await expect(page.locator(".govuk-error-summary")).toContainText(/"Employer's liability insurance, policy EL-77310" expired on .*: upload the renewed document to your evidence library and attach that/);
    await expect(page.locator("#evidence-error")).toContainText("expired on");
    await expect(page.getByLabel(EXPIRED)).toBeChecked();
    // The answer's own form is left as saved (Harbour Light said yes).
    await expect(page.getByLabel("Yes", { exact: true })).toBeChecked();
    await expectAccessible(page);
    await screenshots(page, "bid-evidence-refused");
    // The summary's link goes to the checkboxes.
    await expect(page.locator(".govuk-error-summary a")).toHaveAttribute("href", "#evidence");

    await page.getByLabel(EXPIRED).uncheck();
    await page.getByLabel(INDEMNITY).check();
    await page.getByRole("button", { name: "Attach chosen documents" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText("1 document attached from your evidence library");
    const attached = page.getByRole("link", { name: /^Professional indemnity insurance, policy PI-5120 \(professional indemnity insurance certificate\), from the evidence library, valid until .*: professional-indemnity-insurance-policy-pi-5120\.pdf$/ });
    await expect(attached).toBeVisible();
    // Attached documents leave the list of choices.
    await expect(page.getByLabel(INDEMNITY)).toHaveCount(0);
    await expectAccessible(page);
    await screenshots(page, "bid-evidence-attached");
    const download = await page.request.get((await attached.getAttribute("href"))!);
    expect(download.status()).toBe(200);
    expect(download.headers()["content-disposition"]).toContain("professional-indemnity-insurance-policy-pi-5120.pdf");

    await visit(page, `${bid}/check`);
    await expect(page.locator("main")).toContainText("Professional indemnity insurance, policy PI-5120 (professional indemnity insurance certificate), from the evidence library");

    // Taken off again, so the demo bid is as it was.
    await visit(page, question);
    await page.getByRole("button", { name: /^Remove Professional indemnity/ }).click();
    await expect(attached).toHaveCount(0);
  });

  test("works without JavaScript: plain checkboxes and a button", async ({ newPage }) => {
    const { question } = await insuranceQuestion();
    const p = await newPage(DEMO.harbourLight.email, undefined, { javaScript: false });
    await p.goto(question);
    await p.getByRole("button", { name: "Attach chosen documents" }).click();
    await expect(p.locator("#evidence-error")).toContainText("Select at least one document from your evidence library");
    await p.getByLabel(POLICY).check();
    await p.getByRole("button", { name: "Attach chosen documents" }).click();
    await expect(p.getByText("1 document attached from your evidence library")).toBeVisible();
    await expect(p.getByRole("link", { name: /^Safeguarding and child protection policy \(safeguarding policy\), from the evidence library, no expiry date: safeguarding-and-child-protection-policy\.pdf$/ })).toBeVisible();
    await p.getByRole("button", { name: /^Remove Safeguarding and child protection policy/ }).click();
    await expect(p.getByRole("link", { name: /^Safeguarding and child protection policy \(safeguarding policy\), from the evidence library/ })).toHaveCount(0);
  });
});
