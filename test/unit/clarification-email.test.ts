import { describe, expect, it } from "vitest";
import { renderEmail } from "#emails/render";
import type { ClarificationAnsweredProps } from "#emails/ClarificationAnswered";

const render = (props: Partial<ClarificationAnsweredProps>) =>
  renderEmail({
    name: "clarification_answered",
    props: {
      organisationName: "Moorland Care",
      tenderTitle: "Residential\nframework",
      clarificationsUrl: "https://portal.example/tenders/1/clarifications",
      visibility: "public",
      number: 3,
      question: "Can a provider bid for one lot only?",
      answer: "Yes.\n\nEach lot is evaluated <script>alert(1)</script> separately.",
      privateReason: null,
      ...props,
    },
  });

describe("the clarification answered email", () => {
  it("gives a public answer its number, the question as published and the answer in paragraphs, with a link to the clarifications", () => {
    const email = render({});
    expect(email.subject).toBe("Clarification 3 published: Residential framework");
    expect(email.text).toContain("Every provider that registered interest is sent the same answer");
    expect(email.text).toContain("Question:\nCan a provider bid for one lot only?");
    expect(email.text).toContain("Answer:\nYes.\n\nEach lot is evaluated <script>alert(1)</script> separately.");
    expect(email.text).toContain("https://portal.example/tenders/1/clarifications");
    expect(email.text).not.toContain("Why it was not published");
  });

  it("shows HTML typed in an answer as text in the HTML version", () => {
    const { html } = render({});
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("says a private answer went only to the asker's organisation, and why", () => {
    const email = render({ visibility: "private", number: null, privateReason: "It discloses your prices." });
    expect(email.subject).toBe("Your clarification question answered: Residential framework");
    expect(email.text).toContain("The answer was sent only to your organisation and is not published.");
    expect(email.text).toContain("Why it was not published: It discloses your prices.");
  });
});
