import { describe, expect, it } from "vitest";
import { hashPassword, passwordProblem, verifyPassword } from "#app/modules/identity/passwords";
import { DEFAULT_THROTTLE, waitAfter } from "#app/modules/identity/throttle";
import { safeReturnTo } from "#app/web/redirects";

describe("the password policy (NCSC: length and a deny-list, no composition rules)", () => {
  it("accepts a long passphrase with no digits or symbols", () => {
    expect(passwordProblem("tractor lemon harbour")).toBeNull();
    expect(passwordProblem("correctbatteryhorsestaple")).toBeNull();
  });

  it("asks for 12 characters or more", () => {
    expect(passwordProblem("")).toBe("Enter a password");
    expect(passwordProblem("Sh0rt!pass")).toMatch(/12 characters or more/);
  });

  it("refuses very long input", () => {
    expect(passwordProblem("a b".repeat(100))).toMatch(/256 characters or fewer/);
  });

  it("refuses common passwords, also with a few digits added", () => {
    expect(passwordProblem("password1234")).toMatch(/too common/);
    expect(passwordProblem("Liverpool2026")).toMatch(/too common/);
    expect(passwordProblem("qwertyuiop123")).toMatch(/too common/);
    expect(passwordProblem("aaaaaaaaaaaaaa")).toMatch(/easy to guess/);
  });

  it("refuses a password containing the person's email name or the service's name", () => {
    expect(passwordProblem("priya.shah-is-great", { email: "priya.shah@westmoor.example" })).toMatch(/email address/);
    expect(passwordProblem("my placements login")).toMatch(/name of this service/);
  });
});

describe("password hashing", () => {
  it("uses Argon2id and verifies only the right password", async () => {
    const hash = await hashPassword("quiet orchard lantern");
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(hash, "quiet orchard lantern")).toBe(true);
    expect(await verifyPassword(hash, "quiet orchard lanterns")).toBe(false);
    expect(await verifyPassword("not a hash", "anything")).toBe(false);
  });
});

describe("sign-in slow-down", () => {
  it("lets five failures through, then makes each next attempt wait 1, 2, 4 ... minutes, up to 15", () => {
    const minutes = (n: number) => waitAfter(n, "account") / 60_000;
    expect([0, 1, 4, 5, 6, 7, 8, 9, 10, 100].map(minutes)).toEqual([0, 0, 0, 1, 2, 4, 8, 15, 15, 15]);
    expect(DEFAULT_THROTTLE.maxWaitMs).toBe(15 * 60_000);
  });

  it("lets an address (a whole office behind one) fail more often before it waits", () => {
    expect(waitAfter(24, "address")).toBe(0);
    expect(waitAfter(25, "address")).toBe(60_000);
  });
});

describe("return addresses after sign-in", () => {
  it("only ever returns to a path on this site", () => {
    expect(safeReturnTo("/audit?from=2026-01-01")).toBe("/audit?from=2026-01-01");
    expect(safeReturnTo("https://evil.example/")).toBe("/");
    expect(safeReturnTo("//evil.example/")).toBe("/");
    expect(safeReturnTo("/\\evil.example")).toBe("/");
    expect(safeReturnTo(undefined)).toBe("/");
    expect(safeReturnTo("/sign-out")).toBe("/");
  });
});
