import { describe, expect, it } from "vitest";
import type { Role } from "#app/database/schema";
import { may } from "#app/policy/policy";
import { COUNCIL, PROVIDER_A, PROVIDER_B, testActor } from "#test/support/actors";

const COUNCIL_ROLES = ["commissioning_officer", "evaluator", "chief_officer", "portfolio_holder", "administrator"] as const;
const actor = (roles: Role[], organisationId = COUNCIL) => testActor(roles, organisationId, organisationId === COUNCIL ? "council" : "provider");
const orgOfA = { kind: "organisation", id: PROVIDER_A, organisationKind: "provider" } as const;

describe("the policy for colleagues and the evidence library", () => {
  it("lets a provider's users invite colleagues and manage evidence for their own organisation only; another provider's is not found", () => {
    for (const action of ["colleague.invite", "evidence.view", "evidence.manage"] as const) {
      expect(may(actor(["provider_user"], PROVIDER_A), action, orgOfA).allowed).toBe(true);
      expect(may(actor(["provider_user"], PROVIDER_B), action, orgOfA)).toMatchObject({ allowed: false, status: 404 });
      expect(may(actor(["provider_user"], PROVIDER_A), action)).toMatchObject({ allowed: false, status: 404 });
    }
  });

  it("refuses council staff, administrators included, a provider's colleagues and evidence", () => {
    for (const role of COUNCIL_ROLES) {
      for (const action of ["colleague.list", "colleague.invite", "evidence.list", "evidence.view", "evidence.manage"] as const) {
        expect(may(actor([role]), action, orgOfA)).toMatchObject({ allowed: false, status: 403 });
      }
    }
  });

  it("lets provider users list their own colleagues and evidence, and asks everyone else to sign in", () => {
    expect(may(actor(["provider_user"], PROVIDER_A), "colleague.list").allowed).toBe(true);
    expect(may(actor(["provider_user"], PROVIDER_A), "evidence.list").allowed).toBe(true);
    expect(may(null, "evidence.list")).toMatchObject({ allowed: false, status: 401 });
  });
});
