// The moderation page's answers are written as HTML on the server: every
// value a person typed (the answer, a justification, a rationale) and every
// name comes out as text, and the markup reads as the components' did.
import { describe, expect, it } from "vitest";
import { moderationAnswerMarkup, type AnswerToShow } from "#app/web/moderation-answers.server";

const hostile = `<script>alert("x")</script><img src=x onerror=alert(1)>`;
const escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;";

const answer: AnswerToShow = {
  key: "3f0c9d1e-0000-4000-8000-000000000001",
  provider: `Harbour & Light ${hostile}`,
  text: `First paragraph ${hostile}\nsame paragraph\n\nSecond paragraph`,
  words: 9,
  waiting: [],
  scores: [
    { id: "s1", evaluator: `Asha ${hostile}`, score: 1, justification: `Thin ${hostile}`, corrected: false },
    { id: "s2", evaluator: "Tom Evans", score: 4, justification: "Strong", corrected: true },
  ],
  spread: 3,
  wide: true,
  moderation: { score: 2, rationale: `Agreed ${hostile}`, by: "Priya Shah, 1 March 2026 at 10:00am", replaced: 1 },
};

describe("an answer on the moderation page", () => {
  it("writes everything typed and every name as text", () => {
    const markup = moderationAnswerMarkup(answer);
    expect(markup).not.toMatch(/<script|<img/);
    for (const shown of [`Harbour &amp; Light ${escaped}'s answer`, `First paragraph ${escaped}<br>same paragraph`, `Asha ${escaped}`, `Thin ${escaped}`, `Agreed ${escaped}`]) {
      expect(markup).toContain(shown);
    }
  });

  it("shows the flag, the paragraphs, the scores with the spread, and the agreed score", () => {
    const markup = moderationAnswerMarkup(answer);
    expect(markup).toContain('<strong class="govuk-tag govuk-tag--orange">Wide spread: discuss</strong>');
    expect(markup.match(/<p class="govuk-body">(First|Second) paragraph/g)).toHaveLength(2);
    expect(markup).toContain(`<caption class="govuk-table__caption govuk-table__caption--m" id="${answer.key}-scores">Evaluators&#39; scores: spread of 3 points</caption>`);
    expect(markup).toContain(`aria-labelledby="${answer.key}-scores"`);
    expect(markup).toContain('<td class="govuk-table__cell govuk-table__cell--numeric">4 (corrected)</td>');
    expect(markup).toContain('<dd class="govuk-summary-list__value">2 (changed 1 time)</dd>');
  });

  it("says whose scores it waits for, and shows no flag, table or agreed score before them", () => {
    const markup = moderationAnswerMarkup({ ...answer, text: "", scores: null, spread: null, wide: false, moderation: null, waiting: ["Asha Patel", "Tom Evans"] });
    expect(markup).toContain("Not answered");
    expect(markup).toContain("Waiting for Asha Patel and Tom Evans to submit their scores.");
    expect(markup).not.toMatch(/govuk-tag|<table|govuk-summary-list/);
  });
});
