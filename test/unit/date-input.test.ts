import { describe, expect, it } from "vitest";
import { parseDateInput, typedDateFromIso } from "#app/modules/common/date-input";

const date = (day: string, month: string, year: string) => parseDateInput({ day, month, year }, "Date from");

describe("a GOV.UK date input", () => {
  it("is empty when nothing is typed, spaces included", () => {
    expect(date("", " ", "")).toEqual({ kind: "empty" });
  });

  it("reads day, month and year in UK order, with or without leading zeros", () => {
    expect(date("27", "3", "2025")).toEqual({ kind: "date", iso: "2025-03-27" });
    expect(date("07", "03", "2025")).toEqual({ kind: "date", iso: "2025-03-07" });
    expect(date(" 1 ", "12", "2024")).toEqual({ kind: "date", iso: "2024-12-01" });
  });

  it("accepts a month written as a word or its first letters", () => {
    expect(date("27", "March", "2025")).toEqual({ kind: "date", iso: "2025-03-27" });
    expect(date("27", "mar", "2025")).toEqual({ kind: "date", iso: "2025-03-27" });
    expect(date("2", "Sept", "2025")).toEqual({ kind: "date", iso: "2025-09-02" });
  });

  it("names what is missing and highlights just those boxes", () => {
    expect(date("27", "", "2025")).toEqual({ kind: "problem", message: "Date from must include a month", parts: ["month"] });
    expect(date("", "", "2025")).toEqual({ kind: "problem", message: "Date from must include a day and month", parts: ["day", "month"] });
    expect(date("27", "3", "")).toEqual({ kind: "problem", message: "Date from must include a year", parts: ["year"] });
  });

  it("says a date that does not exist must be a real date", () => {
    expect(date("30", "2", "2025")).toEqual({ kind: "problem", message: "Date from must be a real date", parts: ["day"] });
    expect(date("29", "2", "2025")).toMatchObject({ kind: "problem", message: "Date from must be a real date" });
    expect(date("29", "2", "2024")).toEqual({ kind: "date", iso: "2024-02-29" });
    expect(date("1", "13", "2025")).toEqual({ kind: "problem", message: "Date from must be a real date", parts: ["month"] });
    expect(date("0", "1", "2025")).toMatchObject({ kind: "problem", parts: ["day"] });
    expect(date("x", "y", "2025")).toEqual({ kind: "problem", message: "Date from must be a real date", parts: ["day", "month"] });
  });

  it("asks for a four-figure year", () => {
    expect(date("27", "3", "25")).toEqual({ kind: "problem", message: "The year in date from must include 4 numbers, like 2025", parts: ["year"] });
  });

  it("shows a stored date in the boxes without leading zeros", () => {
    expect(typedDateFromIso("2025-03-07")).toEqual({ day: "7", month: "3", year: "2025" });
    expect(typedDateFromIso("not a date")).toEqual({ day: "", month: "", year: "" });
  });
});
