// Checks and tidies what a person typed before a module stores it: text,
// dates, money, email addresses and ids, each refused with a message that
// names the field. Shared by the modules and the forms in front of them.
import { ActionRefused } from "#app/modules/errors";

/**
 * Bidirectional controls (U+202A-U+202E, U+2066-U+2069) and the marks
 * U+200E/U+200F: invisible, and able to make "Sam Smith\u202Eexe.pdf" read
 * as something else. No name or one-line field needs them.
 */
const BIDI_CONTROLS = /[\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** Text as stored: bidirectional controls taken out, then trimmed. */
export function cleanText(value: string): string {
  return value.replace(BIDI_CONTROLS, "").trim();
}

/**
 * One address the outbox can send to: nothing that could add a recipient or
 * a mail header (no spaces, line breaks, `< > , ;`), with a dot in the domain.
 * The outbox refuses anything else, so forms check with this rule first.
 */
export function isSendableAddress(value: string): boolean {
  return /^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/.test(value);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs: anything else is no record's id (and never reaches SQL). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Trimmed text, refused when empty or too long. `label` reads "Enter the <label>". */
export function requiredText(value: string | null | undefined, field: string, label: string, max = 200): string {
  const text = cleanText(value ?? "");
  if (text === "") throw new ActionRefused(`Enter the ${label}`, field);
  if (text.length > max) throw new ActionRefused(`${capitalise(label)} must be ${max} characters or fewer`, field);
  return text;
}

/** Trimmed text, or null when nothing was typed. */
export function optionalText(value: string | null | undefined, field: string, label: string, max = 200): string | null {
  const text = cleanText(value ?? "");
  if (text === "") return null;
  if (text.length > max) throw new ActionRefused(`${capitalise(label)} must be ${max} characters or fewer`, field);
  return text;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date as 'YYYY-MM-DD'; 2027-02-30 and "1/4/2027" are refused. */
export function isoDate(value: string | null | undefined, field: string, label: string): string {
  const text = (value ?? "").trim();
  if (text === "") throw new ActionRefused(`Enter the ${label}`, field);
  const match = ISO_DATE.exec(text);
  if (match) {
    const [, y, m, d] = match.map(Number) as [number, number, number, number];
    const date = new Date(Date.UTC(y, m - 1, d));
    if (date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d && y >= 1900 && y <= 2200) {
      return text;
    }
  }
  throw new ActionRefused(`${capitalise(label)} must be a real date, like 2027-04-01`, field);
}

// Made once: building a DateTimeFormat costs far more than using one, and some pages call this once a row.
const isoDayInLondon = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit" });

/** Today's date in UK time, as 'YYYY-MM-DD', for "not in the future" checks. */
export function ukDate(at: Date): string {
  return isoDayInLondon.format(at);
}

/** A whole number of pence, zero or more. */
export function wholePence(value: number | null | undefined, field: string, label: string): number {
  if (value === null || value === undefined || Number.isNaN(value)) throw new ActionRefused(`Enter the ${label}`, field);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new ActionRefused(`${capitalise(label)} must be a whole number of pence, zero or more`, field);
  }
  return value;
}

/** True when `error` is PostgreSQL refusing a duplicate in the named unique index or constraint. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as { code?: unknown; constraint?: unknown };
  return e.code === "23505" && e.constraint === constraint;
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const longDay = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", day: "numeric", month: "long", year: "numeric" });

/** "1 April 2027" from '2027-04-01', for summaries people read. */
export function longDate(isoDay: string): string {
  const [y, m, d] = isoDay.split("-").map(Number) as [number, number, number];
  return longDay.format(new Date(Date.UTC(y, m - 1, d)));
}
