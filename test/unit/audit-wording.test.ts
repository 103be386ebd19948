import { describe, expect, it } from "vitest";
import { describeActor, describeChange, describeOrigin, fieldLabel, fieldValue, subjectName } from "#app/modules/audit/wording";

const ORG = "3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b";
const names = { [ORG]: "Westmoor County Council" };

describe("audit wording: fields and values in words", () => {
  it("labels known fields in words", () => {
    expect(fieldLabel("serviceType")).toBe("Service type");
    expect(fieldLabel("grade")).toBe("Ofsted grade");
    expect(fieldLabel("organisationId")).toBe("Organisation");
    expect(fieldLabel("estimatedValuePence")).toBe("Estimated value");
  });

  it("gives an unknown field a humanised label rather than its code", () => {
    expect(fieldLabel("placementFeeChanged")).toBe("Placement fee changed");
    expect(fieldLabel("needs_band")).toBe("Needs band");
  });

  it("keeps a label that is already words, such as a provider's name, as it was written", () => {
    expect(fieldLabel("Daymark Care Ltd")).toBe("Daymark Care Ltd");
    expect(fieldLabel("Open to members of")).toBe("Open to members of");
  });

  it("puts codes, grades, money, roles and dates into words", () => {
    expect(fieldValue("serviceType", "supported_living", {})).toBe("Supported accommodation (16+)");
    expect(fieldValue("grade", 3, {})).toBe("Requires improvement to be good");
    expect(fieldValue("estimatedValuePence", 370_000_00, {})).toBe("£370,000.00");
    expect(fieldValue("roles", ["commissioning_officer", "administrator"], {})).toBe("Commissioning officer, Administrator");
    expect(fieldValue("termStart", "2027-04-01", {})).toBe("1 April 2027");
    expect(fieldValue("lockedUntil", "2026-07-01T08:45:00.000Z", {})).toBe("1 July 2026, 9:45am");
    expect(fieldValue("sent", false, {})).toBe("No");
    expect(fieldValue("reason", "account_locked", {})).toBe("Account locked");
    expect(fieldValue("status", "active", {})).toBe("Active");
    expect(fieldValue("reason", "daily", {})).toBe("Daily");
    expect(fieldValue("kind", "residential_framework", {})).toBe("Residential children's homes framework");
    expect(fieldValue("kind", "council", {})).toBe("Council");
  });

  it("replaces ids with names, and keeps an id it cannot name", () => {
    expect(fieldValue("organisationId", ORG, names)).toBe("Westmoor County Council");
    expect(fieldValue("participatingCouncilIds", [ORG, ORG], names)).toBe("Westmoor County Council, Westmoor County Council");
    const unknown = "00000000-0000-4000-8000-000000000000";
    expect(fieldValue("organisationId", unknown, names)).toBe(unknown);
  });

  it("never throws on values it does not expect", () => {
    expect(fieldValue("grade", 99, {})).toBe("99");
    expect(fieldValue("grade", null, {})).toBe("None");
    expect(fieldValue("chainHead", "odd", {})).toBe("odd");
    expect(fieldValue("somethingNew", { nestedThing: [1, true] }, {})).toBe("Nested thing: 1, Yes");
  });

  it("lists before and after field by field", () => {
    expect(
      describeChange({ action: "organisation.updated", before: { name: "Old" }, after: { name: "New", organisationId: ORG } }, names),
    ).toEqual([
      { field: "name", label: "Name", before: "Old", after: "New" },
      { field: "organisationId", label: "Organisation", before: null, after: "Westmoor County Council" },
    ]);
    expect(describeChange({ action: "x.y", before: null, after: null }, names)).toEqual([]);
  });

  it("reads a field by what the action means by it", () => {
    const [row] = describeChange({ action: "housekeeping.sign_in_state_removed", before: null, after: { before: "2026-01-01T00:00:00.000Z" } }, {});
    expect(row).toMatchObject({ label: "Ended before", after: "1 January 2026, 12:00am" });
  });
});

describe("audit wording: who and where from", () => {
  const base = { action: "user.signed_in", after: null, clientAddress: "203.0.113.9" };

  it("gives a person and their organisation apart", () => {
    expect(describeActor({ ...base, actor: { name: "Alex Morgan", organisationName: "Westmoor County Council" } })).toEqual({
      who: "Alex Morgan",
      detail: "Westmoor County Council",
    });
  });

  it("shows a failed sign-in as an attempt for the email typed, from its address", () => {
    expect(describeActor({ ...base, action: "user.sign_in_failed", actor: null, after: { email: "x@y.example" } })).toEqual({
      who: "Sign-in attempt as x@y.example",
      detail: "from 203.0.113.9",
    });
  });

  it("shows what the portal did by itself as automatic", () => {
    expect(describeActor({ ...base, action: "audit.checkpoint_signed", actor: null })).toEqual({ who: "The portal (automatic)", detail: null });
  });

  it("says where a change came from plainly", () => {
    expect(describeOrigin({ requestId: "seed:demo:users", clientAddress: null })).toEqual({ address: null, request: "Set up by the demo data" });
    expect(describeOrigin({ requestId: "abc-123", clientAddress: "127.0.0.1" })).toEqual({
      address: "Address 127.0.0.1",
      request: "Request reference abc-123",
    });
    expect(describeOrigin({ requestId: null, clientAddress: null }).request).toBe("Done by the portal itself, not in answer to a request");
  });

  it("names a record, or says what it is when it has no name", () => {
    expect(subjectName({ type: "organisation", id: ORG }, names)).toBe("Westmoor County Council");
    expect(subjectName({ type: "audit_checkpoint", id: "12" }, names)).toBe("Audit checkpoint 12");
    expect(subjectName({ type: "placement_request", id: "P-1" }, names)).toBe("Placement request P-1");
  });
});
