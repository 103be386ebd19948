import { beforeAll, describe, expect, it } from "vitest";
import { verifyAuditTrail } from "#app/modules/audit/verify";
import { awaitingDecisions } from "#app/modules/awards/decisions";
import { awardProgress } from "#app/modules/awards/progress";
import { recommendationById } from "#app/modules/awards/recommendations";
import { actorForUser } from "#app/modules/identity/sessions";
import { proposalFromEvaluation } from "#app/modules/awards/proposal";
import { declarations } from "#app/modules/evaluation/conflicts";
import { evaluationOf } from "#app/modules/evaluation/evaluation";
import { questionModeration } from "#app/modules/evaluation/moderation";
import { evaluationReport } from "#app/modules/evaluation/report";
import { DEMO_DECIDED_AWARD_VALUE_PENCE } from "#db/seed/demo-award-decided";
import { DEMO_SIGNED_FRAMEWORK_TENDER_TITLE } from "#db/seed/demo-framework-signed";
import { listContracts } from "#app/modules/contracts/contracts";
import { ocidFor, releasePackage } from "#app/modules/publication/ocds-releases";
import { DEMO_AWARD_TENDER_TITLE } from "#db/seed/demo-awards";
import { DEMO_OPENED_TENDER } from "#db/seed/demo-data";
import { seedDemo } from "#db/seed/demo";
import { useTestDatabase } from "#test/support/database";

const { db } = await useTestDatabase();
beforeAll(async () => {
  await seedDemo(db);
}, 180_000);

const actor = async (email: string) => actorForUser(db, (await db.selectFrom("app_user").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id, null);

describe("the demo's award decision", () => {
  it("shows the Portfolio Holder a key decision waiting for their consultation, and the Chief Officer that it waits on them", async () => {
    const ph = await actor("portfolio.holder@westmoor.example");
    const waiting = await awaitingDecisions(db, ph);
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatchObject({ tenderTitle: DEMO_AWARD_TENDER_TITLE, step: "consultation", yours: true, valuePence: 1_850_000_00, submittedBy: "Priya Shah" });
    const chief = await actor("chief.officer@westmoor.example");
    expect((await awaitingDecisions(db, chief))[0]).toMatchObject({ step: "consultation", yours: false });
    const rec = await recommendationById(db, waiting[0]!.recommendationId, ph);
    expect(rec.rounds[0]!.content.lots).toEqual([{ lot: "Lot 1: Short breaks, east (Westmoor and Dartvale)", recommended: ["Harbour Light Children's Homes Ltd"] }]);
    expect(rec.rounds[0]!.consultationRequired).toBe(true);
  });

  it("was built through the modules: the Portfolio Holder was emailed and the audit trail verifies", async () => {
    const mail = await db.selectFrom("outbox_email").select("subject").where("to_address", "=", "portfolio.holder@westmoor.example").where("template", "=", "award_decision_requested").execute();
    expect(mail.map((m) => m.subject).sort()).toEqual([
      `Award recommendation for your consultation: ${DEMO_SIGNED_FRAMEWORK_TENDER_TITLE}`,
      `Award recommendation for your consultation: ${DEMO_AWARD_TENDER_TITLE}`,
      `Award recommendation for your consultation: ${DEMO_OPENED_TENDER.title}`,
    ]);
    expect((await verifyAuditTrail(db, { publicKey: null })).ok).toBe(true);
  });
});

describe("the demo's evaluation", () => {
  it("carries the opened supported-living tender to the price stage, with a declared conflict accepted, a wide disagreement flagged and a bid not compliant, so its report ranks each lot", async () => {
    const officer = await actor("officer@westmoor.example");
    const tender = await db.selectFrom("tender").select("id").where("title", "=", DEMO_OPENED_TENDER.title).executeTakeFirstOrThrow();
    expect((await evaluationOf(db, tender.id))?.stage).toBe("price");
    const conflicts = (await declarations(db, tender.id)).filter((d) => d.hasConflict);
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ evaluatorName: "Dan Whitfield", decision: expect.objectContaining({ outcome: "accept", decidedBy: "Priya Shah" }) });
    const firstQuestion = (await db.selectFrom("tender_question").select("id").where("tender_id", "=", tender.id).where("kind", "=", "quality").orderBy("position").executeTakeFirstOrThrow()).id;
    const moderation = await questionModeration(db, { tenderId: tender.id, questionId: firstQuestion }, officer);
    expect(moderation.answers.filter((a) => a.wideSpread)).toHaveLength(1);
    const report = await evaluationReport(db, tender.id, officer);
    if (!report?.ready) throw new Error("the demo's evaluation report should be ready");
    expect(report.lots.length).toBe(2);
    // One bidder is not compliant, in every lot it bid for; every lot has a bid ranked first.
    const nonCompliant = new Set(report.lots.flatMap((l) => l.result.bids.filter((b) => b.status === "non_compliant").map((b) => b.bidderName)));
    expect(nonCompliant.size).toBe(1);
    for (const lot of report.lots) expect(lot.result.bids.filter((b) => b.rank === 1).length).toBeGreaterThanOrEqual(1);
    expect(report.panel.map((m) => m.name)).toEqual(["Dan Whitfield", "Tom Evans"]);

    // The officer's first draft of the recommendation starts from it: the bids the rules recommend in each lot.
    const proposal = await proposalFromEvaluation(db, tender.id, officer);
    const bidOf = async (submissionId: string) => (await db.selectFrom("bid_submission").select("bid_id").where("id", "=", submissionId).executeTakeFirstOrThrow()).bid_id;
    for (const { result } of report.lots) {
      const expected = await Promise.all(result.bids.filter((b) => b.outcome === "recommended").map((b) => bidOf(b.bidId)));
      expect(proposal!.chosen[result.lotId]).toEqual(expected);
      expect(expected.length).toBeGreaterThan(0);
      const first = result.bids.find((b) => b.rank === 1)!;
      expect(proposal!.evaluationSummary).toContain(`${result.lotName}: ${first.bidderName} ranked first with`);
    }
    expect(proposal!.evaluationSummary).toContain("Not taken further: ");
    // No report yet, no proposal.
    const award = await db.selectFrom("tender").select("id").where("title", "=", DEMO_AWARD_TENDER_TITLE).executeTakeFirstOrThrow();
    expect(await proposalFromEvaluation(db, award.id, officer)).toBeNull();
  });
});

describe("the demo's approved award", () => {
  it("takes the opened tender from its report to Priya's recommendation, the Portfolio Holder's support with a comment and the Chief Officer's approval", async () => {
    const officer = await actor("officer@westmoor.example");
    const tender = await db.selectFrom("tender").select("id").where("title", "=", DEMO_OPENED_TENDER.title).executeTakeFirstOrThrow();
    const row = await db.selectFrom("award_recommendation").select(["id", "status", "value_pence"]).where("tender_id", "=", tender.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: "approved", value_pence: DEMO_DECIDED_AWARD_VALUE_PENCE });
    const rec = await recommendationById(db, row.id, officer);
    expect(rec.rounds).toHaveLength(1);
    const round = rec.rounds[0]!;
    expect(round.consultationRequired).toBe(true);
    expect(round.consultation).toMatchObject({ response: "support_with_comments", respondedBy: "Cllr Rhys Pengelly" });
    expect(round.decision).toMatchObject({ outcome: "approved", decidedBy: "Helen Carter" });
    // What was recommended is what the report's rules recommend, in every lot.
    const proposal = (await proposalFromEvaluation(db, tender.id, officer))!;
    const chosen = await db.selectFrom("award_recommendation_bid").select(["lot_id", "bid_id"]).where("recommendation_id", "=", row.id).execute();
    for (const [lotId, bidIds] of Object.entries(proposal.chosen)) {
      expect(chosen.filter((c) => c.lot_id === lotId).map((c) => c.bid_id).sort()).toEqual([...bidIds].sort());
    }
    // Then the assessment summaries, one per bidder, and the award notice, whose standstill is still running.
    expect(await db.selectFrom("assessment_summary").select("bid_id").where("tender_id", "=", tender.id).execute()).toHaveLength(7);
    expect((await awardProgress(db, tender.id, new Date())).state).toBe("standstill");
    // Nothing of it waits on anyone now; the short-breaks award still waits on the Portfolio Holder.
    expect((await awaitingDecisions(db, await actor("chief.officer@westmoor.example"))).map((w) => w.tenderTitle)).toEqual([DEMO_AWARD_TENDER_TITLE]);
  });
});

describe("the demo's earlier tender, carried all the way", () => {
  it("ends in two signed framework agreements, their notices recorded, and OCDS releases from tender to contract", async () => {
    const officer = await actor("officer@westmoor.example");
    const tender = await db.selectFrom("tender").select("id").where("title", "=", DEMO_SIGNED_FRAMEWORK_TENDER_TITLE).executeTakeFirstOrThrow();
    expect((await awardProgress(db, tender.id, new Date())).state).toBe("may_proceed");
    const contracts = await listContracts(db, officer, { tenderId: tender.id });
    expect(contracts.map((c) => [c.providerName, c.status, c.kind])).toEqual([
      ["Harbour Light Children's Homes Ltd", "accepted", "framework_agreement"],
      ["Moorland Care Group Ltd", "accepted", "framework_agreement"],
    ]);
    const rows = await db.selectFrom("contract").select(["notice_published_on"]).where("tender_id", "=", tender.id).execute();
    expect(rows.every((r) => r.notice_published_on !== null)).toBe(true);
    // Harbour Light sees its own agreement, not Moorland's.
    expect((await listContracts(db, await actor("provider@harbour-light.example"), { tenderId: tender.id })).map((c) => c.providerName)).toEqual(["Harbour Light Children's Homes Ltd"]);
    let text = "";
    for await (const chunk of releasePackage(db, { ocid: ocidFor(tender.id), uri: "http://portal.test/ocds/releases.json", publisherName: "Demo", publishedAt: new Date() })) text += chunk;
    const releases = (JSON.parse(text) as { releases: { tag: string[]; contracts?: { status: string }[] }[] }).releases;
    expect(releases.map((r) => r.tag[0])).toEqual(["tender", "award", "contract", "contract"]);
    expect(releases.at(-1)!.contracts!.map((c) => c.status)).toEqual(["active", "active"]);
  });
});

