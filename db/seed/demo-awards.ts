// The demo's award decision in progress, built through the modules so every
// step is audited: a tender for lot 1 (east) of the short breaks agreement
// that closed three days ago, with bids from Harbour Light and Moorland Care,
// opened by two officers, and Priya Shah's recommendation (£1,850,000, a key
// decision) waiting for the Portfolio Holder's consultation response.
import type { Kysely } from "kysely";
import type { Database, Trx } from "#app/database/schema";
import { saveRecommendation, submitRecommendation } from "#app/modules/awards/recommendations";
import { ukDate } from "#app/modules/common/input";
import type { ActionContext } from "#app/modules/identity/actor";
import { actorForUser } from "#app/modules/identity/sessions";
import { attachBidFile, chooseBidLots, getOwnBid, saveAnswer, setBidPrices, startBid } from "#app/modules/tendering/bids";
import { submitBid } from "#app/modules/tendering/bids-submission";
import { registerInterest } from "#app/modules/tendering/interest";
import { confirmOpening, requestOpening } from "#app/modules/tendering/opening";
import { publishTender } from "#app/modules/tendering/publication";
import { addQuestion, addSection, setPriceSchedule, type PriceItemInput } from "#app/modules/tendering/questionnaires";
import { chooseLots, createTender } from "#app/modules/tendering/tenders";
import { addDaysToDay, utcToUkTime } from "#app/modules/tendering/timeline";
import { demoPdf } from "./demo-bids";

const DAY = 86_400_000;
export const DEMO_AWARD_TENDER_TITLE = "Residential short breaks, east: homes for 2027 to 2032";

export async function seedDemoAwards(db: Kysely<Database>, now: Date, options: { baseUrl?: string } = {}): Promise<void> {
  const links = { baseUrl: options.baseUrl ?? "http://localhost:3000" };
  const { tenderId, lotId, harbourBidId, run, as } = await seedOpenedShortBreaksTender(db, now, {
    title: DEMO_AWARD_TENDER_TITLE,
    summary: "Overnight short breaks for disabled children in Westmoor and Dartvale, in two homes.",
    lotNumber: 1,
    links,
  });
  const recommending = await as("officer@westmoor.example", new Date(now.getTime() - DAY), "recommendation");
  const saved = await run((trx) =>
    saveRecommendation(
      trx,
      {
        tenderId,
        expectedVersion: 0,
        lots: [{ lotId, bidIds: [harbourBidId] }],
        evaluationSummary: "Both bids passed the compliance checks and met the minimum quality score. Harbour Light scored higher on safeguarding and offered the lower weekly fee, so it ranks first.",
        valuePence: 1_850_000_00,
        budgetLine: "Children's placements 2027/28, cost centre 4410",
        risks: "Capacity in Dartvale is thin: if Harbour Light cannot open its second home on time, families there would travel further for breaks.",
        alternatives: "Spot purchasing nights, rejected as dearer and less reliable for families; awarding to both providers, rejected because demand fills two homes, not three.",
      },
      recommending,
    ),
  );
  await run((trx) => submitRecommendation(trx, { tenderId, expectedVersion: saved.version }, recommending, links));
}

/**
 * A short breaks tender for one lot, published 30 days before `now` and closed
 * 3 days before, with bids from Harbour Light and Moorland Care, opened by
 * two officers the day before yesterday: where a demo award starts.
 */
export async function seedOpenedShortBreaksTender(
  db: Kysely<Database>,
  now: Date,
  spec: {
    title: string;
    summary: string;
    lotNumber: number;
    links: { baseUrl: string };
    /** Another agreement's tender, with its own questions and price items (default: the short breaks agreement's). */
    agreement?: { reference: string; eligibility: string; quality: string; priceItems: PriceItemInput[] };
  },
) {
  const links = spec.links;
  const run = <T>(work: (trx: Trx) => Promise<T>) => db.transaction().execute(work);
  const as = async (email: string, at: Date, step: string): Promise<ActionContext> => {
    const user = await db.selectFrom("app_user").select("id").where("email", "=", email).executeTakeFirstOrThrow();
    return { actor: await actorForUser(db, user.id, null), requestId: `seed:demo:awards:${step}`, clientAddress: null, now: at };
  };
  const published = new Date(now.getTime() - 30 * DAY);
  const deadline = new Date(now.getTime() - 3 * DAY);
  const today = ukDate(now);
  const agreement = await db.selectFrom("agreement").select("id").where("reference", "=", spec.agreement?.reference ?? "SWPPC-SB-2027").executeTakeFirstOrThrow();
  const lot1 = await db.selectFrom("lot").select("id").where("agreement_id", "=", agreement.id).where("number", "=", spec.lotNumber).executeTakeFirstOrThrow();

  const officer = await as("officer@westmoor.example", published, "tender");
  const tenderId = await run(async (trx) => {
    const { id } = await createTender(
      trx,
      {
        agreementId: agreement.id,
        title: spec.title,
        summary: spec.summary,
        procedure: "open",
        lightTouch: true,
        publicationAt: utcToUkTime(published),
        clarificationDeadlineAt: utcToUkTime(new Date(published.getTime() + 14 * DAY)),
        submissionDeadlineAt: utcToUkTime(deadline),
        intendedAwardOn: addDaysToDay(today, 14),
        intendedContractStartOn: addDaysToDay(today, 60),
      },
      officer,
    );
    let v = 1;
    await chooseLots(trx, { tenderId: id, expectedVersion: v++, lotIds: [lot1.id] }, officer);
    const eligibility = await addSection(trx, { tenderId: id, expectedVersion: v++, title: "Eligibility" }, officer);
    await addQuestion(trx, { tenderId: id, expectedVersion: v++, sectionId: eligibility.id, kind: "pass_fail", question: spec.agreement?.eligibility ?? "Is each home you offer registered with Ofsted to provide short breaks?", evidenceRequired: "The Ofsted registration certificate of each home" }, officer);
    const quality = await addSection(trx, { tenderId: id, expectedVersion: v++, title: "Quality" }, officer);
    await addQuestion(
      trx,
      { tenderId: id, expectedVersion: v++, sectionId: quality.id, kind: "quality", question: spec.agreement?.quality ?? "How will you keep disabled children safe during their short breaks?", wordLimit: 500, minimumScore: 2, weights: [{ lotId: lot1.id, weight: 60 }] },
      officer,
    );
    const declarations = await addSection(trx, { tenderId: id, expectedVersion: v++, title: "Declarations" }, officer);
    await addQuestion(trx, { tenderId: id, expectedVersion: v++, sectionId: declarations.id, kind: "declaration", question: "I confirm that the information in this bid is true and complete." }, officer);
    await setPriceSchedule(trx, { tenderId: id, expectedVersion: v++, lotId: lot1.id, priceWeight: 40, items: spec.agreement?.priceItems ?? [{ component: "nightly_rate" }] }, officer);
    await publishTender(trx, { tenderId: id, expectedVersion: v++ }, officer);
    return id;
  });

  const bids: [string, number, string][] = [
    ["provider@harbour-light.example", 495_00, "Each home has a registered manager and a deputy on call at all times; staff are trained in safeguarding before their first shift."],
    ["provider@moorland-care.example", 512_00, "Children have a named keyworker, nightly safety reviews and weekly reflective practice with a clinical psychologist."],
  ];
  for (const [email, fee, answer] of bids) {
    const p = await as(email, new Date(now.getTime() - 10 * DAY), "bid");
    const organisationId = p.actor!.organisationId;
    await run((trx) => registerInterest(trx, { tenderId, organisationId }, p));
    await run((trx) => startBid(trx, { tenderId }, p));
    let draft = (await getOwnBid(db, tenderId, p.actor!))!;
    await run((trx) => chooseBidLots(trx, { tenderId, expectedVersion: draft.bid.version, lotIds: [lot1.id] }, p));
    draft = (await getOwnBid(db, tenderId, p.actor!))!;
    for (const q of draft.sections.flatMap((s) => s.questions).filter((x) => x.applies)) {
      if (q.kind === "pass_fail") {
        await run((trx) => saveAnswer(trx, { tenderId, questionId: q.id, expectedVersion: 0, meetsRequirement: true }, p));
        await run((trx) => attachBidFile(trx, { tenderId, questionId: q.id, file: { fileName: "Ofsted registration certificates.pdf", contents: demoPdf("Ofsted registration certificates"), ownerOrganisationId: organisationId } }, p));
      } else if (q.kind === "quality") {
        await run((trx) => saveAnswer(trx, { tenderId, questionId: q.id, expectedVersion: 0, answerText: answer }, p));
      } else {
        await run((trx) => saveAnswer(trx, { tenderId, questionId: q.id, expectedVersion: 0, declared: true }, p));
      }
    }
    draft = (await getOwnBid(db, tenderId, p.actor!))!;
    await run((trx) => setBidPrices(trx, { tenderId, expectedVersion: draft.bid.version, prices: draft.prices.map((price) => ({ priceItemId: price.id, amountPence: fee })) }, p));
    await run((trx) => submitBid(trx, { tenderId, declarationConfirmed: true }, p, links));
  }

  // Opening takes two commissioning officers.
  await run(async (trx) => requestOpening(trx, { tenderId }, await as("officer@westmoor.example", new Date(now.getTime() - 2 * DAY), "opening")));
  await run(async (trx) => confirmOpening(trx, { tenderId }, await as("officer2@westmoor.example", new Date(now.getTime() - 2 * DAY + 3_600_000), "opening")));
  const harbour = await db
    .selectFrom("bid")
    .innerJoin("organisation", "organisation.id", "bid.organisation_id")
    .select("bid.id")
    .where("bid.tender_id", "=", tenderId)
    .where("organisation.name", "=", "Harbour Light Children's Homes Ltd")
    .executeTakeFirstOrThrow();
  return { tenderId, lotId: lot1.id, harbourBidId: harbour.id, run, as };
}
