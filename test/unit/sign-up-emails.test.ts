import { describe, expect, it } from "vitest";
import { renderEmail } from "#emails/render";

describe("the sign-up emails", () => {
  it("the confirmation carries its link when sent, and the copy the portal keeps afterwards does not", () => {
    const email = renderEmail({
      name: "sign_up_confirmation",
      props: { recipientName: "Rowan Hale", organisationName: "Brookside <Care>", confirmUrl: "https://portal.example/sign-up/secret-token-123", expiresAt: new Date("2027-01-06T08:00:00Z") },
    });
    expect(email.subject).toBe("Confirm your organisation's registration on the Children's Placements Portal");
    expect(email.text).toContain("Dear Rowan Hale,");
    expect(email.text).toContain("https://portal.example/sign-up/secret-token-123");
    expect(email.text).toContain("The link expires at 8am on Wednesday 6 January 2027");
    expect(email.html).toContain("Brookside &lt;Care&gt;");
    expect(email.withoutLinks).not.toBeNull();
    expect(email.withoutLinks!.text).not.toContain("secret-token-123");
    expect(email.withoutLinks!.html).not.toContain("secret-token-123");
  });

  it("an address that already has an account is told to sign in or reset its password, with no sign-up link", () => {
    const email = renderEmail({
      name: "sign_up_account_exists",
      props: { recipientName: "Tam Taken", signInUrl: "https://portal.example/sign-in", resetUrl: "https://portal.example/forgot-password" },
    });
    expect(email.subject).toBe("You already have an account on the Children's Placements Portal");
    expect(email.text).toContain("https://portal.example/forgot-password");
    expect(email.text).not.toContain("/sign-up/");
    expect(email.withoutLinks).toBeNull();
  });

  it("the expiry reminder names the document, its kind and date, and links to replace it", () => {
    const email = renderEmail({
      name: "evidence_expiry",
      props: {
        organisationName: "Harbour Light",
        documentTitle: "Public liability, policy PL-1",
        kindLabel: "Public liability insurance certificate",
        expiresOn: "3 March 2027",
        documentUrl: "https://portal.example/evidence/0b6f0d8e-6a3b-4b59-9a3c-0d6f0d8e6a3b",
      },
    });
    expect(email.subject).toBe("Public liability, policy PL-1 expires on 3 March 2027");
    expect(email.text).toContain("Harbour Light's public liability insurance certificate, Public liability, policy PL-1, expires on 3 March 2027.");
    expect(email.html).toContain('href="https://portal.example/evidence/0b6f0d8e-6a3b-4b59-9a3c-0d6f0d8e6a3b"');
  });
});
