// A tender's clock. People type and read UK time (Europe/London, an hour
// ahead in summer); the database keeps UTC. Every conversion goes through
// ukTimeToUtc / utcToUkTime here, so a deadline typed in March or October
// lands on the instant the officer meant. Also the open-framework re-opening
// rule and the day counts the publication checks use.
import { ukDate } from "#app/modules/common/input";
import { ActionRefused } from "#app/modules/errors";

const UK_ZONE = "Europe/London";
const DAY_MS = 86_400_000;

const ukParts = new Intl.DateTimeFormat("en-GB", {
  timeZone: UK_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** "2027-03-28T01:30": a UK date and time as a form gives it (no seconds, no zone). */
export type UkDateTime = string;

const UK_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** The UK wall-clock reading of an instant, "YYYY-MM-DDTHH:MM". */
export function utcToUkTime(instant: Date): UkDateTime {
  if (Number.isNaN(instant.getTime())) throw new RangeError("utcToUkTime was given an invalid date");
  const p: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of ukParts.formatToParts(instant)) p[part.type] = part.value;
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/**
 * The instant a UK wall-clock time names. When the clocks go back (late
 * October) 1:00-1:59am happens twice: the first, British Summer Time, is
 * meant, as people setting a deadline read the clock before it falls back.
 * When they go forward (late March) 1:00-1:59am never happens: refused,
 * naming the field, because any guess would move a deadline by an hour.
 */
export function ukTimeToUtc(value: UkDateTime, field: string, label: string): Date {
  const m = UK_DATE_TIME.exec(value.trim());
  if (!m) throw new ActionRefused(`${label} must be a date and a time`, field);
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  const asIfUtc = Date.UTC(y, mo - 1, d, h, mi);
  const wanted = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}`;
  if (h > 23 || mi > 59 || new Date(asIfUtc).toISOString().slice(0, 16) !== wanted) {
    throw new ActionRefused(`${label} must be a real date and time`, field);
  }
  // The UK is UTC+1 or UTC+0: try summer time first so a doubled hour gets its first instant.
  for (const offsetHours of [1, 0]) {
    const candidate = new Date(asIfUtc - offsetHours * 3_600_000);
    if (utcToUkTime(candidate) === wanted) return candidate;
  }
  throw new ActionRefused(
    `${label} cannot be between 1am and 2am on ${d} ${MONTHS[mo - 1]} ${y}: the clocks go forward then, so that time does not exist in the UK`,
    field,
  );
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** 'YYYY-MM-DD' plus whole years; 29 February becomes 28 February in a year without one. */
export function addYearsToDay(isoDay: string, years: number): string {
  const [y, m, d] = isoDay.split("-").map(Number) as [number, number, number];
  const target = y + years;
  const lastDay = new Date(Date.UTC(target, m, 0)).getUTCDate();
  return `${String(target).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(Math.min(d, lastDay)).padStart(2, "0")}`;
}

export function addDaysToDay(isoDay: string, days: number): string {
  return new Date(Date.parse(`${isoDay}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole calendar days from one UK day to another (negative when `to` is earlier). */
export function daysBetweenDays(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** Elapsed days between two instants, as a fraction (a tendering period of 24 days 23 hours is under 25). */
export function daysBetween(from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / DAY_MS;
}

/** Open frameworks (Procurement Act 2023 s49): re-opened within 3 years, then at least every 5, for 8 years at most. */
export const OPEN_FRAMEWORK = { firstReopeningYears: 3, laterReopeningYears: 5, maximumYears: 8 } as const;

export interface ReopeningRule {
  /** The latest day the next re-opening may be, or null when the scheme must end before another is due. */
  dueBy: string | null;
  /** The scheme may not run beyond this day. */
  schemeEndsBy: string;
}

/**
 * When an open framework must next be re-opened: within 3 years of the
 * scheme's start the first time, then within 5 years of the last re-opening,
 * and never on or after the eighth anniversary (the scheme ends first).
 */
export function reopeningRule(schemeStartOn: string, previousReopenings: readonly string[] = []): ReopeningRule {
  const schemeEndsBy = addYearsToDay(schemeStartOn, OPEN_FRAMEWORK.maximumYears);
  const last = [...previousReopenings].sort().at(-1);
  const due = last
    ? addYearsToDay(last, OPEN_FRAMEWORK.laterReopeningYears)
    : addYearsToDay(schemeStartOn, OPEN_FRAMEWORK.firstReopeningYears);
  return { dueBy: due < schemeEndsBy ? due : null, schemeEndsBy };
}

/**
 * A deadline 7 days from now, at the same UK time of day as the current
 * deadline (or later that day's next occurrence), for an amendment that needs
 * the deadline moved.
 */
export function deadlineSevenDaysOut(now: Date, currentDeadline: Date): Date {
  const earliest = new Date(now.getTime() + 7 * DAY_MS);
  const clock = utcToUkTime(currentDeadline).slice(11);
  let day = ukDate(earliest);
  for (;;) {
    const candidate = ukTimeToUtcOrNull(`${day}T${clock}`);
    if (candidate && candidate.getTime() >= earliest.getTime()) return candidate;
    day = addDaysToDay(day, 1);
  }
}

function ukTimeToUtcOrNull(value: UkDateTime): Date | null {
  try {
    return ukTimeToUtc(value, "", "");
  } catch {
    return null;
  }
}
