// A bid's compliance result changed in re-evaluation after a challenge upheld
// (decision 037, migration 0034), on real PostgreSQL: a bid wrongly excluded
// is passed (the earlier result kept, the reason beside it), its unscored
// answer holds the report and the new recommendation until it has an agreed
// score; a bid wrongly passed is failed with the reason the provider is told;
// two officers at once, a change outside the re-evaluation, a bid of another
// tender and missing reasons are refused; the pages show the changes to those
// who take part in the award.
import { beforeAll, describe, expect, it } from "vitest";
import type { Trx } from "#app/database/schema";
import { RecommendationIncomplete, saveRecommendation, submitRecommendation } from "#app/modules/awards/recommendations";
import { reevaluationChanges, reevaluationComplianceChanges, reviseCompliance, reviseModeratedScore } from "#app/modules/awards/reevaluation";
import { ActionRefused, ConcurrentEditError } from "#app/modules/errors";
import { complianceResults } from "#app/modules/evaluation/compliance";
import { answersWithoutAgreedScore } from "#app/modules/evaluation/moderation";
import { evaluationReport } from "#app/modules/evaluation/report";
import type { Actor } from "#app/modules/identity/actor";
import { A_FAILURE, challengedAward, REEVALUATED, type DecidedTender } from "#test/support/assessment";
import { runAudited } from "#test/support/audited";
import { councilStaff } from "#test/support/bids";
import { useTestDatabase } from "#test/support/database";
import { openedTender } from "#test/support/evaluation";
import { answer, loaderStatus, portalContext, post } from "#test/support/portal-context";
import { buildTenderingWorld, contextOf, type TenderingWorld } from "#test/support/tendering";
import * as reevaluationPage from "#app/routes/tenders.$tenderId.award_.reevaluation._index";
import * as compliancePage from "#app/routes/tenders.$tenderId.award_.reevaluation.compliance.$submissionId";

const { db } = await useTestDatabase();
let world: TenderingWorld;
let staff: Awaited<ReturnType<typeof councilStaff>>;
beforeAll(async () => {
  world = await buildTenderingWorld(db);
  staff = await councilStaff(db, world);
}, 120_000);

const LINKS = { baseUrl: "http://portal.test" };
const run = <T>(work: (trx: Trx) => Promise<T>) => db.transaction().execute(work);
const failure = (work: (trx: Trx) => Promise<unknown>) => run(work).then(() => null, (e: unknown) => e as Error);
const as = (actor: Actor, at: Date) => contextOf(actor, at);

const subOf = async (t: DecidedTender, organisationId: string) =>
  (await db.selectFrom("bid_submission").select("id").where("tender_id", "=", t.id).where("organisation_id", "=", organisationId).executeTakeFirstOrThrow()).id;

/** Approved for B in both lots, summaries sent, notice published, a challenge from A recorded and (unless told not to) upheld for re-evaluation. */
async function challenged(options: { failA: boolean; resolve?: boolean }) {
  const { t, uphold } = await challengedAward(db, world, { failA: options.failA, grounds: "Our insurance certificate was attached.", upheldBecause: "The certificate was in the bid's appendix" });
  if (options.resolve !== false) await uphold();
  return { t, resolve: uphold, subA: await subOf(t, world.providerA.organisationId), subB: await subOf(t, world.providerB.organisationId) };
}

describe("a bid's compliance result in re-evaluation", () => {
  it("a bid wrongly excluded is passed with a reason, the earlier result kept; its unscored answer holds the report and the new recommendation until it is agreed; then the report ranks it", async () => {
    const { t, resolve, subA } = await challenged({ failA: true, resolve: false });
    const standingA = (await complianceResults(db, t.id)).get(subA)!;
    expect(standingA).toMatchObject({ compliant: false, reason: A_FAILURE });
    const revise = (actor: Actor, extra: Partial<Parameters<typeof reviseCompliance>[1]> = {}) => (trx: Trx) =>
      reviseCompliance(trx, { tenderId: t.id, submissionId: subA, compliant: true, failureReason: "", reason: `The certificate is in appendix 4 (${actor.name})`, replacesId: standingA.id, ...extra }, as(actor, REEVALUATED));

    // Outside the re-evaluation (the award still stands): refused, nothing written.
    const tooSoon = await runAudited(db, revise(world.officer));
    expect(tooSoon.error).toMatchObject({ message: "Compliance results can be changed after the award only once a challenge to it is upheld for re-evaluation", field: "form" });
    expect(tooSoon.events).toEqual([]);
    await resolve();

    // Bad input: beside its field, nothing written.
    const noReason = await runAudited(db, revise(world.officer, { reason: "  " }));
    expect(noReason.error).toMatchObject({ message: "Enter why the compliance result changes in the re-evaluation", field: "reason" });
    expect(noReason.events).toEqual([]);
    const unchosen = await failure(revise(world.officer, { compliant: null }));
    expect(unchosen).toMatchObject({ field: "compliant" });
    const same = await failure(revise(world.officer, { compliant: false, failureReason: "Still no certificate" }));
    expect(same).toMatchObject({ message: "The bid is already not compliant: choose compliant to change its result", field: "compliant" });
    const other = await openedTender(db, world);
    const otherSub = (await db.selectFrom("bid_submission").select("id").where("tender_id", "=", other.id).executeTakeFirstOrThrow()).id;
    const elsewhere = await failure(revise(world.officer, { submissionId: otherSub }));
    expect(elsewhere).toBeInstanceOf(ActionRefused);
    expect(elsewhere).toMatchObject({ message: "This bid is not one of this tender's bids, so its compliance cannot be changed here", field: "form" });
    expect(await reevaluationComplianceChanges(db, t.id)).toEqual([]);

    // Two officers pass the bid at once: exactly one change stands, the other is told whose.
    const results = await Promise.allSettled([world.officer, staff.secondOfficer].map((officer) => run(revise(officer))));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const loser = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(loser.reason).toBeInstanceOf(ConcurrentEditError);
    expect((loser.reason as Error).message).toMatch(/changed this bid's compliance result to "Compliant" at .* while you were changing it/);
    const changes = await reevaluationComplianceChanges(db, t.id);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ bidder: world.providerA.organisationName, before: { compliant: false, reason: A_FAILURE }, after: { compliant: true, reason: null }, reason: expect.stringMatching(/^The certificate is in appendix 4/) });
    // The earlier result is kept; the new one names it.
    const rows = await db.selectFrom("evaluation_compliance").select(["id", "compliant", "replaces_id"]).where("submission_id", "=", subA).orderBy("recorded_at").execute();
    expect(rows.map((r) => [r.compliant, r.replaces_id])).toEqual([
      [false, null],
      [true, standingA.id],
    ]);
    const audit = await db.selectFrom("audit_event").select(["summary", "reason", "before", "after"]).where("action", "=", "award.reevaluation_compliance_changed").where("summary", "like", `%${world.providerA.organisationName}%`).orderBy("seq", "desc").executeTakeFirstOrThrow();
    expect(audit.before).toEqual({ Result: `Not compliant: ${A_FAILURE}` });
    expect(audit.after).toEqual({ Result: "Compliant", "Answers needing an agreed score": 1 });

    // Never scored: the report says so instead of ranking A on no score, and the new recommendation cannot be submitted.
    expect((await answersWithoutAgreedScore(db, t.id)).map((a) => [a.submissionId, a.questionId])).toEqual([[subA, t.q.quality]]);
    const waiting = await evaluationReport(db, t.id, world.officer);
    expect(waiting).toMatchObject({ ready: false, reason: expect.stringContaining(`${world.providerA.organisationName}'s answer to`) });
    await run((trx) =>
      saveRecommendation(
        trx,
        {
          tenderId: t.id,
          expectedVersion: 0,
          lots: [
            { lotId: t.lot1, bidIds: [t.bidA] },
            { lotId: t.lot2, bidIds: [t.bidB] },
          ],
          evaluationSummary: "Re-evaluated: A is compliant and ranks first in lot 1.",
          valuePence: 400_000_00,
          budgetLine: "Children's placements 2027/28, cost centre 4410",
          risks: "A new provider in lot 1.",
          alternatives: "Keeping B in lot 1, rejected.",
        },
        as(world.officer, REEVALUATED),
      ),
    );
    const held = await failure((trx) => submitRecommendation(trx, { tenderId: t.id, expectedVersion: 1 }, as(world.officer, REEVALUATED), LINKS));
    expect(held).toBeInstanceOf(RecommendationIncomplete);
    expect(held!.message).toBe(`1 answer of a compliant bid has no agreed score yet (${world.providerA.organisationName}): agree it on the re-evaluation page, so the report can rank every bid`);

    // The officer agrees the score with a reason; the report now ranks A, first in lot 1.
    await run((trx) =>
      reviseModeratedScore(
        trx,
        { tenderId: t.id, submissionId: subA, questionId: t.q.quality, agreedScore: 5, rationale: "Monthly training and supervision, well evidenced.", reason: "Not scored before: the bid was wrongly excluded", replacesId: "" },
        as(world.officer, REEVALUATED),
      ),
    );
    expect((await reevaluationChanges(db, t.id)).map((c) => [c.bidder, c.scoreBefore, c.scoreAfter])).toEqual([[world.providerA.organisationName, null, 5]]);
    expect(await answersWithoutAgreedScore(db, t.id)).toEqual([]);
    const report = await evaluationReport(db, t.id, world.officer);
    expect(report?.ready).toBe(true);
    const lot1 = report!.ready ? report!.lots.find((l) => l.result.lotId === t.lot1)!.result : null;
    expect(lot1!.bids.map((b) => [b.bidderName, b.status, b.rank])).toEqual([
      [world.providerA.organisationName, "scored", 1],
      [world.providerB.organisationName, "scored", 2],
    ]);
    expect((await run((trx) => submitRecommendation(trx, { tenderId: t.id, expectedVersion: 1 }, as(world.officer, REEVALUATED), LINKS))).round).toBe(1);

    // Submitting ends the re-evaluation: compliance no longer changes.
    const current = (await complianceResults(db, t.id)).get(subA)!;
    const closed = await failure(revise(world.officer, { compliant: false, failureReason: "x", replacesId: current.id }));
    expect(closed!.message).toBe("The re-evaluation ended when the new award recommendation was submitted for decision: compliance results can no longer be changed");
  });

  it("a bid wrongly passed is failed with the reason the provider is told: the report shows it not compliant and ranks the others", async () => {
    const { t, subB } = await challenged({ failA: false });
    const standing = (await complianceResults(db, t.id)).get(subB)!;
    const noFailureReason = await failure((trx) =>
      reviseCompliance(trx, { tenderId: t.id, submissionId: subB, compliant: false, failureReason: " ", reason: "Its insurance had lapsed", replacesId: standing.id }, as(world.officer, REEVALUATED)),
    );
    expect(noFailureReason).toMatchObject({ message: "Give the reason the bid is not compliant: the provider is told it", field: "failureReason" });
    await run((trx) =>
      reviseCompliance(
        trx,
        { tenderId: t.id, submissionId: subB, compliant: false, failureReason: "Its insurance lapsed before the deadline", reason: "The challenge showed the certificate had expired", replacesId: standing.id },
        as(world.officer, REEVALUATED),
      ),
    );
    const report = await evaluationReport(db, t.id, world.officer);
    const lot1 = report!.ready ? report!.lots.find((l) => l.result.lotId === t.lot1)!.result : null;
    const b = lot1!.bids.find((x) => x.bidderName === world.providerB.organisationName)!;
    expect([b.status, b.rank, b.failureReason]).toEqual(["non_compliant", null, "Its insurance lapsed before the deadline"]);
    expect(lot1!.bids.find((x) => x.rank === 1)?.bidderName).toBe(world.providerA.organisationName);
    // The change is history: the runtime login cannot rewrite it.
    const rewrite = await failure((trx) => trx.updateTable("award_reevaluation_compliance_change").set({ reason: "changed later" }).where("tender_id", "=", t.id).execute());
    expect(rewrite?.message).toMatch(/permission denied/);
    // B's moderated scores stay on record.
    expect(await db.selectFrom("evaluation_moderation").select("agreed_score").where("submission_id", "=", subB).orderBy("agreed_score").execute()).toEqual([{ agreed_score: 3 }, { agreed_score: 4 }]);
  });
});

describe("the pages", () => {
  type Route = (args: { request: Request; params: Record<string, string>; context: ReturnType<typeof portalContext> }) => Promise<unknown>;
  const call = (actor: Actor | null, loader: Route, path: string, params: Record<string, string>) =>
    loaderStatus(() => loader({ request: new Request(`http://portal.test${path}`), params, context: portalContext(db, actor) }));

  it("list compliance changes to those who take part in the award; only an officer managing the tender changes one, and a refusal keeps what was typed", async () => {
    const { t, subA } = await challenged({ failA: true });
    const base = `/tenders/${t.id}`;
    const path = `${base}/award/reevaluation/compliance/${subA}`;
    const params = { tenderId: t.id, submissionId: subA };
    for (const outsider of [world.providerA, world.otherCouncilOfficer]) expect((await call(outsider, compliancePage.loader as Route, path, params)).status).toBe(404);
    expect((await call(staff.evaluator, compliancePage.loader as Route, path, params)).status).toBe(403);
    expect((await call(t.chief, compliancePage.loader as Route, path, params)).status).toBe(403);
    const form = await call(world.officer, compliancePage.loader as Route, path, params);
    expect(form.status).toBe(200);
    expect(form.body).toContain(A_FAILURE);

    const standing = (await complianceResults(db, t.id)).get(subA)!;
    const refused = await answer(() => compliancePage.action({ request: post(path, { replacesId: standing.id, compliant: "yes", failureReason: "", reason: "" }), params, context: portalContext(db, world.officer) } as never));
    expect(refused.status).toBe(400);
    expect(refused.data!.errors).toEqual({ reason: "Enter why the compliance result changes in the re-evaluation" });
    expect(refused.data!.values).toMatchObject({ compliant: "yes" });
    const noFailure = await answer(() => compliancePage.action({ request: post(path, { replacesId: standing.id, compliant: "no", failureReason: "", reason: "r" }), params, context: portalContext(db, world.officer) } as never));
    expect(noFailure.data!.errors).toEqual({ failureReason: "Give the reason the bid is not compliant: the provider is told it" });
    const done = await answer(() =>
      compliancePage.action({ request: post(path, { replacesId: standing.id, compliant: "yes", failureReason: "", reason: "The certificate is in appendix 4." }), params, context: portalContext(db, world.officer) } as never),
    );
    expect(done).toMatchObject({ status: 302, location: `${base}/award/reevaluation` });

    // The Chief Officer reads the change: what it was, what it is, why, who and when; and the answer still needing a score.
    const page = await call(t.chief, reevaluationPage.loader as Route, `${base}/award/reevaluation`, { tenderId: t.id });
    expect(page.status).toBe(200);
    expect(page.body).toContain(`Not compliant: ${A_FAILURE}`);
    expect(page.body).toContain("The certificate is in appendix 4.");
    expect(page.body).toContain(world.officer.name);
    expect(page.body).toMatch(/"unscored":\[\{[^\]]*"provider":"[^"]*"/);
    for (const outsider of [world.providerA, world.otherCouncilOfficer]) {
      const { status, body } = await call(outsider, reevaluationPage.loader as Route, `${base}/award/reevaluation`, { tenderId: t.id });
      expect(status).toBe(404);
      expect(body).not.toContain("appendix 4");
    }
  });
});
