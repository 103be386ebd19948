import { describe, expect, it } from "vitest";
import type { Role } from "#app/database/schema";
import { ACTIONS, may } from "#app/policy/policy";
import { navigationFor } from "#app/web/navigation";
import { COUNCIL, PROVIDER_A, PROVIDER_B, testActor } from "#test/support/actors";

const actor = (roles: Role[], organisationId = COUNCIL) => testActor(roles, organisationId, organisationId === COUNCIL ? "council" : "provider");

describe("the policy", () => {
  it("sends a signed-out visitor to sign in for every action", () => {
    for (const action of ACTIONS) expect(may(null, action)).toMatchObject({ allowed: false, status: 401 });
  });

  it("lets only administrators manage users, see sent email and sign checkpoints", () => {
    for (const action of ["user.list", "user.invite", "user.changeRoles", "user.deactivate", "email.viewSent", "audit.checkpoint"] as const) {
      expect(may(actor(["administrator"]), action).allowed).toBe(true);
      for (const role of ["commissioning_officer", "evaluator", "chief_officer", "portfolio_holder"] as const) {
        expect(may(actor([role]), action)).toMatchObject({ allowed: false, status: 403 });
      }
      expect(may(actor(["provider_user"], PROVIDER_A), action)).toMatchObject({ allowed: false, status: 403 });
    }
  });

  it("lets officers and administrators browse the audit trail, but not evaluators, councillors or providers", () => {
    expect(may(actor(["commissioning_officer"]), "audit.browse").allowed).toBe(true);
    expect(may(actor(["chief_officer"]), "audit.export").allowed).toBe(true);
    expect(may(actor(["evaluator"]), "audit.browse").allowed).toBe(false);
    expect(may(actor(["portfolio_holder"]), "audit.browse").allowed).toBe(false);
    expect(may(actor(["provider_user"], PROVIDER_A), "audit.browse").allowed).toBe(false);
  });

  it("hides another provider's organisation and homes as not found, not forbidden", () => {
    const a = actor(["provider_user"], PROVIDER_A);
    expect(may(a, "organisation.view", { kind: "organisation", id: PROVIDER_A, organisationKind: "provider" }).allowed).toBe(true);
    expect(may(a, "organisation.view", { kind: "organisation", id: PROVIDER_B, organisationKind: "provider" })).toMatchObject({ allowed: false, status: 404 });
    expect(may(a, "organisation.view", { kind: "organisation", id: COUNCIL, organisationKind: "council" })).toMatchObject({ allowed: false, status: 404 });
    expect(may(a, "home.view", { kind: "home", organisationId: PROVIDER_A }).allowed).toBe(true);
    expect(may(a, "home.view", { kind: "home", organisationId: PROVIDER_B })).toMatchObject({ allowed: false, status: 404 });
    expect(may(a, "organisation.list").allowed).toBe(false);
  });

  it("lets council staff see any provider's records", () => {
    for (const role of ["commissioning_officer", "evaluator", "chief_officer", "portfolio_holder", "administrator"] as const) {
      expect(may(actor([role]), "home.view", { kind: "home", organisationId: PROVIDER_B }).allowed).toBe(true);
    }
  });

  it("does not treat a provider user's role as council staff even if wrongly given a council role", () => {
    // Council roles held by someone in a provider organisation grant nothing across providers.
    const confused = actor(["provider_user", "commissioning_officer"], PROVIDER_A);
    expect(may(confused, "home.view", { kind: "home", organisationId: PROVIDER_B }).allowed).toBe(false);
  });

  it("builds each role's navigation from the policy", () => {
    const labels = (roles: Role[], org = COUNCIL) => navigationFor(actor(roles, org)).map((i) => i.label);
    expect(labels(["administrator"])).toEqual(["Dashboard", "Agreements", "Tenders", "Providers", "Homes", "Block beds", "Audit trail", "Users", "Sent email", "Postcode districts", "Key decisions"]);
    expect(labels(["commissioning_officer"])).toEqual(["Dashboard", "Agreements", "Tenders", "Providers", "Homes", "Find a home", "Placement requests", "Block beds", "Contracts", "Audit trail"]);
    expect(labels(["evaluator"])).toEqual(["Dashboard", "Agreements", "Tenders", "Providers", "Homes", "Block beds"]);
    expect(labels(["provider_user"], PROVIDER_A)).toEqual(["Dashboard", "Agreements", "Tenders", "Homes", "Vacancies", "Placement requests", "Block beds", "Contracts", "Evidence", "Colleagues"]);
    expect(navigationFor(null)).toEqual([]);
  });
});
