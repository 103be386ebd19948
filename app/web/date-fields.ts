// A GOV.UK date input read from a submitted form: what was typed (to show
// again), the date, or the message and boxes to highlight.
import { DATE_PARTS, parseDateInput, type DatePart, type TypedDate } from "#app/modules/common/date-input";

export interface DateField {
  typed: TypedDate;
  iso: string | null;
  error?: { message: string; parts: DatePart[] };
}

/** `label` starts messages: "First night must include a month". Empty is an error unless optional. */
export function readDateField(form: FormData, name: string, label: string, options: { optional?: boolean } = {}): DateField {
  const typed = Object.fromEntries(DATE_PARTS.map((part) => [part, String(form.get(`${name}-${part}`) ?? "")])) as TypedDate;
  const result = parseDateInput(typed, label);
  if (result.kind === "date") return { typed, iso: result.iso };
  if (result.kind === "problem") return { typed, iso: null, error: { message: result.message, parts: result.parts } };
  if (options.optional) return { typed, iso: null };
  return { typed, iso: null, error: { message: `Enter the ${label.toLowerCase()}`, parts: [...DATE_PARTS] } };
}

