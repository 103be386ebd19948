import { describe, expect, it } from "vitest";
import { randomText } from "#app/server/random";

describe("randomText (per-request nonces and CSRF cookies)", () => {
  it("gives the length asked for in each encoding", () => {
    expect(Buffer.from(randomText(16, "base64"), "base64")).toHaveLength(16);
    expect(randomText(24, "base64url")).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(randomText(6, "hex")).toMatch(/^[0-9a-f]{12}$/);
  });

  it("never gives the same value twice, across many refills of its buffer", () => {
    // 5,000 × 16 bytes is about twenty fills of the 4 KB buffer; odd sizes make takes straddle each refill.
    const seen = new Set<string>();
    for (let i = 0; i < 5_000; i++) seen.add(randomText(i % 2 ? 16 : 13, "hex"));
    expect(seen.size).toBe(5_000);
  });

  it("is not all zeros, as a wiped buffer handed out again would be", () => {
    const zeros = Array.from({ length: 600 }, () => randomText(16, "hex")).filter((t) => /^0+$/.test(t));
    expect(zeros).toEqual([]);
  });

  it("takes a large request straight from the CSPRNG", () => {
    expect(Buffer.from(randomText(5_000, "base64url"), "base64url")).toHaveLength(5_000);
  });

  it("refuses a size that is not a whole number of bytes", () => {
    expect(() => randomText(0, "hex")).toThrow(RangeError);
    expect(() => randomText(1.5, "hex")).toThrow(RangeError);
  });
});
