// How many SQL statements the tendering pages a provider uses most send per
// request (the route's loader or action as the browser calls it; the session
// lookup, BEGIN and COMMIT come on top), counted by a Kysely plugin on the
// real database: the answer save, the question page, the bid page, an upload,
// the submit and /tenders. Each stays within a fixed budget whatever the size
// of the bid, so a change that sends a query per answer or reloads the
// questionnaire twice fails here. QUERY_COUNTS=1 prints the figures.
import { beforeAll, describe, expect, it } from "vitest";
import type { Trx } from "#app/database/schema";
import { addQuestion, getQuestionnaire } from "#app/modules/tendering/questionnaires";
import { chooseBidLots, saveAnswer, setBidPrices, startBid } from "#app/modules/tendering/bids";
import * as bidCheck from "#app/routes/tenders.$tenderId.bid.check";
import * as bidIndex from "#app/routes/tenders.$tenderId.bid._index";
import * as bidQuestion from "#app/routes/tenders.$tenderId.bid.questions.$questionId";
import * as tenders from "#app/routes/tenders._index";
import { amendTender } from "#app/modules/tendering/publication";
import { BID_NOW, LINKS, publishedBidTender, useBidClock, registerBothProviders, type BidTender } from "#test/support/bids";
import { useTestDatabase } from "#test/support/database";
import { QueryCounter } from "#test/support/query-counter";
import { answer, loaderStatus, portalContext, post } from "#test/support/portal-context";
import { buildTenderingWorld, contextOf, type TenderingWorld } from "#test/support/tendering";
import { tasksInMarkup } from "#test/support/task-markup";

const { db } = await useTestDatabase();
const counter = new QueryCounter();
const counted = db.withPlugin(counter);
let world: TenderingWorld;
beforeAll(async () => {
  world = await buildTenderingWorld(db);
}, 60_000);

// The pages read the clock: run them while the tender is open, whatever today is.
useBidClock();

const run = <T>(work: (trx: Trx) => Promise<T>) => db.transaction().execute(work);
const figures: Record<string, number> = {};

/** The statements one call sends, recorded under its name. */
async function queries(name: string, call: () => Promise<unknown>): Promise<number> {
  counter.count = 0;
  await call();
  figures[name] = counter.count;
  return counter.count;
}

/** Provider A's draft for lot 1, complete but for the evidence, with `extra` more quality questions answered. */
async function draft(extra: number): Promise<BidTender> {
  const t = await publishedBidTender(db, world);
  if (extra > 0) {
    // More questions for lot 1, added as the tender's officer would before publishing is not possible now: insert them as an amendment would.
    const officer = contextOf(world.officer, BID_NOW);
    const section = (await getQuestionnaire(db, t.id)).sections[1]!;
    await db.updateTable("tender").set({ status: "draft", published_at: null }).where("id", "=", t.id).execute();
    for (let i = 0; i < extra; i++) {
      const { version } = await db.selectFrom("tender").select("version").where("id", "=", t.id).executeTakeFirstOrThrow();
      await run((trx) => addQuestion(trx, { tenderId: t.id, expectedVersion: version, sectionId: section.id, kind: "quality", question: `Extra question ${i + 1}?`, wordLimit: 500, minimumScore: 2, weights: [{ lotId: t.lot1, weight: 1 }] }, officer));
    }
    await db.updateTable("tender").set({ status: "published", published_at: BID_NOW }).where("id", "=", t.id).execute();
  }
  await registerBothProviders(db, world, t.id);
  const a = contextOf(world.providerA, BID_NOW);
  await run((trx) => startBid(trx, { tenderId: t.id }, a));
  await run((trx) => chooseBidLots(trx, { tenderId: t.id, expectedVersion: 1, lotIds: [t.lot1] }, a));
  const questions = (await getQuestionnaire(db, t.id)).sections.flatMap((s) => s.questions);
  for (const q of questions) {
    if (q.kind === "quality" && q.id !== t.q.lot2Only) await run((trx) => saveAnswer(trx, { tenderId: t.id, questionId: q.id, expectedVersion: 0, answerText: `Answer to ${q.question}` }, a));
  }
  await run((trx) => saveAnswer(trx, { tenderId: t.id, questionId: t.q.declaration, expectedVersion: 0, declared: true }, a));
  await run((trx) => setBidPrices(trx, { tenderId: t.id, expectedVersion: 2, prices: [{ priceItemId: t.prices.standard, amountPence: 480_000 }, { priceItemId: t.prices.enhanced, amountPence: 610_000 }] }, a));
  return t;
}

/** Every counted request of a provider's bid, in the order a provider makes them. */
async function measure(t: BidTender, label: string): Promise<Record<string, number>> {
  const ctx = () => portalContext(counted, world.providerA);
  const path = `/tenders/${t.id}/bid`;
  const params = { tenderId: t.id };
  const out: Record<string, number> = {};
  const ok = (r: { status: number }) => expect(r.status).toBeLessThan(400);
  const bidPage = async () => ok(await loaderStatus(() => bidIndex.loader({ request: new Request(`http://portal.test${path}`), params, context: ctx() })));
  out.bidPage = await queries(`${label}: bid page`, bidPage);
  // The tender's questions and lots were read at its version: the next view reads only the bid's own parts (decision 047).
  out.bidPageAgain = await queries(`${label}: bid page again`, bidPage);
  out.questionPage = await queries(`${label}: question page`, async () =>
    ok(await loaderStatus(() => bidQuestion.loader({ request: new Request(`http://portal.test${path}/questions/${t.q.quality}`), params: { ...params, questionId: t.q.quality }, context: ctx() }))),
  );
  out.answerSave = await queries(`${label}: answer save`, async () =>
    expect(
      await answer(() =>
        bidQuestion.action({ request: post(`${path}/questions/${t.q.passFail}`, { meetsRequirement: "yes", expectedVersion: "0" }), params: { ...params, questionId: t.q.passFail }, context: ctx() }),
      ),
    ).toMatchObject({ status: 302 }),
  );
  const upload = new FormData();
  upload.set("intent", "upload");
  upload.set("file", new Blob([Buffer.from("%PDF-1.4\n%registration\n")], { type: "application/pdf" }), "ofsted.pdf");
  out.upload = await queries(`${label}: upload`, async () =>
    expect(
      await answer(() =>
        bidQuestion.action({ request: new Request(`http://portal.test${path}/questions/${t.q.passFail}`, { method: "POST", body: upload }), params: { ...params, questionId: t.q.passFail }, context: ctx() }),
      ),
    ).toMatchObject({ status: 302 }),
  );
  out.submit = await queries(`${label}: submit`, async () =>
    expect(await answer(() => bidCheck.action({ request: post(`${path}/check`, { declarationConfirmed: "yes" }), params, context: ctx() }))).toMatchObject({ status: 302, location: `${path}/receipt/1` }),
  );
  return out;
}

describe("queries per request", () => {
  it("stay within a fixed budget for a provider's bid, whatever its number of answers", async () => {
    const small = await measure(await draft(0), "4 questions");
    const large = await measure(await draft(26), "30 questions");
    if (process.env.QUERY_COUNTS) console.log(figures);
    // The same statements for a bid of 30 questions as for one of 4: nothing is sent per answer.
    expect(large).toEqual(small);
    // Before: 34, 23, 25, 38 and 56 (the whole draft loaded for every request, the questionnaire twice);
    // the bid page looks for interest only until a bid is started, and for an award notice with one query (the bidders only when there is one).
    expect(small.answerSave).toBeLessThanOrEqual(8);
    expect(small.questionPage).toBeLessThanOrEqual(5);
    // The draft's lots, answers, prices and files are one statement (decision 050).
    expect(small.bidPage).toBeLessThanOrEqual(11);
    // A repeat view reads the tender with the draft's revision, the submitted versions and any award notice (decision 051).
    expect(small.bidPageAgain).toBeLessThanOrEqual(3);
    expect(small.upload).toBeLessThanOrEqual(12);
    expect(small.submit).toBeLessThanOrEqual(26);
  });

  it("shows an amended question on the next view of the bid page, though the questions were kept", async () => {
    const t = await draft(0);
    const path = `/tenders/${t.id}/bid`;
    const view = async () => {
      const page = await bidIndex.loader({ request: new Request(`http://portal.test${path}`), params: { tenderId: t.id }, context: portalContext(counted, world.providerA) });
      return tasksInMarkup((page as Awaited<ReturnType<typeof bidIndex.loader>>).tasks!.sections).map((t) => t.label.slice(t.label.indexOf(" ") + 1));
    };
    expect(await view()).toContain("How do you keep children safe?");
    expect(await queries("bid page, questions kept", view)).toBeLessThanOrEqual(3);
    const { version } = await db.selectFrom("tender").select("version").where("id", "=", t.id).executeTakeFirstOrThrow();
    await run((trx) =>
      amendTender(trx, { tenderId: t.id, expectedVersion: version, reason: "Online safety", questions: [{ questionId: t.q.quality, question: "How do you keep children safe, online too?", wordLimit: 10 }] }, contextOf(world.officer, BID_NOW), LINKS),
    );
    const amended = await view();
    expect(amended).toContain("How do you keep children safe, online too?");
    expect(amended).not.toContain("How do you keep children safe?");
  });

  it("sends a handful for /tenders, however many tenders there are", async () => {
    await draft(0);
    const view = () => expect(loaderStatus(() => tenders.loader({ request: new Request("http://portal.test/tenders"), params: {}, context: portalContext(counted, null) }))).resolves.toMatchObject({ status: 200 });
    // The audit chain's version, then the count, the page and the lots; the same page again is the version only (decision 047).
    const n = await queries("/tenders", view);
    const again = await queries("/tenders again", view);
    if (process.env.QUERY_COUNTS) console.log(figures);
    expect(n).toBeLessThanOrEqual(4);
    expect(again).toBe(1);
  });
});
