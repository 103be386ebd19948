import { describe, expect, it } from "vitest";
import type { Role } from "#app/database/schema";
import { bidAccess, type Declaration } from "#app/modules/evaluation/conflicts";
import { isWideSpread, offScale } from "#app/modules/evaluation/evaluation";
import { may } from "#app/policy/policy";
import { COUNCIL, PROVIDER_A, PROVIDER_B, testActor } from "#test/support/actors";

const ZERO_TO_FIVE = [0, 1, 2, 3, 4, 5].map((score) => ({ score }));
const actor = (roles: Role[], organisationId = COUNCIL) => testActor(roles, organisationId, organisationId === COUNCIL ? "council" : "provider");
const tender = { kind: "tender" as const, councilId: COUNCIL, status: "published" as const, everPublished: true };

describe("the evaluation's rules of thumb", () => {
  it("flags a spread of 2 or more points on a 0 to 5 scale, and the same share of a wider scale", () => {
    expect(isWideSpread([3, 4], ZERO_TO_FIVE)).toBe(false);
    expect(isWideSpread([1, 3], ZERO_TO_FIVE)).toBe(true);
    expect(isWideSpread([2, 3, 5], ZERO_TO_FIVE)).toBe(true);
    expect(isWideSpread([4], ZERO_TO_FIVE)).toBe(false);
    const zeroToTen = Array.from({ length: 11 }, (_, score) => ({ score }));
    expect(isWideSpread([5, 8], zeroToTen)).toBe(false);
    expect(isWideSpread([4, 8], zeroToTen)).toBe(true);
  });

  it("accepts only whole scores that are points of the question's scale", () => {
    expect(offScale(0, ZERO_TO_FIVE)).toBeNull();
    expect(offScale(5, ZERO_TO_FIVE)).toBeNull();
    for (const bad of [6, -1, 2.5, null, Number.NaN]) expect(offScale(bad, ZERO_TO_FIVE)).toBe("Choose a score from 0 to 5");
    expect(offScale(2, [{ score: 0 }, { score: 5 }, { score: 10 }])).toBe("Choose a score from 0 to 10");
  });

  it("closes every bid to an evaluator until they have declared for every bidder, then opens all but conflicts awaiting or excluded", () => {
    const bidders = [{ organisationId: PROVIDER_A }, { organisationId: PROVIDER_B }];
    const declared = (organisationId: string, hasConflict: boolean, outcome?: "exclude" | "accept"): Declaration => ({
      id: organisationId,
      evaluatorId: "e",
      evaluatorName: "E",
      organisationId,
      organisationName: organisationId,
      hasConflict,
      description: hasConflict ? "A tie" : null,
      declaredAt: new Date(),
      decision: outcome ? { outcome, mitigation: outcome === "accept" ? "Second reader" : null, reason: "Why", decidedAt: new Date(), decidedBy: "O" } : null,
    });
    expect([...bidAccess([declared(PROVIDER_A, false)], bidders).values()]).toEqual(["undeclared", "undeclared"]);
    expect(Object.fromEntries(bidAccess([declared(PROVIDER_A, false), declared(PROVIDER_B, true)], bidders))).toEqual({ [PROVIDER_A]: "open", [PROVIDER_B]: "awaiting_decision" });
    expect(bidAccess([declared(PROVIDER_A, false), declared(PROVIDER_B, true, "exclude")], bidders).get(PROVIDER_B)).toBe("excluded");
    expect(bidAccess([declared(PROVIDER_A, false), declared(PROVIDER_B, true, "accept")], bidders).get(PROVIDER_B)).toBe("open");
  });
});

describe("the evaluation's policy", () => {
  it("lets the tender's officers manage and moderate, evaluators view and score, and tells everyone else nothing exists", () => {
    const officer = actor(["commissioning_officer"]);
    const evaluator = actor(["evaluator"]);
    for (const action of ["evaluation.view", "evaluation.manage", "evaluation.score", "evaluation.moderate"] as const) expect(may(officer, action, tender)).toEqual({ allowed: true });
    expect(may(evaluator, "evaluation.view", tender)).toEqual({ allowed: true });
    expect(may(evaluator, "evaluation.score", tender)).toEqual({ allowed: true });
    expect(may(evaluator, "evaluation.manage", tender)).toMatchObject({ allowed: false, status: 403 });
    expect(may(evaluator, "evaluation.moderate", tender)).toMatchObject({ allowed: false, status: 403 });
    for (const role of ["chief_officer", "portfolio_holder", "administrator"] as const) expect(may(actor([role]), "evaluation.view", tender)).toMatchObject({ allowed: false, status: 404 });
    expect(may(actor(["provider_user"], PROVIDER_A), "evaluation.view", tender)).toMatchObject({ allowed: false, status: 404 });
    expect(may(testActor(["commissioning_officer"], "00000000-0000-4000-8000-0000000000ff", "council"), "evaluation.view", tender)).toMatchObject({ allowed: false, status: 404 });
  });
});
