import { describe, expect, it } from "vitest";
import { formatUkDateTime, listInWords } from "#emails/format";
import type { InvitationProps } from "#emails/Invitation";
import type { PasswordResetProps } from "#emails/PasswordReset";
import { renderEmail } from "#emails/render";

const HOSTILE_NAME = "<script>alert(1)</script>";
// 1 July is in British Summer Time (UTC+1); 1 December is in GMT (UTC+0).
const IN_BST = new Date("2026-07-01T16:30:00Z");
const IN_GMT = new Date("2026-12-01T17:30:00Z");

function invitation(overrides: Partial<InvitationProps> = {}) {
  return renderEmail({
    name: "invitation",
    props: {
      recipientName: "Sam Patel",
      organisationName: "Northshire County Council",
      invitedByName: "Alex Jones",
      roleLabels: ["Evaluator"],
      acceptUrl: "https://placements.example/invitation/abc123?from=email&x=1",
      expiresAt: IN_GMT,
      ...overrides,
    },
  });
}

function passwordReset(overrides: Partial<PasswordResetProps> = {}) {
  return renderEmail({
    name: "password_reset",
    props: {
      recipientName: "Sam Patel",
      resetUrl: "https://placements.example/reset-password/def456?x=1&y=2",
      expiresAt: IN_BST,
      ...overrides,
    },
  });
}

describe("UK times in emails", () => {
  it("gives a summer time in British Summer Time, an hour ahead of UTC", () => {
    expect(formatUkDateTime(IN_BST)).toBe("5:30pm on Wednesday 1 July 2026");
  });

  it("gives a winter time in GMT", () => {
    expect(formatUkDateTime(IN_GMT)).toBe("5:30pm on Tuesday 1 December 2026");
  });

  it("writes whole hours, midday and the morning as GOV.UK does", () => {
    expect(formatUkDateTime(new Date("2026-12-01T17:00:00Z"))).toBe("5pm on Tuesday 1 December 2026");
    expect(formatUkDateTime(new Date("2026-07-01T11:00:00Z"))).toBe("midday on Wednesday 1 July 2026");
    expect(formatUkDateTime(new Date("2026-12-01T09:05:59Z"))).toBe("9:05am on Tuesday 1 December 2026");
    expect(formatUkDateTime(new Date("2026-12-01T00:15:00Z"))).toBe("12:15am on Tuesday 1 December 2026");
  });

  it("gives the UK date, not the UTC date, late on a summer evening", () => {
    expect(formatUkDateTime(new Date("2026-06-30T23:30:00Z"))).toBe("12:30am on Wednesday 1 July 2026");
  });

  it("lists roles in words", () => {
    expect(listInWords(["Evaluator"])).toBe("Evaluator");
    expect(listInWords(["Evaluator", "Chief officer", "Administrator"])).toBe("Evaluator, Chief officer and Administrator");
  });
});

describe("the invitation email", () => {
  it("has a plain, specific subject", () => {
    expect(invitation().subject).toBe("You have been invited to the Children's Placements Portal");
  });

  it("says who invited the person, for which organisation and in which role, in both versions", () => {
    const email = invitation({ roleLabels: ["Evaluator", "Commissioning officer"] });
    for (const version of [email.html, email.text]) {
      expect(version).toContain("Alex Jones");
      expect(version).toContain("Northshire County Council");
      expect(version).toContain("Evaluator");
      expect(version).toContain("Commissioning officer");
    }
    expect(email.html).toMatch(/<li[^>]*>Evaluator<\/li>/);
    expect(email.text).toContain("- Evaluator\n- Commissioning officer");
  });

  it("links to setting a password, with the full address in the text version", () => {
    const email = invitation();
    expect(email.html).toContain('href="https://placements.example/invitation/abc123?from=email&amp;x=1"');
    expect(email.text).toContain("https://placements.example/invitation/abc123?from=email&x=1");
    expect(email.text).not.toContain("&amp;");
  });

  it("says when the link expires in UK time", () => {
    const winter = invitation({ expiresAt: IN_GMT });
    expect(winter.text).toContain("The link expires at 5:30pm on Tuesday 1 December 2026.");
    expect(winter.html).toContain("5:30pm on Tuesday 1 December 2026");
    const summer = invitation({ expiresAt: IN_BST });
    expect(summer.text).toContain("The link expires at 5:30pm on Wednesday 1 July 2026.");
  });

  it("escapes names typed by people, so they cannot add markup to the email", () => {
    const email = invitation({ recipientName: HOSTILE_NAME, invitedByName: HOSTILE_NAME, organisationName: `"><img src=x onerror=alert(1)>` });
    expect(email.html).not.toContain("<script>");
    expect(email.html).not.toContain("<img");
    expect(email.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(email.text).toContain(`Dear ${HOSTILE_NAME},`);
  });

  it("keeps a name with line breaks on one line in the text version", () => {
    const email = invitation({ recipientName: "Sam\n\nThis is not from the portal" });
    expect(email.text).toContain("Dear Sam This is not from the portal,");
  });

  it("is a whole English-language page in the portal's layout", () => {
    const html = invitation().html;
    expect(html.startsWith("<!DOCTYPE html><html lang=\"en-GB\">")).toBe(true);
    expect(html).toContain("<title>You have been invited to the Children&#x27;s Placements Portal</title>");
    expect(html).toContain("Children&#x27;s Placements Portal</td>");
    expect(html).toContain("font-family:Arial");
    expect(html).toContain("max-width:600px");
  });

  it("refuses a link that is not an absolute web address", () => {
    expect(() => invitation({ acceptUrl: "/invitation/abc" })).toThrow(/absolute web address/);
    expect(() => invitation({ acceptUrl: "javascript:alert(1)" })).toThrow(/https/);
  });

  it("refuses an invitation without a role", () => {
    expect(() => invitation({ roleLabels: [] })).toThrow(/at least one role/);
  });
});

describe("the password reset email", () => {
  it("has a plain, specific subject", () => {
    expect(passwordReset().subject).toBe("Reset your password for the Children's Placements Portal");
  });

  it("links to resetting the password, with the full address in the text version", () => {
    const email = passwordReset();
    expect(email.html).toContain('href="https://placements.example/reset-password/def456?x=1&amp;y=2"');
    expect(email.text).toContain("https://placements.example/reset-password/def456?x=1&y=2");
  });

  it("says when the single-use link expires, in UK time", () => {
    expect(passwordReset({ expiresAt: IN_BST }).text).toContain("The link expires at 5:30pm on Wednesday 1 July 2026 and works only once.");
    expect(passwordReset({ expiresAt: IN_GMT }).text).toContain("The link expires at 5:30pm on Tuesday 1 December 2026 and works only once.");
    expect(passwordReset({ expiresAt: IN_GMT }).html).toContain("5:30pm on Tuesday 1 December 2026 and works only once");
  });

  it("tells someone who did not ask that they can ignore it", () => {
    const email = passwordReset();
    expect(email.text).toContain("If you did not ask to reset your password, you can ignore this email.");
    expect(email.html).toContain("If you did not ask to reset your password, you can ignore this email.");
  });

  it("escapes the person's name in the HTML", () => {
    const email = passwordReset({ recipientName: HOSTILE_NAME });
    expect(email.html).not.toContain("<script>");
    expect(email.html).toContain("Dear &lt;script&gt;alert(1)&lt;/script&gt;,");
  });
});
