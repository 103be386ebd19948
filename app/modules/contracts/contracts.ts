// Framework agreements and contracts after the award (issue 10, decision 031):
// created per lot for each provider the approved award names, with the bid's
// submitted prices frozen; offered to the provider, who accepts (entered into)
// or declines; and the contract details notice's due date and publication.
import { sql } from "kysely";
import type { ContractKind, ContractStatus, Reader, Trx } from "#app/database/schema";
import { formatPence } from "#app/modules/agreements/agreements";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { awardMayProceed } from "#app/modules/awards/progress";
import { contractDetailsNoticeDays, contractDetailsNoticeDueOn } from "#app/modules/awards/standstill";
import { cleanText, isoDate, isUuid, longDate, ukDate } from "#app/modules/common/input";
import { ActionRefused, ConcurrentEditError, RecordNotFound } from "#app/modules/errors";
import type { ActionContext, Actor } from "#app/modules/identity/actor";
import { activeUsersWithRole } from "#app/modules/identity/queries";
import { queueEmail } from "#app/modules/outbox/outbox";
import { recordTenderRelease } from "#app/modules/publication/ocds-releases";
import { PRICE_BASES } from "#app/modules/tendering/questionnaires";
import { addDaysToDay, daysBetweenDays } from "#app/modules/tendering/timeline";

registerAuditActions({
  "contract.created": "Created an agreement from an award",
  "contract.accepted": "Accepted an agreement",
  "contract.declined": "Declined an agreement",
  "contract.notice_recorded": "Recorded a contract details notice",
});

export const CONTRACT_KIND_LABELS: Record<ContractKind, string> = {
  framework_agreement: "Framework agreement",
  dynamic_market_agreement: "Dynamic market agreement",
  block_contract: "Block contract",
  short_breaks_contract: "Short breaks contract",
};

export const CONTRACT_STATUS_LABELS: Record<ContractStatus, string> = {
  offered: "Not yet accepted",
  accepted: "Signed",
  declined: "Declined",
};

/** Officers' dashboards list notices due within this many days, and overdue ones. */
export const NOTICE_WARNING_DAYS = 14;
const MAX_TERM_MONTHS = 120;
const COMPONENT_LABELS: Record<string, string> = Object.fromEntries(Object.values(PRICE_BASES).flatMap((b) => b.components.map((c) => [c.key, c.label])));

/** The kind of agreement a lot gets: by the agreement's kind, then the tender's procedure. */
export function contractKindFor(agreementKind: string, procedure: string): ContractKind {
  if (agreementKind === "residential_block") return "block_contract";
  if (agreementKind === "short_breaks") return "short_breaks_contract";
  return procedure === "dynamic_market" ? "dynamic_market_agreement" : "framework_agreement";
}

/** Block and short-breaks lots go to one provider; frameworks and dynamic markets admit each one named. */
export function singleProvider(kind: ContractKind): boolean {
  return kind === "block_contract" || kind === "short_breaks_contract";
}

/** The last day of a term of whole months starting on `startOn` (1 April + 12 months ends 31 March). */
export function termEndOn(startOn: string, months: number): string {
  const [y, m, d] = startOn.split("-").map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const ty = Math.floor(total / 12);
  const tm = (total % 12) + 1;
  const lastDay = new Date(Date.UTC(ty, tm, 0)).getUTCDate();
  const sameDay = `${String(ty).padStart(4, "0")}-${String(tm).padStart(2, "0")}-${String(Math.min(d, lastDay)).padStart(2, "0")}`;
  return addDaysToDay(sameDay, -1);
}

export type ContractGate = { ready: true; recommendationId: string } | { ready: false; reason: string };

/**
 * Whether the tender's award may go on to contracts at `now`: its
 * recommendation was approved (with or without conditions), and the award
 * notice's standstill has ended (or none applied) with no challenge
 * unresolved or upheld (awardMayProceed, decision 030).
 */
export async function awardReadyForContracts(db: Reader, tenderId: string, now: Date): Promise<ContractGate> {
  if (!isUuid(tenderId)) return { ready: false, reason: "There is no such tender" };
  const rec = await db
    .selectFrom("award_recommendation")
    .select(["id", "status"])
    .where("tender_id", "=", tenderId)
    .where("status", "not in", ["rejected", "superseded"])
    .executeTakeFirst();
  if (!rec) return { ready: false, reason: "The award has not been recommended yet" };
  if (rec.status !== "approved" && rec.status !== "approved_with_conditions") return { ready: false, reason: "The award has not been approved yet" };
  const proceed = await awardMayProceed(db, tenderId, now);
  if (!proceed.ok) return { ready: false, reason: proceed.reason };
  return { ready: true, recommendationId: rec.id };
}

interface AwardTenderRow {
  id: string;
  title: string;
  procedure: string;
  lightTouch: boolean;
  intendedStartOn: string | null;
  councilId: string;
  councilName: string;
  agreementId: string;
  agreementReference: string;
  agreementKind: string;
}

async function tenderOfCouncil(db: Reader, tenderId: string, actor: Actor | null): Promise<AwardTenderRow> {
  const row = isUuid(tenderId)
    ? await db
        .selectFrom("tender")
        .innerJoin("agreement", "agreement.id", "tender.agreement_id")
        .innerJoin("organisation", "organisation.id", "agreement.lead_council_id")
        .select([
          "tender.id",
          "tender.title",
          "tender.procedure",
          "tender.light_touch",
          "tender.intended_contract_start_on",
          "tender.status",
          "agreement.id as agreement_id",
          "agreement.reference",
          "agreement.kind",
          "agreement.lead_council_id",
          "organisation.name as council_name",
        ])
        .where("tender.id", "=", tenderId)
        .executeTakeFirst()
    : undefined;
  if (!row || row.status === "draft" || !actor || actor.organisationKind !== "council" || actor.organisationId !== row.lead_council_id) throw new RecordNotFound("tender");
  return {
    id: row.id,
    title: row.title,
    procedure: row.procedure,
    lightTouch: row.light_touch,
    intendedStartOn: row.intended_contract_start_on,
    councilId: row.lead_council_id,
    councilName: row.council_name,
    agreementId: row.agreement_id,
    agreementReference: row.reference,
    agreementKind: row.kind,
  };
}

export interface PlannedPrice {
  priceItemId: string;
  position: number;
  description: string;
  unit: "week" | "hour" | "night";
  amountPence: number;
}

export interface PlannedContract {
  lotId: string;
  lot: string;
  lotNumber: number;
  kind: ContractKind;
  bidId: string;
  submissionId: string;
  providerId: string;
  providerName: string;
  prices: PlannedPrice[];
}

export interface ContractPlan {
  tender: { id: string; title: string; lightTouch: boolean; intendedStartOn: string | null; councilName: string };
  gate: ContractGate;
  /** What "Create the agreements" would create, one per provider per lot. */
  planned: PlannedContract[];
  /** What a blocking problem in the award's choice is (e.g. two bids for a block contract lot). */
  problems: string[];
  documents: { id: string; title: string }[];
  /** Already created for this tender. */
  existing: ContractListItem[];
}

/** The latest submitted, not withdrawn, version of each bid. */
function latestSubmissions(db: Reader, tenderId: string) {
  return db
    .selectFrom("bid_submission")
    .select(["bid_submission.id", "bid_submission.bid_id", "bid_submission.number", "bid_submission.organisation_id"])
    .distinctOn("bid_submission.bid_id")
    .where("bid_submission.tender_id", "=", tenderId)
    .orderBy("bid_submission.bid_id")
    .orderBy("bid_submission.number", "desc")
    .as("latest");
}

async function plan(db: Reader, tender: AwardTenderRow, recommendationId: string): Promise<{ planned: PlannedContract[]; problems: string[] }> {
  const rows = await db
    .selectFrom("award_recommendation_bid")
    .innerJoin("lot", "lot.id", "award_recommendation_bid.lot_id")
    .innerJoin(latestSubmissions(db, tender.id), "latest.bid_id", "award_recommendation_bid.bid_id")
    .innerJoin("organisation", "organisation.id", "latest.organisation_id")
    .leftJoin("bid_withdrawal", (j) => j.onRef("bid_withdrawal.bid_id", "=", "latest.bid_id").onRef("bid_withdrawal.submission_number", "=", "latest.number"))
    .select(["lot.id as lot_id", "lot.number", "lot.title", "latest.bid_id", "latest.id as submission_id", "organisation.id as provider_id", "organisation.name", "bid_withdrawal.id as withdrawn"])
    .where("award_recommendation_bid.recommendation_id", "=", recommendationId)
    .orderBy("lot.number")
    .orderBy("organisation.name")
    .execute();
  const submissionIds = rows.map((r) => r.submission_id);
  const prices = submissionIds.length
    ? await db
        .selectFrom("bid_submission_price")
        .innerJoin("tender_price_item", "tender_price_item.id", "bid_submission_price.price_item_id")
        .select(["bid_submission_price.submission_id", "bid_submission_price.lot_id", "tender_price_item.id", "tender_price_item.position", "tender_price_item.component", "tender_price_item.need_band", "tender_price_item.unit", "bid_submission_price.amount_pence"])
        .where("bid_submission_price.submission_id", "in", submissionIds)
        .orderBy("tender_price_item.position")
        .execute()
    : [];
  const kind = contractKindFor(tender.agreementKind, tender.procedure);
  const problems: string[] = [];
  const planned: PlannedContract[] = [];
  for (const r of rows) {
    const lot = `Lot ${r.number}: ${r.title}`;
    if (r.withdrawn) {
      problems.push(`${r.name} withdrew its bid for ${lot}`);
      continue;
    }
    planned.push({
      lotId: r.lot_id,
      lot,
      lotNumber: r.number,
      kind,
      bidId: r.bid_id,
      submissionId: r.submission_id,
      providerId: r.provider_id,
      providerName: r.name,
      prices: prices
        .filter((p) => p.submission_id === r.submission_id && p.lot_id === r.lot_id)
        .map((p) => ({
          priceItemId: p.id,
          position: p.position,
          description: `${COMPONENT_LABELS[p.component] ?? p.component}${p.need_band ? ` (${p.need_band})` : ""}`,
          unit: p.unit,
          amountPence: p.amount_pence,
        })),
    });
  }
  if (singleProvider(kind)) {
    for (const lotId of new Set(planned.map((p) => p.lotId))) {
      const named = planned.filter((p) => p.lotId === lotId);
      if (named.length > 1) problems.push(`The award names ${named.length} providers for ${named[0]!.lot}, but a ${CONTRACT_KIND_LABELS[kind].toLowerCase()} goes to one`);
    }
  }
  return { planned, problems };
}

async function currentDocuments(db: Reader, tenderId: string): Promise<{ id: string; title: string }[]> {
  return db
    .selectFrom("tender_document as d")
    .leftJoin("tender_document_withdrawal as w", "w.document_id", "d.id")
    .leftJoin("tender_document as newer", "newer.replaces_document_id", "d.id")
    .select(["d.id", "d.title"])
    .where("d.tender_id", "=", tenderId)
    .where("w.document_id", "is", null)
    .where("newer.id", "is", null)
    .orderBy("d.added_at")
    .execute();
}

/** What the creation page shows: whether the award may go on, and what would be created. Staff of the tender's council only. */
export async function contractPlan(db: Reader, tenderId: string, actor: Actor | null, now: Date): Promise<ContractPlan> {
  const tender = await tenderOfCouncil(db, tenderId, actor);
  const gate = await awardReadyForContracts(db, tender.id, now);
  const made = gate.ready ? await plan(db, tender, gate.recommendationId) : { planned: [], problems: [] };
  return {
    tender: { id: tender.id, title: tender.title, lightTouch: tender.lightTouch, intendedStartOn: tender.intendedStartOn, councilName: tender.councilName },
    gate,
    ...made,
    documents: await currentDocuments(db, tender.id),
    existing: await listContracts(db, actor, { tenderId: tender.id }),
  };
}

export interface CreateContractsInput {
  tenderId: string;
  startOn: string;
  termMonths: number;
  /** The officer's value for each planned agreement, by lot and bid. */
  values: { lotId: string; bidId: string; valuePence: number }[];
}

/**
 * Creates the whole set in one go, or refuses: the recommendation's row is
 * locked first, so of two officers at once the second waits and is told the
 * agreements already exist.
 */
export async function createContracts(trx: Trx, input: CreateContractsInput, ctx: ActionContext, links: { baseUrl: string }): Promise<{ ids: string[] }> {
  const actor = ctx.actor;
  if (!actor || !actor.roles.includes("commissioning_officer")) throw new ActionRefused("Only a commissioning officer creates the agreements", "form");
  const tender = await tenderOfCouncil(trx, input.tenderId, actor);
  const gate = await awardReadyForContracts(trx, tender.id, ctx.now);
  if (!gate.ready) throw new ActionRefused(gate.reason, "form");
  await trx.selectFrom("award_recommendation").select("id").where("id", "=", gate.recommendationId).forUpdate().execute();
  const already = await trx
    .selectFrom("contract")
    .innerJoin("app_user", "app_user.id", "contract.created_by")
    .select(["app_user.full_name", "contract.created_at"])
    .where("contract.tender_id", "=", tender.id)
    .executeTakeFirst();
  if (already) throw new ActionRefused(`The agreements for this award were already created by ${already.full_name} on ${longDate(ukDate(already.created_at))}`, "form");

  const startOn = isoDate(input.startOn, "startOn", "start date");
  if (!Number.isInteger(input.termMonths) || input.termMonths < 1 || input.termMonths > MAX_TERM_MONTHS) {
    throw new ActionRefused(`Enter the term as a whole number of months from 1 to ${MAX_TERM_MONTHS}`, "termMonths");
  }
  const endOn = termEndOn(startOn, input.termMonths);
  const { planned, problems } = await plan(trx, tender, gate.recommendationId);
  if (problems.length > 0) throw new ActionRefused(problems.join(". "), "form");
  if (planned.length === 0) throw new ActionRefused("The approved award names no provider to make an agreement with", "form");
  const valueOf = (p: PlannedContract) => input.values.find((v) => v.lotId === p.lotId && v.bidId === p.bidId)?.valuePence;
  for (const p of planned) {
    const value = valueOf(p);
    if (value === undefined || !Number.isSafeInteger(value) || value < 0) throw new ActionRefused(`Enter the value of the agreement with ${p.providerName} for ${p.lot}`, `value-${p.lotId}-${p.bidId}`);
  }
  // One agreement can be created at a time per framework, so references are numbered in order.
  await trx.selectFrom("agreement").select("id").where("id", "=", tender.agreementId).forUpdate().execute();
  const documents = await currentDocuments(trx, tender.id);
  const ids: string[] = [];
  for (const p of planned) {
    const count = await trx
      .selectFrom("contract")
      .innerJoin("tender", "tender.id", "contract.tender_id")
      .select(sql<number>`count(*)::int`.as("n"))
      .where("tender.agreement_id", "=", tender.agreementId)
      .where("contract.lot_id", "=", p.lotId)
      .executeTakeFirstOrThrow();
    const reference = `${tender.agreementReference}-L${p.lotNumber}-${String(Number(count.n) + 1).padStart(2, "0")}`;
    const value = valueOf(p)!;
    const { id } = await trx
      .insertInto("contract")
      .values({
        reference,
        tender_id: tender.id,
        recommendation_id: gate.recommendationId,
        council_id: tender.councilId,
        lot_id: p.lotId,
        provider_id: p.providerId,
        bid_id: p.bidId,
        submission_id: p.submissionId,
        kind: p.kind,
        title: `${tender.title}, ${p.lot}`.slice(0, 300),
        start_on: startOn,
        end_on: endOn,
        value_pence: value,
        light_touch: tender.lightTouch,
        created_at: ctx.now,
        created_by: actor.userId,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    ids.push(id);
    if (p.prices.length > 0) {
      await trx
        .insertInto("contract_price")
        .values(p.prices.map((x) => ({ contract_id: id, price_item_id: x.priceItemId, position: x.position, description: x.description, unit: x.unit, amount_pence: x.amountPence })))
        .execute();
    }
    if (documents.length > 0) await trx.insertInto("contract_document").values(documents.map((d) => ({ contract_id: id, document_id: d.id, title: d.title }))).execute();
    const name = `${CONTRACT_KIND_LABELS[p.kind].toLowerCase()} ${reference}`;
    // One event per agreement, so each provider's history shows only its own.
    await recordAuditEvent(trx, ctx, {
      action: "contract.created",
      summary: `${actor.name} created the ${name} with ${p.providerName} for the award of "${tender.title}"`,
      subjects: [{ type: "contract", id }, { type: "tender", id: tender.id }, { type: "award_recommendation", id: gate.recommendationId }],
      after: {
        Provider: p.providerName,
        Lot: p.lot,
        Period: `${longDate(startOn)} to ${longDate(endOn)} (${input.termMonths} months)`,
        Value: formatPence(value),
        Prices: p.prices.map((x) => `${x.description}: ${formatPence(x.amountPence)} a ${x.unit}`),
        "Documents referred to": documents.map((d) => d.title),
      },
    });
    const recipients = await activeUsersWithRole(trx, [p.providerId], "provider_user");
    for (const person of recipients) {
      await queueEmail(trx, {
        to: person.email,
        template: {
          name: "contract_offered",
          props: {
            recipientName: person.full_name,
            councilName: tender.councilName,
            contractName: name,
            tenderTitle: tender.title,
            lot: p.lot,
            period: `${longDate(startOn)} to ${longDate(endOn)}`,
            valueText: formatPence(value),
            url: `${links.baseUrl}/contracts/${id}`,
          },
        },
      });
    }
  }
  return { ids };
}

export interface ContractListItem {
  id: string;
  reference: string;
  kind: ContractKind;
  title: string;
  providerName: string;
  lot: string;
  startOn: string;
  endOn: string;
  valuePence: number;
  status: ContractStatus;
  /** Once accepted: the last day its contract details notice may be published; null when published or not entered into. */
  noticeDueOn: string | null;
  noticePublishedOn: string | null;
}

function listQuery(db: Reader) {
  return db
    .selectFrom("contract")
    .innerJoin("organisation as provider", "provider.id", "contract.provider_id")
    .innerJoin("lot", "lot.id", "contract.lot_id")
    .select([
      "contract.id",
      "contract.reference",
      "contract.kind",
      "contract.title",
      "provider.name as provider_name",
      "lot.number as lot_number",
      "lot.title as lot_title",
      "contract.start_on",
      "contract.end_on",
      "contract.value_pence",
      "contract.status",
      "contract.responded_at",
      "contract.light_touch",
      "contract.notice_published_on",
    ]);
}

type ListRow = Awaited<ReturnType<ReturnType<typeof listQuery>["execute"]>>[number];

/** The day a contract was entered into: the UK day the provider accepted it. */
function enteredIntoOn(row: { status: ContractStatus; responded_at: Date | null }): string | null {
  return row.status === "accepted" && row.responded_at ? ukDate(row.responded_at) : null;
}

function noticeDue(row: { status: ContractStatus; responded_at: Date | null; light_touch: boolean; notice_published_on: string | null }): string | null {
  const entered = enteredIntoOn(row);
  return entered && !row.notice_published_on ? contractDetailsNoticeDueOn(entered, row.light_touch) : null;
}

function toListItem(r: ListRow): ContractListItem {
  return {
    id: r.id,
    reference: r.reference,
    kind: r.kind,
    title: r.title,
    providerName: r.provider_name,
    lot: `Lot ${r.lot_number}: ${r.lot_title}`,
    startOn: r.start_on,
    endOn: r.end_on,
    valuePence: r.value_pence,
    status: r.status,
    noticeDueOn: noticeDue(r),
    noticePublishedOn: r.notice_published_on,
  };
}

/** Contracts the actor may see: a council's staff, their council's; a provider's users, their own; anyone else, none. */
export async function listContracts(db: Reader, actor: Actor | null, filter: { tenderId?: string; status?: ContractStatus } = {}): Promise<ContractListItem[]> {
  if (!actor) return [];
  let query = listQuery(db);
  query = actor.organisationKind === "council" ? query.where("contract.council_id", "=", actor.organisationId) : query.where("contract.provider_id", "=", actor.organisationId);
  if (filter.tenderId) query = query.where("contract.tender_id", "=", filter.tenderId);
  if (filter.status) query = query.where("contract.status", "=", filter.status);
  const rows = await query.orderBy("contract.created_at", "desc").orderBy("contract.reference").execute();
  return rows.map(toListItem);
}

/** Accepted contracts of the council whose notice is unpublished and due within `NOTICE_WARNING_DAYS` of `today`, or overdue. */
export async function noticesDue(db: Reader, councilId: string, today: string): Promise<(ContractListItem & { daysLeft: number })[]> {
  const rows = await listQuery(db).where("contract.council_id", "=", councilId).where("contract.status", "=", "accepted").where("contract.notice_published_on", "is", null).execute();
  return rows
    .map(toListItem)
    .map((c) => ({ ...c, daysLeft: daysBetweenDays(today, c.noticeDueOn!) }))
    .filter((c) => c.daysLeft <= NOTICE_WARNING_DAYS)
    .sort((a, b) => a.daysLeft - b.daysLeft);
}

export interface ContractView extends ContractListItem {
  councilId: string;
  councilName: string;
  providerId: string;
  tenderId: string;
  tenderTitle: string;
  lightTouch: boolean;
  version: number;
  createdAt: Date;
  createdBy: string;
  respondedAt: Date | null;
  respondedBy: string | null;
  declineReason: string | null;
  enteredIntoOn: string | null;
  /** Due day of the notice once entered into (kept after publication, for the record). */
  noticeDeadline: string | null;
  noticeDays: number;
  noticeRecordedBy: string | null;
  prices: PlannedPrice[];
  documents: { id: string; title: string }[];
}

/** A contract for staff of its council or users of its provider; anyone else: not found. */
export async function getContract(db: Reader, contractId: string, actor: Actor | null): Promise<ContractView> {
  const row = isUuid(contractId)
    ? await listQuery(db)
        .innerJoin("organisation as council", "council.id", "contract.council_id")
        .innerJoin("tender", "tender.id", "contract.tender_id")
        .innerJoin("app_user as creator", "creator.id", "contract.created_by")
        .leftJoin("app_user as responder", "responder.id", "contract.responded_by")
        .leftJoin("app_user as recorder", "recorder.id", "contract.notice_recorded_by")
        .select([
          "contract.council_id",
          "council.name as council_name",
          "contract.provider_id",
          "contract.tender_id",
          "tender.title as tender_title",
          "contract.version",
          "contract.created_at",
          "creator.full_name as created_by",
          "responder.full_name as responded_by",
          "contract.decline_reason",
          "recorder.full_name as notice_recorded_by",
        ])
        .where("contract.id", "=", contractId)
        .executeTakeFirst()
    : undefined;
  if (!row || !actor) throw new RecordNotFound("contract");
  const own = actor.organisationKind === "council" ? row.council_id === actor.organisationId : row.provider_id === actor.organisationId;
  if (!own) throw new RecordNotFound("contract");
  const [prices, documents] = await Promise.all([
    db.selectFrom("contract_price").select(["price_item_id", "position", "description", "unit", "amount_pence"]).where("contract_id", "=", row.id).orderBy("position").execute(),
    db.selectFrom("contract_document").select(["document_id", "title"]).where("contract_id", "=", row.id).orderBy("title").execute(),
  ]);
  const entered = enteredIntoOn(row);
  return {
    ...toListItem(row),
    councilId: row.council_id,
    councilName: row.council_name,
    providerId: row.provider_id,
    tenderId: row.tender_id,
    tenderTitle: row.tender_title,
    lightTouch: row.light_touch,
    version: row.version,
    createdAt: row.created_at,
    createdBy: row.created_by,
    respondedAt: row.responded_at,
    respondedBy: row.responded_by,
    declineReason: row.decline_reason,
    enteredIntoOn: entered,
    noticeDeadline: entered ? contractDetailsNoticeDueOn(entered, row.light_touch) : null,
    noticeDays: contractDetailsNoticeDays(row.light_touch),
    noticeRecordedBy: row.notice_recorded_by,
    prices: prices.map((p) => ({ priceItemId: p.price_item_id, position: p.position, description: p.description, unit: p.unit, amountPence: p.amount_pence })),
    documents: documents.map((d) => ({ id: d.document_id, title: d.title })),
  };
}

async function lockedContract(trx: Trx, contractId: string, expectedVersion: number, actor: Actor | null) {
  const view = await getContract(trx, contractId, actor);
  const row = await trx.selectFrom("contract").select(["version", "status", "created_by", "notice_published_on", "tender_id"]).where("id", "=", view.id).forUpdate().executeTakeFirstOrThrow();
  return { view, row, stale: row.version !== expectedVersion };
}

/** The provider accepts (the contract is then entered into, in force from its start) or declines with a reason; once. */
export async function respondToContract(
  trx: Trx,
  input: { contractId: string; expectedVersion: number; response: "accept" | "decline"; reason?: string },
  ctx: ActionContext,
  links: { baseUrl: string },
): Promise<{ status: ContractStatus; noticeDueOn: string | null }> {
  const actor = ctx.actor;
  const { view, row, stale } = await lockedContract(trx, input.contractId, input.expectedVersion, actor);
  if (actor!.organisationKind !== "provider" || !actor!.roles.includes("provider_user")) throw new ActionRefused("Only the provider accepts or declines its agreement", "form");
  if (row.status !== "offered") {
    throw new ActionRefused(`This agreement was already ${row.status === "accepted" ? "accepted" : "declined"} by ${view.respondedBy ?? "your organisation"} on ${longDate(ukDate(view.respondedAt!))}`, "form");
  }
  if (stale) throw new ConcurrentEditError();
  if (input.response !== "accept" && input.response !== "decline") throw new ActionRefused("Choose whether you accept the agreement", "response");
  const reason = input.response === "decline" ? cleanText(input.reason ?? "") : null;
  if (input.response === "decline" && !reason) throw new ActionRefused("Enter why you decline the agreement", "reason");
  if (reason && reason.length > 2000) throw new ActionRefused("The reason must be 2,000 characters or fewer", "reason");
  const status: ContractStatus = input.response === "accept" ? "accepted" : "declined";
  await trx
    .updateTable("contract")
    .set({ status, responded_at: ctx.now, responded_by: actor!.userId, decline_reason: reason, version: row.version + 1 })
    .where("id", "=", view.id)
    .execute();
  const noticeDueOn = status === "accepted" ? contractDetailsNoticeDueOn(ukDate(ctx.now), view.lightTouch) : null;
  // The public record: an OCDS release with the contracts stage, the agreement signed (or declined).
  await recordTenderRelease(trx, { tenderId: row.tender_id, tag: status === "accepted" ? "contract" : "contractUpdate", at: ctx.now });
  const name = `${CONTRACT_KIND_LABELS[view.kind].toLowerCase()} ${view.reference}`;
  const creator = await trx.selectFrom("app_user").select(["full_name", "email", "status"]).where("id", "=", row.created_by).executeTakeFirstOrThrow();
  if (creator.status === "active") {
    await queueEmail(trx, {
      to: creator.email,
      template: {
        name: "contract_responded",
        props: {
          recipientName: creator.full_name,
          providerName: view.providerName,
          contractName: name,
          accepted: status === "accepted",
          respondedBy: actor!.name,
          reason: reason ?? "",
          noticeDueOn: noticeDueOn ? longDate(noticeDueOn) : "",
          url: `${links.baseUrl}/contracts/${view.id}`,
        },
      },
    });
  }
  await recordAuditEvent(trx, ctx, {
    action: status === "accepted" ? "contract.accepted" : "contract.declined",
    summary: `${actor!.name} of ${view.providerName} ${status} the ${name}`,
    subjects: [{ type: "contract", id: view.id }, { type: "tender", id: view.tenderId }],
    before: { Status: CONTRACT_STATUS_LABELS.offered },
    after: {
      Status: CONTRACT_STATUS_LABELS[status],
      ...(reason ? { Reason: reason } : {}),
      ...(noticeDueOn ? { "Contract details notice due by": longDate(noticeDueOn) } : {}),
    },
  });
  return { status, noticeDueOn };
}

/** An officer of the council records the day the contract details notice was published; once, and only for a contract entered into. */
export async function recordNoticePublished(trx: Trx, input: { contractId: string; expectedVersion: number; publishedOn: string }, ctx: ActionContext): Promise<void> {
  const actor = ctx.actor;
  const { view, row, stale } = await lockedContract(trx, input.contractId, input.expectedVersion, actor);
  if (actor!.organisationKind !== "council" || !actor!.roles.includes("commissioning_officer")) throw new ActionRefused("Only a commissioning officer records the notice", "form");
  if (row.notice_published_on) throw new ActionRefused(`The notice was already recorded as published on ${longDate(row.notice_published_on)}`, "form");
  if (stale) throw new ConcurrentEditError();
  if (row.status !== "accepted" || !view.enteredIntoOn) throw new ActionRefused("A contract details notice follows the provider's acceptance", "form");
  const publishedOn = isoDate(input.publishedOn, "publishedOn", "date the notice was published");
  if (publishedOn < view.enteredIntoOn) throw new ActionRefused(`The notice cannot be published before the contract was entered into on ${longDate(view.enteredIntoOn)}`, "publishedOn");
  if (publishedOn > ukDate(ctx.now)) throw new ActionRefused("The date the notice was published cannot be in the future", "publishedOn");
  await trx
    .updateTable("contract")
    .set({ notice_published_on: publishedOn, notice_recorded_at: ctx.now, notice_recorded_by: actor!.userId, version: row.version + 1 })
    .where("id", "=", view.id)
    .execute();
  const late = publishedOn > view.noticeDeadline!;
  await recordAuditEvent(trx, ctx, {
    action: "contract.notice_recorded",
    summary: `${actor!.name} recorded the contract details notice for ${view.reference} as published on ${longDate(publishedOn)}${late ? ", after it was due" : ""}`,
    subjects: [{ type: "contract", id: view.id }, { type: "tender", id: view.tenderId }],
    after: { "Published on": longDate(publishedOn), "Due by": longDate(view.noticeDeadline!) },
  });
}

/** The dashboard's contracts card: for a provider, agreements waiting for its acceptance; for a council, notices due within 14 days or overdue. */
export async function contractsCard(db: Reader, actor: Actor, today: string): Promise<{ toAccept: number; noticesDue: number; overdue: number }> {
  if (actor.organisationKind === "provider") {
    const row = await db.selectFrom("contract").select(sql<number>`count(*)::int`.as("n")).where("provider_id", "=", actor.organisationId).where("status", "=", "offered").executeTakeFirstOrThrow();
    return { toAccept: Number(row.n), noticesDue: 0, overdue: 0 };
  }
  const due = await noticesDue(db, actor.organisationId, today);
  return { toAccept: 0, noticesDue: due.length, overdue: due.filter((c) => c.daysLeft < 0).length };
}
