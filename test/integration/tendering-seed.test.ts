import { beforeAll, describe, expect, it } from "vitest";
import { verifyAuditTrail } from "#app/modules/audit/verify";
import { ukDate } from "#app/modules/common/input";
import { listPublicClarifications } from "#app/modules/tendering/clarifications";
import { listTenderDocuments } from "#app/modules/tendering/documents";
import { bidsOpened, submissionsForOfficers } from "#app/modules/tendering/opening";
import { getQuestionnaire } from "#app/modules/tendering/questionnaires";
import { getTender, tenderHistory } from "#app/modules/tendering/tenders";
import { addDaysToDay, utcToUkTime } from "#app/modules/tendering/timeline";
import { seedDemo } from "#db/seed/demo";
import { DEMO_CLARIFICATION } from "#db/seed/demo-clarifications";
import { useTestDatabase } from "#test/support/database";

const { db } = await useTestDatabase();
let seededAt: Date;
beforeAll(async () => {
  seededAt = new Date();
  await seedDemo(db);
}, 240_000);

/** The agreement's tender (the supported living agreement also has the opened one, so it is picked by status). */
async function tenderFor(reference: string, status: "draft" | "published" = "published") {
  const row = await db
    .selectFrom("tender")
    .innerJoin("agreement", "agreement.id", "tender.agreement_id")
    .select("tender.id")
    .where("agreement.reference", "=", reference)
    .where("tender.status", "=", status)
    // The agreement's latest tender: the residential framework also has the demo's earlier, signed call for providers.
    .orderBy("tender.created_at", "desc")
    .executeTakeFirstOrThrow();
  return (await getTender(db, row.id))!;
}

describe("the demo's tenders", () => {
  it("include the residential framework, published and open until midday three weeks after the seed ran, with two lots, a questionnaire and prices", async () => {
    const view = await tenderFor("SWPPC-RES-2027");
    expect(view.tender.status).toBe("published");
    expect(utcToUkTime(view.tender.submission_deadline_at!)).toBe(`${addDaysToDay(ukDate(seededAt), 21)}T12:00`);
    expect(view.lots.map((l) => l.number)).toEqual([1, 2]);
    const q = await getQuestionnaire(db, view.tender.id);
    expect(q.sections.map((s) => s.title)).toEqual(["Eligibility", "Quality", "Declarations"]);
    expect(q.sections.flatMap((s) => s.questions).map((x) => x.kind)).toEqual(["pass_fail", "pass_fail", "quality", "quality", "declaration"]);
    for (const lot of view.lots) {
      const quality = q.sections.flatMap((s) => s.questions).reduce((sum, x) => sum + (x.weights.find((w) => w.lotId === lot.id)?.weight ?? 0), 0);
      const price = q.priceSchedules.find((p) => p.lotId === lot.id)!;
      expect(quality + price.priceWeight).toBe(100);
      expect(price.items.every((i) => i.component === "weekly_fee" && i.needBand)).toBe(true);
    }
    // Publishing ends the setting up; what follows is the tender's life (its documents and clarifications).
    const actions = (await tenderHistory(db, view.tender.id)).map((e) => e.action);
    expect(actions.filter((a) => a.startsWith("tender.") && !a.startsWith("tender.document") && !a.startsWith("tender.interest")).at(-1)).toBe("tender.published");
  });

  it("give the residential framework a document and a published clarification, through the modules", async () => {
    const view = await tenderFor("SWPPC-RES-2027");
    const documents = await listTenderDocuments(db, view.tender.id);
    expect(documents).toMatchObject([{ title: DEMO_CLARIFICATION.document.title, status: "current", file: { fileName: DEMO_CLARIFICATION.document.fileName, contentType: "application/pdf" } }]);
    expect(await listPublicClarifications(db, view.tender.id)).toMatchObject([{ number: 1, question: DEMO_CLARIFICATION.publishedQuestion, answer: DEMO_CLARIFICATION.answer }]);
    const actions = (await tenderHistory(db, view.tender.id)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["tender.document_added", "clarification.asked", "clarification.answered_publicly"]));
  });

  it("include a submitted bid from Harbour Light and a draft from Moorland Care on the open tender, sealed from the council", async () => {
    const view = await tenderFor("SWPPC-RES-2027");
    expect(await submissionsForOfficers(db, view.tender.id)).toEqual([{ organisationName: "Harbour Light Children's Homes Ltd", submittedAt: expect.any(Date) }]);
    const bids = await db.selectFrom("bid").innerJoin("organisation", "organisation.id", "bid.organisation_id").select("organisation.name").where("bid.tender_id", "=", view.tender.id).orderBy("organisation.name").execute();
    expect(bids.map((b) => b.name)).toEqual(["Harbour Light Children's Homes Ltd", "Moorland Care Group Ltd"]);
    expect(await bidsOpened(db, view.tender.id)).toBe(false);
  });

  it("include a supported living tender still in draft, with its lots chosen", async () => {
    const view = await tenderFor("SWPPC-SL-2027", "draft");
    expect(view.tender).toMatchObject({ status: "draft", procedure: "competitive_flexible", light_touch: true });
    expect(view.lots.map((l) => l.priceBasis)).toEqual(Array(3).fill("hourly_support_and_weekly_accommodation"));
  });

  it("were built through the module, so the trail verifies", async () => {
    expect((await verifyAuditTrail(db, { publicKey: null })).ok).toBe(true);
  });
});
