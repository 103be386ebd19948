// What a person typed in a GOV.UK date input (day, month and year boxes),
// checked and turned into a calendar date, or into the message the design
// system asks for, naming the boxes to highlight. What was typed is kept, so
// a wrong date comes back as the person typed it.

export const DATE_PARTS = ["day", "month", "year"] as const;
export type DatePart = (typeof DATE_PARTS)[number];

export type TypedDate = Record<DatePart, string>;

export const EMPTY_DATE: TypedDate = { day: "", month: "", year: "" };

export type DateInputResult =
  | { kind: "empty" }
  | { kind: "date"; iso: string }
  /** `parts` are the boxes to highlight; the first is where the error summary links. */
  | { kind: "problem"; message: string; parts: DatePart[] };

const MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

/** 3, "03", "mar", "March" and "Sept" are all March; anything else is not a month. */
function monthNumber(text: string): number | null {
  if (/^\d{1,2}$/.test(text)) return Number(text);
  const word = text.toLowerCase();
  if (word.length < 3) return null;
  const index = MONTH_NAMES.findIndex((name) => name.startsWith(word) || (word === "sept" && name === "september"));
  return index === -1 ? null : index + 1;
}

function listParts(parts: DatePart[]): string {
  return parts.length === 1 ? `a ${parts[0]}` : `a ${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}

/**
 * Checks one date input. `label` starts the message as the design system
 * does: "Date from must include a month". Nothing typed at all is "empty",
 * for the caller to decide whether that is allowed.
 */
export function parseDateInput(typed: Partial<TypedDate>, label: string): DateInputResult {
  const text: TypedDate = {
    day: (typed.day ?? "").trim(),
    month: (typed.month ?? "").trim(),
    year: (typed.year ?? "").trim(),
  };
  const missing = DATE_PARTS.filter((part) => text[part] === "");
  if (missing.length === 3) return { kind: "empty" };
  if (missing.length > 0) return { kind: "problem", message: `${label} must include ${listParts(missing)}`, parts: missing };
  const wrongNumbers = DATE_PARTS.filter((part) => (part === "month" ? monthNumber(text.month) === null : !/^\d+$/.test(text[part])));
  if (wrongNumbers.length > 0) {
    return { kind: "problem", message: `${label} must be a real date`, parts: wrongNumbers };
  }
  if (!/^\d{4}$/.test(text.year)) {
    return { kind: "problem", message: `The year in ${lowerFirst(label)} must include 4 numbers, like 2025`, parts: ["year"] };
  }
  const year = Number(text.year);
  const month = monthNumber(text.month)!;
  const day = Number(text.day);
  if (month < 1 || month > 12) return { kind: "problem", message: `${label} must be a real date`, parts: ["month"] };
  const date = new Date(Date.UTC(year, month - 1, day));
  if (year < 1000 || day < 1 || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return { kind: "problem", message: `${label} must be a real date`, parts: year < 1000 ? ["year"] : ["day"] };
  }
  return { kind: "date", iso: `${text.year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}` };
}

/** The boxes for a date held as 'YYYY-MM-DD' (e.g. from a link), without leading zeros. */
export function typedDateFromIso(iso: string): TypedDate {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return { ...EMPTY_DATE };
  return { day: String(Number(match[3])), month: String(Number(match[2])), year: match[1]! };
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
