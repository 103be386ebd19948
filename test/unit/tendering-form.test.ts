import { describe, expect, it } from "vitest";
import { noProblems, parseTimeOfDay, readDateTime, readTenderDetails } from "#app/components/tendering/tender-form.server";
import { problemHref } from "#app/components/tendering/fields";
import { PROCEDURES } from "#app/modules/tendering/tenders";

const boxes = (field: string, day: string, month: string, year: string, time: string) => ({
  [`${field}-day`]: day,
  [`${field}-month`]: month,
  [`${field}-year`]: year,
  [`${field}-time`]: time,
});

describe("the tender forms' time box", () => {
  it("reads the times people type, 24-hour or with am and pm", () => {
    expect(parseTimeOfDay("17:00")).toBe("17:00");
    expect(parseTimeOfDay("9.30")).toBe("09:30");
    expect(parseTimeOfDay("5pm")).toBe("17:00");
    expect(parseTimeOfDay("5:30 PM")).toBe("17:30");
    expect(parseTimeOfDay("12am")).toBe("00:00");
    expect(parseTimeOfDay("12pm")).toBe("12:00");
    expect(parseTimeOfDay("midday")).toBe("12:00");
    expect(parseTimeOfDay("midnight")).toBe("00:00");
  });

  it("refuses what is not a time of day", () => {
    for (const wrong of ["25:00", "17:60", "13pm", "0am", "noonish", "1700", ""]) expect(parseTimeOfDay(wrong), wrong).toBeNull();
  });
});

describe("a date and time field", () => {
  it("joins the boxes into a UK wall-clock time, and is empty when nothing is typed", () => {
    const problems = noProblems();
    expect(readDateTime(boxes("submissionDeadlineAt", "1", "3", "2027", "5pm"), "submissionDeadlineAt", problems)).toBe("2027-03-01T17:00");
    expect(readDateTime(boxes("submissionDeadlineAt", "", "", "", ""), "submissionDeadlineAt", problems)).toBeNull();
    expect(problems.errors).toEqual({});
  });

  it("names the box to put right: a missing part of the date, or the time", () => {
    const problems = noProblems();
    expect(readDateTime(boxes("publicationAt", "1", "", "2027", "9:00"), "publicationAt", problems)).toBeUndefined();
    expect(problems.errors.publicationAt).toBe("Publication date must include a month");
    expect(problemHref(problems, "publicationAt")).toBe("#publicationAt-month");

    expect(readDateTime(boxes("submissionDeadlineAt", "1", "3", "2027", ""), "submissionDeadlineAt", problems)).toBeUndefined();
    expect(problems.errors.submissionDeadlineAt).toBe("Enter the time of the submission deadline, like 17:00 or 5pm");
    expect(problemHref(problems, "submissionDeadlineAt")).toBe("#submissionDeadlineAt-time");

    expect(readDateTime(boxes("clarificationDeadlineAt", "", "", "", "5pm"), "clarificationDeadlineAt", problems)).toBeUndefined();
    expect(problems.errors.clarificationDeadlineAt).toBe("Clarification deadline must include a date as well as a time");
  });

  it("refuses a time the spring clock change skips, beside the time box", () => {
    const problems = noProblems();
    expect(readDateTime(boxes("submissionDeadlineAt", "28", "3", "2027", "1:30am"), "submissionDeadlineAt", problems)).toBeUndefined();
    expect(problems.errors.submissionDeadlineAt).toMatch(/the clocks go forward then/);
    expect(problems.targets.submissionDeadlineAt).toBe("submissionDeadlineAt-time");
  });
});

describe("the draft's details from the edit form", () => {
  it("lets a legal basis left as one procedure's usual basis follow a change of procedure, and keeps one the officer wrote", () => {
    const problems = noProblems();
    const switched = readTenderDetails({ title: "T", procedure: "dynamic_market", lightTouch: "yes", legalBasis: PROCEDURES.open.legalBasis }, problems);
    expect(switched.legalBasis).toBe("");
    const own = readTenderDetails({ title: "T", procedure: "open", lightTouch: "no", legalBasis: "Regulation 74" }, problems);
    expect(own).toMatchObject({ legalBasis: "Regulation 74", lightTouch: false, schemeStartOn: null, reopensTenderId: null });
    expect(problems.errors).toEqual({});
  });

  it("names every missing choice at once", () => {
    const problems = noProblems();
    readTenderDetails({ title: " " }, problems);
    expect(Object.keys(problems.errors).sort()).toEqual(["lightTouch", "procedure", "title"]);
  });
});
