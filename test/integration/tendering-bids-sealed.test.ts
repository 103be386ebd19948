import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { recordNames, recordTitle } from "#app/modules/audit/record-titles";
import { recordHistory } from "#app/modules/audit/trail";
import { ActionRefused, RecordNotFound } from "#app/modules/errors";
import { getOwnBid, ownBidFile, saveAnswer, startBid } from "#app/modules/tendering/bids";
import { reminderDue, sendBidReminders } from "#app/modules/tendering/bids-reminders";
import { ownSubmission, ownSubmissions, submitBid } from "#app/modules/tendering/bids-submission";
import { withdrawInterest } from "#app/modules/tendering/interest";
import {
  BidsSealed,
  bidsOpened,
  confirmOpening,
  openedBidFile,
  openedSubmissions,
  requestOpening,
  submissionsForOfficers,
  tenderOpening,
} from "#app/modules/tendering/opening";
import { getTender, tenderThing } from "#app/modules/tendering/tenders";
import { may } from "#app/policy/policy";
import { runAudited } from "#test/support/audited";
import { AFTER_DEADLINE as AFTER, BID_DEADLINE, BID_NOW, draftForLot1, LINKS, useBidSuite, type BidTender } from "#test/support/bids";
import { contextOf } from "#test/support/tendering";

const { db, world, staff, as, run, failure } = await useBidSuite();
const SECRET_ANSWER = "Zephyrine safeguarding method with nightly reviews";
const SECRET_PENCE = 734_219;
const HOUR = 3_600_000;

const councilRoles = () => [staff.commissioning_officer, staff.secondOfficer, staff.evaluator, staff.chief_officer, staff.portfolio_holder, staff.administrator];

/** Provider A submits a bid with a recognisable answer, price and file; provider B only drafts. */
async function tenderWithBids(): Promise<BidTender & { fileId: string; bidIds: string[] }> {
  const t = await draftForLot1(db, world, {
    qualityAnswer: SECRET_ANSWER,
    prices: [SECRET_PENCE, 800_000],
    file: { fileName: "zephyrine-registration.pdf", contents: Buffer.from("%PDF-1.4\n%registration\n") },
  });
  await run((trx) => submitBid(trx, { tenderId: t.id, declarationConfirmed: true }, as(world.providerA), LINKS));
  const b = as(world.providerB);
  const bidB = await run((trx) => startBid(trx, { tenderId: t.id }, b));
  await run((trx) => saveAnswer(trx, { tenderId: t.id, questionId: t.q.quality, expectedVersion: 0, answerText: "Moor draft words only" }, b));
  return { ...t, fileId: t.fileId!, bidIds: [t.bidId, bidB.id] };
}

async function thing(tenderId: string) {
  return { ...tenderThing((await getTender(db, tenderId))!), bidsOpened: await bidsOpened(db, tenderId) };
}

describe("sealed until opened", () => {
  it("lets council staff learn only which providers have submitted and when", async () => {
    const t = await tenderWithBids();
    const submitted = await submissionsForOfficers(db, t.id);
    expect(submitted).toEqual([{ organisationName: world.providerA.organisationName, submittedAt: BID_NOW }]);
    expect(Object.keys(submitted[0]!).sort()).toEqual(["organisationName", "submittedAt"]);
  });

  it("gives every council role nothing of a bid's answers, prices or files before opening", async () => {
    const t = await tenderWithBids();
    const subject = await thing(t.id);
    for (const actor of councilRoles()) {
      await expect(openedSubmissions(db, t.id, actor)).rejects.toBeInstanceOf(BidsSealed);
      await expect(openedBidFile(db, t.id, t.fileId, actor)).rejects.toBeInstanceOf(BidsSealed);
      // The provider's own reads give a council user nothing either.
      expect(await getOwnBid(db, t.id, actor)).toBeNull();
      expect(await ownSubmissions(db, t.id, actor)).toEqual([]);
      expect(await ownSubmission(db, t.id, 1, actor)).toBeNull();
      expect(await ownBidFile(db, t.id, t.fileId, actor)).toBeNull();
      expect(may(actor, "bid.readSubmitted", subject)).toMatchObject({ allowed: false });
      expect(may(actor, "bid.viewSubmissions", subject)).toEqual({ allowed: true });
    }
    // Another council does not even learn the tender's bids exist.
    await expect(openedSubmissions(db, t.id, world.otherCouncilOfficer)).rejects.toBeInstanceOf(RecordNotFound);
    expect(may(world.otherCouncilOfficer, "bid.viewSubmissions", subject)).toMatchObject({ allowed: false, status: 404 });
    // Provider B cannot read A's file by guessing its id.
    expect(await ownBidFile(db, t.id, t.fileId, world.providerB)).toBeNull();
    expect(await ownBidFile(db, t.id, t.fileId, world.providerA)).not.toBeNull();
  });

  it("keeps answers and prices out of the audit trail's before and after values, summaries and the outbox", async () => {
    const t = await tenderWithBids();
    const events = await db
      .selectFrom("audit_event")
      .select(["action", "summary", "before", "after"])
      .where((eb) => eb.or(t.bidIds.map((id) => sql<boolean>`${eb.ref("subjects")} @> ${JSON.stringify([{ type: "bid", id }])}::jsonb`)))
      .execute();
    expect(new Set(events.map((e) => e.action))).toEqual(new Set(["bid.started", "bid.lots_chosen", "bid.answer_saved", "bid.file_attached", "bid.prices_set", "bid.submitted"]));
    const text = JSON.stringify(events);
    expect(text).not.toContain("Zephyrine safeguarding");
    expect(text).not.toContain("Moor draft words");
    for (const amount of [String(SECRET_PENCE), "7342.19", "7,342.19", "800000", "8000.00"]) expect(text).not.toContain(amount);
    // The tender's own history (what officers see as its timeline, and its extract) is the same trail.
    const history = JSON.stringify(await recordHistory(db, { type: "tender", id: t.id }));
    expect(history).not.toContain("Zephyrine safeguarding");
    expect(history).not.toContain(String(SECRET_PENCE));
    const emails = JSON.stringify(await db.selectFrom("outbox_email").select(["subject", "text", "html"]).execute());
    expect(emails).not.toContain("Zephyrine safeguarding");
    expect(emails).not.toContain("7,342.19");
  });

  it("keeps a bid file's name out of the file store's audit event, the records' names and every history before opening", async () => {
    const t = await tenderWithBids();
    const fileEvents = await db
      .selectFrom("audit_event")
      .select(["action", "summary", "before", "after"])
      .where(sql<boolean>`subjects @> ${JSON.stringify([{ type: "file", id: t.fileId }])}::jsonb`)
      .execute();
    expect(fileEvents.map((e) => e.action).sort()).toEqual(["bid.file_attached", "file.stored"]);
    expect(fileEvents.find((e) => e.action === "file.stored")).toMatchObject({ summary: expect.stringContaining("Evidence for a sealed bid"), after: expect.objectContaining({ fileName: "Evidence for a sealed bid" }) });
    const everything = JSON.stringify([
      fileEvents,
      await recordNames(db, [{ type: "file", id: t.fileId }]),
      await recordTitle(db, { type: "file", id: t.fileId }),
      await recordHistory(db, { type: "file", id: t.fileId }),
      await recordHistory(db, { type: "tender", id: t.id }),
      await recordHistory(db, { type: "organisation", id: world.providerA.organisationId }),
      ...(await Promise.all(t.bidIds.map((id) => recordHistory(db, { type: "bid", id })))),
    ]);
    expect(everything.toLowerCase()).not.toContain("zephyrine");
    // The provider still sees its own name for the file, and the receipt keeps it.
    const own = (await getOwnBid(db, t.id, world.providerA))!;
    expect(own.sections.flatMap((s) => s.questions).flatMap((q) => q.files).map((f) => f.fileName)).toEqual(["zephyrine-registration.pdf"]);
    expect((await ownSubmission(db, t.id, 1, world.providerA))!.answers.flatMap((a) => a.files).map((f) => f.fileName)).toEqual(["zephyrine-registration.pdf"]);
    expect((await ownBidFile(db, t.id, t.fileId, world.providerA))!.file.fileName).toBe("zephyrine-registration.pdf");
  });
});

describe("opening by two officers", () => {
  it("is refused before the deadline, and to anyone but the council's commissioning officers", async () => {
    const t = await tenderWithBids();
    const early = (await failure((trx) => requestOpening(trx, { tenderId: t.id }, as(world.officer)))) as ActionRefused;
    expect(early.message).toBe("Bids cannot be opened before the deadline, midday on Monday 8 February 2027");
    expect(await failure((trx) => requestOpening(trx, { tenderId: t.id }, as(staff.evaluator, AFTER)))).toBeInstanceOf(ActionRefused);
    expect(await failure((trx) => requestOpening(trx, { tenderId: t.id }, as(world.otherCouncilOfficer, AFTER)))).toBeInstanceOf(RecordNotFound);
    expect(await failure((trx) => requestOpening(trx, { tenderId: t.id }, as(world.providerA, AFTER)))).toBeInstanceOf(RecordNotFound);
    expect(await tenderOpening(db, t.id)).toBeNull();
  });

  it("needs a second, different officer: the one who asked cannot confirm, and both are named and audited", async () => {
    const t = await tenderWithBids();
    const asked = await runAudited(db, (trx) => requestOpening(trx, { tenderId: t.id }, as(world.officer, AFTER)));
    expect(asked.events).toEqual([expect.objectContaining({ action: "tender.opening_requested", after: { "Opening requested by": world.officer.name, "Bids submitted": 1 } })]);
    const again = await failure((trx) => requestOpening(trx, { tenderId: t.id }, as(staff.secondOfficer, AFTER)));
    expect(again?.message).toMatch(/asked for the bids to be opened .*: a different officer now confirms it/);
    const self = (await failure((trx) => confirmOpening(trx, { tenderId: t.id }, as(world.officer, AFTER)))) as ActionRefused;
    expect(self.message).toBe("You asked for the opening, so a different commissioning officer must confirm it: two people open bids, never one");
    expect(await bidsOpened(db, t.id)).toBe(false);
    await expect(openedSubmissions(db, t.id, staff.evaluator)).rejects.toBeInstanceOf(BidsSealed);

    const confirmed = await runAudited(db, (trx) => confirmOpening(trx, { tenderId: t.id }, as(staff.secondOfficer, AFTER)));
    expect(confirmed.events).toHaveLength(1);
    expect(confirmed.events[0]).toMatchObject({
      action: "tender.opened",
      after: { Bids: "Opened", "Opening requested by": world.officer.name, "Opening confirmed by": staff.secondOfficer.name, "Bids submitted": 1 },
    });
    expect(await tenderOpening(db, t.id)).toEqual({ requestedAt: AFTER, requestedBy: world.officer.name, requestedById: world.officer.userId, confirmedAt: AFTER, confirmedBy: staff.secondOfficer.name });
    expect((await failure((trx) => confirmOpening(trx, { tenderId: t.id }, as(staff.secondOfficer, AFTER))))?.message).toMatch(/were opened at/);
    // The database holds the rule too, and keeps the opening as history.
    await expect(sql`UPDATE tender_opening SET confirmed_by = requested_by WHERE tender_id = ${t.id}`.execute(db)).rejects.toThrow(/only be confirmed, once|check constraint/);
    await expect(sql`DELETE FROM tender_opening WHERE tender_id = ${t.id}`.execute(db)).rejects.toThrow(/cannot be removed/);
  });

  it("then lets the officers and those who decide the award read each counting bid in full; evaluators only through the evaluation", async () => {
    const t = await tenderWithBids();
    await run((trx) => requestOpening(trx, { tenderId: t.id }, as(world.officer, AFTER)));
    await run((trx) => confirmOpening(trx, { tenderId: t.id }, as(staff.secondOfficer, AFTER)));
    const subject = await thing(t.id);
    for (const reader of [staff.commissioning_officer, staff.chief_officer, staff.portfolio_holder]) expect(may(reader, "bid.readSubmitted", subject)).toEqual({ allowed: true });
    // Evaluators read answers through the evaluation (declarations first, prices sealed until quality is moderated); administrators not at all.
    for (const other of [staff.evaluator, staff.administrator, world.providerB]) expect(may(other, "bid.readSubmitted", subject)).toMatchObject({ allowed: false });
    await expect(openedSubmissions(db, t.id, staff.evaluator)).rejects.toBeInstanceOf(RecordNotFound);
    await expect(openedSubmissions(db, t.id, staff.administrator)).rejects.toBeInstanceOf(RecordNotFound);
    await expect(openedBidFile(db, t.id, t.fileId, staff.evaluator)).rejects.toBeInstanceOf(RecordNotFound);
    const bids = await openedSubmissions(db, t.id, staff.commissioning_officer);
    // Provider B only drafted: there is nothing of it to open.
    expect(bids.map((b) => b.organisation.id)).toEqual([world.providerA.organisationId]);
    expect(bids[0]!.answers.find((a) => a.questionId === t.q.quality)!.answerText).toBe(SECRET_ANSWER);
    expect(bids[0]!.prices.find((p) => p.priceItemId === t.prices.standard)).toMatchObject({ amountPence: SECRET_PENCE, lotId: t.lot1 });
    const file = await openedBidFile(db, t.id, t.fileId, staff.chief_officer);
    // Once opened, the file carries the name the provider gave it.
    expect(file.file.fileName).toBe("zephyrine-registration.pdf");
    expect(bids[0]!.answers.find((a) => a.questionId === t.q.passFail)!.files.map((f) => f.fileName)).toEqual(["zephyrine-registration.pdf"]);
    const chunks: Buffer[] = [];
    for await (const chunk of file.bytes) chunks.push(chunk);
    expect(Buffer.concat(chunks).toString()).toBe("%PDF-1.4\n%registration\n");
    await expect(openedSubmissions(db, t.id, world.otherCouncilOfficer)).rejects.toBeInstanceOf(RecordNotFound);
  });
});

describe("deadline reminders", () => {
  it("are due 72 hours and then 24 hours before, and not after the deadline", () => {
    expect(reminderDue(BID_DEADLINE, new Date(BID_DEADLINE.getTime() - 73 * HOUR))).toBeNull();
    expect(reminderDue(BID_DEADLINE, new Date(BID_DEADLINE.getTime() - 72 * HOUR))).toBe(72);
    expect(reminderDue(BID_DEADLINE, new Date(BID_DEADLINE.getTime() - 24 * HOUR - 1))).toBe(72);
    expect(reminderDue(BID_DEADLINE, new Date(BID_DEADLINE.getTime() - 24 * HOUR))).toBe(24);
    expect(reminderDue(BID_DEADLINE, BID_DEADLINE)).toBeNull();
  });

  it("go once to interested providers with a draft but nothing submitted, however many instances run at once", async () => {
    const t = await tenderWithBids();
    const reminders = () =>
      db
        .selectFrom("outbox_email")
        .select(["to_address", "subject"])
        .where("template", "=", "bid_reminder")
        .where("text", "like", `%/tenders/${t.id}/bid%`)
        .orderBy("subject")
        .orderBy("to_address")
        .execute();
    const at = (hoursBefore: number) => contextOf(null, new Date(BID_DEADLINE.getTime() - hoursBefore * HOUR));
    await run((trx) => sendBidReminders(trx, LINKS, at(80)));
    expect(await reminders()).toEqual([]);

    const runs = await Promise.all([1, 2, 3].map(() => run((trx) => sendBidReminders(trx, LINKS, at(70)))));
    expect(runs.reduce((n, r) => n + r.reminders, 0)).toBeGreaterThanOrEqual(1);
    // Provider A has submitted: only provider B, which only drafted, is reminded.
    expect(await reminders()).toEqual([{ to_address: world.providerB.email, subject: "3 days left to submit your bid: Residential framework 2027" }]);
    await run((trx) => sendBidReminders(trx, LINKS, at(50)));
    expect(await reminders()).toHaveLength(1);

    await Promise.all([1, 2].map(() => run((trx) => sendBidReminders(trx, LINKS, at(20)))));
    expect((await reminders()).map((r) => r.subject)).toEqual([
      "24 hours left to submit your bid: Residential framework 2027",
      "3 days left to submit your bid: Residential framework 2027",
    ]);
    expect(await db.selectFrom("bid_reminder").select("hours_before").where("tender_id", "=", t.id).orderBy("hours_before").execute()).toEqual([{ hours_before: 24 }, { hours_before: 72 }]);
  });

  it("are not sent to a provider that withdrew its interest", async () => {
    const t = await tenderWithBids();
    await run((trx) => withdrawInterest(trx, { tenderId: t.id, organisationId: world.providerB.organisationId }, as(world.providerB)));
    const result = await run((trx) => sendBidReminders(trx, LINKS, contextOf(null, new Date(BID_DEADLINE.getTime() - 10 * HOUR))));
    expect(await db.selectFrom("bid_reminder").select("organisation_id").where("tender_id", "=", t.id).execute()).toEqual([]);
    expect(result.reminders).toBe(0);
  });
});
