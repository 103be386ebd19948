import { describe, expect, it } from "vitest";
import { renderEmail } from "#emails/render";

const amended = (changesSubmission: boolean) =>
  renderEmail({
    name: "tender_amended",
    props: {
      organisationName: "Harbour <b>Light</b>",
      tenderTitle: "Residential\nframework",
      tenderUrl: "https://portal.example/tenders/1",
      amendmentNumber: 2,
      reason: "More time",
      changes: ["Submission deadline: was midday on Monday 8 February 2027, now midday on Monday 15 February 2027"],
      changesSubmission,
      submissionDeadline: new Date("2027-07-15T16:00:00Z"),
    },
  });

describe("the tender amended email", () => {
  it("names the tender, the amendment, its reason, each change and the deadline in UK time", () => {
    const email = amended(false);
    expect(email.subject).toBe("Tender amended: Residential framework");
    expect(email.text).toContain("(amendment 2)");
    expect(email.text).toContain("Reason: More time");
    expect(email.text).toContain("- Submission deadline: was midday on Monday 8 February 2027, now midday on Monday 15 February 2027");
    expect(email.text).toContain("The submission deadline is 5pm on Thursday 15 July 2027.");
    expect(email.text).toContain("What providers must submit has not changed.");
    expect(amended(true).text).toContain("Check any bid you have started");
  });

  it("escapes names typed by people in the HTML", () => {
    expect(amended(false).html).not.toContain("<b>Light</b>");
    expect(amended(false).html).toContain("Harbour &lt;b&gt;Light&lt;/b&gt;");
  });
});

describe("the tender cancelled email", () => {
  it("says the tender is cancelled and why, with a link to it", () => {
    const email = renderEmail({
      name: "tender_cancelled",
      props: { organisationName: "Moor Care", tenderTitle: "Short breaks", tenderUrl: "https://portal.example/tenders/2", reason: "Budget withdrawn" },
    });
    expect(email.subject).toBe("Tender cancelled: Short breaks");
    expect(email.text).toContain("Reason: Budget withdrawn");
    expect(email.text).toContain("https://portal.example/tenders/2");
    expect(() => renderEmail({ name: "tender_cancelled", props: { organisationName: "x", tenderTitle: "y", tenderUrl: "/tenders/2", reason: "z" } })).toThrow(/absolute web address/);
  });
});
