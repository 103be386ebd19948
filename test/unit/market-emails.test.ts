import { describe, expect, it } from "vitest";
import { renderEmail } from "#emails/render";

const reminder = (homes: { name: string; lastConfirmedAt: Date | null }[]) =>
  renderEmail({ name: "vacancy_reminder", props: { organisationName: "Harbour <b>Light</b>", homes, vacanciesUrl: "https://portal.example/vacancies" } });

describe("the stale vacancies reminder", () => {
  it("lists each stale home with when it was last confirmed in UK time, and links to the one-page update", () => {
    const email = reminder([
      { name: "Sutton\nView", lastConfirmedAt: new Date("2027-01-06T08:00:00Z") },
      { name: "Lemon Quay", lastConfirmedAt: null },
    ]);
    expect(email.subject).toBe("Please confirm your vacancies: 2 homes not confirmed this week");
    expect(email.text).toContain("- Sutton View: last confirmed 8am on Wednesday 6 January 2027");
    expect(email.text).toContain("- Lemon Quay: never confirmed");
    expect(email.text).toContain("https://portal.example/vacancies");
    expect(email.html).toContain('href="https://portal.example/vacancies"');
  });

  it("speaks of one home in the singular, and escapes names in the HTML", () => {
    const email = reminder([{ name: "Lemon Quay", lastConfirmedAt: null }]);
    expect(email.subject).toBe("Please confirm your vacancies: 1 home not confirmed this week");
    expect(email.text).toContain("The vacancies of one of Harbour <b>Light</b>'s homes");
    expect(email.html).toContain("Harbour &lt;b&gt;Light&lt;/b&gt;");
  });
});

describe("the placement ended email", () => {
  const ended = (reason: string) =>
    renderEmail({
      name: "placement_ended",
      props: { councilName: "Fernvale <i>County</i>", childReference: "CH-7K2P9Q", homeName: "Sutton\nView", endOn: "2027-03-01", reason, vacanciesUrl: "https://portal.example/vacancies" },
    });

  it("gives the child reference, home, day the child leaves and reason, and links to the vacancies page", () => {
    const email = ended("Planned move\nto foster care");
    expect(email.subject).toBe("Placement CH-7K2P9Q at Sutton View ends on 1 March 2027");
    expect(email.text).toContain("has ended the placement of child reference CH-7K2P9Q at Sutton View. The child leaves on 1 March 2027");
    expect(email.text).toContain("Reason given: Planned move to foster care");
    expect(email.text).toContain("The bed is free from the night of 1 March 2027");
    expect(email.html).toContain('href="https://portal.example/vacancies"');
  });

  it("escapes what officers typed in the HTML", () => {
    const email = ended("<script>alert(1)</script>");
    expect(email.html).not.toContain("<script>alert(1)</script>");
    expect(email.html).toContain("&lt;script&gt;");
    expect(email.html).toContain("Fernvale &lt;i&gt;County&lt;/i&gt;");
  });
});
