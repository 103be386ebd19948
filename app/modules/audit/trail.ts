// Reading the audit trail: the filters people browse it by (from URL search
// params), a page of events newest first, a streamed CSV export, one record's
// whole history and what an audit extract of that record needs.
import { sql, type SelectQueryBuilder } from "kysely";
import { z } from "zod";
import type { AuditEventRow, Database, Reader } from "#app/database/schema";
import { actionLabel } from "./actions";
import type { Subject } from "./canonical";
import { csvRow } from "./csv";

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
  /** Paging cursor: only events with a lower sequence number. */
  before?: number;
}

export type AuditFilterField = keyof AuditFilter;
export const AUDIT_FILTER_FIELDS = ["subjectType", "subjectId", "actorUserId", "action", "from", "to", "before"] as const satisfies readonly AuditFilterField[];

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

function ukDay(which: "from" | "to") {
  const message = `Enter a real date for '${which}', like 2025-03-27`;
  return text(message).refine(isRealDate, message);
}

export const auditFilterSchema = z
  .object({
    subjectType: param(
      text("Enter a record type").regex(RECORD_TYPE, "Enter a record type in lower case letters, like home or agreement"),
    ),
    subjectId: param(text("Enter a record ID").max(200, "The record ID must be 200 characters or fewer")),
    actorUserId: param(text("Choose a person from the list").regex(UUID, "Choose a person from the list")),
    action: param(text("Choose an action from the list").regex(ACTION_NAME, "Choose an action from the list")),
    from: param(ukDay("from")),
    to: param(ukDay("to")),
    before: param(
      text("This page link is not valid: go back to the first page")
        .regex(/^[1-9]\d{0,14}$/, "This page link is not valid: go back to the first page")
        .transform(Number),
    ),
  })
  .superRefine((filter, ctx) => {
    // 'YYYY-MM-DD' strings compare in date order.
    if (filter.from && filter.to && filter.to < filter.from) {
      ctx.addIssue({
        code: "custom",
        path: ["to"],
        message: "The 'to' date must be the same as or after the 'from' date",
      });
    }
  });

export type AuditFilterErrors = Partial<Record<AuditFilterField, string>>;

export type ParsedAuditFilter = { success: true; filter: AuditFilter } | { success: false; errors: AuditFilterErrors };

/**
 * Parses the browse page's search params. Errors are keyed by field, first
 * message per field, ready for an error summary and the fields themselves.
 */
export function parseAuditFilter(input: URLSearchParams | Record<string, unknown>): ParsedAuditFilter {
  const raw: Record<string, unknown> = {};
  for (const field of AUDIT_FILTER_FIELDS) {
    raw[field] = input instanceof URLSearchParams ? (input.get(field) ?? undefined) : input[field];
  }
  const result = auditFilterSchema.safeParse(raw);
  if (result.success) return { success: true, filter: withoutAbsent(result.data) };
  const errors: AuditFilterErrors = {};
  for (const issue of result.error.issues) {
    const field = issue.path[0];
    if (typeof field === "string" && (AUDIT_FILTER_FIELDS as readonly string[]).includes(field)) {
      errors[field as AuditFilterField] ??= issue.message;
    }
  }
  return { success: false, errors };
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
    before: row.before,
    after: row.after,
    reason: row.reason,
    requestId: row.request_id,
    clientAddress: row.client_address,
    hash: row.hash,
    prevHash: row.prev_hash,
  };
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

export interface AuditPage {
  /** Newest first. */
  events: AuditEventView[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: number | null;
}

export async function searchAuditTrail(
  db: Reader,
  filter: AuditFilter,
  options: { pageSize?: number } = {},
): Promise<AuditPage> {
  const pageSize = Math.min(Math.max(Math.trunc(options.pageSize ?? 50), 1), 500);
  let query = applyFilter(db.selectFrom("audit_event").selectAll(), filter);
  if (filter.before !== undefined) query = query.where("seq", "<", filter.before);
  // One extra row tells us whether an older page exists without a count(*).
  const rows = await query.orderBy("seq", "desc").limit(pageSize + 1).execute();
  const page = rows.slice(0, pageSize).map(toAuditEventView);
  const last = page[page.length - 1];
  return { events: page, nextBefore: rows.length > pageSize && last ? last.seq : null };
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
    yield rows.map((row) => csvRow(csvCells(toAuditEventView(row)))).join("");
    after = rows[rows.length - 1]!.seq;
    if (rows.length < batchSize) return;
  }
}

function csvCells(event: AuditEventView): (string | number)[] {
  return [
    event.seq,
    formatUkDateTime(event.occurredAt, "sortable"),
    event.occurredAt.toISOString(),
    event.actor ? event.actor.name : SYSTEM_ACTOR,
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
  ];
}

// ---------------------------------------------------------------------------
// Wording shared by the pages, the CSV and the PDF

/** Who "acted" when no person did: the seed, the scheduler, an unknown sign-in. */
export const SYSTEM_ACTOR = "The portal (automatic)";

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
