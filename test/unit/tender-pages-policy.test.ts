import { describe, expect, it } from "vitest";
import type { Role } from "#app/database/schema";
import { may } from "#app/policy/policy";
import { navigationFor } from "#app/web/navigation";
import { COUNCIL, PROVIDER_A, testActor } from "#test/support/actors";

const council = (roles: Role[]) => testActor(roles, COUNCIL, "council");

describe("the policy for the tender pages", () => {
  it("gives every signed-in role the Tenders navigation item (the list itself is public)", () => {
    for (const role of ["commissioning_officer", "evaluator", "chief_officer", "portfolio_holder", "administrator"] as const) {
      expect(navigationFor(council([role])).map((i) => i.label)).toContain("Tenders");
    }
    expect(navigationFor(testActor(["provider_user"], PROVIDER_A, "provider")).map((i) => i.label)).toContain("Tenders");
    expect(may(null, "tender.list")).toMatchObject({ allowed: false, status: 401 });
  });

  it("lists a council's drafts only to commissioning officers at a council", () => {
    expect(may(council(["commissioning_officer"]), "tender.listDrafts").allowed).toBe(true);
    for (const role of ["evaluator", "chief_officer", "portfolio_holder", "administrator"] as const) {
      expect(may(council([role]), "tender.listDrafts")).toMatchObject({ allowed: false, status: 403 });
    }
    // A council role wrongly held at a provider grants nothing.
    expect(may(testActor(["provider_user", "commissioning_officer"], PROVIDER_A, "provider"), "tender.listDrafts").allowed).toBe(false);
  });
});
