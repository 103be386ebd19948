import { describe, expect, it } from "vitest";
import type { Role } from "#app/database/schema";
import { may } from "#app/policy/policy";
import { COUNCIL, PROVIDER_A, PROVIDER_B, testActor } from "#test/support/actors";

const OTHER_COUNCIL = "55555555-5555-4555-8555-555555555555";
const council = (roles: Role[], organisationId = COUNCIL) => testActor(roles, organisationId, "council");
const provider = (organisationId: string) => testActor(["provider_user"], organisationId, "provider");
const tender = { kind: "tender" as const, councilId: COUNCIL, status: "published" as const, everPublished: true };
const bidder = { kind: "organisation" as const, id: PROVIDER_A, organisationKind: "provider" as const };

describe("the policy for assessment summaries", () => {
  it("lets only the tender council's commissioning officers send them", () => {
    expect(may(council(["commissioning_officer"]), "assessmentSummary.send", tender).allowed).toBe(true);
    for (const role of ["evaluator", "chief_officer", "portfolio_holder", "administrator"] as const) {
      expect(may(council([role]), "assessmentSummary.send", tender)).toMatchObject({ allowed: false, status: 403 });
    }
    expect(may(council(["commissioning_officer"], OTHER_COUNCIL), "assessmentSummary.send", tender)).toMatchObject({ allowed: false, status: 404 });
    expect(may(provider(PROVIDER_A), "assessmentSummary.send", tender)).toMatchObject({ allowed: false, status: 404 });
  });

  it("shows every bidder's summary to those who take part in the award, and a provider only its own", () => {
    for (const role of ["commissioning_officer", "chief_officer", "portfolio_holder"] as const) expect(may(council([role]), "assessmentSummary.view", tender).allowed).toBe(true);
    for (const role of ["evaluator", "administrator"] as const) expect(may(council([role]), "assessmentSummary.view", tender)).toMatchObject({ allowed: false, status: 403 });
    expect(may(council(["chief_officer"], OTHER_COUNCIL), "assessmentSummary.view", tender)).toMatchObject({ allowed: false, status: 404 });
    expect(may(provider(PROVIDER_A), "assessmentSummary.view", tender)).toMatchObject({ allowed: false, status: 404 });
    expect(may(provider(PROVIDER_A), "assessmentSummary.readOwn", bidder).allowed).toBe(true);
    expect(may(provider(PROVIDER_B), "assessmentSummary.readOwn", bidder)).toMatchObject({ allowed: false, status: 404 });
  });
});
