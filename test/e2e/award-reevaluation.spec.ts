// Re-evaluation after a challenge in the browser (decision 037): the officer
// upholds a challenge for re-evaluation; the public notice says it was
// withdrawn, when and why; the award page shows the first award superseded
// with the challenge and its resolution; the officer changes a moderated
// score (refused without a reason, with what was typed kept), sees the change
// beside the score it replaced and the evaluation as it stood, and finds the
// new recommendation's form filled in from the updated report. The evaluated,
// approved award, its summaries, notice and challenge are arranged through
// the modules (their pages have specs of their own). A second test passes a
// bid that was wrongly excluded: the change listed beside what it was, and its
// unscored answer agreed before the new recommendation.
import { sendAssessmentSummaries } from "#app/modules/awards/assessment-summaries";
import { publishAwardNotice } from "#app/modules/awards/award-notice";
import { recordChallenge, resolveChallenge } from "#app/modules/awards/challenges";
import { ukDate } from "#app/modules/common/input";
import { A_FAILURE, approvedAward } from "#test/support/assessment";
import { contextOf } from "#test/support/tendering";
import { demoAwardWorld } from "./support/awards";
import { withDatabase } from "./support/database";
import { DEMO, expect, expectAccessible, test } from "./support/fixtures";
import { screenshots } from "./support/screenshots";

const LINKS = { baseUrl: "http://localhost" };

/** `failA`: Harbour Light's bid was found not compliant and never scored, and the challenge is upheld for re-evaluation here. */
async function arrangeChallengedAward(options: { failA?: boolean } = {}) {
  return withDatabase(async (db) => {
    const { world, actor } = await demoAwardWorld(db);
    const t = await approvedAward(db, world, { chief: await actor(DEMO.chiefOfficer.email), failA: options.failA });
    const officer = contextOf(world.officer);
    await db.transaction().execute((trx) => sendAssessmentSummaries(trx, { tenderId: t.id }, officer, LINKS));
    await db.transaction().execute((trx) => publishAwardNotice(trx, { tenderId: t.id, standstill: "apply", workingDays: 8, reason: "As for any award of this size" }, officer, LINKS));
    const challenge = await db.transaction().execute((trx) =>
      recordChallenge(trx, { tenderId: t.id, organisationId: world.providerA.organisationId, receivedOn: ukDate(new Date()), grounds: "Our evidence at appendix 3 was not read." }, officer),
    );
    if (options.failA) {
      await db.transaction().execute((trx) =>
        resolveChallenge(trx, { tenderId: t.id, challengeId: challenge.id, outcome: "upheld_reevaluate", reasons: "The insurance certificate was in appendix 3" }, officer, LINKS),
      );
    }
    const tender = await db.selectFrom("tender").select("title").where("id", "=", t.id).executeTakeFirstOrThrow();
    return { ...t, title: tender.title };
  });
}

test.describe("re-evaluation after a challenge", () => {
  test("upheld for re-evaluation: notice withdrawn, first award superseded on record, a score changed with its reason, a new draft from the updated report", async ({ page, signIn, visit, newPage }) => {
    test.setTimeout(240_000);
    const t = await arrangeChallengedAward();

    await signIn(page, DEMO.officer.email);
    await visit(page, `/tenders/${t.id}/award/challenges`);
    await page.getByRole("link", { name: /^Record how the challenge from / }).first().click();
    await page.getByLabel("Upheld: re-evaluate the bids").check();
    await page.getByLabel("Reasons").fill("Appendix 3 was overlooked in moderation.");
    await page.getByRole("button", { name: "Record the resolution" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText("Challenge resolved: upheld: the bids are to be re-evaluated");

    // Anyone, signed out, reads that the notice was withdrawn, when and why.
    const publicPage = await newPage();
    await visit(publicPage, `/tenders/${t.id}/award-notice`);
    await expect(publicPage.locator(".govuk-warning-text")).toContainText(/This notice was withdrawn on \d{1,2} \w+ \d{4}\. No contract will be entered into under it\./);
    await expect(publicPage.locator("main")).toContainText("Appendix 3 was overlooked in moderation.");
    await expectAccessible(publicPage);
    await screenshots(publicPage, "award-notice-withdrawn");

    // The bidder's own bid page says the notice it was sent is withdrawn.
    const bidder = await newPage();
    await signIn(bidder, DEMO.harbourLight.email);
    await visit(bidder, `/tenders/${t.id}/bid`);
    await expect(bidder.getByTestId("award-notice")).toContainText("This notice has been withdrawn. On ");
    await expect(bidder.getByTestId("award-notice")).toContainText("No contract will be entered into under it.");

    // The award page: where it stands, the first award superseded with the challenge and its resolution.
    await visit(page, `/tenders/${t.id}/award`);
    await expect(page.getByTestId("award-progress")).toContainText("Being re-evaluated: the award approved earlier was superseded on");
    const history = page.locator("section", { has: page.getByRole("heading", { name: "Earlier awards" }) });
    await expect(history).toContainText("The first award (superseded)");
    await expect(history).toContainText("Upheld for re-evaluation by");
    await expect(history).toContainText("Our evidence at appendix 3 was not read.");
    await expectAccessible(page);
    await screenshots(page, "award-reevaluating");

    // The superseded award's decision record says why.
    await history.getByRole("link", { name: /^See its decision record/ }).click();
    await expect(page.locator("main")).toContainText("Superseded: On ");
    await expect(page.locator("main")).toContainText("Its award notice was withdrawn");
    await expectAccessible(page);
    await screenshots(page, "award-decision-superseded");
    await page.goBack();

    // The re-evaluation: change Harbour Light's score; refused without a reason, keeping what was typed.
    await page.getByRole("link", { name: "The re-evaluation: changed scores and the evaluation as it stood" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Re-evaluation");
    await expect(page.locator("main")).toContainText("No moderated score has been changed.");
    await expectAccessible(page);
    await screenshots(page, "award-reevaluation");
    await page.getByRole("link", { name: /^Change Harbour Light.*'s score for/ }).first().click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Change Harbour Light.*'s moderated score$/);
    await page.getByLabel("5", { exact: true }).check();
    await page.getByLabel("Rationale for the new agreed score").fill("Appendix 3 evidences monthly training and supervision.");
    await page.getByRole("button", { name: "Change the moderated score" }).click();
    const summary = page.locator(".govuk-error-summary");
    await expect(summary.getByRole("link", { name: "Enter why the score changes in the re-evaluation" })).toHaveAttribute("href", "#reason");
    await expect(page.locator("#reason-error")).toContainText("Enter why the score changes in the re-evaluation");
    await expect(page.getByLabel("Rationale for the new agreed score")).toHaveValue("Appendix 3 evidences monthly training and supervision.");
    await expect(page.getByLabel("5", { exact: true })).toBeChecked();
    await expectAccessible(page);
    await screenshots(page, "award-reevaluation-change-errors");
    await page.getByLabel("Why the score changes in the re-evaluation").fill("The challenge showed appendix 3 was not read.");
    await page.getByRole("button", { name: "Change the moderated score" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText("Moderated score changed");
    const changes = page.locator("table", { has: page.getByText("Each change beside the score it replaced") });
    await expect(changes).toContainText("The challenge showed appendix 3 was not read.");
    await expect(changes.locator("tbody tr").first()).toContainText(/Harbour Light.*\s*2\s*5/);
    await expectAccessible(page);
    await screenshots(page, "award-reevaluation-changed");

    // The new recommendation starts from the updated report: Harbour Light now first in lot 1.
    await visit(page, `/tenders/${t.id}/award`);
    await expect(page.getByRole("heading", { name: "Who you recommend" })).toBeVisible();
    await expect(page.getByRole("group", { name: /^Lot 1/ }).getByLabel(/^Harbour Light/)).toBeChecked();
    await expectAccessible(page);
  });

  test("a bid wrongly excluded is passed in re-evaluation with a reason, listed beside what it was, and its unscored answer agreed before the new recommendation", async ({ page, signIn, visit }) => {
    test.setTimeout(240_000);
    const t = await arrangeChallengedAward({ failA: true });

    await signIn(page, DEMO.officer.email);
    await visit(page, `/tenders/${t.id}/award/reevaluation`);
    await expect(page.locator("main")).toContainText("No compliance result has been changed.");
    await page.getByRole("link", { name: /^Change Harbour Light.*'s compliance result$/ }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Change Harbour Light.*'s compliance result$/);
    await expect(page.locator("main")).toContainText(`Not compliant: ${A_FAILURE}`);

    // Refused without a reason, keeping the choice.
    await page.getByLabel("Compliant", { exact: true }).check();
    await page.getByRole("button", { name: "Change the compliance result" }).click();
    const summary = page.locator(".govuk-error-summary");
    await expect(summary.getByRole("link", { name: "Enter why the compliance result changes in the re-evaluation" })).toHaveAttribute("href", "#reason");
    await expect(page.locator("#reason-error")).toContainText("Enter why the compliance result changes in the re-evaluation");
    await expect(page.getByLabel("Compliant", { exact: true })).toBeChecked();
    await expectAccessible(page);
    await screenshots(page, "award-reevaluation-compliance-errors");
    await page.getByLabel("Why the compliance result changes in the re-evaluation").fill("The challenge showed the insurance certificate was in appendix 3.");
    await page.getByRole("button", { name: "Change the compliance result" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText("Compliance result changed");

    // What it was, what it is, why, who and when; and the answer that now needs an agreed score.
    const changes = page.locator("table", { has: page.getByText("Each change beside the result it replaced") });
    await expect(changes.locator("tbody tr").first()).toContainText(/Harbour Light.*Not compliant: No current public liability insurance certificate.*Compliant.*The challenge showed the insurance certificate was in appendix 3\..*Priya Shah/);
    const unscored = page.getByTestId("unscored");
    await expect(unscored).toContainText("1 answer of a bid found compliant in the re-evaluation needs an agreed score before the new award recommendation can be submitted");
    await expectAccessible(page);
    await screenshots(page, "award-reevaluation-compliance-changed");

    // The officer agrees its score with a reason; nothing is left to score.
    await unscored.getByRole("link", { name: /^Harbour Light/ }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Agree Harbour Light.*'s moderated score$/);
    await page.getByLabel("5", { exact: true }).check();
    await page.getByLabel("Rationale for the new agreed score").fill("Monthly training and supervision, well evidenced.");
    await page.getByLabel("Why the score changes in the re-evaluation").fill("Not scored before: the bid was wrongly excluded.");
    await page.getByRole("button", { name: "Agree the moderated score" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText("Moderated score agreed");
    await expect(page.getByTestId("unscored")).toHaveCount(0);
    const scores = page.locator("table", { has: page.getByText("Each change beside the score it replaced") });
    await expect(scores.locator("tbody tr").first()).toContainText(/Harbour Light.*\s*None\s*5/);
    await expectAccessible(page);
  });
});
