// After the decision, in the browser: the officer publishes the contract
// award notice from the award page (the light-touch standstill choice
// refused until made, with what was typed kept); anyone, signed out, reads the
// public notice; each bidder sees its outcome and when standstill ends on its
// bid page; the officer records a bidder's challenge, which suspends the
// award, and dismisses it. The opened tender, its recommendation and the
// Chief Officer's approval are arranged through the modules (their pages have
// specs of their own).
import { decideAward } from "#app/modules/awards/decisions";
import { recommendationForTender, saveRecommendation, submitRecommendation } from "#app/modules/awards/recommendations";
import { ukDate } from "#app/modules/common/input";
import { actorForUser } from "#app/modules/identity/sessions";
import { contextOf } from "#test/support/tendering";
import { arrangeOpenedTender } from "./support/awards";
import { withDatabase } from "./support/database";
import { DEMO, expect, expectAccessible, test } from "./support/fixtures";
import { screenshots } from "./support/screenshots";

const LINKS = { baseUrl: "http://localhost" };

/** An opened tender whose award (lot 1 to Harbour Light, below the key-decision threshold) the Chief Officer has approved. */
async function arrangeApprovedAward() {
  const tender = await arrangeOpenedTender();
  await withDatabase(async (db) => {
    const actor = async (email: string) => actorForUser(db, (await db.selectFrom("app_user").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id, null);
    const officer = contextOf(await actor(DEMO.officer.email));
    const t = tender.opened;
    await db.transaction().execute((trx) =>
      saveRecommendation(
        trx,
        {
          tenderId: t.id,
          expectedVersion: 0,
          lots: [{ lotId: t.lot1, bidIds: [t.bidA] }],
          evaluationSummary: "Harbour Light ranked first on quality and price.",
          valuePence: 240_000_00,
          budgetLine: "Children's placements 2027/28, cost centre 4410",
          risks: "Capacity in the west of the county is thin.",
          alternatives: "Spot purchasing, rejected as dearer.",
        },
        officer,
      ),
    );
    await db.transaction().execute((trx) => submitRecommendation(trx, { tenderId: t.id, expectedVersion: 1 }, officer, LINKS));
    const rec = (await recommendationForTender(db, t.id, officer.actor)).recommendation!;
    // One connection: the chief is found before the transaction starts.
    const chief = contextOf(await actor(DEMO.chiefOfficer.email));
    await db.transaction().execute((trx) => decideAward(trx, { recommendationId: rec.id, outcome: "approved", reasons: "Best value for children in the county.", conditions: "" }, chief, LINKS));
  });
  return tender;
}

test.describe("the award notice, standstill and challenges", () => {
  test("officer publishes the notice, anyone reads it, bidders see standstill, a challenge is recorded and dismissed", async ({ page, signIn, visit, newPage }) => {
    test.setTimeout(240_000);
    const tender = await arrangeApprovedAward();

    // The officer publishes from the award page; under light-touch the standstill choice must be made.
    await signIn(page, DEMO.officer.email);
    await visit(page, `/tenders/${tender.id}/award`);
    await expect(page.getByTestId("award-progress")).toContainText("Approved: the contract award notice has not been published yet.");
    await expectAccessible(page);
    await page.getByRole("link", { name: "Publish the contract award notice" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Publish the contract award notice");
    await expect(page.locator("main")).toContainText("Harbour Light Children's Homes Ltd");
    await expectAccessible(page);
    await screenshots(page, "award-notice-publish");
    await page.getByLabel("Working days of standstill").fill("10");
    await page.getByRole("button", { name: "Publish the award notice" }).click();
    const summary = page.locator(".govuk-error-summary");
    await expect(summary.getByRole("link", { name: "Choose whether to apply a voluntary standstill" })).toHaveAttribute("href", "#standstill");
    await expect(page.locator("#standstill-error")).toContainText("Choose whether to apply a voluntary standstill");
    await expect(page.getByLabel("Working days of standstill")).toHaveValue("10");
    await expectAccessible(page);
    await screenshots(page, "award-notice-publish-errors");
    await page.getByLabel("Yes, apply a voluntary standstill").check();
    await page.getByLabel("Working days of standstill").fill("8");
    await page.getByLabel("Why you chose this").fill("Fairness to bidders: the same standstill as a contract outside the light-touch regime.");
    await page.getByRole("button", { name: "Publish the award notice" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText("Contract award notice published");
    await expect(page.locator(".govuk-notification-banner")).toContainText("A voluntary standstill period of 8 working days runs from");
    await expect(page.getByTestId("award-progress")).toContainText(/In standstill: it ends at midnight at the end of \w+day \d+ \w+ \d{4} \(UK time\)\./);
    await expectAccessible(page);
    await screenshots(page, "award-notice-award-page");
    const ends = (await page.getByTestId("award-progress").textContent())!.match(/midnight at the end of (\w+day \d+ \w+ \d{4})/)![1]!;
    // Publishing twice is not offered.
    await expect(page.getByRole("link", { name: "Publish the contract award notice" })).toHaveCount(0);

    // Anyone reads the notice, signed in or not.
    const anonymous = await newPage();
    await visit(anonymous, `/tenders/${tender.id}`);
    await anonymous.getByRole("link", { name: "Contract award notice" }).click();
    await expect(anonymous.getByRole("heading", { level: 1 })).toHaveText("Contract award notice");
    const main = anonymous.locator("main");
    await expect(main).toContainText("Westmoor");
    await expect(main).toContainText("Harbour Light Children's Homes Ltd");
    await expect(main).toContainText("Voluntary: 8 working days");
    await expect(main).toContainText(`At midnight at the end of ${ends} (UK time)`);
    await expect(main).toContainText("Fairness to bidders");
    await expectAccessible(anonymous);
    await screenshots(anonymous, "award-notice-public");

    // Each bidder sees its outcome and when standstill ends; each was emailed.
    const moorland = await newPage(DEMO.moorland.email);
    await visit(moorland, `/tenders/${tender.id}/bid`);
    await expect(moorland.getByTestId("award-notice")).toContainText("has not been awarded a lot in this tender");
    await expect(moorland.getByTestId("award-notice")).toContainText(`ends at midnight at the end of ${ends} (UK time)`);
    await expectAccessible(moorland);
    await screenshots(moorland, "award-notice-bidder");
    const harbour = await newPage(DEMO.harbourLight.email);
    await visit(harbour, `/tenders/${tender.id}/bid`);
    await expect(harbour.getByTestId("award-notice")).toContainText("is to be awarded Lot 1");
    const mail = await withDatabase((db) => db.selectFrom("outbox_email").select("to_address").where("template", "=", "award_notice").where("text", "like", `%${tender.id}%`).execute());
    expect(mail.map((m) => m.to_address)).toEqual(expect.arrayContaining([DEMO.moorland.email, DEMO.harbourLight.email]));

    // A challenge during standstill suspends the award until it is resolved.
    await visit(page, `/tenders/${tender.id}/award`);
    await page.getByRole("link", { name: "Challenges to the award" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Challenges to the award");
    await page.getByRole("button", { name: "Record challenge" }).click();
    await expect(summary.getByRole("link", { name: "Choose the bidder that made the challenge" })).toHaveAttribute("href", "#organisationId");
    await expect(summary.getByRole("link", { name: "Enter the date received" })).toHaveAttribute("href", "#receivedOn-day");
    await expectAccessible(page);
    await screenshots(page, "award-challenges-errors");
    const [year, month, day] = ukDate(new Date()).split("-");
    await page.getByLabel("Which bidder made the challenge?").selectOption({ label: "Moorland Care Group Ltd" });
    await page.getByLabel("Day").fill(String(Number(day)));
    await page.getByLabel("Month").fill(String(Number(month)));
    await page.getByLabel("Year").fill(year!);
    await page.getByLabel("Summary of the grounds").fill("The price scores used the wrong lowest price.");
    await page.getByRole("button", { name: "Record challenge" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText("Challenge recorded");
    await expect(page.locator(".govuk-inset-text").first()).toContainText(/Suspended: a challenge from Moorland Care Group Ltd received \d+ \w+ \d{4} is unresolved\./);
    await expectAccessible(page);
    await screenshots(page, "award-challenges");

    await page.getByRole("link", { name: "Record how the challenge from Moorland Care Group Ltd was resolved" }).click();
    await page.getByRole("button", { name: "Record the resolution" }).click();
    await expect(summary.getByRole("link", { name: "Choose how the challenge was resolved" })).toBeVisible();
    await expectAccessible(page);
    await screenshots(page, "award-challenge-resolve-errors");
    await page.getByLabel("Dismissed").check();
    await page.getByLabel("Reasons").fill("The lowest compliant price was used, as the rules say.");
    await page.getByRole("button", { name: "Record the resolution" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText("Challenge resolved: dismissed: the award may go ahead");
    await expect(page.locator("main")).toContainText("The lowest compliant price was used");
    await expect(page.locator(".govuk-inset-text").first()).toContainText("In standstill");

    // The officer's dashboard lists the award while it is in standstill.
    await visit(page, "/");
    await expect(page.getByTestId("standstills-card")).toContainText(tender.title);
    await expectAccessible(page);
  });
});
