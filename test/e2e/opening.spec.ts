// Opening a tender's bids in the browser, by two officers: after the
// deadline the demo's commissioning officer asks for the opening, cannot
// confirm it herself (the page says so, and so does the server if the form
// is sent anyway), a second officer of the council confirms, both are named,
// and only then can the council's staff read the bids and download their
// evidence, a document from a provider's evidence library among it.
//
// The demo has one commissioning officer and no tender past its deadline
// with bids, so this spec makes its own through the modules: a second
// officer, and a tender published three days ago whose deadline was
// yesterday, with bids submitted by both demo providers before it.
import type { Kysely } from "kysely";
import type { Database, Trx } from "#app/database/schema";
import { ukDate } from "#app/modules/common/input";
import { systemContext, type ActionContext } from "#app/modules/identity/actor";
import { actorForUser } from "#app/modules/identity/sessions";
import { createActiveUser } from "#app/modules/identity/users";
import { attachBidFile, attachEvidenceDocuments, chooseBidLots, getOwnBid, saveAnswer, setBidPrices, startBid } from "#app/modules/tendering/bids";
import { submitBid } from "#app/modules/tendering/bids-submission";
import { registerInterest } from "#app/modules/tendering/interest";
import { publishTender } from "#app/modules/tendering/publication";
import { addDaysToDay, ukTimeToUtc } from "#app/modules/tendering/timeline";
import { chooseLots, createTender } from "#app/modules/tendering/tenders";
import { completeQuestionnaire } from "#test/support/tendering";
import { csrfToken, DEMO, expect, expectAccessible, PASSWORD, test } from "./support/fixtures";
import { withDatabase } from "./support/database";
import { screenshots } from "./support/screenshots";
import { HARBOUR, MOORLAND } from "./support/market";
import { uniqueEmail } from "./support/users";

const day = (days: number) => addDaysToDay(ukDate(new Date()), days);
const at = (days: number, time: string) => ukTimeToUtc(`${day(days)}T${time}`, "at", "Time");

interface PastTender {
  id: string;
  title: string;
  secondOfficer: { email: string; name: string };
  /** Harbour Light's Ofsted certificate from its evidence library, and Moorland's uploaded file. */
  files: { harbour: string; moorland: string };
}

async function contextFor(db: Kysely<Database>, email: string, now: Date): Promise<ActionContext> {
  const user = await db.selectFrom("app_user").select("id").where("email", "=", email).executeTakeFirstOrThrow();
  return { actor: await actorForUser(db, user.id, null), requestId: "e2e:opening", clientAddress: null, now };
}

/** A residential framework tender published three days ago with its deadline at midday yesterday, and both demo providers' bids in. */
async function pastDeadlineTender(db: Kysely<Database>): Promise<PastTender> {
  const run = <T>(work: (trx: Trx) => Promise<T>) => db.transaction().execute(work);
  const title = `Opening test tender ${Date.now().toString(36)}`;
  const secondOfficer = { email: uniqueEmail("second.officer"), name: "Dev Malik" };
  const westmoor = await db.selectFrom("organisation").select("id").where("name", "=", "Westmoor County Council").executeTakeFirstOrThrow();
  await run((trx) =>
    createActiveUser(trx, { organisationId: westmoor.id, email: secondOfficer.email, fullName: secondOfficer.name, roles: ["commissioning_officer"], password: PASSWORD }, systemContext("e2e:opening")),
  );
  const agreement = await db.selectFrom("agreement").select("id").where("reference", "=", "SWPPC-RES-2027").executeTakeFirstOrThrow();
  const lot = await db.selectFrom("lot").select("id").where("agreement_id", "=", agreement.id).orderBy("number").executeTakeFirstOrThrow();
  const officer = await contextFor(db, DEMO.officer.email, at(-3, "08:00"));
  const id = await run(async (trx) => {
    const { id } = await createTender(
      trx,
      {
        agreementId: agreement.id,
        title,
        procedure: "open",
        lightTouch: true,
        publicationAt: `${day(-3)}T09:00`,
        clarificationDeadlineAt: `${day(-2)}T09:00`,
        submissionDeadlineAt: `${day(-1)}T12:00`,
        intendedAwardOn: day(30),
        intendedContractStartOn: day(60),
      },
      officer,
    );
    await chooseLots(trx, { tenderId: id, expectedVersion: 1, lotIds: [lot.id] }, officer);
    const version = await completeQuestionnaire(trx, { tenderId: id, version: 2, lotIds: [lot.id] }, officer);
    await publishTender(trx, { tenderId: id, expectedVersion: version }, officer);
    return id;
  });

  // Each provider bids the day before the deadline: Harbour Light attaches its Ofsted certificate from its library, Moorland uploads a file.
  const files = { harbour: "", moorland: "" };
  for (const [email, name] of [
    [DEMO.harbourLight.email, "harbour"],
    [DEMO.moorland.email, "moorland"],
  ] as const) {
    const ctx = await contextFor(db, email, at(-2, "10:00"));
    const organisationId = ctx.actor!.organisationId;
    await run((trx) => registerInterest(trx, { tenderId: id, organisationId }, ctx));
    await run((trx) => startBid(trx, { tenderId: id }, ctx));
    await run((trx) => chooseBidLots(trx, { tenderId: id, expectedVersion: 1, lotIds: [lot.id] }, ctx));
    const questions = (await getOwnBid(db, id, ctx.actor!))!.sections.flatMap((s) => s.questions);
    const passFail = questions.find((q) => q.kind === "pass_fail")!;
    await run((trx) => saveAnswer(trx, { tenderId: id, questionId: passFail.id, expectedVersion: 0, meetsRequirement: true }, ctx));
    if (name === "harbour") {
      const ofsted = await db
        .selectFrom("evidence_document")
        .select(["id", "file_id"])
        .where("organisation_id", "=", organisationId)
        .where("kind", "=", "ofsted_registration")
        .where("superseded_at", "is", null)
        .executeTakeFirstOrThrow();
      await run((trx) => attachEvidenceDocuments(trx, { tenderId: id, questionId: passFail.id, documentIds: [ofsted.id] }, ctx));
      files.harbour = ofsted.file_id;
    } else {
      const file = await run((trx) =>
        attachBidFile(trx, { tenderId: id, questionId: passFail.id, file: { fileName: "moorland-registration.pdf", contents: Buffer.from("%PDF-1.4\n% Moorland registration\n%%EOF\n"), ownerOrganisationId: organisationId } }, ctx),
      );
      files.moorland = file.id;
    }
    const quality = questions.find((q) => q.kind === "quality")!;
    await run((trx) => saveAnswer(trx, { tenderId: id, questionId: quality.id, expectedVersion: 0, answerText: `${name === "harbour" ? HARBOUR : MOORLAND}: sealed answer about safeguarding.` }, ctx));
    const draft = (await getOwnBid(db, id, ctx.actor!))!;
    await run((trx) => setBidPrices(trx, { tenderId: id, expectedVersion: draft.bid.version, prices: draft.prices.map((p) => ({ priceItemId: p.id, amountPence: name === "harbour" ? 4_321_00 : 4_765_00 })) }, ctx));
    await run((trx) => submitBid(trx, { tenderId: id, declarationConfirmed: true }, ctx, { baseUrl: "http://localhost" }));
  }
  return { id, title, secondOfficer, files };
}

test.describe("Opening a tender's bids", () => {
  test("needs two officers: the one who asks cannot confirm, a second does, both are named, and only then can staff read the bids", async ({ page, signIn, visit, newPage }) => {
    const tender = await withDatabase(pastDeadlineTender);
    const bids = `/tenders/${tender.id}/bids`;

    // Before opening: the evaluator sees who bid and when, and cannot download a bid's evidence.
    const evaluator = await newPage(DEMO.evaluator.email);
    await visit(evaluator, bids);
    await expect(evaluator.getByRole("region", { name: "2 providers have a bid in" })).toContainText(HARBOUR);
    await expect(evaluator.getByRole("heading", { name: "Opened bids" })).toHaveCount(0);
    expect(await evaluator.content()).not.toContain("sealed answer about safeguarding");
    for (const fileId of [tender.files.harbour, tender.files.moorland]) {
      expect([403, 404]).toContain((await evaluator.request.get(`${bids}/files/${fileId}`)).status());
    }

    // Officer A asks for the opening.
    await signIn(page, DEMO.officer.email);
    await visit(page, bids);
    await expect(page.getByText("No one has asked for the bids to be opened yet.")).toBeVisible();
    await screenshots(page, "opening-before");
    await page.getByRole("button", { name: "Ask for the bids to be opened" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText("You have asked for the bids to be opened");
    await expect(page.locator(".govuk-summary-list")).toContainText(`Asked for by${DEMO.officer.name}`);
    await expect(page.locator(".govuk-summary-list")).toContainText("Waiting for a different commissioning officer");
    // She is not offered the confirmation, and is told why.
    await expect(page.getByRole("button", { name: "Confirm the opening" })).toHaveCount(0);
    await expect(page.getByText("You asked for the opening, so a different commissioning officer of your council confirms it.")).toBeVisible();
    await expectAccessible(page);
    await screenshots(page, "opening-requested");
    // Sending the confirmation anyway is refused with the reason, and nothing opens.
    const refused = await page.request.post(bids, { form: { _csrf: await csrfToken(page), intent: "confirm" } });
    expect(refused.status()).toBe(400);
    expect(await refused.text()).toContain("You asked for the opening, so a different commissioning officer must confirm it: two people open bids, never one");
    await evaluator.reload();
    await expect(evaluator.getByRole("heading", { name: "Opened bids" })).toHaveCount(0);
    expect([403, 404]).toContain((await evaluator.request.get(`${bids}/files/${tender.files.harbour}`)).status());

    // Officer B confirms: both are named.
    const second = await newPage(tender.secondOfficer.email);
    await visit(second, bids);
    await second.getByRole("button", { name: "Confirm the opening" }).click();
    await expect(second.locator(".govuk-notification-banner")).toContainText("The bids are open");
    const opening = second.locator(".govuk-summary-list").first();
    await expect(opening).toContainText(`Asked for by${DEMO.officer.name}`);
    await expect(opening).toContainText(`Confirmed by${tender.secondOfficer.name}`);
    await expect(second.getByRole("button", { name: /Confirm the opening|Ask for the bids/ })).toHaveCount(0);

    // Now the tender's officers read the bids, with each file's SHA-256 and the library document named.
    await visit(second, bids);
    await expect(second.getByRole("heading", { name: "Opened bids" })).toBeVisible();
    await second.getByText(HARBOUR, { exact: true }).last().click();
    const harbour = second.locator("details").filter({ hasText: HARBOUR });
    await expect(harbour).toContainText(`${HARBOUR}: sealed answer about safeguarding.`);
    await expect(harbour.getByRole("link", { name: /^Ofsted registration certificate, from the evidence library, valid until .*: ofsted-registration-certificate\.pdf$/ })).toBeVisible();
    await expect(harbour).toContainText("£4,321.00 per week");
    await expectAccessible(second);
    await screenshots(second, "opening-opened");
    // An evaluator reads answers only through the evaluation (declarations first, prices sealed): not here.
    await visit(evaluator, bids);
    await expect(evaluator.getByRole("heading", { name: "Opened bids" })).toHaveCount(0);
    expect(await evaluator.content()).not.toContain("sealed answer about safeguarding");
    expect([403, 404]).toContain((await evaluator.request.get(`${bids}/files/${tender.files.harbour}`)).status());
    for (const [fileId, name] of [
      [tender.files.harbour, "ofsted-registration-certificate.pdf"],
      [tender.files.moorland, "moorland-registration.pdf"],
    ] as const) {
      const download = await second.request.get(`${bids}/files/${fileId}`);
      expect(download.status()).toBe(200);
      expect(download.headers()["content-type"]).toBe("application/pdf");
      expect(download.headers()["content-disposition"]).toContain(name);
    }

    // The tender's history names both officers.
    await visit(page, `/tenders/${tender.id}/history`);
    await expect(page.locator("main")).toContainText(`${DEMO.officer.name} asked for the 2 bids in "${tender.title}" to be opened`);
    await expect(page.locator("main")).toContainText(`${tender.secondOfficer.name} confirmed the opening of the 2 bids in "${tender.title}", asked for by ${DEMO.officer.name}`);
  });
});
