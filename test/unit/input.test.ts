import { describe, expect, it } from "vitest";
import { cleanText, isSendableAddress, optionalText, requiredText } from "#app/modules/common/input";

describe("text people type", () => {
  it("loses bidirectional controls, which can make a name read backwards or hide what follows", () => {
    const controls = ["\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069", "\u200E", "\u200F"];
    for (const c of controls) expect(cleanText(`Harbour${c} Light`), `U+${c.codePointAt(0)!.toString(16)}`).toBe("Harbour Light");
    expect(requiredText("\u202EMoorland Care", "name", "name")).toBe("Moorland Care");
    expect(optionalText("\u2066\u2069", "line2", "address line 2")).toBeNull();
    expect(() => requiredText("\u202E ", "name", "organisation name")).toThrow("Enter the organisation name");
  });

  it("keeps right-to-left letters themselves (names in Arabic or Hebrew)", () => {
    expect(cleanText("مريم خان")).toBe("مريم خان");
  });
});

describe("addresses email can go to", () => {
  it.each(["sam@council.example", "sam.patel+bids@northshire.gov.uk"])("accepts %j", (address) => {
    expect(isSendableAddress(address)).toBe(true);
  });
  it.each(["sam<evil>@council.example", "sam@council.example,eve.example", "sam@council.example;x.y", "sam@council.example>", "sam @council.example", "sam@council.example\nBcc: x@y.z", "sam@localhost", "@council.example"])(
    "refuses %j",
    (address) => {
      expect(isSendableAddress(address)).toBe(false);
    },
  );
});
