// The demo's dynamic market for short breaks, built through the modules so
// every step is audited: published, open for a year, with two conditions of
// participation. Harbour Light is a member of lot 1; Moorland Care is a
// member of lot 1 and its application to join lot 2 waits for a decision.
// A call-off competition for lot 2 is published, so a provider outside lot 2
// is told why it cannot take part.
import type { Kysely } from "kysely";
import type { Database, Trx } from "#app/database/schema";
import { ukDate } from "#app/modules/common/input";
import { actorForUser } from "#app/modules/identity/sessions";
import {
  answerCondition,
  CALL_OFF_LEGAL_BASIS,
  chooseApplicationLots,
  decideApplication,
  marketConditions,
  organisationApplications,
  startApplication,
  startCallOff,
  submitApplication,
} from "#app/modules/tendering/dynamic-markets";
import { publishTender } from "#app/modules/tendering/publication";
import { addQuestion, addSection, setPriceSchedule } from "#app/modules/tendering/questionnaires";
import { chooseLots, createTender, tenderLots, updateTender } from "#app/modules/tendering/tenders";
import { addDaysToDay } from "#app/modules/tendering/timeline";

export const DEMO_DYNAMIC_MARKET = {
  agreementReference: "SWPPC-SB-2027",
  title: "Residential short breaks dynamic market 2027 to 2031",
  summary:
    "A dynamic market for overnight short breaks for disabled children. Providers may apply to join at any time while it is open; every provider that meets the conditions of participation is admitted. Placements are then bought through call-off competitions among the members of each lot.",
  callOffTitle: "Holiday short breaks, west, summer 2027",
} as const;

const OFFICER = "officer@westmoor.example";
const HARBOUR = "provider@harbour-light.example";
const MOORLAND = "provider@moorland-care.example";

export async function seedDemoDynamicMarket(db: Kysely<Database>, now: Date, options: { baseUrl?: string } = {}): Promise<void> {
  const links = { baseUrl: options.baseUrl ?? "http://localhost:3000" };
  const ctxFor = async (email: string, step: string) => {
    const user = await db.selectFrom("app_user").select("id").where("email", "=", email).executeTakeFirstOrThrow();
    return { actor: await actorForUser(db, user.id, null), requestId: `seed:demo:dynamic-market:${step}`, clientAddress: null, now };
  };
  const run = <T>(work: (trx: Trx) => Promise<T>) => db.transaction().execute(work);
  const officer = await ctxFor(OFFICER, "officer");
  const agreement = await db.selectFrom("agreement").select("id").where("reference", "=", DEMO_DYNAMIC_MARKET.agreementReference).executeTakeFirstOrThrow();
  const today = ukDate(now);
  const day = (days: number) => addDaysToDay(today, days);

  const marketId = await run(async (trx) => {
    const { id } = await createTender(
      trx,
      {
        agreementId: agreement.id,
        title: DEMO_DYNAMIC_MARKET.title,
        summary: DEMO_DYNAMIC_MARKET.summary,
        procedure: "dynamic_market",
        lightTouch: true,
        publicationAt: `${today}T00:00`,
        clarificationDeadlineAt: `${day(330)}T17:00`,
        // The market's end: applications are taken until then.
        submissionDeadlineAt: `${day(365)}T12:00`,
        intendedAwardOn: day(372),
        intendedContractStartOn: day(400),
      },
      officer,
    );
    let version = 1;
    const lots = await db.selectFrom("lot").select("id").where("agreement_id", "=", agreement.id).orderBy("number").execute();
    await chooseLots(trx, { tenderId: id, expectedVersion: version++, lotIds: lots.map((l) => l.id) }, officer);
    const s = await addSection(trx, { tenderId: id, expectedVersion: version++, title: "Conditions of participation" }, officer);
    await addQuestion(
      trx,
      {
        tenderId: id,
        expectedVersion: version++,
        sectionId: s.id,
        kind: "pass_fail",
        question: "Is each home you would use registered with Ofsted to provide short breaks, and rated at least Good?",
        evidenceRequired: "Ofsted registration",
      },
      officer,
    );
    await addQuestion(
      trx,
      {
        tenderId: id,
        expectedVersion: version++,
        sectionId: s.id,
        kind: "pass_fail",
        question: "Do you hold employer's and public liability insurance of at least £10 million?",
        evidenceRequired: "Insurance certificates",
      },
      officer,
    );
    await addQuestion(
      trx,
      { tenderId: id, expectedVersion: version++, sectionId: s.id, kind: "declaration", question: "We will follow the Peninsula safeguarding children partnership's procedures." },
      officer,
    );
    for (const lot of lots) {
      await setPriceSchedule(trx, { tenderId: id, expectedVersion: version++, lotId: lot.id, priceWeight: 100, items: [{ component: "nightly_rate" }] }, officer);
    }
    await publishTender(trx, { tenderId: id, expectedVersion: version++ }, officer);
    return id;
  });
  const [lot1, lot2] = await tenderLots(db, marketId);
  const conditions = await marketConditions(db, marketId);

  /** A complete application for the lots, submitted; returns its id. */
  const apply = async (email: string, lotIds: string[], evidence: string) => {
    const ctx = await ctxFor(email, "apply");
    const version = async () => (await organisationApplications(db, marketId, ctx.actor.organisationId))[0]!.version;
    const { id } = await run((trx) => startApplication(trx, { tenderId: marketId }, ctx));
    await run(async (trx) => chooseApplicationLots(trx, { tenderId: marketId, expectedVersion: await version(), lotIds }, ctx));
    for (const c of conditions) {
      const answer = c.kind === "declaration" ? { declared: true } : { meetsRequirement: true, evidence: `${evidence} (${c.evidenceRequired ?? "evidence"})` };
      await run(async (trx) => answerCondition(trx, { tenderId: marketId, expectedVersion: await version(), questionId: c.id, ...answer }, ctx));
    }
    await run(async (trx) => submitApplication(trx, { tenderId: marketId, expectedVersion: await version() }, ctx));
    return id;
  };
  const admit = (applicationId: string, reason?: string) =>
    run((trx) => decideApplication(trx, { tenderId: marketId, applicationId, decision: "admit", reason: reason ?? null }, officer, links));

  await admit(await apply(HARBOUR, [lot1!.id], "Ofsted URN SC401122, Good; certificates from Harbour Mutual, renewed in April"));
  await admit(await apply(MOORLAND, [lot1!.id], "Ofsted URN SC398877, Outstanding; certificates from Moor Insurance"), "Admitted on the evidence given; we will check the insurance certificate at the first call-off.");
  // Moorland's second application, for lot 2, waits for the officer.
  await apply(MOORLAND, [lot2!.id], "Tamarmouth home: Ofsted URN SC412233, Good; the same insurance");

  // A call-off competition among lot 2's members, published and open for bids for four weeks.
  await run(async (trx) => {
    const { id } = await startCallOff(trx, { marketTenderId: marketId, lotId: lot2!.id, title: DEMO_DYNAMIC_MARKET.callOffTitle }, officer);
    let version = 2;
    await updateTender(
      trx,
      {
        tenderId: id,
        expectedVersion: version++,
        title: DEMO_DYNAMIC_MARKET.callOffTitle,
        summary: "About 120 nights of short breaks in the Tamarmouth area over the school summer holidays. Open only to members of lot 2 of the short breaks dynamic market.",
        procedure: "dynamic_market",
        lightTouch: true,
        legalBasis: CALL_OFF_LEGAL_BASIS,
        publicationAt: `${today}T00:00`,
        clarificationDeadlineAt: `${day(14)}T17:00`,
        submissionDeadlineAt: `${day(28)}T12:00`,
        intendedAwardOn: day(35),
        intendedContractStartOn: day(60),
      },
      officer,
    );
    const s = await addSection(trx, { tenderId: id, expectedVersion: version++, title: "Quality" }, officer);
    await addQuestion(
      trx,
      { tenderId: id, expectedVersion: version++, sectionId: s.id, kind: "quality", question: "How will you plan each child's stay with their family?", wordLimit: 500, minimumScore: 2, weights: [{ lotId: lot2!.id, weight: 60 }] },
      officer,
    );
    await setPriceSchedule(trx, { tenderId: id, expectedVersion: version++, lotId: lot2!.id, priceWeight: 40, items: [{ component: "nightly_rate" }] }, officer);
    await publishTender(trx, { tenderId: id, expectedVersion: version++ }, officer);
  });
}
