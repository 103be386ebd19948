import { describe, expect, it } from "vitest";
import type { Role } from "#app/database/schema";
import { evidenceChoices, evidenceText, weightTotals, type Questionnaire } from "#app/modules/tendering/questionnaires";
import { may } from "#app/policy/policy";
import { COUNCIL, PROVIDER_A as PROVIDER, testActor } from "#test/support/actors";

const OTHER_COUNCIL = "55555555-5555-4555-8555-555555555555";

describe("who may read a tender's questionnaire", () => {
  const actor = (roles: Role[], organisationId = COUNCIL) => testActor(roles, organisationId, organisationId === PROVIDER ? "provider" : "council");
  const tender = (everPublished: boolean) => ({ kind: "tender" as const, councilId: COUNCIL, status: everPublished ? ("published" as const) : ("draft" as const), everPublished });

  it("lets every role of the leading council read it, draft or published", () => {
    for (const role of ["commissioning_officer", "evaluator", "chief_officer", "portfolio_holder", "administrator"] as const) {
      expect(may(actor([role]), "tender.viewQuestionnaire", tender(false)).allowed).toBe(true);
      expect(may(actor([role]), "tender.viewQuestionnaire", tender(true)).allowed).toBe(true);
    }
  });

  it("tells other councils and providers it does not exist, even once published, and sends the signed-out to sign in", () => {
    expect(may(actor(["commissioning_officer"], OTHER_COUNCIL), "tender.viewQuestionnaire", tender(true))).toMatchObject({ allowed: false, status: 404 });
    expect(may(actor(["provider_user"], PROVIDER), "tender.viewQuestionnaire", tender(true))).toMatchObject({ allowed: false, status: 404 });
    expect(may(actor(["commissioning_officer"]), "tender.viewQuestionnaire")).toMatchObject({ allowed: false, status: 404 });
    expect(may(null, "tender.viewQuestionnaire", tender(true))).toMatchObject({ allowed: false, status: 401 });
  });
});

describe("evidence required, as the form ticks it and the question stores it", () => {
  it("stores the usual evidence in a fixed order, then anything else, one a line", () => {
    expect(evidenceText(["Safeguarding policy", "Ofsted registration", "Other"], "  Fire risk\nassessment ")).toBe("Ofsted registration\nSafeguarding policy\nFire risk assessment");
    expect(evidenceText(["Not a choice"], "")).toBe("");
  });

  it("reads stored evidence back into the boxes ticked and the other text, so an edit shows what was chosen", () => {
    expect(evidenceChoices("Ofsted registration\nFire risk assessment\nInsurance certificates")).toEqual({
      chosen: ["Ofsted registration", "Insurance certificates"],
      other: "Fire risk assessment",
    });
    expect(evidenceChoices("The Ofsted registration certificate of each home")).toEqual({ chosen: [], other: "The Ofsted registration certificate of each home" });
    expect(evidenceChoices(null)).toEqual({ chosen: [], other: "" });
  });
});

describe("weights per lot", () => {
  const question = (weights: { lotId: string; weight: number }[]) => ({
    id: "q",
    number: "1.1",
    position: 1,
    kind: "quality" as const,
    question: "Q",
    guidance: "",
    evidenceRequired: null,
    wordLimit: 500,
    minimumScore: null,
    scale: [],
    weights,
  });
  const questionnaire: Questionnaire = {
    sections: [
      { id: "s1", position: 1, title: "A", description: "", questions: [question([{ lotId: "L1", weight: 35 }, { lotId: "L2", weight: 30 }])] },
      { id: "s2", position: 2, title: "B", description: "", questions: [question([{ lotId: "L1", weight: 25 }])] },
    ],
    priceSchedules: [
      { id: "p1", lotId: "L1", priceWeight: 40, items: [] },
      { id: "p2", lotId: "L2", priceWeight: 40, items: [] },
    ],
  };

  it("adds each lot's quality weights across sections to its price weight, and says whether that makes 100", () => {
    expect(weightTotals(questionnaire, ["L1", "L2", "L3"])).toEqual([
      { lotId: "L1", quality: 60, price: 40, total: 100, addsUp: true },
      { lotId: "L2", quality: 30, price: 40, total: 70, addsUp: false },
      { lotId: "L3", quality: 0, price: null, total: 0, addsUp: false },
    ]);
  });
});
