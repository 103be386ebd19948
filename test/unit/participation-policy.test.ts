import { describe, expect, it } from "vitest";
import type { Role } from "#app/database/schema";
import { may } from "#app/policy/policy";
import { COUNCIL, PROVIDER_A, testActor } from "#test/support/actors";

const OTHER_COUNCIL = "99999999-9999-4999-8999-999999999999";
const council = (roles: Role[], organisationId = COUNCIL) => testActor(roles, organisationId, "council");
const provider = testActor(["provider_user"], PROVIDER_A, "provider");
const tender = (status: "draft" | "published", everPublished = status === "published") => ({ kind: "tender" as const, councilId: COUNCIL, status, everPublished });

describe("the policy's competitive flexible stages", () => {
  it("lets a provider request to participate in a published tender, and tells it a draft does not exist", () => {
    expect(may(provider, "participation.request", tender("published")).allowed).toBe(true);
    expect(may(provider, "participation.request", tender("draft"))).toMatchObject({ allowed: false, status: 404 });
    expect(may(council(["commissioning_officer"]), "participation.request", tender("published"))).toMatchObject({ allowed: false, status: 403 });
  });

  it("lets only the lead council's commissioning officers assess requests and choose the conditions; anyone else outside it is told nothing", () => {
    for (const action of ["participation.assess", "participation.chooseConditions"] as const) {
      expect(may(council(["commissioning_officer"]), action, tender("published")).allowed).toBe(true);
      expect(may(council(["evaluator"]), action, tender("published")).allowed).toBe(false);
      expect(may(council(["commissioning_officer"], OTHER_COUNCIL), action, tender("published"))).toMatchObject({ allowed: false, status: 404 });
      expect(may(provider, action, tender("published"))).toMatchObject({ allowed: false, status: 404 });
    }
    expect(may(council(["commissioning_officer"]), "participation.viewRequests", tender("published")).allowed).toBe(true);
    expect(may(provider, "participation.viewRequests", tender("published"))).toMatchObject({ allowed: false, status: 404 });
    expect(may(council(["commissioning_officer"], OTHER_COUNCIL), "participation.viewRequests", tender("published"))).toMatchObject({ allowed: false, status: 404 });
  });
});
