// Postcode district centroids: where each outward code (EX4, PL12) is, for
// distances in placement search. An administrator imports a file, sees a
// preview with line-numbered errors and what would change, then applies it
// as one audited change. Full postcodes in an ONS file are reduced to their
// district on reading and never stored.
import type { DistrictFileFormat, Reader, Trx } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { capitalise, requiredText } from "#app/modules/common/input";
import { ActionRefused } from "#app/modules/errors";
import type { ActionContext } from "#app/modules/identity/actor";

registerAuditActions({
  "postcode_districts.imported": "Imported postcode district locations",
});

const DISTRICT = /^[A-Z]{1,2}[0-9][A-Z0-9]?$/;
/** A full postcode: its outward code, then the inward code (digit and two letters). */
const FULL_POSTCODE = /^([A-Z]{1,2}[0-9][A-Z0-9]?) *([0-9][A-Z]{2})$/;
// Great Britain, Northern Ireland, the Channel Islands and the Isle of Man, with a margin.
const LATITUDE = { min: 49, max: 61 };
const LONGITUDE = { min: -9, max: 2.5 };
/** The ONS Postcode Directory's coordinates for a postcode it cannot place. */
const ONS_NO_LOCATION = 99.999999;
const MAX_ERRORS_LISTED = 100;

export interface DistrictCentroid {
  outcode: string;
  latitude: number;
  longitude: number;
}

export interface LineError {
  /** 1 is the header line. */
  line: number;
  message: string;
}

export interface ParsedDistrictFile {
  format: DistrictFileFormat | null;
  districts: DistrictCentroid[];
  rowsRead: number;
  /** ONS rows with no location (99.999999): nothing to average, not an error. */
  rowsSkipped: number;
  errors: LineError[];
  /** More errors than listed. */
  moreErrors: number;
}

/** "ex4" -> "EX4"; null when it is not an outward code. */
export function normaliseOutcode(value: string): string | null {
  const text = value.replace(/\s+/g, "").toUpperCase();
  return DISTRICT.test(text) ? text : null;
}

/** "EX4 3AB", "ex43ab", "EX4  3AB" (ONS pads to 7 characters) -> "EX4". */
export function outcodeOfPostcode(value: string): string | null {
  const full = FULL_POSTCODE.exec(value.replace(/\s+/g, " ").trim().toUpperCase());
  return full?.[1] ?? null;
}

/** Splits CSV text into lines of fields: quoted fields may hold commas, quotes ("") and line breaks. */
export function csvRecords(text: string): { line: number; fields: string[] }[] {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1;
  let startLine = 1;
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === "\n") line++;
        field += c;
      }
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      fields.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && body[i + 1] === "\n") i++;
      fields.push(field);
      if (fields.some((f) => f.trim() !== "")) records.push({ line: startLine, fields });
      fields = [];
      field = "";
      line++;
      startLine = line;
    } else field += c;
  }
  fields.push(field);
  if (fields.some((f) => f.trim() !== "")) records.push({ line: startLine, fields });
  return records;
}

function coordinate(value: string | undefined, range: { min: number; max: number }): number | null {
  const text = (value ?? "").trim();
  if (!/^-?\d+(\.\d+)?$/.test(text)) return null;
  const n = Number(text);
  return n >= range.min && n <= range.max ? n : null;
}

/**
 * Reads a centroid file: `outcode,latitude,longitude` (extra columns ignored)
 * or the ONS Postcode Directory's `pcd,lat,long`, whose postcodes are averaged
 * per district. Column names are matched without regard to case or order.
 */
export function parseDistrictFile(text: string): ParsedDistrictFile {
  const records = csvRecords(text);
  const errors: LineError[] = [];
  const result = (format: DistrictFileFormat | null, districts: DistrictCentroid[], rowsRead: number, rowsSkipped: number): ParsedDistrictFile => ({
    format,
    districts,
    rowsRead,
    rowsSkipped,
    errors: errors.slice(0, MAX_ERRORS_LISTED),
    moreErrors: Math.max(0, errors.length - MAX_ERRORS_LISTED),
  });
  const header = records[0];
  if (!header) {
    errors.push({ line: 1, message: "The file is empty: it needs a header line and one line per district" });
    return result(null, [], 0, 0);
  }
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const at = (name: string) => names.indexOf(name);
  let format: DistrictFileFormat;
  let columns: [number, number, number];
  if (at("outcode") >= 0 || (at("pcd") < 0 && at("latitude") >= 0)) {
    format = "outcode_centroids";
    columns = [at("outcode"), at("latitude"), at("longitude")];
    const missing = ["outcode", "latitude", "longitude"].filter((_, i) => columns[i]! < 0);
    if (missing.length > 0) {
      errors.push({ line: header.line, message: `The header has no ${missing.join(" or ")} column (a district file needs outcode, latitude and longitude)` });
      return result(format, [], 0, 0);
    }
  } else if (at("pcd") >= 0 || at("lat") >= 0 || at("long") >= 0) {
    format = "ons_postcode_directory";
    columns = [at("pcd"), at("lat"), at("long")];
    const missing = ["pcd", "lat", "long"].filter((_, i) => columns[i]! < 0);
    if (missing.length > 0) {
      errors.push({ line: header.line, message: `The header has no ${missing.join(" or ")} column (an ONS Postcode Directory file needs pcd, lat and long)` });
      return result(format, [], 0, 0);
    }
  } else {
    errors.push({
      line: header.line,
      message: "The file's format is not recognised: the header must name outcode, latitude and longitude, or the ONS Postcode Directory's pcd, lat and long",
    });
    return result(null, [], 0, 0);
  }

  const sums = new Map<string, { lat: number; long: number; n: number; line: number }>();
  let rowsSkipped = 0;
  const rows = records.slice(1);
  for (const { line, fields } of rows) {
    const [codeAt, latAt, longAt] = columns;
    const raw = (fields[codeAt] ?? "").trim();
    if (format === "ons_postcode_directory" && Number((fields[latAt] ?? "").trim()) === ONS_NO_LOCATION) {
      rowsSkipped++;
      continue;
    }
    const outcode = format === "outcode_centroids" ? normaliseOutcode(raw) : outcodeOfPostcode(raw);
    const latitude = coordinate(fields[latAt], LATITUDE);
    const longitude = coordinate(fields[longAt], LONGITUDE);
    const problems: string[] = [];
    if (outcode === null) {
      problems.push(
        raw === ""
          ? `no ${format === "outcode_centroids" ? "outcode" : "postcode"}`
          : `"${raw.slice(0, 20)}" is not ${format === "outcode_centroids" ? "a postcode district (like EX4 or PL12)" : "a full postcode (like EX4 3AB)"}`,
      );
    }
    if (latitude === null) problems.push(`latitude "${(fields[latAt] ?? "").trim().slice(0, 20)}" is not a number between ${LATITUDE.min} and ${LATITUDE.max}`);
    if (longitude === null) problems.push(`longitude "${(fields[longAt] ?? "").trim().slice(0, 20)}" is not a number between ${LONGITUDE.min} and ${LONGITUDE.max}`);
    if (problems.length > 0 || outcode === null || latitude === null || longitude === null) {
      errors.push({ line, message: capitalise(problems.join("; ")) });
      continue;
    }
    const sum = sums.get(outcode);
    if (sum && format === "outcode_centroids") {
      errors.push({ line, message: `District ${outcode} is listed twice (first on line ${sum.line})` });
      continue;
    }
    if (sum) {
      sum.lat += latitude;
      sum.long += longitude;
      sum.n++;
    } else sums.set(outcode, { lat: latitude, long: longitude, n: 1, line });
  }
  if (rows.length === 0) errors.push({ line: header.line + 1, message: "The file has a header but no districts" });
  const districts = [...sums.entries()]
    .map(([outcode, s]) => ({ outcode, latitude: round6(s.lat / s.n), longitude: round6(s.long / s.n) }))
    .sort((a, b) => a.outcode.localeCompare(b.outcode));
  return result(format, districts, rows.length, rowsSkipped);
}

function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

export interface DistrictImportPreview extends ParsedDistrictFile {
  fileName: string;
  added: string[];
  updated: { outcode: string; from: { latitude: number; longitude: number }; to: { latitude: number; longitude: number } }[];
  unchanged: number;
}

/** What applying the file would do, without doing it. */
export async function previewDistrictImport(db: Reader, input: { fileName: string; text: string }): Promise<DistrictImportPreview> {
  const fileName = requiredText(input.fileName, "file", "file name", 255);
  const parsed = parseDistrictFile(input.text);
  const known = new Map<string, { latitude: number; longitude: number }>();
  const outcodes = parsed.districts.map((d) => d.outcode);
  for (let i = 0; i < outcodes.length; i += 5000) {
    const rows = await db
      .selectFrom("postcode_district")
      .select(["outcode", "latitude", "longitude"])
      .where("outcode", "in", outcodes.slice(i, i + 5000))
      .execute();
    for (const r of rows) known.set(r.outcode, { latitude: r.latitude, longitude: r.longitude });
  }
  const added: string[] = [];
  const updated: DistrictImportPreview["updated"] = [];
  let unchanged = 0;
  for (const d of parsed.districts) {
    const before = known.get(d.outcode);
    if (!before) added.push(d.outcode);
    else if (before.latitude !== d.latitude || before.longitude !== d.longitude) {
      updated.push({ outcode: d.outcode, from: before, to: { latitude: d.latitude, longitude: d.longitude } });
    } else unchanged++;
  }
  return { ...parsed, fileName, added, updated, unchanged };
}

/**
 * Applies a file that previews without errors, as one change: the districts,
 * the import record and one audit event with the counts. Districts the file
 * does not list are kept (a partial file corrects some without losing others).
 */
export async function applyDistrictImport(
  trx: Trx,
  input: { fileName: string; text: string },
  ctx: ActionContext,
): Promise<{ importId: string; added: number; updated: number; unchanged: number }> {
  const actor = ctx.actor;
  if (actor && !actor.roles.includes("administrator")) throw new ActionRefused("Only an administrator can import postcode districts");
  const preview = await previewDistrictImport(trx, input);
  if (preview.format === null || preview.errors.length > 0) {
    const first = preview.errors[0];
    throw new ActionRefused(
      `The file has ${preview.errors.length + preview.moreErrors} error${preview.errors.length + preview.moreErrors === 1 ? "" : "s"}; nothing was imported${first ? ` (line ${first.line}: ${first.message})` : ""}`,
      "file",
    );
  }
  const record = await trx
    .insertInto("postcode_district_import")
    .values({
      imported_at: ctx.now,
      imported_by: actor?.userId ?? null,
      file_name: preview.fileName,
      format: preview.format,
      rows_read: preview.rowsRead,
      rows_skipped: preview.rowsSkipped,
      districts_added: preview.added.length,
      districts_updated: preview.updated.length,
      districts_unchanged: preview.unchanged,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const changed = new Set([...preview.added, ...preview.updated.map((u) => u.outcode)]);
  const rows = preview.districts
    .filter((d) => changed.has(d.outcode))
    .map((d) => ({ ...d, import_id: record.id, imported_at: ctx.now }));
  for (let i = 0; i < rows.length; i += 2000) {
    await trx
      .insertInto("postcode_district")
      .values(rows.slice(i, i + 2000))
      .onConflict((oc) =>
        oc.column("outcode").doUpdateSet((eb) => ({
          latitude: eb.ref("excluded.latitude"),
          longitude: eb.ref("excluded.longitude"),
          import_id: eb.ref("excluded.import_id"),
          imported_at: eb.ref("excluded.imported_at"),
        })),
      )
      .execute();
  }
  const counts = { added: preview.added.length, updated: preview.updated.length, unchanged: preview.unchanged };
  await recordAuditEvent(trx, ctx, {
    action: "postcode_districts.imported",
    summary: `Imported postcode district locations from ${preview.fileName}: ${counts.added} added, ${counts.updated} updated, ${counts.unchanged} unchanged`,
    subjects: [{ type: "postcode_district_import", id: record.id }],
    after: {
      File: preview.fileName,
      Format: preview.format === "outcode_centroids" ? "District centroids" : "ONS Postcode Directory",
      "Rows read": preview.rowsRead,
      "Rows without a location": preview.rowsSkipped,
      "Districts added": counts.added,
      "Districts updated": counts.updated,
      "Districts unchanged": counts.unchanged,
    },
  });
  return { importId: record.id, ...counts };
}

/** The centroid of each district asked for that is known; unknown ones are simply absent. */
export async function districtCentroids(db: Reader, outcodes: string[]): Promise<Map<string, DistrictCentroid>> {
  if (outcodes.length === 0) return new Map();
  const rows = await db.selectFrom("postcode_district").select(["outcode", "latitude", "longitude"]).where("outcode", "in", outcodes).execute();
  return new Map(rows.map((r) => [r.outcode, r]));
}

export interface DistrictImportRecord {
  id: string;
  importedAt: Date;
  importedBy: string | null;
  fileName: string;
  format: DistrictFileFormat;
  rowsRead: number;
  rowsSkipped: number;
  added: number;
  updated: number;
  unchanged: number;
}

/** How many districts are located, and the latest imports (newest first), for the administrator's page. */
export async function districtImports(db: Reader, limit = 10): Promise<{ districts: number; imports: DistrictImportRecord[] }> {
  const [count, rows] = await Promise.all([
    db.selectFrom("postcode_district").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow(),
    db
      .selectFrom("postcode_district_import as i")
      .leftJoin("app_user", "app_user.id", "i.imported_by")
      .select([
        "i.id",
        "i.imported_at",
        "app_user.full_name",
        "i.file_name",
        "i.format",
        "i.rows_read",
        "i.rows_skipped",
        "i.districts_added",
        "i.districts_updated",
        "i.districts_unchanged",
      ])
      .orderBy("i.imported_at", "desc")
      .orderBy("i.id")
      .limit(limit)
      .execute(),
  ]);
  return {
    districts: Number(count.n),
    imports: rows.map((r) => ({
      id: r.id,
      importedAt: r.imported_at,
      importedBy: r.full_name,
      fileName: r.file_name,
      format: r.format,
      rowsRead: r.rows_read,
      rowsSkipped: r.rows_skipped,
      added: r.districts_added,
      updated: r.districts_updated,
      unchanged: r.districts_unchanged,
    })),
  };
}
