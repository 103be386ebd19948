// Turns a zod result into the errors a GOV.UK form shows: one message per
// field, in the summary and beside the field, with the user's input kept.
// Also the fields several forms share.
import { z } from "zod";
import { isSendableAddress } from "#app/modules/common/input";

/** An email address field, checked with the rule the outbox sends by, so a form never accepts what email then refuses. */
export function emailAddressField(missing: string) {
  return z
    .string()
    .trim()
    .min(1, missing)
    .max(320, "Email address must be 320 characters or fewer")
    .refine(isSendableAddress, "Enter an email address in the correct format, like name@example.com");
}

export type FieldErrors = Record<string, string>;

export function fieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? String(issue.path[0]) : "form";
    if (!errors[key]) errors[key] = issue.message;
  }
  return errors;
}

/**
 * A form's text values by field name, read once. FormData finds a field by
 * going through every entry, so a form of hundreds of fields read field by
 * field (a provider's 30 homes on the vacancies page) costs hundreds of
 * passes; this is one.
 */
export function formFields(form: FormData): { text: (name: string) => string; all: (name: string) => string[]; has: (name: string) => boolean } {
  const values = new Map<string, string[]>();
  for (const [key, value] of form.entries()) {
    if (typeof value !== "string") continue;
    const list = values.get(key);
    if (list) list.push(value);
    else values.set(key, [value]);
  }
  return {
    text: (name) => (values.get(name)?.[0] ?? "").trim(),
    all: (name) => values.get(name) ?? [],
    has: (name) => values.has(name),
  };
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
