import { beforeAll, describe, expect, it } from "vitest";
import { verifyAuditTrail } from "#app/modules/audit/verify";
import { awaitingDecisions } from "#app/modules/awards/decisions";
import { recommendationById } from "#app/modules/awards/recommendations";
import { actorForUser } from "#app/modules/identity/sessions";
import { DEMO_AWARD_TENDER_TITLE } from "#db/seed/demo-awards";
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
    expect(mail.map((m) => m.subject)).toEqual([`Award recommendation for your consultation: ${DEMO_AWARD_TENDER_TITLE}`]);
    expect((await verifyAuditTrail(db, { publicKey: null })).ok).toBe(true);
  });
});
