// The tender forms' date and time boxes (UK time), and the tender's status
// as a tag: shared by the new, edit and amend pages.
import type { ReactNode } from "react";
import { DateInput, Radios, Tag, TextInput } from "#app/components/govuk";
import type { DatePart } from "#app/modules/common/date-input";

/** The instants: a date and a time of day, UK time. */
export const DATE_TIME_FIELDS = ["publicationAt", "clarificationDeadlineAt", "participationDeadlineAt", "submissionDeadlineAt"] as const;
/** The days. */
export const DATE_FIELDS = ["intendedAwardOn", "intendedContractStartOn", "schemeStartOn", "nextReopeningDueOn"] as const;

export type DateTimeField = (typeof DATE_TIME_FIELDS)[number];
export type DateField = (typeof DATE_FIELDS)[number];

/** What the form's boxes hold, by box name ("publicationAt-day", "title", ...); lots separately. */
export type TypedValues = Record<string, string>;


interface Problems {
  errors?: Record<string, string | undefined>;
  targets?: Record<string, string>;
  parts?: Record<string, DatePart[]>;
}

/** Where an error summary link goes: a date's first wrong box, or the field itself. */
export function problemHref(problems: { targets?: Record<string, string> }, key: string): string {
  if (problems.targets?.[key]) return `#${problems.targets?.[key]}`;
  if ((DATE_TIME_FIELDS as readonly string[]).includes(key) || (DATE_FIELDS as readonly string[]).includes(key)) return `#${key}-day`;
  return `#${key}`;
}

function dateValue(values: TypedValues, field: string) {
  return { day: values[`${field}-day`], month: values[`${field}-month`], year: values[`${field}-year`] };
}

/** A GOV.UK date input for a day ("intended award date"). */
export function DayField({ field, legend, hint, values, problems }: { field: string; legend: ReactNode; hint?: ReactNode; values: TypedValues; problems: Problems }) {
  const message = problems.errors?.[field];
  return <DateInput name={field} legend={legend} hint={hint ?? "For example, 27 3 2027"} value={dateValue(values, field)} error={message ? { message, parts: problems.parts?.[field] } : undefined} />;
}

/**
 * A date input and a time box for an instant, both UK time. A problem with
 * the time is shown beside the time box; any other beside the date.
 */
export function DateTimeField({ field, legend, hint, values, problems }: { field: string; legend: string; hint?: ReactNode; values: TypedValues; problems: Problems }) {
  const message = problems.errors?.[field];
  const aboutTime = problems.targets?.[field] === `${field}-time`;
  return (
    <div className="portal-date-time">
      <DateInput
        name={field}
        legend={legend}
        hint={hint ?? "UK time. For example, 27 3 2027"}
        value={dateValue(values, field)}
        error={message && !aboutTime ? { message, parts: problems.parts?.[field] } : undefined}
      />
      <TextInput
        name={`${field}-time`}
        label={`Time of the ${legend.toLowerCase()}`}
        hint="For example, 17:00 or 5pm"
        width="10"
        defaultValue={values[`${field}-time`]}
        error={message && aboutTime ? message : undefined}
        autoComplete="off"
      />
    </div>
  );
}

export function TenderStatusTag({ status, open }: { status: "draft" | "published" | "cancelled"; open: boolean }) {
  if (status === "draft") return <Tag colour="grey">Draft</Tag>;
  if (status === "cancelled") return <Tag colour="red">Cancelled</Tag>;
  return open ? <Tag colour="green">Open for bids</Tag> : <Tag colour="yellow">Closed</Tag>;
}

/** Whether the light-touch regime applies: "yes" or "no". */
export function LightTouchRadios({ checked, error }: { checked?: string; error?: string }) {
  return (
    <Radios
      name="lightTouch"
      legend="Does the light-touch regime apply?"
      hint="It applies to most contracts for social care. Light-touch tenders have no minimum time for bids; for others the portal warns when it is under 25 days."
      options={[
        { value: "yes", label: "Yes" },
        { value: "no", label: "No" },
      ]}
      checked={checked}
      error={error}
      inline
    />
  );
}
