// A published tender to bid in, for the bid tests: two lots, a pass/fail
// question, a quality question for both lots (10-word limit), one for lot 2
// only, a declaration, and prices for each lot. Also a second commissioning
// officer of the same council (opening takes two) and the council's other
// roles, for the sealed-bid tests. useBidSuite gives a test file its
// database, that world and staff, and provider A's draft for lot 1 made the
// way a provider makes it (draftForLot1).
import type { Kysely } from "kysely";
import { afterEach, beforeAll, beforeEach, vi } from "vitest";
import type { Database, Role, Trx } from "#app/database/schema";
import type { Actor } from "#app/modules/identity/actor";
import { attachBidFile, chooseBidLots, saveAnswer, setBidPrices, startBid } from "#app/modules/tendering/bids";
import { systemContext } from "#app/modules/identity/actor";
import { createActiveUser } from "#app/modules/identity/users";
import { registerInterest } from "#app/modules/tendering/interest";
import { publishTender } from "#app/modules/tendering/publication";
import { addQuestion, addSection, getQuestionnaire, setPriceSchedule } from "#app/modules/tendering/questionnaires";
import { chooseLots, createTender } from "#app/modules/tendering/tenders";
import { useTestDatabase } from "./database";
import { buildTenderingWorld, contextOf, type TenderingWorld } from "./tendering";

/** Before the deadline of every tender made here. */
export const BID_NOW = new Date("2027-01-04T09:00:00Z");
/** 12:00 UK time (GMT) on 8 February 2027. */
export const BID_DEADLINE = new Date("2027-02-08T12:00:00Z");

/**
 * For tests that call pages, which read the clock themselves: each test in
 * the file runs with JavaScript's clock set to BID_NOW and moving on from
 * there, so the tenders made here are open whatever today's date is. Only
 * Date is faked; timers and PostgreSQL's clock stay real.
 */
export function useBidClock(): void {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"], now: BID_NOW, shouldAdvanceTime: true });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}

export interface BidTender {
  id: string;
  lot1: string;
  lot2: string;
  q: { passFail: string; quality: string; lot2Only: string; declaration: string };
  prices: { standard: string; enhanced: string; complex: string };
}

export async function publishedBidTender(db: Kysely<Database>, world: TenderingWorld, options: { lightTouch?: boolean } = {}): Promise<BidTender> {
  const officer = contextOf(world.officer, BID_NOW);
  const [lot1, lot2] = world.agreements.residential_framework.lotIds as [string, string];
  const id = await db.transaction().execute(async (trx) => {
    const { id } = await createTender(
      trx,
      {
        agreementId: world.agreements.residential_framework.id,
        title: "Residential framework 2027",
        procedure: "open",
        lightTouch: options.lightTouch ?? true,
        publicationAt: "2027-01-04T08:00",
        clarificationDeadlineAt: "2027-01-25T17:00",
        submissionDeadlineAt: "2027-02-08T12:00",
        intendedAwardOn: "2027-03-15",
        intendedContractStartOn: "2027-04-01",
      },
      officer,
    );
    let v = 1;
    await chooseLots(trx, { tenderId: id, expectedVersion: v++, lotIds: [lot1, lot2] }, officer);
    const eligibility = await addSection(trx, { tenderId: id, expectedVersion: v++, title: "Eligibility" }, officer);
    await addQuestion(trx, { tenderId: id, expectedVersion: v++, sectionId: eligibility.id, kind: "pass_fail", question: "Are your homes registered with Ofsted?", evidenceRequired: "Registration certificates" }, officer);
    const quality = await addSection(trx, { tenderId: id, expectedVersion: v++, title: "Quality" }, officer);
    await addQuestion(
      trx,
      { tenderId: id, expectedVersion: v++, sectionId: quality.id, kind: "quality", question: "How do you keep children safe?", wordLimit: 10, minimumScore: 2, weights: [{ lotId: lot1, weight: 60 }, { lotId: lot2, weight: 40 }] },
      officer,
    );
    await addQuestion(trx, { tenderId: id, expectedVersion: v++, sectionId: quality.id, kind: "quality", question: "How do you support complex needs?", wordLimit: 500, minimumScore: 2, weights: [{ lotId: lot2, weight: 30 }] }, officer);
    const declarations = await addSection(trx, { tenderId: id, expectedVersion: v++, title: "Declarations" }, officer);
    await addQuestion(trx, { tenderId: id, expectedVersion: v++, sectionId: declarations.id, kind: "declaration", question: "The information in this bid is true." }, officer);
    await setPriceSchedule(trx, { tenderId: id, expectedVersion: v++, lotId: lot1, priceWeight: 40, items: [{ component: "weekly_fee", needBand: "Standard" }, { component: "weekly_fee", needBand: "Enhanced" }] }, officer);
    await setPriceSchedule(trx, { tenderId: id, expectedVersion: v++, lotId: lot2, priceWeight: 30, items: [{ component: "weekly_fee", needBand: "Complex" }] }, officer);
    await publishTender(trx, { tenderId: id, expectedVersion: v++ }, officer);
    return id;
  });
  const questionnaire = await getQuestionnaire(db, id);
  const questions = questionnaire.sections.flatMap((s) => s.questions);
  const items = (lotId: string) => questionnaire.priceSchedules.find((s) => s.lotId === lotId)!.items;
  return {
    id,
    lot1,
    lot2,
    q: { passFail: questions[0]!.id, quality: questions[1]!.id, lot2Only: questions[2]!.id, declaration: questions[3]!.id },
    prices: { standard: items(lot1)[0]!.id, enhanced: items(lot1)[1]!.id, complex: items(lot2)[0]!.id },
  };
}

export async function registerBothProviders(db: Kysely<Database>, world: TenderingWorld, tenderId: string): Promise<void> {
  for (const actor of [world.providerA, world.providerB]) {
    await db.transaction().execute((trx) => registerInterest(trx, { tenderId, organisationId: actor.organisationId }, contextOf(actor, BID_NOW)));
  }
}

let made = 0;

/** Staff of the world's council in each role, made once per call. */
export async function councilStaff(db: Kysely<Database>, world: TenderingWorld): Promise<Record<Exclude<Role, "provider_user">, Actor> & { secondOfficer: Actor }> {
  const n = ++made;
  return db.transaction().execute(async (trx) => {
    const person = async (role: Role, label: string): Promise<Actor> => {
      const email = `${label}${n}.${world.councilId.slice(0, 6)}@fernvale.example`;
      const { id } = await createActiveUser(trx, { organisationId: world.councilId, email, fullName: `${label} ${n}`, roles: [role], password: "lantern-meadow-harbour" }, systemContext("test:bids"));
      return { userId: id, name: `${label} ${n}`, email, roles: [role], organisationId: world.councilId, organisationName: "Fernvale", organisationKind: "council", sessionId: null };
    };
    return {
      commissioning_officer: world.officer,
      secondOfficer: await person("commissioning_officer", "second.officer"),
      evaluator: await person("evaluator", "evaluator"),
      chief_officer: await person("chief_officer", "chief"),
      portfolio_holder: await person("portfolio_holder", "portfolio"),
      administrator: await person("administrator", "admin"),
    };
  });
}

export type CouncilStaff = Awaited<ReturnType<typeof councilStaff>>;

/** The links submitBid puts in its receipt email. */
export const LINKS = { baseUrl: "http://portal.test" };
/** A minute after the deadline of every tender made here. */
export const AFTER_DEADLINE = new Date(BID_DEADLINE.getTime() + 60_000);

/**
 * A bid test file's own database with a tendering world and the council's
 * staff, built once before its tests (world and staff are filled in then, so
 * they can be destructured at the top of the file), and the helpers every
 * such file uses.
 */
export async function useBidSuite() {
  const { db } = await useTestDatabase();
  const world = {} as TenderingWorld;
  const staff = {} as CouncilStaff;
  beforeAll(async () => {
    Object.assign(world, await buildTenderingWorld(db));
    Object.assign(staff, await councilStaff(db, world));
  }, 60_000);
  const run = <T>(work: (trx: Trx) => Promise<T>) => db.transaction().execute(work);
  return {
    db,
    world,
    staff,
    /** The actor's context at BID_NOW (or `now`). */
    as: (actor: Actor, now = BID_NOW) => contextOf(actor, now),
    run,
    /** The error the work throws, or null. */
    failure: (work: (trx: Trx) => Promise<unknown>) => run(work).then(() => null, (e: unknown) => e as Error),
  };
}

/**
 * A published tender (publishedBidTender) with both providers interested and
 * provider A's draft for lot 1: yes to the pass/fail question (with `file`
 * attached, if given), `qualityAnswer` to the quality question, the
 * declaration, and the two lot 1 prices. Ready to submit once the pass/fail
 * question has its evidence.
 */
export async function draftForLot1(
  db: Kysely<Database>,
  world: TenderingWorld,
  input: { qualityAnswer: string; prices: [standard: number, enhanced: number]; file?: { fileName: string; contents: Buffer } },
): Promise<BidTender & { bidId: string; fileId: string | null }> {
  const t = await publishedBidTender(db, world);
  await registerBothProviders(db, world, t.id);
  const a = contextOf(world.providerA, BID_NOW);
  const run = <T>(work: (trx: Trx) => Promise<T>) => db.transaction().execute(work);
  const bid = await run((trx) => startBid(trx, { tenderId: t.id }, a));
  await run((trx) => chooseBidLots(trx, { tenderId: t.id, expectedVersion: 1, lotIds: [t.lot1] }, a));
  await run((trx) => saveAnswer(trx, { tenderId: t.id, questionId: t.q.passFail, expectedVersion: 0, meetsRequirement: true }, a));
  const file = input.file
    ? await run((trx) => attachBidFile(trx, { tenderId: t.id, questionId: t.q.passFail, file: { ...input.file!, ownerOrganisationId: world.providerA.organisationId } }, a))
    : null;
  await run((trx) => saveAnswer(trx, { tenderId: t.id, questionId: t.q.quality, expectedVersion: 0, answerText: input.qualityAnswer }, a));
  await run((trx) => saveAnswer(trx, { tenderId: t.id, questionId: t.q.declaration, expectedVersion: 0, declared: true }, a));
  const [standard, enhanced] = input.prices;
  await run((trx) =>
    setBidPrices(trx, { tenderId: t.id, expectedVersion: 2, prices: [{ priceItemId: t.prices.standard, amountPence: standard }, { priceItemId: t.prices.enhanced, amountPence: enhanced }] }, a),
  );
  return { ...t, bidId: bid.id, fileId: file?.id ?? null };
}
