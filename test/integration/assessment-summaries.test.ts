// Assessment summaries (decision 029): built from the evaluation report and
// the approved decision, refused before it, sent once (also under two
// officers pressing at once), frozen, emailed to the bidders' users, and
// each bid's summary readable only by its own provider and the council.
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { Trx } from "#app/database/schema";
import {
  assessmentSummariesSentAt,
  draftAssessmentSummaries,
  ownSummaries,
  sendAssessmentSummaries,
  sentSummary,
  summariesOverview,
} from "#app/modules/awards/assessment-summaries";
import { publishAwardNotice } from "#app/modules/awards/award-notice";
import { barredFromDeciding, declaredConflicts } from "#app/modules/awards/decision-record";
import { awardProgress } from "#app/modules/awards/progress";
import { ocidFor, releasePackage } from "#app/modules/publication/ocds-releases";
import { ActionRefused, RecordNotFound } from "#app/modules/errors";
import type { Actor } from "#app/modules/identity/actor";
import { approvedAward, RATIONALE } from "#test/support/assessment";
import { runAudited } from "#test/support/audited";
import { useTestDatabase } from "#test/support/database";
import { EVALUATION_NOW } from "#test/support/evaluation";
import { buildTenderingWorld, contextOf, type TenderingWorld } from "#test/support/tendering";

const { db } = await useTestDatabase();
let world: TenderingWorld;
beforeAll(async () => {
  world = await buildTenderingWorld(db);
}, 60_000);

const LINKS = { baseUrl: "http://portal.test" };
const SENT_AT = new Date(EVALUATION_NOW.getTime() + 3_600_000);
const as = (actor: Actor) => contextOf(actor, SENT_AT);
const run = <T>(work: (trx: Trx) => Promise<T>) => db.transaction().execute(work);
const failure = (work: (trx: Trx) => Promise<unknown>) => run(work).then(() => null, (e: unknown) => e as Error);
const lotName = async (id: string) => {
  const lot = await db.selectFrom("lot").select(["number", "title"]).where("id", "=", id).executeTakeFirstOrThrow();
  return `Lot ${lot.number}: ${lot.title}`;
};
const summaryEmails = (tenderId: string) =>
  db.selectFrom("outbox_email").select(["to_address", "subject", "text"]).where("template", "=", "assessment_summary").where("text", "like", `%${tenderId}%`).orderBy("to_address").execute();

describe("assessment summaries", () => {
  it("are refused before the award decision is approved, writing nothing", async () => {
    const t = await approvedAward(db, world, { decide: false });
    const refused = await runAudited(db, (trx) => sendAssessmentSummaries(trx, { tenderId: t.id }, as(world.officer), LINKS));
    expect(refused.error).toBeInstanceOf(ActionRefused);
    expect(refused.error!.message).toBe("Assessment summaries can be sent once the Chief Officer has approved the award decision");
    expect(refused.events).toEqual([]);
    expect(await assessmentSummariesSentAt(db, t.id)).toBeNull();
    expect(await db.selectFrom("assessment_summary").select("id").where("tender_id", "=", t.id).execute()).toEqual([]);
    expect((await summariesOverview(db, t.id, world.officer)).notYet).toBe("Assessment summaries can be sent once the Chief Officer has approved the award decision");
  });

  it("give each bidder its scores with the reasons, and an unsuccessful bidder the successful bid's beside its own (figures by hand)", async () => {
    const t = await approvedAward(db, world);
    const [lot1, lot2] = [await lotName(t.lot1), await lotName(t.lot2)];
    const drafts = await draftAssessmentSummaries(db, t.id, world.officer);
    const a = drafts.find((d) => d.bidId === t.bidA)!.content;
    const b = drafts.find((d) => d.bidId === t.bidB)!.content;
    const nameB = world.providerB.organisationName;

    // A, lot 1 only: quality 60 (2 of 5 = 24.00), price 40 on lowest price: 40 × £10,800 ÷ £11,623.45 = 37.166… → 37.17; total 61.17.
    expect(a.bidderName).toBe(world.providerA.organisationName);
    expect(a.lots).toHaveLength(1);
    expect(a.lots[0]).toEqual({
      lot: lot1,
      successful: false,
      outcome: "Unsuccessful: your bid is not to be admitted to the framework for this lot.",
      criteria: [
        {
          criterion: "2.1 How do you keep children safe?",
          weighting: "60 points of 100",
          yourScore: "2 of 5",
          yourPoints: "24.00 of 60",
          reasons: `${RATIONALE.a}.`,
          successfulScore: "4 of 5",
          successfulPoints: "48.00 of 60",
        },
      ],
      price: {
        weighting: "40 points of 100",
        method: expect.stringMatching(/^Price is worth 40 points\. The lowest price among the bids still in the evaluation scores all 40/),
        yourPrice: "£11,623.45",
        yourScore: "37.17 of 40",
        explanation: "40 × £10,800 (the lowest price) ÷ £11,623.45 = 37.17 points.",
        successfulPrice: "£10,800",
        successfulScore: "40.00 of 40",
      },
      total: "61.17 of 100",
      successfulTotal: "88.00 of 100",
      rank: "2nd of 2 scored bids",
      comparedWith: `${nameB}, ranked 1st`,
      furtherReasons: [
        `Your bid scored 61.17 points and ranked 2nd; the successful bid (${nameB}) scored 88.00 points. Its scores are shown beside yours for each criterion.`,
      ],
    });

    // B, successful in both lots. Lot 1: 4 of 5 of 60 = 48.00, lowest price 40.00: 88.00.
    // Lot 2: 4 of 5 of 40 = 32.00, 3 of 5 of 30 = 18.00, the only price 30.00: 80.00.
    expect(b.lots.map((l) => [l.lot, l.successful, l.outcome, l.total, l.rank, l.comparedWith, l.furtherReasons])).toEqual([
      [lot1, true, "Successful: your bid is to be admitted to the framework for this lot.", "88.00 of 100", "1st of 2 scored bids", null, []],
      [lot2, true, "Successful: your bid is to be admitted to the framework for this lot.", "80.00 of 100", "1st of 1 scored bid", null, []],
    ]);
    expect(b.lots[1]!.criteria.map((c) => [c.criterion, c.weighting, c.yourScore, c.yourPoints, c.reasons, c.successfulScore])).toEqual([
      ["2.1 How do you keep children safe?", "40 points of 100", "4 of 5", "32.00 of 40", `${RATIONALE.b}.`, null],
      ["2.2 How do you support complex needs?", "30 points of 100", "3 of 5", "18.00 of 30", `${RATIONALE.bLot2}.`, null],
    ]);
    expect(b.lots[1]!.price).toMatchObject({ weighting: "30 points of 100", yourPrice: "£9,000", yourScore: "30.00 of 30", successfulPrice: null });

    // Sent: frozen as drafted, one email to each active user of each bidder, audited with the bidders by name.
    const sent = await runAudited(db, (trx) => sendAssessmentSummaries(trx, { tenderId: t.id }, as(world.officer), LINKS));
    expect(sent.error).toBeNull();
    expect(sent.events).toEqual([
      expect.objectContaining({
        action: "award.assessment_summaries_sent",
        subjects: [{ type: "tender", id: t.id }, { type: "award_recommendation", id: t.recommendationId }],
        after: expect.objectContaining({ "Sent to": [world.providerA.organisationName, nameB].sort() }),
      }),
    ]);
    expect(await assessmentSummariesSentAt(db, t.id)).toEqual(SENT_AT);
    expect((await sentSummary(db, { tenderId: t.id, bidId: t.bidA }, world.providerA)).content).toEqual(a);
    const mail = await summaryEmails(t.id);
    const users = await db
      .selectFrom("app_user")
      .select("email")
      .where("organisation_id", "in", [world.providerA.organisationId, world.providerB.organisationId])
      .where("status", "=", "active")
      .orderBy("email")
      .execute();
    expect(mail.map((m) => m.to_address)).toEqual(users.map((u) => u.email));
    const toA = mail.find((m) => m.to_address === world.providerA.email)!;
    const { title } = await db.selectFrom("tender").select("title").where("id", "=", t.id).executeTakeFirstOrThrow();
    expect(toA.subject).toBe(`Your assessment summary: ${title}`);
    expect(toA.text).toContain(`${lot1}: unsuccessful`);
    expect(toA.text).toContain(`http://portal.test/tenders/${t.id}/award/summaries/${t.bidA}.pdf`);

    // What was sent stays as sent: the runtime login cannot change it.
    await expect(sql`UPDATE assessment_summary SET content = '{}' WHERE tender_id = ${t.id}`.execute(db)).rejects.toThrow(/permission denied/);
    const overview = await summariesOverview(db, t.id, world.officer);
    expect(overview.sending).toEqual({ sentAt: SENT_AT, sentBy: world.officer.name });
    expect(Object.fromEntries(overview.bidders.map((x) => [x.bidId, x.outcomes]))).toEqual({
      [t.bidA]: [`${lot1}: unsuccessful`],
      [t.bidB]: [`${lot1}: successful`, `${lot2}: successful`],
    });
  });

  it("are sent once: of two officers pressing at once, one sends and the other is told who sent them and when", async () => {
    const t = await approvedAward(db, world);
    const [second] = [t.secondOfficer];
    const results = await Promise.all(
      [world.officer, second].map((officer) => run((trx) => sendAssessmentSummaries(trx, { tenderId: t.id }, as(officer), LINKS)).then(() => null, (e: unknown) => e as Error)),
    );
    const refused = results.filter((r) => r !== null);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toBeInstanceOf(ActionRefused);
    // The one that went through is named, at the time it sent them (1:01pm UK time, GMT in February).
    const sender = results[0] === null ? world.officer : second;
    expect(refused[0]!.message).toBe(`${sender.name} sent the assessment summaries at 1:01pm on Monday 8 February 2027`);
    expect(await db.selectFrom("assessment_summary").select("bid_id").where("tender_id", "=", t.id).execute()).toHaveLength(2);
    const before = (await summaryEmails(t.id)).length;
    // A later press sends nothing more either.
    const again = (await failure((trx) => sendAssessmentSummaries(trx, { tenderId: t.id }, as(world.officer), LINKS))) as ActionRefused;
    expect(again.message).toBe(refused[0]!.message);
    expect((await summaryEmails(t.id)).length).toBe(before);
    const events = await db.selectFrom("audit_event").select("seq").where("action", "=", "award.assessment_summaries_sent").where(sql<boolean>`subjects @> ${JSON.stringify([{ type: "tender", id: t.id }])}::jsonb`).execute();
    expect(events).toHaveLength(1);
  });

  it("come before the contract award notice, which waits for them, and the OCDS award names the day they were sent", async () => {
    const t = await approvedAward(db, world);
    const notice = { tenderId: t.id, standstill: "apply" as const, workingDays: 8, reason: "Standstill as for any award" };
    const early = await runAudited(db, (trx) => publishAwardNotice(trx, notice, as(world.officer), LINKS));
    expect((early.error as ActionRefused).message).toBe("Send the bidders' assessment summaries first: the Procurement Act requires them before the contract award notice");
    expect(early.events).toEqual([]);
    expect((await awardProgress(db, t.id, SENT_AT)).nextStep).toMatch(/^Send the bidders' assessment summaries, then publish the contract award notice/);
    await run((trx) => sendAssessmentSummaries(trx, { tenderId: t.id }, as(world.officer), LINKS));
    const published = new Date(SENT_AT.getTime() + 3_600_000);
    await run((trx) => publishAwardNotice(trx, notice, contextOf(world.officer, published), LINKS));
    let text = "";
    for await (const chunk of releasePackage(db, { ocid: ocidFor(t.id), uri: "http://portal.test/ocds/releases.json", publisherName: "Fernvale", publishedAt: published })) text += chunk;
    const award = (JSON.parse(text) as { releases: { tag: string[]; awards?: { assessmentSummariesDateSent?: string }[] }[] }).releases.at(-1)!;
    expect(award.tag).toEqual(["award"]);
    expect(award.awards!.length).toBeGreaterThan(0);
    for (const a of award.awards!) expect(a.assessmentSummariesDateSent).toBe(SENT_AT.toISOString());
  });

  it("are each read only by the bidder's own users and the tender's council; only an officer sends", async () => {
    const t = await approvedAward(db, world);
    expect((await failure((trx) => sendAssessmentSummaries(trx, { tenderId: t.id }, as(t.chief), LINKS)))?.message).toBe("Only a commissioning officer sends assessment summaries");
    expect(await failure((trx) => sendAssessmentSummaries(trx, { tenderId: t.id }, as(world.otherCouncilOfficer), LINKS))).toBeInstanceOf(RecordNotFound);
    await run((trx) => sendAssessmentSummaries(trx, { tenderId: t.id }, as(world.officer), LINKS));
    expect((await sentSummary(db, { tenderId: t.id, bidId: t.bidA }, world.providerA)).content.bidderName).toBe(world.providerA.organisationName);
    await expect(sentSummary(db, { tenderId: t.id, bidId: t.bidA }, world.providerB)).rejects.toBeInstanceOf(RecordNotFound);
    await expect(sentSummary(db, { tenderId: t.id, bidId: t.bidA }, world.otherCouncilOfficer)).rejects.toBeInstanceOf(RecordNotFound);
    await expect(sentSummary(db, { tenderId: t.id, bidId: "not-an-id" }, world.providerA)).rejects.toBeInstanceOf(RecordNotFound);
    expect((await sentSummary(db, { tenderId: t.id, bidId: t.bidB }, t.chief)).content.bidderName).toBe(world.providerB.organisationName);
    expect((await ownSummaries(db, t.id, world.providerB)).map((s) => s.bidId)).toEqual([t.bidB]);
    expect(await ownSummaries(db, t.id, world.officer)).toEqual([]);
  });

  it("the decision record names everyone barred from deciding and why, and the conflicts declared (none here)", async () => {
    const t = await approvedAward(db, world);
    const barred = await barredFromDeciding(db, t.recommendationId);
    expect(barred.find((b) => b.name === world.officer.name)?.because).toBe("drafted this recommendation; submitted this recommendation for decision; evaluated this tender");
    expect(barred.filter((b) => b.because === "evaluated this tender").map((b) => b.name.replace(/ \d+$/, "")).sort()).toEqual(["Nia Hughes", "Owen Price"]);
    expect(barred.some((b) => b.name === t.chief.name)).toBe(false);
    expect(await declaredConflicts(db, t.id)).toEqual([]);
  });
});
