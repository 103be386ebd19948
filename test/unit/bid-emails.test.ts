import { describe, expect, it } from "vitest";
import { renderEmail } from "#emails/render";

const FINGERPRINT = "a".repeat(64);

describe("the bid receipt email", () => {
  const email = renderEmail({
    name: "bid_receipt",
    props: {
      tenderTitle: "Residential <b>framework</b>",
      organisationName: "Harbour Light",
      submittedBy: "Jo Bennett",
      version: 2,
      submittedAt: new Date("2027-02-01T14:05:00Z"),
      fingerprint: FINGERPRINT,
      lots: ["Lot 1: Standard", "Lot 2: Complex"],
      questionsAnswered: ["1.1", "2.1", "3.1"],
      fileCount: 2,
      priceCount: 3,
      deadline: new Date("2027-02-08T12:00:00Z"),
      receiptUrl: "https://portal.example/tenders/t/bid/receipt/2",
    },
  });

  it("says what was received, when by the portal's clock in UK time, and the fingerprint", () => {
    expect(email.subject).toBe("Bid received: Residential <b>framework</b> (version 2)");
    expect(email.text).toContain("- Received: 2:05pm on Monday 1 February 2027 (the portal's clock)");
    expect(email.text).toContain("- Lots: Lot 1: Standard and Lot 2: Complex");
    expect(email.text).toContain("- Questions answered: 1.1, 2.1 and 3.1");
    expect(email.text).toContain(`Fingerprint (SHA-256 of the submitted answers, prices and files): ${FINGERPRINT}`);
    expect(email.text).toContain("until midday on Monday 8 February 2027");
    expect(email.html).toContain('href="https://portal.example/tenders/t/bid/receipt/2"');
  });

  it("escapes what providers and officers typed in the HTML", () => {
    expect(email.html).toContain("Residential &lt;b&gt;framework&lt;/b&gt;");
    expect(email.html).not.toContain("<b>framework</b>");
  });
});

describe("the bid deadline reminder", () => {
  it("says how long is left and when the deadline is", () => {
    const props = { tenderTitle: "Short breaks 2027", organisationName: "Moorland Care", deadline: new Date("2027-07-01T11:00:00Z"), bidUrl: "https://portal.example/tenders/t/bid" };
    const three = renderEmail({ name: "bid_reminder", props: { ...props, hoursBefore: 72 } });
    const one = renderEmail({ name: "bid_reminder", props: { ...props, hoursBefore: 24 } });
    expect(three.subject).toBe("3 days left to submit your bid: Short breaks 2027");
    expect(one.subject).toBe("24 hours left to submit your bid: Short breaks 2027");
    // British Summer Time: 11:00 UTC is midday in the UK.
    expect(one.text).toContain("The deadline is midday on Thursday 1 July 2027.");
    expect(one.text).toContain("https://portal.example/tenders/t/bid");
  });
});
