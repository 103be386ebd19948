// A second award after a challenge is upheld for re-evaluation (decision 037),
// on real PostgreSQL: the approved decision superseded (kept, with the
// challenge and the evaluation as it stood), the notice withdrawn and the
// bidders told, a moderated score changed with its reason, a second
// recommendation decided the usual way, new assessment summaries (the first
// kept), a second notice with a new standstill, the OCDS awards, and
// contracts only from the live approved decision. Refusals and races too.
import { beforeAll, describe, expect, it } from "vitest";
import type { Trx } from "#app/database/schema";
import { assessmentSummariesSentAt, ownSummaries, sendAssessmentSummaries, sentSummary } from "#app/modules/awards/assessment-summaries";
import { noticeForTender, noticesForTender, publishAwardNotice } from "#app/modules/awards/award-notice";
import { resolveChallenge } from "#app/modules/awards/challenges";
import { decideAward } from "#app/modules/awards/decisions";
import { awardMayProceed, awardProgress, awardsToWatch } from "#app/modules/awards/progress";
import { openReevaluation, reevaluationChanges, reviseModeratedScore, supersessionOfNotice, supersessionsOf, withdrawalSentence } from "#app/modules/awards/reevaluation";
import { recommendationForTender, saveRecommendation, submitRecommendation, type RecommendationInput } from "#app/modules/awards/recommendations";
import { ukDate } from "#app/modules/common/input";
import { awardReadyForContracts, contractPlan, createContracts } from "#app/modules/contracts/contracts";
import { ActionRefused, ConcurrentEditError } from "#app/modules/errors";
import { currentModerations } from "#app/modules/evaluation/moderation";
import { evaluationReport } from "#app/modules/evaluation/report";
import type { Actor } from "#app/modules/identity/actor";
import { ocidFor, releasePackage } from "#app/modules/publication/ocds-releases";
import { CHALLENGE_RECEIVED as CHALLENGED, CHALLENGE_UPHELD as UPHELD, challengedAward, NOTICE_PUBLISHED as PUBLISHED, REEVALUATED, SUMMARIES_SENT as SENT, type DecidedTender } from "#test/support/assessment";
import { runAudited } from "#test/support/audited";
import { afterStandstill } from "#test/support/awards";
import { councilStaff } from "#test/support/bids";
import { useTestDatabase } from "#test/support/database";
import { ocdsPackageValidator } from "#test/support/ocds-schema";
import { answer, loaderStatus, portalContext, post } from "#test/support/portal-context";
import { buildTenderingWorld, contextOf, type TenderingWorld } from "#test/support/tendering";
import * as awardPage from "#app/routes/tenders.$tenderId.award";
import * as noticePage from "#app/routes/tenders.$tenderId.award-notice";
import * as reevaluationPage from "#app/routes/tenders.$tenderId.award_.reevaluation._index";
import * as changePage from "#app/routes/tenders.$tenderId.award_.reevaluation.$submissionId.$questionId";

const { db } = await useTestDatabase();
let world: TenderingWorld;
let staff: Awaited<ReturnType<typeof councilStaff>>;
beforeAll(async () => {
  world = await buildTenderingWorld(db);
  staff = await councilStaff(db, world);
}, 120_000);

const LINKS = { baseUrl: "http://portal.test" };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DECIDED_AGAIN = new Date(REEVALUATED.getTime() + DAY);
const SENT_AGAIN = new Date(DECIDED_AGAIN.getTime() + HOUR);
const PUBLISHED_AGAIN = new Date(SENT_AGAIN.getTime() + HOUR);
const run = <T>(work: (trx: Trx) => Promise<T>) => db.transaction().execute(work);
const failure = (work: (trx: Trx) => Promise<unknown>) => run(work).then(() => null, (e: unknown) => e as Error);
const as = (actor: Actor, at: Date) => contextOf(actor, at);

const subOf = async (t: DecidedTender, organisationId: string) =>
  (await db.selectFrom("bid_submission").select("id").where("tender_id", "=", t.id).where("organisation_id", "=", organisationId).executeTakeFirstOrThrow()).id;

/** Approved (B for both lots), summaries sent, notice published, a challenge from A upheld or not yet resolved. */
async function challenged(options: { resolve: boolean }) {
  const { t, challengeId, uphold } = await challengedAward(db, world, { grounds: "Our evidence at appendix 3 was not read.", upheldBecause: "Appendix 3 was overlooked in moderation" });
  if (options.resolve) await uphold();
  return { t, challengeId };
}

const secondRecommendation = (t: DecidedTender): RecommendationInput => ({
  tenderId: t.id,
  expectedVersion: 0,
  lots: [
    { lotId: t.lot1, bidIds: [t.bidA] },
    { lotId: t.lot2, bidIds: [t.bidB] },
  ],
  evaluationSummary: "Re-evaluated after the challenge: A now ranks first in lot 1; B stays first in lot 2.",
  valuePence: 400_000_00,
  budgetLine: "Children's placements 2027/28, cost centre 4410",
  risks: "A new provider in lot 1.",
  alternatives: "Keeping B in lot 1, rejected: the re-evaluation ranks A first.",
});

describe("after a challenge is upheld for re-evaluation", () => {
  it("the whole path: superseded, notice withdrawn, a score changed with its reason, a second recommendation decided, new summaries, a new notice and standstill, then contracts", async () => {
    const { t } = await challenged({ resolve: false });
    const first = t.recommendationId;
    const subA = await subOf(t, world.providerA.organisationId);

    // While the first award stands: no second recommendation, no changed scores.
    const early = await failure((trx) => saveRecommendation(trx, secondRecommendation(t), as(world.officer, CHALLENGED)));
    expect(early).toBeInstanceOf(ActionRefused);
    expect(early!.message).toBe("The approved award stands, so a second recommendation cannot be drafted: that is possible only once a challenge to the award is upheld for re-evaluation");
    const standing = (await currentModerations(db, t.id, t.q.quality)).get(`${subA}:${t.q.quality}`)!;
    const tooSoon = await failure((trx) =>
      reviseModeratedScore(trx, { tenderId: t.id, submissionId: subA, questionId: t.q.quality, agreedScore: 5, rationale: "x", reason: "y", replacesId: standing.id }, as(world.officer, CHALLENGED)),
    );
    expect(tooSoon!.message).toBe("Moderated scores can be changed after the award only once a challenge to it is upheld for re-evaluation");

    // Upheld for re-evaluation: one transaction supersedes the decision, withdraws the notice and tells the bidders.
    const challengeId = (await db.selectFrom("award_challenge").select("id").where("tender_id", "=", t.id).executeTakeFirstOrThrow()).id;
    const upheld = await runAudited(db, (trx) =>
      resolveChallenge(trx, { tenderId: t.id, challengeId, outcome: "upheld_reevaluate", reasons: "Appendix 3 was overlooked in moderation" }, as(world.officer, UPHELD), LINKS),
    );
    expect(upheld.error).toBeNull();
    expect(upheld.events.map((e) => e.action)).toEqual(["award.challenge_resolved", "award.superseded"]);
    const rec1 = await db.selectFrom("award_recommendation").select(["status"]).where("id", "=", first).executeTakeFirstOrThrow();
    expect(rec1.status).toBe("superseded");
    // The decision itself is kept as it was.
    expect(await db.selectFrom("award_decision").innerJoin("award_submission", "award_submission.id", "award_decision.submission_id").select("outcome").where("recommendation_id", "=", first).execute()).toEqual([
      { outcome: "approved" },
    ]);
    const [s] = await supersessionsOf(db, t.id);
    expect(s).toMatchObject({ recommendationId: first, challengeId, challengerName: world.providerA.organisationName, resolutionReasons: "Appendix 3 was overlooked in moderation" });
    // The evaluation's outcome as it stood: B first in lot 1, A second.
    const lot1Before = s!.evaluationBefore!.find((l) => l.bids.some((b) => b.bidder === world.providerA.organisationName))!;
    expect(lot1Before.bids.map((b) => [b.bidder, b.rank])).toEqual([
      [world.providerB.organisationName, "1"],
      [world.providerA.organisationName, "2"],
    ]);
    const notice1 = (await noticeForTender(db, t.id))!;
    expect((await supersessionOfNotice(db, notice1.id))?.recommendationId).toBe(first);
    expect(withdrawalSentence(s!)).toBe(
      `On ${new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", day: "numeric", month: "long", year: "numeric" }).format(UPHELD)} the council upheld a challenge from ${world.providerA.organisationName}, received ${new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", day: "numeric", month: "long", year: "numeric" }).format(CHALLENGED)}, and decided to re-evaluate the bids: Appendix 3 was overlooked in moderation.`,
    );
    const withdrawn = await db.selectFrom("outbox_email").select(["to_address", "subject", "text"]).where("template", "=", "award_notice_withdrawn").where("text", "like", `%${t.id}%`).execute();
    expect(withdrawn.map((m) => m.to_address).sort()).toEqual([world.providerA.email, world.providerAColleague.email, world.providerB.email].sort());
    expect(withdrawn[0]!.text).toContain("Appendix 3 was overlooked in moderation.");
    const progress = await awardProgress(db, t.id, UPHELD);
    expect(progress.state).toBe("void");
    // The dashboard no longer lists it, though the withdrawn notice's standstill has not yet run out.
    expect((await awardsToWatch(db, world.officer.organisationId, UPHELD)).filter((w) => w.tenderId === t.id)).toEqual([]);
    expect(progress.nextStep).toMatch(/^Re-evaluate the bids/);
    expect(await awardReadyForContracts(db, t.id, afterStandstill(PUBLISHED))).toMatchObject({ ready: false });

    // Re-evaluation: a reason is required; the score must be on the scale; nothing half-saved.
    const noReason = await runAudited(db, (trx) =>
      reviseModeratedScore(trx, { tenderId: t.id, submissionId: subA, questionId: t.q.quality, agreedScore: 5, rationale: "Appendix 3 evidences monthly training.", reason: "  ", replacesId: standing.id }, as(world.officer, REEVALUATED)),
    );
    expect(noReason.error).toMatchObject({ message: "Enter why the score changes in the re-evaluation", field: "reason" });
    expect(noReason.events).toEqual([]);
    const offScale = await failure((trx) =>
      reviseModeratedScore(trx, { tenderId: t.id, submissionId: subA, questionId: t.q.quality, agreedScore: 9, rationale: "r", reason: "r", replacesId: standing.id }, as(world.officer, REEVALUATED)),
    );
    expect(offScale).toMatchObject({ field: "agreedScore" });
    expect(await reevaluationChanges(db, t.id)).toEqual([]);

    // Two officers change the same score at once: exactly one change stands, the other is told.
    const results = await Promise.allSettled(
      [world.officer, staff.secondOfficer].map((officer) =>
        run((trx) =>
          reviseModeratedScore(
            trx,
            { tenderId: t.id, submissionId: subA, questionId: t.q.quality, agreedScore: 5, rationale: "Appendix 3 evidences monthly training and supervision.", reason: `Appendix 3 read by ${officer.name}`, replacesId: standing.id },
            as(officer, REEVALUATED),
          ),
        ),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const loser = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(loser.reason).toBeInstanceOf(ConcurrentEditError);
    expect((loser.reason as Error).message).toMatch(/changed this moderated score to 5 at .* while you were changing it/);
    const changes = await reevaluationChanges(db, t.id);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ bidder: world.providerA.organisationName, scoreBefore: 2, scoreAfter: 5, reason: expect.stringMatching(/^Appendix 3 read by /) });
    // The earlier moderation is kept beside the new version.
    expect(await db.selectFrom("evaluation_moderation").select("agreed_score").where("submission_id", "=", subA).where("question_id", "=", t.q.quality).orderBy("moderated_at").execute()).toEqual([
      { agreed_score: 2 },
      { agreed_score: 5 },
    ]);
    // The report follows the changed score: A now ranks first in lot 1.
    const report = await evaluationReport(db, t.id, world.officer);
    const lot1 = report!.ready ? report!.lots.find((l) => l.result.lotId === t.lot1)!.result : null;
    expect(lot1!.bids.find((b) => b.rank === 1)?.bidderName).toBe(world.providerA.organisationName);

    // A second recommendation: two officers drafting at once, exactly one stands.
    const drafts = await Promise.allSettled([world.officer, staff.secondOfficer].map((o) => run((trx) => saveRecommendation(trx, secondRecommendation(t), as(o, REEVALUATED)))));
    expect(drafts.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((drafts.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrentEditError);
    expect(await db.selectFrom("award_recommendation").select("status").where("tender_id", "=", t.id).orderBy("created_at").execute()).toEqual([{ status: "superseded" }, { status: "draft" }]);
    expect(await openReevaluation(db, t.id)).not.toBeNull();
    const submitted = await runAudited(db, (trx) => submitRecommendation(trx, { tenderId: t.id, expectedVersion: 1 }, as(world.officer, REEVALUATED), LINKS));
    expect(submitted.error).toBeNull();
    expect(submitted.value).toEqual({ round: 1, consultationRequired: false });
    // Submitting ends the re-evaluation.
    expect(await openReevaluation(db, t.id)).toBeNull();
    const latest = (await currentModerations(db, t.id, t.q.quality)).get(`${subA}:${t.q.quality}`)!;
    const closed = await failure((trx) =>
      reviseModeratedScore(trx, { tenderId: t.id, submissionId: subA, questionId: t.q.quality, agreedScore: 4, rationale: "r", reason: "r", replacesId: latest.id }, as(world.officer, REEVALUATED)),
    );
    expect(closed!.message).toBe("The re-evaluation ended when the new award recommendation was submitted for decision: moderated scores can no longer be changed");

    // Decided the usual way; segregation unchanged: the officer who re-evaluated cannot decide.
    const second = (await recommendationForTender(db, t.id, world.officer)).recommendation!;
    expect(second.id).not.toBe(first);
    const barred = await failure((trx) => decideAward(trx, { recommendationId: second.id, outcome: "approved", reasons: "r", conditions: "" }, as(world.officer, DECIDED_AGAIN), LINKS));
    expect(barred!.message).toBe("Only the Chief Officer decides an award");
    await run((trx) => decideAward(trx, { recommendationId: second.id, outcome: "approved", reasons: "The re-evaluation was sound.", conditions: "" }, as(t.chief, DECIDED_AGAIN), LINKS));
    expect((await awardProgress(db, t.id, DECIDED_AGAIN)).state).toBe("awaiting_notice");
    expect(await assessmentSummariesSentAt(db, t.id)).toBeNull();

    // New assessment summaries before the new notice; the first ones stay on record.
    const noticeFirst = await failure((trx) => publishAwardNotice(trx, { tenderId: t.id, standstill: "apply", workingDays: 8, reason: "As before" }, as(world.officer, DECIDED_AGAIN), LINKS));
    expect(noticeFirst!.message).toBe("Send the bidders' assessment summaries first: the Procurement Act requires them before the contract award notice");
    const sentAgain = await runAudited(db, (trx) => sendAssessmentSummaries(trx, { tenderId: t.id }, as(world.officer, SENT_AGAIN), LINKS));
    expect(sentAgain.error).toBeNull();
    expect(await assessmentSummariesSentAt(db, t.id)).toEqual(SENT_AGAIN);
    const rows = await db.selectFrom("assessment_summary").select(["recommendation_id", "bid_id"]).where("tender_id", "=", t.id).execute();
    expect(rows.filter((r) => r.recommendation_id === first)).toHaveLength(2);
    expect(rows.filter((r) => r.recommendation_id === second.id)).toHaveLength(2);
    const aNow = await sentSummary(db, { tenderId: t.id, bidId: t.bidA }, world.providerA);
    expect(aNow.sentAt).toEqual(SENT_AGAIN);
    expect(aNow.content.lots[0]!.successful).toBe(true);
    const aAll = await ownSummaries(db, t.id, world.providerA);
    expect(aAll.map((x) => [x.sentAt.toISOString(), x.content.lots[0]!.successful])).toEqual([
      [SENT_AGAIN.toISOString(), true],
      [SENT.toISOString(), false],
    ]);
    const again = await failure((trx) => sendAssessmentSummaries(trx, { tenderId: t.id }, as(staff.secondOfficer, SENT_AGAIN), LINKS));
    expect(again!.message).toMatch(/ sent the assessment summaries at /);

    // A new notice with a new standstill; the first stays on record, withdrawn.
    await run((trx) => publishAwardNotice(trx, { tenderId: t.id, standstill: "apply", workingDays: 8, reason: "As before" }, as(world.officer, PUBLISHED_AGAIN), LINKS));
    const notices = await noticesForTender(db, t.id);
    expect(notices).toHaveLength(2);
    expect(notices[1]!.recommendationId).toBe(second.id);
    expect(notices[1]!.standstill.firstDay).toBe(ukDate(PUBLISHED_AGAIN));
    expect(notices[1]!.content.lots.map((l) => l.suppliers.map((x) => x.name))).toEqual([[world.providerA.organisationName], [world.providerB.organisationName]]);
    expect(await supersessionOfNotice(db, notices[1]!.id)).toBeNull();
    const republished = await awardProgress(db, t.id, PUBLISHED_AGAIN);
    expect(republished.state).toBe("standstill");
    expect((await awardsToWatch(db, world.officer.organisationId, PUBLISHED_AGAIN)).filter((w) => w.tenderId === t.id)).toMatchObject([{ tenderId: t.id, title: (await db.selectFrom("tender").select("title").where("id", "=", t.id).executeTakeFirstOrThrow()).title, state: "standstill", inWords: republished.inWords }]);

    // The public record: the first awards cancelled, the new ones pending, with their own summaries' date; valid against the schema.
    let text = "";
    for await (const chunk of releasePackage(db, { ocid: ocidFor(t.id), uri: "http://portal.test/ocds/releases.json", publisherName: "Fernvale", publishedAt: PUBLISHED_AGAIN })) text += chunk;
    const pkg = JSON.parse(text) as { releases: Record<string, any>[] };
    expect(pkg.releases.map((r) => r.tag[0])).toEqual(["tender", "award", "awardUpdate", "award"]);
    const awards = pkg.releases.at(-1)!.awards as { id: string; status: string; assessmentSummariesDateSent?: string }[];
    expect(awards.filter((a) => a.id.startsWith(notices[0]!.id)).map((a) => [a.status, a.assessmentSummariesDateSent])).toEqual([
      ["cancelled", SENT.toISOString()],
      ["cancelled", SENT.toISOString()],
    ]);
    expect(awards.filter((a) => a.id.startsWith(notices[1]!.id)).map((a) => [a.status, a.assessmentSummariesDateSent])).toEqual([
      ["pending", SENT_AGAIN.toISOString()],
      ["pending", SENT_AGAIN.toISOString()],
    ]);
    const validate = ocdsPackageValidator();
    validate(pkg);
    expect(validate.errors ?? []).toEqual([]);

    // Contracts only from the live approved decision, after the new standstill.
    expect(await awardReadyForContracts(db, t.id, new Date(PUBLISHED_AGAIN.getTime() + DAY))).toMatchObject({ ready: false, reason: expect.stringMatching(/^In standstill: /) });
    const after = afterStandstill(PUBLISHED_AGAIN);
    expect(await awardMayProceed(db, t.id, after)).toEqual({ ok: true });
    expect(await awardReadyForContracts(db, t.id, after)).toEqual({ ready: true, recommendationId: second.id });
    const plan = await contractPlan(db, t.id, world.officer, after);
    expect(plan.planned.map((p) => [p.lotId, p.bidId])).toEqual([
      [t.lot1, t.bidA],
      [t.lot2, t.bidB],
    ]);
    const made = await run((trx) =>
      createContracts(trx, { tenderId: t.id, startOn: ukDate(after), termMonths: 24, values: plan.planned.map((p) => ({ lotId: p.lotId, bidId: p.bidId, valuePence: 200_000_00 })) }, as(world.officer, after), LINKS),
    );
    expect(made.ids).toHaveLength(2);
    expect(await db.selectFrom("contract").select("recommendation_id").where("id", "in", made.ids).execute()).toEqual([{ recommendation_id: second.id }, { recommendation_id: second.id }]);
  });

  it("a decided recommendation stays decided: only a recorded supersession moves an approved one on, and a superseded one never comes back", async () => {
    const { t } = await challenged({ resolve: false });
    const direct = await failure((trx) => trx.updateTable("award_recommendation").set({ status: "superseded" }).where("id", "=", t.recommendationId).execute());
    expect(direct?.message).toBe("a decided award recommendation stays decided");
    const { t: u } = await challenged({ resolve: true });
    const back = await failure((trx) => trx.updateTable("award_recommendation").set({ status: "approved" }).where("id", "=", u.recommendationId).execute());
    expect(back?.message).toBe("a decided award recommendation stays decided");
    const rewrite = await failure((trx) => trx.updateTable("award_supersession").set({ superseded_at: new Date() }).execute());
    expect(rewrite?.message).toMatch(/permission denied/);
  });
});

describe("the pages", () => {
  type Route = (args: { request: Request; params: Record<string, string>; context: ReturnType<typeof portalContext> }) => Promise<unknown>;
  const call = (actor: Actor | null, loader: Route, path: string, params: Record<string, string>) =>
    loaderStatus(() => loader({ request: new Request(`http://portal.test${path}`), params, context: portalContext(db, actor) }));

  it("show the withdrawal to anyone, the re-evaluation only to those who take part in the award, and refuse a change without a reason, keeping what was typed", async () => {
    const { t } = await challenged({ resolve: true });
    const base = `/tenders/${t.id}`;
    const subA = await subOf(t, world.providerA.organisationId);

    const publicNotice = await call(null, noticePage.loader as Route, `${base}/award-notice`, { tenderId: t.id });
    expect(publicNotice.status).toBe(200);
    expect(publicNotice.body).toContain("Appendix 3 was overlooked in moderation.");
    expect(publicNotice.body).toMatch(/"withdrawn":\{"on":"\d{1,2} \w+ \d{4}"/);

    const award = await call(world.officer, awardPage.loader as Route, `${base}/award`, { tenderId: t.id });
    expect(award.status).toBe(200);
    expect(award.body).toContain("The first award (superseded)");
    expect(award.body).toContain("Upheld for re-evaluation by");

    const params = { tenderId: t.id, submissionId: subA, questionId: t.q.quality };
    const pages: [string, Route, string, Record<string, string>][] = [
      ["re-evaluation", reevaluationPage.loader as Route, `${base}/award/reevaluation`, { tenderId: t.id }],
      ["change", changePage.loader as Route, `${base}/award/reevaluation/${subA}/${t.q.quality}`, params],
    ];
    for (const [name, loader, path, p] of pages) {
      for (const outsider of [world.providerA, world.providerB, world.otherCouncilOfficer]) {
        const { status, body } = await call(outsider, loader, path, p);
        expect(status, `${name} as ${outsider.email}`).toBe(404);
        expect(body).not.toContain("Appendix 3");
      }
      expect((await call(null, loader, path, p)).status, `${name} signed out`).toBe(302);
      expect((await call(staff.evaluator, loader, path, p)).status, `${name} as an evaluator`).toBe(403);
      expect((await call(world.officer, loader, path, p)).status, `${name} as the officer`).toBe(200);
    }
    // The Chief Officer reads the re-evaluation but does not change scores.
    expect((await call(t.chief, reevaluationPage.loader as Route, `${base}/award/reevaluation`, { tenderId: t.id })).status).toBe(200);
    expect((await call(t.chief, changePage.loader as Route, `${base}/award/reevaluation/${subA}/${t.q.quality}`, params)).status).toBe(403);

    const standing = (await currentModerations(db, t.id, t.q.quality)).get(`${subA}:${t.q.quality}`)!;
    const path = `${base}/award/reevaluation/${subA}/${t.q.quality}`;
    const refused = await answer(() =>
      changePage.action({ request: post(path, { replacesId: standing.id, agreedScore: "5", rationale: "Appendix 3 evidences training.", reason: "" }), params, context: portalContext(db, world.officer) } as never),
    );
    expect(refused.status).toBe(400);
    expect(refused.data!.errors).toEqual({ reason: "Enter why the score changes in the re-evaluation" });
    expect(refused.data!.values).toMatchObject({ agreedScore: "5", rationale: "Appendix 3 evidences training." });
    expect(await reevaluationChanges(db, t.id)).toEqual([]);
    const done = await answer(() =>
      changePage.action({ request: post(path, { replacesId: standing.id, agreedScore: "5", rationale: "Appendix 3 evidences training.", reason: "It was not read." }), params, context: portalContext(db, world.officer) } as never),
    );
    expect(done).toMatchObject({ status: 302, location: `${base}/award/reevaluation` });
    expect((await reevaluationChanges(db, t.id)).map((c) => [c.scoreBefore, c.scoreAfter, c.reason])).toEqual([[2, 5, "It was not read."]]);
  });
});
