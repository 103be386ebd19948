// The demo's bids use the evidence library: Moorland Care's draft has its
// Ofsted registration certificate attached from its library, named as the
// library names it, and the audit trail still verifies.
import { beforeAll, describe, expect, it } from "vitest";
import { verifyAuditTrail } from "#app/modules/audit/verify";
import { actorForUser } from "#app/modules/identity/sessions";
import { bidProblems, getOwnBid } from "#app/modules/tendering/bids";
import { seedDemo } from "#db/seed/demo";
import { DEMO_TENDERS } from "#db/seed/demo-data";
import { useTestDatabase } from "#test/support/database";

const { db } = await useTestDatabase();
beforeAll(async () => {
  await seedDemo(db);
}, 120_000);

describe("the demo's bid evidence", () => {
  it("attaches Moorland Care's Ofsted certificate from its library to its draft's first pass/fail question", async () => {
    const tender = await db.selectFrom("tender").select("id").where("title", "=", DEMO_TENDERS.residential.title).executeTakeFirstOrThrow();
    const user = await db.selectFrom("app_user").select("id").where("email", "=", "provider@moorland-care.example").executeTakeFirstOrThrow();
    const draft = (await getOwnBid(db, tender.id, await actorForUser(db, user.id, null)))!;
    const first = draft.sections.flatMap((s) => s.questions).find((q) => q.kind === "pass_fail")!;
    expect(first.files.map((f) => [f.evidence?.title, f.evidence?.kindLabel, f.fileName])).toEqual([
      ["Ofsted registration certificate", "Ofsted registration certificate", "ofsted-registration-certificate.pdf"],
    ]);
    // Valid on the deadline's day, so check your answers raises nothing about it.
    expect(bidProblems(draft).filter((p) => p.target.kind === "question" && p.target.field === "evidence")).toEqual([]);
    expect((await verifyAuditTrail(db, { publicKey: null })).ok).toBe(true);
  });
});
