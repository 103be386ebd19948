import { describe, expect, it } from "vitest";
import type { Role, TenderStatus } from "#app/database/schema";
import { may, mayReadTender } from "#app/policy/policy";
import { COUNCIL, PROVIDER_A as PROVIDER, testActor } from "#test/support/actors";

const OTHER_COUNCIL = "55555555-5555-4555-8555-555555555555";

const actor = (roles: Role[], organisationId = COUNCIL) => testActor(roles, organisationId, organisationId === PROVIDER ? "provider" : "council");

const tender = (status: TenderStatus, everPublished = status !== "draft") => ({ kind: "tender" as const, councilId: COUNCIL, status, everPublished });

describe("the policy for tenders", () => {
  it("lets only the leading council's commissioning officers create and manage its tenders", () => {
    for (const action of ["tender.create", "tender.manage"] as const) {
      expect(may(actor(["commissioning_officer"]), action, tender("draft")).allowed).toBe(true);
      expect(may(actor(["commissioning_officer"]), action, tender("published")).allowed).toBe(true);
      for (const role of ["evaluator", "chief_officer", "portfolio_holder", "administrator"] as const) {
        expect(may(actor([role]), action, tender("draft"))).toMatchObject({ allowed: false, status: 403 });
      }
      expect(may(actor(["commissioning_officer"], OTHER_COUNCIL), action, tender("draft"))).toMatchObject({ allowed: false, status: 404 });
      expect(may(actor(["provider_user"], PROVIDER), action, tender("published"))).toMatchObject({ allowed: false, status: 404 });
      expect(may(actor(["commissioning_officer"]), action)).toMatchObject({ allowed: false, status: 404 });
    }
  });

  it("shows a tender's history to the leading council's officers only", () => {
    expect(may(actor(["commissioning_officer"]), "tender.history", tender("published")).allowed).toBe(true);
    expect(may(actor(["chief_officer"]), "tender.history", tender("draft")).allowed).toBe(true);
    expect(may(actor(["evaluator"]), "tender.history", tender("draft"))).toMatchObject({ allowed: false, status: 403 });
    expect(may(actor(["administrator"], OTHER_COUNCIL), "tender.history", tender("draft"))).toMatchObject({ allowed: false, status: 404 });
    expect(may(actor(["provider_user"], PROVIDER), "tender.history", tender("published"))).toMatchObject({ allowed: false, status: 404 });
  });

  it("lets providers, and only providers, register interest in a published tender; a draft does not exist for them", () => {
    const provider = actor(["provider_user"], PROVIDER);
    expect(may(provider, "tender.registerInterest", tender("published")).allowed).toBe(true);
    expect(may(provider, "tender.registerInterest", tender("draft"))).toMatchObject({ allowed: false, status: 404 });
    expect(may(actor(["commissioning_officer"]), "tender.registerInterest", tender("published"))).toMatchObject({ allowed: false, status: 403 });
    expect(may(null, "tender.registerInterest", tender("published"))).toMatchObject({ allowed: false, status: 401 });
  });

  it("lets anyone, signed in or not, read a published or cancelled tender, but a draft only within the leading council", () => {
    for (const reader of [null, actor(["provider_user"], PROVIDER), actor(["evaluator"], OTHER_COUNCIL)]) {
      expect(mayReadTender(reader, tender("published")).allowed).toBe(true);
      expect(mayReadTender(reader, tender("cancelled")).allowed).toBe(true);
      expect(mayReadTender(reader, tender("draft"))).toMatchObject({ allowed: false, status: 404 });
    }
    expect(mayReadTender(actor(["evaluator"]), tender("draft")).allowed).toBe(true);
    // A draft cancelled before it was ever published was never public.
    expect(mayReadTender(null, tender("cancelled", false))).toMatchObject({ allowed: false, status: 404 });
    expect(mayReadTender(actor(["provider_user"], PROVIDER), tender("cancelled", false))).toMatchObject({ allowed: false, status: 404 });
    expect(may(actor(["provider_user"], PROVIDER), "tender.registerInterest", tender("cancelled", false))).toMatchObject({ allowed: false, status: 404 });
  });
});
