// Turns a module's refusal into form errors; anything else is a real failure.
import { ActionRefused, ConcurrentEditError } from "#app/modules/errors";
import type { FieldErrors } from "./forms";

export function refusalErrors(error: unknown): FieldErrors | null {
  if (error instanceof ActionRefused) return { [error.field ?? "form"]: error.message };
  if (error instanceof ConcurrentEditError) return { form: error.message };
  return null;
}
