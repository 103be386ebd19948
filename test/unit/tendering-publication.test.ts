import { describe, expect, it } from "vitest";
import type { Tender } from "#app/database/schema";
import { checkPublication, type PublicationFacts } from "#app/modules/tendering/publication";
import { DEFAULT_SCALE, type QuestionView } from "#app/modules/tendering/questionnaires";
import { ukTimeToUtc } from "#app/modules/tendering/timeline";

const LOT_1 = "11111111-1111-4111-8111-111111111111";
const LOT_2 = "22222222-2222-4222-8222-222222222222";
const NOW = new Date("2027-01-04T09:00:00Z");
const uk = (value: string) => ukTimeToUtc(value, "f", "F");

function tender(overrides: Partial<Tender> = {}): Tender {
  return {
    id: "33333333-3333-4333-8333-333333333333",
    agreement_id: "44444444-4444-4444-8444-444444444444",
    title: "Residential framework 2027",
    summary: "",
    procedure: "open",
    light_touch: true,
    legal_basis: "Procurement Act 2023",
    status: "draft",
    publication_at: uk("2027-01-11T09:00"),
    clarification_deadline_at: uk("2027-01-25T17:00"),
    submission_deadline_at: uk("2027-02-08T12:00"),
    intended_award_on: "2027-03-15",
    intended_contract_start_on: "2027-04-01",
    scheme_start_on: null,
    next_reopening_due_on: null,
    reopens_tender_id: null,
    calls_off_tender_id: null,
    calls_off_lot_id: null,
    participation_stage: false,
    participation_deadline_at: null,
    version: 1,
    created_at: NOW,
    created_by: null,
    updated_at: NOW,
    updated_by: null,
    published_at: null,
    published_by: null,
    cancelled_at: null,
    cancelled_by: null,
    cancellation_reason: null,
    ...overrides,
  };
}

function quality(id: string, number: string, weights: { lotId: string; weight: number }[], overrides: Partial<QuestionView> = {}): QuestionView {
  return {
    id,
    number,
    position: 1,
    kind: "quality",
    question: "How do you keep children safe?",
    guidance: "",
    evidenceRequired: null,
    wordLimit: 500,
    minimumScore: 2,
    scale: [...DEFAULT_SCALE],
    weights,
    ...overrides,
  };
}

/** A tender that passes every check: two lots, quality 60 + price 40 on each. */
function ready(overrides: Partial<PublicationFacts> = {}): PublicationFacts {
  return {
    tender: tender(),
    lots: [
      { id: LOT_1, number: 1, title: "Standard residential", priceBasis: "weekly_fee_by_need_band", estimatedValuePence: null },
      { id: LOT_2, number: 2, title: "Complex needs", priceBasis: "weekly_fee_by_need_band", estimatedValuePence: null },
    ],
    questionnaire: {
      sections: [
        {
          id: "s1",
          position: 1,
          title: "Quality",
          description: "",
          questions: [
            quality("q1", "1.1", [
              { lotId: LOT_1, weight: 40 },
              { lotId: LOT_2, weight: 30 },
            ]),
            quality("q2", "1.2", [
              { lotId: LOT_1, weight: 20 },
              { lotId: LOT_2, weight: 40 },
            ]),
          ],
        },
      ],
      priceSchedules: [
        { id: "p1", lotId: LOT_1, priceWeight: 40, items: [{ id: "i1", position: 1, component: "weekly_fee", needBand: "Standard", unit: "week" }] },
        { id: "p2", lotId: LOT_2, priceWeight: 30, items: [{ id: "i2", position: 1, component: "weekly_fee", needBand: "Complex", unit: "week" }] },
      ],
    },
    previousReopenings: [],
    ...overrides,
  };
}

const fields = (list: { field: string }[]) => list.map((p) => p.field);

describe("checking a tender before publication", () => {
  it("finds nothing wrong with a complete tender whose dates run in order", () => {
    expect(checkPublication(ready(), NOW)).toEqual({ problems: [], warnings: [] });
  });

  it("needs at least one lot, and every date", () => {
    const check = checkPublication(
      ready({ lots: [], tender: tender({ publication_at: null, clarification_deadline_at: null, submission_deadline_at: null, intended_award_on: null, intended_contract_start_on: null }) }),
      NOW,
    );
    expect(check.problems).toEqual([
      { field: "lotIds", message: "Choose at least one lot to offer" },
      { field: "publicationAt", message: "Enter the publication date and time" },
      { field: "clarificationDeadlineAt", message: "Enter the clarification deadline" },
      { field: "submissionDeadlineAt", message: "Enter the submission deadline" },
      { field: "intendedAwardOn", message: "Enter the intended award date" },
      { field: "intendedContractStartOn", message: "Enter the intended contract start date" },
    ]);
  });

  it("says which date is out of order: clarification after submission deadline", () => {
    const check = checkPublication(ready({ tender: tender({ clarification_deadline_at: uk("2027-02-09T12:00") }) }), NOW);
    expect(check.problems).toEqual([{ field: "clarificationDeadlineAt", message: "The clarification deadline must be before the submission deadline" }]);
  });

  it("wants the clarification deadline after publication, the award after the deadline's day, and the contract start no earlier than the award", () => {
    const check = checkPublication(
      ready({ tender: tender({ clarification_deadline_at: uk("2027-01-11T09:00"), intended_award_on: "2027-02-08", intended_contract_start_on: "2027-02-07" }) }),
      NOW,
    );
    expect(fields(check.problems)).toEqual(["clarificationDeadlineAt", "intendedAwardOn", "intendedContractStartOn"]);
    expect(checkPublication(ready({ tender: tender({ intended_award_on: "2027-04-01" }) }), NOW).problems).toEqual([]);
  });

  it("compares the award date with the deadline's UK day, not its UTC day", () => {
    // 11:30pm BST on 30 June is 30 June in the UK but 10:30pm UTC the same day; 00:30 BST on 1 July is 30 June in UTC.
    const facts = ready({
      tender: tender({
        publication_at: uk("2027-06-01T09:00"),
        clarification_deadline_at: uk("2027-06-15T09:00"),
        submission_deadline_at: uk("2027-07-01T00:30"),
        intended_award_on: "2027-07-01",
        intended_contract_start_on: "2027-08-01",
      }),
    });
    expect(fields(checkPublication(facts, NOW).problems)).toEqual(["intendedAwardOn"]);
  });

  it("refuses deadlines that have already passed", () => {
    const later = new Date("2027-02-01T09:00:00Z");
    expect(checkPublication(ready(), later).problems).toEqual([{ field: "clarificationDeadlineAt", message: "The clarification deadline must be in the future" }]);
  });

  it("names the lot and the sum when quality and price weights do not make 100", () => {
    const facts = ready();
    facts.questionnaire.priceSchedules[1]!.priceWeight = 20;
    expect(checkPublication(facts, NOW).problems).toEqual([
      {
        field: `weights-${LOT_2}`,
        message: "Quality and price weights for lot 2 (Complex needs) add up to 90% (quality 70%, price 20%): they must add up to 100%",
      },
    ]);
  });

  it("needs a price schedule for every lot", () => {
    const facts = ready();
    facts.questionnaire.priceSchedules.pop();
    expect(checkPublication(facts, NOW).problems).toEqual([{ field: `priceSchedule-${LOT_2}`, message: "Add a price schedule for lot 2 (Complex needs)" }]);
  });

  it("needs a scale on every quality question, a minimum score on it, and a weight for some lot", () => {
    const facts = ready();
    const [q1, q2] = facts.questionnaire.sections[0]!.questions as [QuestionView, QuestionView];
    q1.scale = [];
    q2.minimumScore = 7;
    facts.questionnaire.sections[0]!.questions.push(quality("q3", "1.3", []));
    expect(checkPublication(facts, NOW).problems).toEqual([
      { field: "question-q1", message: "Question 1.1 has no scoring scale: add one" },
      { field: "question-q2", message: "The minimum acceptable score for question 1.2 is 7, above the top of its scale (5)" },
      { field: "question-q3", message: "Question 1.3 is not weighted for any lot: give it a weight for each lot it applies to" },
    ]);
  });

  it("warns, without blocking, when a tender outside the light-touch regime gives fewer than 25 days", () => {
    const short = tender({ light_touch: false, submission_deadline_at: uk("2027-02-05T08:59"), clarification_deadline_at: uk("2027-01-25T17:00") });
    const check = checkPublication(ready({ tender: short }), NOW);
    expect(check.problems).toEqual([]);
    expect(check.warnings).toEqual([
      { field: "submissionDeadlineAt", message: "The tendering period is 24 days. Outside the light-touch regime it should be at least 25 days" },
    ]);
    expect(checkPublication(ready({ tender: { ...short, light_touch: true } }), NOW).warnings).toEqual([]);
    expect(checkPublication(ready({ tender: { ...short, submission_deadline_at: uk("2027-02-05T09:00") } }), NOW).warnings).toEqual([]);
  });

  it("holds an open framework to the re-opening rule and warns when its re-opening is within 90 days", () => {
    const framework = (overrides: Partial<Tender>) => ready({ tender: tender({ procedure: "open_framework", scheme_start_on: "2027-04-01", next_reopening_due_on: "2030-04-01", ...overrides }) });
    expect(checkPublication(framework({}), NOW)).toEqual({ problems: [], warnings: [] });
    expect(checkPublication(framework({ scheme_start_on: null, next_reopening_due_on: null }), NOW).problems).toEqual([
      { field: "schemeStartOn", message: "Enter the date the framework scheme starts" },
    ]);
    expect(checkPublication(framework({ next_reopening_due_on: "2030-04-02" }), NOW).problems).toEqual([
      { field: "nextReopeningDueOn", message: "The framework must next be re-opened by 1 April 2030" },
    ]);
    const soon = checkPublication(framework({ scheme_start_on: "2024-03-01", next_reopening_due_on: "2027-03-01" }), NOW);
    expect(soon.problems).toEqual([]);
    expect(soon.warnings).toEqual([{ field: "nextReopeningDueOn", message: "The framework must be re-opened by 1 March 2027, in 56 days" }]);
  });
});
