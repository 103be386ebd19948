// Why a questionnaire page cannot be changed: the tender is published (it
// changes by amendment) or cancelled, or this person reads but does not edit.
import type { TenderStatus } from "#app/database/schema";

export function ReadOnlyNotice({ status, canEdit }: { status: TenderStatus; canEdit: boolean }) {
  if (canEdit) return null;
  const text =
    status === "published"
      ? "This tender has been published, so its questionnaire cannot be changed here. Changes go by amendment, from the tender's page, and every interested provider is told of them."
      : status === "cancelled"
        ? "This tender has been cancelled, so its questionnaire cannot be changed."
        : "Only the council's commissioning officers can change this questionnaire.";
  return <div className="govuk-inset-text">{text}</div>;
}
