// A tender's documents pack: files from the file store, each with a title.
// Officers add and replace documents on a draft freely; on a published tender
// each addition, replacement or withdrawal is an amendment with a reason,
// listed on the tender and emailed to interested providers. Nothing is
// deleted: a replaced or withdrawn document stays listed as such.
import type { Reader, Tender, Trx } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { isUuid, requiredText } from "#app/modules/common/input";
import { ActionRefused, RecordNotFound } from "#app/modules/errors";
import { describeFile, storeFile, type StoredFile } from "#app/modules/files/files";
import type { ActionContext, Actor } from "#app/modules/identity/actor";
import { recordTenderRelease } from "#app/modules/publication/ocds-releases";
import { isInterested } from "./interest";
import { AMENDMENT_NOTICE_DAYS, writeAmendment, type AmendmentChange } from "./publication";
import type { TenderView } from "./tenders";

registerAuditActions({
  "tender.document_added": "Added a document to a tender's pack",
  "tender.document_replaced": "Replaced a document in a tender's pack",
  "tender.document_withdrawn": "Withdrew a document from a tender's pack",
});

export type TenderDocumentStatus = "current" | "replaced" | "withdrawn";

export interface TenderDocumentView {
  id: string;
  title: string;
  status: TenderDocumentStatus;
  file: { id: string; fileName: string; contentType: string; sizeBytes: number; sha256: string };
  addedAt: Date;
  addedBy: string | null;
  /** The title of the document this one replaced. */
  replacesTitle: string | null;
  /** Replaced: the title of its replacement. Withdrawn: the reason. */
  replacedByTitle: string | null;
  withdrawal: { reason: string; at: Date } | null;
}

/** Every document of the tender, current ones first, each group oldest first. */
export async function listTenderDocuments(db: Reader, tenderId: string): Promise<TenderDocumentView[]> {
  if (!isUuid(tenderId)) return [];
  const rows = await db
    .selectFrom("tender_document as d")
    .innerJoin("stored_file as f", "f.id", "d.file_id")
    .leftJoin("app_user as u", "u.id", "d.added_by")
    .leftJoin("tender_document as replaced", "replaced.id", "d.replaces_document_id")
    .leftJoin("tender_document as replacement", "replacement.replaces_document_id", "d.id")
    .leftJoin("tender_document_withdrawal as w", "w.document_id", "d.id")
    .select([
      "d.id",
      "d.title",
      "d.added_at",
      "u.full_name",
      "f.id as file_id",
      "f.file_name",
      "f.content_type",
      "f.size_bytes",
      "f.sha256",
      "replaced.title as replaces_title",
      "replacement.title as replaced_by_title",
      "w.reason as withdrawal_reason",
      "w.withdrawn_at",
    ])
    .where("d.tender_id", "=", tenderId)
    .orderBy("d.added_at")
    .orderBy("d.id")
    .execute();
  const views = rows.map(
    (r): TenderDocumentView => ({
      id: r.id,
      title: r.title,
      status: r.withdrawn_at ? "withdrawn" : r.replaced_by_title !== null ? "replaced" : "current",
      file: { id: r.file_id, fileName: r.file_name, contentType: r.content_type, sizeBytes: Number(r.size_bytes), sha256: r.sha256 },
      addedAt: r.added_at,
      addedBy: r.full_name,
      replacesTitle: r.replaces_title,
      replacedByTitle: r.replaced_by_title,
      withdrawal: r.withdrawn_at && r.withdrawal_reason ? { reason: r.withdrawal_reason, at: r.withdrawn_at } : null,
    }),
  );
  return [...views.filter((v) => v.status === "current"), ...views.filter((v) => v.status !== "current")];
}

/** One document of the tender with its file, for a download; null when the id is not one of this tender's documents. */
export async function findTenderDocument(db: Reader, tenderId: string, documentId: string): Promise<{ title: string; file: StoredFile } | null> {
  if (!isUuid(tenderId) || !isUuid(documentId)) return null;
  const row = await db.selectFrom("tender_document").select(["title", "file_id"]).where("id", "=", documentId).where("tender_id", "=", tenderId).executeTakeFirst();
  if (!row) return null;
  const file = await describeFile(db, row.file_id);
  return file ? { title: row.title, file } : null;
}

/**
 * The tender, locked so that changes to its pack (and amendment numbers)
 * happen one at a time; refuses a cancelled tender, and a published one past
 * its deadline. Says whether the change is an amendment.
 */
async function lockForPack(trx: Trx, tenderId: string, now: Date): Promise<{ tender: Tender; amendment: boolean }> {
  const tender = isUuid(tenderId) ? await trx.selectFrom("tender").selectAll().where("id", "=", tenderId).forUpdate().executeTakeFirst() : undefined;
  if (!tender) throw new RecordNotFound("tender");
  if (tender.status === "cancelled") throw new ActionRefused("This tender has been cancelled, so its documents can no longer change");
  if (tender.status === "draft") return { tender, amendment: false };
  if (!tender.submission_deadline_at || tender.submission_deadline_at <= now) {
    throw new ActionRefused("The submission deadline has passed, so the documents can no longer change");
  }
  return { tender, amendment: true };
}

/**
 * On a published tender: the amendment recording a change to the pack, and
 * the email to every interested provider. A document does not change what
 * providers must submit, so the deadline may stay where it is.
 */
async function amendForPack(trx: Trx, tender: Tender, reason: string, change: AmendmentChange, ctx: ActionContext, links: { baseUrl: string }) {
  const amendment = await writeAmendment(
    trx,
    { tender, reason, changes: [change], changesSubmission: false, submissionDeadline: tender.submission_deadline_at ?? ctx.now },
    ctx,
    { tenderUrl: `${links.baseUrl}/tenders/${tender.id}/documents` },
  );
  await recordTenderRelease(trx, { tenderId: tender.id, tag: "tenderAmendment", at: ctx.now });
  return amendment;
}

function amendmentReason(amendment: boolean, reason: string | null | undefined): string | null {
  if (!amendment) return null;
  return requiredText(reason, "reason", "reason for changing the documents of a published tender", 2000);
}

export interface NewTenderDocument {
  tenderId: string;
  title: string;
  file: { fileName: string; contents: AsyncIterable<Uint8Array> | Uint8Array };
  /** The current document this one replaces, which stays listed as replaced. */
  replacesDocumentId?: string | null;
  /** Needed once the tender is published: the change is an amendment. */
  reason?: string | null;
}

/**
 * Adds a document to the pack, or replaces one. The file is stored (checked
 * by content, size-limited, SHA-256) in the same transaction as the document,
 * its audit event and, for a published tender, its amendment and emails.
 */
export async function addTenderDocument(
  trx: Trx,
  input: NewTenderDocument,
  ctx: ActionContext,
  links: { baseUrl: string },
  limits: { maxBytes?: number } = {},
): Promise<{ documentId: string; amendmentNumber: number | null }> {
  const { tender, amendment } = await lockForPack(trx, input.tenderId, ctx.now);
  const title = requiredText(input.title, "title", "document title");
  const reason = amendmentReason(amendment, input.reason);
  let replaced: { id: string; title: string } | null = null;
  if (input.replacesDocumentId) {
    const current = (await listTenderDocuments(trx, tender.id)).find((d) => d.id === input.replacesDocumentId);
    if (!current) throw new ActionRefused("Select a document of this tender to replace", "replacesDocumentId");
    if (current.status !== "current") {
      throw new ActionRefused(`"${current.title}" has already been ${current.status}: choose a current document to replace`, "replacesDocumentId");
    }
    replaced = { id: current.id, title: current.title };
  }
  const file = await storeFile(trx, { fileName: input.file.fileName, contents: input.file.contents, ownerOrganisationId: await leadCouncilOf(trx, tender), field: "file" }, ctx, limits);
  const change: AmendmentChange = replaced
    ? { field: "documents", label: `Document "${replaced.title}"`, before: `"${replaced.title}"`, after: `replaced by "${title}" (${file.fileName})` }
    : { field: "documents", label: "Documents", before: "not in the pack", after: `"${title}" (${file.fileName}) added` };
  const amended = reason ? await amendForPack(trx, tender, reason, change, ctx, links) : null;
  const { id } = await trx
    .insertInto("tender_document")
    .values({
      tender_id: tender.id,
      file_id: file.id,
      title,
      replaces_document_id: replaced?.id ?? null,
      amendment_id: amended?.id ?? null,
      added_at: ctx.now,
      added_by: ctx.actor?.userId ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const emailed = amended ? `; amendment ${amended.number}, emailed ${amended.emailed} ${amended.emailed === 1 ? "person" : "people"} at interested providers` : "";
  await recordAuditEvent(trx, ctx, {
    action: replaced ? "tender.document_replaced" : "tender.document_added",
    summary: replaced
      ? `Replaced "${replaced.title}" with "${title}" in the documents of "${tender.title}"${emailed}`
      : `Added "${title}" to the documents of "${tender.title}"${emailed}`,
    subjects: [
      { type: "tender", id: tender.id },
      { type: "file", id: file.id },
    ],
    before: replaced ? { Document: replaced.title } : null,
    after: { Document: title, File: file.fileName, "SHA-256": file.sha256 },
    reason,
  });
  return { documentId: id, amendmentNumber: amended?.number ?? null };
}

/** Withdraws a current document: it stays listed, as withdrawn, with the reason; on a published tender it is an amendment. */
export async function withdrawTenderDocument(
  trx: Trx,
  input: { tenderId: string; documentId: string; reason: string },
  ctx: ActionContext,
  links: { baseUrl: string },
): Promise<{ amendmentNumber: number | null }> {
  const { tender, amendment } = await lockForPack(trx, input.tenderId, ctx.now);
  const document = (await listTenderDocuments(trx, tender.id)).find((d) => d.id === input.documentId);
  if (!document) throw new RecordNotFound("document");
  if (document.status !== "current") throw new ActionRefused(`"${document.title}" has already been ${document.status}`);
  const reason = requiredText(input.reason, "reason", "reason for withdrawing the document", 2000);
  const amended = amendment
    ? await amendForPack(trx, tender, reason, { field: "documents", label: `Document "${document.title}"`, before: "in the pack", after: "withdrawn" }, ctx, links)
    : null;
  await trx
    .insertInto("tender_document_withdrawal")
    .values({ document_id: document.id, reason, amendment_id: amended?.id ?? null, withdrawn_at: ctx.now, withdrawn_by: ctx.actor?.userId ?? null })
    .execute();
  await recordAuditEvent(trx, ctx, {
    action: "tender.document_withdrawn",
    summary: `Withdrew "${document.title}" from the documents of "${tender.title}"${amended ? `; amendment ${amended.number}` : ""}`,
    subjects: [
      { type: "tender", id: tender.id },
      { type: "file", id: document.file.id },
    ],
    before: { Document: document.title, Status: "Current" },
    after: { Document: document.title, Status: "Withdrawn" },
    reason,
  });
  return { amendmentNumber: amended?.number ?? null };
}

async function leadCouncilOf(db: Reader, tender: Tender): Promise<string> {
  const agreement = await db.selectFrom("agreement").select("lead_council_id").where("id", "=", tender.agreement_id).executeTakeFirstOrThrow();
  return agreement.lead_council_id;
}

/** Shown beside the reason field: why a published tender's documents need one. */
export const DOCUMENT_AMENDMENT_HINT = `The change is an amendment: it is listed on the tender and emailed to every provider that registered interest. A document does not change what providers must submit, so the deadline need not move (changes to questions need ${AMENDMENT_NOTICE_DAYS} days).`;

/** What the policy needs to decide about the tender's pack and clarifications for this actor (app/policy/policy.ts). */
export async function tenderPackThing(db: Reader, view: TenderView, actor: Actor | null) {
  const interested = actor?.organisationKind === "provider" ? await isInterested(db, view.tender.id, actor.organisationId) : false;
  return { kind: "tenderPack" as const, councilId: view.agreement.leadCouncilId, everPublished: view.tender.published_at !== null, interested };
}
