import { describe, expect, it } from "vitest";
import type { Role } from "#app/database/schema";
import { may } from "#app/policy/policy";
import { COUNCIL, PROVIDER_A, PROVIDER_B, testActor } from "#test/support/actors";

const actor = (roles: Role[], organisationId = COUNCIL) => testActor(roles, organisationId, organisationId === COUNCIL ? "council" : "provider");
const contractOfA = { kind: "blockContract", providerId: PROVIDER_A } as const;

describe("who may see and record block beds and short breaks", () => {
  it("shows a block contract to council staff and its own provider, and hides it from other providers as not found", () => {
    expect(may(actor(["evaluator"]), "blockContract.view", contractOfA).allowed).toBe(true);
    expect(may(actor(["provider_user"], PROVIDER_A), "blockContract.view", contractOfA).allowed).toBe(true);
    expect(may(actor(["provider_user"], PROVIDER_B), "blockContract.view", contractOfA)).toMatchObject({ allowed: false, status: 404 });
  });

  it("lets officers and the contract's own provider record a bed as unavailable, and no one else", () => {
    expect(may(actor(["commissioning_officer"]), "bedUnavailability.record", contractOfA).allowed).toBe(true);
    expect(may(actor(["provider_user"], PROVIDER_A), "bedUnavailability.record", contractOfA).allowed).toBe(true);
    expect(may(actor(["provider_user"], PROVIDER_B), "bedUnavailability.record", contractOfA)).toMatchObject({ allowed: false, status: 404 });
    expect(may(actor(["portfolio_holder"]), "bedUnavailability.record", contractOfA)).toMatchObject({ allowed: false, status: 403 });
  });

  it("lets only commissioning officers record who is in a bed; the provider is refused, another provider told it does not exist", () => {
    expect(may(actor(["commissioning_officer"]), "bedOccupancy.record", contractOfA).allowed).toBe(true);
    expect(may(actor(["provider_user"], PROVIDER_A), "bedOccupancy.record", contractOfA)).toMatchObject({ allowed: false, status: 403 });
    expect(may(actor(["provider_user"], PROVIDER_B), "bedOccupancy.record", contractOfA)).toMatchObject({ allowed: false, status: 404 });
    expect(may(actor(["evaluator"]), "bedOccupancy.record", contractOfA)).toMatchObject({ allowed: false, status: 403 });
  });

  it("keeps short breaks to council staff, and booking to commissioning officers", () => {
    expect(may(actor(["chief_officer"]), "shortBreaks.view").allowed).toBe(true);
    expect(may(actor(["provider_user"], PROVIDER_A), "shortBreaks.view").allowed).toBe(false);
    expect(may(actor(["commissioning_officer"]), "shortBreak.book").allowed).toBe(true);
    expect(may(actor(["chief_officer"]), "shortBreak.book").allowed).toBe(false);
  });
});
