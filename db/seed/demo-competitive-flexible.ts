// The demo's two-stage competitive flexible tenders for Westmoor's block
// beds, built through the modules so every step is audited (decision 035).
// One takes requests to participate now (nobody has requested yet). In the
// other, requests closed two days ago: Moorland Care passed and may bid;
// Harbour Light's request waits for an officer's assessment.
import type { Kysely } from "kysely";
import type { Database, Trx } from "#app/database/schema";
import { ukDate } from "#app/modules/common/input";
import type { ActionContext } from "#app/modules/identity/actor";
import { actorForUser } from "#app/modules/identity/sessions";
import { registerInterest } from "#app/modules/tendering/interest";
import {
  answerRequestCondition,
  assessRequest,
  chooseParticipationSections,
  ownRequest,
  participationConditions,
  startRequest,
  submitRequest,
} from "#app/modules/tendering/participation";
import { publishTender } from "#app/modules/tendering/publication";
import { getQuestionnaire, setPriceSchedule } from "#app/modules/tendering/questionnaires";
import { chooseLots, createTender } from "#app/modules/tendering/tenders";
import { addDaysToDay, ukTimeToUtc } from "#app/modules/tendering/timeline";
import { addDemoSections } from "./demo-questionnaire";

export const DEMO_COMPETITIVE_FLEXIBLE = {
  agreementReference: "WCC-BLOCK-2026",
  requestsOpenTitle: "Block beds for children with complex needs, 2027 (two stages)",
  biddingTitle: "Block beds in east Westmoor, 2027 (two stages)",
  summary:
    "A competitive flexible procedure in two stages. First, providers request to participate by answering the conditions of participation. Only providers who pass them are invited to submit a full bid: quality answers and a weekly price per contracted bed.",
} as const;

const OFFICER = "officer@westmoor.example";
const HARBOUR = "provider@harbour-light.example";
const MOORLAND = "provider@moorland-care.example";

const SECTIONS = [
  {
    title: "Conditions of participation",
    questions: [
      { kind: "pass_fail", question: "Is each home you offer registered with Ofsted as a children's home and rated at least Good?", evidenceRequired: "Ofsted registration and latest inspection report" },
      { kind: "pass_fail", question: "Do you hold employer's and public liability insurance of at least £10 million?", evidenceRequired: "Insurance certificates" },
      { kind: "declaration", question: "None of the grounds for exclusion in the Procurement Act 2023 applies to our organisation." },
    ],
  },
  {
    title: "Quality",
    questions: [
      {
        kind: "quality",
        question: "How will you keep the contracted beds full and safe for the children Westmoor places?",
        guidance: "Describe matching, admissions at short notice and how you work with the council when a placement is at risk.",
        wordLimit: 750,
        minimumScore: 2,
        weights: [60],
      },
    ],
  },
] as const;

export async function seedDemoCompetitiveFlexible(db: Kysely<Database>, now: Date, options: { baseUrl?: string } = {}): Promise<void> {
  const links = { baseUrl: options.baseUrl ?? "http://localhost:3000" };
  const today = ukDate(now);
  const day = (days: number) => addDaysToDay(today, days);
  const at = (days: number, time: string) => ukTimeToUtc(`${day(days)}T${time}`, "at", "time");
  const ctxFor = async (email: string, step: string, when: Date): Promise<ActionContext> => {
    const user = await db.selectFrom("app_user").select("id").where("email", "=", email).executeTakeFirstOrThrow();
    return { actor: await actorForUser(db, user.id, null), requestId: `seed:demo:competitive-flexible:${step}`, clientAddress: null, now: when };
  };
  const run = <T>(work: (trx: Trx) => Promise<T>) => db.transaction().execute(work);
  const agreement = await db.selectFrom("agreement").select("id").where("reference", "=", DEMO_COMPETITIVE_FLEXIBLE.agreementReference).executeTakeFirstOrThrow();
  const lots = await db.selectFrom("lot").select(["id", "number"]).where("agreement_id", "=", agreement.id).orderBy("number").execute();

  /** A published two-stage tender for one lot, set up and published by the officer at `published` days from today. */
  const publish = async (title: string, lotId: string, days: { published: number; clarification: number; participation: number; submission: number }) => {
    const officer = await ctxFor(OFFICER, "officer", at(days.published, "09:30"));
    return run(async (trx) => {
      const { id } = await createTender(
        trx,
        {
          agreementId: agreement.id,
          title,
          summary: DEMO_COMPETITIVE_FLEXIBLE.summary,
          procedure: "competitive_flexible",
          lightTouch: true,
          participationStage: true,
          publicationAt: `${day(days.published)}T10:00`,
          clarificationDeadlineAt: `${day(days.clarification)}T17:00`,
          participationDeadlineAt: `${day(days.participation)}T12:00`,
          submissionDeadlineAt: `${day(days.submission)}T12:00`,
          intendedAwardOn: day(days.submission + 21),
          intendedContractStartOn: day(days.submission + 60),
        },
        officer,
      );
      let version = 1;
      const next = () => version++;
      await chooseLots(trx, { tenderId: id, expectedVersion: next(), lotIds: [lotId] }, officer);
      await addDemoSections(trx, { tenderId: id, sections: SECTIONS, lotIds: [lotId], nextVersion: next }, officer);
      await setPriceSchedule(trx, { tenderId: id, expectedVersion: next(), lotId, priceWeight: 40, items: [{ component: "weekly_bed_price" }] }, officer);
      const conditions = (await getQuestionnaire(trx, id)).sections.find((s) => s.title === SECTIONS[0].title)!;
      await chooseParticipationSections(trx, { tenderId: id, expectedVersion: next(), sectionIds: [conditions.id] }, officer);
      await publishTender(trx, { tenderId: id, expectedVersion: next() }, officer);
      return id;
    });
  };

  await publish(DEMO_COMPETITIVE_FLEXIBLE.requestsOpenTitle, lots[1]!.id, { published: 0, clarification: 7, participation: 14, submission: 42 });
  const biddingId = await publish(DEMO_COMPETITIVE_FLEXIBLE.biddingTitle, lots[0]!.id, { published: -30, clarification: -10, participation: -2, submission: 21 });

  const conditions = await participationConditions(db, biddingId);
  /** Interest, then a complete request, submitted `daysAgo` days before today. */
  const request = async (email: string, daysAgo: number, evidence: string) => {
    const ctx = await ctxFor(email, "request", at(-daysAgo, "11:00"));
    const organisationId = ctx.actor!.organisationId;
    const version = async () => (await ownRequest(db, biddingId, organisationId))!.version;
    await run((trx) => registerInterest(trx, { tenderId: biddingId, organisationId }, ctx));
    const { id } = await run((trx) => startRequest(trx, { tenderId: biddingId }, ctx));
    for (const c of conditions) {
      const answer = c.kind === "declaration" ? { declared: true } : { meetsRequirement: true, evidence: `${evidence} (${c.evidenceRequired ?? "evidence"})` };
      await run(async (trx) => answerRequestCondition(trx, { tenderId: biddingId, expectedVersion: await version(), questionId: c.id, ...answer }, ctx));
    }
    await run(async (trx) => submitRequest(trx, { tenderId: biddingId, expectedVersion: await version() }, ctx));
    return id;
  };
  const moorland = await request(MOORLAND, 9, "Ofsted URN SC398877, Outstanding; certificates from Moor Insurance, renewed in March");
  await request(HARBOUR, 4, "Ofsted URN SC401122, Good; certificates from Harbour Mutual, renewed in April");
  // The day after requests closed, the officer passed Moorland Care; Harbour Light's request waits.
  const officer = await ctxFor(OFFICER, "assess", at(-1, "10:15"));
  await run((trx) => assessRequest(trx, { tenderId: biddingId, requestId: moorland, result: "passed", reason: null }, officer, links));
}
