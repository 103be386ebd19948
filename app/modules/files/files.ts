// Uploaded files, stored in PostgreSQL in chunks, written once. The portal
// reaches the bytes only through storeFile, describeFile and readFile, so a
// filesystem or S3-compatible store can stand behind the same three later.
// Who may read a file is decided by the record it belongs to (a tender's
// documents pack, a bid's evidence), in the policy, before readFile is called.
import crypto from "node:crypto";
import type { Reader, Trx } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { isUuid } from "#app/modules/common/input";
import { ActionRefused } from "#app/modules/errors";
import type { ActionContext } from "#app/modules/identity/actor";
import { ACCEPTED_LABELS, detectFileType } from "./file-types";

const CHUNK_BYTES = 512 * 1024;
export const DEFAULT_MAX_FILE_BYTES = 25 * 1024 * 1024;

export interface StoredFile {
  id: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  ownerOrganisationId: string;
  uploadedBy: string | null;
  uploadedAt: Date;
}

export interface NewFile {
  /** As the person's computer named it; only the last part of a path is kept. */
  fileName: string;
  contents: AsyncIterable<Uint8Array> | Uint8Array;
  ownerOrganisationId: string;
  /** The form field the file came from, for messages beside it. */
  field?: string;
  /**
   * A neutral name the store and its audit event keep instead of the file's
   * own, for a file that is sealed content (a bid's evidence before opening):
   * the caller keeps the real name where only the record's readers see it.
   */
  storedName?: string;
}

function megabytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10}MB`;
}

/** "644 bytes", "12KB", "3.4MB". */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)}KB`;
  return megabytes(bytes);
}

/** The name kept: no folders, no control characters, at most 255 characters. */
export function cleanFileName(name: string): string {
  const last = name.split(/[\\/]/).pop() ?? "";
  return last.replace(/[\u0000-\u001f\u007f]/g, "").trim().slice(-255);
}

async function* chunksOf(contents: AsyncIterable<Uint8Array> | Uint8Array): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const source: AsyncIterable<Uint8Array> =
    contents instanceof Uint8Array
      ? (async function* () {
          yield contents;
        })()
      : contents;
  for await (const piece of source) {
    let rest = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    while (rest.length > 0) {
      const take = Math.min(CHUNK_BYTES - pendingBytes, rest.length);
      pending.push(rest.subarray(0, take));
      pendingBytes += take;
      rest = rest.subarray(take);
      if (pendingBytes === CHUNK_BYTES) {
        yield Buffer.concat(pending);
        pending = [];
        pendingBytes = 0;
      }
    }
  }
  if (pendingBytes > 0) yield Buffer.concat(pending);
}

/**
 * Stores a file in the caller's transaction, with its audit event. Refuses an
 * empty file, one over the size limit (stopping as soon as it is passed) and
 * any type that is not a document or image people exchange, judged by the
 * file's content rather than its name.
 */
export async function storeFile(
  trx: Trx,
  input: NewFile,
  ctx: ActionContext,
  limits: { maxBytes?: number } = {},
): Promise<StoredFile> {
  const field = input.field ?? "file";
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  const ownName = cleanFileName(input.fileName);
  if (ownName === "") throw new ActionRefused("Select a file", field);
  const fileName = input.storedName ?? ownName;
  const id = crypto.randomUUID();
  const hash = crypto.createHash("sha256");
  let size = 0;
  let n = 0;
  let type: ReturnType<typeof detectFileType> = null;
  for await (const chunk of chunksOf(input.contents)) {
    size += chunk.length;
    if (size > maxBytes) throw new ActionRefused(`The selected file must be smaller than ${megabytes(maxBytes)}`, field);
    if (n === 0) {
      type = detectFileType(chunk, ownName);
      if (!type) throw new ActionRefused(`The selected file must be a ${ACCEPTED_LABELS} file`, field);
    }
    hash.update(chunk);
    await trx.insertInto("stored_file_chunk").values({ file_id: id, n, bytes: chunk }).execute();
    n++;
  }
  if (size === 0 || !type) throw new ActionRefused("The selected file is empty", field);
  const stored: StoredFile = {
    id,
    fileName,
    contentType: type.contentType,
    sizeBytes: size,
    sha256: hash.digest("hex"),
    ownerOrganisationId: input.ownerOrganisationId,
    uploadedBy: ctx.actor?.userId ?? null,
    uploadedAt: ctx.now,
  };
  await trx
    .insertInto("stored_file")
    .values({
      id,
      file_name: stored.fileName,
      content_type: stored.contentType,
      size_bytes: stored.sizeBytes,
      sha256: stored.sha256,
      chunks: n,
      owner_organisation_id: stored.ownerOrganisationId,
      uploaded_by: stored.uploadedBy,
      uploaded_at: stored.uploadedAt,
    })
    .execute();
  await recordAuditEvent(trx, ctx, {
    action: "file.stored",
    summary: `Stored ${type.label} file ${fileName} (${sizeText(size)})`,
    subjects: [
      { type: "file", id },
      { type: "organisation", id: stored.ownerOrganisationId },
    ],
    after: { fileName, contentType: stored.contentType, sizeBytes: size, sha256: stored.sha256 },
  });
  return stored;
}

/** The file's details, or null for an unknown or malformed id. */
export async function describeFile(db: Reader, id: string): Promise<StoredFile | null> {
  if (!isUuid(id)) return null;
  const row = await db.selectFrom("stored_file").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    fileName: row.file_name,
    contentType: row.content_type,
    sizeBytes: Number(row.size_bytes),
    sha256: row.sha256,
    ownerOrganisationId: row.owner_organisation_id,
    uploadedBy: row.uploaded_by,
    uploadedAt: row.uploaded_at,
  };
}

export class StoredFileDamaged extends Error {
  constructor(readonly fileId: string, detail: string) {
    super(`Stored file ${fileId} is damaged: ${detail}`);
    this.name = "StoredFileDamaged";
  }
}

/**
 * The file's bytes, one chunk at a time, so a download never holds the whole
 * file. The SHA-256 and size are checked as it goes: a file altered in the
 * database ends in StoredFileDamaged rather than being passed on as sound.
 */
export async function* readFile(db: Reader, file: StoredFile): AsyncGenerator<Buffer> {
  const hash = crypto.createHash("sha256");
  let size = 0;
  for (let n = 0; size < file.sizeBytes; n++) {
    const chunk = await db.selectFrom("stored_file_chunk").select("bytes").where("file_id", "=", file.id).where("n", "=", n).executeTakeFirst();
    if (!chunk) throw new StoredFileDamaged(file.id, `part ${n + 1} is missing after ${size} of ${file.sizeBytes} bytes`);
    hash.update(chunk.bytes);
    size += chunk.bytes.length;
    yield chunk.bytes;
  }
  if (size !== file.sizeBytes) throw new StoredFileDamaged(file.id, `it holds ${size} bytes, not ${file.sizeBytes}`);
  if (hash.digest("hex") !== file.sha256) throw new StoredFileDamaged(file.id, "its SHA-256 does not match the one recorded when it was stored");
}
