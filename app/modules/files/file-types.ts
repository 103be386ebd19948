// What kind of file an upload is, judged by its first bytes rather than its
// name: a program renamed "evidence.pdf" is still refused. Only documents
// and images that councils and providers exchange are accepted.

export interface AcceptedType {
  contentType: string;
  /** How people know it, for messages: "PDF", "Word". */
  label: string;
}

export const ACCEPTED_LABELS = "PDF, Word, Excel, PowerPoint, OpenDocument, CSV, text, PNG or JPEG";

const PDF: AcceptedType = { contentType: "application/pdf", label: "PDF" };
const PNG: AcceptedType = { contentType: "image/png", label: "PNG" };
const JPEG: AcceptedType = { contentType: "image/jpeg", label: "JPEG" };
const OOXML: Record<string, AcceptedType> = {
  "word/": { contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", label: "Word" },
  "xl/": { contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", label: "Excel" },
  "ppt/": { contentType: "application/vnd.openxmlformats-officedocument.presentationml.presentation", label: "PowerPoint" },
};
const ODF_TYPES = new Set([
  "application/vnd.oasis.opendocument.text",
  "application/vnd.oasis.opendocument.spreadsheet",
  "application/vnd.oasis.opendocument.presentation",
]);
const LEGACY_OFFICE: Record<string, AcceptedType> = {
  doc: { contentType: "application/msword", label: "Word" },
  xls: { contentType: "application/vnd.ms-excel", label: "Excel" },
  ppt: { contentType: "application/vnd.ms-powerpoint", label: "PowerPoint" },
};

function startsWith(bytes: Uint8Array, signature: number[] | string): boolean {
  const sig = typeof signature === "string" ? [...signature].map((c) => c.charCodeAt(0)) : signature;
  return bytes.length >= sig.length && sig.every((b, i) => bytes[i] === b);
}

/** The names of the entries a ZIP's local headers name within the bytes given (the start of the file). */
function zipEntryNames(bytes: Uint8Array): string[] {
  const names: string[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  while (offset + 30 <= bytes.length && view.getUint32(offset, true) === 0x04034b50 && names.length < 50) {
    const compressedSize = view.getUint32(offset + 18, true);
    const nameLength = view.getUint16(offset + 26, true);
    const extraLength = view.getUint16(offset + 28, true);
    if (offset + 30 + nameLength > bytes.length) break;
    names.push(new TextDecoder().decode(bytes.subarray(offset + 30, offset + 30 + nameLength)));
    const flags = view.getUint16(offset + 6, true);
    // Sizes that follow the data (bit 3) leave no way to skip ahead: what was read is enough.
    if (flags & 0x08) break;
    offset += 30 + nameLength + extraLength + compressedSize;
  }
  return names;
}

function isUtf8Text(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    // A multi-byte character cut at the end of the sample is not a fault of the file.
    new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, Math.max(0, bytes.length - 3)));
    return true;
  } catch {
    return false;
  }
}

/** The accepted type of a file from its first bytes (at least 4 KB where the file has them) and its name, or null. */
export function detectFileType(head: Uint8Array, fileName: string): AcceptedType | null {
  const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? "";
  if (startsWith(head, "%PDF-")) return PDF;
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return PNG;
  if (startsWith(head, [0xff, 0xd8, 0xff])) return JPEG;
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) {
    // OpenDocument: the first entry is "mimetype", stored uncompressed, holding the type.
    const names = zipEntryNames(head);
    if (names[0] === "mimetype") {
      const text = new TextDecoder().decode(head.subarray(38, 38 + 80));
      const type = [...ODF_TYPES].find((t) => text.startsWith(t));
      if (type) return { contentType: type, label: "OpenDocument" };
    }
    if (names.includes("[Content_Types].xml")) {
      for (const [folder, type] of Object.entries(OOXML)) if (names.some((n) => n.startsWith(folder))) return type;
    }
    return null;
  }
  // Word 97–2003 and its kin share one container: the name says which.
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return LEGACY_OFFICE[extension] ?? null;
  if (isUtf8Text(head)) {
    return extension === "csv" ? { contentType: "text/csv", label: "CSV" } : { contentType: "text/plain", label: "text" };
  }
  return null;
}

/** How people know a stored file's type, from the content type it was stored with: "PDF", "Word". */
export function contentTypeLabel(contentType: string): string {
  const known = [PDF, PNG, JPEG, ...Object.values(OOXML), ...Object.values(LEGACY_OFFICE)].find((t) => t.contentType === contentType);
  if (known) return known.label;
  if (ODF_TYPES.has(contentType)) return "OpenDocument";
  if (contentType === "text/csv") return "CSV";
  if (contentType === "text/plain") return "Text";
  return "Document";
}
