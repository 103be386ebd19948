// What stops an application being submitted, and who the policy lets near a
// dynamic market's applications.
import { describe, expect, it } from "vitest";
import { applicationProblems, type Condition } from "#app/modules/tendering/dynamic-markets";
import { may } from "#app/policy/policy";
import { COUNCIL, PROVIDER_A, testActor } from "#test/support/actors";

const conditions: Condition[] = [
  { id: "q1", number: "1.1", kind: "pass_fail", question: "Registered with Ofsted?", guidance: "", evidenceRequired: "Ofsted registration" },
  { id: "q2", number: "1.2", kind: "declaration", question: "We follow safeguarding procedures.", guidance: "", evidenceRequired: null },
];

describe("an application's problems", () => {
  it("lists lots not chosen, conditions unanswered and declarations not made, each pointing at its page", () => {
    expect(applicationProblems({ lotIds: [], answers: {}, files: {} }, conditions, "2027-01-10")).toEqual([
      { target: "lots", message: "Choose the lots you are applying for" },
      { target: "q1", message: "Answer condition 1.1" },
      { target: "q2", message: "Make declaration 1.2" },
    ]);
  });

  it("refuses a condition answered as not met, and is empty once everything is answered and met", () => {
    const unmet = { lotIds: ["lot"], files: {}, answers: { q1: { meetsRequirement: false, evidence: null, declared: null }, q2: { meetsRequirement: null, evidence: null, declared: true } } };
    expect(applicationProblems(unmet, conditions, "2027-01-10").map((p) => p.target)).toEqual(["q1"]);
    const met = { ...unmet, answers: { ...unmet.answers, q1: { meetsRequirement: true, evidence: "URN SC1", declared: null } } };
    expect(applicationProblems(met, conditions, "2027-01-10")).toEqual([]);
  });

  it("refuses a library document that has expired since it was attached, until it is replaced: valid on its last day, lapsed the day after", () => {
    const file = (expiresOn: string) => ({
      attachmentId: "a1",
      fileId: "f1",
      fileName: "ofsted.pdf",
      sizeBytes: 10,
      sha256: "0".repeat(64),
      evidence: { id: "d1", title: "Ofsted certificate", kindLabel: "Ofsted registration", expiresOn },
    });
    const answers = { q1: { meetsRequirement: true, evidence: "URN SC1", declared: null }, q2: { meetsRequirement: null, evidence: null, declared: true } };
    expect(applicationProblems({ lotIds: ["lot"], answers, files: { q1: [file("2027-01-10")] } }, conditions, "2027-01-10")).toEqual([]);
    expect(applicationProblems({ lotIds: ["lot"], answers, files: { q1: [file("2027-01-09")] } }, conditions, "2027-01-10")).toEqual([
      { target: "q1", message: `"Ofsted certificate" attached to condition 1.1 expired on 9 January 2027: remove it and attach the renewed document` },
    ]);
  });
});

describe("the dynamic markets policy", () => {
  const market = { kind: "tender" as const, councilId: COUNCIL, status: "published" as const, everPublished: true };
  const officer = testActor(["commissioning_officer"], COUNCIL, "council");
  const evaluator = testActor(["evaluator"], COUNCIL, "council");
  const otherOfficer = testActor(["commissioning_officer"], "55555555-5555-4555-8555-555555555555", "council");
  const provider = testActor(["provider_user"], PROVIDER_A, "provider");

  it("lets providers apply and no one else", () => {
    expect(may(provider, "market.apply", market).allowed).toBe(true);
    expect(may(officer, "market.apply", market)).toMatchObject({ allowed: false, status: 403 });
    expect(may(provider, "market.apply", { ...market, status: "draft", everPublished: false })).toMatchObject({ allowed: false, status: 404 });
  });

  it("shows applications to the lead council's officers, lets its commissioning officers decide, and hides them from providers and other councils", () => {
    expect(may(officer, "market.viewApplications", market).allowed).toBe(true);
    expect(may(officer, "market.decideApplication", market).allowed).toBe(true);
    expect(may(officer, "market.startCallOff", market).allowed).toBe(true);
    expect(may(evaluator, "market.decideApplication", market)).toMatchObject({ allowed: false, status: 403 });
    for (const action of ["market.viewApplications", "market.decideApplication", "market.startCallOff"] as const) {
      expect(may(provider, action, market)).toMatchObject({ allowed: false, status: 404 });
      expect(may(otherOfficer, action, market)).toMatchObject({ allowed: false, status: 404 });
    }
  });
});
