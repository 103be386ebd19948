import { describe, expect, it } from "vitest";
import type { Subject } from "#app/modules/audit/canonical";
import { recordNames, recordTitle } from "#app/modules/audit/record-titles";
import { subjectName } from "#app/modules/audit/wording";
import { declareConflicts } from "#app/modules/evaluation/conflicts";
import { startEvaluation } from "#app/modules/evaluation/evaluation";
import { assignEvaluator } from "#app/modules/evaluation/panel";
import { seedDemo } from "#db/seed/demo";
import { useTestDatabase } from "#test/support/database";
import { councilPeople, EVALUATION_NOW, openedTender } from "#test/support/evaluation";
import { buildTenderingWorld, contextOf } from "#test/support/tendering";

const { db } = await useTestDatabase();
await seedDemo(db);

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
/** Records the trail names only by kind and number, on purpose: nothing about them is a name. */
const UNNAMED = new Set(["audit_checkpoint", "client_address", "spki", "clarification_question", "home_suspension", "placement_offer", "placement_decline", "bed_occupancy", "bed_unavailability", "short_break_booking", "postcode_district_import"]);

async function demoSubjects(): Promise<Subject[]> {
  const rows = await db.selectFrom("audit_event").select("subjects").execute();
  const seen = new Map<string, Subject>();
  for (const row of rows) for (const subject of (row.subjects as Subject[] | null) ?? []) seen.set(`${subject.type}:${subject.id}`, subject);
  return [...seen.values()];
}

describe("the names the audit trail gives the records of tendering and the market", () => {
  it("names every record of the demo by what people call it, not by an id, whatever its kind", async () => {
    const subjects = (await demoSubjects()).filter((s) => !UNNAMED.has(s.type));
    const kinds = new Set(subjects.map((s) => s.type));
    for (const kind of ["tender", "tender_question", "bid", "placement_request", "placement", "block_contract", "evidence_document", "file"]) expect(kinds).toContain(kind);
    const names = await recordNames(db, subjects);
    const unnamed = subjects.filter((s) => UUID.test(subjectName(s, names))).map((s) => s.type);
    expect(unnamed).toEqual([]);
  });

  it("names a bid by who made it and for which tender, and titles a tender's history page with its title", async () => {
    const bid = await db
      .selectFrom("bid")
      .innerJoin("organisation", "organisation.id", "bid.organisation_id")
      .innerJoin("tender", "tender.id", "bid.tender_id")
      .select(["bid.id", "organisation.name as organisation", "tender.title", "tender.id as tenderId"])
      .executeTakeFirstOrThrow();
    expect((await recordNames(db, [{ type: "bid", id: bid.id }]))[bid.id]).toBe(`Bid from ${bid.organisation} for ${bid.title}`);
    expect(await recordTitle(db, { type: "tender", id: bid.tenderId })).toBe(`Tender: ${bid.title}`);
  });
});

describe("the names the audit trail gives the records of evaluation", () => {
  it("names the evaluation, the panel, questions, lots and bidders of an evaluation's events, never by an id", async () => {
    const world = await buildTenderingWorld(db);
    const [evaluator] = await councilPeople(db, world, "evaluator", ["Named Evaluator"]);
    const t = await openedTender(db, world);
    const as = (actor: typeof world.officer) => contextOf(actor, EVALUATION_NOW);
    const links = { baseUrl: "http://portal.test" };
    const evaluation = await db.transaction().execute((trx) => startEvaluation(trx, { tenderId: t.id, staged: true }, as(world.officer)));
    await db.transaction().execute((trx) => assignEvaluator(trx, { tenderId: t.id, evaluatorId: evaluator!.userId, questionId: t.q.quality, lotIds: [t.lot1] }, as(world.officer), links));
    const declarations = [world.providerA, world.providerB].map((p) => ({ organisationId: p.organisationId, hasConflict: false, description: "" }));
    await db.transaction().execute((trx) => declareConflicts(trx, { tenderId: t.id, declarations }, as(evaluator!), links));
    const rows = await db.selectFrom("audit_event").select("subjects").where("action", "like", "evaluation.%").execute();
    const subjects = rows.flatMap((r) => (r.subjects as Subject[] | null) ?? []);
    expect(new Set(subjects.map((s) => s.type))).toEqual(new Set(["tender", "evaluation", "user", "tender_question", "lot", "organisation"]));
    const names = await recordNames(db, subjects);
    expect(subjects.filter((s) => UUID.test(subjectName(s, names)))).toEqual([]);
    expect(names[evaluation.id]).toBe("Evaluation of Residential framework 2027");
  });
});
