import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { Trx } from "#app/database/schema";
import { verifyAuditTrail } from "#app/modules/audit/verify";
import { ActionRefused, ConcurrentEditError, RecordNotFound } from "#app/modules/errors";
import { createPdfRenderer } from "#app/modules/pdf/renderer";
import type { Actor } from "#app/modules/identity/actor";
import {
  AnswerChanged,
  attachBidFile,
  bidProblems,
  chooseBidLots,
  DeadlinePassed,
  detachBidFile,
  getOwnBid,
  PricesInvalid,
  saveAnswer,
  setBidPrices,
  startBid,
} from "#app/modules/tendering/bids";
import {
  BidIncomplete,
  canonicalBid,
  canonicalText,
  draftFingerprint,
  fingerprintOf,
  ownSubmission,
  ownSubmissions,
  submitBid,
  withdrawBid,
} from "#app/modules/tendering/bids-submission";
import { penceFromPounds, wordCount } from "#app/modules/tendering/bids-text";
import { runAudited } from "#test/support/audited";
import { BID_DEADLINE, BID_NOW, publishedBidTender, registerBothProviders, type BidTender } from "#test/support/bids";
import { useTestDatabase } from "#test/support/database";
import { buildTenderingWorld, contextOf, type TenderingWorld } from "#test/support/tendering";

const { db, ownerDb } = await useTestDatabase();
let world: TenderingWorld;
beforeAll(async () => {
  world = await buildTenderingWorld(db);
}, 60_000);

const LINKS = { baseUrl: "http://portal.test" };
const PDF = (words: string) => Buffer.from(`%PDF-1.4\n% ${words}\n%%EOF\n`);
const sha = (bytes: Buffer) => crypto.createHash("sha256").update(bytes).digest("hex");

const as = (actor: Actor, now = BID_NOW) => contextOf(actor, now);
const run = <T>(work: (trx: Trx) => Promise<T>) => db.transaction().execute(work);
const failure = (work: (trx: Trx) => Promise<unknown>) => run(work).then(() => null, (e: unknown) => e as Error);

/** A tender with both providers interested and provider A's draft started. */
async function started(): Promise<BidTender> {
  const t = await publishedBidTender(db, world);
  await registerBothProviders(db, world, t.id);
  await run((trx) => startBid(trx, { tenderId: t.id }, as(world.providerA)));
  return t;
}

async function versionOf(t: BidTender, actor = world.providerA) {
  return (await getOwnBid(db, t.id, actor))!.bid.version;
}

/** Provider A's bid for lot 1 only, complete and ready to submit. */
async function complete(t: BidTender, answer = "We train every carer in safeguarding.") {
  const a = as(world.providerA);
  await run((trx) => chooseBidLots(trx, { tenderId: t.id, expectedVersion: 1, lotIds: [t.lot1] }, a));
  await run((trx) => saveAnswer(trx, { tenderId: t.id, questionId: t.q.passFail, expectedVersion: 0, meetsRequirement: true }, a));
  await run((trx) => attachBidFile(trx, { tenderId: t.id, questionId: t.q.passFail, file: { fileName: "ofsted.pdf", contents: PDF("registration"), ownerOrganisationId: world.providerA.organisationId } }, a));
  await run((trx) => saveAnswer(trx, { tenderId: t.id, questionId: t.q.quality, expectedVersion: 0, answerText: answer }, a));
  await run((trx) => saveAnswer(trx, { tenderId: t.id, questionId: t.q.declaration, expectedVersion: 0, declared: true }, a));
  await run((trx) =>
    setBidPrices(trx, { tenderId: t.id, expectedVersion: 2, prices: [{ priceItemId: t.prices.standard, amountPence: 512_345 }, { priceItemId: t.prices.enhanced, amountPence: 698_700 }] }, a),
  );
}

describe("a draft bid", () => {
  it("needs interest registered first, and is one per organisation however many colleagues start it at once", async () => {
    const t = await publishedBidTender(db, world);
    const refused = await failure((trx) => startBid(trx, { tenderId: t.id }, as(world.providerA)));
    expect(refused).toBeInstanceOf(ActionRefused);
    expect(refused?.message).toMatch(/Register your interest/);
    await registerBothProviders(db, world, t.id);
    const [one, two] = await Promise.all([
      run((trx) => startBid(trx, { tenderId: t.id }, as(world.providerA))),
      run((trx) => startBid(trx, { tenderId: t.id }, as(world.providerAColleague))),
    ]);
    expect(one.id).toBe(two.id);
    expect([one.created, two.created].sort()).toEqual([false, true]);
    expect(await db.selectFrom("bid").select("id").where("tender_id", "=", t.id).execute()).toHaveLength(1);
    const events = await db.selectFrom("audit_event").select("action").where("action", "=", "bid.started").where(sql<boolean>`subjects @> ${JSON.stringify([{ type: "bid", id: one.id }])}::jsonb`).execute();
    expect(events).toHaveLength(1);
  });

  it("cannot be started by council staff, or in an unpublished tender, or after the deadline", async () => {
    const t = await publishedBidTender(db, world);
    await registerBothProviders(db, world, t.id);
    expect(await failure((trx) => startBid(trx, { tenderId: t.id }, as(world.officer)))).toBeInstanceOf(ActionRefused);
    expect(await failure((trx) => startBid(trx, { tenderId: crypto.randomUUID() }, as(world.providerA)))).toBeInstanceOf(RecordNotFound);
    expect(await failure((trx) => startBid(trx, { tenderId: t.id }, as(world.providerA, BID_DEADLINE)))).toBeInstanceOf(DeadlinePassed);
  });

  it("is for lots the tender offers, and a colleague's change of lots in between is refused, not overwritten", async () => {
    const t = await started();
    const a = as(world.providerA);
    expect((await failure((trx) => chooseBidLots(trx, { tenderId: t.id, expectedVersion: 1, lotIds: [] }, a)))?.message).toMatch(/at least one lot/);
    const otherLot = world.agreements.supported_living_framework.lotIds[0]!;
    expect((await failure((trx) => chooseBidLots(trx, { tenderId: t.id, expectedVersion: 1, lotIds: [otherLot] }, a)) as ActionRefused).field).toBe("lotIds");
    await run((trx) => chooseBidLots(trx, { tenderId: t.id, expectedVersion: 1, lotIds: [t.lot1] }, a));
    const stale = await failure((trx) => chooseBidLots(trx, { tenderId: t.id, expectedVersion: 1, lotIds: [t.lot2] }, as(world.providerAColleague)));
    expect(stale).toBeInstanceOf(ConcurrentEditError);
    const draft = (await getOwnBid(db, t.id, world.providerA))!;
    expect(draft.lots.filter((l) => l.chosen).map((l) => l.id)).toEqual([t.lot1]);
    // Lot 2's own quality question is not asked of a lot 1 bid.
    const lot2Only = draft.sections.flatMap((s) => s.questions).find((q) => q.id === t.q.lot2Only)!;
    expect(lot2Only.applies).toBe(false);
  });

  it("is another provider's business only in name: provider B cannot see or change A's bid", async () => {
    const t = await started();
    expect(await getOwnBid(db, t.id, world.providerB)).toBeNull();
    const b = await failure((trx) => saveAnswer(trx, { tenderId: t.id, questionId: t.q.quality, expectedVersion: 0, answerText: "B's words" }, as(world.providerB)));
    expect(b?.message).toMatch(/Start your bid first/);
    expect((await getOwnBid(db, t.id, world.providerA))!.sections[1]!.questions[0]!.answer).toBeNull();
  });
});

describe("answers", () => {
  it("read back whole in one statement: chosen lots, answers with who saved them and when, prices and files (decision 050)", async () => {
    const t = await started();
    await complete(t);
    const draft = (await getOwnBid(db, t.id, world.providerA))!;
    expect(draft.lots.filter((l) => l.chosen).map((l) => l.id)).toEqual([t.lot1]);
    const questions = draft.sections.flatMap((s) => s.questions);
    const quality = questions.find((q) => q.id === t.q.quality)!;
    // Times come back as dates, though the statement carries them as JSON text.
    expect(quality.answer).toEqual({
      answerText: "We train every carer in safeguarding.",
      meetsRequirement: null,
      declared: null,
      version: 1,
      updatedAt: BID_NOW,
      updatedBy: world.providerA.name,
    });
    const passFail = questions.find((q) => q.id === t.q.passFail)!;
    expect(passFail.answer).toMatchObject({ meetsRequirement: true });
    expect(passFail.files).toEqual([expect.objectContaining({ fileName: "ofsted.pdf", sizeBytes: PDF("registration").length, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) })]);
    expect(draft.prices.map((p) => p.amountPence)).toEqual([512_345, 698_700]);
  });

  it("save with a version each, write nothing when nothing changed, and keep HTML as the text typed", async () => {
    const t = await started();
    const a = as(world.providerA);
    const typed = "<script>alert('x')</script> We keep children safe.";
    const first = await runAudited(db, (trx) => saveAnswer(trx, { tenderId: t.id, questionId: t.q.quality, expectedVersion: 0, answerText: typed }, a));
    expect(first.value).toEqual({ version: 1, changed: true });
    expect(first.events.map((e) => e.action)).toEqual(["bid.answer_saved"]);
    const again = await runAudited(db, (trx) => saveAnswer(trx, { tenderId: t.id, questionId: t.q.quality, expectedVersion: 1, answerText: `${typed}  ` }, a));
    expect(again.value).toEqual({ version: 1, changed: false });
    expect(again.events).toEqual([]);
    const saved = (await getOwnBid(db, t.id, world.providerA))!.sections[1]!.questions[0]!.answer!;
    expect(saved).toMatchObject({ answerText: typed, version: 1, updatedBy: world.providerA.name });
  });

  it("over the word limit is refused on the server with the count, and the saved answer stays", async () => {
    const t = await started();
    const a = as(world.providerA);
    await run((trx) => saveAnswer(trx, { tenderId: t.id, questionId: t.q.quality, expectedVersion: 0, answerText: "Ten words exactly in this answer to the safeguarding question." }, a));
    const long = "one two three four five six seven eight nine ten eleven";
    const error = (await failure((trx) => saveAnswer(trx, { tenderId: t.id, questionId: t.q.quality, expectedVersion: 1, answerText: long }, a))) as ActionRefused;
    expect(error).toBeInstanceOf(ActionRefused);
    expect(error.field).toBe("answerText");
    expect(error.message).toBe("Your answer is 11 words: the limit is 10. Shorten it and save again");
    expect((await getOwnBid(db, t.id, world.providerA))!.sections[1]!.questions[0]!.answer!.answerText).toMatch(/^Ten words/);
  });

  it("saved by a colleague since the page was opened is not overwritten: the second save is told, with both versions", async () => {
    const t = await started();
    await run((trx) => saveAnswer(trx, { tenderId: t.id, questionId: t.q.quality, expectedVersion: 0, answerText: "First draft." }, as(world.providerA)));
    await run((trx) => saveAnswer(trx, { tenderId: t.id, questionId: t.q.quality, expectedVersion: 1, answerText: "Colleague's better draft." }, as(world.providerAColleague)));
    const error = (await failure((trx) => saveAnswer(trx, { tenderId: t.id, questionId: t.q.quality, expectedVersion: 1, answerText: "My rewrite." }, as(world.providerA)))) as AnswerChanged;
    expect(error).toBeInstanceOf(AnswerChanged);
    expect(error.theirs).toMatchObject({ answerText: "Colleague's better draft.", version: 2, updatedBy: world.providerAColleague.name });
    expect(error.yours).toMatchObject({ answerText: "My rewrite." });
    expect(error.message).toMatch(/Both versions are shown/);
    expect((await getOwnBid(db, t.id, world.providerA))!.sections[1]!.questions[0]!.answer!.answerText).toBe("Colleague's better draft.");
  });

  it("saved by two colleagues at the same moment keeps one and tells the other", async () => {
    const t = await started();
    const results = await Promise.allSettled(
      [world.providerA, world.providerAColleague].map((actor, i) =>
        run((trx) => saveAnswer(trx, { tenderId: t.id, questionId: t.q.quality, expectedVersion: 0, answerText: `Answer from colleague ${i}` }, as(actor))),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(AnswerChanged);
    const kept = (await getOwnBid(db, t.id, world.providerA))!.sections[1]!.questions[0]!.answer!;
    expect(kept.version).toBe(1);
    expect((rejected.reason as AnswerChanged).theirs.answerText).toBe(kept.answerText);
  });

  it("to a pass/fail question needs yes or no", async () => {
    const t = await started();
    const error = (await failure((trx) => saveAnswer(trx, { tenderId: t.id, questionId: t.q.passFail, expectedVersion: 0 }, as(world.providerA)))) as ActionRefused;
    expect(error.field).toBe("meetsRequirement");
  });
});

describe("prices", () => {
  it("are refused all together when not positive whole pence within the maximum, beside each field", async () => {
    const t = await started();
    const a = as(world.providerA);
    await run((trx) => chooseBidLots(trx, { tenderId: t.id, expectedVersion: 1, lotIds: [t.lot1] }, a));
    const error = (await failure((trx) =>
      setBidPrices(trx, { tenderId: t.id, expectedVersion: 2, prices: [{ priceItemId: t.prices.standard, amountPence: 0 }, { priceItemId: t.prices.enhanced, amountPence: 6_000_000 }] }, a),
    )) as PricesInvalid;
    expect(error).toBeInstanceOf(PricesInvalid);
    expect(error.problems).toEqual([
      { field: `price-${t.prices.standard}`, message: "The weekly fee per placement, standard must be more than £0" },
      { field: `price-${t.prices.enhanced}`, message: "The weekly fee per placement, enhanced must be £50,000 or less per week" },
    ]);
    const fraction = (await failure((trx) => setBidPrices(trx, { tenderId: t.id, expectedVersion: 2, prices: [{ priceItemId: t.prices.standard, amountPence: 100.5 }] }, a))) as PricesInvalid;
    expect(fraction.problems[0]!.message).toMatch(/pounds and pence/);
    // Lot 2's price is not part of a lot 1 bid.
    expect(await failure((trx) => setBidPrices(trx, { tenderId: t.id, expectedVersion: 2, prices: [{ priceItemId: t.prices.complex, amountPence: 100 }] }, a))).toBeInstanceOf(RecordNotFound);
    expect((await getOwnBid(db, t.id, world.providerA))!.prices.every((p) => p.amountPence === null)).toBe(true);
  });

  it("typed as pounds become whole pence, and anything else is not a price", () => {
    expect(penceFromPounds("£4,250.5")).toBe(425_050);
    expect(penceFromPounds(" 4250 ")).toBe(425_000);
    expect(penceFromPounds("")).toBeNull();
    expect(penceFromPounds("42.505")).toBeNaN();
    expect(penceFromPounds("-5")).toBeNaN();
    expect(wordCount("  one\ttwo\nthree  ")).toBe(3);
  });
});

describe("evidence files", () => {
  it("attach through the file store, refuse the wrong type or a file over the limits, and stay on record when removed", async () => {
    const t = await started();
    const a = as(world.providerA);
    const file = { fileName: "insurance.pdf", contents: PDF("insured"), ownerOrganisationId: world.providerA.organisationId, field: "file" };
    const stored = await run((trx) => attachBidFile(trx, { tenderId: t.id, questionId: t.q.passFail, file }, a));
    expect(stored.sha256).toBe(sha(PDF("insured")));
    const exe = await failure((trx) => attachBidFile(trx, { tenderId: t.id, questionId: t.q.passFail, file: { ...file, fileName: "x.exe", contents: Buffer.from("MZ\x90\x00binary") } }, a));
    expect(exe?.message).toMatch(/must be a PDF, Word/);
    const big = await failure((trx) => attachBidFile(trx, { tenderId: t.id, questionId: t.q.passFail, file: { ...file, contents: Buffer.concat([PDF("big"), Buffer.alloc(3000)]) } }, a, { maxFileBytes: 2000, maxBidBytes: 10_000 }));
    expect(big?.message).toMatch(/smaller than/);
    const full = await failure((trx) => attachBidFile(trx, { tenderId: t.id, questionId: t.q.passFail, file }, a, { maxFileBytes: 2000, maxBidBytes: PDF("insured").length }));
    expect(full?.message).toMatch(/already add up to the limit/);
    const draft = (await getOwnBid(db, t.id, world.providerA))!;
    const attached = draft.sections[0]!.questions[0]!.files;
    expect(attached.map((f) => f.fileName)).toEqual(["insurance.pdf"]);
    await run((trx) => detachBidFile(trx, { tenderId: t.id, attachmentId: attached[0]!.attachmentId }, a));
    expect((await getOwnBid(db, t.id, world.providerA))!.sections[0]!.questions[0]!.files).toEqual([]);
    const row = await db.selectFrom("bid_answer_file").select(["detached_at", "detached_by"]).where("id", "=", attached[0]!.attachmentId).executeTakeFirstOrThrow();
    expect(row).toEqual({ detached_at: BID_NOW, detached_by: world.providerA.userId });
  });
});

describe("check your answers", () => {
  it("lists every missing or invalid part, each with the question or price it belongs to", async () => {
    const t = await started();
    const a = as(world.providerA);
    expect(bidProblems((await getOwnBid(db, t.id, world.providerA))!).map((p) => p.message)).toEqual([
      "Select at least one lot to bid for",
      "Say whether you meet the requirement in question 1.1",
      "Confirm the declaration in question 3.1",
    ]);
    await run((trx) => chooseBidLots(trx, { tenderId: t.id, expectedVersion: 1, lotIds: [t.lot1, t.lot2] }, a));
    await run((trx) => saveAnswer(trx, { tenderId: t.id, questionId: t.q.passFail, expectedVersion: 0, meetsRequirement: true }, a));
    const problems = bidProblems((await getOwnBid(db, t.id, world.providerA))!);
    expect(problems.map((p) => [p.label, p.message])).toEqual([
      ["Question 1.1", "Attach the evidence for question 1.1: Registration certificates"],
      ["Question 2.1", "Answer question 2.1"],
      ["Question 2.2", "Answer question 2.2"],
      ["Question 3.1", "Confirm the declaration in question 3.1"],
      ["Lot 1: Weekly fee per placement, Standard", "Enter the price for lot 1: weekly fee per placement, standard"],
      ["Lot 1: Weekly fee per placement, Enhanced", "Enter the price for lot 1: weekly fee per placement, enhanced"],
      ["Lot 2: Weekly fee per placement, Complex", "Enter the price for lot 2: weekly fee per placement, complex"],
    ]);
    expect(problems[1]!.target).toEqual({ kind: "question", questionId: t.q.quality, field: "answerText" });
    expect(problems[4]!.target).toEqual({ kind: "price", priceItemId: t.prices.standard, field: `price-${t.prices.standard}` });
  });
});

describe("submitting", () => {
  it("needs the declaration and a complete bid, and says what is missing", async () => {
    const t = await started();
    const a = as(world.providerA);
    const noDeclaration = (await failure((trx) => submitBid(trx, { tenderId: t.id, declarationConfirmed: false }, a, LINKS))) as ActionRefused;
    expect(noDeclaration.field).toBe("declarationConfirmed");
    const incomplete = (await failure((trx) => submitBid(trx, { tenderId: t.id, declarationConfirmed: true }, a, LINKS))) as BidIncomplete;
    expect(incomplete).toBeInstanceOf(BidIncomplete);
    expect(incomplete.problems.length).toBeGreaterThan(0);
    expect(await db.selectFrom("bid_submission").select("id").where("tender_id", "=", t.id).execute()).toEqual([]);
  });

  it("freezes the content as version 1 with the SHA-256 of its canonical form, audits only the fingerprint and emails a receipt", async () => {
    const t = await started();
    await complete(t);
    const { value, events } = await runAudited(db, (trx) => submitBid(trx, { tenderId: t.id, declarationConfirmed: true }, as(world.providerA), LINKS));
    expect(value).toMatchObject({ number: 1, created: true, submittedAt: BID_NOW });
    const row = await db.selectFrom("bid_submission").selectAll().where("tender_id", "=", t.id).executeTakeFirstOrThrow();
    expect(row.fingerprint).toBe(crypto.createHash("sha256").update(row.canonical, "utf8").digest("hex"));
    expect(row.fingerprint).toBe(value!.fingerprint);
    const canonical = JSON.parse(row.canonical);
    expect(canonical).toMatchObject({ format: "placements-portal/bid/1", tender: t.id, lots: [t.lot1] });
    expect(canonical.prices.map((p: { pence: number }) => p.pence).sort()).toEqual([512_345, 698_700]);
    expect(canonical.answers.find((x: { question: string }) => x.question === t.q.passFail).files).toEqual([{ sha256: sha(PDF("registration")) }]);
    // Lot 2's own question is not part of a lot 1 bid.
    expect(canonical.answers.map((x: { question: string }) => x.question)).not.toContain(t.q.lot2Only);

    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: "bid.submitted", after: { Version: 1, Fingerprint: row.fingerprint } });
    const receipts = await db.selectFrom("outbox_email").select(["to_address", "subject", "text"]).where("template", "=", "bid_receipt").where("text", "like", `%${row.fingerprint}%`).execute();
    expect(receipts.map((r) => r.to_address).sort()).toEqual([world.providerA.email, world.providerAColleague.email].sort());
    expect(receipts[0]!.subject).toBe("Bid received: Residential framework 2027 (version 1)");
    expect(receipts[0]!.text).toContain("Received: 9am on Monday 4 January 2027 (the portal's clock)");
    expect(receipts[0]!.text).toContain("Questions answered: 1.1, 2.1 and 3.1");
    // The outbox is readable by an administrator: the receipt names no words or amounts.
    expect(receipts[0]!.text).not.toContain("safeguarding");
    expect(receipts[0]!.text).not.toMatch(/5,123|5123|512345/);

    const receipt = (await ownSubmission(db, t.id, 1, world.providerA))!;
    expect(receipt.answers.find((x) => x.questionId === t.q.quality)!.answerText).toBe("We train every carer in safeguarding.");
    expect(receipt.prices.map((p) => p.amountPence)).toEqual([512_345, 698_700]);
    expect(await ownSubmission(db, t.id, 1, world.providerB)).toBeNull();
  });

  it("clicked twice at once makes one submission", async () => {
    const t = await started();
    await complete(t);
    const a = as(world.providerA);
    const both = await Promise.all([
      run((trx) => submitBid(trx, { tenderId: t.id, declarationConfirmed: true }, a, LINKS)),
      run((trx) => submitBid(trx, { tenderId: t.id, declarationConfirmed: true }, a, LINKS)),
    ]);
    expect(both.map((r) => r.number)).toEqual([1, 1]);
    expect(both.map((r) => r.created).sort()).toEqual([false, true]);
    expect(await db.selectFrom("bid_submission").select("number").where("tender_id", "=", t.id).execute()).toEqual([{ number: 1 }]);
    expect(await db.selectFrom("audit_event").select("seq").where("action", "=", "bid.submitted").where(sql<boolean>`subjects @> ${JSON.stringify([{ type: "tender", id: t.id }])}::jsonb`).execute()).toHaveLength(1);
  });

  it("can be changed after submitting without withdrawing: the submitted version stands until a newer one, and every version is kept", async () => {
    const t = await started();
    await complete(t);
    const a = as(world.providerA);
    const v1 = await run((trx) => submitBid(trx, { tenderId: t.id, declarationConfirmed: true }, a, LINKS));
    await run((trx) => saveAnswer(trx, { tenderId: t.id, questionId: t.q.quality, expectedVersion: 1, answerText: "A better answer about safeguarding." }, a));
    const draft = (await getOwnBid(db, t.id, world.providerA))!;
    // The change is in the draft, not yet submitted: version 1 still counts.
    expect(draftFingerprint(draft, world.providerA.organisationId)).not.toBe(v1.fingerprint);
    expect((await ownSubmissions(db, t.id, world.providerA)).map((s) => [s.number, s.counts])).toEqual([[1, true]]);
    const v2 = await run((trx) => submitBid(trx, { tenderId: t.id, declarationConfirmed: true }, a, LINKS));
    expect(v2.number).toBe(2);
    expect((await ownSubmissions(db, t.id, world.providerA)).map((s) => [s.number, s.counts])).toEqual([[2, true], [1, false]]);
    expect((await ownSubmission(db, t.id, 1, world.providerA))!.answers.find((x) => x.questionId === t.q.quality)!.answerText).toBe("We train every carer in safeguarding.");
  });

  it("can be withdrawn, after which nothing counts until a new version is submitted", async () => {
    const t = await started();
    await complete(t);
    const a = as(world.providerA);
    await run((trx) => submitBid(trx, { tenderId: t.id, declarationConfirmed: true }, a, LINKS));
    const { events } = await runAudited(db, (trx) => withdrawBid(trx, { tenderId: t.id, expectedNumber: 1 }, a));
    expect(events.map((e) => e.action)).toEqual(["bid.withdrawn"]);
    expect((await ownSubmissions(db, t.id, world.providerA))[0]).toMatchObject({ number: 1, counts: false, withdrawnAt: BID_NOW });
    expect((await failure((trx) => withdrawBid(trx, { tenderId: t.id, expectedNumber: 1 }, a)))?.message).toMatch(/no submitted bid/);
    // The same content again is a new version: the withdrawn one stays withdrawn.
    const again = await run((trx) => submitBid(trx, { tenderId: t.id, declarationConfirmed: true }, a, LINKS));
    expect(again).toMatchObject({ number: 2, created: true });
  });

  it("is kept as written: the portal's own login cannot change or delete a submitted version", async () => {
    const t = await started();
    await complete(t);
    await run((trx) => submitBid(trx, { tenderId: t.id, declarationConfirmed: true }, as(world.providerA), LINKS));
    await expect(sql`UPDATE bid_submission SET fingerprint = repeat('0', 64) WHERE tender_id = ${t.id}`.execute(db)).rejects.toThrow(/permission denied|append-only/);
    await expect(sql`UPDATE bid_submission_price SET amount_pence = 1 WHERE submission_id IN (SELECT id FROM bid_submission WHERE tender_id = ${t.id})`.execute(db)).rejects.toThrow(/permission denied|append-only/);
    await expect(sql`DELETE FROM bid_submission_answer WHERE tender_id = ${t.id}`.execute(db)).rejects.toThrow(/permission denied|append-only/);
    await expect(sql`DELETE FROM bid_submission WHERE tender_id = ${t.id}`.execute(ownerDb())).rejects.toThrow(/append-only/);
  });
});

describe("the receipt PDF", () => {
  it("lists the answers, files with their SHA-256, prices, the time received and the fingerprint", async () => {
    const t = await started();
    await complete(t, "Every carer has safeguarding training & supervision.");
    const submitted = await run((trx) => submitBid(trx, { tenderId: t.id, declarationConfirmed: true }, as(world.providerA), LINKS));
    const renderer = createPdfRenderer();
    try {
      const pdf = await renderer.render({ document: "bid-receipt", input: { bid: (await ownSubmission(db, t.id, 1, world.providerA))!, generatedAt: BID_NOW } });
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bid-receipt-")), "receipt.pdf");
      fs.writeFileSync(file, pdf);
      const text = (await promisify(execFile)("/usr/bin/pdftotext", ["-enc", "UTF-8", file, "-"])).stdout.replace(/\s+/g, " ");
      expect(text).toContain("Bid receipt");
      expect(text).toContain(submitted.fingerprint);
      expect(text).toContain("9am on Monday 4 January 2027 (the portal's clock)");
      expect(text).toContain("Every carer has safeguarding training & supervision.");
      expect(text).toContain("Yes, we meet this requirement");
      expect(text).toContain(`File: ofsted.pdf ${sha(PDF("registration"))}`);
      expect(text).toContain("Weekly fee per placement, Standard: £5,123.45 per week");
    } finally {
      await renderer.close();
    }
  });
});

describe("the deadline", () => {
  it("is the server's clock: at the deadline a submission or change is refused with a clear message and the draft is kept", async () => {
    const t = await started();
    await complete(t);
    const late = as(world.providerA, BID_DEADLINE);
    const before = await getOwnBid(db, t.id, world.providerA);
    const submit = await failure((trx) => submitBid(trx, { tenderId: t.id, declarationConfirmed: true }, late, LINKS));
    expect(submit).toBeInstanceOf(DeadlinePassed);
    expect(submit?.message).toBe("The deadline for bids was midday on Monday 8 February 2027. Your draft has been kept, but it can no longer be changed or submitted.");
    expect(await failure((trx) => saveAnswer(trx, { tenderId: t.id, questionId: t.q.quality, expectedVersion: 1, answerText: "Late" }, late))).toBeInstanceOf(DeadlinePassed);
    expect(await failure((trx) => setBidPrices(trx, { tenderId: t.id, expectedVersion: 3, prices: [] }, late))).toBeInstanceOf(DeadlinePassed);
    expect(await getOwnBid(db, t.id, world.providerA)).toEqual(before);
    expect(await db.selectFrom("bid_submission").select("id").where("tender_id", "=", t.id).execute()).toEqual([]);
    // A millisecond before, it is accepted.
    const justInTime = await run((trx) => submitBid(trx, { tenderId: t.id, declarationConfirmed: true }, as(world.providerA, new Date(BID_DEADLINE.getTime() - 1)), LINKS));
    expect(justInTime.number).toBe(1);
  });
});

describe("the fingerprint", () => {
  it("is the same for the same content however it is read, and changes when any answer, price or file changes", async () => {
    const t = await started();
    await complete(t, "Caf\u00e9 staff are trained.");
    const a = as(world.providerA);
    const org = world.providerA.organisationId;
    const read = async () => draftFingerprint((await getOwnBid(db, t.id, world.providerA))!, org);
    const first = await read();
    expect(await read()).toBe(first);
    // The same words typed with a decomposed é are the same answer (NFC).
    const same = await run((trx) => saveAnswer(trx, { tenderId: t.id, questionId: t.q.quality, expectedVersion: 1, answerText: "Cafe\u0301 staff are trained." }, a));
    expect(same.changed).toBe(false);
    expect(await read()).toBe(first);

    await run((trx) => saveAnswer(trx, { tenderId: t.id, questionId: t.q.quality, expectedVersion: 1, answerText: "Caf\u00e9 staff are all trained." }, a));
    const answerChanged = await read();
    expect(answerChanged).not.toBe(first);
    await run((trx) => setBidPrices(trx, { tenderId: t.id, expectedVersion: 3, prices: [{ priceItemId: t.prices.standard, amountPence: 512_346 }] }, a));
    const priceChanged = await read();
    expect(priceChanged).not.toBe(answerChanged);
    await run((trx) => attachBidFile(trx, { tenderId: t.id, questionId: t.q.passFail, file: { fileName: "more.pdf", contents: PDF("more"), ownerOrganisationId: org } }, a));
    const fileChanged = await read();
    expect(fileChanged).not.toBe(priceChanged);

    // Recomputable by anyone from the canonical text: sorted keys, no spaces.
    const text = canonicalText(canonicalBid((await getOwnBid(db, t.id, world.providerA))!, org));
    expect(fingerprintOf(text)).toBe(fileChanged);
    expect(text.startsWith('{"answers":[')).toBe(true);
    expect(text).not.toMatch(/": /);
  });

  it("keeps the audit trail verifiable after all of this", async () => {
    expect((await verifyAuditTrail(db, { publicKey: null })).ok).toBe(true);
  });
});
