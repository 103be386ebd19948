// The tender forms' fields (new draft, edit, amend): what a person typed,
// checked box by box before the tendering module sees it, so every wrong
// box is named at once and what was typed comes back unchanged. Times are
// UK wall-clock: a date input plus a time box, joined into "YYYY-MM-DDTHH:MM"
// for the module's timeline (app/modules/tendering/timeline.ts).
import type { Tender } from "#app/database/schema";
import { parseDateInput, typedDateFromIso, type DatePart } from "#app/modules/common/date-input";
import { ActionRefused } from "#app/modules/errors";
import { fieldInWords, isTenderProcedure, PROCEDURES, TENDER_FIELD_LABELS, type TenderDetails, type TenderView } from "#app/modules/tendering/tenders";
import { ukTimeToUtc, utcToUkTime } from "#app/modules/tendering/timeline";


export const FIELD_LABELS: Record<DateTimeField | DateField, string> = {
  publicationAt: "Publication date",
  clarificationDeadlineAt: "Clarification deadline",
  participationDeadlineAt: "Participation deadline",
  submissionDeadlineAt: "Submission deadline",
  intendedAwardOn: "Intended award date",
  intendedContractStartOn: "Intended contract start",
  schemeStartOn: "Scheme start date",
  nextReopeningDueOn: "Next re-opening due",
};

import { DATE_FIELDS, DATE_TIME_FIELDS, type DateField, type DateTimeField, type TypedValues } from "./fields";

export { DATE_FIELDS, DATE_TIME_FIELDS, type DateField, type DateTimeField, type TypedValues };

export interface FormProblems {
  errors: Record<string, string>;
  /** The box each error's link goes to, where it is not the field's own id. */
  targets: Record<string, string>;
  /** Date boxes to highlight, by field. */
  parts: Record<string, DatePart[]>;
}

export const noProblems = (): FormProblems => ({ errors: {}, targets: {}, parts: {} });

/** A module refusal added to the form's problems, beside the field it names. */
export function addRefusal(problems: FormProblems, error: ActionRefused): void {
  problems.errors[error.field ?? "form"] ??= error.message;
}

const TWENTY_FOUR_HOUR = /^(\d{1,2})[:.](\d{2})$/;
const TWELVE_HOUR = /^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)$/;

/** "17:00", "9.30", "5pm", "5:30pm", "midday", "midnight" as "HH:MM"; null when it is none of them. */
export function parseTimeOfDay(text: string): string | null {
  const t = text.trim().toLowerCase().replace(/\s+/g, " ");
  if (t === "midday" || t === "noon" || t === "12 noon") return "12:00";
  if (t === "midnight") return "00:00";
  let hour: number;
  let minute: number;
  const h24 = TWENTY_FOUR_HOUR.exec(t);
  const h12 = TWELVE_HOUR.exec(t);
  if (h24) {
    hour = Number(h24[1]);
    minute = Number(h24[2]);
  } else if (h12) {
    hour = Number(h12[1]);
    minute = Number(h12[2] ?? 0);
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (h12[3] === "pm" ? 12 : 0);
  } else {
    return null;
  }
  if (hour > 23 || minute > 59) return null;
  return `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
}

function typedDate(values: TypedValues, field: string) {
  return { day: values[`${field}-day`] ?? "", month: values[`${field}-month`] ?? "", year: values[`${field}-year`] ?? "" };
}

/** A day field: 'YYYY-MM-DD', null when left empty, undefined after recording a problem. */
export function readDay(values: TypedValues, field: DateField | "proposed", label: string, problems: FormProblems): string | null | undefined {
  const result = parseDateInput(typedDate(values, field), label);
  if (result.kind === "empty") return null;
  if (result.kind === "date") return result.iso;
  problems.errors[field] = result.message;
  problems.parts[field] = result.parts;
  problems.targets[field] = `${field}-${result.parts[0] ?? "day"}`;
  return undefined;
}

/** A date and time field: "YYYY-MM-DDTHH:MM" UK time, null when all empty, undefined after recording a problem. */
export function readDateTime(values: TypedValues, field: DateTimeField, problems: FormProblems): string | null | undefined {
  const label = FIELD_LABELS[field];
  const timeText = (values[`${field}-time`] ?? "").trim();
  const date = parseDateInput(typedDate(values, field), label);
  if (date.kind === "empty" && timeText === "") return null;
  if (date.kind === "empty") {
    problems.errors[field] = `${label} must include a date as well as a time`;
    return undefined;
  }
  if (date.kind === "problem") {
    problems.errors[field] = date.message;
    problems.parts[field] = date.parts;
    problems.targets[field] = `${field}-${date.parts[0] ?? "day"}`;
    return undefined;
  }
  if (timeText === "") {
    problems.errors[field] = `Enter the time of the ${label.toLowerCase()}, like 17:00 or 5pm`;
    problems.targets[field] = `${field}-time`;
    return undefined;
  }
  const time = parseTimeOfDay(timeText);
  if (!time) {
    problems.errors[field] = `The time of the ${label.toLowerCase()} must be a real time, like 17:00 or 5pm`;
    problems.targets[field] = `${field}-time`;
    return undefined;
  }
  const value = `${date.iso}T${time}`;
  try {
    ukTimeToUtc(value, field, label);
  } catch (error) {
    if (!(error instanceof ActionRefused)) throw error;
    problems.errors[field] = error.message;
    problems.targets[field] = `${field}-time`;
    return undefined;
  }
  return value;
}

/** The draft's details from the edit form, or the problems with what was typed. */
export function readTenderDetails(values: TypedValues, problems: FormProblems): TenderDetails {
  const procedure = values.procedure ?? "";
  if (!isTenderProcedure(procedure)) problems.errors.procedure = "Select the procedure";
  const lightTouch = values.lightTouch === "yes" ? true : values.lightTouch === "no" ? false : undefined;
  if (lightTouch === undefined) problems.errors.lightTouch = "Select whether the light-touch regime applies";
  const details: TenderDetails = {
    title: values.title ?? "",
    summary: values.summary ?? "",
    procedure: procedure as TenderDetails["procedure"],
    lightTouch: lightTouch ?? false,
    legalBasis: values.legalBasis ?? "",
  };
  // A basis left as another procedure's usual one follows the procedure chosen now.
  if (Object.values(PROCEDURES).some((p) => p.legalBasis === details.legalBasis?.trim())) details.legalBasis = "";
  if ((values.title ?? "").trim() === "") problems.errors.title = "Enter the title";
  for (const field of DATE_TIME_FIELDS) {
    if (!(field in values) && !(`${field}-day` in values)) continue;
    const value = readDateTime(values, field, problems);
    if (value !== undefined) details[field] = value;
  }
  for (const field of DATE_FIELDS) {
    if (!(`${field}-day` in values)) continue;
    const value = readDay(values, field, FIELD_LABELS[field], problems);
    if (value !== undefined) details[field] = value;
  }
  // Competitive flexible only; a draft switched to another procedure drops its participation stage.
  details.participationStage = procedure === "competitive_flexible" && values.participationStage === "yes";
  if (!details.participationStage && (procedure !== "competitive_flexible" || values.participationStage !== "no")) details.participationDeadlineAt = null;
  if (procedure === "open_framework") {
    details.reopensTenderId = values.reopensTenderId || null;
  } else {
    // Fields of an open framework only: a draft switched to another procedure drops them.
    details.schemeStartOn = null;
    details.nextReopeningDueOn = null;
    details.reopensTenderId = null;
  }
  return details;
}

/** The boxes of a date and time field, filled from an instant. */
export function dateTimeBoxes(field: string, at: Date | null): TypedValues {
  if (!at) return { [`${field}-day`]: "", [`${field}-month`]: "", [`${field}-year`]: "", [`${field}-time`]: "" };
  const uk = utcToUkTime(at);
  return { ...dayBoxes(field, uk.slice(0, 10)), [`${field}-time`]: uk.slice(11) };
}

export function dayBoxes(field: string, isoDay: string | null): TypedValues {
  const typed = isoDay ? typedDateFromIso(isoDay) : { day: "", month: "", year: "" };
  return { [`${field}-day`]: typed.day, [`${field}-month`]: typed.month, [`${field}-year`]: typed.year };
}

/** The edit form's boxes as the tender now stands. */
export function boxesFromTender(tender: Tender): TypedValues {
  return {
    title: tender.title,
    summary: tender.summary,
    procedure: tender.procedure,
    lightTouch: tender.light_touch ? "yes" : "no",
    legalBasis: tender.legal_basis,
    reopensTenderId: tender.reopens_tender_id ?? "",
    participationStage: tender.participation_stage ? "yes" : "no",
    ...dateTimeBoxes("publicationAt", tender.publication_at),
    ...dateTimeBoxes("clarificationDeadlineAt", tender.clarification_deadline_at),
    ...dateTimeBoxes("participationDeadlineAt", tender.participation_deadline_at),
    ...dateTimeBoxes("submissionDeadlineAt", tender.submission_deadline_at),
    ...dayBoxes("intendedAwardOn", tender.intended_award_on),
    ...dayBoxes("intendedContractStartOn", tender.intended_contract_start_on),
    ...dayBoxes("schemeStartOn", tender.scheme_start_on),
    ...dayBoxes("nextReopeningDueOn", tender.next_reopening_due_on),
  };
}

const TEXT_FIELDS = [
  ["title", "title"],
  ["summary", "summary"],
  ["procedure", "procedure"],
  ["lightTouch", "light_touch"],
  ["legalBasis", "legal_basis"],
  ["reopensTenderId", "reopens_tender_id"],
  ["participationStage", "participation_stage"],
] as const;

const DATE_COLUMNS = {
  publicationAt: "publication_at",
  clarificationDeadlineAt: "clarification_deadline_at",
  participationDeadlineAt: "participation_deadline_at",
  submissionDeadlineAt: "submission_deadline_at",
  intendedAwardOn: "intended_award_on",
  intendedContractStartOn: "intended_contract_start_on",
  schemeStartOn: "scheme_start_on",
  nextReopeningDueOn: "next_reopening_due_on",
} as const;

function typedWords(field: string, values: TypedValues): string {
  const v = (k: string) => (values[k] ?? "").trim();
  if (field === "procedure") return isTenderProcedure(v(field)) ? PROCEDURES[v(field) as keyof typeof PROCEDURES].label : "Not chosen";
  if (field === "lightTouch") return v(field) === "yes" ? "Applies" : v(field) === "no" ? "Does not apply" : "Not chosen";
  if (field === "participationStage") return v(field) === "yes" ? "Conditions of participation first, then bids" : "None";
  if (field in DATE_COLUMNS) {
    const date = [v(`${field}-day`), v(`${field}-month`), v(`${field}-year`)].filter(Boolean).join(" ");
    const time = v(`${field}-time`);
    return [date, time].filter(Boolean).join(" at ") || "Nothing";
  }
  return v(field) || "Nothing";
}

/**
 * After a stale save: each field where what is saved now differs from what
 * the person typed, both in words, so they can see the other person's change
 * beside their own before saving again.
 */
export function staleComparison(
  latest: TenderView,
  values: TypedValues,
  lotIds: string[],
  agreementLots: { id: string; number: number }[],
): { label: string; saved: string; typed: string }[] {
  const saved = boxesFromTender(latest.tender);
  const rows: { label: string; saved: string; typed: string }[] = [];
  const differs = (keys: string[]) => keys.some((k) => (saved[k] ?? "").trim() !== (values[k] ?? "").trim());
  for (const [field, column] of TEXT_FIELDS) {
    if (!(field in values) || !differs([field])) continue;
    rows.push({ label: TENDER_FIELD_LABELS[column], saved: fieldInWords(column, latest.tender[column]), typed: typedWords(field, values) });
  }
  for (const [field, column] of Object.entries(DATE_COLUMNS)) {
    const boxes = Object.keys(saved).filter((k) => k.startsWith(`${field}-`));
    if (!(`${field}-day` in values) || !differs(boxes)) continue;
    rows.push({ label: TENDER_FIELD_LABELS[column], saved: fieldInWords(column, latest.tender[column]), typed: typedWords(field, values) });
  }
  const savedLots = latest.lots.map((l) => l.id).sort();
  if (savedLots.join() !== [...lotIds].sort().join()) {
    const names = (ids: string[]) => agreementLots.filter((l) => ids.includes(l.id)).map((l) => `Lot ${l.number}`).join(", ") || "None";
    rows.push({ label: "Lots on offer", saved: names(savedLots), typed: names(lotIds) });
  }
  return rows;
}
