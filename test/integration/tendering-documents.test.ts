import type { LoaderFunctionArgs } from "@remix-run/node";
import crypto from "node:crypto";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "#app/database/schema";
import { verifyAuditTrail } from "#app/modules/audit/verify";
import { ActionRefused } from "#app/modules/errors";
import { readFile } from "#app/modules/files/files";
import { addTenderDocument, findTenderDocument, listTenderDocuments, tenderPackThing, withdrawTenderDocument } from "#app/modules/tendering/documents";
import { registerInterest } from "#app/modules/tendering/interest";
import { listAmendments } from "#app/modules/tendering/publication";
import { createTender, getTender } from "#app/modules/tendering/tenders";
import { may } from "#app/policy/policy";
import * as documentsPage from "#app/routes/tenders.$tenderId.documents._index";
import * as downloadRoute from "#app/routes/tenders.$tenderId.documents.$documentId";
import { runAudited } from "#test/support/audited";
import { loaderStatus, portalContext } from "#test/support/portal-context";
import { useTestDatabase } from "#test/support/database";
import { buildTenderingWorld, contextOf, publishedTender, type TenderingWorld } from "#test/support/tendering";

const { db, ownerDb } = await useTestDatabase();
let world: TenderingWorld;
let draftId: string;
let publishedId: string;
const NOW = new Date("2027-01-04T09:00:00Z");
const AFTER_DEADLINE = new Date("2027-02-08T12:00:00Z");
const LINKS = { baseUrl: "http://portal.test" };
const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`);

beforeAll(async () => {
  world = await buildTenderingWorld(db);
  ({ id: draftId } = await db.transaction().execute((trx) =>
    createTender(trx, { agreementId: world.agreements.residential_framework.id, title: "Draft with documents", procedure: "open", lightTouch: true }, contextOf(world.officer, NOW)),
  ));
  ({ id: publishedId } = await publishedTender(db, world, NOW, {
    publicationAt: "2027-01-04T09:00",
    clarificationDeadlineAt: "2027-01-25T17:00",
    submissionDeadlineAt: "2027-02-08T12:00",
    intendedAwardOn: "2027-03-15",
    intendedContractStartOn: "2027-04-01",
  }));
  await db.transaction().execute((trx) => registerInterest(trx, { tenderId: publishedId, organisationId: world.providerA.organisationId }, contextOf(world.providerA, NOW)));
}, 60_000);

const add = (tenderId: string, input: { title: string; fileName?: string; bytes?: Buffer; replacesDocumentId?: string | null; reason?: string }, now = NOW) =>
  runAudited(db, (trx) =>
    addTenderDocument(
      trx,
      { tenderId, title: input.title, file: { fileName: input.fileName ?? "spec.pdf", contents: input.bytes ?? pdf(input.title) }, replacesDocumentId: input.replacesDocumentId, reason: input.reason },
      contextOf(world.officer, now),
      LINKS,
    ),
  );

const emailCount = async () => Number((await db.selectFrom("outbox_email").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

async function download(tenderId: string, documentId: string): Promise<Buffer> {
  const found = await findTenderDocument(db, tenderId, documentId);
  const parts: Buffer[] = [];
  for await (const part of readFile(db, found!.file)) parts.push(part);
  return Buffer.concat(parts);
}

describe("a draft's documents", () => {
  it("are added freely: the file is stored with its SHA-256, audited, and no one is emailed", async () => {
    const emails = await emailCount();
    const bytes = pdf("Service specification v1");
    const { value, error, events } = await add(draftId, { title: "Service specification", fileName: "spec-v1.pdf", bytes });
    expect(error).toBeNull();
    expect(value).toMatchObject({ amendmentNumber: null });
    expect(events.map((e) => e.action)).toEqual(["file.stored", "tender.document_added"]);
    expect(events[1]!.after).toMatchObject({ Document: "Service specification", File: "spec-v1.pdf", "SHA-256": crypto.createHash("sha256").update(bytes).digest("hex") });
    expect(await emailCount()).toBe(emails);
    const [doc] = await listTenderDocuments(db, draftId);
    expect(doc).toMatchObject({ title: "Service specification", status: "current", file: { fileName: "spec-v1.pdf", contentType: "application/pdf", sizeBytes: bytes.length } });
    expect((await download(draftId, value!.documentId)).equals(bytes)).toBe(true);
  });

  it("keep a replaced document, listed as replaced by the new one", async () => {
    const [first] = await listTenderDocuments(db, draftId);
    const { error, events } = await add(draftId, { title: "Service specification (revised)", fileName: "spec-v2.pdf", replacesDocumentId: first!.id });
    expect(error).toBeNull();
    expect(events[1]).toMatchObject({ action: "tender.document_replaced", before: { Document: "Service specification" } });
    const docs = await listTenderDocuments(db, draftId);
    expect(docs.map((d) => [d.title, d.status])).toEqual([
      ["Service specification (revised)", "current"],
      ["Service specification", "replaced"],
    ]);
    expect(docs[0]!.replacesTitle).toBe("Service specification");
    expect(docs[1]!.replacedByTitle).toBe("Service specification (revised)");
    // The replaced file can still be downloaded: what providers may have read stays available.
    expect((await download(draftId, first!.id)).toString()).toContain("Service specification");

    const twice = await add(draftId, { title: "Another", replacesDocumentId: first!.id });
    expect(twice.error).toMatchObject({ field: "replacesDocumentId", message: '"Service specification" has already been replaced: choose a current document to replace' });
    expect(twice.events).toEqual([]);
  });

  it("let only one of two officers replacing the same document at once replace it; the other is told, and nothing is overwritten", async () => {
    const { value } = await add(draftId, { title: "Safeguarding policy" });
    const results = await Promise.all([
      add(draftId, { title: "Safeguarding policy (Anna's)", replacesDocumentId: value!.documentId }),
      add(draftId, { title: "Safeguarding policy (Ben's)", replacesDocumentId: value!.documentId }),
    ]);
    expect(results.filter((r) => r.error === null)).toHaveLength(1);
    expect(results.find((r) => r.error !== null)!.error).toMatchObject({ field: "replacesDocumentId", message: '"Safeguarding policy" has already been replaced: choose a current document to replace' });
    const replaced = (await listTenderDocuments(db, draftId)).find((d) => d.id === value!.documentId)!;
    expect(replaced.status).toBe("replaced");
  });

  it("refuse a file that is not a document, a missing title and an unknown document to replace, storing nothing", async () => {
    const files = async () => Number((await db.selectFrom("stored_file").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
    const before = await files();
    const program = await add(draftId, { title: "Prices", fileName: "prices.pdf", bytes: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]) });
    expect(program.error).toMatchObject({ field: "file" });
    expect((program.error as ActionRefused).message).toMatch(/must be a PDF, Word/);
    expect((await add(draftId, { title: "  " })).error).toMatchObject({ field: "title", message: "Enter the document title" });
    expect((await add(draftId, { title: "X", replacesDocumentId: crypto.randomUUID() })).error).toMatchObject({ field: "replacesDocumentId" });
    expect(await files()).toBe(before);
  });
});

describe("a published tender's documents", () => {
  it("change only as an amendment with a reason, listed on the tender and emailed to interested providers", async () => {
    const noReason = await add(publishedId, { title: "Pricing guidance" });
    expect(noReason.error).toMatchObject({ field: "reason", message: "Enter the reason for changing the documents of a published tender" });
    expect(noReason.events).toEqual([]);

    const start = new Date();
    const { value, error } = await add(publishedId, { title: "Pricing guidance", fileName: "pricing.pdf", reason: "Providers asked how to price 1:1 support" });
    expect(error).toBeNull();
    expect(value!.amendmentNumber).toBe(1);
    const [amendment] = await listAmendments(db, publishedId);
    expect(amendment).toMatchObject({ number: 1, reason: "Providers asked how to price 1:1 support", changesSubmission: false });
    expect(amendment!.changes[0]).toMatchObject({ label: "Documents", after: '"Pricing guidance" (pricing.pdf) added' });
    const emails = await db.selectFrom("outbox_email").select(["to_address", "template", "text"]).where("created_at", ">=", start).execute();
    expect(emails.map((e) => e.to_address).sort()).toEqual([world.providerA.email, world.providerAColleague.email].sort());
    expect(emails.every((e) => e.template === "tender_amended" && e.text.includes("Pricing guidance") && e.text.includes("Providers asked how to price"))).toBe(true);
  });

  it("keep a withdrawn document listed as withdrawn, with the reason, as a further amendment", async () => {
    const [doc] = await listTenderDocuments(db, publishedId);
    const { error, events } = await runAudited(db, (trx) =>
      withdrawTenderDocument(trx, { tenderId: publishedId, documentId: doc!.id, reason: "Superseded by clarification 1" }, contextOf(world.officer, NOW), LINKS),
    );
    expect(error).toBeNull();
    expect(events).toMatchObject([{ action: "tender.document_withdrawn", reason: "Superseded by clarification 1" }]);
    const [after] = await listTenderDocuments(db, publishedId);
    expect(after).toMatchObject({ id: doc!.id, status: "withdrawn", withdrawal: { reason: "Superseded by clarification 1" } });
    expect((await listAmendments(db, publishedId)).map((a) => a.number)).toEqual([1, 2]);
  });

  it("can no longer change after the submission deadline", async () => {
    const late = await add(publishedId, { title: "Late document", reason: "Forgot" }, AFTER_DEADLINE);
    expect(late.error).toBeInstanceOf(ActionRefused);
    expect(late.error!.message).toBe("The submission deadline has passed, so the documents can no longer change");
    expect(late.events).toEqual([]);
  });
});

describe("who may download the pack", () => {
  const actor = (base: TenderingWorld["officer"], roles: Role[]) => ({ ...base, roles });

  it("lets providers that registered interest and the lead council's staff download, tells other providers to register interest first", async () => {
    const view = (await getTender(db, publishedId))!;
    const thingFor = (a: TenderingWorld["officer"]) => tenderPackThing(db, view, a);
    expect(may(world.providerA, "tenderDocument.download", await thingFor(world.providerA)).allowed).toBe(true);
    expect(may(world.providerB, "tenderDocument.download", await thingFor(world.providerB))).toEqual({ allowed: false, status: 403, reason: "register interest in this tender first" });
    expect(may(world.officer, "tenderDocument.download", await thingFor(world.officer)).allowed).toBe(true);
    expect(may(actor(world.officer, ["evaluator"]), "tenderDocument.download", await thingFor(world.officer)).allowed).toBe(true);
    expect(may(world.otherCouncilOfficer, "tenderDocument.download", await thingFor(world.otherCouncilOfficer))).toMatchObject({ allowed: false, status: 403 });
    expect(may(null, "tenderDocument.download", await tenderPackThing(db, view, null))).toMatchObject({ allowed: false, status: 401 });
    // Only the lead council's commissioning officers change the pack.
    const tender = { kind: "tender" as const, councilId: world.councilId, status: "published" as const, everPublished: true };
    expect(may(world.officer, "tenderDocument.manage", tender).allowed).toBe(true);
    expect(may(actor(world.officer, ["evaluator"]), "tenderDocument.manage", tender).allowed).toBe(false);
    expect(may(world.providerA, "tenderDocument.manage", tender)).toMatchObject({ allowed: false, status: 404 });
  });

  it("hides a draft's documents from providers (404), and a document id of another tender is not found", async () => {
    const draft = (await getTender(db, draftId))!;
    expect(may(world.providerA, "tenderDocument.download", await tenderPackThing(db, draft, world.providerA))).toMatchObject({ allowed: false, status: 404 });
    const [doc] = await listTenderDocuments(db, draftId);
    expect(await findTenderDocument(db, publishedId, doc!.id)).toBeNull();
    expect(await findTenderDocument(db, draftId, doc!.id)).not.toBeNull();
  });
});

describe("the pages", () => {
  const call = (loader: (args: LoaderFunctionArgs) => Promise<unknown>, actor: TenderingWorld["officer"] | null, params: Record<string, string>) =>
    loaderStatus(() => loader({ request: new Request("http://portal.test/tenders"), params, context: portalContext(db, actor) }));

  it("stream a document's bytes to a provider with interest, and send one without back to the page that says to register interest", async () => {
    const bytes = pdf("Downloadable");
    const { value } = await add(publishedId, { title: "Downloadable", fileName: "Spécification “v3”.pdf", bytes, reason: "Another document" });
    const params = { tenderId: publishedId, documentId: value!.documentId };
    const response = (await downloadRoute.loader({ request: new Request("http://portal.test/x"), params, context: portalContext(db, world.providerA) })) as Response;
    expect(response.headers.get("Content-Type")).toBe("application/pdf");
    expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="Sp_cification _v3_.pdf"; filename*=UTF-8''${encodeURIComponent("Spécification “v3”.pdf")}`);
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
    const refused = await call(downloadRoute.loader, world.providerB, params);
    expect(refused.status).toBe(302);
    expect((await call(downloadRoute.loader, world.otherCouncilOfficer, params)).status).toBe(403);
    expect((await call(downloadRoute.loader, null, params)).status).toBe(302);
    expect((await call(downloadRoute.loader, world.officer, params)).status).toBe(200);
    // A document id under another tender's address is not found.
    expect((await call(downloadRoute.loader, world.officer, { tenderId: draftId, documentId: value!.documentId })).status).toBe(404);
  });

  it("hide a draft's documents page from providers (404)", async () => {
    expect((await call(documentsPage.loader, world.providerA, { tenderId: draftId })).status).toBe(404);
    expect((await call(documentsPage.loader, world.officer, { tenderId: draftId })).status).toBe(200);
  });
});

describe("documents are never deleted", () => {
  it("neither the portal's login nor the tables' owner can delete or rewrite a document or its withdrawal", async () => {
    await expect(sql`DELETE FROM tender_document`.execute(db)).rejects.toThrow(/permission denied/);
    await expect(sql`UPDATE tender_document SET title = 'x'`.execute(db)).rejects.toThrow(/permission denied/);
    await expect(sql`DELETE FROM tender_document_withdrawal`.execute(db)).rejects.toThrow(/permission denied/);
    const owner = ownerDb();
    await expect(sql`DELETE FROM tender_document`.execute(owner)).rejects.toThrow(/append-only/);
    await expect(sql`UPDATE tender_document_withdrawal SET reason = 'x'`.execute(owner)).rejects.toThrow(/append-only/);
    expect((await verifyAuditTrail(db, { publicKey: null })).ok).toBe(true);
  });
});
