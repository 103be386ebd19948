// Tenders: an officer's draft for an agreement (procedure, light-touch
// choice, legal basis, UK timeline, lots on offer), read back for pages and
// notices, and its history from the audit trail. Publishing, amending and
// cancelling are in publication.ts; the questionnaire in questionnaires.ts.
import type { Reader, Tender, TenderProcedure, TenderStatus, Trx } from "#app/database/schema";
import { sql } from "kysely";
import { keptWhileChainUnchanged, recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { recordHistory, type AuditEventView } from "#app/modules/audit/trail";
import { isoDate, isUuid, longDate, optionalText, requiredText, ukDate } from "#app/modules/common/input";
import { ActionRefused, ConcurrentEditError, RecordNotFound } from "#app/modules/errors";
import type { ActionContext } from "#app/modules/identity/actor";
import { formatUkDateTime } from "#emails/format";
import { reopeningRule, ukTimeToUtc, type UkDateTime } from "./timeline";

registerAuditActions({
  "tender.created": "Created a tender",
  "tender.updated": "Changed a draft tender",
  "tender.lots_chosen": "Chose a tender's lots",
});

export interface ProcedureInfo {
  label: string;
  /** Filled in when the officer gives none; what a tender notice cites. */
  legalBasis: string;
  /** OCDS tender.procurementMethod. */
  ocdsMethod: "open" | "selective";
}

export const PROCEDURES: Record<TenderProcedure, ProcedureInfo> = {
  open: { label: "Open procedure", legalBasis: "Procurement Act 2023, section 20(2)(a) (open procedure)", ocdsMethod: "open" },
  competitive_flexible: {
    label: "Competitive flexible procedure",
    legalBasis: "Procurement Act 2023, section 20(2)(b) (competitive flexible procedure)",
    ocdsMethod: "selective",
  },
  open_framework: {
    label: "Open framework",
    legalBasis: "Procurement Act 2023, sections 45 to 49 (open framework)",
    ocdsMethod: "open",
  },
  dynamic_market: {
    label: "Dynamic market",
    legalBasis: "Procurement Act 2023, sections 34 to 40 (dynamic market)",
    ocdsMethod: "selective",
  },
};

export function isTenderProcedure(value: string): value is TenderProcedure {
  return Object.hasOwn(PROCEDURES, value);
}

export const TENDER_STATUS_LABELS: Record<TenderStatus, string> = {
  draft: "Draft",
  published: "Published",
  cancelled: "Cancelled",
};

/** What an officer sets on a draft. Times are UK wall-clock ("2027-03-01T12:00"); days 'YYYY-MM-DD'. */
export interface TenderDetails {
  title: string;
  summary?: string;
  procedure: TenderProcedure;
  lightTouch: boolean;
  /** Empty: the procedure's usual basis. */
  legalBasis?: string | null;
  publicationAt?: UkDateTime | null;
  clarificationDeadlineAt?: UkDateTime | null;
  submissionDeadlineAt?: UkDateTime | null;
  intendedAwardOn?: string | null;
  intendedContractStartOn?: string | null;
  /** Open frameworks: the scheme's first day (a re-opening takes its framework's). */
  schemeStartOn?: string | null;
  /** Open frameworks: empty means the latest day the rule allows. */
  nextReopeningDueOn?: string | null;
  /** A re-opening: the published open framework tender it re-opens. */
  reopensTenderId?: string | null;
  /** Competitive flexible only: conditions of participation first, then bids from those who pass (decision 035). */
  participationStage?: boolean;
  /** With a participation stage: when requests to participate close. */
  participationDeadlineAt?: UkDateTime | null;
}

/** The tender's columns an officer controls, as stored. */
interface TenderColumns {
  title: string;
  summary: string;
  procedure: TenderProcedure;
  light_touch: boolean;
  legal_basis: string;
  publication_at: Date | null;
  clarification_deadline_at: Date | null;
  submission_deadline_at: Date | null;
  intended_award_on: string | null;
  intended_contract_start_on: string | null;
  scheme_start_on: string | null;
  next_reopening_due_on: string | null;
  reopens_tender_id: string | null;
  participation_stage: boolean;
  participation_deadline_at: Date | null;
}

type ColumnName = keyof TenderColumns;

/** The names people read for each column, used in audit before/after and amendment lists. */
export const TENDER_FIELD_LABELS: Record<ColumnName, string> = {
  title: "Title",
  summary: "Summary",
  procedure: "Procedure",
  light_touch: "Light-touch regime",
  legal_basis: "Legal basis",
  publication_at: "Publication",
  clarification_deadline_at: "Clarification deadline",
  submission_deadline_at: "Submission deadline",
  intended_award_on: "Intended award date",
  intended_contract_start_on: "Intended contract start",
  scheme_start_on: "Scheme start",
  next_reopening_due_on: "Next re-opening due",
  reopens_tender_id: "Re-opens framework tender",
  participation_stage: "Participation stage",
  participation_deadline_at: "Participation deadline",
};

/** The form field a column is typed in, so a problem can point at it. */
export const TENDER_FORM_FIELDS: Record<ColumnName, keyof TenderDetails> = {
  title: "title",
  summary: "summary",
  procedure: "procedure",
  light_touch: "lightTouch",
  legal_basis: "legalBasis",
  publication_at: "publicationAt",
  clarification_deadline_at: "clarificationDeadlineAt",
  submission_deadline_at: "submissionDeadlineAt",
  intended_award_on: "intendedAwardOn",
  intended_contract_start_on: "intendedContractStartOn",
  scheme_start_on: "schemeStartOn",
  next_reopening_due_on: "nextReopeningDueOn",
  reopens_tender_id: "reopensTenderId",
  participation_stage: "participationStage",
  participation_deadline_at: "participationDeadlineAt",
};

const COLUMN_NAMES = Object.keys(TENDER_FIELD_LABELS) as ColumnName[];

function ukInstant(value: UkDateTime | null | undefined, field: keyof TenderDetails, label: string): Date | null {
  if (value === null || value === undefined || value.trim() === "") return null;
  return ukTimeToUtc(value, field, label);
}

function day(value: string | null | undefined, field: keyof TenderDetails, label: string): string | null {
  if (value === null || value === undefined || value.trim() === "") return null;
  return isoDate(value, field, label);
}

async function columnsFrom(trx: Reader, agreementId: string, input: TenderDetails, selfId: string | null): Promise<TenderColumns> {
  if (!isTenderProcedure(input.procedure)) throw new ActionRefused("Select the procedure", "procedure");
  if (typeof input.lightTouch !== "boolean") throw new ActionRefused("Select whether the light-touch regime applies", "lightTouch");
  const columns: TenderColumns = {
    title: requiredText(input.title, "title", "title"),
    summary: optionalText(input.summary, "summary", "summary", 5000) ?? "",
    procedure: input.procedure,
    light_touch: input.lightTouch,
    legal_basis: optionalText(input.legalBasis, "legalBasis", "legal basis", 300) ?? PROCEDURES[input.procedure].legalBasis,
    publication_at: ukInstant(input.publicationAt, "publicationAt", "Publication date and time"),
    clarification_deadline_at: ukInstant(input.clarificationDeadlineAt, "clarificationDeadlineAt", "Clarification deadline"),
    submission_deadline_at: ukInstant(input.submissionDeadlineAt, "submissionDeadlineAt", "Submission deadline"),
    intended_award_on: day(input.intendedAwardOn, "intendedAwardOn", "intended award date"),
    intended_contract_start_on: day(input.intendedContractStartOn, "intendedContractStartOn", "intended contract start"),
    scheme_start_on: null,
    next_reopening_due_on: null,
    reopens_tender_id: null,
    ...participationColumns(input),
  };
  if (input.procedure !== "open_framework") {
    if (input.schemeStartOn || input.nextReopeningDueOn || input.reopensTenderId) {
      throw new ActionRefused("Only an open framework has a scheme start, re-opening dates or a framework it re-opens", "procedure");
    }
    return columns;
  }
  if (input.reopensTenderId) {
    const framework = await frameworkToReopen(trx, agreementId, input.reopensTenderId, selfId);
    columns.reopens_tender_id = framework.id;
    columns.scheme_start_on = framework.scheme_start_on;
  } else {
    columns.scheme_start_on = day(input.schemeStartOn, "schemeStartOn", "scheme start");
  }
  columns.next_reopening_due_on = day(input.nextReopeningDueOn, "nextReopeningDueOn", "next re-opening date");
  if (!columns.next_reopening_due_on && columns.scheme_start_on) {
    const previous = columns.reopens_tender_id ? await reopeningDays(trx, columns.reopens_tender_id) : [];
    columns.next_reopening_due_on = reopeningRule(columns.scheme_start_on, previous).dueBy;
  }
  return columns;
}

/** A competitive flexible tender's participation stage and its deadline; nothing for other procedures. */
function participationColumns(input: TenderDetails): Pick<TenderColumns, "participation_stage" | "participation_deadline_at"> {
  const deadline = ukInstant(input.participationDeadlineAt, "participationDeadlineAt", "Participation deadline");
  if (input.participationStage === true && input.procedure !== "competitive_flexible") {
    throw new ActionRefused("Only a competitive flexible procedure can have a participation stage", "participationStage");
  }
  if (deadline && input.participationStage !== true) {
    throw new ActionRefused("Only a tender with a participation stage has a participation deadline: choose yes, or clear the deadline", "participationDeadlineAt");
  }
  return { participation_stage: input.participationStage === true, participation_deadline_at: deadline };
}

async function frameworkToReopen(trx: Reader, agreementId: string, id: string, selfId: string | null) {
  const framework = isUuid(id)
    ? await trx
        .selectFrom("tender")
        .select(["id", "agreement_id", "procedure", "status", "scheme_start_on"])
        .where("id", "=", id)
        .executeTakeFirst()
    : undefined;
  if (!framework || framework.id === selfId || framework.agreement_id !== agreementId || framework.procedure !== "open_framework") {
    throw new ActionRefused("Select an open framework tender of this agreement to re-open", "reopensTenderId");
  }
  if (framework.status !== "published") throw new ActionRefused("Only a published open framework can be re-opened", "reopensTenderId");
  return framework;
}

/** The UK days on which a framework's re-openings were published, oldest first. */
export async function reopeningDays(db: Reader, frameworkTenderId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("tender")
    .select("publication_at")
    .where("reopens_tender_id", "=", frameworkTenderId)
    .where("published_at", "is not", null)
    .orderBy("publication_at")
    .execute();
  return rows.flatMap((r) => (r.publication_at ? [ukDate(r.publication_at)] : []));
}

/** A column's value as people read it, for audit events, amendments and emails. */
export function fieldInWords(column: ColumnName, value: unknown): string {
  if (value === null || value === undefined || value === "") return "Not set";
  if (value instanceof Date) return formatUkDateTime(value);
  if (column === "procedure") return PROCEDURES[value as TenderProcedure].label;
  if (column === "light_touch") return value ? "Applies" : "Does not apply";
  if (column === "participation_stage") return value ? "Conditions of participation first, then bids" : "None";
  if (column.endsWith("_on")) return longDate(String(value));
  return String(value);
}

/** Before and after of the columns that differ, keyed by the names people read. */
export function changedFields(before: TenderColumns, after: TenderColumns) {
  const changed = COLUMN_NAMES.filter((c) => !sameValue(before[c], after[c]));
  return {
    columns: changed,
    before: Object.fromEntries(changed.map((c) => [TENDER_FIELD_LABELS[c], fieldInWords(c, before[c])])),
    after: Object.fromEntries(changed.map((c) => [TENDER_FIELD_LABELS[c], fieldInWords(c, after[c])])),
  };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}

export function columnsOf(row: Tender): TenderColumns {
  return Object.fromEntries(COLUMN_NAMES.map((c) => [c, row[c]])) as unknown as TenderColumns;
}

export async function createTender(
  trx: Trx,
  input: TenderDetails & { agreementId: string },
  ctx: ActionContext,
): Promise<{ id: string }> {
  const agreement = isUuid(input.agreementId)
    ? await trx.selectFrom("agreement").select(["id", "reference", "title"]).where("id", "=", input.agreementId).executeTakeFirst()
    : undefined;
  if (!agreement) throw new ActionRefused("Select the agreement this tender is for", "agreementId");
  const columns = await columnsFrom(trx, agreement.id, input, null);
  const by = ctx.actor?.userId ?? null;
  const tender = await trx
    .insertInto("tender")
    .values({ ...columns, agreement_id: agreement.id, created_at: ctx.now, created_by: by, updated_at: ctx.now, updated_by: by })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAuditEvent(trx, ctx, {
    action: "tender.created",
    summary: `Created draft tender "${tender.title}" for agreement ${agreement.reference}`,
    subjects: [
      { type: "tender", id: tender.id },
      { type: "agreement", id: agreement.id },
    ],
    after: changedFields(emptyColumns(), columns).after,
  });
  return { id: tender.id };
}

function emptyColumns(): TenderColumns {
  return Object.fromEntries(COLUMN_NAMES.map((c) => [c, null])) as unknown as TenderColumns;
}

/**
 * Takes the tender's row lock and checks the version the person's page was
 * built on: the tender's version covers its questionnaire and lots too, so a
 * page built before any change to them is told, not overwritten.
 */
export async function lockTender(trx: Trx, tenderId: string, expectedVersion: number, options: { draft: boolean }): Promise<Tender> {
  const tender = isUuid(tenderId) ? await trx.selectFrom("tender").selectAll().where("id", "=", tenderId).forUpdate().executeTakeFirst() : undefined;
  if (!tender) throw new RecordNotFound("tender");
  if (tender.version !== expectedVersion) {
    throw new ConcurrentEditError("Someone else changed this tender while you were editing it. Check the tender as it is now and make your change again.");
  }
  if (options.draft && tender.status !== "draft") {
    throw new ActionRefused(
      tender.status === "published"
        ? "This tender has been published, so it can only be changed by an amendment"
        : "This tender has been cancelled and cannot be changed",
    );
  }
  return tender;
}

/** Marks the tender changed by this person now, so stale pages are refused. */
export async function touchTender(trx: Trx, tenderId: string, ctx: ActionContext, extra: Partial<TenderColumns> = {}): Promise<void> {
  await trx
    .updateTable("tender")
    .set((eb) => ({ ...extra, version: eb("version", "+", 1), updated_at: ctx.now, updated_by: ctx.actor?.userId ?? null }))
    .where("id", "=", tenderId)
    .execute();
}

export async function updateTender(
  trx: Trx,
  input: TenderDetails & { tenderId: string; expectedVersion: number },
  ctx: ActionContext,
): Promise<void> {
  const tender = await lockTender(trx, input.tenderId, input.expectedVersion, { draft: true });
  const before = columnsOf(tender);
  const after = await columnsFrom(trx, tender.agreement_id, input, tender.id);
  if (tender.calls_off_tender_id && after.procedure !== "dynamic_market") {
    throw new ActionRefused("A call-off competition is run under its dynamic market: keep the procedure as dynamic market", "procedure");
  }
  const diff = changedFields(before, after);
  if (diff.columns.length === 0) return;
  await touchTender(trx, tender.id, ctx, after);
  await recordAuditEvent(trx, ctx, {
    action: "tender.updated",
    summary: `Changed ${diff.columns.map((c) => TENDER_FIELD_LABELS[c].toLowerCase()).join(", ")} of draft tender "${after.title}"`,
    subjects: [{ type: "tender", id: tender.id }],
    before: diff.before,
    after: diff.after,
  });
}

/** The lots on offer: only lots of the tender's agreement. */
export async function chooseLots(
  trx: Trx,
  input: { tenderId: string; expectedVersion: number; lotIds: string[] },
  ctx: ActionContext,
): Promise<void> {
  const tender = await lockTender(trx, input.tenderId, input.expectedVersion, { draft: true });
  const wanted = [...new Set(input.lotIds)];
  if (tender.calls_off_lot_id && (wanted.length !== 1 || wanted[0] !== tender.calls_off_lot_id)) {
    throw new ActionRefused("A call-off competition offers only the lot of the dynamic market whose members compete", "lotIds");
  }
  const lots = wanted.length === 0 || !wanted.every(isUuid)
    ? []
    : await trx.selectFrom("lot").select(["id", "number", "title"]).where("agreement_id", "=", tender.agreement_id).where("id", "in", wanted).execute();
  if (lots.length !== wanted.length) throw new ActionRefused("Choose lots of this tender's agreement", "lotIds");
  const current = await tenderLots(trx, tender.id);
  const removed = current.filter((l) => !wanted.includes(l.id));
  const added = lots.filter((l) => !current.some((c) => c.id === l.id));
  if (removed.length === 0 && added.length === 0) return;
  if (removed.length > 0) {
    const ids = removed.map((l) => l.id);
    // A lot taken off a draft takes its price schedule and weights with it.
    const schedules = trx.selectFrom("tender_price_schedule").select("id").where("tender_id", "=", tender.id).where("lot_id", "in", ids);
    await trx.deleteFrom("tender_price_item").where("schedule_id", "in", schedules).execute();
    await trx.deleteFrom("tender_price_schedule").where("tender_id", "=", tender.id).where("lot_id", "in", ids).execute();
    await trx.deleteFrom("tender_question_weight").where("tender_id", "=", tender.id).where("lot_id", "in", ids).execute();
    await trx.deleteFrom("tender_lot").where("tender_id", "=", tender.id).where("lot_id", "in", ids).execute();
  }
  if (added.length > 0) {
    await trx
      .insertInto("tender_lot")
      .values(added.map((l) => ({ tender_id: tender.id, lot_id: l.id, agreement_id: tender.agreement_id, added_at: ctx.now })))
      .execute();
  }
  await touchTender(trx, tender.id, ctx);
  const names = (list: { number: number }[]) => list.map((l) => `Lot ${l.number}`).sort();
  await recordAuditEvent(trx, ctx, {
    action: "tender.lots_chosen",
    summary: `Lots on offer in "${tender.title}" are now ${names(lots).join(", ") || "none"}`,
    subjects: [{ type: "tender", id: tender.id }, ...lots.map((l) => ({ type: "lot", id: l.id }))],
    before: { "Lots on offer": names(current) },
    after: { "Lots on offer": names(lots) },
  });
}

export interface TenderLot {
  id: string;
  number: number;
  title: string;
  priceBasis: string;
  estimatedValuePence: number | null;
}

export async function tenderLots(db: Reader, tenderId: string): Promise<TenderLot[]> {
  const rows = await db
    .selectFrom("tender_lot")
    .innerJoin("lot", "lot.id", "tender_lot.lot_id")
    .select(["lot.id", "lot.number", "lot.title", "lot.price_basis", "lot.estimated_value_pence"])
    .where("tender_lot.tender_id", "=", tenderId)
    .orderBy("lot.number")
    .execute();
  return rows.map((r) => ({ id: r.id, number: r.number, title: r.title, priceBasis: r.price_basis, estimatedValuePence: r.estimated_value_pence }));
}

export interface TenderView {
  tender: Tender;
  agreement: { id: string; reference: string; title: string; leadCouncilId: string; leadCouncilName: string };
  lots: TenderLot[];
}

export async function getTender(db: Reader, tenderId: string): Promise<TenderView | null> {
  if (!isUuid(tenderId)) return null;
  const tender = await db.selectFrom("tender").selectAll().where("id", "=", tenderId).executeTakeFirst();
  if (!tender) return null;
  const agreement = await db
    .selectFrom("agreement")
    .innerJoin("organisation as lead", "lead.id", "agreement.lead_council_id")
    .select(["agreement.id", "agreement.reference", "agreement.title", "agreement.lead_council_id", "lead.name as leadCouncilName"])
    .where("agreement.id", "=", tender.agreement_id)
    .executeTakeFirstOrThrow();
  return {
    tender,
    agreement: {
      id: agreement.id,
      reference: agreement.reference,
      title: agreement.title,
      leadCouncilId: agreement.lead_council_id,
      leadCouncilName: agreement.leadCouncilName,
    },
    lots: await tenderLots(db, tender.id),
  };
}

/**
 * A tender's title and what the policy needs to decide about it, in one
 * query: for pages that need nothing else of getTender (its lots, its
 * agreement's name).
 */
export async function tenderForPolicy(db: Reader, tenderId: string): Promise<{ tender: Pick<Tender, "id" | "title" | "status" | "published_at">; agreement: { leadCouncilId: string } } | null> {
  if (!isUuid(tenderId)) return null;
  const row = await db
    .selectFrom("tender")
    .innerJoin("agreement", "agreement.id", "tender.agreement_id")
    .select(["tender.id", "tender.title", "tender.status", "tender.published_at", "agreement.lead_council_id"])
    .where("tender.id", "=", tenderId)
    .executeTakeFirst();
  return row ? { tender: { id: row.id, title: row.title, status: row.status, published_at: row.published_at }, agreement: { leadCouncilId: row.lead_council_id } } : null;
}

/** What the policy needs to decide about a tender (app/policy/policy.ts). */
export function tenderThing(view: { tender: Pick<Tender, "status" | "published_at">; agreement: Pick<TenderView["agreement"], "leadCouncilId"> }) {
  return { kind: "tender" as const, councilId: view.agreement.leadCouncilId, status: view.tender.status, everPublished: view.tender.published_at !== null };
}

/** Every audit event about the tender, oldest first: its timeline for officers. */
export async function tenderHistory(db: Reader, tenderId: string): Promise<AuditEventView[]> {
  return recordHistory(db, { type: "tender", id: tenderId });
}

/** A tender as the /tenders list shows it: key dates, lots, value and procedure. */
export interface TenderListItem {
  id: string;
  title: string;
  status: TenderStatus;
  /** Published, and its submission deadline not yet passed. */
  open: boolean;
  procedure: TenderProcedure;
  lightTouch: boolean;
  agreementTitle: string;
  leadCouncilName: string;
  publicationAt: Date | null;
  clarificationDeadlineAt: Date | null;
  submissionDeadlineAt: Date | null;
  intendedAwardOn: string | null;
  cancelledAt: Date | null;
  lots: { number: number; title: string }[];
  /** The lots' estimated values added up (a tender has no value of its own yet: decision 013); null when none is set. */
  estimatedValuePence: number | null;
}

function listQuery(db: Reader) {
  return db
    .selectFrom("tender")
    .innerJoin("agreement", "agreement.id", "tender.agreement_id")
    .innerJoin("organisation as lead", "lead.id", "agreement.lead_council_id");
}

async function withLots(
  db: Reader,
  rows: {
    id: string;
    title: string;
    status: TenderStatus;
    procedure: TenderProcedure;
    light_touch: boolean;
    agreementTitle: string;
    leadCouncilName: string;
    publication_at: Date | null;
    clarification_deadline_at: Date | null;
    submission_deadline_at: Date | null;
    intended_award_on: string | null;
    cancelled_at: Date | null;
  }[],
  now: Date,
): Promise<TenderListItem[]> {
  const lots = rows.length
    ? await db
        .selectFrom("tender_lot")
        .innerJoin("lot", "lot.id", "tender_lot.lot_id")
        .select(["tender_lot.tender_id", "lot.number", "lot.title", "lot.estimated_value_pence"])
        .where("tender_lot.tender_id", "in", rows.map((r) => r.id))
        .orderBy("lot.number")
        .execute()
    : [];
  return rows.map((r) => {
    const own = lots.filter((l) => l.tender_id === r.id);
    const values = own.flatMap((l) => (l.estimated_value_pence === null ? [] : [Number(l.estimated_value_pence)]));
    return {
      id: r.id,
      title: r.title,
      status: r.status,
      open: r.status === "published" && r.submission_deadline_at !== null && r.submission_deadline_at > now,
      procedure: r.procedure,
      lightTouch: r.light_touch,
      agreementTitle: r.agreementTitle,
      leadCouncilName: r.leadCouncilName,
      publicationAt: r.publication_at,
      clarificationDeadlineAt: r.clarification_deadline_at,
      submissionDeadlineAt: r.submission_deadline_at,
      intendedAwardOn: r.intended_award_on,
      cancelledAt: r.cancelled_at,
      lots: own.map((l) => ({ number: l.number, title: l.title })),
      estimatedValuePence: values.length ? values.reduce((a, b) => a + b, 0) : null,
    };
  });
}

const LIST_COLUMNS = [
  "tender.id",
  "tender.title",
  "tender.status",
  "tender.procedure",
  "tender.light_touch",
  "agreement.title as agreementTitle",
  "lead.name as leadCouncilName",
  "tender.publication_at",
  "tender.clarification_deadline_at",
  "tender.submission_deadline_at",
  "tender.intended_award_on",
  "tender.cancelled_at",
] as const;

export interface PublicTendersPage {
  tenders: TenderListItem[];
  total: number;
}

/**
 * One page of the tenders anyone may read (published, or cancelled after
 * publishing): those open for bids first, closing soonest first, then the
 * closed and cancelled ones, latest first. The first page, the one most
 * people open, is kept until a change is recorded or the next open tender
 * closes (decision 047); later pages are read afresh, since any tender
 * closing reorders them.
 */
export async function pageOfPublicTenders(db: Reader, input: { page: number; pageSize: number; now: Date }): Promise<PublicTendersPage> {
  if (input.page !== 1) return readPublicTenders(db, input);
  const kept = await keptWhileChainUnchanged(
    db,
    `public-tenders|${input.pageSize}`,
    async () => ({ readAt: input.now, page: await readPublicTenders(db, input) }),
    "",
    // Read for this moment or earlier, and nothing has closed since: open tenders sort first, closing soonest
    // first, so the first open one on the first page is the next to close of them all.
    ({ readAt, page }) => {
      const nextToClose = page.tenders.find((t) => t.open)?.submissionDeadlineAt ?? null;
      return readAt <= input.now && (nextToClose === null || nextToClose > input.now);
    },
  );
  return kept.page;
}

async function readPublicTenders(db: Reader, input: { page: number; pageSize: number; now: Date }): Promise<PublicTendersPage> {
  const base = listQuery(db).where("tender.published_at", "is not", null);
  const [{ total }, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<string>().as("total")).executeTakeFirstOrThrow(),
    base
      .select(LIST_COLUMNS)
      .orderBy(sql`CASE WHEN tender.status = 'published' AND tender.submission_deadline_at > ${input.now} THEN 0 ELSE 1 END`)
      // Open ones by closing soonest; the rest by when they closed or were cancelled, latest first.
      .orderBy(sql`CASE WHEN tender.status = 'published' AND tender.submission_deadline_at > ${input.now} THEN tender.submission_deadline_at END`, "asc")
      .orderBy(sql`COALESCE(tender.cancelled_at, tender.submission_deadline_at)`, "desc")
      .orderBy("tender.id")
      .limit(input.pageSize)
      .offset((input.page - 1) * input.pageSize)
      .execute(),
  ]);
  return { tenders: await withLots(db, rows, input.now), total: Number(total) };
}

/** A council's tenders that were never published (drafts, and drafts cancelled), latest change first. */
export async function councilDraftTenders(db: Reader, input: { councilId: string; now: Date }): Promise<TenderListItem[]> {
  if (!isUuid(input.councilId)) return [];
  const rows = await listQuery(db)
    .where("agreement.lead_council_id", "=", input.councilId)
    .where("tender.published_at", "is", null)
    .select(LIST_COLUMNS)
    .orderBy("tender.updated_at", "desc")
    .orderBy("tender.id")
    .execute();
  return withLots(db, rows, input.now);
}

/** The agreements a council leads, for a new tender's agreement choice. */
export async function agreementsToTender(db: Reader, councilId: string): Promise<{ id: string; reference: string; title: string }[]> {
  if (!isUuid(councilId)) return [];
  return db
    .selectFrom("agreement")
    .select(["id", "reference", "title"])
    .where("lead_council_id", "=", councilId)
    .orderBy("reference")
    .execute();
}

/** The agreement's lots, any of which a draft may offer. */
export async function agreementLots(db: Reader, agreementId: string): Promise<{ id: string; number: number; title: string }[]> {
  return db.selectFrom("lot").select(["id", "number", "title"]).where("agreement_id", "=", agreementId).orderBy("number").execute();
}

/** Published open frameworks of the agreement that a new draft could re-open. */
export async function frameworksToReopen(db: Reader, agreementId: string, selfId: string): Promise<{ id: string; title: string }[]> {
  return db
    .selectFrom("tender")
    .select(["id", "title"])
    .where("agreement_id", "=", agreementId)
    .where("procedure", "=", "open_framework")
    .where("status", "=", "published")
    .where("id", "<>", selfId)
    .orderBy("published_at")
    .execute();
}

/**
 * The edit page's save: the draft's details and its lots in one transaction,
 * both held to the version the page was built on (the lots are chosen under
 * the row lock updateTender took, so nothing can come between).
 */
export async function saveDraft(
  trx: Trx,
  input: { tenderId: string; expectedVersion: number; details: TenderDetails; lotIds: string[] },
  ctx: ActionContext,
): Promise<void> {
  await updateTender(trx, { ...input.details, tenderId: input.tenderId, expectedVersion: input.expectedVersion }, ctx);
  const { version } = await trx.selectFrom("tender").select("version").where("id", "=", input.tenderId).executeTakeFirstOrThrow();
  await chooseLots(trx, { tenderId: input.tenderId, expectedVersion: version, lotIds: input.lotIds }, ctx);
}
