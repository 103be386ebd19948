// A tender list item in words, made in the loader so pages show UK time
// whatever the browser's zone, and the tendering module stays on the server.
import type { TenderListItem } from "#app/modules/tendering/tenders";
import { PROCEDURES } from "#app/modules/tendering/tenders";
import { longDate } from "#app/modules/common/input";
import { formatUkDateTime } from "#emails/format";
import { poundsShort } from "#app/web/format";

export interface TenderRow {
  id: string;
  title: string;
  status: TenderListItem["status"];
  open: boolean;
  agreement: string;
  procedure: string;
  dates: { label: string; value: string }[];
  lots: string[];
  value: string;
}

export function tenderRow(t: TenderListItem): TenderRow {
  const dates: TenderRow["dates"] = [];
  if (t.publicationAt) dates.push({ label: t.status === "draft" ? "To be published" : "Published", value: formatUkDateTime(t.publicationAt) });
  if (t.clarificationDeadlineAt) dates.push({ label: "Questions by", value: formatUkDateTime(t.clarificationDeadlineAt) });
  if (t.submissionDeadlineAt) dates.push({ label: t.open || t.status === "draft" ? "Closes" : "Closed", value: formatUkDateTime(t.submissionDeadlineAt) });
  if (t.intendedAwardOn) dates.push({ label: "Award expected", value: longDate(t.intendedAwardOn) });
  if (t.status === "cancelled" && t.cancelledAt) dates.push({ label: "Cancelled", value: formatUkDateTime(t.cancelledAt) });
  return {
    id: t.id,
    title: t.title,
    status: t.status,
    open: t.open,
    agreement: `${t.agreementTitle}, led by ${t.leadCouncilName}`,
    procedure: `${PROCEDURES[t.procedure].label}${t.lightTouch ? " (light-touch regime)" : ""}`,
    dates,
    lots: t.lots.map((l) => `Lot ${l.number}: ${l.title}`),
    value: t.estimatedValuePence === null ? "Not given" : poundsShort(t.estimatedValuePence),
  };
}

