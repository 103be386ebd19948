// A tender's evaluation in the browser, as its commissioning officer and an
// evaluator, with axe on every page: starting it once two officers have
// opened the bids, the panel and its warning, compliance, an evaluator's
// declarations (no bid before them; a declared conflict closed until the
// officer decides), scoring one answer at a time, and moderation with the
// wide-spread flag and two officers moderating the same answer at once.
// The opened tender is built through the tendering modules, as the
// integration tests build theirs.
import type { Actor } from "#app/modules/identity/actor";
import { declareConflicts } from "#app/modules/evaluation/conflicts";
import { moderateAnswer } from "#app/modules/evaluation/moderation";
import { assignEvaluator } from "#app/modules/evaluation/panel";
import { submitScore } from "#app/modules/evaluation/scores";
import { moveToNextStage } from "#app/modules/evaluation/stages";
import { DEMO_OPENED_TENDER } from "#db/seed/demo-data";
import { councilPeople, EVALUATION_NOW, openedTender, type OpenedTender } from "#test/support/evaluation";
import { buildTenderingWorld, contextOf, type TenderingWorld } from "#test/support/tendering";
import { withDatabase } from "./support/database";
import { DEMO, expect, newContextWithoutJavaScript, signIn as signInAs, test, type Page } from "./support/fixtures";
import { screenshots } from "./support/screenshots";

let world: TenderingWorld;
let tender: OpenedTender;
let tom: Actor;
let asha: Actor;
const LINKS = { baseUrl: "http://localhost" };

const flash = (page: Page) => page.locator(".govuk-notification-banner");

test.describe("Evaluating a tender", () => {
  test.describe.configure({ mode: "serial" });

  test.beforeAll(async () => {
    await withDatabase(async (db) => {
      world = await buildTenderingWorld(db);
      [tom, asha] = (await councilPeople(db, world, "evaluator", ["Tom Evans", "Asha Patel"])) as [Actor, Actor];
      tender = await openedTender(db, world);
    });
  });

  test("the officer starts the evaluation and puts two evaluators on the panel, warned while one is short", async ({ page, signIn, visit, expectAccessible }) => {
    await signIn(page, world.officer.email);
    await visit(page, `/tenders/${tender.id}`);
    await page.getByRole("link", { name: "Evaluation", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Evaluation");
    await expectAccessible(page);
    await expect(page.getByLabel("In stages: compliance, then quality, then price")).toBeChecked();
    await screenshots(page, "evaluation-start");
    await page.getByRole("button", { name: "Start the evaluation" }).click();
    await expect(flash(page)).toContainText("The evaluation has started");
    await expect(page.locator(".govuk-warning-text").first()).toContainText("Question 2.1 has no evaluators for lot 1: at least 2 is the norm");
    await expectAccessible(page);

    // Nothing chosen: each field is named in the summary and beside itself.
    await page.getByRole("button", { name: "Put on the panel" }).click();
    await expect(page.locator(".govuk-error-summary")).toContainText("Choose an evaluator");
    await expect(page.locator("#lotIds-error")).toContainText("Choose at least one lot");
    await expectAccessible(page);
    for (const who of [tom, asha]) {
      await page.getByLabel("Evaluator", { exact: true }).selectOption({ label: who.name });
      await page.getByLabel("Quality question", { exact: true }).selectOption({ label: "2.1 How do you keep children safe?" });
      await page.getByLabel(/^Lot 1:/).check();
      await page.getByRole("button", { name: "Put on the panel" }).click();
      await expect(flash(page)).toContainText("The evaluator is on the panel");
    }
    await expect(page.locator(".govuk-warning-text")).not.toContainText(["Question 2.1 has no evaluators for lot 1"]);
    await expect(page.getByText("Question 2.1 has only one evaluator for lot 1")).toHaveCount(0);
    await screenshots(page, "evaluation-officer");
  });

  test("the officer checks each bid's compliance, then moves the evaluation on to quality", async ({ page, signIn, expectAccessible }) => {
    await signIn(page, world.officer.email);
    await page.goto(`/tenders/${tender.id}/evaluation`);
    for (const provider of [world.providerA.organisationName, world.providerB.organisationName]) {
      await page.getByRole("link", { name: `Check ${provider}'s compliance` }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Compliance: ${provider}`);
      await expectAccessible(page);
      await page.getByRole("button", { name: "Record the result" }).click();
      await expect(page.locator(".govuk-error-summary")).toContainText("Say whether question 1.1 passes");
      await expectAccessible(page);
      await page.getByRole("group", { name: /Does question 1\.1/ }).getByLabel("Pass").check();
      await page.getByRole("group", { name: "Is the bid complete?" }).getByLabel("Yes").check();
      if (provider === world.providerA.organisationName) await screenshots(page, "evaluation-compliance");
      await page.getByRole("button", { name: "Record the result" }).click();
      await expect(flash(page)).toContainText("The bid is recorded as compliant");
    }
    await page.getByRole("button", { name: "Move on to quality scoring" }).click();
    await expect(flash(page)).toContainText("The evaluation is at the quality stage");
  });

  test("an evaluator sees no bid until they declare, and a declared conflict stays closed until the officer decides", async ({ page, signIn, expectAccessible, newPage }) => {
    await signIn(page, tom.email);
    await page.goto(`/tenders/${tender.id}/evaluation`);
    await expectAccessible(page);
    await expect(page.getByRole("link", { name: /Score/ })).toHaveCount(0);
    await page.getByRole("link", { name: "Declare your conflicts of interest" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Declare conflicts of interest");
    await expectAccessible(page);
    await page.getByRole("group", { name: `Do you have a conflict of interest with ${world.providerA.organisationName}?` }).getByLabel("No").check();
    await page.getByRole("group", { name: `Do you have a conflict of interest with ${world.providerB.organisationName}?` }).getByLabel("Yes").check();
    await page.getByRole("button", { name: "Record my declarations" }).click();
    await expect(page.locator(".govuk-error-summary")).toContainText(`Describe your conflict of interest with ${world.providerB.organisationName}`);
    // What was chosen is kept.
    await expect(page.getByRole("group", { name: `Do you have a conflict of interest with ${world.providerB.organisationName}?` }).getByLabel("Yes")).toBeChecked();
    await expectAccessible(page);
    await screenshots(page, "evaluation-declarations");
    await page.getByLabel(`If yes, describe the conflict with ${world.providerB.organisationName}`).fill("I was their registered manager until 2022");
    await page.getByRole("button", { name: "Record my declarations" }).click();
    await expect(flash(page)).toContainText("Your declarations are recorded");
    await expect(page.getByText(/a commissioning officer decides before you can see its bid/)).toBeVisible();
    await expectAccessible(page);
    await screenshots(page, "evaluation-evaluator");

    // The officer decides: accept, with a mitigation.
    const officer = await newPage(world.officer.email);
    await officer.goto(`/tenders/${tender.id}/evaluation`);
    await officer.getByRole("link", { name: new RegExp(`^Decide on ${tom.name}'s conflict`) }).click();
    await expect(officer.getByRole("heading", { level: 1 })).toHaveText("Conflict of interest");
    await expectAccessible(officer);
    await officer.getByRole("button", { name: "Record the decision" }).click();
    await expect(officer.locator(".govuk-error-summary")).toContainText("Choose whether to exclude the evaluator");
    await expectAccessible(officer);
    await officer.getByLabel("Accept the conflict with a mitigation").check();
    await officer.getByLabel("Mitigation (if you accept)").fill("A second evaluator reviews this bid's scores");
    await officer.getByLabel("Reason for your decision").fill("The role ended three years ago");
    await screenshots(officer, "evaluation-conflict-decision");
    await officer.getByRole("button", { name: "Record the decision" }).click();
    await expect(flash(officer)).toContainText("Your decision on the conflict is recorded");

    await page.reload();
    await expect(page.getByRole("link", { name: `Score ${world.providerB.organisationName}'s answer` })).toBeVisible();
  });

  test("an evaluator scores one answer at a time, with a justification, and sees others' scores only after their own", async ({ page, signIn, expectAccessible, newPage }) => {
    // Asha scores first, through the module.
    await withDatabase(async (db) => {
      const as = contextOf(asha, EVALUATION_NOW);
      const none = [world.providerA, world.providerB].map((p) => ({ organisationId: p.organisationId, hasConflict: false, description: "" }));
      await db.transaction().execute((trx) => declareConflicts(trx, { tenderId: tender.id, declarations: none }, as, LINKS));
      const rows = await db.selectFrom("bid_submission").select(["id", "organisation_id"]).where("tender_id", "=", tender.id).execute();
      for (const [org, score] of [[world.providerA.organisationId, 4], [world.providerB.organisationId, 3]] as const) {
        const submissionId = rows.find((r) => r.organisation_id === org)!.id;
        await db.transaction().execute((trx) => submitScore(trx, { tenderId: tender.id, submissionId, questionId: tender.q.quality, score, justification: "Clear and evidenced", replacesId: null }, as));
      }
    });
    await signIn(page, tom.email);
    await page.goto(`/tenders/${tender.id}/evaluation`);
    await page.getByRole("link", { name: `Score ${world.providerA.organisationName}'s answer` }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Question 2.1 How do you keep children safe?");
    await expect(page.getByText("6 of 10 words")).toBeVisible();
    await expect(page.getByText("You will see the other evaluators' scores")).toBeVisible();
    await expectAccessible(page);
    await page.getByLabel("1: Poor").check();
    await page.getByRole("button", { name: "Submit score" }).click();
    await expect(page.locator(".govuk-error-summary")).toContainText("Write a justification for your score");
    await expect(page.getByLabel("1: Poor")).toBeChecked();
    await expectAccessible(page);
    await screenshots(page, "evaluation-score");
    await page.getByLabel("Justification").fill("Names training but gives no evidence of practice");
    await page.getByRole("button", { name: "Submit score" }).click();
    await expect(flash(page)).toContainText("Your score of 1 is submitted");
    // The second answer without JavaScript: the form posts and the page keeps what was chosen on an error.
    const plain = await newPage(tom.email, undefined, { javaScript: false });
    await plain.goto(`/tenders/${tender.id}/evaluation`);
    await plain.getByRole("link", { name: `Score ${world.providerB.organisationName}'s answer` }).click();
    await plain.getByLabel("Justification").fill("Clear lead and key workers");
    await plain.getByRole("button", { name: "Submit score" }).click();
    await expect(plain.locator(".govuk-error-summary")).toContainText("Choose a score from 0 to 5");
    await expect(plain.getByLabel("Justification")).toHaveValue("Clear lead and key workers");
    await plain.getByLabel("4: Good").check();
    await plain.getByRole("button", { name: "Submit score" }).click();
    await expect(flash(plain)).toContainText("Your score of 4 is submitted");
    // Every answer scored: Asha's score now shows beside his own.
    await page.goto(`/tenders/${tender.id}/evaluation`);
    await page.getByRole("link", { name: `View ${world.providerA.organisationName}'s answer` }).click();
    await expect(page.getByRole("table", { name: "Other evaluators' scores" })).toContainText(asha.name);
    await expectAccessible(page);
  });

  test("the officer moderates with the wide spread flagged; of two officers moderating one answer at once, one stands and the other is told", async ({ page, signIn, expectAccessible, newPage, browser, baseURL }) => {
    await signIn(page, world.officer.email);
    await page.goto(`/tenders/${tender.id}/evaluation`);
    await page.getByRole("link", { name: /^Moderate question 2\.1/ }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Moderation: question 2.1 How do you keep children safe?");
    const a = page.locator("section", { has: page.getByRole("heading", { name: world.providerA.organisationName }) });
    await expect(a.getByText("Wide spread: discuss")).toBeVisible();
    await expect(a.getByRole("table")).toContainText("Names training but gives no evidence of practice");
    // The scores are in the page once, not again in the data its scripts carry (decision 036), and stay once they have run.
    expect((await page.locator("script").allTextContents()).join("")).not.toContain("Names training");
    await page.waitForFunction(() => (window as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter?.state.initialized === true);
    await expect(a.getByRole("table")).toContainText("Names training but gives no evidence of practice");
    await expectAccessible(page);
    await a.getByRole("button", { name: "Record the agreed score" }).click();
    await expect(page.locator(".govuk-error-summary")).toContainText("Choose a score from 0 to 5");
    await expectAccessible(page);
    // Only the answers whose scores spread widely, then all of them again.
    await expect(page.getByText("Showing answers 1 to 2 of 2, by provider name.")).toBeVisible();
    await page.getByRole("link", { name: /^Wide spread \(\d\)$/ }).click();
    await expect(page.getByRole("link", { name: /^Wide spread/ })).toHaveAttribute("aria-current", "page");
    await expect(page.locator("section h2").first()).toHaveText(world.providerA.organisationName);
    for (const section of await page.locator("section").all()) await expect(section.getByText("Wide spread: discuss")).toBeVisible();
    await expectAccessible(page);
    await page.getByRole("link", { name: "All answers (2)" }).click();
    await expect(page.locator("section h2")).toHaveCount(2);
    await a.getByRole("group", { name: /^Agreed score for/ }).getByLabel("2", { exact: true }).check();
    await a.getByLabel(/^Rationale for/).fill("Discussed: some evidence, thin on practice");
    await screenshots(page, "evaluation-moderation");
    await a.getByRole("button", { name: "Record the agreed score" }).click();
    await expect(flash(page)).toContainText("Agreed score of 2 recorded");

    // Both officers open B's answer; the first to record stands.
    const second = await newPage(tender.secondOfficer.email);
    await second.goto(`/tenders/${tender.id}/evaluation/moderation/${tender.q.quality}`);
    const b = (p: Page) => p.locator("section", { has: p.getByRole("heading", { name: world.providerB.organisationName }) });
    await b(page).getByRole("group", { name: /^Agreed score for/ }).getByLabel("3", { exact: true }).check();
    await b(page).getByLabel(/^Rationale for/).fill("Agreed after discussion");
    await b(second).getByRole("group", { name: /^Agreed score for/ }).getByLabel("4", { exact: true }).check();
    await b(second).getByLabel(/^Rationale for/).fill("I read it as good");
    await b(page).getByRole("button", { name: "Record the agreed score" }).click();
    await expect(flash(page)).toContainText("Agreed score of 3 recorded");
    await b(second).getByRole("button", { name: "Record the agreed score" }).click();
    await expect(second.locator(".govuk-error-summary")).toContainText(`${world.officer.name} recorded an agreed score of 3 for this answer while you were moderating it`);
    await expectAccessible(second);

    // Without JavaScript: a refused change keeps the chosen score, and the summary links to the box to fill.
    const context = await newContextWithoutJavaScript(browser, baseURL);
    const noJs = await context.newPage();
    await signInAs(noJs, world.officer.email);
    await noJs.goto(`/tenders/${tender.id}/evaluation/moderation/${tender.q.quality}`);
    await b(noJs).getByRole("group", { name: /^Change the agreed score for/ }).getByLabel("4", { exact: true }).check();
    await b(noJs).getByRole("button", { name: "Change the agreed score" }).click();
    await expect(noJs.locator(".govuk-error-summary").getByRole("link", { name: "Write the rationale for the agreed score" })).toHaveAttribute("href", /^#rationale-/);
    await expect(b(noJs).getByRole("group", { name: /^Change the agreed score for/ }).getByLabel("4", { exact: true })).toBeChecked();
    await context.close();
    await page.goto(`/tenders/${tender.id}/evaluation`);
    // B also answered question 2.2, which has no evaluator yet: the stage waits, and says why.
    await expect(page.getByText("1 answer has no evaluator")).toBeVisible();
    await screenshots(page, "evaluation-officer-quality");
  });

  test("the evaluation report waits for moderation, then ranks each lot with the moderated and original scores, as a page and a PDF", async ({ page, signIn, visit, expectAccessible }) => {
    await signIn(page, world.officer.email);
    await visit(page, `/tenders/${tender.id}/evaluation/report`);
    await expect(page.locator(".govuk-inset-text")).toContainText("The evaluation is at the quality stage");
    // The last answer (B's, question 2.2, lot 2) scored and agreed, and the evaluation moved on to price, through the modules.
    await withDatabase(async (db) => {
      const officer = contextOf(world.officer, EVALUATION_NOW);
      const subB = (await db.selectFrom("bid_submission").select("id").where("tender_id", "=", tender.id).where("organisation_id", "=", world.providerB.organisationId).executeTakeFirstOrThrow()).id;
      await db.transaction().execute((trx) => assignEvaluator(trx, { tenderId: tender.id, evaluatorId: asha.userId, questionId: tender.q.lot2Only, lotIds: [tender.lot2] }, officer, LINKS));
      await db.transaction().execute((trx) => submitScore(trx, { tenderId: tender.id, submissionId: subB, questionId: tender.q.lot2Only, score: 3, justification: "Sound clinical offer", replacesId: null }, contextOf(asha, EVALUATION_NOW)));
      await db.transaction().execute((trx) => moderateAnswer(trx, { tenderId: tender.id, submissionId: subB, questionId: tender.q.lot2Only, agreedScore: 3, rationale: "One evaluator, agreed", replacesId: null }, officer));
      const { version } = (await db.selectFrom("evaluation").select("version").where("tender_id", "=", tender.id).executeTakeFirstOrThrow());
      await db.transaction().execute((trx) => moveToNextStage(trx, { tenderId: tender.id, expectedVersion: version }, officer));
    });
    await visit(page, `/tenders/${tender.id}/evaluation/report`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Evaluation report");
    const lot1 = page.getByRole("table", { name: /^Ranking for Lot 1/ });
    await expect(lot1.locator("tbody tr").first()).toContainText("1");
    await expect(lot1).toContainText(world.providerA.organisationName);
    await expect(lot1).toContainText(world.providerB.organisationName);
    await expect(lot1).toContainText("Recommended");
    await page.getByText(`Scores by question: ${world.providerA.organisationName}`).first().click();
    await expect(page.locator("details[open]").first()).toContainText(`${asha.name}: 4`);
    await expect(page.getByRole("heading", { name: "The panel and their declarations" })).toBeVisible();
    await expectAccessible(page, { force: true });
    await screenshots(page, "evaluation-report");
    const pdf = await page.request.get(`/tenders/${tender.id}/evaluation/report.pdf`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()["content-type"]).toBe("application/pdf");
    expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");
  });
});

test.describe("The demo's evaluation report", () => {
  test("the Chief Officer reads it from the tender: every lot ranked, the bid that failed compliance with its reason, and the declared conflict with its mitigation", async ({ page, signIn, visit, expectAccessible }) => {
    const tenderId = await withDatabase(async (db) => (await db.selectFrom("tender").select("id").where("title", "=", DEMO_OPENED_TENDER.title).executeTakeFirstOrThrow()).id);
    await signIn(page, DEMO.chiefOfficer.email);
    await visit(page, `/tenders/${tenderId}`);
    await page.getByRole("link", { name: "Evaluation report" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Evaluation report");
    await expect(page.getByRole("table", { name: /^Ranking for Lot 1/ })).toContainText("Recommended");
    await expect(page.getByRole("main")).toContainText("The public liability insurance certificate expired before the submission deadline");
    await expect(page.getByRole("main")).toContainText("Conflict declared: I was a support worker at one of its services until March 2022. Accepted by Priya Shah. Mitigation:");
    await expectAccessible(page);
    // The Chief Officer reads the report, not the evaluation's own pages: the way back is to the tender.
    await page.getByRole("link", { name: "Back to the tender" }).first().click();
    await expect(page).toHaveURL(new RegExp(`/tenders/${tenderId}$`));
  });

  test("the award the report led to: Priya's recommendation from it, the Portfolio Holder's support and the Chief Officer's approval, on the record", async ({ page, signIn, visit, expectAccessible }) => {
    const tenderId = await withDatabase(async (db) => (await db.selectFrom("tender").select("id").where("title", "=", DEMO_OPENED_TENDER.title).executeTakeFirstOrThrow()).id);
    await signIn(page, DEMO.officer.email);
    await visit(page, `/tenders/${tenderId}/award`);
    await expect(page.getByRole("main")).toContainText("Status: Approved");
    await expect(page.getByRole("main")).toContainText(/ranked first with \d+\.\d\d points/);
    await expectAccessible(page);
    await page.getByRole("link", { name: "See the decision record" }).click();
    await expect(page.getByRole("main")).toContainText("Supports the recommendation, with comments");
    await expect(page.getByRole("main")).toContainText("Helen Carter");
    await expect(page.getByRole("main")).toContainText("Corporate Parenting Board");
    await expectAccessible(page);
  });
});
