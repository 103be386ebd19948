// The tender as an OCDS 1.1 `tender` object, from the columns as they are
// (decision 013). The release package, parties, lots and later stages are
// roadmap C's export; this shows the model already carries what it needs.
import type { TenderStatus } from "#app/database/schema";
import type { AmendmentView } from "./publication";
import { PROCEDURES, type TenderView } from "./tenders";
import { ukTimeToUtc } from "./timeline";

/** OCDS tenderStatus (closed codelist). A draft is still being planned. */
const OCDS_STATUS: Record<TenderStatus, "planning" | "active" | "cancelled"> = {
  draft: "planning",
  published: "active",
  cancelled: "cancelled",
};

const instant = (value: Date | null) => value?.toISOString();
/** A UK calendar day as the instant it starts in the UK. */
const dayStart = (day: string | null) => (day ? ukTimeToUtc(`${day}T00:00`, "", "").toISOString() : undefined);

export function ocdsTender(view: TenderView, amendments: readonly AmendmentView[]) {
  const t = view.tender;
  const procedure = PROCEDURES[t.procedure];
  return {
    id: t.id,
    title: t.title,
    description: t.summary || undefined,
    status: OCDS_STATUS[t.status],
    procurementMethod: procedure.ocdsMethod,
    procurementMethodDetails: t.light_touch ? `${procedure.label}, under the light-touch regime` : procedure.label,
    procurementMethodRationale: t.legal_basis,
    mainProcurementCategory: "services" as const,
    submissionMethod: ["electronicSubmission"],
    tenderPeriod: { startDate: instant(t.publication_at), endDate: instant(t.submission_deadline_at) },
    enquiryPeriod: { startDate: instant(t.publication_at), endDate: instant(t.clarification_deadline_at) },
    awardPeriod: { startDate: dayStart(t.intended_award_on) },
    contractPeriod: { startDate: dayStart(t.intended_contract_start_on) },
    amendments: amendments.map((a) => ({
      id: String(a.number),
      date: a.amendedAt.toISOString(),
      rationale: a.reason,
      description: a.changes.map((c) => `${c.label}: ${String(c.after)}`).join("; "),
    })),
  };
}
