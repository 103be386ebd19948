// The standstill clock after an award notice (Procurement Act 2023 s51) and
// the contract details notice due date (s53). Days are UK calendar days;
// bank holidays are England and Wales public holidays as the maintained
// `date-holidays` package lists them, never a list kept by hand.
import Holidays from "date-holidays";
import { addDaysToDay, ukTimeToUtc, utcToUkTime } from "#app/modules/tendering/timeline";

/** Working days of standstill the Act requires. */
export const STANDSTILL_WORKING_DAYS = 8;

const englandAndWales = new Holidays("GB", "ENG");
const holidaysByYear = new Map<number, Map<string, string>>();

/** England and Wales bank holidays (public holidays only) of a year: day → name. */
function bankHolidays(year: number): Map<string, string> {
  let days = holidaysByYear.get(year);
  if (!days) {
    days = new Map(
      englandAndWales
        .getHolidays(year)
        .filter((h) => h.type === "public")
        .map((h) => [h.date.slice(0, 10), h.name] as const),
    );
    holidaysByYear.set(year, days);
  }
  return days;
}

/** The bank holiday's name on this UK day ('YYYY-MM-DD'), or null. */
export function bankHolidayOn(isoDay: string): string | null {
  return bankHolidays(Number(isoDay.slice(0, 4))).get(isoDay) ?? null;
}

/** A weekday that is not an England and Wales bank holiday. */
export function isWorkingDay(isoDay: string): boolean {
  const weekday = new Date(`${isoDay}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && bankHolidayOn(isoDay) === null;
}

export interface Standstill {
  /** The UK days that count, first to last. */
  workingDays: string[];
  /** The last UK day of standstill. */
  lastDay: string;
  /** The instant it ends: midnight at the end of the last day, UK time. */
  endsAt: Date;
  /** Weekends and bank holidays inside the period, named, for the notice ("Monday 28 December is Boxing Day (substitute day)"). */
  bankHolidaysSkipped: { day: string; name: string }[];
}

/**
 * The standstill period of `workingDays` working days beginning with the day
 * (UK time) the award notice was published: that day counts when it is a
 * working day, whatever the hour; otherwise the next working day is the
 * first. It ends at midnight UK time at the end of the last working day.
 */
export function standstillPeriod(noticePublishedAt: Date, workingDays = STANDSTILL_WORKING_DAYS): Standstill {
  if (!Number.isInteger(workingDays) || workingDays < 1) throw new RangeError("A standstill lasts a whole number of working days, at least one");
  let day = utcToUkTime(noticePublishedAt).slice(0, 10);
  const counted: string[] = [];
  const skipped: { day: string; name: string }[] = [];
  while (counted.length < workingDays) {
    if (isWorkingDay(day)) counted.push(day);
    else {
      const name = bankHolidayOn(day);
      if (name) skipped.push({ day, name });
    }
    day = addDaysToDay(day, 1);
  }
  const lastDay = counted[counted.length - 1]!;
  // Midnight always exists, once, in UK time: the clocks change at 1am.
  const endsAt = ukTimeToUtc(`${addDaysToDay(lastDay, 1)}T00:00`, "standstill", "The end of standstill");
  return { workingDays: counted, lastDay, endsAt, bankHolidaysSkipped: skipped };
}

/** Days after entering into a contract within which its details notice is due (s53): 30, or 120 under the light-touch regime. */
export function contractDetailsNoticeDays(lightTouch: boolean): number {
  return lightTouch ? 120 : 30;
}

/** The last UK day the contract details notice may be published for a contract entered into on `enteredIntoOn`. */
export function contractDetailsNoticeDueOn(enteredIntoOn: string, lightTouch: boolean): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(enteredIntoOn)) throw new RangeError("The day the contract was entered into is a date, YYYY-MM-DD");
  return addDaysToDay(enteredIntoOn, contractDetailsNoticeDays(lightTouch));
}
