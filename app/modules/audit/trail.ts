// Reading the audit trail: the filters people browse it by (from URL search
// params), a page of events newest first, a streamed CSV export, one record's
// whole history and what an audit extract of that record needs.
import { sql, type SelectQueryBuilder } from "kysely";
import { z } from "zod";
import { DATE_PARTS, EMPTY_DATE, parseDateInput, typedDateFromIso, type DatePart, type TypedDate } from "#app/modules/common/date-input";
import type { AuditEventRow, Database, Reader } from "#app/database/schema";
import { keptWhileChainUnchanged } from "./audit";
import { actionLabel } from "./actions";
import type { Subject } from "./canonical";
import { csvRow } from "./csv";
import { recordNames } from "./record-titles";
import { changeText, describeActor, describeChange, referencedRecords, subjectName, type RecordNames } from "./wording";

export type { Subject } from "./canonical";

// ---------------------------------------------------------------------------
// Filters

export interface AuditFilter {
  /** Record type, e.g. "home"; alone it means every record of that type. */
  subjectType?: string;
  /** Record id; alone it matches that id whatever the record's type. */
  subjectId?: string;
  /** The person who acted. */
  actorUserId?: string;
  /** Machine name, e.g. "user.invited". */
  action?: string;
  /** First UK day to include, 'YYYY-MM-DD'. */
  from?: string;
  /** Last UK day to include, 'YYYY-MM-DD'. */
  to?: string;
  /** Paging cursor: only events with a lower sequence number (older). */
  before?: number;
  /** Paging cursor: only events with a higher sequence number (newer). */
  after?: number;
}

export type AuditFilterField = keyof AuditFilter;
export const AUDIT_FILTER_FIELDS = ["subjectType", "subjectId", "actorUserId", "action", "from", "to", "before", "after"] as const satisfies readonly AuditFilterField[];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RECORD_TYPE = /^[a-z][a-z0-9_]{0,49}$/;
const ACTION_NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

/** A blank box in the filter form means "any", not an error. */
function blankToAbsent(value: unknown): unknown {
  if (typeof value === "number") return String(value);
  if (typeof value !== "string") return value;
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

function param<T extends z.ZodType<unknown, string>>(schema: T) {
  return z.preprocess(blankToAbsent, schema.optional());
}

function text(notText: string) {
  return z.string({ error: notText });
}

export function isRealDate(value: string): boolean {
  const match = /^([1-9]\d{3})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

// The dates are checked apart from the schema (parseAuditDate): a form sends
// them as day, month and year boxes, a link as 'YYYY-MM-DD'.
export const auditFilterSchema = z.object({
  subjectType: param(
    text("Enter a record type").regex(RECORD_TYPE, "Enter a record type in lower case letters, like home or agreement"),
  ),
  subjectId: param(text("Enter a record ID").max(200, "The record ID must be 200 characters or fewer")),
  actorUserId: param(text("Choose a person from the list").regex(UUID, "Choose a person from the list")),
  action: param(text("Choose an action from the list").regex(ACTION_NAME, "Choose an action from the list")),
  before: pageCursor(),
  after: pageCursor(),
});

function pageCursor() {
  return param(
    text("This page link is not valid: go back to the first page")
      .regex(/^[1-9]\d{0,14}$/, "This page link is not valid: go back to the first page")
      .transform(Number),
  );
}

/**
 * Errors keyed by the id of the box to fix, which is where the error summary
 * links: a field's name, or for a date the first wrong box ("from-month").
 */
export type AuditFilterErrors = Partial<Record<string, string>>;

export type AuditDateField = "from" | "to";

/** What a date input shows: what was typed, and the message and boxes to highlight when it is wrong. */
export interface AuditDateBoxes {
  typed: TypedDate;
  error?: { message: string; parts: DatePart[] };
}

export type ParsedAuditFilter = ({ success: true; filter: AuditFilter } | { success: false; errors: AuditFilterErrors }) & {
  dates: Record<AuditDateField, AuditDateBoxes>;
};

const DATE_LABELS: Record<AuditDateField, string> = { from: "Date from", to: "Date to" };

type FilterInput = URLSearchParams | Record<string, unknown>;

function read(input: FilterInput, name: string): unknown {
  return input instanceof URLSearchParams ? (input.get(name) ?? undefined) : input[name];
}

/** One date of the filter, from its three boxes if the form sent them, else from a 'YYYY-MM-DD' link. */
function parseAuditDate(input: FilterInput, field: AuditDateField): { iso?: string; boxes: AuditDateBoxes } {
  const label = DATE_LABELS[field];
  const parts = DATE_PARTS.map((part) => read(input, `${field}-${part}`));
  if (parts.some((value) => value !== undefined && value !== null)) {
    if (parts.some((value) => value !== undefined && value !== null && typeof value !== "string")) {
      return { boxes: { typed: { ...EMPTY_DATE }, error: { message: `${label} must be a real date`, parts: ["day"] } } };
    }
    const typed = Object.fromEntries(DATE_PARTS.map((part, i) => [part, (parts[i] as string | undefined) ?? ""])) as TypedDate;
    const result = parseDateInput(typed, label);
    if (result.kind === "problem") return { boxes: { typed, error: { message: result.message, parts: result.parts } } };
    return { iso: result.kind === "date" ? result.iso : undefined, boxes: { typed } };
  }
  const raw = blankToAbsent(read(input, field));
  if (raw === undefined) return { boxes: { typed: { ...EMPTY_DATE } } };
  if (typeof raw === "string" && isRealDate(raw)) return { iso: raw, boxes: { typed: typedDateFromIso(raw) } };
  const typed = typeof raw === "string" ? typedDateFromIso(raw) : { ...EMPTY_DATE };
  return { boxes: { typed, error: { message: `${label} must be a real date`, parts: [...DATE_PARTS] } } };
}

/**
 * Parses the browse page's search params. Errors are keyed for the error
 * summary (see AuditFilterErrors), first message per field; dates carry what
 * was typed so the boxes show it again.
 */
export function parseAuditFilter(input: FilterInput): ParsedAuditFilter {
  const raw: Record<string, unknown> = {};
  for (const field of auditFilterSchema.keyof().options) raw[field] = read(input, field);
  const result = auditFilterSchema.safeParse(raw);
  const from = parseAuditDate(input, "from");
  const to = parseAuditDate(input, "to");
  // 'YYYY-MM-DD' strings compare in date order.
  if (from.iso && to.iso && to.iso < from.iso) {
    to.boxes.error = { message: "Date to must be the same as or after date from", parts: [...DATE_PARTS] };
    to.iso = undefined;
  }
  const dates = { from: from.boxes, to: to.boxes };
  const errors: AuditFilterErrors = {};
  for (const issue of result.error?.issues ?? []) {
    const field = issue.path[0];
    if (typeof field === "string") errors[field] ??= issue.message;
  }
  for (const field of ["from", "to"] as const) {
    const error = dates[field].error;
    if (error) errors[`${field}-${error.parts[0]}`] = error.message;
  }
  if (!result.success || Object.keys(errors).length > 0) return { success: false, errors, dates };
  return { success: true, filter: withoutAbsent({ ...result.data, from: from.iso, to: to.iso }), dates };
}

/** The search params for a filter, for "next page" and "download CSV" links. */
export function auditFilterSearchParams(filter: AuditFilter): URLSearchParams {
  const params = new URLSearchParams();
  for (const field of AUDIT_FILTER_FIELDS) {
    const value = filter[field];
    if (value !== undefined) params.set(field, String(value));
  }
  return params;
}

function withoutAbsent(filter: AuditFilter): AuditFilter {
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)) as AuditFilter;
}

// ---------------------------------------------------------------------------
// Events as pages show them

export interface AuditEventActor {
  userId: string;
  name: string;
  roles: string[];
  organisationId: string | null;
  organisationName: string | null;
}

export interface AuditEventView {
  seq: number;
  occurredAt: Date;
  /** null when the portal itself acted. */
  actor: AuditEventActor | null;
  action: string;
  actionLabel: string;
  summary: string;
  subjects: Subject[];
  before: unknown;
  after: unknown;
  reason: string | null;
  requestId: string | null;
  clientAddress: string | null;
  hash: string;
  prevHash: string;
}

export function toAuditEventView(row: AuditEventRow): AuditEventView {
  return { ...sharedFields(row), before: row.before, hash: row.hash, prevHash: row.prev_hash };
}

/** What an event shows in the trail's list and on its pages alike, from its row. */
function sharedFields(row: Omit<AuditEventRow, "before" | "hash" | "prev_hash">): Omit<AuditEventView, "before" | "hash" | "prevHash"> {
  return {
    seq: row.seq,
    occurredAt: row.occurred_at,
    actor:
      row.actor_user_id === null
        ? null
        : {
            userId: row.actor_user_id,
            name: row.actor_name ?? "Unknown person",
            roles: row.actor_roles,
            organisationId: row.actor_organisation_id,
            organisationName: row.actor_organisation_name,
          },
    action: row.action,
    actionLabel: actionLabel(row.action),
    summary: row.summary,
    subjects: (row.subjects as Subject[] | null) ?? [],
    after: row.after,
    reason: row.reason,
    requestId: row.request_id,
    clientAddress: row.client_address,
  };
}

function toAuditListEvent(row: Omit<AuditEventRow, "before" | "hash" | "prev_hash"> & { subject_count: number }): AuditListEvent {
  return { ...sharedFields(row), subjectCount: row.subject_count };
}

/**
 * The event exactly as stored, for auditors: every field the hash covers,
 * under its stored name, and the previous hash.
 */
export function storedEventJson(event: AuditEventView): string {
  return JSON.stringify(
    {
      seq: event.seq,
      occurredAt: event.occurredAt,
      actorUserId: event.actor?.userId ?? null,
      actorName: event.actor?.name ?? null,
      actorRoles: event.actor?.roles ?? [],
      actorOrganisationId: event.actor?.organisationId ?? null,
      actorOrganisationName: event.actor?.organisationName ?? null,
      action: event.action,
      summary: event.summary,
      subjects: event.subjects,
      before: event.before ?? null,
      after: event.after ?? null,
      reason: event.reason,
      requestId: event.requestId,
      clientAddress: event.clientAddress,
      prevHash: event.prevHash,
    },
    null,
    2,
  );
}

// ---------------------------------------------------------------------------
// Queries

type AuditQuery<O> = SelectQueryBuilder<Database, "audit_event", O>;

/**
 * Everything in the filter except the paging cursor. Subjects are matched
 * with jsonb containment so the GIN index (jsonb_path_ops) serves it; UK days
 * become UTC instants inside PostgreSQL, whose time zone data knows BST.
 */
function applyFilter<O>(query: AuditQuery<O>, filter: AuditFilter): AuditQuery<O> {
  let q = query;
  if (filter.subjectType !== undefined || filter.subjectId !== undefined) {
    const wanted: Partial<Subject> = {};
    if (filter.subjectType !== undefined) wanted.type = filter.subjectType;
    if (filter.subjectId !== undefined) wanted.id = filter.subjectId;
    q = q.where(sql<boolean>`subjects @> ${JSON.stringify([wanted])}::jsonb`);
  }
  if (filter.actorUserId !== undefined) q = q.where("actor_user_id", "=", filter.actorUserId);
  if (filter.action !== undefined) q = q.where("action", "=", filter.action);
  if (filter.from !== undefined) {
    q = q.where("occurred_at", ">=", sql<Date>`(${filter.from}::date)::timestamp AT TIME ZONE 'Europe/London'`);
  }
  if (filter.to !== undefined) {
    // The whole of the 'to' day: up to (not including) the next UK midnight.
    q = q.where("occurred_at", "<", sql<Date>`(${filter.to}::date + 1)::timestamp AT TIME ZONE 'Europe/London'`);
  }
  return q;
}

/**
 * An event as the trail lists it: without the before and after values or the
 * hashes, which the list never shows and which cost the most to read; `after`
 * keeps only the address typed for a sign-in attempt with no one signed in.
 * `subjects` holds at most the first LISTED_RECORDS of the records the event
 * names, and `subjectCount` how many it names in all: the rest are on the
 * event's own page (decision 034).
 */
export type AuditListEvent = Omit<AuditEventView, "before" | "hash" | "prevHash"> & { subjectCount: number };

/** How many of an event's records the trail lists before "and 303 more" (decision 034). */
export const LISTED_RECORDS = 10;

export interface AuditPage {
  /** Newest first. */
  events: AuditListEvent[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: number | null;
  /** Pass as `after` for the previous (newer) page; null on the first page. */
  previousAfter: number | null;
}

/**
 * One page of the filtered trail, newest first, by keyset on the sequence
 * number: `before` pages back in time, `after` forward. No count(*): one
 * extra row says whether there is more in the direction of travel, and a
 * one-row probe whether there is anything the other way.
 */
export async function searchAuditTrail(
  db: Reader,
  filter: AuditFilter,
  options: { pageSize?: number } = {},
): Promise<AuditPage> {
  const pageSize = Math.min(Math.max(Math.trunc(options.pageSize ?? 50), 1), 500);
  const filtered = () =>
    applyFilter(
      db
        .selectFrom("audit_event")
        .select([
          "seq",
          "occurred_at",
          "actor_user_id",
          "actor_name",
          "actor_roles",
          "actor_organisation_id",
          "actor_organisation_name",
          "action",
          "summary",
          // The first few records only, and how many there are (decision 034).
          sql<Subject[]>`jsonb_path_query_array(subjects, ${`$[0 to ${LISTED_RECORDS - 1}]`}::jsonpath)`.as("subjects"),
          sql<number>`jsonb_array_length(subjects)`.as("subject_count"),
          "reason",
          "request_id",
          "client_address",
          sql<unknown>`CASE WHEN actor_user_id IS NULL AND after ? 'email' THEN jsonb_build_object('email', after->'email') END`.as("after"),
        ]),
      filter,
    );
  const forward = filter.before === undefined && filter.after !== undefined;
  let query = filtered();
  if (filter.before !== undefined) query = query.where("seq", "<", filter.before);
  else if (filter.after !== undefined) query = query.where("seq", ">", filter.after);
  const rows = await query
    .orderBy("seq", forward ? "asc" : "desc")
    .limit(pageSize + 1)
    .execute();
  const more = rows.length > pageSize;
  const kept = rows.slice(0, pageSize);
  const page = (forward ? kept.reverse() : kept).map(toAuditListEvent);
  const newest = page[0];
  const oldest = page[page.length - 1];
  const exists = async (direction: "newer" | "older", than: number) =>
    (await applyFilter(db.selectFrom("audit_event").select("seq"), filter)
      .where("seq", direction === "newer" ? ">" : "<", than)
      .limit(1)
      .executeTakeFirst()) !== undefined;
  let hasOlder: boolean;
  let hasNewer: boolean;
  if (forward) {
    hasNewer = more;
    hasOlder = oldest ? await exists("older", oldest.seq) : await exists("older", filter.after! + 1);
  } else {
    hasOlder = more;
    hasNewer = filter.before === undefined ? false : await exists("newer", newest ? newest.seq : filter.before - 1);
  }
  return {
    events: page,
    nextBefore: hasOlder && oldest ? oldest.seq : hasOlder ? filter.after! + 1 : null,
    previousAfter: hasNewer && newest ? newest.seq : hasNewer ? filter.before! - 1 : null,
  };
}

/** A page of the trail with the names of the records its events name. */
export interface NamedAuditPage {
  page: AuditPage;
  names: RecordNames;
}

/**
 * A page of the filtered trail (searchAuditTrail) and the names of its
 * records. The trail as most people open it, the newest events with no
 * filter, is reused while the audit chain is unchanged (decision 046): only
 * a new event can change that page, and the names of the records it shows
 * change only with an audited change. A filtered or older page is read
 * afresh each time.
 */
export function namedAuditPage(db: Reader, filter: AuditFilter, pageSize: number): Promise<NamedAuditPage> {
  const read = async () => {
    const page = await searchAuditTrail(db, filter, { pageSize });
    return { page, names: await recordNames(db, page.events.flatMap((e) => e.subjects)) };
  };
  const unfiltered = AUDIT_FILTER_FIELDS.every((field) => filter[field] === undefined);
  return unfiltered ? keptWhileChainUnchanged(db, `audit-trail|newest|${pageSize}`, read) : read();
}

/** One event, in full, by its number in the chain; null when there is none. */
export async function auditEvent(db: Reader, seq: number): Promise<AuditEventView | null> {
  const row = await db.selectFrom("audit_event").selectAll().where("seq", "=", seq).executeTakeFirst();
  return row ? toAuditEventView(row) : null;
}

/** Every event that names the record, oldest first. */
export async function recordHistory(db: Reader, subject: Subject): Promise<AuditEventView[]> {
  const rows = await applyFilter(db.selectFrom("audit_event").selectAll(), { subjectType: subject.type, subjectId: subject.id })
    .orderBy("seq", "asc")
    .execute();
  return rows.map(toAuditEventView);
}

export interface ChainPoint {
  seq: number;
  hash: string;
}

export interface CheckpointSummary extends ChainPoint {
  signedAt: Date;
  keyId: string;
}

export interface AuditExtractData {
  events: AuditEventView[];
  /** The last event in the trail: the extract's events all lead up to it. */
  chainHead: ChainPoint | null;
  latestCheckpoint: CheckpointSummary | null;
}

/**
 * What the audit extract of one record shows. The chain head is read from
 * the last event itself, not from audit_chain_head, which is bookkeeping.
 * Call inside a REPEATABLE READ transaction for one consistent snapshot.
 */
export async function loadAuditExtract(db: Reader, subject: Subject): Promise<AuditExtractData> {
  const events = await recordHistory(db, subject);
  const head = await db.selectFrom("audit_event").select(["seq", "hash"]).orderBy("seq", "desc").limit(1).executeTakeFirst();
  const checkpoint = await db
    .selectFrom("audit_checkpoint")
    .select(["seq", "hash", "signed_at", "key_id"])
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  return {
    events,
    chainHead: head ? { seq: head.seq, hash: head.hash } : null,
    latestCheckpoint: checkpoint
      ? { seq: checkpoint.seq, hash: checkpoint.hash, signedAt: checkpoint.signed_at, keyId: checkpoint.key_id }
      : null,
  };
}

// ---------------------------------------------------------------------------
// CSV export

export const AUDIT_CSV_COLUMNS = [
  "Sequence",
  "Time (UK)",
  "Time (UTC ISO)",
  "Person",
  "Roles",
  "Organisation",
  "Action",
  "Summary",
  "Records",
  "Reason",
  "Before (JSON)",
  "After (JSON)",
  "Request ID",
  "Client address",
  "Hash",
  // In words, after the exact columns, so spreadsheets built on the columns above keep working.
  "Records (names)",
  "Changes (in words)",
] as const;

export interface AuditCsvOptions {
  /** Rows fetched per query; memory use is bounded by this, not the trail. */
  batchSize?: number;
  /** Starts the file with a UTF-8 byte order mark so Excel reads £ and é. */
  byteOrderMark?: boolean;
}

/**
 * The filtered trail as CSV, oldest first, one chunk for the header and one
 * per batch. The paging cursor (`before`) is ignored: an export is the whole
 * of the filter. It stops at the event that was last when it started, so a
 * long export is one point in the chain however long it takes: events are
 * numbered under the chain lock and never change, so events up to that point
 * are all committed and final.
 */
export async function* exportAuditTrailCsv(
  db: Reader,
  filter: AuditFilter,
  options: AuditCsvOptions = {},
): AsyncGenerator<string, void, undefined> {
  const batchSize = Math.max(Math.trunc(options.batchSize ?? 2_000), 1);
  yield `${options.byteOrderMark === false ? "" : "\uFEFF"}${csvRow(AUDIT_CSV_COLUMNS)}`;
  const head = await db.selectFrom("audit_event").select("seq").orderBy("seq", "desc").limit(1).executeTakeFirst();
  if (!head) return;
  let after = 0;
  for (;;) {
    const rows = await applyFilter(db.selectFrom("audit_event").selectAll(), filter)
      .where("seq", ">", after)
      .where("seq", "<=", head.seq)
      .orderBy("seq", "asc")
      .limit(batchSize)
      .execute();
    if (rows.length === 0) return;
    const events = rows.map(toAuditEventView);
    // One query per kind of record per batch, not per row.
    const names = await recordNames(db, referencedRecords(events));
    yield events.map((event) => csvRow(csvCells(event, names))).join("");
    after = rows[rows.length - 1]!.seq;
    if (rows.length < batchSize) return;
  }
}

function csvCells(event: AuditEventView, names: RecordNames): (string | number)[] {
  return [
    event.seq,
    formatUkDateTime(event.occurredAt, "sortable"),
    event.occurredAt.toISOString(),
    describeActor(event).who,
    event.actor ? event.actor.roles.map(roleLabel).join("; ") : "",
    event.actor?.organisationName ?? "",
    `${event.actionLabel} (${event.action})`,
    event.summary,
    event.subjects.map(subjectText).join("; "),
    event.reason ?? "",
    event.before === null || event.before === undefined ? "" : JSON.stringify(event.before),
    event.after === null || event.after === undefined ? "" : JSON.stringify(event.after),
    event.requestId ?? "",
    event.clientAddress ?? "",
    event.hash,
    event.subjects.map((s) => subjectName(s, names)).join("; "),
    describeChange(event, names)
      .map((c) => `${c.label}: ${changeText(c)}`)
      .join("; "),
  ];
}

// ---------------------------------------------------------------------------
// Wording shared by the pages, the CSV and the PDF

export { SYSTEM_ACTOR } from "./wording";

export function subjectText(subject: Subject): string {
  return `${subject.type} ${subject.id}`;
}

/** "commissioning_officer" -> "Commissioning officer". */
export function roleLabel(role: string): string {
  const words = role.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const ukParts = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
  timeZoneName: "short",
});
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * A moment in UK time with its zone (GMT or BST), so the repeated hour when
 * the clocks go back is never ambiguous. "sortable": 2025-03-27 14:05:09 GMT
 * (for spreadsheets); "readable": 27 Mar 2025 14:05:09 GMT.
 */
export function formatUkDateTime(date: Date, style: "sortable" | "readable" = "readable"): string {
  const parts: Record<string, string> = {};
  for (const part of ukParts.formatToParts(date)) parts[part.type] = part.value;
  const time = `${parts.hour}:${parts.minute}:${parts.second} ${parts.timeZoneName}`;
  if (style === "sortable") return `${parts.year}-${parts.month}-${parts.day} ${time}`;
  return `${Number(parts.day)} ${MONTHS[Number(parts.month) - 1]} ${parts.year} ${time}`;
}
