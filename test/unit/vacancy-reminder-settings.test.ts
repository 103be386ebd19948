import { describe, expect, it } from "vitest";
import { loadConfig } from "#app/server/config";

describe("vacancy reminder settings", () => {
  it("remind a provider at most weekly unless VACANCY_REMINDER_DAYS says otherwise", () => {
    expect(loadConfig({ NODE_ENV: "test" }).vacancyReminderDays).toBe(7);
    expect(loadConfig({ NODE_ENV: "test", VACANCY_REMINDER_DAYS: "14" }).vacancyReminderDays).toBe(14);
  });

  it("refuse at start a number of days that is not a whole number, 1 or more", () => {
    for (const bad of ["0", "2.5", "weekly", "-7"]) {
      expect(() => loadConfig({ NODE_ENV: "test", VACANCY_REMINDER_DAYS: bad })).toThrow(`VACANCY_REMINDER_DAYS must be a whole number of days, 1 or more, not "${bad}"`);
    }
  });
});
