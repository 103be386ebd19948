// An opened tender to evaluate, built through the tendering modules: the bid
// tests' tender (two lots, a pass/fail question, a quality question for both
// lots, one for lot 2 only, a declaration, prices), both providers' bids
// submitted (A for lot 1, B for both lots), and the two-officer opening after
// the deadline. Also evaluators of the council, made per call.
import type { Kysely } from "kysely";
import type { Database, Role, Trx } from "#app/database/schema";
import type { Actor } from "#app/modules/identity/actor";
import { systemContext } from "#app/modules/identity/actor";
import { createActiveUser } from "#app/modules/identity/users";
import { attachBidFile, chooseBidLots, saveAnswer, setBidPrices, startBid } from "#app/modules/tendering/bids";
import { submitBid } from "#app/modules/tendering/bids-submission";
import { confirmOpening, requestOpening } from "#app/modules/tendering/opening";
import { BID_DEADLINE, BID_NOW, publishedBidTender, registerBothProviders, type BidTender } from "./bids";
import { contextOf, type TenderingWorld } from "./tendering";

/** A minute after the deadline: when the evaluation tests act. */
export const EVALUATION_NOW = new Date(BID_DEADLINE.getTime() + 60_000);
export const PRICE_A_STANDARD = 512_345;

const LINKS = { baseUrl: "http://portal.test" };

let made = 0;

/** Council staff for evaluation: people in the given role at the world's council. */
export async function councilPeople(db: Kysely<Database>, world: TenderingWorld, role: Role, labels: string[]): Promise<Actor[]> {
  const n = ++made;
  return db.transaction().execute(async (trx) => {
    const people: Actor[] = [];
    for (const label of labels) {
      // The process id too: browser tests share one database across worker processes, each counting from 1.
      const email = `eval.${label.toLowerCase().replace(/\W+/g, ".")}${n}.${process.pid}.${world.councilId.slice(0, 6)}@fernvale.example`;
      const fullName = `${label} ${n}`;
      const { id } = await createActiveUser(trx, { organisationId: world.councilId, email, fullName, roles: [role], password: "lantern-meadow-harbour" }, systemContext("test:evaluation"));
      people.push({ userId: id, name: fullName, email, roles: [role], organisationId: world.councilId, organisationName: "Fernvale", organisationKind: "council", sessionId: null });
    }
    return people;
  });
}

async function submitFor(db: Kysely<Database>, t: BidTender, provider: Actor, lots: string[], answers: { quality: string; lot2Only?: string }, prices: { priceItemId: string; amountPence: number }[]) {
  const ctx = contextOf(provider, BID_NOW);
  const run = <T>(work: (trx: Trx) => Promise<T>) => db.transaction().execute(work);
  await run((trx) => startBid(trx, { tenderId: t.id }, ctx));
  await run((trx) => chooseBidLots(trx, { tenderId: t.id, expectedVersion: 1, lotIds: lots }, ctx));
  await run((trx) => saveAnswer(trx, { tenderId: t.id, questionId: t.q.passFail, expectedVersion: 0, meetsRequirement: true }, ctx));
  await run((trx) =>
    attachBidFile(trx, { tenderId: t.id, questionId: t.q.passFail, file: { fileName: "ofsted-registration.pdf", contents: Buffer.from("%PDF-1.4\n%registration\n"), ownerOrganisationId: provider.organisationId } }, ctx),
  );
  await run((trx) => saveAnswer(trx, { tenderId: t.id, questionId: t.q.quality, expectedVersion: 0, answerText: answers.quality }, ctx));
  if (answers.lot2Only) await run((trx) => saveAnswer(trx, { tenderId: t.id, questionId: t.q.lot2Only, expectedVersion: 0, answerText: answers.lot2Only! }, ctx));
  await run((trx) => saveAnswer(trx, { tenderId: t.id, questionId: t.q.declaration, expectedVersion: 0, declared: true }, ctx));
  await run((trx) => setBidPrices(trx, { tenderId: t.id, expectedVersion: 2, prices }, ctx));
  await run((trx) => submitBid(trx, { tenderId: t.id, declarationConfirmed: true }, ctx, LINKS));
}

export interface OpenedTender extends BidTender {
  /** The officer who confirmed the opening (the world's officer asked for it). */
  secondOfficer: Actor;
}

/** The bid tests' tender with both providers' bids in, opened by two officers after the deadline. */
export async function openedTender(db: Kysely<Database>, world: TenderingWorld, options: { open?: boolean } = {}): Promise<OpenedTender> {
  const t = await publishedBidTender(db, world);
  await registerBothProviders(db, world, t.id);
  await submitFor(db, t, world.providerA, [t.lot1], { quality: "Trained staff and nightly safeguarding reviews" }, [
    { priceItemId: t.prices.standard, amountPence: PRICE_A_STANDARD },
    { priceItemId: t.prices.enhanced, amountPence: 650_000 },
  ]);
  await submitFor(db, t, world.providerB, [t.lot1, t.lot2], { quality: "Key workers and a clear safeguarding lead", lot2Only: "Therapeutic support from our clinical team" }, [
    { priceItemId: t.prices.standard, amountPence: 480_000 },
    { priceItemId: t.prices.enhanced, amountPence: 600_000 },
    { priceItemId: t.prices.complex, amountPence: 900_000 },
  ]);
  const [secondOfficer] = await councilPeople(db, world, "commissioning_officer", ["Second Officer"]);
  if (options.open !== false) {
    await db.transaction().execute((trx) => requestOpening(trx, { tenderId: t.id }, contextOf(world.officer, EVALUATION_NOW)));
    await db.transaction().execute((trx) => confirmOpening(trx, { tenderId: t.id }, contextOf(secondOfficer!, EVALUATION_NOW)));
  }
  return { ...t, secondOfficer: secondOfficer! };
}
