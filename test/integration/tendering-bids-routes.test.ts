// Every bid page, the receipt PDF, a bid file, the council's Bids received
// page, the audit trail, its CSV export, the record histories and their PDF
// extracts and the sent-email pages, called through their real loaders as
// each council role before the bids are opened: none of them gives back a
// word, an amount or a file name of a bid.
import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import type { Trx } from "#app/database/schema";
import type { Actor } from "#app/modules/identity/actor";
import { attachBidFile, chooseBidLots, saveAnswer, setBidPrices, startBid } from "#app/modules/tendering/bids";
import { submitBid } from "#app/modules/tendering/bids-submission";
import * as auditCsv from "#app/routes/audit.export[.]csv";
import * as auditPage from "#app/routes/audit._index";
import * as auditRecord from "#app/routes/audit.records.$type.$id";
import * as auditRecordPdf from "#app/routes/audit.records.$type.$id[.]pdf";
import * as emailsPage from "#app/routes/admin.emails._index";
import * as bidIndex from "#app/routes/tenders.$tenderId.bid._index";
import * as bidCheck from "#app/routes/tenders.$tenderId.bid.check";
import * as bidFile from "#app/routes/tenders.$tenderId.bid.files.$fileId";
import * as bidLots from "#app/routes/tenders.$tenderId.bid.lots";
import * as bidPrices from "#app/routes/tenders.$tenderId.bid.prices";
import * as bidQuestion from "#app/routes/tenders.$tenderId.bid.questions.$questionId";
import * as bidReceipt from "#app/routes/tenders.$tenderId.bid.receipt.$number";
import * as bidReceiptPdf from "#app/routes/tenders.$tenderId.bid.receipt.$number[.]pdf";
import * as bidsReceived from "#app/routes/tenders.$tenderId.bids";
import * as openedFile from "#app/routes/tenders.$tenderId.bids.files.$fileId";
import { BID_NOW, councilStaff, publishedBidTender, registerBothProviders, type BidTender } from "#test/support/bids";
import { useTestDatabase } from "#test/support/database";
import { loaderStatus, portalContext } from "#test/support/portal-context";
import { buildTenderingWorld, contextOf, type TenderingWorld } from "#test/support/tendering";

const { db } = await useTestDatabase();
const SECRET_WORDS = "Quillwort safeguarding rota reviewed nightly";
const SECRET_PENCE = 612_377;
let world: TenderingWorld;
let staff: Actor[];
let t: BidTender;
let fileId: string;

beforeAll(async () => {
  world = await buildTenderingWorld(db);
  const people = await councilStaff(db, world);
  staff = [people.commissioning_officer, people.secondOfficer, people.evaluator, people.chief_officer, people.portfolio_holder, people.administrator];
  t = await publishedBidTender(db, world);
  await registerBothProviders(db, world, t.id);
  const a = contextOf(world.providerA, BID_NOW);
  const run = <T>(work: (trx: Trx) => Promise<T>) => db.transaction().execute(work);
  await run((trx) => startBid(trx, { tenderId: t.id }, a));
  await run((trx) => chooseBidLots(trx, { tenderId: t.id, expectedVersion: 1, lotIds: [t.lot1] }, a));
  await run((trx) => saveAnswer(trx, { tenderId: t.id, questionId: t.q.passFail, expectedVersion: 0, meetsRequirement: true }, a));
  fileId = (await run((trx) => attachBidFile(trx, { tenderId: t.id, questionId: t.q.passFail, file: { fileName: "registration.pdf", contents: Buffer.from("%PDF-1.4\n%Quillwort\n"), ownerOrganisationId: world.providerA.organisationId } }, a))).id;
  await run((trx) => saveAnswer(trx, { tenderId: t.id, questionId: t.q.quality, expectedVersion: 0, answerText: SECRET_WORDS }, a));
  await run((trx) => saveAnswer(trx, { tenderId: t.id, questionId: t.q.declaration, expectedVersion: 0, declared: true }, a));
  await run((trx) => setBidPrices(trx, { tenderId: t.id, expectedVersion: 2, prices: [{ priceItemId: t.prices.standard, amountPence: SECRET_PENCE }, { priceItemId: t.prices.enhanced, amountPence: 700_000 }] }, a));
  await run((trx) => submitBid(trx, { tenderId: t.id, declarationConfirmed: true }, a, { baseUrl: "http://portal.test" }));
}, 60_000);

function call(actor: Actor, loader: (args: LoaderFunctionArgs) => Promise<unknown>, path: string, params: Record<string, string>) {
  return loaderStatus(() => loader({ request: new Request(`http://portal.test${path}`), params, context: portalContext(db, actor) }));
}

const leaks = (body: string) => ["Quillwort", String(SECRET_PENCE), "6,123.77", "6123.77", "registration.pdf"].filter((s) => body.includes(s));

async function pdfText(pdf: ArrayBuffer): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "bids-sealed-"));
  try {
    const file = path.join(dir, "extract.pdf");
    await fs.writeFile(file, Buffer.from(pdf));
    return (await promisify(execFile)("/usr/bin/pdftotext", ["-enc", "UTF-8", file, "-"])).stdout;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

describe("before the bids are opened", () => {
  it("the provider's own pages show its bid to it", async () => {
    const page = await call(world.providerA, bidReceipt.loader, `/tenders/${t.id}/bid/receipt/1`, { tenderId: t.id, number: "1" });
    expect(page.status).toBe(200);
    expect(page.body).toContain("Quillwort");
  });

  it("every bid page, the receipt and its PDF, and the bid's file give each council role nothing", async () => {
    const pages: [string, (args: LoaderFunctionArgs) => Promise<unknown>, string, Record<string, string>][] = [
      ["overview", bidIndex.loader, "", {}],
      ["check", bidCheck.loader, "/check", {}],
      ["lots", bidLots.loader, "/lots", {}],
      ["prices", bidPrices.loader, "/prices", {}],
      ["question", bidQuestion.loader, `/questions/${t.q.quality}`, { questionId: t.q.quality }],
      ["receipt", bidReceipt.loader, "/receipt/1", { number: "1" }],
      ["receipt PDF", bidReceiptPdf.loader, "/receipt/1.pdf", { number: "1" }],
      ["file", bidFile.loader, `/files/${fileId}`, { fileId }],
    ];
    for (const actor of [...staff, world.otherCouncilOfficer]) {
      for (const [name, loader, rest, params] of pages) {
        const { status, body } = await call(actor, loader, `/tenders/${t.id}/bid${rest}`, { tenderId: t.id, ...params });
        expect([403, 404], `${actor.roles[0]} ${name}`).toContain(status);
        expect(leaks(body), `${actor.roles[0]} ${name}`).toEqual([]);
      }
    }
    // The council's own download of an opened bid's file refuses until the opening.
    for (const actor of [...staff, world.otherCouncilOfficer, world.providerB]) {
      const { status, body } = await call(actor, openedFile.loader, `/tenders/${t.id}/bids/files/${fileId}`, { tenderId: t.id, fileId });
      expect([403, 404], `${actor.roles[0]} opened file`).toContain(status);
      expect(leaks(body)).toEqual([]);
    }
    // Another provider guessing the file's id learns nothing either.
    expect((await call(world.providerB, bidFile.loader, `/tenders/${t.id}/bid/files/${fileId}`, { tenderId: t.id, fileId })).status).toBe(404);
  });

  it("the council's Bids received page names the provider and the time, nothing more", async () => {
    for (const actor of staff) {
      const { status, body } = await call(actor, bidsReceived.loader, `/tenders/${t.id}/bids`, { tenderId: t.id });
      expect(status).toBe(200);
      expect(body).toContain(world.providerA.organisationName);
      expect(leaks(body)).toEqual([]);
      expect(JSON.parse(body).opened).toBeNull();
    }
    expect((await call(world.otherCouncilOfficer, bidsReceived.loader, `/tenders/${t.id}/bids`, { tenderId: t.id })).status).toBe(404);
  });

  it("the audit trail, its CSV export and the sent-email list carry no words, amounts or file names of the bid", async () => {
    const [officer, , , , , admin] = staff as [Actor, Actor, Actor, Actor, Actor, Actor];
    for (let page = 1; page <= 3; page++) {
      const trail = await call(officer, auditPage.loader, `/audit?page=${page}`, {});
      if (trail.status !== 200) break;
      // The file store's "file stored" event names a bid's file neutrally: its own name is sealed with the bid.
      expect(leaks(trail.body)).toEqual([]);
    }
    const csv = await call(officer, auditCsv.loader, "/audit/export.csv", {});
    expect(csv.status).toBe(200);
    expect(csv.body).toContain("bid.submitted");
    expect(csv.body).toContain("Evidence for a sealed bid");
    expect(leaks(csv.body)).toEqual([]);
    // Each record's history and its PDF extract: the file, the bid's tender, the provider.
    for (const [type, id] of [["file", fileId], ["tender", t.id], ["organisation", world.providerA.organisationId]] as const) {
      const history = await call(officer, auditRecord.loader, `/audit/records/${type}/${id}`, { type, id });
      expect(history.status, `${type} history`).toBe(200);
      expect(leaks(history.body), `${type} history`).toEqual([]);
      const response = (await auditRecordPdf.loader({ request: new Request(`http://portal.test/audit/records/${type}/${id}.pdf`), params: { type, id }, context: portalContext(db, officer) })) as Response;
      expect(response.status).toBe(200);
      const text = (await pdfText(await response.arrayBuffer())).replace(/\s+/g, " ");
      expect(text, `${type} extract`).toContain(type === "file" ? "Evidence for a sealed bid" : "bid");
      expect(leaks(text), `${type} extract`).toEqual([]);
    }
    const emails = await call(admin, emailsPage.loader, "/admin/emails", {});
    expect(emails.status).toBe(200);
    expect(emails.body).toContain("Bid received");
    expect(leaks(emails.body)).toEqual([]);
  });
});
