import { describe, expect, it } from "vitest";
import type { Role } from "#app/database/schema";
import { may } from "#app/policy/policy";
import { COUNCIL, PROVIDER_A as PROVIDER, testActor } from "#test/support/actors";

const OTHER_COUNCIL = "55555555-5555-4555-8555-555555555555";
const actor = (roles: Role[], organisationId = COUNCIL) => testActor(roles, organisationId, organisationId === PROVIDER ? "provider" : "council");
const tender = { kind: "tender" as const, councilId: COUNCIL, status: "published" as const, everPublished: true };

describe("the policy for award decisions", () => {
  it("lets the council's officers recommend, its Portfolio Holder consult and its Chief Officer decide, and no one else", () => {
    const expected: Record<"award.recommend" | "award.consult" | "award.decide", Role> = { "award.recommend": "commissioning_officer", "award.consult": "portfolio_holder", "award.decide": "chief_officer" };
    for (const [action, role] of Object.entries(expected) as [keyof typeof expected, Role][]) {
      expect(may(actor([role]), action, tender).allowed).toBe(true);
      for (const other of ["commissioning_officer", "evaluator", "chief_officer", "portfolio_holder", "administrator"] as const) {
        if (other !== role) expect(may(actor([other]), action, tender)).toMatchObject({ allowed: false, status: 403 });
      }
      expect(may(actor([role], OTHER_COUNCIL), action, tender)).toMatchObject({ allowed: false, status: 404 });
      expect(may(actor(["provider_user"], PROVIDER), action, tender)).toMatchObject({ allowed: false, status: 404 });
    }
  });

  it("shows a recommendation to the people who take part in it, not evaluators, administrators or providers", () => {
    for (const role of ["commissioning_officer", "chief_officer", "portfolio_holder"] as const) expect(may(actor([role]), "award.view", tender).allowed).toBe(true);
    for (const role of ["evaluator", "administrator"] as const) expect(may(actor([role]), "award.view", tender)).toMatchObject({ allowed: false, status: 403 });
    expect(may(actor(["provider_user"], PROVIDER), "award.view", tender)).toMatchObject({ allowed: false, status: 404 });
    expect(may(actor(["chief_officer"], OTHER_COUNCIL), "award.view", tender)).toMatchObject({ allowed: false, status: 404 });
  });

  it("lists what waits for decision to the Chief Officer and the Portfolio Holder only", () => {
    expect(may(actor(["chief_officer"]), "award.listWaiting").allowed).toBe(true);
    expect(may(actor(["portfolio_holder"]), "award.listWaiting").allowed).toBe(true);
    expect(may(actor(["commissioning_officer"]), "award.listWaiting")).toMatchObject({ allowed: false, status: 403 });
  });
});

describe("the policy for the evaluation report", () => {
  it("shows it to the panel, the tender's officers and those who decide the award, never administrators, another council, a provider or a draft", () => {
    for (const role of ["commissioning_officer", "evaluator", "chief_officer", "portfolio_holder"] as const) expect(may(actor([role]), "evaluation.report", tender)).toEqual({ allowed: true });
    expect(may(actor(["administrator", "evaluator"]), "evaluation.report", tender)).toEqual({ allowed: true });
    expect(may(actor(["administrator"]), "evaluation.report", tender)).toEqual({ allowed: false, status: 403, reason: "the report is for the panel, the tender's officers and those who decide the award" });
    expect(may(actor(["commissioning_officer"], OTHER_COUNCIL), "evaluation.report", tender)).toEqual({ allowed: false, status: 404, reason: "another council's tender" });
    expect(may(actor(["provider_user"], PROVIDER), "evaluation.report", tender)).toEqual({ allowed: false, status: 404, reason: "another council's tender" });
    // A tender never published has no report to read, even for its own officers.
    expect(may(actor(["commissioning_officer"]), "evaluation.report", { ...tender, status: "draft", everPublished: false })).toEqual({ allowed: false, status: 404, reason: "no tender given" });
    expect(may(actor(["commissioning_officer"]), "evaluation.report", { ...tender, status: "cancelled" })).toEqual({ allowed: true });
    expect(may(actor(["commissioning_officer"]), "evaluation.report")).toEqual({ allowed: false, status: 404, reason: "no tender given" });
    expect(may(null, "evaluation.report", tender)).toMatchObject({ allowed: false, status: 401 });
  });
});

describe("the policy for the award notice and challenges", () => {
  it("lets only the tender's commissioning officers publish the notice and record or resolve challenges", () => {
    for (const action of ["awardNotice.publish", "awardChallenge.record", "awardChallenge.resolve"] as const) {
      expect(may(actor(["commissioning_officer"]), action, tender).allowed).toBe(true);
      for (const role of ["evaluator", "chief_officer", "portfolio_holder", "administrator"] as const) expect(may(actor([role]), action, tender)).toMatchObject({ allowed: false, status: 403 });
      expect(may(actor(["commissioning_officer"], OTHER_COUNCIL), action, tender)).toMatchObject({ allowed: false, status: 404 });
      expect(may(actor(["provider_user"], PROVIDER), action, tender)).toMatchObject({ allowed: false, status: 404 });
    }
  });

  it("shows challenges to those who take part in the award, and standstills to officers' dashboards", () => {
    for (const role of ["commissioning_officer", "chief_officer", "portfolio_holder"] as const) expect(may(actor([role]), "awardChallenge.view", tender).allowed).toBe(true);
    expect(may(actor(["evaluator"]), "awardChallenge.view", tender)).toMatchObject({ allowed: false, status: 403 });
    expect(may(actor(["provider_user"], PROVIDER), "awardChallenge.view", tender)).toMatchObject({ allowed: false, status: 404 });
    expect(may(actor(["commissioning_officer"]), "awardNotice.listStandstills").allowed).toBe(true);
    expect(may(actor(["chief_officer"]), "awardNotice.listStandstills")).toMatchObject({ allowed: false, status: 403 });
  });
});
