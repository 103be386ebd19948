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
