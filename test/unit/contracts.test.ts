import { describe, expect, it } from "vitest";
import { contractKindFor, singleProvider, termEndOn } from "#app/modules/contracts/contracts";
import { may } from "#app/policy/policy";
import type { Actor } from "#app/modules/identity/actor";

const person = (roles: Actor["roles"], organisationId: string, organisationKind: "council" | "provider"): Actor => ({
  userId: "u",
  name: "Someone",
  email: "someone@example.test",
  roles,
  organisationId,
  organisationName: "Org",
  organisationKind,
  sessionId: null,
});

describe("the kind of agreement an award makes", () => {
  it("follows the agreement's kind, then the procedure", () => {
    expect(contractKindFor("residential_block", "open")).toBe("block_contract");
    expect(contractKindFor("short_breaks", "competitive_flexible")).toBe("short_breaks_contract");
    expect(contractKindFor("supported_living_framework", "dynamic_market")).toBe("dynamic_market_agreement");
    expect(contractKindFor("residential_framework", "open_framework")).toBe("framework_agreement");
    expect(singleProvider("block_contract")).toBe(true);
    expect(singleProvider("short_breaks_contract")).toBe(true);
    expect(singleProvider("framework_agreement")).toBe(false);
  });

  it("ends a term of whole months the day before it is up, at month ends and in leap years", () => {
    expect(termEndOn("2027-04-01", 48)).toBe("2031-03-31");
    expect(termEndOn("2027-04-01", 1)).toBe("2027-04-30");
    expect(termEndOn("2027-12-15", 2)).toBe("2028-02-14");
    expect(termEndOn("2027-03-31", 11)).toBe("2028-02-28");
  });
});

describe("who may do what with a contract", () => {
  const thing = { kind: "contract" as const, councilId: "council-1", providerId: "provider-1" };
  it("lets the provider's users respond, the council's officers record the notice, and tells everyone else it does not exist", () => {
    expect(may(person(["provider_user"], "provider-1", "provider"), "contract.respond", thing)).toEqual({ allowed: true });
    expect(may(person(["provider_user"], "provider-2", "provider"), "contract.view", thing)).toMatchObject({ allowed: false, status: 404 });
    expect(may(person(["commissioning_officer"], "council-1", "council"), "contract.recordNotice", thing)).toEqual({ allowed: true });
    expect(may(person(["evaluator"], "council-1", "council"), "contract.view", thing)).toEqual({ allowed: true });
    expect(may(person(["evaluator"], "council-1", "council"), "contract.recordNotice", thing)).toMatchObject({ allowed: false, status: 403 });
    expect(may(person(["commissioning_officer"], "council-2", "council"), "contract.view", thing)).toMatchObject({ allowed: false, status: 404 });
    expect(may(person(["provider_user"], "provider-1", "provider"), "contract.recordNotice", thing)).toMatchObject({ allowed: false, status: 403 });
  });
});
