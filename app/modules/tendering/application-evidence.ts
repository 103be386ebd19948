// Evidence for the conditions of participation (decision 040): a dynamic
// market's application or a competitive flexible tender's request to
// participate attaches files to a pass/fail condition, uploaded for it or
// reused from the provider's evidence library, with a bid's rules (bids.ts):
// the same file types and size limits, no expired library document, and a
// document that must last to the deadline the draft is judged on. Removing a
// file marks its row detached; once submitted, the files are frozen with the
// answers (migration 0032's triggers). The officer deciding the application
// reads the files of submitted applications only.
import { sql } from "kysely";
import type { Reader, Trx } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { isUuid } from "#app/modules/common/input";
import { attachableEvidence } from "#app/modules/evidence/evidence";
import { ActionRefused, RecordNotFound } from "#app/modules/errors";
import { cleanFileName, describeFile, readFile, storeFile, type NewFile, type StoredFile } from "#app/modules/files/files";
import type { ActionContext } from "#app/modules/identity/actor";
import { DEFAULT_BID_FILE_LIMITS, evidenceExpiryProblem, type BidFileLimits } from "./bids";
import { editableApplication, touchDraft, type Condition, type EditableDraft } from "./dynamic-markets";
import { editableRequest } from "./participation";

/** Which draft: an application to join a dynamic market, or a request to participate. */
export type ConditionsKind = "market" | "participation";

function editable(trx: Trx, kind: ConditionsKind, tenderId: string, ctx: ActionContext): Promise<EditableDraft> {
  return kind === "market" ? editableApplication(trx, tenderId, ctx) : editableRequest(trx, tenderId, ctx);
}

function evidenceCondition(draft: EditableDraft, questionId: string, field: string): Condition {
  const condition = draft.conditions.find((c) => c.id === questionId);
  if (!condition) throw new RecordNotFound("condition");
  if (condition.kind !== "pass_fail") throw new ActionRefused("This condition is a declaration: it takes no evidence", field);
  return condition;
}

const subjectsOf = (d: EditableDraft, condition: Condition) => [
  { type: "tender", id: d.tender.id },
  { type: "organisation", id: d.actor.organisationId },
  { type: "tender_question", id: condition.id },
];

/**
 * Stores an uploaded file as evidence for a condition: typed by content and
 * size-limited while streaming (the file store), the draft's files together
 * kept under a bid's limit.
 */
export async function attachConditionFile(
  trx: Trx,
  input: { kind: ConditionsKind; tenderId: string; questionId: string; file: NewFile },
  ctx: ActionContext,
  limits: BidFileLimits = DEFAULT_BID_FILE_LIMITS,
): Promise<StoredFile> {
  const field = input.file.field ?? "file";
  const d = await editable(trx, input.kind, input.tenderId, ctx);
  const condition = evidenceCondition(d, input.questionId, field);
  const { total } = await trx
    .selectFrom("market_application_file")
    .innerJoin("stored_file", "stored_file.id", "market_application_file.file_id")
    .select((eb) => eb.fn.coalesce(eb.fn.sum<string>("stored_file.size_bytes"), sql<string>`0`).as("total"))
    .where("market_application_file.application_id", "=", d.draft.id)
    .where("market_application_file.detached_at", "is", null)
    .executeTakeFirstOrThrow();
  const room = limits.maxBidBytes - Number(total);
  if (room <= 0) throw new ActionRefused(`Your files already add up to the limit of ${Math.round(limits.maxBidBytes / 1024 / 1024)}MB: remove one before adding another`, field);
  const file = await storeFile(trx, { ...input.file, ownerOrganisationId: d.actor.organisationId, field }, ctx, { maxBytes: Math.min(limits.maxFileBytes, room) });
  const fileName = cleanFileName(input.file.fileName);
  await trx
    .insertInto("market_application_file")
    .values({ application_id: d.draft.id, tender_id: d.tender.id, question_id: condition.id, file_id: file.id, file_name: fileName, attached_at: ctx.now, attached_by: d.actor.userId })
    .execute();
  await touchDraft(trx, d.draft.id, ctx);
  await recordAuditEvent(trx, ctx, {
    action: d.auditAction,
    summary: `${d.actor.organisationName} attached evidence to condition ${condition.number} of ${d.what}`,
    subjects: [...subjectsOf(d, condition), { type: "file", id: file.id }],
    after: { Condition: condition.number, File: fileName, "File SHA-256": file.sha256 },
  });
  return { ...file, fileName };
}

/**
 * Attaches documents from the organisation's evidence library to a
 * condition instead of uploading them again: each the library's current
 * version, not expired, and valid on the day of the deadline the draft is
 * judged on, if it has one. A document already attached is left as it is.
 */
export async function attachConditionDocuments(
  trx: Trx,
  input: { kind: ConditionsKind; tenderId: string; questionId: string; documentIds: string[] },
  ctx: ActionContext,
): Promise<{ attached: number }> {
  // "documents": beside a condition, "evidence" is the answer's words.
  const field = "documents";
  const d = await editable(trx, input.kind, input.tenderId, ctx);
  const condition = evidenceCondition(d, input.questionId, field);
  if (input.documentIds.length === 0) throw new ActionRefused("Select at least one document from your evidence library", field);
  const documents = await attachableEvidence(trx, { organisationId: d.actor.organisationId, documentIds: input.documentIds, field }, ctx.now);
  for (const doc of documents) {
    const problem = evidenceExpiryProblem(doc, d.validOn);
    if (problem) throw new ActionRefused(problem, field);
  }
  const present = d.draft.files[condition.id] ?? [];
  const added = documents.filter((doc) => !present.some((p) => p.fileId === doc.file.id));
  if (added.length === 0) return { attached: 0 };
  await trx
    .insertInto("market_application_file")
    .values(
      added.map((doc) => ({
        application_id: d.draft.id,
        tender_id: d.tender.id,
        question_id: condition.id,
        file_id: doc.file.id,
        evidence_document_id: doc.id,
        file_name: doc.file.fileName,
        attached_at: ctx.now,
        attached_by: d.actor.userId,
      })),
    )
    .execute();
  await touchDraft(trx, d.draft.id, ctx);
  await recordAuditEvent(trx, ctx, {
    action: d.auditAction,
    summary: `${d.actor.organisationName} attached ${added.length === 1 ? "a document" : `${added.length} documents`} from its evidence library to condition ${condition.number} of ${d.what}`,
    subjects: [...subjectsOf(d, condition), ...added.map((doc) => ({ type: "evidence_document", id: doc.id }))],
    after: { Condition: condition.number, Documents: added.map((doc) => doc.title), "File SHA-256": added.map((doc) => doc.file.sha256) },
  });
  return { attached: added.length };
}

/** Takes a file off the draft: the row (and the stored file) stay, marked detached. */
export async function detachConditionFile(trx: Trx, input: { kind: ConditionsKind; tenderId: string; attachmentId: string }, ctx: ActionContext): Promise<void> {
  const d = await editable(trx, input.kind, input.tenderId, ctx);
  const attached = Object.values(d.draft.files)
    .flat()
    .find((f) => f.attachmentId === input.attachmentId);
  if (!attached) throw new RecordNotFound("attachment");
  const questionId = Object.entries(d.draft.files).find(([, files]) => files.includes(attached))![0];
  const condition = evidenceCondition(d, questionId, "form");
  await trx.updateTable("market_application_file").set({ detached_at: ctx.now, detached_by: d.actor.userId }).where("id", "=", attached.attachmentId).execute();
  await touchDraft(trx, d.draft.id, ctx);
  await recordAuditEvent(trx, ctx, {
    action: d.auditAction,
    summary: `${d.actor.organisationName} removed evidence from condition ${condition.number} of ${d.what}`,
    subjects: [...subjectsOf(d, condition), { type: "file", id: attached.fileId }],
    before: { Condition: condition.number, File: attached.fileName },
  });
}

type Download = { file: StoredFile; bytes: AsyncGenerator<Buffer> };

async function download(db: Reader, fileId: string, fileName: string): Promise<Download | null> {
  const file = await describeFile(db, fileId);
  return file ? { file: { ...file, fileName }, bytes: readFile(db, file) } : null;
}

/** A file the organisation attached to one of its own applications or requests in the tender (a draft's too, detached or not); null for anyone else's. */
export async function ownConditionFile(db: Reader, input: { tenderId: string; fileId: string; organisationId: string }): Promise<Download | null> {
  if (!isUuid(input.tenderId) || !isUuid(input.fileId) || !isUuid(input.organisationId)) return null;
  const row = await db
    .selectFrom("market_application_file")
    .innerJoin("market_application", "market_application.id", "market_application_file.application_id")
    .select("market_application_file.file_name")
    .where("market_application.tender_id", "=", input.tenderId)
    .where("market_application.organisation_id", "=", input.organisationId)
    .where("market_application_file.file_id", "=", input.fileId)
    .orderBy("market_application_file.attached_at", "desc")
    .executeTakeFirst();
  return row ? download(db, input.fileId, row.file_name) : null;
}

/** A file attached to a submitted application or request of the tender, for the officers deciding it; null for a draft's or another tender's. */
export async function submittedConditionFile(db: Reader, input: { tenderId: string; fileId: string }): Promise<Download | null> {
  if (!isUuid(input.tenderId) || !isUuid(input.fileId)) return null;
  const row = await db
    .selectFrom("market_application_file")
    .select("market_application_file.file_name")
    .where("market_application_file.tender_id", "=", input.tenderId)
    .where("market_application_file.file_id", "=", input.fileId)
    .where("market_application_file.detached_at", "is", null)
    .where((eb) =>
      eb.exists(eb.selectFrom("market_application_status").select("market_application_status.id").whereRef("market_application_status.application_id", "=", "market_application_file.application_id")),
    )
    .executeTakeFirst();
  return row ? download(db, input.fileId, row.file_name) : null;
}
