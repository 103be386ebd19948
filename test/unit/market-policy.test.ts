import { describe, expect, it } from "vitest";
import type { Role } from "#app/database/schema";
import { may } from "#app/policy/policy";
import { COUNCIL, PROVIDER_A, PROVIDER_B, testActor } from "#test/support/actors";

const COUNCIL_ROLES = ["commissioning_officer", "evaluator", "chief_officer", "portfolio_holder", "administrator"] as const;

const actor = (roles: Role[], organisationId = COUNCIL) => testActor(roles, organisationId, organisationId === COUNCIL ? "council" : "provider");

describe("the placements market's policy", () => {
  const homeOfA = { kind: "home", organisationId: PROVIDER_A } as const;

  it("lets a provider keep its own homes' vacancies and Statement of Purpose, and hides another provider's as not found", () => {
    for (const action of ["vacancy.manage", "home.editStatementOfPurpose", "home.setWeeklyFee"] as const) {
      expect(may(actor(["provider_user"], PROVIDER_A), action, homeOfA).allowed).toBe(true);
      expect(may(actor(["provider_user"], PROVIDER_B), action, homeOfA)).toMatchObject({ allowed: false, status: 404 });
      expect(may(actor(["provider_user"], PROVIDER_A), action)).toMatchObject({ allowed: false, status: 404 });
    }
  });

  it("does not let council staff change a provider's vacancies or Statement of Purpose", () => {
    for (const role of COUNCIL_ROLES) {
      expect(may(actor([role]), "vacancy.manage", homeOfA)).toMatchObject({ allowed: false, status: 403 });
      expect(may(actor([role]), "home.editStatementOfPurpose", homeOfA)).toMatchObject({ allowed: false, status: 403 });
      expect(may(actor([role]), "home.setWeeklyFee", homeOfA)).toMatchObject({ allowed: false, status: 403 });
    }
  });

  it("lets only commissioning officers search for placements, suspend homes and lift suspensions", () => {
    for (const action of ["placement.search", "home.suspend", "home.liftSuspension"] as const) {
      expect(may(actor(["commissioning_officer"]), action).allowed).toBe(true);
      for (const role of ["evaluator", "chief_officer", "portfolio_holder", "administrator"] as const) {
        expect(may(actor([role]), action)).toMatchObject({ allowed: false, status: 403 });
      }
      expect(may(actor(["provider_user"], PROVIDER_A), action)).toMatchObject({ allowed: false, status: 403 });
    }
  });

  it("lets only administrators import postcode districts", () => {
    expect(may(actor(["administrator"]), "postcodeDistrict.import").allowed).toBe(true);
    expect(may(actor(["commissioning_officer"]), "postcodeDistrict.import")).toMatchObject({ allowed: false, status: 403 });
    expect(may(actor(["provider_user"], PROVIDER_A), "postcodeDistrict.import")).toMatchObject({ allowed: false, status: 403 });
  });

  it("shows a provider its own home's suspension, and council staff any home's", () => {
    expect(may(actor(["provider_user"], PROVIDER_A), "home.viewSuspension", homeOfA).allowed).toBe(true);
    expect(may(actor(["provider_user"], PROVIDER_B), "home.viewSuspension", homeOfA)).toMatchObject({ allowed: false, status: 404 });
    for (const role of COUNCIL_ROLES) expect(may(actor([role]), "home.viewSuspension", homeOfA).allowed).toBe(true);
  });
});
