// Turns a zod result into the errors a GOV.UK form shows: one message per
// field, in the summary and beside the field, with the user's input kept.
import type { z } from "zod";

export type FieldErrors = Record<string, string>;

export function fieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? String(issue.path[0]) : "form";
    if (!errors[key]) errors[key] = issue.message;
  }
  return errors;
}

/** The submitted values, minus secrets, to refill the form after an error. */
export function keptValues(form: FormData, omit: string[] = []): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of form.entries()) {
    if (key === "_csrf" || omit.includes(key) || typeof value !== "string") continue;
    values[key] = value;
  }
  return values;
}

export function formObject(form: FormData, multi: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(form.keys())) {
    if (key === "_csrf") continue;
    out[key] = multi.includes(key) ? form.getAll(key) : form.get(key);
  }
  for (const key of multi) if (!(key in out)) out[key] = [];
  return out;
}
