// Documents from a provider's evidence library attached to a bid's answers
// instead of uploading them again: which may be attached (the library's
// current version, valid on the day of the deadline), what the submitted
// version freezes (the document, its SHA-256, in the fingerprint and the
// receipt), and who reads it (the provider always, council staff once two
// officers have opened the bids).
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { ActionRefused, RecordNotFound } from "#app/modules/errors";
import { addEvidence, replaceEvidence } from "#app/modules/evidence/evidence";
import type { Actor } from "#app/modules/identity/actor";
import { createPdfRenderer } from "#app/modules/pdf/renderer";
import { attachBidFile, attachEvidenceDocuments, bidProblems, detachBidFile, getOwnBid, ownBidFile } from "#app/modules/tendering/bids";
import { fingerprintOf, ownSubmission, submitBid } from "#app/modules/tendering/bids-submission";
import { BidsSealed, confirmOpening, openedBidFile, openedSubmissions, requestOpening } from "#app/modules/tendering/opening";
import { runAudited } from "#test/support/audited";
import { AFTER_DEADLINE as AFTER, BID_NOW, draftForLot1, LINKS, useBidSuite, type BidTender } from "#test/support/bids";

const { db, world, staff, as, run, failure } = await useBidSuite();
const PDF = (words: string) => Buffer.from(`%PDF-1.4\n% ${words}\n%%EOF\n`);
const sha = (bytes: Buffer) => crypto.createHash("sha256").update(bytes).digest("hex");

/** A document in an organisation's library, added at `now` (so an expiry already past by BID_NOW can be made). */
async function libraryDocument(actor: Actor, input: { kind: string; title?: string; expiresOn: string | null; words: string }, now = BID_NOW) {
  return run((trx) =>
    addEvidence(trx, { organisationId: actor.organisationId, kind: input.kind, title: input.title ?? null, expiresOn: input.expiresOn, file: { fileName: `${input.words}.pdf`, contents: PDF(input.words) } }, as(actor, now)),
  );
}

/** Provider A's draft for lot 1 with every answer but the pass/fail question's evidence. */
const draftWithoutEvidence = (): Promise<BidTender> => draftForLot1(db, world, { qualityAnswer: "Trained carers and nightly checks.", prices: [500_000, 650_000] });

const attach = (t: BidTender, documentIds: string[], actor = world.providerA, questionId = t.q.passFail) =>
  run((trx) => attachEvidenceDocuments(trx, { tenderId: t.id, questionId, documentIds }, as(actor)));
const refusal = (t: BidTender, documentIds: string[], actor = world.providerA, questionId = t.q.passFail) =>
  failure((trx) => attachEvidenceDocuments(trx, { tenderId: t.id, questionId, documentIds }, as(actor))) as Promise<ActionRefused | null>;

const storedFiles = async () => Number((await db.selectFrom("stored_file").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow()).n);

describe("attaching documents from the evidence library", () => {
  it("attaches a current document to a pass/fail answer without storing the file again, once, and audits it without naming it", async () => {
    const t = await draftWithoutEvidence();
    const ofsted = await libraryDocument(world.providerA, { kind: "ofsted_registration", expiresOn: "2027-09-30", words: "ofsted-certificate" });
    const policy = await libraryDocument(world.providerA, { kind: "safeguarding_policy", expiresOn: null, words: "safeguarding-policy" });
    const filesBefore = await storedFiles();
    const { value, events } = await runAudited(db, (trx) => attachEvidenceDocuments(trx, { tenderId: t.id, questionId: t.q.passFail, documentIds: [ofsted.id, policy.id] }, as(world.providerA)));
    expect(value).toEqual({ attached: 2 });
    expect(await storedFiles()).toBe(filesBefore);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: "bid.evidence_attached", after: { Question: "1.1", "File SHA-256": expect.arrayContaining([sha(PDF("ofsted-certificate")), sha(PDF("safeguarding-policy"))]) } });
    // Which documents a bid relies on is sealed with it: the event names the question and the hashes only.
    expect(JSON.stringify(events)).not.toMatch(/ofsted-certificate|Ofsted registration certificate|safeguarding-policy|Safeguarding policy/);
    expect((events[0]!.subjects as { type: string }[]).map((s) => s.type).sort()).toEqual(["bid", "organisation", "tender_question"]);

    const files = (await getOwnBid(db, t.id, world.providerA))!.sections.flatMap((s) => s.questions).find((q) => q.id === t.q.passFail)!.files;
    expect(files.map((f) => [f.fileName, f.evidenceDocumentId, f.evidence?.title, f.evidence?.expiresOn, f.sha256]).sort()).toEqual(
      [
        ["ofsted-certificate.pdf", ofsted.id, "Ofsted registration certificate", "2027-09-30", sha(PDF("ofsted-certificate"))],
        ["safeguarding-policy.pdf", policy.id, "Safeguarding policy", null, sha(PDF("safeguarding-policy"))],
      ].sort(),
    );
    // Attaching it again changes nothing; the draft is now complete.
    expect(await attach(t, [ofsted.id])).toEqual({ attached: 0 });
    expect(await db.selectFrom("bid_answer_file").select("id").where("evidence_document_id", "=", ofsted.id).where("detached_at", "is", null).execute()).toHaveLength(1);
    expect(bidProblems((await getOwnBid(db, t.id, world.providerA))!)).toEqual([]);
    // The provider downloads it from its bid under its own name.
    const own = (await ownBidFile(db, t.id, files.find((f) => f.evidenceDocumentId === ofsted.id)!.fileId, world.providerA))!;
    expect(own.file.fileName).toBe("ofsted-certificate.pdf");
    // Removing it keeps the row as history, and it may be attached again.
    await run((trx) => detachBidFile(trx, { tenderId: t.id, attachmentId: files.find((f) => f.evidenceDocumentId === ofsted.id)!.attachmentId }, as(world.providerA)));
    expect(await attach(t, [ofsted.id])).toEqual({ attached: 1 });
    expect(await db.selectFrom("bid_answer_file").select("id").where("evidence_document_id", "=", ofsted.id).execute()).toHaveLength(2);
  });

  it("refuses an expired document, one that expires before the deadline, a replaced version and another organisation's, each with its reason beside the field", async () => {
    const t = await draftWithoutEvidence();
    const expired = await libraryDocument(world.providerA, { kind: "public_liability_insurance", expiresOn: "2026-12-31", words: "old-insurance" }, new Date("2026-06-01T09:00:00Z"));
    const lapsing = await libraryDocument(world.providerA, { kind: "employers_liability_insurance", expiresOn: "2027-02-07", words: "lapsing-insurance" });
    const onTheDay = await libraryDocument(world.providerA, { kind: "employers_liability_insurance", title: "Insurance to the deadline day", expiresOn: "2027-02-08", words: "deadline-day" });
    const replaced = await libraryDocument(world.providerA, { kind: "ofsted_registration", expiresOn: "2027-12-31", words: "first-ofsted" });
    const renewed = await run((trx) =>
      replaceEvidence(trx, { organisationId: world.providerA.organisationId, documentId: replaced.id, expiresOn: "2028-12-31", file: { fileName: "renewed.pdf", contents: PDF("renewed-ofsted") } }, as(world.providerA)),
    );
    const theirs = await libraryDocument(world.providerB, { kind: "ofsted_registration", expiresOn: "2027-12-31", words: "moor-ofsted" });

    const cases: [string[], RegExp][] = [
      [[expired.id], /^"Public liability insurance certificate" expired on 31 December 2026: upload the renewed document/],
      [[lapsing.id], /^"Employer's liability insurance certificate" expires on 7 February 2027, before this tender's deadline on 8 February 2027: upload the renewed document/],
      [[replaced.id], /has been replaced by a newer version: attach that one instead/],
      [[theirs.id], /^Select documents from your evidence library$/],
      [["not-an-id"], /^Select documents from your evidence library$/],
      [[], /^Select at least one document from your evidence library$/],
      // One bad document among good ones: nothing is attached.
      [[renewed.id, lapsing.id], /before this tender's deadline/],
    ];
    for (const [ids, message] of cases) {
      const error = await refusal(t, ids);
      expect(error, ids.join()).toBeInstanceOf(ActionRefused);
      expect(error!.message, ids.join()).toMatch(message);
      expect(error!.field, ids.join()).toBe("evidence");
    }
    expect(await db.selectFrom("bid_answer_file").select("id").where("tender_id", "=", t.id).execute()).toEqual([]);
    // A question that takes no evidence, and another provider's bid, refuse too.
    expect((await refusal(t, [renewed.id], world.providerA, t.q.quality))?.message).toBe("This question does not take evidence");
    expect(await refusal(t, [theirs.id], world.providerB)).toBeInstanceOf(ActionRefused);
    // Valid to the end of the deadline's day is enough, as is the renewed version.
    expect(await attach(t, [onTheDay.id, renewed.id])).toEqual({ attached: 2 });
  });

  it("lists a document that lapses before the deadline as a problem on check your answers (the deadline may move after it was attached)", async () => {
    const t = await draftWithoutEvidence();
    const insurance = await libraryDocument(world.providerA, { kind: "public_liability_insurance", expiresOn: "2027-03-01", words: "spring-insurance" });
    await attach(t, [insurance.id]);
    const draft = (await getOwnBid(db, t.id, world.providerA))!;
    expect(bidProblems(draft)).toEqual([]);
    const moved = { ...draft, tender: { ...draft.tender, submission_deadline_at: new Date("2027-03-10T12:00:00Z") } };
    expect(bidProblems(moved)).toEqual([
      {
        target: { kind: "question", questionId: t.q.passFail, field: "evidence" },
        label: "Question 1.1",
        message: `Question 1.1: "Public liability insurance certificate" expires on 1 March 2027, before this tender's deadline on 10 March 2027: upload the renewed document to your evidence library and attach that`,
      },
    ]);
  });
});

describe("a submitted bid with library documents", () => {
  it("freezes which document and its SHA-256, names it in the fingerprint and the receipt PDF, and keeps it so when the library changes", async () => {
    const t = await draftWithoutEvidence();
    const ofsted = await libraryDocument(world.providerA, { kind: "ofsted_registration", title: "Ofsted certificate, Harbour House", expiresOn: "2027-09-30", words: "harbour-ofsted" });
    await attach(t, [ofsted.id]);
    await run((trx) => attachBidFile(trx, { tenderId: t.id, questionId: t.q.passFail, file: { fileName: "staffing-plan.pdf", contents: PDF("staffing"), ownerOrganisationId: world.providerA.organisationId } }, as(world.providerA)));
    const submitted = await run((trx) => submitBid(trx, { tenderId: t.id, declarationConfirmed: true }, as(world.providerA), LINKS));

    const frozen = await db
      .selectFrom("bid_submission_file")
      .innerJoin("bid_submission", "bid_submission.id", "bid_submission_file.submission_id")
      .select(["bid_submission_file.evidence_document_id", "bid_submission_file.sha256", "bid_submission_file.file_name", "bid_submission.canonical"])
      .where("bid_submission.tender_id", "=", t.id)
      .orderBy("bid_submission_file.file_name")
      .execute();
    expect(frozen.map((f) => [f.file_name, f.evidence_document_id, f.sha256])).toEqual([
      ["harbour-ofsted.pdf", ofsted.id, sha(PDF("harbour-ofsted"))],
      ["staffing-plan.pdf", null, sha(PDF("staffing"))],
    ]);
    const canonical = JSON.parse(frozen[0]!.canonical) as { answers: { question: string; files: unknown[] }[] };
    expect(canonical.answers.find((a) => a.question === t.q.passFail)!.files).toEqual(
      [{ document: ofsted.id, sha256: sha(PDF("harbour-ofsted")) }, { sha256: sha(PDF("staffing")) }].sort((a, b) => (a.sha256 < b.sha256 ? -1 : 1)),
    );
    expect(fingerprintOf(frozen[0]!.canonical)).toBe(submitted.fingerprint);

    // The library moves on: the renewal does not change what was submitted.
    await run((trx) =>
      replaceEvidence(trx, { organisationId: world.providerA.organisationId, documentId: ofsted.id, expiresOn: "2028-09-30", file: { fileName: "renewed.pdf", contents: PDF("renewed") } }, as(world.providerA)),
    );
    const receipt = (await ownSubmission(db, t.id, 1, world.providerA))!;
    const evidence = receipt.answers.find((a) => a.questionId === t.q.passFail)!.files;
    expect(evidence.map((f) => [f.fileName, f.evidence?.title ?? null, f.sha256]).sort()).toEqual(
      [
        ["harbour-ofsted.pdf", "Ofsted certificate, Harbour House", sha(PDF("harbour-ofsted"))],
        ["staffing-plan.pdf", null, sha(PDF("staffing"))],
      ].sort(),
    );
    // The submitted version's database rows cannot be pointed at another document afterwards.
    await expect(sql`UPDATE bid_submission_file SET evidence_document_id = NULL WHERE sha256 = ${sha(PDF("harbour-ofsted"))}`.execute(db)).rejects.toThrow();

    const renderer = createPdfRenderer();
    try {
      const pdf = await renderer.render({ document: "bid-receipt", input: { bid: receipt, generatedAt: BID_NOW } });
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bid-evidence-")), "receipt.pdf");
      fs.writeFileSync(file, pdf);
      const text = (await promisify(execFile)("/usr/bin/pdftotext", ["-enc", "UTF-8", file, "-"])).stdout.replace(/\s+/g, " ");
      expect(text).toContain(
        `File: Ofsted certificate, Harbour House (ofsted registration certificate), from the evidence library, valid until 30 September 2027: harbour-ofsted.pdf ${sha(PDF("harbour-ofsted"))}`,
      );
      expect(text).toContain(`File: staffing-plan.pdf ${sha(PDF("staffing"))}`);
      expect(text).toContain(submitted.fingerprint);
    } finally {
      await renderer.close();
    }
  });

  it("is read by council staff only once two officers have opened the bids, the document downloadable like the bid", async () => {
    const t = await draftWithoutEvidence();
    const ofsted = await libraryDocument(world.providerA, { kind: "ofsted_registration", expiresOn: "2027-09-30", words: "opened-ofsted" });
    await attach(t, [ofsted.id]);
    await run((trx) => submitBid(trx, { tenderId: t.id, declarationConfirmed: true }, as(world.providerA), LINKS));
    const fileId = (await db.selectFrom("evidence_document").select("file_id").where("id", "=", ofsted.id).executeTakeFirstOrThrow()).file_id;

    await expect(openedSubmissions(db, t.id, staff.evaluator)).rejects.toBeInstanceOf(BidsSealed);
    await expect(openedBidFile(db, t.id, fileId, staff.evaluator)).rejects.toBeInstanceOf(BidsSealed);
    expect(await ownBidFile(db, t.id, fileId, staff.evaluator)).toBeNull();
    expect(await ownBidFile(db, t.id, fileId, world.providerB)).toBeNull();
    await run((trx) => requestOpening(trx, { tenderId: t.id }, as(world.officer, AFTER)));
    await expect(openedBidFile(db, t.id, fileId, staff.evaluator)).rejects.toBeInstanceOf(BidsSealed);
    await run((trx) => confirmOpening(trx, { tenderId: t.id }, as(staff.secondOfficer, AFTER)));

    // Whole opened bids are for the tender's officers (evaluators read answers through the evaluation).
    await expect(openedSubmissions(db, t.id, staff.evaluator)).rejects.toBeInstanceOf(RecordNotFound);
    const [bid] = await openedSubmissions(db, t.id, staff.commissioning_officer);
    expect(bid!.answers.find((a) => a.questionId === t.q.passFail)!.files).toEqual([
      { fileId, fileName: "opened-ofsted.pdf", sha256: sha(PDF("opened-ofsted")), sizeBytes: PDF("opened-ofsted").length, evidence: { id: ofsted.id, title: "Ofsted registration certificate", kindLabel: "Ofsted registration certificate", expiresOn: "2027-09-30" } },
    ]);
    const opened = await openedBidFile(db, t.id, fileId, staff.commissioning_officer);
    const chunks: Buffer[] = [];
    for await (const chunk of opened.bytes) chunks.push(chunk);
    expect(Buffer.concat(chunks)).toEqual(PDF("opened-ofsted"));
    expect(opened.file.fileName).toBe("opened-ofsted.pdf");
    await expect(openedBidFile(db, t.id, fileId, world.otherCouncilOfficer)).rejects.toBeInstanceOf(RecordNotFound);
  });
});
