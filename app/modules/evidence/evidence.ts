// A provider's evidence library: reusable documents (Ofsted registration,
// insurance certificates, policies) with expiry dates, uploaded once and
// attached to any bid. Each upload is kept as it was: replacing a document
// adds a new version and marks the old one superseded (migration 0011's
// trigger refuses anything else). Only the provider's own users reach them.
import type { EvidenceKind, Reader, Trx } from "#app/database/schema";
import { registerAuditActions } from "#app/modules/audit/actions";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { isUniqueViolation, isUuid, longDate, optionalText, ukDate } from "#app/modules/common/input";
import { ActionRefused } from "#app/modules/errors";
import { describeFile, storeFile, type StoredFile } from "#app/modules/files/files";
import type { ActionContext } from "#app/modules/identity/actor";

registerAuditActions({
  "evidence.added": "Added a document to the evidence library",
  "evidence.replaced": "Replaced a document in the evidence library",
  "evidence.expiry_reminders_sent": "Reminded providers of documents about to expire",
});

export const EVIDENCE_KINDS: readonly EvidenceKind[] = [
  "ofsted_registration",
  "employers_liability_insurance",
  "public_liability_insurance",
  "professional_indemnity_insurance",
  "safeguarding_policy",
  "other",
];

export const EVIDENCE_KIND_LABELS: Record<EvidenceKind, string> = {
  ofsted_registration: "Ofsted registration certificate",
  employers_liability_insurance: "Employer's liability insurance certificate",
  public_liability_insurance: "Public liability insurance certificate",
  professional_indemnity_insurance: "Professional indemnity insurance certificate",
  safeguarding_policy: "Safeguarding policy",
  other: "Other document",
};

/** Registration and insurance lapse; a policy may say when it is next reviewed, or not. */
export function expiryRequired(kind: EvidenceKind): boolean {
  return kind !== "safeguarding_policy" && kind !== "other";
}

export function isEvidenceKind(value: string): value is EvidenceKind {
  return (EVIDENCE_KINDS as readonly string[]).includes(value);
}

/** Days before expiry when a document shows as expiring and its users are reminded. */
export const EXPIRY_WARNING_DAYS = 30;

export type EvidenceStatus = "current" | "expiring" | "expired";

/** 'YYYY-MM-DD' plus a number of days. */
export function addDays(isoDay: string, days: number): string {
  const [y, m, d] = isoDay.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** A document is valid to the end of its expiry day, in UK time. */
export function evidenceStatus(expiresOn: string | null, now: Date): EvidenceStatus {
  if (!expiresOn) return "current";
  const today = ukDate(now);
  if (expiresOn < today) return "expired";
  return expiresOn <= addDays(today, EXPIRY_WARNING_DAYS) ? "expiring" : "current";
}

export interface EvidenceUpload {
  fileName: string;
  contents: AsyncIterable<Uint8Array> | Uint8Array;
}

export interface NewEvidence {
  organisationId: string;
  kind: string;
  /** Required for "other"; otherwise the kind's name is used when blank. */
  title?: string | null;
  /** 'YYYY-MM-DD' or null; checked against the kind. */
  expiresOn: string | null;
  file: EvidenceUpload;
}

function checkExpiry(kind: EvidenceKind, expiresOn: string | null, now: Date): string | null {
  if (!expiresOn) {
    if (expiryRequired(kind)) throw new ActionRefused(`Enter the date the ${EVIDENCE_KIND_LABELS[kind].toLowerCase()} expires`, "expiresOn");
    return null;
  }
  const today = ukDate(now);
  if (expiresOn < today) {
    throw new ActionRefused("The expiry date must be today or in the future: an expired document cannot be used in a bid", "expiresOn");
  }
  if (expiresOn > addDays(today, 366 * 10)) throw new ActionRefused("The expiry date must be within the next 10 years", "expiresOn");
  return expiresOn;
}

function checkTitle(kind: EvidenceKind, title: string | null | undefined): string {
  const typed = optionalText(title, "title", "title");
  if (typed) return typed;
  if (kind === "other") throw new ActionRefused("Enter a title for the document", "title");
  return EVIDENCE_KIND_LABELS[kind];
}

function expiryWords(expiresOn: string | null): string {
  return expiresOn ? `expires ${longDate(expiresOn)}` : "no expiry date";
}

/** Adds a document to the library with its file, in the caller's transaction. */
export async function addEvidence(trx: Trx, input: NewEvidence, ctx: ActionContext, limits: { maxBytes?: number } = {}): Promise<{ id: string }> {
  if (!isEvidenceKind(input.kind)) throw new ActionRefused("Select the kind of document", "kind");
  const kind = input.kind;
  const title = checkTitle(kind, input.title);
  const expiresOn = checkExpiry(kind, input.expiresOn, ctx.now);
  const file = await storeFile(trx, { ...input.file, ownerOrganisationId: input.organisationId, field: "file" }, ctx, limits);
  const row = await trx
    .insertInto("evidence_document")
    .values({
      organisation_id: input.organisationId,
      kind,
      title,
      file_id: file.id,
      expires_on: expiresOn,
      uploaded_by: ctx.actor?.userId ?? null,
      uploaded_at: ctx.now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordAuditEvent(trx, ctx, {
    action: "evidence.added",
    summary: `Added ${EVIDENCE_KIND_LABELS[kind].toLowerCase()} "${title}" (${file.fileName}, ${expiryWords(expiresOn)}) to the evidence library`,
    subjects: [
      { type: "evidence_document", id: row.id },
      { type: "organisation", id: input.organisationId },
      { type: "file", id: file.id },
    ],
    after: { kind, title, expiresOn, fileName: file.fileName, sha256: file.sha256 },
  });
  return row;
}

const REPLACED_ALREADY = "A colleague has already replaced this document. Check the current version before replacing it again";

/**
 * Replaces a current document with a new file (and expiry date): a new
 * version, with the old one kept and marked superseded. The old row is locked
 * first, so two colleagues replacing it at once do not both succeed: the
 * second is told and nothing of theirs is stored.
 */
export async function replaceEvidence(
  trx: Trx,
  input: { organisationId: string; documentId: string; title?: string | null; expiresOn: string | null; file: EvidenceUpload },
  ctx: ActionContext,
  limits: { maxBytes?: number } = {},
): Promise<{ id: string }> {
  if (!isUuid(input.documentId)) throw new ActionRefused("No such document");
  const old = await trx
    .selectFrom("evidence_document")
    .selectAll()
    .where("id", "=", input.documentId)
    .where("organisation_id", "=", input.organisationId)
    .forUpdate()
    .executeTakeFirst();
  if (!old) throw new ActionRefused("No such document");
  if (old.superseded_at) throw new ActionRefused(REPLACED_ALREADY);
  const title = input.title?.trim() ? checkTitle(old.kind, input.title) : old.title;
  const expiresOn = checkExpiry(old.kind, input.expiresOn, ctx.now);
  const file = await storeFile(trx, { ...input.file, ownerOrganisationId: input.organisationId, field: "file" }, ctx, limits);
  await trx.updateTable("evidence_document").set({ superseded_at: ctx.now }).where("id", "=", old.id).execute();
  const row = await trx
    .insertInto("evidence_document")
    .values({
      organisation_id: input.organisationId,
      kind: old.kind,
      title,
      file_id: file.id,
      expires_on: expiresOn,
      uploaded_by: ctx.actor?.userId ?? null,
      uploaded_at: ctx.now,
      replaces_id: old.id,
    })
    .returning("id")
    .executeTakeFirstOrThrow()
    .catch((error: unknown) => {
      if (isUniqueViolation(error, "evidence_document_replaces_id_key")) throw new ActionRefused(REPLACED_ALREADY);
      throw error;
    });
  await recordAuditEvent(trx, ctx, {
    action: "evidence.replaced",
    summary: `Replaced "${old.title}" (${expiryWords(old.expires_on)}) with a new version "${title}" (${file.fileName}, ${expiryWords(expiresOn)})`,
    subjects: [
      { type: "evidence_document", id: row.id },
      { type: "evidence_document", id: old.id },
      { type: "organisation", id: input.organisationId },
      { type: "file", id: file.id },
    ],
    before: { title: old.title, expiresOn: old.expires_on, fileId: old.file_id },
    after: { title, expiresOn, fileName: file.fileName, sha256: file.sha256 },
  });
  return row;
}

export interface EvidenceDocument {
  id: string;
  kind: EvidenceKind;
  kindLabel: string;
  title: string;
  expiresOn: string | null;
  status: EvidenceStatus;
  uploadedAt: Date;
  uploadedByName: string | null;
  supersededAt: Date | null;
  replacesId: string | null;
  file: { id: string; fileName: string; contentType: string; sizeBytes: number; sha256: string };
}

function documentsQuery(db: Reader, organisationId: string) {
  return db
    .selectFrom("evidence_document")
    .innerJoin("stored_file", "stored_file.id", "evidence_document.file_id")
    .leftJoin("app_user", "app_user.id", "evidence_document.uploaded_by")
    .select([
      "evidence_document.id",
      "evidence_document.kind",
      "evidence_document.title",
      "evidence_document.expires_on",
      "evidence_document.uploaded_at",
      "evidence_document.superseded_at",
      "evidence_document.replaces_id",
      "app_user.full_name as uploaded_by_name",
      "stored_file.id as file_id",
      "stored_file.file_name",
      "stored_file.content_type",
      "stored_file.size_bytes",
      "stored_file.sha256",
    ])
    .where("evidence_document.organisation_id", "=", organisationId);
}

type DocumentRow = Awaited<ReturnType<ReturnType<typeof documentsQuery>["execute"]>>[number];

function toDocument(row: DocumentRow, now: Date): EvidenceDocument {
  return {
    id: row.id,
    kind: row.kind,
    kindLabel: EVIDENCE_KIND_LABELS[row.kind],
    title: row.title,
    expiresOn: row.expires_on,
    status: evidenceStatus(row.expires_on, now),
    uploadedAt: row.uploaded_at,
    uploadedByName: row.uploaded_by_name,
    supersededAt: row.superseded_at,
    replacesId: row.replaces_id,
    file: { id: row.file_id, fileName: row.file_name, contentType: row.content_type, sizeBytes: Number(row.size_bytes), sha256: row.sha256 },
  };
}

/** The organisation's current documents (not superseded), by kind then title. */
export async function listEvidence(db: Reader, organisationId: string, now: Date): Promise<EvidenceDocument[]> {
  if (!isUuid(organisationId)) return [];
  const rows = await documentsQuery(db, organisationId).where("evidence_document.superseded_at", "is", null).execute();
  const order = (kind: EvidenceKind) => EVIDENCE_KINDS.indexOf(kind);
  return rows
    .map((row) => toDocument(row, now))
    .sort((a, b) => order(a.kind) - order(b.kind) || a.title.localeCompare(b.title) || a.id.localeCompare(b.id));
}

/**
 * One document of this organisation with all its versions, newest first
 * (the asked-for one may be an earlier version); null when it does not exist
 * or belongs to another organisation, which callers show as not found.
 */
export async function getEvidence(
  db: Reader,
  organisationId: string,
  documentId: string,
  now: Date,
): Promise<{ document: EvidenceDocument; versions: EvidenceDocument[] } | null> {
  if (!isUuid(documentId) || !isUuid(organisationId)) return null;
  const all = (await documentsQuery(db, organisationId).execute()).map((row) => toDocument(row, now));
  const document = all.find((d) => d.id === documentId);
  if (!document) return null;
  const byId = new Map(all.map((d) => [d.id, d]));
  const replacedBy = new Map(all.filter((d) => d.replacesId).map((d) => [d.replacesId!, d]));
  // Walk to the newest version, then back through what each replaced.
  let newest = document;
  while (replacedBy.has(newest.id)) newest = replacedBy.get(newest.id)!;
  const versions: EvidenceDocument[] = [];
  for (let v: EvidenceDocument | undefined = newest; v; v = v.replacesId ? byId.get(v.replacesId) : undefined) versions.push(v);
  return { document, versions };
}

/** The stored file of one of this organisation's documents (any version), for a download; null otherwise. */
export async function evidenceFile(db: Reader, organisationId: string, documentId: string): Promise<StoredFile | null> {
  if (!isUuid(documentId) || !isUuid(organisationId)) return null;
  const row = await db
    .selectFrom("evidence_document")
    .select("file_id")
    .where("id", "=", documentId)
    .where("organisation_id", "=", organisationId)
    .executeTakeFirst();
  return row ? describeFile(db, row.file_id) : null;
}

/**
 * The documents a bid may attach: each must be this organisation's current
 * version and not expired. Any other is refused with the reason, so the bids
 * module can say beside the question what to do.
 */
export async function attachableEvidence(
  db: Reader,
  input: { organisationId: string; documentIds: string[]; field?: string },
  now: Date,
): Promise<EvidenceDocument[]> {
  const field = input.field ?? "evidence";
  const wanted = [...new Set(input.documentIds)];
  if (wanted.length === 0) return [];
  if (!isUuid(input.organisationId) || wanted.some((id) => !isUuid(id))) throw new ActionRefused("Select documents from your evidence library", field);
  const rows = await documentsQuery(db, input.organisationId).where("evidence_document.id", "in", wanted).execute();
  const found = new Map(rows.map((row) => [row.id, toDocument(row, now)]));
  return wanted.map((id) => {
    const doc = found.get(id);
    if (!doc) throw new ActionRefused("Select documents from your evidence library", field);
    if (doc.supersededAt) throw new ActionRefused(`"${doc.title}" has been replaced by a newer version: attach that one instead`, field);
    if (doc.status === "expired") {
      throw new ActionRefused(`"${doc.title}" expired on ${longDate(doc.expiresOn!)}: upload the renewed document to your evidence library and attach that`, field);
    }
    return doc;
  });
}

/** The organisation a document belongs to, for the policy to judge; null for an unknown id. */
export async function evidenceOwner(db: Reader, documentId: string): Promise<string | null> {
  if (!isUuid(documentId)) return null;
  const row = await db.selectFrom("evidence_document").select("organisation_id").where("id", "=", documentId).executeTakeFirst();
  return row?.organisation_id ?? null;
}
