import { describe, expect, it } from "vitest";
import { ukDateTime, ukTime } from "#app/web/format";

describe("UK times on pages", () => {
  it("show the hour after noon and after midnight as 12, as browsers do (the page must hydrate to the same text)", () => {
    expect(ukDateTime(new Date("2026-11-24T12:12:00Z"))).toBe("24 November 2026, 12:12pm");
    expect(ukDateTime(new Date("2026-11-24T00:05:00Z"))).toBe("24 November 2026, 12:05am");
    expect(ukTime(new Date("2026-11-24T12:30:00Z"))).toBe("12:30pm");
  });

  it("use UK summer time in summer", () => {
    expect(ukDateTime(new Date("2026-07-01T08:45:00Z"))).toBe("1 July 2026, 9:45am");
  });
});
