import { describe, expect, it } from "vitest";
import type { Role } from "#app/database/schema";
import { may } from "#app/policy/policy";
import { COUNCIL, PROVIDER_A, PROVIDER_B, testActor } from "#test/support/actors";

const actor = (roles: Role[], organisationId = COUNCIL) => testActor(roles, organisationId, organisationId === COUNCIL ? "council" : "provider");
const OTHER_COUNCIL = "00000000-0000-4000-8000-0000000000c2";
const ours = { kind: "placement", councilId: COUNCIL } as const;
const theirs = { kind: "placement", councilId: OTHER_COUNCIL } as const;

describe("who may see and end placements, withdraw bed records and cancel short breaks", () => {
  it("shows a council's placements to its officers and Chief Officer; another council's, and any provider, are told they do not exist", () => {
    expect(may(actor(["commissioning_officer"]), "placement.view", ours).allowed).toBe(true);
    expect(may(actor(["chief_officer"]), "placement.view", ours).allowed).toBe(true);
    expect(may(actor(["commissioning_officer"]), "placement.view", theirs)).toMatchObject({ allowed: false, status: 404 });
    expect(may(actor(["provider_user"], PROVIDER_A), "placement.view", ours)).toMatchObject({ allowed: false, status: 404 });
    expect(may(actor(["provider_user"], PROVIDER_A), "placement.list")).toMatchObject({ allowed: false, status: 403 });
  });

  it("lets only the council's commissioning officers end its placements", () => {
    expect(may(actor(["commissioning_officer"]), "placement.end", ours).allowed).toBe(true);
    expect(may(actor(["chief_officer"]), "placement.end", ours)).toMatchObject({ allowed: false, status: 403 });
    expect(may(actor(["commissioning_officer"]), "placement.end", theirs)).toMatchObject({ allowed: false, status: 404 });
  });

  it("lets officers withdraw any bed record of a contract, its own provider only unavailability, another provider nothing", () => {
    const occupied = { kind: "bedRecord", providerId: PROVIDER_A, recordKind: "occupied" } as const;
    const unavailable = { kind: "bedRecord", providerId: PROVIDER_A, recordKind: "unavailable" } as const;
    expect(may(actor(["commissioning_officer"]), "bedRecord.withdraw", occupied).allowed).toBe(true);
    expect(may(actor(["commissioning_officer"]), "bedRecord.withdraw", unavailable).allowed).toBe(true);
    expect(may(actor(["evaluator"]), "bedRecord.withdraw", unavailable)).toMatchObject({ allowed: false, status: 403 });
    expect(may(actor(["provider_user"], PROVIDER_A), "bedRecord.withdraw", unavailable).allowed).toBe(true);
    expect(may(actor(["provider_user"], PROVIDER_A), "bedRecord.withdraw", occupied)).toMatchObject({ allowed: false, status: 403 });
    expect(may(actor(["provider_user"], PROVIDER_B), "bedRecord.withdraw", unavailable)).toMatchObject({ allowed: false, status: 404 });
  });

  it("lets only commissioning officers cancel a short break", () => {
    expect(may(actor(["commissioning_officer"]), "shortBreak.cancel").allowed).toBe(true);
    expect(may(actor(["chief_officer"]), "shortBreak.cancel")).toMatchObject({ allowed: false, status: 403 });
    expect(may(actor(["provider_user"], PROVIDER_A), "shortBreak.cancel")).toMatchObject({ allowed: false, status: 403 });
  });
});
