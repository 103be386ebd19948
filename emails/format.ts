// Small wording helpers shared by the email templates. Times are always
// given in UK time, whatever zone the server runs in, because that is the
// clock the people reading the email live by.

const ukParts = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  weekday: "long",
  day: "numeric",
  month: "long",
  year: "numeric",
  hour: "numeric",
  minute: "2-digit",
  hourCycle: "h23",
});

/**
 * "5:30pm on Tuesday 1 December 2026", in the GOV.UK style ("5pm", "midday").
 * Seconds are dropped, so an expiry reads a little early rather than late.
 */
export function formatUkDateTime(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError("formatUkDateTime was given an invalid date");
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of ukParts.formatToParts(date)) parts[part.type] = part.value;
  const hour = Number(parts.hour);
  const minute = Number(parts.minute);
  return `${clockTime(hour, minute)} on ${parts.weekday} ${parts.day} ${parts.month} ${parts.year}`;
}

function clockTime(hour: number, minute: number): string {
  // "midnight on Tuesday" leaves people unsure which end of Tuesday is meant,
  // so only midday gets a word.
  if (hour === 12 && minute === 0) return "midday";
  const suffix = hour < 12 ? "am" : "pm";
  const twelveHour = hour % 12 === 0 ? 12 : hour % 12;
  return minute === 0 ? `${twelveHour}${suffix}` : `${twelveHour}:${String(minute).padStart(2, "0")}${suffix}`;
}

/** "A", "A and B", "A, B and C" (no Oxford comma, as GOV.UK writes). */
export function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/**
 * A name typed by a person can hold line breaks; in the plain-text version
 * they would start what looks like a new paragraph of ours.
 */
export function oneLine(value: string): string {
  return value.replace(/\s+/g, " ").trim();
}

/**
 * Links in an email are followed from a mail client, so they must be absolute
 * web addresses; anything else (a relative path, `javascript:`) is a bug in
 * the caller and is refused before the email is queued.
 */
export function webLink(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`An email link must be an absolute web address, not "${url}"`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new TypeError(`An email link must start with https:// or http://, not "${parsed.protocol}"`);
  }
  return parsed.href;
}
