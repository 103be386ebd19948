// Each lot's scoring rules (decision 032): the officer's choice of price
// method and of whom a framework lot admits changes the report's scores,
// ranking and outcome as the rules say; it is versioned, audited, refused
// with a message per field, and fixed once the bids are opened.
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { Trx } from "#app/database/schema";
import { ActionRefused, ConcurrentEditError } from "#app/modules/errors";
import type { Actor } from "#app/modules/identity/actor";
import { recordCompliance } from "#app/modules/evaluation/compliance";
import { declareConflicts } from "#app/modules/evaluation/conflicts";
import { startEvaluation } from "#app/modules/evaluation/evaluation";
import { moderateAnswer } from "#app/modules/evaluation/moderation";
import { assignEvaluator } from "#app/modules/evaluation/panel";
import { evaluationReport, reportLotsInWords } from "#app/modules/evaluation/report";
import { submitScore } from "#app/modules/evaluation/scores";
import { BidsAlreadyOpened, setScoringRules, tenderScoringSetup, type ScoringRulesInput } from "#app/modules/evaluation/scoring-rules";
import { moveToNextStage } from "#app/modules/evaluation/stages";
import { confirmOpening, requestOpening } from "#app/modules/tendering/opening";
import { action, loader } from "#app/routes/tenders.$tenderId.evaluation.scoring.$lotId";
import { runAudited } from "#test/support/audited";
import { useTestDatabase } from "#test/support/database";
import { councilPeople, EVALUATION_NOW, openedTender, type OpenedTender } from "#test/support/evaluation";
import { answer, loaderStatus, portalContext, post } from "#test/support/portal-context";
import { buildTenderingWorld, contextOf, type TenderingWorld } from "#test/support/tendering";

const { db, ownerDb } = await useTestDatabase();
let world: TenderingWorld;
let evaluator: Actor;
beforeAll(async () => {
  world = await buildTenderingWorld(db);
  [evaluator] = (await councilPeople(db, world, "evaluator", ["Tom Evans"])) as [Actor];
}, 60_000);

const LINKS = { baseUrl: "http://portal.test" };
const as = (actor: Actor) => contextOf(actor, EVALUATION_NOW);
const run = <T>(work: (trx: Trx) => Promise<T>) => db.transaction().execute(work);
const failure = (work: (trx: Trx) => Promise<unknown>) => run(work).then(() => null, (e: unknown) => e as Error);

const rules = (input: Partial<ScoringRulesInput>): ScoringRulesInput => ({ priceMethod: { kind: "lowest_price" }, admitTopN: null, admissionThreshold: null, ...input });

async function open(t: OpenedTender) {
  await run((trx) => requestOpening(trx, { tenderId: t.id }, as(world.officer)));
  await run((trx) => confirmOpening(trx, { tenderId: t.id }, as(t.secondOfficer)));
}

/**
 * Opens the bids and carries the evaluation to the price stage with agreed
 * scores on question 2.1 of A 4 of 5 (48 points of lot 1's 60) and B 3 of 5
 * (36); B's lot 2 answers agreed at 3. Lot 1's prices: A £11,623.45, B £10,800.
 */
async function toPriceStage(t: OpenedTender) {
  await open(t);
  const subs = await db.selectFrom("bid_submission").select(["id", "organisation_id"]).where("tender_id", "=", t.id).execute();
  const subA = subs.find((s) => s.organisation_id === world.providerA.organisationId)!.id;
  const subB = subs.find((s) => s.organisation_id === world.providerB.organisationId)!.id;
  await run((trx) => startEvaluation(trx, { tenderId: t.id, staged: true }, as(world.officer)));
  for (const submissionId of [subA, subB]) {
    await run((trx) => recordCompliance(trx, { tenderId: t.id, submissionId, checks: [{ questionId: t.q.passFail, passed: true }], complete: true, reason: "", replacesId: null }, as(world.officer)));
  }
  await run((trx) => moveToNextStage(trx, { tenderId: t.id, expectedVersion: 1 }, as(world.officer)));
  await run((trx) => assignEvaluator(trx, { tenderId: t.id, evaluatorId: evaluator.userId, questionId: t.q.quality, lotIds: [t.lot1, t.lot2] }, as(world.officer), LINKS));
  await run((trx) => assignEvaluator(trx, { tenderId: t.id, evaluatorId: evaluator.userId, questionId: t.q.lot2Only, lotIds: [t.lot2] }, as(world.officer), LINKS));
  await run((trx) =>
    declareConflicts(
      trx,
      { tenderId: t.id, declarations: [world.providerA, world.providerB].map((p) => ({ organisationId: p.organisationId, hasConflict: false, description: "" })) },
      as(evaluator),
      LINKS,
    ),
  );
  const agreed: [string, string, number][] = [
    [subA, t.q.quality, 4],
    [subB, t.q.quality, 3],
    [subB, t.q.lot2Only, 3],
  ];
  for (const [submissionId, questionId, value] of agreed) {
    await run((trx) => submitScore(trx, { tenderId: t.id, submissionId, questionId, score: value, justification: "As the answer shows", replacesId: null }, as(evaluator)));
    await run((trx) => moderateAnswer(trx, { tenderId: t.id, submissionId, questionId, agreedScore: value, rationale: "One evaluator, agreed", replacesId: null }, as(world.officer)));
  }
  await run((trx) => moveToNextStage(trx, { tenderId: t.id, expectedVersion: 2 }, as(world.officer)));
}

async function lot1Report(t: OpenedTender) {
  const report = await evaluationReport(db, t.id, world.officer);
  if (!report?.ready) throw new Error("the report should be ready at the price stage");
  return reportLotsInWords(report.lots)[0]!;
}

const row = (b: Awaited<ReturnType<typeof lot1Report>>["bids"][number]) => [b.rank, b.bidder, b.quality, b.priceScore, b.total, b.recommended];

describe("a lot's scoring rules in the evaluation report", () => {
  it("scores lowest price and admits every compliant bid when nobody chose otherwise", async () => {
    const t = await openedTender(db, world, { open: false });
    await toPriceStage(t);
    const lot = await lot1Report(t);
    expect(lot.bids.map(row)).toEqual([
      // 40 × 1,080,000 ÷ 1,162,345 = 37.17
      ["1", world.providerA.organisationName, "48.00", "37.17", "85.17", true],
      ["2", world.providerB.organisationName, "36.00", "40.00", "76.00", true],
    ]);
    expect(lot.priceMethod).toMatch(/^Price is worth 40 points. The lowest price/);
    expect(lot.outcomeRule).toBe("Every compliant bid that meets each question's minimum score is admitted to the framework.");
  });

  it("with fixed bands and the top 1, puts the cheaper bid first and admits only it", async () => {
    const t = await openedTender(db, world, { open: false });
    const chosen = await runAudited(db, (trx) =>
      setScoringRules(
        trx,
        {
          tenderId: t.id,
          lotId: t.lot1,
          expectedVersion: 0,
          ...rules({ priceMethod: { kind: "fixed_bands", bands: [{ upToPence: 1_100_000, percentOfWeight: 100 }, { upToPence: 1_150_000, percentOfWeight: 50 }, { upToPence: null, percentOfWeight: 0 }] }, admitTopN: 1 }),
        },
        as(world.officer),
      ),
    );
    expect(chosen.value?.version).toBe(1);
    expect(chosen.events).toEqual([
      expect.objectContaining({
        action: "tender.scoring_rules_set",
        before: expect.objectContaining({ "Price method": "Lowest price", Admits: "Every compliant bid" }),
        after: expect.objectContaining({ "Price method": "Fixed price bands", "Price bands": ["up to £11,000: 100%", "up to £11,500: 50%", "any higher price: 0%"], Admits: "The top 1" }),
      }),
    ]);
    await toPriceStage(t);
    const lot = await lot1Report(t);
    expect(lot.bids.map(row)).toEqual([
      ["1", world.providerB.organisationName, "36.00", "40.00", "76.00", true],
      // £11,623.45 is above £11,500: band 3, 0%.
      ["2", world.providerA.organisationName, "48.00", "0.00", "48.00", false],
    ]);
    expect(lot.priceMethod).toBe(
      "Price is worth 40 points, scored in fixed bands: up to £11,000 scores 100% (40.00 points); above £11,000 up to £11,500 scores 50% (20.00 points); above £11,500 scores 0% (0.00 points).",
    );
    expect(lot.outcomeRule).toBe("Compliant bids that meet each question's minimum score are admitted to the framework with a place in the top 1.");
  });

  it("relative to the average with a minimum total, admits only bids at or above it", async () => {
    const t = await openedTender(db, world, { open: false });
    await run((trx) => setScoringRules(trx, { tenderId: t.id, lotId: t.lot1, expectedVersion: 0, ...rules({ priceMethod: { kind: "relative_to_average" }, admissionThreshold: 6000 }) }, as(world.officer)));
    await toPriceStage(t);
    const lot = await lot1Report(t);
    // Sum 2,242,345: A 40 × (3 × sum − 4 × 1,162,345) ÷ (2 × sum) = 18.53; B 21.47.
    expect(lot.bids.map(row)).toEqual([
      ["1", world.providerA.organisationName, "48.00", "18.53", "66.53", true],
      ["2", world.providerB.organisationName, "36.00", "21.47", "57.47", false],
    ]);
    expect(lot.outcomeRule).toBe("Compliant bids that meet each question's minimum score are admitted to the framework with a total of at least 60.00 points.");
  });
});

describe("choosing the rules", () => {
  it("refuses bad bands, percentages over 100 and N below 1, each with its field", async () => {
    const t = await openedTender(db, world, { open: false });
    const refused = (input: ScoringRulesInput) => failure((trx) => setScoringRules(trx, { tenderId: t.id, lotId: t.lot1, expectedVersion: 0, ...input }, as(world.officer)));
    const outOfOrder = await refused(rules({ priceMethod: { kind: "fixed_bands", bands: [{ upToPence: 900_000, percentOfWeight: 100 }, { upToPence: 800_000, percentOfWeight: 50 }, { upToPence: null, percentOfWeight: 0 }] } }));
    expect(outOfOrder).toMatchObject({ field: "bandUpTo2", message: "Band 2 must go up to more than band 1 (£9,000): put the bands in order of price, lowest first" });
    const over = await refused(rules({ priceMethod: { kind: "fixed_bands", bands: [{ upToPence: 900_000, percentOfWeight: 120 }, { upToPence: null, percentOfWeight: 0 }] } }));
    expect(over).toMatchObject({ field: "bandPercent1", message: "Band 1's percentage must be a whole number from 0 to 100" });
    expect(await refused(rules({ admitTopN: 0 }))).toMatchObject({ field: "admitTopN", message: "The number to admit must be a whole number, 1 or more" });
    expect(await db.selectFrom("tender_lot_scoring").select("lot_id").where("tender_id", "=", t.id).execute()).toEqual([]);
    // Nobody but a commissioning officer chooses.
    expect(await failure((trx) => setScoringRules(trx, { tenderId: t.id, lotId: t.lot1, expectedVersion: 0, ...rules({}) }, as(evaluator)))).toBeInstanceOf(ActionRefused);
  });

  it("lets one of two officers saving from the same page stand and tells the other who did", async () => {
    const t = await openedTender(db, world, { open: false });
    const outcomes = await Promise.all(
      [world.officer, t.secondOfficer].map((who, i) =>
        failure((trx) => setScoringRules(trx, { tenderId: t.id, lotId: t.lot1, expectedVersion: 0, ...rules({ admitTopN: i + 3 }) }, as(who))),
      ),
    );
    expect(outcomes.filter((e) => e === null)).toHaveLength(1);
    const lost = outcomes.find((e) => e !== null)!;
    expect(lost).toBeInstanceOf(ConcurrentEditError);
    expect(lost.message).toMatch(/changed lot 1's scoring rules while you were editing them/);
    const setup = await tenderScoringSetup(db, t.id, world.officer);
    expect(setup.lots[0]!.rules.version).toBe(1);
  });

  it("is refused once the bids are opened, by the module and by the database", async () => {
    const t = await openedTender(db, world, { open: false });
    await run((trx) => setScoringRules(trx, { tenderId: t.id, lotId: t.lot2, expectedVersion: 0, ...rules({ priceMethod: { kind: "relative_to_average" } }) }, as(world.officer)));
    await open(t);
    const late = await failure((trx) => setScoringRules(trx, { tenderId: t.id, lotId: t.lot2, expectedVersion: 1, ...rules({}) }, as(world.officer)));
    expect(late).toBeInstanceOf(BidsAlreadyOpened);
    expect((await tenderScoringSetup(db, t.id, world.officer)).editable).toBe(false);
    await expect(sql`UPDATE tender_lot_scoring SET price_method = 'lowest_price' WHERE tender_id = ${t.id}`.execute(ownerDb())).rejects.toThrow(/bids are opened cannot change/);
    await expect(sql`DELETE FROM tender_lot_scoring WHERE tender_id = ${t.id}`.execute(ownerDb())).rejects.toThrow(/never deleted/);
    expect((await db.selectFrom("tender_lot_scoring").select("price_method").where("tender_id", "=", t.id).executeTakeFirstOrThrow()).price_method).toBe("relative_to_average");
  });
});

describe("the scoring rules page", () => {
  const path = (t: OpenedTender) => `/tenders/${t.id}/evaluation/scoring/${t.lot1}`;
  const params = (t: OpenedTender) => ({ tenderId: t.id, lotId: t.lot1 });

  it("shows a message beside each bad field and keeps what was typed, then saves", async () => {
    const t = await openedTender(db, world, { open: false });
    const bad = await answer(() =>
      action({
        request: post(path(t), { expectedVersion: "0", priceMethod: "fixed_bands", bandUpTo1: "9,000", bandPercent1: "100", bandUpTo2: "8000", bandPercent2: "150", higherPercent: "", admission: "top", admitTopN: "0", admissionThreshold: "abc" }),
        params: params(t),
        context: portalContext(db, world.officer),
      }),
    );
    expect(bad.status).toBe(400);
    expect(bad.data).toMatchObject({
      errors: {
        bandUpTo2: "Band 2 must go up to more than band 1 (£9,000): put the bands in order of price, lowest first",
        bandPercent2: "Band 2's percentage must be a whole number from 0 to 100",
        higherPercent: "Enter the percentage for any higher price",
        admitTopN: "The number to admit must be a whole number, 1 or more",
        admissionThreshold: "The minimum total must be a number of points from 0 to 100, like 60 or 62.5",
      },
      values: { bandUpTo1: "9,000", bandPercent2: "150", admitTopN: "0" },
    });
    const saved = await answer(() =>
      action({
        request: post(path(t), { expectedVersion: "0", priceMethod: "fixed_bands", bandUpTo1: "9,000", bandPercent1: "100", bandUpTo2: "11000.50", bandPercent2: "60", higherPercent: "10", admission: "top", admitTopN: "5", admissionThreshold: "55.5" }),
        params: params(t),
        context: portalContext(db, world.officer),
      }),
    );
    expect(saved).toMatchObject({ status: 302, location: `/tenders/${t.id}/evaluation` });
    const lot = (await tenderScoringSetup(db, t.id, world.officer)).lots[0]!;
    expect(lot.rules).toMatchObject({
      priceMethod: { kind: "fixed_bands", bands: [{ upToPence: 900_000, percentOfWeight: 100 }, { upToPence: 1_100_050, percentOfWeight: 60 }, { upToPence: null, percentOfWeight: 10 }] },
      admitTopN: 5,
      admissionThreshold: 5550,
      version: 1,
    });
    // The page shows the saved choice again in its boxes.
    const page = await loaderStatus(() => loader({ request: new Request(`http://portal.test${path(t)}`), params: params(t), context: portalContext(db, world.officer) }));
    expect(JSON.parse(page.body).values).toMatchObject({ priceMethod: "fixed_bands", bandUpTo2: "11000.50", bandPercent2: "60", higherPercent: "10", admission: "top", admitTopN: "5", admissionThreshold: "55.50" });
    // A stale page is told, and keeps what it typed.
    const stale = await answer(() =>
      action({ request: post(path(t), { expectedVersion: "0", priceMethod: "lowest_price", admission: "all" }), params: params(t), context: portalContext(db, t.secondOfficer) }),
    );
    expect(stale.status).toBe(409);
    expect(stale.data).toMatchObject({ version: 1, values: { priceMethod: "lowest_price" } });
  });

  it("is for the tender's officers: an evaluator is refused, another council's officer and a provider find nothing", async () => {
    const t = await openedTender(db, world, { open: false });
    const status = async (who: Actor) => (await loaderStatus(() => loader({ request: new Request(`http://portal.test${path(t)}`), params: params(t), context: portalContext(db, who) }))).status;
    expect(await status(world.officer)).toBe(200);
    expect(await status(evaluator)).toBe(403);
    expect(await status(world.otherCouncilOfficer)).toBe(404);
    expect(await status(world.providerA)).toBe(404);
  });
});
