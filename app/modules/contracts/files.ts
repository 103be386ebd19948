// Files the council's officers attach to a contract beside the tender's
// documents it refers to: the signed contract, schedules, variations. Each is
// stored through the file store (checked by content, size-limited, SHA-256)
// and listed with who uploaded it and when. A replaced file is a new version;
// the earlier one is kept and still downloadable (migration 0031).
import type { ContractFileKind, Reader, Trx } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { isUniqueViolation, isUuid, requiredText } from "#app/modules/common/input";
import { ActionRefused, RecordNotFound } from "#app/modules/errors";
import { describeFile, storeFile, type StoredFile } from "#app/modules/files/files";
import type { ActionContext } from "#app/modules/identity/actor";
import { activeUsersWithRole } from "#app/modules/identity/queries";
import { queueEmail } from "#app/modules/outbox/outbox";
import { CONTRACT_KIND_LABELS, getContract } from "./contracts";

registerAuditActions({
  "contract.file_added": "Added a file to a contract",
  "contract.file_replaced": "Added a new version of a contract's file",
});

export const CONTRACT_FILE_KIND_LABELS: Record<ContractFileKind, string> = {
  signed_contract: "Signed contract",
  schedule: "Schedule",
  variation: "Variation",
  other: "Other document",
};

export function isContractFileKind(value: string): value is ContractFileKind {
  return Object.hasOwn(CONTRACT_FILE_KIND_LABELS, value);
}

export interface ContractFileView {
  id: string;
  kind: ContractFileKind;
  title: string;
  versionNumber: number;
  /** The later version that replaced this one, if any. */
  replacedById: string | null;
  uploadedAt: Date;
  uploadedBy: string;
  file: { fileName: string; contentType: string; sizeBytes: number };
}

/** Every file of the contract, every version: current versions first (oldest upload first), then earlier versions, newest first. */
export async function listContractFiles(db: Reader, contractId: string): Promise<ContractFileView[]> {
  if (!isUuid(contractId)) return [];
  const rows = await db
    .selectFrom("contract_file as c")
    .innerJoin("stored_file as f", "f.id", "c.file_id")
    .innerJoin("app_user as u", "u.id", "c.uploaded_by")
    .leftJoin("contract_file as newer", "newer.replaces_id", "c.id")
    .select(["c.id", "c.kind", "c.title", "c.version_number", "newer.id as replaced_by", "c.uploaded_at", "u.full_name", "f.file_name", "f.content_type", "f.size_bytes"])
    .where("c.contract_id", "=", contractId)
    .orderBy("c.uploaded_at")
    .orderBy("c.id")
    .execute();
  const views = rows.map(
    (r): ContractFileView => ({
      id: r.id,
      kind: r.kind,
      title: r.title,
      versionNumber: r.version_number,
      replacedById: r.replaced_by,
      uploadedAt: r.uploaded_at,
      uploadedBy: r.full_name,
      file: { fileName: r.file_name, contentType: r.content_type, sizeBytes: Number(r.size_bytes) },
    }),
  );
  return [...views.filter((v) => !v.replacedById), ...views.filter((v) => v.replacedById).reverse()];
}

/** One file of the contract for a download; null when the id is not one of this contract's files. */
export async function findContractFile(db: Reader, contractId: string, fileId: string): Promise<{ title: string; file: StoredFile } | null> {
  if (!isUuid(contractId) || !isUuid(fileId)) return null;
  const row = await db.selectFrom("contract_file").select(["title", "file_id"]).where("id", "=", fileId).where("contract_id", "=", contractId).executeTakeFirst();
  if (!row) return null;
  const file = await describeFile(db, row.file_id);
  return file ? { title: row.title, file } : null;
}

export interface NewContractFile {
  contractId: string;
  /** For a new version, the kind of the file it replaces is kept and this is ignored. */
  kind: string;
  title: string;
  /** The current version this one replaces, which stays listed as an earlier version. */
  replacesId?: string | null;
  file: { fileName: string; contents: AsyncIterable<Uint8Array> | Uint8Array };
}

/**
 * Attaches a file to the contract, or a new version of one, with its audit
 * event and an email to the provider's users, in one transaction. Only the
 * council's commissioning officers; a declined contract takes none.
 */
export async function addContractFile(
  trx: Trx,
  input: NewContractFile,
  ctx: ActionContext,
  links: { baseUrl: string },
  limits: { maxBytes?: number } = {},
): Promise<{ contractFileId: string; versionNumber: number }> {
  const actor = ctx.actor;
  const contract = await getContract(trx, input.contractId, actor);
  if (actor!.organisationKind !== "council" || !actor!.roles.includes("commissioning_officer")) throw new ActionRefused("Only the council's commissioning officers add files to a contract", "form");
  // Versions of one contract's files are numbered one after another.
  const row = await trx.selectFrom("contract").select("status").where("id", "=", contract.id).forUpdate().executeTakeFirstOrThrow();
  if (row.status === "declined") throw new ActionRefused("The provider declined this contract, so no files are added to it", "form");
  let replaced: ContractFileView | null = null;
  if (input.replacesId) {
    replaced = (await listContractFiles(trx, contract.id)).find((f) => f.id === input.replacesId) ?? null;
    if (!replaced) throw new ActionRefused("Choose a file of this contract to replace", "replacesId");
    if (replaced.replacedById) throw new ActionRefused(`Version ${replaced.versionNumber} of "${replaced.title}" has already been replaced: choose its latest version`, "replacesId");
  }
  const kind = replaced?.kind ?? input.kind;
  if (!isContractFileKind(kind)) throw new ActionRefused("Choose what the file is", "kind");
  const title = requiredText(input.title, "title", "file's title", 200);
  const file = await storeFile(trx, { fileName: input.file.fileName, contents: input.file.contents, ownerOrganisationId: contract.councilId, field: "file" }, ctx, limits);
  const versionNumber = replaced ? replaced.versionNumber + 1 : 1;
  const { id } = await trx
    .insertInto("contract_file")
    .values({
      contract_id: contract.id,
      file_id: file.id,
      kind,
      title,
      replaces_id: replaced?.id ?? null,
      version_number: versionNumber,
      uploaded_at: ctx.now,
      uploaded_by: actor!.userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow()
    .catch((error: unknown) => {
      if (isUniqueViolation(error, "contract_file_replaces_id_key")) throw new ActionRefused(`"${replaced!.title}" has just been replaced by someone else: choose its latest version`, "replacesId");
      throw error;
    });
  const name = `${CONTRACT_KIND_LABELS[contract.kind].toLowerCase()} ${contract.reference}`;
  await recordAuditEvent(trx, ctx, {
    action: replaced ? "contract.file_replaced" : "contract.file_added",
    summary: replaced
      ? `${actor!.name} added version ${versionNumber} of "${title}" to the ${name}, replacing version ${replaced.versionNumber} of "${replaced.title}"`
      : `${actor!.name} added "${title}" (${CONTRACT_FILE_KIND_LABELS[kind].toLowerCase()}) to the ${name}`,
    subjects: [
      { type: "contract", id: contract.id },
      { type: "file", id: file.id },
    ],
    before: replaced ? { File: `${replaced.title}, version ${replaced.versionNumber} (${replaced.file.fileName})` } : null,
    after: { File: `${title}, version ${versionNumber} (${file.fileName})`, Kind: CONTRACT_FILE_KIND_LABELS[kind], "SHA-256": file.sha256 },
  });
  for (const person of await activeUsersWithRole(trx, [contract.providerId], "provider_user")) {
    await queueEmail(trx, {
      to: person.email,
      template: {
        name: "contract_file_added",
        props: {
          recipientName: person.full_name,
          councilName: contract.councilName,
          contractName: name,
          kindLabel: CONTRACT_FILE_KIND_LABELS[kind],
          title,
          versionNumber,
          url: `${links.baseUrl}/contracts/${contract.id}`,
        },
      },
    });
  }
  return { contractFileId: id, versionNumber };
}

/** A file of the contract for the routes: not found unless it is this contract's. */
export async function contractFileOrNotFound(db: Reader, contractId: string, fileId: string) {
  const found = await findContractFile(db, contractId, fileId);
  if (!found) throw new RecordNotFound("file");
  return found;
}
