// Evidence for the conditions of participation against real PostgreSQL: a
// dynamic market's application and a competitive flexible tender's request
// to participate attach library documents (expired ones refused; a request's
// must last to the participation deadline's day) and uploaded files (the
// bid's types and limits), removal keeps history, submission freezes them,
// and only the provider itself and, once submitted, the deciding officers
// can download them.
import crypto from "node:crypto";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { ActionRefused, RecordNotFound } from "#app/modules/errors";
import { addEvidence } from "#app/modules/evidence/evidence";
import type { Actor } from "#app/modules/identity/actor";
import { attachConditionDocuments, attachConditionFile, detachConditionFile, type ConditionsKind } from "#app/modules/tendering/application-evidence";
import { answerCondition, chooseApplicationLots, organisationApplications, startApplication, submitApplication } from "#app/modules/tendering/dynamic-markets";
import { registerInterest } from "#app/modules/tendering/interest";
import { answerRequestCondition, ownRequest, startRequest, submitRequest } from "#app/modules/tendering/participation";
import { runAudited } from "#test/support/audited";
import { publishedDynamicMarket, type MarketFixture } from "#test/support/dynamic-markets";
import { CONDITIONS_NOW as NOW, publishedTwoStageTender, useParticipationSuite } from "#test/support/participation";
import { answer, loaderStatus, portalContext, post } from "#test/support/portal-context";
import * as applicationPage from "#app/routes/tenders.$tenderId.applications.$applicationId";
import * as applicationFilePage from "#app/routes/tenders.$tenderId.applications.files.$fileId";
import * as applyCheckPage from "#app/routes/tenders.$tenderId.apply.check";
import * as applyConditionPage from "#app/routes/tenders.$tenderId.apply.conditions.$questionId";
import * as ownApplicationFilePage from "#app/routes/tenders.$tenderId.apply.files.$fileId";
import * as ownRequestFilePage from "#app/routes/tenders.$tenderId.participate.files.$fileId";
import * as requestFilePage from "#app/routes/tenders.$tenderId.participation.files.$fileId";

const { db, ownerDb, world, as, run, failure } = await useParticipationSuite();
const PDF = (words: string) => Buffer.from(`%PDF-1.4\n% ${words}\n%%EOF\n`);
const sha = (bytes: Buffer) => crypto.createHash("sha256").update(bytes).digest("hex");

async function libraryDocument(actor: Actor, input: { kind: string; expiresOn: string | null; words: string }) {
  return run((trx) =>
    addEvidence(trx, { organisationId: actor.organisationId, kind: input.kind, title: null, expiresOn: input.expiresOn, file: { fileName: `${input.words}.pdf`, contents: PDF(input.words) } }, as(actor)),
  );
}

const latestApplication = async (tenderId: string, actor: Actor) => (await organisationApplications(db, tenderId, actor.organisationId))[0]!;

/** The actor's organisation's draft application for the market's first lot, both conditions answered and met. */
async function draftApplication(market: MarketFixture, actor: Actor) {
  const ctx = as(actor);
  await run((trx) => startApplication(trx, { tenderId: market.id }, ctx));
  await run(async (trx) => chooseApplicationLots(trx, { tenderId: market.id, expectedVersion: (await latestApplication(market.id, actor)).version, lotIds: [market.lotIds[0]!] }, ctx));
  await run(async (trx) =>
    answerCondition(trx, { tenderId: market.id, questionId: market.ofstedQuestionId, expectedVersion: (await latestApplication(market.id, actor)).version, meetsRequirement: true, evidence: "URN SC123456" }, ctx),
  );
  await run(async (trx) => answerCondition(trx, { tenderId: market.id, questionId: market.declarationId, expectedVersion: (await latestApplication(market.id, actor)).version, declared: true }, ctx));
}

const attachDocs = (kind: ConditionsKind, tenderId: string, questionId: string, documentIds: string[], actor = world.providerA, now = NOW) =>
  run((trx) => attachConditionDocuments(trx, { kind, tenderId, questionId, documentIds }, as(actor, now)));
const upload = (kind: ConditionsKind, tenderId: string, questionId: string, fileName: string, contents: Buffer, actor = world.providerA) =>
  run((trx) => attachConditionFile(trx, { kind, tenderId, questionId, file: { fileName, contents, ownerOrganisationId: actor.organisationId } }, as(actor)));

type Route = { loader: (args: never) => Promise<unknown> };
const download = (route: Route, actor: Actor | null, params: Record<string, string>) =>
  loaderStatus(() => (route.loader as (args: unknown) => Promise<unknown>)({ request: new Request("http://portal.test/"), params, context: portalContext(db, actor) }));

describe("evidence on an application to join a dynamic market", () => {
  it("attaches a current library document once, uploads a file of an allowed type, refuses an expired document, another's document, a declaration and a wrong type", async () => {
    const market = await publishedDynamicMarket(db, world, NOW);
    await draftApplication(market, world.providerA);
    const ofsted = await libraryDocument(world.providerA, { kind: "ofsted_registration", expiresOn: "2027-09-30", words: "ofsted-certificate" });
    const versionBefore = (await latestApplication(market.id, world.providerA)).version;

    const { value, events } = await runAudited(db, (trx) =>
      attachConditionDocuments(trx, { kind: "market", tenderId: market.id, questionId: market.ofstedQuestionId, documentIds: [ofsted.id] }, as(world.providerA)),
    );
    expect(value).toEqual({ attached: 1 });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: "market.application_changed",
      summary: expect.stringContaining("attached a document from its evidence library to condition 1.1 of its application to"),
      after: { Condition: "1.1", Documents: ["Ofsted registration certificate"], "File SHA-256": [sha(PDF("ofsted-certificate"))] },
    });
    expect(await attachDocs("market", market.id, market.ofstedQuestionId, [ofsted.id])).toEqual({ attached: 0 });

    const uploaded = await upload("market", market.id, market.ofstedQuestionId, "insurance schedule.pdf", PDF("insurance"));
    expect(uploaded).toMatchObject({ fileName: "insurance schedule.pdf", sha256: sha(PDF("insurance")) });

    const application = await latestApplication(market.id, world.providerA);
    // Attaching moves the draft's version on, so a check page built before it cannot submit unseen evidence.
    expect(application.version).toBe(versionBefore + 2);
    // Attached at the same moment here: listed by name.
    expect(application.files[market.ofstedQuestionId]!.map((f) => [f.fileName, f.evidence?.title ?? null, f.sha256])).toEqual([
      ["insurance schedule.pdf", null, sha(PDF("insurance"))],
      ["ofsted-certificate.pdf", "Ofsted registration certificate", sha(PDF("ofsted-certificate"))],
    ]);

    // An expired document: added while current, then the clock moves past its expiry.
    const lapsing = await libraryDocument(world.providerA, { kind: "public_liability_insurance", expiresOn: "2027-01-31", words: "old-insurance" });
    const expired = await failure((trx) =>
      attachConditionDocuments(trx, { kind: "market", tenderId: market.id, questionId: market.ofstedQuestionId, documentIds: [lapsing.id] }, as(world.providerA, new Date("2027-02-01T10:00:00Z"))),
    );
    expect(expired).toBeInstanceOf(ActionRefused);
    expect(expired).toMatchObject({ field: "documents", message: expect.stringMatching(/^"Public liability insurance certificate" expired on 31 January 2027/) });

    const others = await libraryDocument(world.providerB, { kind: "safeguarding_policy", expiresOn: null, words: "moor-policy" });
    expect(await failure((trx) => attachConditionDocuments(trx, { kind: "market", tenderId: market.id, questionId: market.ofstedQuestionId, documentIds: [others.id] }, as(world.providerA)))).toMatchObject({
      field: "documents",
      message: "Select documents from your evidence library",
    });
    expect(await failure((trx) => attachConditionDocuments(trx, { kind: "market", tenderId: market.id, questionId: market.declarationId, documentIds: [ofsted.id] }, as(world.providerA)))).toMatchObject({
      message: "This condition is a declaration: it takes no evidence",
    });
    const exe = await failure((trx) =>
      attachConditionFile(trx, { kind: "market", tenderId: market.id, questionId: market.ofstedQuestionId, file: { fileName: "x.exe", contents: Buffer.from("MZ\x90\x00binary"), ownerOrganisationId: world.providerA.organisationId } }, as(world.providerA)),
    );
    expect(exe).toBeInstanceOf(ActionRefused);
    expect((exe as ActionRefused).field).toBe("file");
    // Nothing refused was attached.
    expect((await latestApplication(market.id, world.providerA)).files[market.ofstedQuestionId]).toHaveLength(2);
  });

  it("removing keeps the row as history; a document that lapses before submission stops it; submission freezes the files, which the officer then downloads and no other provider can", async () => {
    const market = await publishedDynamicMarket(db, world, NOW);
    await draftApplication(market, world.providerA);
    const ofsted = await libraryDocument(world.providerA, { kind: "ofsted_registration", expiresOn: "2027-01-20", words: "short-ofsted" });
    await attachDocs("market", market.id, market.ofstedQuestionId, [ofsted.id]);
    const uploaded = await upload("market", market.id, market.ofstedQuestionId, "registration.pdf", PDF("registration"));
    let application = await latestApplication(market.id, world.providerA);
    const removed = application.files[market.ofstedQuestionId]!.find((f) => f.fileId === uploaded.id)!;
    const { events } = await runAudited(db, (trx) => detachConditionFile(trx, { kind: "market", tenderId: market.id, attachmentId: removed.attachmentId }, as(world.providerA)));
    expect(events[0]).toMatchObject({ action: "market.application_changed", before: { Condition: "1.1", File: "registration.pdf" } });
    const rows = await db.selectFrom("market_application_file").select(["file_id", "detached_at", "detached_by"]).where("application_id", "=", application.id).orderBy("attached_at").execute();
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.file_id === uploaded.id)).toMatchObject({ detached_at: NOW, detached_by: world.providerA.userId });
    expect(await failure((trx) => detachConditionFile(trx, { kind: "market", tenderId: market.id, attachmentId: removed.attachmentId }, as(world.providerA)))).toBeInstanceOf(RecordNotFound);

    // On 21 January the Ofsted certificate has lapsed: the application cannot be submitted until it is replaced.
    const later = new Date("2027-01-21T10:00:00Z");
    application = await latestApplication(market.id, world.providerA);
    const lapsed = await failure((trx) => submitApplication(trx, { tenderId: market.id, expectedVersion: application.version }, as(world.providerA, later)));
    expect(lapsed).toMatchObject({ field: "form", message: `"Ofsted registration certificate" attached to condition 1.1 expired on 20 January 2027: remove it and attach the renewed document` });
    await run((trx) => submitApplication(trx, { tenderId: market.id, expectedVersion: application.version }, as(world.providerA)));

    // Frozen: the module refuses, and the database refuses even a direct change.
    expect(await upload("market", market.id, market.ofstedQuestionId, "late.pdf", PDF("late")).then(() => null, (e: unknown) => e)).toBeInstanceOf(ActionRefused);
    const attached = application.files[market.ofstedQuestionId]![0]!;
    await expect(sql`UPDATE market_application_file SET detached_at = now(), detached_by = ${world.providerA.userId} WHERE id = ${attached.attachmentId}`.execute(db)).rejects.toThrow(
      /a submitted application cannot be changed/,
    );
    await expect(sql`DELETE FROM market_application_file WHERE id = ${attached.attachmentId}`.execute(db)).rejects.toThrow(/permission denied/);
    // Even the owner cannot rewrite what was attached to a draft's row: only a detachment, once.
    await expect(sql`UPDATE market_application_file SET file_name = 'other.pdf' WHERE id = ${removed.attachmentId}`.execute(ownerDb())).rejects.toThrow(/a submitted application cannot be changed|only its detachment/);

    const params = { tenderId: market.id, fileId: attached.fileId };
    const officer = await download(applicationFilePage, world.officer, params);
    expect(officer.status).toBe(200);
    expect(officer.body).toBe(PDF("short-ofsted").toString());
    expect((await download(ownApplicationFilePage, world.providerAColleague, params)).status).toBe(200);
    // Another provider: not found on either address; another council's officer too.
    expect((await download(ownApplicationFilePage, world.providerB, params)).status).toBe(404);
    expect((await download(applicationFilePage, world.providerB, params)).status).toBe(404);
    expect((await download(applicationFilePage, world.otherCouncilOfficer, params)).status).toBe(404);
  });

  it("a draft's files are the provider's alone: the officers' address does not find them", async () => {
    const market = await publishedDynamicMarket(db, world, NOW);
    await draftApplication(market, world.providerA);
    const file = await upload("market", market.id, market.ofstedQuestionId, "draft.pdf", PDF("draft"));
    expect((await download(applicationFilePage, world.officer, { tenderId: market.id, fileId: file.id })).status).toBe(404);
    expect((await download(ownApplicationFilePage, world.providerA, { tenderId: market.id, fileId: file.id })).status).toBe(200);
  });
});

describe("evidence on a request to participate", () => {
  it("needs documents valid on the participation deadline's day, and shows a submitted request's files to the assessing officer only", async () => {
    const tender = await publishedTwoStageTender(db, world, NOW);
    const ctx = as(world.providerB);
    await run((trx) => registerInterest(trx, { tenderId: tender.id, organisationId: world.providerB.organisationId }, ctx));
    await run((trx) => startRequest(trx, { tenderId: tender.id }, ctx));
    const version = async () => (await ownRequest(db, tender.id, world.providerB.organisationId))!.version;
    await run(async (trx) => answerRequestCondition(trx, { tenderId: tender.id, questionId: tender.ofstedQuestionId, expectedVersion: await version(), meetsRequirement: true, evidence: "URN SC654321" }, ctx));
    await run(async (trx) => answerRequestCondition(trx, { tenderId: tender.id, questionId: tender.declarationId, expectedVersion: await version(), declared: true }, ctx));

    // Requests close at noon on 25 January 2027: a certificate ending the day before is refused, one ending that day is enough.
    const short = await libraryDocument(world.providerB, { kind: "ofsted_registration", expiresOn: "2027-01-24", words: "short" });
    const enough = await libraryDocument(world.providerB, { kind: "employers_liability_insurance", expiresOn: "2027-01-25", words: "enough" });
    expect(await failure((trx) => attachConditionDocuments(trx, { kind: "participation", tenderId: tender.id, questionId: tender.ofstedQuestionId, documentIds: [short.id] }, ctx))).toMatchObject({
      field: "documents",
      message: expect.stringContaining("expires on 24 January 2027, before this tender's deadline on 25 January 2027"),
    });
    const { events } = await runAudited(db, (trx) =>
      attachConditionDocuments(trx, { kind: "participation", tenderId: tender.id, questionId: tender.ofstedQuestionId, documentIds: [enough.id] }, ctx),
    );
    expect(events[0]).toMatchObject({ action: "participation.request_changed", summary: expect.stringContaining("of its request to participate in") });
    // The market's kind does not reach the request: the provider has no application to that tender as a market.
    expect(await failure((trx) => attachConditionDocuments(trx, { kind: "market", tenderId: tender.id, questionId: tender.ofstedQuestionId, documentIds: [enough.id] }, ctx))).toMatchObject({
      message: "Only a dynamic market takes applications to join it",
    });
    await run(async (trx) => submitRequest(trx, { tenderId: tender.id, expectedVersion: await version() }, ctx));

    const request = (await ownRequest(db, tender.id, world.providerB.organisationId))!;
    const fileId = request.files[tender.ofstedQuestionId]![0]!.fileId;
    const params = { tenderId: tender.id, fileId };
    expect((await download(requestFilePage, world.officer, params)).body).toBe(PDF("enough").toString());
    expect((await download(ownRequestFilePage, world.providerB, params)).status).toBe(200);
    expect((await download(ownRequestFilePage, world.providerA, params)).status).toBe(404);
    expect((await download(requestFilePage, world.providerA, params)).status).toBe(404);
    // A market's file address for the same file does not serve it (the tender is not a market).
    expect((await download(applicationFilePage, world.officer, params)).status).toBe(404);
  });
});

describe("the application's pages", () => {
  it("a refused document keeps what was ticked and leaves the answer as saved; an upload lands on the page; check your answers and the officer's page list the files as links", async () => {
    const market = await publishedDynamicMarket(db, world, NOW);
    await draftApplication(market, world.providerB);
    const actor = world.providerB;
    const expired = await libraryDocument(actor, { kind: "public_liability_insurance", expiresOn: "2027-01-06", words: "expiring" });
    const ofsted = await libraryDocument(actor, { kind: "ofsted_registration", expiresOn: "2028-01-01", words: "moor-ofsted" });
    const params = { tenderId: market.id, questionId: market.ofstedQuestionId };
    const path = `/tenders/${market.id}/apply/conditions/${market.ofstedQuestionId}`;
    const page = async (who: Actor) =>
      (await applyConditionPage.loader({ request: new Request(`http://portal.test${path}`), params, context: portalContext(db, who) })) as Awaited<ReturnType<typeof applyConditionPage.loader>>;
    // The page offers the organisation's own library; a document of another organisation sent anyway is refused.
    const before = await page(actor);
    expect(before.evidence!.library.map((d) => d.id)).toEqual(expect.arrayContaining([expired.id, ofsted.id]));
    const others = await libraryDocument(world.providerA, { kind: "safeguarding_policy", expiresOn: null, words: "harbour-policy" });
    const refused = await answer(() =>
      applyConditionPage.action({ request: post(path, { intent: "attach-evidence", documents: [ofsted.id, others.id] }), params, context: portalContext(db, actor) }),
    );
    expect(refused.status).toBe(400);
    expect(refused.data).toEqual({ errors: { documents: "Select documents from your evidence library" }, values: {}, documents: [ofsted.id, others.id] });
    expect((await latestApplication(market.id, actor)).files[market.ofstedQuestionId]).toBeUndefined();

    const attached = await answer(() => applyConditionPage.action({ request: post(path, { intent: "attach-evidence", documents: [ofsted.id] }), params, context: portalContext(db, actor) }));
    expect(attached).toMatchObject({ status: 302, location: path });
    const form = new FormData();
    form.set("intent", "upload");
    form.set("file", new File([PDF("moor-inspection")], "inspection.pdf", { type: "application/pdf" }));
    const uploaded = await answer(() => applyConditionPage.action({ request: new Request(`http://portal.test${path}`, { method: "POST", body: form }), params, context: portalContext(db, actor) }));
    expect(uploaded).toMatchObject({ status: 302, location: path });
    const after = await page(actor);
    // In the order they were attached (the pages run on the real clock).
    expect(after.evidence!.files.map((f) => f.fileName)).toEqual(["Ofsted registration certificate, from the evidence library, valid until 1 January 2028: moor-ofsted.pdf", "inspection.pdf"]);
    expect(after.evidence!.library.map((d) => d.id)).not.toContain(ofsted.id);
    // The answer's fields are as saved: attaching did not touch them.
    expect(after.values).toMatchObject({ meetsRequirement: "yes", evidence: "URN SC123456" });

    const check = await applyCheckPage.loader({ request: new Request(`http://portal.test/tenders/${market.id}/apply/check`), params: { tenderId: market.id }, context: portalContext(db, actor) });
    const files = check.conditions.find((c) => c.id === market.ofstedQuestionId)!.files;
    expect(files.map((f) => f.label)).toEqual(after.evidence!.files.map((f) => f.fileName));
    expect(files.every((f) => f.href.startsWith(`/tenders/${market.id}/apply/files/`))).toBe(true);
    const submitted = await answer(() => applyCheckPage.action({ request: post(`/tenders/${market.id}/apply/check`, { expectedVersion: String(check.version) }), params: { tenderId: market.id }, context: portalContext(db, actor) }));
    expect(submitted).toMatchObject({ status: 302, location: `/tenders/${market.id}/apply` });

    const application = await latestApplication(market.id, actor);
    const officerPage = (await applicationPage.loader({ request: new Request("http://portal.test/"), params: { tenderId: market.id, applicationId: application.id }, context: portalContext(db, world.officer) })) as {
      conditions: { id: string; files: { href: string; label: string }[] }[];
    };
    const officerFiles = officerPage.conditions.find((c) => c.id === market.ofstedQuestionId)!.files;
    expect(officerFiles.map((f) => f.label)).toEqual(files.map((f) => f.label));
    for (const f of officerFiles) {
      expect(f.href).toMatch(new RegExp(`^/tenders/${market.id}/applications/files/`));
      expect((await download(applicationFilePage, world.officer, { tenderId: market.id, fileId: f.href.split("/").at(-1)! })).status).toBe(200);
    }
  });
});
