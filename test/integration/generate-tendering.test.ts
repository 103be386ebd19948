import { beforeAll, describe, expect, it } from "vitest";
import { verifyAuditTrail } from "#app/modules/audit/verify";
import { actorForUser } from "#app/modules/identity/sessions";
import { bidProblems, getOwnBid } from "#app/modules/tendering/bids";
import { draftFingerprint, ownSubmissions } from "#app/modules/tendering/bids-submission";
import { isInterested } from "#app/modules/tendering/interest";
import { getQuestionnaire } from "#app/modules/tendering/questionnaires";
import { generateDataSet, type GeneratedDataSet } from "#db/seed/generate";
import { useTestDatabase } from "#test/support/database";

const { db } = await useTestDatabase();

describe("the tendering generator", () => {
  let set: GeneratedDataSet;
  beforeAll(async () => {
    set = await generateDataSet(db, {
      seed: "tendering-test",
      councils: 2,
      providers: 40,
      homesPerProvider: 1,
      usersPerCouncil: 5,
      audit: "batch",
      tendering: { tenders: 24, bids: 400, questionsPerTender: 30 },
    });
  }, 120_000);

  it("makes the tenders and bids asked for, in every status and procedure, with 30-question questionnaires", async () => {
    expect(set.tendering).toMatchObject({ tenders: 24, bids: 400, questions: 24 * 30 });
    const tenders = await db.selectFrom("tender").select(["status", "procedure"]).execute();
    expect(tenders).toHaveLength(24);
    expect(new Set(tenders.map((t) => t.status))).toEqual(new Set(["draft", "published", "cancelled"]));
    expect(new Set(tenders.map((t) => t.procedure)).size).toBeGreaterThanOrEqual(3);
    const bids = await db.selectFrom("bid").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
    expect(Number(bids.n)).toBe(400);
    const submissions = await db.selectFrom("bid_submission").select(["bid_id", "tender_id", "submitted_at"]).execute();
    expect(submissions.length).toBeGreaterThan(100);
    expect(new Set(submissions.map((s) => s.bid_id)).size).toBeLessThan(400);
  });

  it("weights every published tender's lots to 100 (quality plus price), as publication requires", async () => {
    const published = await db.selectFrom("tender").select("id").where("status", "<>", "draft").execute();
    for (const { id } of published) {
      const q = await getQuestionnaire(db, id);
      const questions = q.sections.flatMap((s) => s.questions);
      expect(questions).toHaveLength(30);
      for (const schedule of q.priceSchedules) {
        const quality = questions.reduce((sum, x) => sum + (x.weights.find((w) => w.lotId === schedule.lotId)?.weight ?? 0), 0);
        expect(quality + schedule.priceWeight).toBe(100);
        expect(schedule.items.length).toBeGreaterThan(0);
      }
    }
  });

  it("gives each submitted bid what the bids module would: complete, interest registered, before the deadline, and the fingerprint the module computes from the draft", async () => {
    const submitted = await db
      .selectFrom("bid_submission")
      .innerJoin("tender", "tender.id", "bid_submission.tender_id")
      .innerJoin("bid", "bid.id", "bid_submission.bid_id")
      .select(["bid.tender_id", "bid.organisation_id", "bid_submission.submitted_at", "tender.submission_deadline_at"])
      .distinctOn("bid.id")
      .orderBy("bid.id")
      .execute();
    for (const s of submitted) expect(s.submitted_at.getTime()).toBeLessThan(s.submission_deadline_at!.getTime());
    for (const s of submitted.slice(0, 25)) {
      const user = set.users.find((u) => u.organisationId === s.organisation_id)!;
      const actor = await actorForUser(db, user.id, null);
      expect(await isInterested(db, s.tender_id, s.organisation_id)).toBe(true);
      const draft = (await getOwnBid(db, s.tender_id, actor))!;
      expect(bidProblems(draft)).toEqual([]);
      const versions = await ownSubmissions(db, s.tender_id, actor);
      // The draft is what was last submitted, so the module finds no unsubmitted changes.
      expect(draftFingerprint(draft, actor.organisationId)).toBe(versions[0]!.fingerprint);
      // Earlier versions differ from the latest.
      if (versions.length > 1) expect(versions[1]!.fingerprint).not.toBe(versions[0]!.fingerprint);
    }
  });

  it("keeps the audit trail verifiable", async () => {
    const result = await verifyAuditTrail(db, { publicKey: null });
    expect(result.problem).toBeNull();
    const actions = await db.selectFrom("audit_event").select("action").where("action", "in", ["seed.tenders_generated", "seed.bids_generated"]).execute();
    expect(actions.map((a) => a.action).sort()).toEqual(["seed.bids_generated", "seed.tenders_generated"]);
  });
});
