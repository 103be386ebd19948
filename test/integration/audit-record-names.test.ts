import { describe, expect, it } from "vitest";
import type { Subject } from "#app/modules/audit/canonical";
import { recordNames, recordTitle } from "#app/modules/audit/record-titles";
import { subjectName } from "#app/modules/audit/wording";
import { seedDemo } from "#db/seed/demo";
import { useTestDatabase } from "#test/support/database";

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
