import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Tender } from "#app/database/schema";
import { ocdsTender } from "#app/modules/tendering/ocds";
import type { AmendmentView } from "#app/modules/tendering/publication";
import { ukTimeToUtc } from "#app/modules/tendering/timeline";

// The OCDS 1.1.5 schema, kept unchanged in test/fixtures (see its SOURCE.md).
type Definition = { properties: Record<string, { enum?: (string | null)[]; items?: { enum?: string[] } }> };
const definitions = (
  JSON.parse(fs.readFileSync(path.join("test", "fixtures", "ocds-1.1.5", "release-schema.json"), "utf8")) as { definitions: Record<string, Definition> }
).definitions;

const uk = (value: string) => ukTimeToUtc(value, "f", "F");
const tender: Tender = {
  id: "33333333-3333-4333-8333-333333333333",
  agreement_id: "44444444-4444-4444-8444-444444444444",
  title: "Residential framework 2027",
  summary: "Placements in children's homes",
  procedure: "open_framework",
  light_touch: true,
  legal_basis: "Procurement Act 2023, sections 45 to 49 (open framework)",
  status: "published",
  publication_at: uk("2027-06-01T09:00"),
  clarification_deadline_at: uk("2027-06-15T17:00"),
  submission_deadline_at: uk("2027-07-01T12:00"),
  intended_award_on: "2027-08-02",
  intended_contract_start_on: "2027-09-01",
  scheme_start_on: "2027-09-01",
  next_reopening_due_on: "2030-09-01",
  reopens_tender_id: null,
  calls_off_tender_id: null,
  calls_off_lot_id: null,
  participation_stage: false,
  participation_deadline_at: null,
  version: 3,
  created_at: new Date(),
  created_by: null,
  updated_at: new Date(),
  updated_by: null,
  published_at: new Date(),
  published_by: null,
  cancelled_at: null,
  cancelled_by: null,
  cancellation_reason: null,
};
const amendment: AmendmentView = {
  number: 1,
  reason: "More time",
  changes: [{ field: "submission_deadline_at", label: "Submission deadline", before: "x", after: "midday on Thursday 8 July 2027" }],
  changesSubmission: false,
  amendedAt: new Date("2027-06-10T10:00:00Z"),
  amendedBy: "Priya Shah",
};
const view = { tender, agreement: { id: tender.agreement_id, reference: "R", title: "A", leadCouncilId: "c", leadCouncilName: "Council" }, lots: [] };

describe("the tender as OCDS", () => {
  const ocds = ocdsTender(view, [amendment]);
  const defs = definitions;

  it("uses only the OCDS 1.1.5 tender's own fields, with codelist values", () => {
    for (const key of Object.keys(ocds)) expect(Object.keys(defs.Tender!.properties), key).toContain(key);
    expect(defs.Tender!.properties.status!.enum).toContain(ocds.status);
    expect(defs.Tender!.properties.procurementMethod!.enum).toContain(ocds.procurementMethod);
    expect(defs.Tender!.properties.mainProcurementCategory!.enum).toContain(ocds.mainProcurementCategory);
    for (const period of [ocds.tenderPeriod, ocds.enquiryPeriod, ocds.awardPeriod, ocds.contractPeriod]) {
      for (const key of Object.keys(period)) expect(Object.keys(defs.Period!.properties)).toContain(key);
    }
    for (const key of Object.keys(ocds.amendments[0]!)) expect(Object.keys(defs.Amendment!.properties)).toContain(key);
  });

  it("puts the UK timeline in its OCDS periods as instants", () => {
    expect(ocds).toMatchObject({
      status: "active",
      procurementMethod: "open",
      procurementMethodDetails: "Open framework, under the light-touch regime",
      tenderPeriod: { startDate: "2027-06-01T08:00:00.000Z", endDate: "2027-07-01T11:00:00.000Z" },
      enquiryPeriod: { endDate: "2027-06-15T16:00:00.000Z" },
      awardPeriod: { startDate: "2027-08-01T23:00:00.000Z" },
      contractPeriod: { startDate: "2027-08-31T23:00:00.000Z" },
      amendments: [{ id: "1", rationale: "More time", description: "Submission deadline: midday on Thursday 8 July 2027" }],
    });
    expect(ocdsTender({ ...view, tender: { ...tender, status: "draft" } }, []).status).toBe("planning");
  });
});
