import { describe, expect, it } from "vitest";
import { ActionRefused } from "#app/modules/errors";
import { addYearsToDay, deadlineSevenDaysOut, reopeningRule, ukTimeToUtc, utcToUkTime } from "#app/modules/tendering/timeline";

const toUtc = (value: string) => ukTimeToUtc(value, "submissionDeadlineAt", "Submission deadline").toISOString();

describe("UK times in and out of a tender's timeline", () => {
  it("reads a winter time as GMT and a summer time as British Summer Time", () => {
    expect(toUtc("2027-01-15T17:00")).toBe("2027-01-15T17:00:00.000Z");
    expect(toUtc("2027-07-15T17:00")).toBe("2027-07-15T16:00:00.000Z");
  });

  it("gives back the time the officer typed, either side of both clock changes", () => {
    for (const typed of ["2027-03-27T23:30", "2027-03-28T00:59", "2027-03-28T02:00", "2027-10-30T23:59", "2027-10-31T00:30", "2027-10-31T02:00", "2027-10-31T12:00"]) {
      expect(utcToUkTime(ukTimeToUtc(typed, "f", "F"))).toBe(typed);
    }
  });

  it("refuses a time the spring clock change skips, naming the field, rather than guessing an hour", () => {
    const attempt = () => ukTimeToUtc("2027-03-28T01:30", "submissionDeadlineAt", "Submission deadline");
    expect(attempt).toThrow(ActionRefused);
    expect(attempt).toThrow(/clocks go forward/);
    try {
      attempt();
    } catch (error) {
      expect((error as ActionRefused).field).toBe("submissionDeadlineAt");
    }
  });

  it("takes the first of the two 1:30ams in October (still summer time), and the hour after it is an hour later", () => {
    expect(toUtc("2027-10-31T01:30")).toBe("2027-10-31T00:30:00.000Z");
    expect(toUtc("2027-10-31T02:30")).toBe("2027-10-31T02:30:00.000Z");
  });

  it("refuses dates that do not exist and text that is not a date and time", () => {
    expect(() => toUtc("2027-02-29T12:00")).toThrow(/real date and time/);
    expect(() => toUtc("2027-01-01T24:00")).toThrow(/real date and time/);
    expect(() => toUtc("next Friday")).toThrow(/must be a date and a time/);
  });
});

describe("the open framework re-opening rule", () => {
  it("wants the first re-opening within 3 years of the scheme's start", () => {
    expect(reopeningRule("2027-04-01")).toEqual({ dueBy: "2030-04-01", schemeEndsBy: "2035-04-01" });
  });

  it("then wants one within 5 years of the last re-opening", () => {
    expect(reopeningRule("2027-04-01", ["2029-06-15"]).dueBy).toBe("2034-06-15");
  });

  it("never beyond 8 years from the start: when the next would fall after, the scheme ends first", () => {
    expect(reopeningRule("2027-04-01", ["2029-06-15", "2031-01-10"]).dueBy).toBeNull();
    expect(reopeningRule("2027-04-01", ["2030-04-01"]).dueBy).toBeNull();
    expect(reopeningRule("2027-04-01", ["2030-03-31"]).dueBy).toBe("2035-03-31");
  });

  it("counts from the latest re-opening whatever order they are given in", () => {
    expect(reopeningRule("2027-04-01", ["2029-06-15", "2028-01-01"]).dueBy).toBe("2034-06-15");
  });

  it("keeps a scheme that started on 29 February inside its years", () => {
    expect(addYearsToDay("2028-02-29", 3)).toBe("2031-02-28");
    expect(reopeningRule("2028-02-29")).toEqual({ dueBy: "2031-02-28", schemeEndsBy: "2036-02-29" });
  });
});

describe("the deadline an amendment proposes", () => {
  it("is at least 7 days away, at the deadline's usual UK time of day", () => {
    const now = new Date("2027-06-10T09:15:00Z");
    const deadline = new Date("2027-06-14T11:00:00Z"); // midday BST
    const proposed = deadlineSevenDaysOut(now, deadline);
    expect(proposed.getTime()).toBeGreaterThanOrEqual(now.getTime() + 7 * 86_400_000);
    expect(utcToUkTime(proposed)).toBe("2027-06-17T12:00");
  });

  it("moves to the next day when that time has passed on the seventh day, and keeps UK time over the clock change", () => {
    const now = new Date("2027-10-25T14:00:00Z"); // 3pm BST; the clocks go back on 31 October
    const deadline = new Date("2027-10-27T11:00:00Z"); // midday BST
    expect(utcToUkTime(deadlineSevenDaysOut(now, deadline))).toBe("2027-11-02T12:00");
    const beforeChange = new Date("2027-10-24T08:00:00Z"); // 9am BST
    expect(utcToUkTime(deadlineSevenDaysOut(beforeChange, new Date("2027-10-26T11:00:00Z")))).toBe("2027-10-31T12:00");
  });
});
