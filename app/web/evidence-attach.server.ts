// What EvidenceAttach shows beside a question (a bid's, or a condition of an
// application or request to participate): the attached files in words, and
// the provider's current library documents not yet attached, each saying
// whether it can be attached before the deadline it must last to.
import { longDate, ukDate } from "#app/modules/common/input";
import { listEvidence } from "#app/modules/evidence/evidence";
import { bidFileLimitsFromEnv, evidenceExpiryProblem } from "#app/modules/tendering/bids";
import { attachedFileLabel, type AttachedEvidence } from "#app/modules/tendering/bids-text";
import type { Reader } from "#app/database/schema";

export async function evidenceChoices(
  db: Reader,
  input: {
    organisationId: string;
    files: { attachmentId: string; fileId: string; fileName: string; sizeBytes: number; evidence: AttachedEvidence | null; evidenceDocumentId?: string | null }[];
    /** The deadline a library document must still be valid on; null for none beyond not having expired. */
    deadline: Date | null;
    /** Whether the question takes library documents (a bid's pass/fail questions); without, the library is not read. */
    library?: boolean;
  },
) {
  const library = input.library === false ? [] : await listEvidence(db, input.organisationId, new Date());
  const attachedDocuments = new Set(input.files.map((f) => f.evidenceDocumentId ?? f.evidence?.id).filter(Boolean));
  return {
    files: input.files.map((f) => ({ attachmentId: f.attachmentId, fileId: f.fileId, fileName: attachedFileLabel(f), size: `${Math.max(1, Math.round(f.sizeBytes / 1024))}KB` })),
    deadlineDay: input.deadline ? longDate(ukDate(input.deadline)) : null,
    library: library
      .filter((d) => !attachedDocuments.has(d.id))
      .map((d) => ({
        id: d.id,
        label: d.title === d.kindLabel ? d.title : `${d.title} (${d.kindLabel.toLowerCase()})`,
        hint:
          d.status === "expired"
            ? `Expired on ${longDate(d.expiresOn!)}: cannot be attached`
            : evidenceExpiryProblem(d, input.deadline)
              ? `Expires on ${longDate(d.expiresOn!)}, before the deadline: cannot be attached`
              : d.expiresOn
                ? `Valid until ${longDate(d.expiresOn)}`
                : "No expiry date",
      })),
    maxFileMb: Math.round(bidFileLimitsFromEnv(process.env).maxFileBytes / 1024 / 1024),
  };
}
