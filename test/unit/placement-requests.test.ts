import { describe, expect, it } from "vitest";
import type { Role } from "#app/database/schema";
import { may } from "#app/policy/policy";
import { renderEmail } from "#emails/render";
import { COUNCIL, PROVIDER_A, testActor } from "#test/support/actors";

const OTHER_COUNCIL = "55555555-5555-4555-8555-555555555555";
const actor = (roles: Role[], organisationId = COUNCIL) => testActor(roles, organisationId, organisationId === PROVIDER_A ? "provider" : "council");
const ours = { kind: "placementRequest", councilId: COUNCIL } as const;

describe("the placement requests' policy", () => {
  it("lets a council's commissioning officers manage its requests; the Chief Officer reads them; another council's are not found", () => {
    expect(may(actor(["commissioning_officer"]), "placementRequest.manage", ours).allowed).toBe(true);
    expect(may(actor(["chief_officer"]), "placementRequest.manage", ours)).toMatchObject({ allowed: false, status: 403 });
    expect(may(actor(["chief_officer"]), "placementRequest.view", ours).allowed).toBe(true);
    expect(may(actor(["evaluator"]), "placementRequest.view", ours)).toMatchObject({ allowed: false, status: 404 });
    expect(may(actor(["evaluator"]), "placementRequest.list").allowed).toBe(false);
    expect(may(actor(["commissioning_officer"], OTHER_COUNCIL), "placementRequest.manage", ours)).toMatchObject({ allowed: false, status: 404 });
    expect(may(actor(["commissioning_officer"], OTHER_COUNCIL), "placementRequest.view", ours)).toMatchObject({ allowed: false, status: 404 });
    expect(may(actor(["provider_user"], PROVIDER_A), "placementRequest.view", ours)).toMatchObject({ allowed: false, status: 404 });
  });

  it("lets only commissioning officers send requests, and only providers answer them", () => {
    expect(may(actor(["commissioning_officer"]), "placementRequest.create").allowed).toBe(true);
    expect(may(actor(["chief_officer"]), "placementRequest.create").allowed).toBe(false);
    expect(may(actor(["provider_user"], PROVIDER_A), "placementRequest.create").allowed).toBe(false);
    expect(may(actor(["provider_user"], PROVIDER_A), "placementRequest.respond").allowed).toBe(true);
    expect(may(actor(["provider_user"], PROVIDER_A), "placementRequest.list").allowed).toBe(true);
    expect(may(actor(["commissioning_officer"]), "placementRequest.respond").allowed).toBe(false);
  });
});

describe("the placement request emails", () => {
  it("a new request lists the need in general words, the deadline in UK time and the link, and escapes names", () => {
    const email = renderEmail({
      name: "placement_request_sent",
      props: {
        organisationName: "Harbour Light",
        councilName: "Westmoor <b>Council</b>",
        childReference: "CH-7K2M9Q",
        homeNames: ["Longbrook House", "Sutton View"],
        details: ["Age 13 to 14", "Needs: Autism"],
        deadline: new Date("2027-01-07T17:00:00Z"),
        requestUrl: "https://portal.example/placement-requests/received/abc",
      },
    });
    expect(email.subject).toBe("Placement request CH-7K2M9Q from Westmoor <b>Council</b>");
    expect(email.text).toContain("your homes Longbrook House and Sutton View match");
    expect(email.text).toContain("- Needs: Autism");
    expect(email.text).toContain("Please offer or decline by 5pm on Thursday 7 January 2027.");
    expect(email.html).toContain("Westmoor &lt;b&gt;Council&lt;/b&gt;");
    expect(email.html).toContain('href="https://portal.example/placement-requests/received/abc"');
  });

  it("says plainly whether an offer was taken, or the request withdrawn, with the reason", () => {
    const outcome = (outcome: "accepted" | "not_taken" | "withdrawn" | "closed", reason: string | null = null) =>
      renderEmail({
        name: "placement_request_outcome",
        props: { organisationName: "Harbour Light", councilName: "Westmoor", childReference: "CH-7K2M9Q", outcome, homeName: outcome === "withdrawn" ? null : "Longbrook House", reason, requestUrl: "https://portal.example/r" },
      });
    expect(outcome("accepted").subject).toBe("Your offer was accepted: CH-7K2M9Q");
    expect(outcome("not_taken").text).toContain("so the offer of Longbrook House was not taken");
    expect(outcome("withdrawn", "Family placement found").text).toContain("Reason: Family placement found");
    expect(outcome("closed").subject).toBe("Placement request closed: CH-7K2M9Q");
  });
});
