import { describe, expect, it } from "vitest";
import { bankHolidayOn, contractDetailsNoticeDueOn, isWorkingDay, standstillPeriod } from "#app/modules/awards/standstill";

describe("standstill: eight working days beginning with the day of the award notice, UK time", () => {
  it("counts the notice's own day and ends at midnight UK time after the eighth working day", () => {
    const s = standstillPeriod(new Date("2026-12-07T10:00:00Z")); // Monday
    expect(s.workingDays).toEqual(["2026-12-07", "2026-12-08", "2026-12-09", "2026-12-10", "2026-12-11", "2026-12-14", "2026-12-15", "2026-12-16"]);
    expect(s.lastDay).toBe("2026-12-16");
    expect(s.endsAt.toISOString()).toBe("2026-12-17T00:00:00.000Z");
  });

  it("skips Christmas, Boxing Day's substitute and New Year's Day", () => {
    const s = standstillPeriod(new Date("2026-12-21T16:45:00Z"));
    expect(s.workingDays).toEqual(["2026-12-21", "2026-12-22", "2026-12-23", "2026-12-24", "2026-12-29", "2026-12-30", "2026-12-31", "2027-01-04"]);
    expect(s.endsAt.toISOString()).toBe("2027-01-05T00:00:00.000Z");
    expect(s.bankHolidaysSkipped.map((h) => h.day)).toEqual(["2026-12-25", "2026-12-26", "2026-12-28", "2027-01-01"]);
    expect(bankHolidayOn("2026-12-28")).toBe("Boxing Day (substitute day)");
  });

  it("starts on the next working day when the notice is published at a weekend", () => {
    expect(standstillPeriod(new Date("2026-12-05T09:00:00Z")).workingDays[0]).toBe("2026-12-07");
    expect(standstillPeriod(new Date("2026-12-05T09:00:00Z")).endsAt.toISOString()).toBe("2026-12-17T00:00:00.000Z");
  });

  it("reads the notice's day on the UK clock: 00:30 summer time is the next day's morning", () => {
    // 23:30 UTC on Tuesday 30 June is 00:30 on Wednesday 1 July in the UK.
    const s = standstillPeriod(new Date("2026-06-30T23:30:00Z"));
    expect(s.workingDays[0]).toBe("2026-07-01");
    expect(s.lastDay).toBe("2026-07-10");
    expect(s.endsAt.toISOString()).toBe("2026-07-10T23:00:00.000Z");
  });

  it("ends at UK midnight across the spring clock change", () => {
    const s = standstillPeriod(new Date("2026-03-19T12:00:00Z")); // Thursday, GMT; clocks go forward on 29 March
    expect(s.lastDay).toBe("2026-03-30");
    expect(s.endsAt.toISOString()).toBe("2026-03-30T23:00:00.000Z");
  });

  it("ends at UK midnight across the autumn clock change", () => {
    const s = standstillPeriod(new Date("2026-10-20T08:00:00Z")); // Tuesday, summer time; clocks go back on 25 October
    expect(s.lastDay).toBe("2026-10-29");
    expect(s.endsAt.toISOString()).toBe("2026-10-30T00:00:00.000Z");
  });

  it("skips Good Friday and Easter Monday when Easter and the clock change fall together (2027)", () => {
    const s = standstillPeriod(new Date("2027-03-24T11:00:00Z"));
    expect(s.bankHolidaysSkipped).toEqual([
      { day: "2027-03-26", name: "Good Friday" },
      { day: "2027-03-29", name: "Easter Monday" },
    ]);
    expect(s.workingDays).toEqual(["2027-03-24", "2027-03-25", "2027-03-30", "2027-03-31", "2027-04-01", "2027-04-02", "2027-04-05", "2027-04-06"]);
    expect(s.endsAt.toISOString()).toBe("2027-04-06T23:00:00.000Z");
  });

  it("does not count observances such as Mother's Day or weekends as working days", () => {
    expect(isWorkingDay("2026-03-15")).toBe(false); // a Sunday (Mother's Day)
    expect(bankHolidayOn("2026-03-15")).toBeNull();
    expect(isWorkingDay("2026-08-31")).toBe(false); // Summer bank holiday
    expect(isWorkingDay("2026-09-01")).toBe(true);
  });

  it("refuses a standstill of no working days", () => {
    expect(() => standstillPeriod(new Date(), 0)).toThrow(RangeError);
  });
});

describe("contract details notice", () => {
  it("is due 30 days after the contract is entered into, 120 under the light-touch regime", () => {
    expect(contractDetailsNoticeDueOn("2026-12-01", false)).toBe("2026-12-31");
    expect(contractDetailsNoticeDueOn("2026-12-01", true)).toBe("2027-03-31");
    expect(() => contractDetailsNoticeDueOn("1 December", false)).toThrow(RangeError);
  });
});
