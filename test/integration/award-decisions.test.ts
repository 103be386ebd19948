import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { Role, Trx } from "#app/database/schema";
import { decideAward, recordConsultation, awaitingDecisions } from "#app/modules/awards/decisions";
import { RecommendationIncomplete, recommendationById, recommendationForTender, saveRecommendation, submitRecommendation, type RecommendationInput } from "#app/modules/awards/recommendations";
import { awardExclusions } from "#app/modules/awards/segregation";
import { declareConflicts } from "#app/modules/evaluation/conflicts";
import { startEvaluation } from "#app/modules/evaluation/evaluation";
import { assignEvaluator } from "#app/modules/evaluation/panel";
import { DEFAULT_KEY_DECISION_THRESHOLD_PENCE, keyDecisionThreshold, setKeyDecisionThreshold } from "#app/modules/awards/settings";
import { ActionRefused, ConcurrentEditError, RecordNotFound } from "#app/modules/errors";
import { systemContext, type Actor } from "#app/modules/identity/actor";
import { createActiveUser } from "#app/modules/identity/users";
import { AFTER_DEADLINE, openedTender, type OpenedTender } from "#test/support/awards";
import { runAudited } from "#test/support/audited";
import { councilStaff } from "#test/support/bids";
import { useTestDatabase } from "#test/support/database";
import { buildTenderingWorld, contextOf, type TenderingWorld } from "#test/support/tendering";

const { db } = await useTestDatabase();
let world: TenderingWorld;
let staff: Awaited<ReturnType<typeof councilStaff>>;
let secondChief: Actor;
let officerAndChief: Actor;
beforeAll(async () => {
  world = await buildTenderingWorld(db);
  staff = await councilStaff(db, world);
  const person = async (email: string, roles: Role[]): Promise<Actor> => {
    const { id } = await db.transaction().execute((trx) =>
      createActiveUser(trx, { organisationId: world.councilId, email, fullName: email.split("@")[0]!, roles, password: "lantern-meadow-harbour" }, systemContext("test:awards")),
    );
    return { userId: id, name: email.split("@")[0]!, email, roles, organisationId: world.councilId, organisationName: "Fernvale", organisationKind: "council", sessionId: null };
  };
  secondChief = await person("deputy.chief@fernvale.example", ["chief_officer"]);
  officerAndChief = await person("dual.role@fernvale.example", ["commissioning_officer", "chief_officer", "portfolio_holder"]);
}, 120_000);

const LINKS = { baseUrl: "http://portal.test" };
const NOW = new Date(AFTER_DEADLINE.getTime() + 86_400_000);
const as = (actor: Actor) => contextOf(actor, NOW);
const run = <T>(work: (trx: Trx) => Promise<T>) => db.transaction().execute(work);
const failure = (work: (trx: Trx) => Promise<unknown>) => run(work).then(() => null, (e: unknown) => e as Error);

function draft(t: OpenedTender, valuePence: number, extra: Partial<RecommendationInput> = {}): RecommendationInput {
  return {
    tenderId: t.id,
    expectedVersion: 0,
    lots: [{ lotId: t.lot1, bidIds: [t.bidA, t.bidB] }],
    evaluationSummary: "Both bids met every minimum; Harbour ranked first on quality and price.",
    valuePence,
    budgetLine: "Children's placements 2027/28, cost centre 4410",
    risks: "Capacity in the west of the county is thin.",
    alternatives: "Spot purchasing, rejected as dearer and less stable for children.",
    ...extra,
  };
}

async function submitted(valuePence: number, officer: Actor = world.officer) {
  const t = await openedTender(db, world, staff);
  await run((trx) => saveRecommendation(trx, draft(t, valuePence), as(officer)));
  const rec = (await recommendationForTender(db, t.id, officer)).recommendation!;
  const result = await run((trx) => submitRecommendation(trx, { tenderId: t.id, expectedVersion: 1 }, as(officer), LINKS));
  return { t, id: rec.id, ...result };
}

async function emailsTo(address: string) {
  return db.selectFrom("outbox_email").select(["template", "subject", "text"]).where("to_address", "=", address).orderBy("created_at").execute();
}

describe("the officer's recommendation", () => {
  it("recommends only bids submitted for the lot, and refuses a stale page", async () => {
    const t = await openedTender(db, world, staff);
    const wrongLot = (await failure((trx) => saveRecommendation(trx, draft(t, 1, { lots: [{ lotId: t.lot2, bidIds: [t.bidA] }] }), as(world.officer)))) as ActionRefused;
    expect(wrongLot).toBeInstanceOf(ActionRefused);
    expect(wrongLot.message).toMatch(/^Choose only bids submitted for Lot 2/);
    const saved = await runAudited(db, (trx) => saveRecommendation(trx, draft(t, 60_000_00), as(world.officer)));
    expect(saved.error).toBeNull();
    expect(saved.events.map((e) => e.action)).toEqual(["award.recommendation_saved"]);
    expect(await failure((trx) => saveRecommendation(trx, draft(t, 1), as(world.officer)))).toBeInstanceOf(ConcurrentEditError);
    expect(await failure((trx) => saveRecommendation(trx, draft(t, 1), as(staff.chief_officer)))).toBeInstanceOf(ActionRefused);
    expect(await failure((trx) => saveRecommendation(trx, draft(t, 1), as(world.otherCouncilOfficer)))).toBeInstanceOf(RecordNotFound);
    expect(await failure((trx) => recommendationForTender(trx, t.id, world.providerA))).toBeInstanceOf(RecordNotFound);
  });

  it("lists every missing part when submitted incomplete, and saves nothing", async () => {
    const t = await openedTender(db, world, staff);
    await run((trx) => saveRecommendation(trx, draft(t, 1, { lots: [], risks: "", valuePence: null }), as(world.officer)));
    const refused = await runAudited(db, (trx) => submitRecommendation(trx, { tenderId: t.id, expectedVersion: 1 }, as(world.officer), LINKS));
    expect(refused.error).toBeInstanceOf(RecommendationIncomplete);
    expect((refused.error as RecommendationIncomplete).problems.map((p) => p.field)).toEqual(["lots", "value", "risks"]);
    expect(refused.events).toEqual([]);
    expect((await recommendationForTender(db, t.id, world.officer)).recommendation!.status).toBe("draft");
  });
});

describe("the route by value", () => {
  it("sends an award below the threshold straight to the Chief Officer, who is emailed", async () => {
    const { id, consultationRequired } = await submitted(DEFAULT_KEY_DECISION_THRESHOLD_PENCE - 1);
    expect(consultationRequired).toBe(false);
    const rec = await recommendationById(db, id, staff.chief_officer);
    expect(rec.status).toBe("awaiting_decision");
    expect(rec.rounds[0]!.content.lots[0]!.recommended).toEqual([world.providerA.organisationName, world.providerB.organisationName].sort());
    const mail = await emailsTo(staff.chief_officer.email);
    expect(mail.at(-1)).toMatchObject({ template: "award_decision_requested" });
    expect(mail.at(-1)!.text).toContain(`http://portal.test/decisions/${id}`);
    const ph = await emailsTo(staff.portfolio_holder.email);
    expect(ph.some((m) => m.text.includes(id))).toBe(false);
    // The Portfolio Holder has nothing to answer.
    const refused = (await failure((trx) => recordConsultation(trx, { recommendationId: id, response: "support", comments: "" }, as(staff.portfolio_holder), LINKS))) as ActionRefused;
    expect(refused.message).toBe("This award is below the key-decision threshold, so the Chief Officer decides it without consultation");
  });

  it("makes an award at the threshold a key decision that waits for the Portfolio Holder", async () => {
    const { id, consultationRequired } = await submitted(DEFAULT_KEY_DECISION_THRESHOLD_PENCE);
    expect(consultationRequired).toBe(true);
    expect((await recommendationById(db, id, staff.portfolio_holder)).status).toBe("awaiting_consultation");
    expect((await emailsTo(staff.portfolio_holder.email)).some((m) => m.template === "award_decision_requested" && m.text.includes(id))).toBe(true);
    const waiting = await awaitingDecisions(db, staff.portfolio_holder);
    expect(waiting.find((w) => w.recommendationId === id)).toMatchObject({ step: "consultation", yours: true });
    expect((await awaitingDecisions(db, staff.chief_officer)).find((w) => w.recommendationId === id)).toMatchObject({ step: "consultation", yours: false });
  });

  it("follows the council's own threshold once its administrator sets one", async () => {
    expect(await keyDecisionThreshold(db, world.councilId)).toEqual({ pence: DEFAULT_KEY_DECISION_THRESHOLD_PENCE, version: 0, setBy: null });
    const set = await runAudited(db, (trx) => setKeyDecisionThreshold(trx, { thresholdPence: 25_000_000, expectedVersion: 0 }, as(staff.administrator)));
    expect(set.events.map((e) => e.summary)).toEqual([`${staff.administrator.name} set Fernvale's key-decision threshold for awards to £250,000`]);
    expect(await keyDecisionThreshold(db, world.councilId)).toMatchObject({ pence: 25_000_000, version: 1, setBy: { name: staff.administrator.name } });
    expect(await failure((trx) => setKeyDecisionThreshold(trx, { thresholdPence: 1, expectedVersion: 0 }, as(staff.administrator)))).toBeInstanceOf(ConcurrentEditError);
    expect(await failure((trx) => setKeyDecisionThreshold(trx, { thresholdPence: 1, expectedVersion: 1 }, as(world.officer)))).toBeInstanceOf(ActionRefused);
    try {
      expect((await submitted(30_000_000)).consultationRequired).toBe(true);
    } finally {
      await run((trx) => setKeyDecisionThreshold(trx, { thresholdPence: DEFAULT_KEY_DECISION_THRESHOLD_PENCE, expectedVersion: 1 }, as(staff.administrator)));
    }
  });
});

describe("consultation before approval", () => {
  it("refuses the Chief Officer's decision until the Portfolio Holder has responded, then accepts it", async () => {
    const { id } = await submitted(90_000_000);
    const early = await runAudited(db, (trx) => decideAward(trx, { recommendationId: id, outcome: "approved", reasons: "Best value", conditions: "" }, as(staff.chief_officer), LINKS));
    expect((early.error as ActionRefused).message).toMatch(/^The Portfolio Holder has not yet been consulted/);
    expect(early.events).toEqual([]);
    const noReasons = (await failure((trx) => recordConsultation(trx, { recommendationId: id, response: "object", comments: "  " }, as(staff.portfolio_holder), LINKS))) as ActionRefused;
    expect([noReasons.message, noReasons.field]).toEqual(["Enter your reasons for objecting", "comments"]);
    const consulted = await runAudited(db, (trx) => recordConsultation(trx, { recommendationId: id, response: "object", comments: "Prefer in-county homes." }, as(staff.portfolio_holder), LINKS));
    expect(consulted.error).toBeNull();
    expect(consulted.events.map((e) => e.action)).toEqual(["award.consulted"]);
    expect((await emailsTo(staff.chief_officer.email)).some((m) => m.text.includes("has given their consultation response") && m.text.includes(id))).toBe(true);
    const again = (await failure((trx) => recordConsultation(trx, { recommendationId: id, response: "support", comments: "" }, as(staff.portfolio_holder), LINKS))) as ActionRefused;
    expect(again.message).toMatch(new RegExp(`^${staff.portfolio_holder.name} gave the consultation response at `));
    const decided = await runAudited(db, (trx) => decideAward(trx, { recommendationId: id, outcome: "approved_with_conditions", reasons: "Best value overall", conditions: "Review in-county capacity after six months" }, as(staff.chief_officer), LINKS));
    expect(decided.error).toBeNull();
    const rec = await recommendationById(db, id, staff.chief_officer);
    expect(rec.status).toBe("approved_with_conditions");
    expect(rec.rounds[0]!.consultation).toMatchObject({ response: "object", comments: "Prefer in-county homes." });
    expect(rec.rounds[0]!.decision).toMatchObject({ outcome: "approved_with_conditions", delegation: expect.stringMatching(/^Key decision .*in consultation with the Portfolio Holder$/) });
    expect((await emailsTo(world.officer.email)).at(-1)).toMatchObject({ template: "award_decided", subject: `Award decision: approved with conditions: ${rec.tender.title}` });
  });

  it("is held by the database too: no approval row for a key decision without its consultation", async () => {
    const { id } = await submitted(90_000_000);
    const submission = await db.selectFrom("award_submission").select("id").where("recommendation_id", "=", id).executeTakeFirstOrThrow();
    const direct = await failure((trx) =>
      trx.insertInto("award_decision").values({ submission_id: submission.id, outcome: "approved", reasons: "x", delegation: "x", decided_at: NOW, decided_by: staff.chief_officer.userId }).execute(),
    );
    expect(direct?.message).toContain("cannot be approved before the Portfolio Holder is consulted");
  });
});

describe("segregation of duties", () => {
  it("refuses the person who drafted it the decision and the consultation, saying why", async () => {
    const below = await submitted(10_000_00, officerAndChief);
    const self = await runAudited(db, (trx) => decideAward(trx, { recommendationId: below.id, outcome: "approved", reasons: "Fine", conditions: "" }, as(officerAndChief), LINKS));
    expect((self.error as ActionRefused).message).toBe(
      "You cannot decide this award because you drafted this recommendation and you submitted this recommendation for decision: someone independent of the recommendation must",
    );
    expect(self.events).toEqual([]);
    const above = await submitted(90_000_000, officerAndChief);
    const consult = (await failure((trx) => recordConsultation(trx, { recommendationId: above.id, response: "support", comments: "" }, as(officerAndChief), LINKS))) as ActionRefused;
    expect(consult.message).toMatch(/^You cannot be consulted on this award because you drafted/);
    expect((await awardExclusions(db, above.id)).get(officerAndChief.userId)).toEqual(["you drafted this recommendation", "you submitted this recommendation for decision"]);
    // Nobody barred is emailed to take part.
    const toThem = (await emailsTo(officerAndChief.email)).filter((m) => m.text.includes(above.id) || m.text.includes(below.id));
    expect(toThem).toEqual([]);
    expect((await emailsTo(staff.portfolio_holder.email)).some((m) => m.text.includes(above.id))).toBe(true);
    expect((await awaitingDecisions(db, officerAndChief)).find((w) => w.recommendationId === above.id)).toMatchObject({ yours: false, barredBecause: ["you drafted this recommendation", "you submitted this recommendation for decision"] });
  });
});

describe("segregation from the evaluation", () => {
  it("refuses the decision to a Chief Officer who sat on the tender's panel and declared a conflict with the provider it recommends", async () => {
    const evaluatingChief = await db.transaction().execute(async (trx) => {
      const { id } = await createActiveUser(
        trx,
        { organisationId: world.councilId, email: "panel.chief@fernvale.example", fullName: "Panel Chief", roles: ["evaluator", "chief_officer"], password: "lantern-meadow-harbour" },
        systemContext("test:awards"),
      );
      return { userId: id, name: "Panel Chief", email: "panel.chief@fernvale.example", roles: ["evaluator", "chief_officer"] as Role[], organisationId: world.councilId, organisationName: "Fernvale", organisationKind: "council" as const, sessionId: null };
    });
    const t = await openedTender(db, world, staff);
    await run((trx) => startEvaluation(trx, { tenderId: t.id, staged: true }, as(world.officer)));
    await run((trx) => assignEvaluator(trx, { tenderId: t.id, evaluatorId: evaluatingChief.userId, questionId: t.q.quality, lotIds: [t.lot1] }, as(world.officer), LINKS));
    await run((trx) =>
      declareConflicts(
        trx,
        {
          tenderId: t.id,
          declarations: [
            { organisationId: world.providerA.organisationId, hasConflict: true, description: "My sister manages one of its homes" },
            { organisationId: world.providerB.organisationId, hasConflict: false, description: "" },
          ],
        },
        as(evaluatingChief),
        LINKS,
      ),
    );
    await run((trx) => saveRecommendation(trx, draft(t, 10_000_00, { lots: [{ lotId: t.lot1, bidIds: [t.bidA] }] }), as(world.officer)));
    const rec = (await recommendationForTender(db, t.id, world.officer)).recommendation!;
    await run((trx) => submitRecommendation(trx, { tenderId: t.id, expectedVersion: 1 }, as(world.officer), LINKS));
    const reasons = (await awardExclusions(db, rec.id)).get(evaluatingChief.userId);
    expect(reasons).toEqual(["you evaluated this tender", `you declared a conflict of interest with ${world.providerA.organisationName}, which it recommends`]);
    const refused = (await failure((trx) => decideAward(trx, { recommendationId: rec.id, outcome: "approved", reasons: "Fine", conditions: "" }, as(evaluatingChief), LINKS))) as ActionRefused;
    expect(refused.message).toMatch(/^You cannot decide this award because you evaluated this tender and you declared a conflict of interest with /);
    // An independent Chief Officer may.
    expect(await failure((trx) => decideAward(trx, { recommendationId: rec.id, outcome: "approved", reasons: "Value for money and quality", conditions: "" }, as(staff.chief_officer), LINKS))).toBeNull();
  });
});

describe("two people deciding at once", () => {
  it("keeps exactly one decision; the other is told who decided", async () => {
    const { id } = await submitted(10_000_00);
    const [first, second] = await Promise.allSettled([
      run((trx) => decideAward(trx, { recommendationId: id, outcome: "approved", reasons: "Best value", conditions: "" }, as(staff.chief_officer), LINKS)),
      run((trx) => decideAward(trx, { recommendationId: id, outcome: "rejected", reasons: "Too dear", conditions: "" }, as(secondChief), LINKS)),
    ]);
    const outcomes = [first, second].map((r) => r.status);
    expect(outcomes.sort()).toEqual(["fulfilled", "rejected"]);
    const loser = [first, second].find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(loser.reason).toBeInstanceOf(ActionRefused);
    expect((loser.reason as Error).message).toMatch(/has already decided this recommendation \((approved|rejected)\) at /);
    const decisions = await db.selectFrom("award_decision").innerJoin("award_submission", "award_submission.id", "award_decision.submission_id").select("award_decision.outcome").where("award_submission.recommendation_id", "=", id).execute();
    expect(decisions).toHaveLength(1);
    expect((await recommendationById(db, id, staff.chief_officer)).status).toBe(decisions[0]!.outcome);
    const events = await db.selectFrom("audit_event").select("action").where(sql<boolean>`subjects @> ${JSON.stringify([{ type: "award_recommendation", id }])}::jsonb`).where("action", "=", "award.decided").execute();
    expect(events).toHaveLength(1);
  });
});

describe("sent back for changes", () => {
  it("returns the draft to the officer, who resubmits it as a second round; history stays", async () => {
    const { t, id } = await submitted(10_000_00);
    await run((trx) => decideAward(trx, { recommendationId: id, outcome: "sent_back", reasons: "Add the risk of provider failure", conditions: "" }, as(staff.chief_officer), LINKS));
    let rec = await recommendationById(db, id, world.officer);
    expect(rec.status).toBe("draft");
    await run((trx) => saveRecommendation(trx, { ...draft(t, 10_000_00), expectedVersion: rec.version, risks: "Thin capacity; provider failure covered by step-in rights." }, as(world.officer)));
    rec = await recommendationById(db, id, world.officer);
    await run((trx) => submitRecommendation(trx, { tenderId: t.id, expectedVersion: rec.version }, as(world.officer), LINKS));
    rec = await recommendationById(db, id, world.officer);
    expect(rec.rounds.map((r) => [r.round, r.decision?.outcome ?? null, r.content.risks])).toEqual([
      [1, "sent_back", "Capacity in the west of the county is thin."],
      [2, null, "Thin capacity; provider failure covered by step-in rights."],
    ]);
    expect(rec.status).toBe("awaiting_decision");
  });

  it("keeps rounds, responses and decisions from being rewritten by the portal's login", async () => {
    const { id } = await submitted(10_000_00);
    await run((trx) => decideAward(trx, { recommendationId: id, outcome: "rejected", reasons: "Too dear", conditions: "" }, as(staff.chief_officer), LINKS));
    const rewrite = await failure((trx) => trx.updateTable("award_decision").set({ outcome: "approved" }).execute());
    expect(rewrite?.message).toMatch(/permission denied|append-only/);
    const unreject = await failure((trx) => trx.updateTable("award_recommendation").set({ status: "approved" }).where("id", "=", id).execute());
    expect(unreject?.message).toContain("stays decided");
  });
});
