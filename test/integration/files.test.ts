import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { ActionRefused } from "#app/modules/errors";
import { cleanFileName, describeFile, readFile, storeFile, StoredFileDamaged, type NewFile } from "#app/modules/files/files";
import { systemContext } from "#app/modules/identity/actor";
import { actorForUser } from "#app/modules/identity/sessions";
import { seedDemo } from "#db/seed/demo";
import { useTestDatabase } from "#test/support/database";

const { db, ownerDb } = await useTestDatabase();
await seedDemo(db);
const providerUser = await db.selectFrom("app_user").select(["id", "organisation_id"]).where("email", "=", "provider@harbour-light.example").executeTakeFirstOrThrow();
const provider = await actorForUser(db, providerUser.id, null);
const ctx = () => ({ actor: provider, requestId: "req-files", clientAddress: "192.0.2.4", now: new Date("2026-11-24T10:00:00Z") });
const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, "../fixtures/files", name));

/** The bytes as an upload arrives: in pieces of a few kilobytes. */
async function* inPieces(bytes: Uint8Array, size = 7_000): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const store = (input: Omit<NewFile, "ownerOrganisationId">, limits?: { maxBytes?: number }) =>
  db.transaction().execute((trx) => storeFile(trx, { ownerOrganisationId: provider.organisationId, ...input }, ctx(), limits));

async function readAll(id: string): Promise<Buffer> {
  const file = (await describeFile(db, id))!;
  const parts: Buffer[] = [];
  for await (const part of readFile(db, file)) parts.push(part);
  return Buffer.concat(parts);
}

async function refusal(run: () => Promise<unknown>): Promise<{ message: string; field: string | null }> {
  const error = await run().then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ActionRefused)) throw new Error(`expected ActionRefused, got ${String(error)}`);
  return { message: error.message, field: error.field };
}

const counts = async () =>
  (await sql<{ files: string; chunks: string }>`SELECT (SELECT count(*) FROM stored_file) AS files, (SELECT count(*) FROM stored_file_chunk) AS chunks`.execute(db)).rows[0];

describe("storing a file", () => {
  it("keeps a Word file streamed in pieces, with its SHA-256, size and type, gives back the same bytes, and records it in the audit trail", async () => {
    const bytes = fixture("method-statement.docx");
    const stored = await store({ fileName: "C:\\Users\\jo\\Documents\\method-statement.docx", contents: inPieces(bytes, 100) });
    expect(stored).toMatchObject({
      fileName: "method-statement.docx",
      contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      sizeBytes: bytes.length,
      sha256: crypto.createHash("sha256").update(bytes).digest("hex"),
      ownerOrganisationId: provider.organisationId,
      uploadedBy: provider.userId,
    });
    expect(await describeFile(db, stored.id)).toEqual(stored);
    expect((await readAll(stored.id)).equals(bytes)).toBe(true);
    const event = await db.selectFrom("audit_event").select(["action", "summary", "subjects", "after"]).orderBy("seq", "desc").executeTakeFirstOrThrow();
    expect(event).toEqual({
      action: "file.stored",
      summary: `Stored Word file method-statement.docx (${bytes.length} bytes)`,
      subjects: [
        { type: "file", id: stored.id },
        { type: "organisation", id: provider.organisationId },
      ],
      after: { fileName: "method-statement.docx", contentType: stored.contentType, sizeBytes: bytes.length, sha256: stored.sha256 },
    });
  });

  it.each([
    ["price-schedule.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
    ["policy.odt", "application/vnd.oasis.opendocument.text"],
    ["logo.png", "image/png"],
    ["insurance-2019.doc", "application/msword"],
    ["occupancy.csv", "text/csv"],
  ])("knows %s by its content as %s", async (name, contentType) => {
    const stored = await store({ fileName: name, contents: fixture(name) });
    expect(stored.contentType).toBe(contentType);
  });

  it("keeps a file larger than one chunk in several, and reads it back whole", async () => {
    const bytes = Buffer.concat([Buffer.from("%PDF-1.7\n"), crypto.randomBytes(1_300_000)]);
    const stored = await store({ fileName: "tender-pack.pdf", contents: inPieces(bytes, 65_536) });
    const row = await db.selectFrom("stored_file").select("chunks").where("id", "=", stored.id).executeTakeFirstOrThrow();
    expect(row.chunks).toBe(3);
    expect((await readAll(stored.id)).equals(bytes)).toBe(true);
  });

  it("judges the type by content, not by name: a program called .pdf, a plain ZIP and an old Office container named .exe are refused, and nothing is kept", async () => {
    const before = await counts();
    const typeMessage = "The selected file must be a PDF, Word, Excel, PowerPoint, OpenDocument, CSV, text, PNG or JPEG file";
    expect(await refusal(() => store({ fileName: "program.pdf", contents: fixture("program.pdf"), field: "evidence" }))).toEqual({ message: typeMessage, field: "evidence" });
    expect(await refusal(() => store({ fileName: "photos.zip", contents: fixture("photos.zip") }))).toEqual({ message: typeMessage, field: "file" });
    expect(await refusal(() => store({ fileName: "setup.exe", contents: fixture("insurance-2019.doc") }))).toEqual({ message: typeMessage, field: "file" });
    expect(await counts()).toEqual(before);
  });

  it("refuses an empty file, a missing name and a file over the limit, stopping as soon as the limit is passed", async () => {
    const before = await counts();
    expect((await refusal(() => store({ fileName: "empty.pdf", contents: new Uint8Array(0) }))).message).toBe("The selected file is empty");
    expect((await refusal(() => store({ fileName: "  ", contents: fixture("logo.png") }))).message).toBe("Select a file");
    let pulled = 0;
    async function* endless(): AsyncGenerator<Uint8Array> {
      yield Buffer.from("%PDF-1.7\n");
      for (;;) {
        pulled += 65_536;
        yield crypto.randomBytes(65_536);
      }
    }
    expect((await refusal(() => store({ fileName: "huge.pdf", contents: endless() }, { maxBytes: 1024 * 1024 }))).message).toBe("The selected file must be smaller than 1MB");
    expect(pulled).toBeLessThan(2 * 1024 * 1024);
    expect(await counts()).toEqual(before);
  });

  it("keeps only the last part of a path and no control characters in the name", () => {
    expect(cleanFileName("C:\\fakepath\\Evidence\u0007 Pack.pdf")).toBe("Evidence Pack.pdf");
    expect(cleanFileName("../../etc/passwd")).toBe("passwd");
  });
});

describe("a stored file", () => {
  it("cannot be changed or removed by the portal, nor by the table's owner", async () => {
    const stored = await store({ fileName: "logo.png", contents: fixture("logo.png") });
    await expect(sql`UPDATE stored_file SET file_name = 'other.png' WHERE id = ${stored.id}`.execute(db)).rejects.toThrow(/permission denied/);
    await expect(sql`DELETE FROM stored_file_chunk WHERE file_id = ${stored.id}`.execute(db)).rejects.toThrow(/permission denied/);
    const owner = ownerDb();
    await expect(sql`UPDATE stored_file_chunk SET bytes = '\\x00' WHERE file_id = ${stored.id}`.execute(owner)).rejects.toThrow(/cannot be changed or removed/);
    await expect(sql`DELETE FROM stored_file WHERE id = ${stored.id}`.execute(owner)).rejects.toThrow(/cannot be changed or removed/);
  });

  it("read back after someone altered its bytes in the database ends in an error, not in a file passed on as sound", async () => {
    const bytes = Buffer.concat([Buffer.from("%PDF-1.7\n"), crypto.randomBytes(600_000)]);
    const stored = await store({ fileName: "contract.pdf", contents: bytes });
    const owner = ownerDb();
    await sql`ALTER TABLE stored_file_chunk DISABLE TRIGGER stored_file_chunk_written_once`.execute(owner);
    await sql`UPDATE stored_file_chunk SET bytes = overlay(bytes placing '\\x41'::bytea from 20 for 1) WHERE file_id = ${stored.id} AND n = 0`.execute(owner);
    await sql`ALTER TABLE stored_file_chunk ENABLE TRIGGER stored_file_chunk_written_once`.execute(owner);
    await expect(readAll(stored.id)).rejects.toThrow(StoredFileDamaged);
    await expect(readAll(stored.id)).rejects.toThrow(/SHA-256 does not match/);
  });

  it("read back after one of its parts was removed in the database ends in an error naming the missing part", async () => {
    const bytes = Buffer.concat([Buffer.from("%PDF-1.7\n"), crypto.randomBytes(700_000)]);
    const stored = await store({ fileName: "agreement.pdf", contents: bytes });
    const owner = ownerDb();
    await sql`ALTER TABLE stored_file_chunk DISABLE TRIGGER stored_file_chunk_written_once`.execute(owner);
    await sql`DELETE FROM stored_file_chunk WHERE file_id = ${stored.id} AND n = 1`.execute(owner);
    await sql`ALTER TABLE stored_file_chunk ENABLE TRIGGER stored_file_chunk_written_once`.execute(owner);
    await expect(readAll(stored.id)).rejects.toThrow(`Stored file ${stored.id} is damaged: part 2 is missing after ${512 * 1024} of ${bytes.length} bytes`);
  });

  it("is unknown for a malformed or unknown id", async () => {
    expect(await describeFile(db, "not-an-id")).toBeNull();
    expect(await describeFile(db, crypto.randomUUID())).toBeNull();
  });

  it("written by a system task has no uploader", async () => {
    const stored = await db.transaction().execute((trx) =>
      storeFile(trx, { fileName: "occupancy.csv", contents: fixture("occupancy.csv"), ownerOrganisationId: providerUser.organisation_id }, systemContext()),
    );
    expect(stored.uploadedBy).toBeNull();
  });
});
