import { beforeAll, describe, expect, it } from "vitest";
import { verifyAuditTrail } from "#app/modules/audit/verify";
import { awardProgress } from "#app/modules/awards/progress";
import { DEMO_AWARD_NOTICE_TENDER_TITLE } from "#db/seed/demo-award-notice";
import { seedDemo } from "#db/seed/demo";
import { useTestDatabase } from "#test/support/database";

const { db } = await useTestDatabase();
let seededAt: Date;
beforeAll(async () => {
  seededAt = new Date();
  await seedDemo(db);
}, 180_000);

describe("the demo's award notice", () => {
  it("is published for an approved award, with a voluntary standstill that ends in the future, and the bidders were emailed", async () => {
    const tender = await db.selectFrom("tender").select("id").where("title", "=", DEMO_AWARD_NOTICE_TENDER_TITLE).executeTakeFirstOrThrow();
    const progress = await awardProgress(db, tender.id, new Date());
    expect(progress.state).toBe("standstill");
    expect(progress.notice!.standstill).toMatchObject({ choice: "voluntary", workingDays: 8 });
    expect(progress.notice!.standstill.endsAt!.getTime()).toBeGreaterThan(seededAt.getTime() + 7 * 86_400_000);
    expect(progress.notice!.content.lots.map((l) => l.suppliers.map((s) => s.name))).toEqual([["Harbour Light Children's Homes Ltd"]]);
    const mail = await db.selectFrom("outbox_email").select("to_address").where("template", "=", "award_notice").where("subject", "like", `%${DEMO_AWARD_NOTICE_TENDER_TITLE}%`).execute();
    expect(mail.map((m) => m.to_address).sort()).toEqual(["provider@harbour-light.example", "provider@moorland-care.example"]);
    expect((await verifyAuditTrail(db, { publicKey: null })).ok).toBe(true);
  });
});
