// The demo's supported living tender that has closed and been opened: it was
// published five weeks before the seed runs, seven supported-living providers
// each submitted a complete bid before its deadline (three days ago, at
// midday), then one commissioning officer asked for the opening and a second
// confirmed it. Evaluation (issue 10) starts from here.
//
// Every step goes through the modules with the moment it happened as the
// context's clock (`ctx.now`), which is how the modules tell the time: the
// bids are submitted before the deadline by that clock, never written as rows.
import type { Kysely } from "kysely";
import type { Database, Trx } from "#app/database/schema";
import { ukDate } from "#app/modules/common/input";
import type { ActionContext } from "#app/modules/identity/actor";
import { ROLE_LABELS } from "#app/modules/identity/roles";
import { actorForUser } from "#app/modules/identity/sessions";
import { createActiveUser } from "#app/modules/identity/users";
import { attachBidFile, chooseBidLots, getOwnBid, saveAnswer, setBidPrices, startBid } from "#app/modules/tendering/bids";
import { submitBid } from "#app/modules/tendering/bids-submission";
import { registerInterest } from "#app/modules/tendering/interest";
import { confirmOpening, requestOpening } from "#app/modules/tendering/opening";
import { publishTender } from "#app/modules/tendering/publication";
import { setPriceSchedule } from "#app/modules/tendering/questionnaires";
import { chooseLots, createTender } from "#app/modules/tendering/tenders";
import { addDaysToDay, ukTimeToUtc } from "#app/modules/tendering/timeline";
import type { DemoUserSummary } from "./demo";
import { addDemoSections } from "./demo-questionnaire";
import { demoPdf } from "./demo-bids";
import { DEMO_OPENED_TENDER, DEMO_OPENING_OFFICERS, DEMO_PROVIDERS } from "./demo-data";

const HOUR = 3_600_000;

/** The seven supported-living providers who bid, each with one user who can sign in, and what each offers. */
const BIDDERS = [
  { slug: "estuary-lane", fullName: "Megan Hart", lots: [1, 2], support: 3_150, accommodation: 29_500, years: 9 },
  { slug: "hillside-pathways", fullName: "Kwame Asante", lots: [2], support: 2_875, accommodation: 27_000, years: 6 },
  { slug: "lundy-view", fullName: "Ffion Rowe", lots: [1], support: 3_390, accommodation: 31_000, years: 12 },
  { slug: "clearwater", fullName: "Daniel Price", lots: [1, 2], support: 2_990, accommodation: 28_750, years: 7 },
  { slug: "compass-rose", fullName: "Leah Tremayne", lots: [1], support: 3_225, accommodation: 33_500, years: 4 },
  { slug: "stepping-stones", fullName: "Aisha Rahman", lots: [2], support: 2_750, accommodation: 26_250, years: 11 },
  { slug: "polwenna", fullName: "Ryan Kitto", lots: [1, 2], support: 3_050, accommodation: 30_000, years: 5 },
] as const;

/** The providers' users who bid in the opened tender: `bids@<slug>.example`, with the demo password. */
export const DEMO_BIDDER_EMAILS = BIDDERS.map((b) => `bids@${b.slug}.example`);

function answerFor(bidder: (typeof BIDDERS)[number], organisationName: string, questionNumber: string): string {
  return (
    `${organisationName}, question ${questionNumber}. We have supported young people aged 16 and over for ${bidder.years} years. ` +
    "Each young person has a named key worker who meets them at least weekly, agrees a pathway plan with their personal adviser " +
    "and reviews it every three months. Staff are trained in trauma-informed practice, safeguarding and first aid before they work alone. " +
    "We measure success by tenancies sustained, education, training or work, and how safe young people say they feel."
  );
}

/** Returns the tender and the bidding providers' users, for the demo's list of sign-ins. */
export async function seedDemoOpenedTender(db: Kysely<Database>, now: Date, password: string): Promise<{ tenderId: string; users: DemoUserSummary[] }> {
  const spec = DEMO_OPENED_TENDER;
  const today = ukDate(now);
  const day = (days: number) => addDaysToDay(today, days);
  const at = (days: number, time: string) => ukTimeToUtc(`${day(days)}T${time}`, "seed", "Demo time");
  const run = <T>(work: (trx: Trx) => Promise<T>) => db.transaction().execute(work);
  const userCtx = async (email: string, when: Date, step: string): Promise<ActionContext> => {
    const user = await db.selectFrom("app_user").select("id").where("email", "=", email).executeTakeFirstOrThrow();
    return { actor: await actorForUser(db, user.id, null), requestId: `seed:demo:opened-tender:${step}`, clientAddress: null, now: when };
  };

  const agreement = await db.selectFrom("agreement").select("id").where("reference", "=", spec.agreementReference).executeTakeFirstOrThrow();
  const lots = await db.selectFrom("lot").select(["id", "number"]).where("agreement_id", "=", agreement.id).where("number", "in", [...spec.lotNumbers]).orderBy("number").execute();
  const lotIds = lots.map((l) => l.id);
  const lotIdOf = (number: number) => lots.find((l) => l.number === number)!.id;

  // Set up and published by the first officer, five weeks ago.
  const [first, second] = DEMO_OPENING_OFFICERS;
  const setUp = await userCtx(first.email, at(-spec.publishedDaysAgo, "09:30"), "set-up");
  const tenderId = await run(async (trx) => {
    const { id } = await createTender(
      trx,
      {
        agreementId: agreement.id,
        title: spec.title,
        summary: spec.summary,
        procedure: "open",
        lightTouch: true,
        publicationAt: `${day(-spec.publishedDaysAgo)}T09:00`,
        clarificationDeadlineAt: `${day(-spec.clarificationDaysAgo)}T17:00`,
        submissionDeadlineAt: `${day(-spec.deadlineDaysAgo)}T12:00`,
        intendedAwardOn: day(spec.awardInDays),
        intendedContractStartOn: day(spec.contractStartInDays),
      },
      setUp,
    );
    let version = 1;
    const next = () => version++;
    await chooseLots(trx, { tenderId: id, expectedVersion: next(), lotIds }, setUp);
    await addDemoSections(trx, { tenderId: id, sections: spec.sections, lotIds, nextVersion: next }, setUp);
    for (const lotId of lotIds) {
      await setPriceSchedule(
        trx,
        { tenderId: id, expectedVersion: next(), lotId, priceWeight: spec.priceWeight, items: [{ component: "hourly_support_rate" }, { component: "weekly_accommodation_charge" }] },
        setUp,
      );
    }
    await publishTender(trx, { tenderId: id, expectedVersion: next() }, setUp);
    return id;
  });

  // Each provider's user, then its bid: interest in the first week, the bid
  // written over the following weeks and submitted in the last days before the deadline.
  const providers = await db.selectFrom("organisation").select(["id", "name"]).where("kind", "=", "provider").execute();
  const users: DemoUserSummary[] = [];
  await run(async (trx) => {
    const ctx: ActionContext = { actor: null, requestId: "seed:demo:opened-tender:users", clientAddress: null, now: at(-spec.publishedDaysAgo, "10:00") };
    for (const bidder of BIDDERS) {
      const organisation = providers.find((p) => p.name === providerName(bidder.slug));
      if (!organisation) throw new Error(`Demo provider ${bidder.slug} is missing`);
      const email = `bids@${bidder.slug}.example`;
      await createActiveUser(trx, { organisationId: organisation.id, email, fullName: bidder.fullName, roles: ["provider_user"], password }, ctx);
      users.push({ email, role: ROLE_LABELS.provider_user, organisation: organisation.name });
    }
  });
  for (const [i, bidder] of BIDDERS.entries()) {
    const email = `bids@${bidder.slug}.example`;
    const interested = await userCtx(email, new Date(at(-spec.publishedDaysAgo + 2 + (i % 5), "11:00").getTime() + i * HOUR), `${bidder.slug}:interest`);
    await run((trx) => registerInterest(trx, { tenderId, organisationId: interested.actor!.organisationId }, interested));
    const writing = await userCtx(email, new Date(at(-spec.deadlineDaysAgo - 12 + i, "10:00").getTime()), `${bidder.slug}:draft`);
    await run((trx) => startBid(trx, { tenderId }, writing));
    let draft = (await getOwnBid(db, tenderId, writing.actor!))!;
    await run((trx) => chooseBidLots(trx, { tenderId, expectedVersion: draft.bid.version, lotIds: bidder.lots.map(lotIdOf) }, writing));
    draft = (await getOwnBid(db, tenderId, writing.actor!))!;
    const organisationName = writing.actor!.organisationName;
    for (const q of draft.sections.flatMap((s) => s.questions).filter((x) => x.applies)) {
      if (q.kind === "pass_fail") {
        await run((trx) => saveAnswer(trx, { tenderId, questionId: q.id, expectedVersion: 0, meetsRequirement: true }, writing));
        await run((trx) =>
          attachBidFile(
            trx,
            { tenderId, questionId: q.id, file: { fileName: `${organisationName} - question ${q.number}.pdf`, contents: demoPdf(`${organisationName}: evidence for question ${q.number}`), ownerOrganisationId: writing.actor!.organisationId } },
            writing,
          ),
        );
      } else if (q.kind === "quality") {
        await run((trx) => saveAnswer(trx, { tenderId, questionId: q.id, expectedVersion: 0, answerText: answerFor(bidder, organisationName, q.number) }, writing));
      } else {
        await run((trx) => saveAnswer(trx, { tenderId, questionId: q.id, expectedVersion: 0, declared: true }, writing));
      }
    }
    draft = (await getOwnBid(db, tenderId, writing.actor!))!;
    await run((trx) =>
      setBidPrices(
        trx,
        {
          tenderId,
          expectedVersion: draft.bid.version,
          // In pence, a little more for each lot, so the bids' prices differ.
          prices: draft.prices.map((p) => ({ priceItemId: p.id, amountPence: p.component === "hourly_support_rate" ? bidder.support + p.lotNumber * 25 : bidder.accommodation + p.lotNumber * 500 })),
        },
        writing,
      ),
    );
    // Submitted in the last week, the latest an hour before the deadline.
    const submitting = await userCtx(email, new Date(at(-spec.deadlineDaysAgo, "12:00").getTime() - (BIDDERS.length - i) * 17 * HOUR), `${bidder.slug}:submit`);
    await run((trx) => submitBid(trx, { tenderId, declarationConfirmed: true }, submitting, { baseUrl: "http://localhost:3000" }));
  }

  // Opened the day after the deadline: one officer asks, a second confirms.
  const asking = await userCtx(first.email, at(-spec.deadlineDaysAgo + 1, "09:15"), "opening-requested");
  await run((trx) => requestOpening(trx, { tenderId }, asking));
  const confirming = await userCtx(second.email, at(-spec.deadlineDaysAgo + 1, "10:40"), "opening-confirmed");
  await run((trx) => confirmOpening(trx, { tenderId }, confirming));
  return { tenderId, users };
}

function providerName(slug: string): string {
  const provider = DEMO_PROVIDERS.find((p) => p.slug === slug);
  if (!provider) throw new Error(`No demo provider ${slug}`);
  return provider.name;
}
