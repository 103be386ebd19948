// Dates and money as UK readers expect them: Europe/London time, pounds.
const dateTime = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  day: "numeric",
  month: "long",
  year: "numeric",
  hour: "numeric",
  minute: "2-digit",
  // "h12", not hour12: true, which Node's ICU reads as 0–11 ("0:15pm" at noon) while browsers show "12:15pm".
  hourCycle: "h12",
});
const dateOnly = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", day: "numeric", month: "long", year: "numeric" });
const timeOnly = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", hour: "numeric", minute: "2-digit", hourCycle: "h12" });

export function ukDateTime(value: Date | string): string {
  return dateTime.format(new Date(value)).replace(" am", "am").replace(" pm", "pm").replace(" at ", ", ");
}

export function ukTime(value: Date | string): string {
  return timeOnly.format(new Date(value)).replace(" am", "am").replace(" pm", "pm");
}

/** A 'YYYY-MM-DD' date, shown as "1 April 2026". */
export function ukDate(value: string | Date): string {
  const d = typeof value === "string" ? new Date(`${value}T12:00:00Z`) : value;
  return dateOnly.format(d);
}

// Made once: a NumberFormat costs far more to build than to use.
const poundsAndPence = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP", minimumFractionDigits: 2, maximumFractionDigits: 2 });
const wholePounds = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP", minimumFractionDigits: 0, maximumFractionDigits: 0 });

export function pounds(pence: number, options: { whole?: boolean } = {}): string {
  return (options.whole ? wholePounds : poundsAndPence).format(pence / 100);
}

/** £12.0m style, for large estimated values. */
export function poundsShort(pence: number): string {
  const pounds = pence / 100;
  if (pounds >= 1_000_000) return `£${(pounds / 1_000_000).toFixed(1)}m`;
  if (pounds >= 1_000) return `£${Math.round(pounds / 1_000)}k`;
  return `£${pounds.toFixed(0)}`;
}
