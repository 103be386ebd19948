// The evaluation pages called through their real loaders and actions: anyone
// but the tender's council's officers and evaluators is told they do not
// exist, an evaluator's pages show no bid words before they declare and no
// price while the price envelope is sealed, and an evaluator cannot take an
// officer's actions.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import type { Trx } from "#app/database/schema";
import type { Actor } from "#app/modules/identity/actor";
import { recordCompliance } from "#app/modules/evaluation/compliance";
import { startEvaluation } from "#app/modules/evaluation/evaluation";
import { assignEvaluator } from "#app/modules/evaluation/panel";
import { moveToNextStage } from "#app/modules/evaluation/stages";
import * as compliancePage from "#app/routes/tenders.$tenderId.evaluation.compliance.$submissionId";
import * as conflictsPage from "#app/routes/tenders.$tenderId.evaluation.conflicts._index";
import * as evaluationPage from "#app/routes/tenders.$tenderId.evaluation._index";
import * as moderationPage from "#app/routes/tenders.$tenderId.evaluation.moderation.$questionId";
import * as scorePage from "#app/routes/tenders.$tenderId.evaluation.score.$submissionId.$questionId";
import { councilStaff } from "#test/support/bids";
import { useTestDatabase } from "#test/support/database";
import { EVALUATION_NOW, openedTender, PRICE_A_STANDARD, type OpenedTender } from "#test/support/evaluation";
import { loaderStatus, portalContext } from "#test/support/portal-context";
import { buildTenderingWorld, contextOf, type TenderingWorld } from "#test/support/tendering";

const { db } = await useTestDatabase();
let world: TenderingWorld;
let staff: Awaited<ReturnType<typeof councilStaff>>;
let t: OpenedTender;
let subA: string;
const WORDS = "nightly safeguarding reviews";
const PRICE_WORDS = [String(PRICE_A_STANDARD), "5,123.45", "5123.45"];

beforeAll(async () => {
  world = await buildTenderingWorld(db);
  staff = await councilStaff(db, world);
  t = await openedTender(db, world);
  subA = (await db.selectFrom("bid_submission").select("id").where("organisation_id", "=", world.providerA.organisationId).where("tender_id", "=", t.id).executeTakeFirstOrThrow()).id;
  const officer = contextOf(world.officer, EVALUATION_NOW);
  const run = <T>(work: (trx: Trx) => Promise<T>) => db.transaction().execute(work);
  await run((trx) => startEvaluation(trx, { tenderId: t.id, staged: true }, officer));
  await run((trx) => assignEvaluator(trx, { tenderId: t.id, evaluatorId: staff.evaluator.userId, questionId: t.q.quality, lotIds: [t.lot1] }, officer, { baseUrl: "http://portal.test" }));
  const subs = await db.selectFrom("bid_submission").select("id").where("tender_id", "=", t.id).execute();
  for (const s of subs) await run((trx) => recordCompliance(trx, { tenderId: t.id, submissionId: s.id, checks: [{ questionId: t.q.passFail, passed: true }], complete: true, reason: "", replacesId: null }, officer));
  await run((trx) => moveToNextStage(trx, { tenderId: t.id, expectedVersion: 1 }, officer));
}, 90_000);

type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;
const call = (actor: Actor, loader: Loader, path: string, params: Record<string, string>) =>
  loaderStatus(() => loader({ request: new Request(`http://portal.test${path}`), params, context: portalContext(db, actor) }));
const post = (actor: Actor, action: (args: ActionFunctionArgs) => Promise<unknown>, path: string, params: Record<string, string>, form: Record<string, string>) =>
  loaderStatus(() => action({ request: new Request(`http://portal.test${path}`, { method: "POST", body: new URLSearchParams(form) }), params, context: portalContext(db, actor) }));

function pages(): [string, Loader, string, Record<string, string>][] {
  const base = `/tenders/${t.id}/evaluation`;
  return [
    ["overview", evaluationPage.loader, base, { tenderId: t.id }],
    ["declarations", conflictsPage.loader, `${base}/conflicts`, { tenderId: t.id }],
    ["compliance", compliancePage.loader, `${base}/compliance/${subA}`, { tenderId: t.id, submissionId: subA }],
    ["score", scorePage.loader, `${base}/score/${subA}/${t.q.quality}`, { tenderId: t.id, submissionId: subA, questionId: t.q.quality }],
    ["moderation", moderationPage.loader, `${base}/moderation/${t.q.quality}`, { tenderId: t.id, questionId: t.q.quality }],
  ];
}

describe("who may open the evaluation pages", () => {
  it("tells providers, another council's officer and the council's other roles that none of them exists", async () => {
    for (const actor of [world.providerA, world.providerB, world.otherCouncilOfficer, staff.chief_officer, staff.portfolio_holder, staff.administrator]) {
      for (const [name, loader, path, params] of pages()) {
        const { status, body } = await call(actor, loader, path, params);
        expect(status, `${name} as ${actor.email}`).toBe(404);
        expect(body).not.toContain("safeguarding");
      }
    }
  });

  it("shows an evaluator no bid words before they declare, and no price while the envelope is sealed", async () => {
    const overview = await call(staff.evaluator, evaluationPage.loader, `/tenders/${t.id}/evaluation`, { tenderId: t.id });
    expect(overview.status).toBe(200);
    expect(overview.body).toContain('"declaredAll":false');
    expect(overview.body).not.toContain(WORDS);
    const score = await call(staff.evaluator, scorePage.loader, `/tenders/${t.id}/evaluation/score/${subA}/${t.q.quality}`, { tenderId: t.id, submissionId: subA, questionId: t.q.quality });
    expect(score.status).toBe(200);
    expect(score.body).toContain("Declare your conflicts of interest for every bidding provider before you see any bid");
    expect(score.body).not.toContain(WORDS);
    // Officers' pages are not theirs.
    for (const [name, loader, path, params] of pages().filter(([n]) => n === "compliance" || n === "moderation")) {
      expect((await call(staff.evaluator, loader, path, params)).status, name).toBe(403);
    }
    const declared = await post(staff.evaluator, conflictsPage.action, `/tenders/${t.id}/evaluation/conflicts`, { tenderId: t.id }, {
      organisationId: world.providerA.organisationId,
      [`conflict-${world.providerA.organisationId}`]: "no",
    });
    // One provider left out: refused (data() with status 400), naming it.
    expect(declared.body).toContain('"status":400');
    expect(declared.body).toContain(`Say whether you have a conflict of interest with ${world.providerB.organisationName}`);
    const both = new URLSearchParams();
    for (const p of [world.providerA, world.providerB]) {
      both.append("organisationId", p.organisationId);
      both.append(`conflict-${p.organisationId}`, "no");
    }
    const ok = await loaderStatus(() =>
      conflictsPage.action({ request: new Request(`http://portal.test/tenders/${t.id}/evaluation/conflicts`, { method: "POST", body: both }), params: { tenderId: t.id }, context: portalContext(db, staff.evaluator) }),
    );
    expect(ok.status).toBe(302);
    const after = await call(staff.evaluator, scorePage.loader, `/tenders/${t.id}/evaluation/score/${subA}/${t.q.quality}`, { tenderId: t.id, submissionId: subA, questionId: t.q.quality });
    expect(after.body).toContain(WORDS);
    const withPrices = await call(staff.evaluator, evaluationPage.loader, `/tenders/${t.id}/evaluation`, { tenderId: t.id });
    expect(withPrices.body).toContain("Prices stay sealed to evaluators until every quality answer has been moderated");
    for (const p of PRICE_WORDS) expect(withPrices.body).not.toContain(p);
  });

  it("refuses an evaluator the officer's actions", async () => {
    const { status } = await post(staff.evaluator, evaluationPage.action, `/tenders/${t.id}/evaluation`, { tenderId: t.id }, { intent: "assign", evaluatorId: staff.evaluator.userId, questionId: t.q.quality, lotIds: t.lot2 });
    expect(status).toBe(403);
    expect((await post(staff.evaluator, moderationPage.action, `/tenders/${t.id}/evaluation/moderation/${t.q.quality}`, { tenderId: t.id, questionId: t.q.quality }, { key: "a1", submissionId: subA })).status).toBe(403);
  });
});
