// Reads checkpoints that witnesses kept outside the database, for
// `npm run audit:verify -- --witness <file or folder>`: the JSON document of
// /audit/checkpoints.json (or the old /audit/checkpoints), one checkpoint's
// JSON, or a saved witness email (.eml as the mail client saved it, or its text).
import fs from "node:fs";
import path from "node:path";

export interface WitnessedCheckpoint {
  id: number;
  seq: number;
  hash: string;
  signedAt: Date;
  keyId: string;
  reason: string;
  signature: string;
  /** The file it was read from, named when it fails. */
  source: string;
}

/** Every checkpoint in a file, or in every file of a folder (dot-files left out). Throws naming a file with none. */
export function readWitnesses(fileOrFolder: string): WitnessedCheckpoint[] {
  const files = fs.statSync(fileOrFolder).isDirectory() ? filesIn(fileOrFolder) : [fileOrFolder];
  if (files.length === 0) throw new Error(`No files in ${fileOrFolder}`);
  return files.flatMap((file) => {
    const found = witnessedCheckpointsIn(fs.readFileSync(file, "utf8"), file);
    if (found.length === 0) throw new Error(`${file} holds no audit checkpoint: give saved copies of /audit/checkpoints.json or witness emails.`);
    return found;
  });
}

function filesIn(folder: string): string[] {
  return fs
    .readdirSync(folder, { withFileTypes: true })
    .filter((entry) => !entry.name.startsWith("."))
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const full = path.join(folder, entry.name);
      return entry.isDirectory() ? filesIn(full) : entry.isFile() ? [full] : [];
    });
}

/** The checkpoints in one file's text, each once. */
export function witnessedCheckpointsIn(text: string, source: string): WitnessedCheckpoint[] {
  const found = new Map<string, WitnessedCheckpoint>();
  for (const candidate of readableForms(text)) {
    for (const value of jsonValuesIn(candidate)) {
      for (const entry of checkpointEntries(value)) {
        const checkpoint = asWitnessed(entry, source);
        if (checkpoint) found.set(`${checkpoint.id} ${checkpoint.signature}`, checkpoint);
      }
    }
  }
  return [...found.values()];
}

/**
 * The text as saved, and as it reads once a mail client's transfer encoding
 * is undone: quoted-printable (long lines broken with "=", "=" written "=3D")
 * or base64, and HTML entities for the HTML part.
 */
function readableForms(text: string): string[] {
  const forms = [text];
  if (/content-transfer-encoding:\s*quoted-printable/i.test(text)) {
    forms.push(
      Buffer.from(
        text.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
        "latin1",
      ).toString("utf8"),
    );
  }
  for (const match of text.matchAll(/content-transfer-encoding:\s*base64[^\n]*\n(?:[^\r\n]+\r?\n)*\r?\n([A-Za-z0-9+/=\r\n]+)/gi)) {
    forms.push(Buffer.from(match[1]!.replace(/\s/g, ""), "base64").toString("utf8"));
  }
  for (const form of [...forms]) {
    if (form.includes("&quot;")) {
      forms.push(form.replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&"));
    }
  }
  return forms;
}

/** The whole text as JSON if it is, else each balanced {…} in it that parses. */
function jsonValuesIn(text: string): unknown[] {
  try {
    return [JSON.parse(text)];
  } catch {
    // Not one JSON document: look for JSON objects inside it (an email).
  }
  const values: unknown[] = [];
  let i = text.indexOf("{");
  while (i >= 0) {
    const end = matchingBrace(text, i);
    if (end > 0) {
      try {
        values.push(JSON.parse(text.slice(i, end + 1)));
        i = text.indexOf("{", end + 1);
        continue;
      } catch {
        // Braces that are not JSON; carry on from the next one.
      }
    }
    i = text.indexOf("{", i + 1);
  }
  return values;
}

function matchingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i;
  }
  return -1;
}

function checkpointEntries(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value && typeof value === "object" && Array.isArray((value as { checkpoints?: unknown }).checkpoints)) {
    return (value as { checkpoints: unknown[] }).checkpoints;
  }
  return [value];
}

function asWitnessed(entry: unknown, source: string): WitnessedCheckpoint | null {
  if (!entry || typeof entry !== "object") return null;
  const e = entry as Record<string, unknown>;
  const signedAt = typeof e.signedAt === "string" ? new Date(e.signedAt) : null;
  if (
    !Number.isSafeInteger(e.id) ||
    !Number.isSafeInteger(e.events) ||
    typeof e.hash !== "string" ||
    !/^[0-9a-f]{64}$/.test(e.hash) ||
    !signedAt ||
    Number.isNaN(signedAt.getTime()) ||
    typeof e.signature !== "string"
  ) {
    return null;
  }
  return {
    id: e.id as number,
    seq: e.events as number,
    hash: e.hash,
    signedAt,
    keyId: typeof e.keyId === "string" ? e.keyId : "",
    reason: typeof e.reason === "string" ? e.reason : "",
    signature: e.signature,
    source,
  };
}
