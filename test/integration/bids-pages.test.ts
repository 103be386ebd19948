// The bid pages' actions called as the browser calls them: Submit clicked
// twice at once is one submission and both clicks land on its receipt; a
// library document refused on a question comes back beside its field with
// the choice kept, and an accepted one is attached.
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { Trx } from "#app/database/schema";
import { addEvidence } from "#app/modules/evidence/evidence";
import { attachBidFile, chooseBidLots, getOwnBid, saveAnswer, setBidPrices, startBid } from "#app/modules/tendering/bids";
import * as bidCheck from "#app/routes/tenders.$tenderId.bid.check";
import * as bidQuestion from "#app/routes/tenders.$tenderId.bid.questions.$questionId";
import { BID_NOW, publishedBidTender, useBidClock, registerBothProviders, type BidTender } from "#test/support/bids";
import { useTestDatabase } from "#test/support/database";
import { answer, portalContext, post } from "#test/support/portal-context";
import { buildTenderingWorld, contextOf, type TenderingWorld } from "#test/support/tendering";

const { db } = await useTestDatabase();
let world: TenderingWorld;
beforeAll(async () => {
  world = await buildTenderingWorld(db);
}, 60_000);

// The pages read the clock: run them while the tender is open, whatever today is.
useBidClock();

const run = <T>(work: (trx: Trx) => Promise<T>) => db.transaction().execute(work);

/** Provider A's draft for lot 1, complete but for what each test adds. */
async function draft(withEvidence: boolean): Promise<BidTender> {
  const t = await publishedBidTender(db, world);
  await registerBothProviders(db, world, t.id);
  const a = contextOf(world.providerA, BID_NOW);
  await run((trx) => startBid(trx, { tenderId: t.id }, a));
  await run((trx) => chooseBidLots(trx, { tenderId: t.id, expectedVersion: 1, lotIds: [t.lot1] }, a));
  await run((trx) => saveAnswer(trx, { tenderId: t.id, questionId: t.q.passFail, expectedVersion: 0, meetsRequirement: true }, a));
  if (withEvidence) {
    await run((trx) => attachBidFile(trx, { tenderId: t.id, questionId: t.q.passFail, file: { fileName: "ofsted.pdf", contents: Buffer.from("%PDF-1.4\n%ofsted\n"), ownerOrganisationId: world.providerA.organisationId } }, a));
  }
  await run((trx) => saveAnswer(trx, { tenderId: t.id, questionId: t.q.quality, expectedVersion: 0, answerText: "Nightly checks by trained carers." }, a));
  await run((trx) => saveAnswer(trx, { tenderId: t.id, questionId: t.q.declaration, expectedVersion: 0, declared: true }, a));
  await run((trx) => setBidPrices(trx, { tenderId: t.id, expectedVersion: 2, prices: [{ priceItemId: t.prices.standard, amountPence: 480_000 }, { priceItemId: t.prices.enhanced, amountPence: 610_000 }] }, a));
  return t;
}

describe("Submit clicked twice", () => {
  it("makes one submission, one audit event and one receipt email each, and both clicks land on the same receipt", async () => {
    const t = await draft(true);
    const click = () =>
      answer(() => bidCheck.action({ request: post(`/tenders/${t.id}/bid/check`, { declarationConfirmed: "yes" }), params: { tenderId: t.id }, context: portalContext(db, world.providerA) }));
    const [first, second] = await Promise.all([click(), click()]);
    expect(first).toMatchObject({ status: 302, location: `/tenders/${t.id}/bid/receipt/1` });
    expect(second).toMatchObject({ status: 302, location: `/tenders/${t.id}/bid/receipt/1` });
    expect(await db.selectFrom("bid_submission").select("number").where("tender_id", "=", t.id).execute()).toEqual([{ number: 1 }]);
    const events = await db.selectFrom("audit_event").select("seq").where("action", "=", "bid.submitted").where(sql<boolean>`subjects @> ${JSON.stringify([{ type: "tender", id: t.id }])}::jsonb`).execute();
    expect(events).toHaveLength(1);
    const receipts = await db.selectFrom("outbox_email").select("to_address").where("template", "=", "bid_receipt").where("text", "like", `%/tenders/${t.id}/bid/receipt/1%`).execute();
    // Provider A's two active users, once each.
    expect(receipts.map((r) => r.to_address).sort()).toEqual([world.providerA.email, world.providerAColleague.email].sort());
  });
});

describe("Attaching from the evidence library on a question's page", () => {
  it("gives a refused document's reason beside the field with the choice kept, and attaches a current one", async () => {
    const t = await draft(false);
    const now = new Date();
    const doc = (kind: string, expiresOn: string | null, words: string, at = now) =>
      run((trx) =>
        addEvidence(trx, { organisationId: world.providerA.organisationId, kind, expiresOn, file: { fileName: `${words}.pdf`, contents: Buffer.from(`%PDF-1.4\n%${words}\n`) } }, contextOf(world.providerA, at)),
      );
    // Expires the day before the tender's deadline (8 February 2027).
    const lapsing = await doc("public_liability_insurance", "2027-02-07", "lapsing");
    const current = await doc("ofsted_registration", "2028-01-31", "current");
    const send = (documentIds: string[]) =>
      answer(() =>
        bidQuestion.action({
          request: post(`/tenders/${t.id}/bid/questions/${t.q.passFail}`, { intent: "attach-evidence", evidence: documentIds }),
          params: { tenderId: t.id, questionId: t.q.passFail },
          context: portalContext(db, world.providerA),
        }),
      );
    const refused = await send([lapsing.id]);
    expect(refused.status).toBe(400);
    expect(refused.data?.errors).toEqual({
      evidence: `"Public liability insurance certificate" expires on 7 February 2027, before this tender's deadline on 8 February 2027: upload the renewed document to your evidence library and attach that`,
    });
    // What was ticked comes back; the answer's own fields are not touched.
    expect(refused.data?.values).toEqual({ evidence: [lapsing.id] });

    const page = (await bidQuestion.loader({ request: new Request(`http://portal.test/tenders/${t.id}/bid/questions/${t.q.passFail}`), params: { tenderId: t.id, questionId: t.q.passFail }, context: portalContext(db, world.providerA) })) as {
      library: { id: string; hint: string }[];
      deadlineDay: string;
    };
    expect(page.deadlineDay).toBe("8 February 2027");
    expect(page.library.find((d) => d.id === lapsing.id)?.hint).toBe("Expires on 7 February 2027, before the deadline: cannot be attached");
    expect(page.library.find((d) => d.id === current.id)?.hint).toBe("Valid until 31 January 2028");

    const attached = await send([current.id]);
    expect(attached).toMatchObject({ status: 302, location: `/tenders/${t.id}/bid/questions/${t.q.passFail}` });
    const files = (await getOwnBid(db, t.id, world.providerA))!.sections.flatMap((s) => s.questions).find((q) => q.id === t.q.passFail)!.files;
    expect(files.map((f) => f.evidenceDocumentId)).toEqual([current.id]);
  });
});
