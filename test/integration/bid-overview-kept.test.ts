// The bid page keeps its task statuses and fingerprint per revision of the
// draft (decision 051): a repeat view reads neither the answers nor the
// files, and every kind of change to the draft, by any of the provider's
// users, shows at the next view. A view inside a transaction that is rolled
// back leaves nothing of it behind.
import { describe, expect, it } from "vitest";
import type { Kysely } from "kysely";
import type { Database } from "#app/database/schema";
import { attachBidFile, chooseBidLots, detachBidFile, getOwnBid, saveAnswer, setBidPrices } from "#app/modules/tendering/bids";
import { submitBid } from "#app/modules/tendering/bids-submission";
import * as bidIndex from "#app/routes/tenders.$tenderId.bid._index";
import { BID_NOW, LINKS, draftForLot1, useBidClock, useBidSuite } from "#test/support/bids";
import { QueryCounter } from "#test/support/query-counter";
import { portalContext } from "#test/support/portal-context";
import { questionStatuses } from "#test/support/task-markup";

const { db, world, as, run } = await useBidSuite();
useBidClock();
const counter = new QueryCounter();
const counted = db.withPlugin(counter);

const PDF = (text: string) => Buffer.from(`%PDF-1.4\n${text}\n%%EOF\n`);
type Overview = Awaited<ReturnType<typeof bidIndex.loader>>;

async function view(tenderId: string, handle: Kysely<Database> = counted): Promise<Overview> {
  const request = new Request(`http://portal.test/tenders/${tenderId}/bid`);
  return (await bidIndex.loader({ request, params: { tenderId }, context: portalContext(handle, world.providerA) })) as Overview;
}

/** Each question's status by its number, with the lots', the prices' and the count of problems. */
function statuses(page: Overview) {
  const tasks = page.tasks!;
  return {
    lots: tasks.lots,
    prices: tasks.prices,
    problems: tasks.problems,
    questions: questionStatuses(tasks.sections),
  };
}

describe("the bid page's kept overview", () => {
  it("sends three statements on a repeat view, and shows every kind of change at the next", async () => {
    const t = await draftForLot1(db, world, { qualityAnswer: "We keep children safe.", prices: [480_000, 610_000] });
    const a = as(world.providerA);
    const colleague = as(world.providerAColleague);
    const first = statuses(await view(t.id));
    // Yes to the pass/fail question, but no evidence attached yet.
    expect(first.problems).toBe(1);
    expect(first.questions["1.1"]).toBe("Incomplete");

    counter.count = 0;
    expect(statuses(await view(t.id))).toEqual(first);
    // The tender and the draft's revision, the submitted versions, an award notice.
    expect(counter.count).toBe(3);

    const file = await run((trx) => attachBidFile(trx, { tenderId: t.id, questionId: t.q.passFail, file: { fileName: "ofsted.pdf", contents: PDF("registration"), ownerOrganisationId: world.providerA.organisationId } }, a));
    const attached = statuses(await view(t.id));
    expect(attached.questions["1.1"]).toBe("Completed");
    expect(attached.problems).toBe(0);

    const attachment = (await getOwnBid(db, t.id, world.providerA))!.sections[0]!.questions[0]!.files.find((f) => f.fileId === file.id)!;
    await run((trx) => detachBidFile(trx, { tenderId: t.id, attachmentId: attachment.attachmentId }, a));
    expect(statuses(await view(t.id)).questions["1.1"]).toBe("Incomplete");
    await run((trx) => attachBidFile(trx, { tenderId: t.id, questionId: t.q.passFail, file: { fileName: "ofsted.pdf", contents: PDF("registration"), ownerOrganisationId: world.providerA.organisationId } }, a));
    expect(statuses(await view(t.id)).problems).toBe(0);

    // A colleague's save of an answer, which does not touch the bid's row.
    const quality = (await getOwnBid(db, t.id, world.providerA))!.sections.flatMap((s) => s.questions).find((q) => q.id === t.q.quality)!;
    expect(statuses(await view(t.id)).questions[quality.number]).toBe("Completed");
    await run((trx) => saveAnswer(trx, { tenderId: t.id, questionId: t.q.quality, expectedVersion: quality.answer!.version, answerText: "" }, colleague));
    const cleared = statuses(await view(t.id));
    // Emptied after it was saved: begun, not finished.
    expect(cleared.questions[quality.number]).toBe("Incomplete");
    expect(cleared.problems).toBe(1);
    await run((trx) => saveAnswer(trx, { tenderId: t.id, questionId: t.q.quality, expectedVersion: quality.answer!.version + 1, answerText: "We keep children safe, online too." }, colleague));
    expect(statuses(await view(t.id)).problems).toBe(0);

    // Both lots: lot 2's question and prices are now part of the bid.
    const { version } = await db.selectFrom("bid").select("version").where("id", "=", t.bidId).executeTakeFirstOrThrow();
    await run((trx) => chooseBidLots(trx, { tenderId: t.id, expectedVersion: version, lotIds: [t.lot1, t.lot2] }, a));
    const bothLots = statuses(await view(t.id));
    expect(bothLots.prices).toBe("Incomplete");
    expect(bothLots.problems).toBeGreaterThan(0);
    const lot2Question = (await getOwnBid(db, t.id, world.providerA))!.sections.flatMap((s) => s.questions).find((q) => q.id === t.q.lot2Only)!;
    expect(bothLots.questions[lot2Question.number]).toBe("Not started");

    await run((trx) => chooseBidLots(trx, { tenderId: t.id, expectedVersion: version + 1, lotIds: [t.lot1] }, a));
    expect(statuses(await view(t.id)).problems).toBe(0);
    await run((trx) => setBidPrices(trx, { tenderId: t.id, expectedVersion: version + 2, prices: [{ priceItemId: t.prices.standard, amountPence: null }] }, a));
    const noPrice = statuses(await view(t.id));
    expect(noPrice.prices).toBe("Incomplete");
    expect(noPrice.problems).toBe(1);
  });

  it("says whether the draft has changed since the version that counts, after any user's change", async () => {
    const t = await draftForLot1(db, world, { qualityAnswer: "Our answer.", prices: [480_000, 610_000], file: { fileName: "ofsted.pdf", contents: PDF("registration") } });
    const a = as(world.providerA);
    expect((await view(t.id)).unsubmittedChanges).toBe(false);
    await run((trx) => submitBid(trx, { tenderId: t.id, declarationConfirmed: true }, a, LINKS));
    const submitted = await view(t.id);
    expect(submitted.counting?.number).toBe(1);
    expect(submitted.unsubmittedChanges).toBe(false);
    await run((trx) => saveAnswer(trx, { tenderId: t.id, questionId: t.q.quality, expectedVersion: 1, answerText: "Our better answer." }, as(world.providerAColleague)));
    expect((await view(t.id)).unsubmittedChanges).toBe(true);
    // Back to the words submitted: the fingerprint is the submitted one again.
    await run((trx) => saveAnswer(trx, { tenderId: t.id, questionId: t.q.quality, expectedVersion: 2, answerText: "Our answer." }, a));
    expect((await view(t.id)).unsubmittedChanges).toBe(false);
  });

  it("reads the draft afresh inside a transaction, and keeps nothing of one rolled back", async () => {
    const t = await draftForLot1(db, world, { qualityAnswer: "Our answer.", prices: [480_000, 610_000] });
    const before = statuses(await view(t.id));
    expect(before.problems).toBe(1);
    const rolledBack = new Error("rolled back on purpose");
    const inside = await db
      .transaction()
      .execute(async (trx) => {
        await attachBidFile(trx, { tenderId: t.id, questionId: t.q.passFail, file: { fileName: "ofsted.pdf", contents: PDF("registration"), ownerOrganisationId: world.providerA.organisationId } }, { ...as(world.providerA), now: BID_NOW });
        const seen = statuses(await view(t.id, trx));
        throw Object.assign(rolledBack, { seen });
      })
      .catch((error: unknown) => (error === rolledBack ? (rolledBack as Error & { seen: ReturnType<typeof statuses> }).seen : Promise.reject(error)));
    expect(inside.problems).toBe(0);
    expect(statuses(await view(t.id))).toEqual(before);
  });
});
