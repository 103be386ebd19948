// A provider's draft bid: one per organisation per tender, edited by any of
// its users until the deadline: the lots it bids for, an answer per question
// (each with its own version, so colleagues never overwrite each other
// unseen), prices per price item and evidence files per question. Every
// query here is scoped to the acting provider's own organisation; what
// council staff may read lives in opening.ts. Audit events name what
// changed (which question, which price), never the words or amounts.
import { jsonArrayFrom } from "kysely/helpers/postgres";
import { sql } from "kysely";
import type { PriceComponentKey, PriceUnit, Reader, TenderStatus, Trx } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { isUuid, longDate, ukDate } from "#app/modules/common/input";
import { keptStore } from "#app/modules/common/kept";
import { attachableEvidence, EVIDENCE_KIND_LABELS } from "#app/modules/evidence/evidence";
import { ActionRefused, ConcurrentEditError, RecordNotFound } from "#app/modules/errors";
import { cleanFileName, describeFile, readFile, storeFile, type NewFile, type StoredFile } from "#app/modules/files/files";
import type { ActionContext, Actor } from "#app/modules/identity/actor";
import { formatUkDateTime } from "#emails/format";
import { normaliseAnswer, wordCount, type AttachedEvidence } from "./bids-text";
import { assertMayTakePart } from "./dynamic-markets";
import { assertMayBid } from "./participation";
import { isInterested } from "./interest";
import { getQuestionnaire, PRICE_BASES, type Questionnaire, type QuestionView } from "./questionnaires";
import { tenderLots, type TenderLot } from "./tenders";

registerAuditActions({
  "bid.started": "Started a draft bid",
  "bid.lots_chosen": "Chose the lots of a draft bid",
  "bid.answer_saved": "Saved an answer in a draft bid",
  "bid.prices_set": "Set prices in a draft bid",
  "bid.file_attached": "Attached evidence to a draft bid",
  "bid.file_detached": "Removed evidence from a draft bid",
  "bid.evidence_attached": "Attached documents from the evidence library to a draft bid",
});

/**
 * The name the file store (and its "file stored" audit event, and the trail's
 * names for records) keeps for a bid's uploaded evidence: the file's own name
 * is bid content, kept in bid_answer_file where only the bid's readers see it.
 */
export const SEALED_FILE_NAME = "Evidence for a sealed bid";

/**
 * Why a library document cannot be attached to a bid in a tender with this
 * deadline, or null: it must still be valid on the day of the deadline (in UK
 * time), so that it has not lapsed by the time the bids are opened and
 * evaluated. A document with no expiry date is always valid.
 */
export function evidenceExpiryProblem(doc: { title: string; expiresOn: string | null }, deadline: Date | null): string | null {
  if (!doc.expiresOn || !deadline) return null;
  const deadlineDay = ukDate(deadline);
  if (doc.expiresOn >= deadlineDay) return null;
  return `"${doc.title}" expires on ${longDate(doc.expiresOn)}, before this tender's deadline on ${longDate(deadlineDay)}: upload the renewed document to your evidence library and attach that`;
}

/** The most a price may be, per component, in pence: above this is a typing slip, not a price. */
export const PRICE_MAXIMUM_PENCE: Record<PriceComponentKey, number> = {
  weekly_fee: 5_000_000,
  weekly_bed_price: 5_000_000,
  weekly_accommodation_charge: 500_000,
  hourly_support_rate: 20_000,
  nightly_rate: 500_000,
};

export interface BidFileLimits {
  maxFileBytes: number;
  /** All files attached to one bid together. */
  maxBidBytes: number;
}

/** Settings BID_MAX_FILE_MB and BID_MAX_TOTAL_MB override these (see the README). */
export const DEFAULT_BID_FILE_LIMITS: BidFileLimits = { maxFileBytes: 25 * 1024 * 1024, maxBidBytes: 200 * 1024 * 1024 };

export function bidFileLimitsFromEnv(env: Record<string, string | undefined>): BidFileLimits {
  const mb = (value: string | undefined, fallback: number) => {
    const n = Number(value);
    return value && Number.isFinite(n) && n > 0 ? Math.round(n * 1024 * 1024) : fallback;
  };
  return { maxFileBytes: mb(env.BID_MAX_FILE_MB, DEFAULT_BID_FILE_LIMITS.maxFileBytes), maxBidBytes: mb(env.BID_MAX_TOTAL_MB, DEFAULT_BID_FILE_LIMITS.maxBidBytes) };
}

interface BidTender {
  id: string;
  title: string;
  status: TenderStatus;
  submission_deadline_at: Date | null;
}

export interface EditableBid {
  tender: BidTender;
  actor: Actor;
  bid: { id: string; version: number } | null;
}

/** The acting person as one of a provider's users, or a refusal. */
export function providerActor(ctx: ActionContext): Actor {
  const actor = ctx.actor;
  if (!actor || actor.organisationKind !== "provider" || !actor.roles.includes("provider_user")) {
    throw new ActionRefused("Only a provider's users can prepare a bid");
  }
  return actor;
}

/** A tender providers can bid in: published and not cancelled; a draft or unknown id is not found. */
export async function tenderForBids(db: Reader, tenderId: string): Promise<BidTender> {
  const tender = isUuid(tenderId)
    ? await db.selectFrom("tender").select(["id", "title", "status", "submission_deadline_at"]).where("id", "=", tenderId).executeTakeFirst()
    : undefined;
  if (!tender || tender.status === "draft") throw new RecordNotFound("tender");
  if (tender.status === "cancelled") throw new ActionRefused("This tender has been cancelled, so bids can no longer be changed or submitted");
  return tender;
}

export class DeadlinePassed extends ActionRefused {
  constructor(deadline: Date) {
    super(`The deadline for bids was ${formatUkDateTime(deadline)}. Your draft has been kept, but it can no longer be changed or submitted.`);
    this.name = "DeadlinePassed";
  }
}

/** The server's clock decides: at or after the deadline nothing changes. */
export function refuseAfterDeadline(tender: BidTender, now: Date): void {
  if (!tender.submission_deadline_at || tender.submission_deadline_at.getTime() <= now.getTime()) {
    throw new DeadlinePassed(tender.submission_deadline_at ?? now);
  }
}

/**
 * The acting provider's bid in the tender, locked: "share" for changes to
 * one answer, price or file (colleagues' saves run side by side), "update"
 * for a change to the whole bid (lots, submission), which waits for saves in
 * progress and holds new ones back, so a submission reads one consistent draft.
 */
export async function lockOwnBid(trx: Trx, tenderId: string, ctx: ActionContext, mode: "share" | "update"): Promise<EditableBid & { bid: { id: string; version: number } }> {
  const actor = providerActor(ctx);
  // The tender and the bid in one statement, the bid's row locked; without a bid, the tender says why (not found, cancelled).
  const query = trx
    .selectFrom("bid")
    .innerJoin("tender", "tender.id", "bid.tender_id")
    .select(["bid.id as bid_id", "bid.version", "tender.id", "tender.title", "tender.status", "tender.submission_deadline_at"])
    .where("bid.tender_id", "=", tenderId)
    .where("bid.organisation_id", "=", actor.organisationId);
  const row = isUuid(tenderId) ? await (mode === "share" ? query.forShare("bid") : query.forUpdate("bid")).executeTakeFirst() : undefined;
  if (!row || row.status === "draft" || row.status === "cancelled") {
    await tenderForBids(trx, tenderId);
    throw new ActionRefused("Start your bid first", "form");
  }
  const tender: BidTender = { id: row.id, title: row.title, status: row.status, submission_deadline_at: row.submission_deadline_at };
  refuseAfterDeadline(tender, ctx.now);
  return { tender, actor, bid: { id: row.bid_id, version: row.version } };
}

async function touchBid(trx: Trx, bidId: string, ctx: ActionContext, bumpVersion: boolean): Promise<void> {
  await trx
    .updateTable("bid")
    .set((eb) => ({
      updated_at: ctx.now,
      updated_by: ctx.actor?.userId ?? null,
      revision: eb("revision", "+", 1),
      ...(bumpVersion ? { version: eb("version", "+", 1) } : {}),
    }))
    .where("id", "=", bidId)
    .execute();
}

const bidSubjects = (bidId: string, organisationId: string) => [
  { type: "bid", id: bidId },
  { type: "organisation", id: organisationId },
];

/**
 * Starts the organisation's draft, or returns the one it has: one per
 * organisation per tender, however many colleagues start at once. Needs
 * interest registered, a published tender and the deadline ahead.
 */
export async function startBid(trx: Trx, input: { tenderId: string }, ctx: ActionContext): Promise<{ id: string; created: boolean }> {
  const actor = providerActor(ctx);
  const tender = await tenderForBids(trx, input.tenderId);
  refuseAfterDeadline(tender, ctx.now);
  if (!(await isInterested(trx, tender.id, actor.organisationId))) {
    throw new ActionRefused("Register your interest in this tender before you start a bid", "form");
  }
  // A dynamic market itself takes applications, not bids; a call-off only its lot's members' bids.
  await assertMayTakePart(trx, { tenderId: tender.id, organisationId: actor.organisationId, bidding: true });
  // A competitive flexible tender with a participation stage: only providers who passed it.
  await assertMayBid(trx, { tenderId: tender.id, organisationId: actor.organisationId, now: ctx.now });
  const inserted = await trx
    .insertInto("bid")
    .values({ tender_id: tender.id, organisation_id: actor.organisationId, created_at: ctx.now, created_by: actor.userId, updated_at: ctx.now, updated_by: actor.userId })
    .onConflict((oc) => oc.columns(["tender_id", "organisation_id"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!inserted) {
    const existing = await trx.selectFrom("bid").select("id").where("tender_id", "=", tender.id).where("organisation_id", "=", actor.organisationId).executeTakeFirstOrThrow();
    return { id: existing.id, created: false };
  }
  await recordAuditEvent(trx, ctx, {
    action: "bid.started",
    summary: `${actor.organisationName} started a draft bid for "${tender.title}"`,
    subjects: bidSubjects(inserted.id, actor.organisationId),
  });
  return { id: inserted.id, created: true };
}

/** The lots the bid is for: only lots the tender offers, at least one. */
export async function chooseBidLots(
  trx: Trx,
  input: { tenderId: string; expectedVersion: number; lotIds: string[] },
  ctx: ActionContext,
): Promise<void> {
  const { tender, actor, bid } = await lockOwnBid(trx, input.tenderId, ctx, "update");
  if (bid.version !== input.expectedVersion) {
    throw new ConcurrentEditError("A colleague changed this bid's lots or prices while you were editing. Check the bid as it is now and make your change again.");
  }
  const offered = await tenderLots(trx, tender.id);
  const wanted = [...new Set(input.lotIds)];
  if (wanted.length === 0) throw new ActionRefused("Select at least one lot to bid for", "lotIds");
  if (!wanted.every((id) => offered.some((l) => l.id === id))) throw new ActionRefused("Select lots this tender offers", "lotIds");
  const current = (await trx.selectFrom("bid_lot").select("lot_id").where("bid_id", "=", bid.id).execute()).map((r) => r.lot_id);
  const removed = current.filter((id) => !wanted.includes(id));
  const added = wanted.filter((id) => !current.includes(id));
  if (removed.length === 0 && added.length === 0) return;
  if (removed.length > 0) await trx.deleteFrom("bid_lot").where("bid_id", "=", bid.id).where("lot_id", "in", removed).execute();
  if (added.length > 0) await trx.insertInto("bid_lot").values(added.map((lot_id) => ({ bid_id: bid.id, tender_id: tender.id, lot_id }))).execute();
  await touchBid(trx, bid.id, ctx, true);
  const names = (ids: string[]) => offered.filter((l) => ids.includes(l.id)).map((l) => `Lot ${l.number}`);
  await recordAuditEvent(trx, ctx, {
    action: "bid.lots_chosen",
    summary: `${actor.organisationName} now bids for ${names(wanted).join(", ")} in "${tender.title}"`,
    subjects: bidSubjects(bid.id, actor.organisationId),
    before: { Lots: names(current) },
    after: { Lots: names(wanted) },
  });
}

export interface SavedAnswer {
  answerText: string | null;
  meetsRequirement: boolean | null;
  declared: boolean | null;
  version: number;
  updatedAt: Date;
  updatedBy: string | null;
}

/**
 * A colleague saved this answer after the page was loaded. Carries both
 * versions, so the page can show theirs beside what this person typed and
 * nothing is lost.
 */
export class AnswerChanged extends ConcurrentEditError {
  constructor(
    readonly theirs: SavedAnswer,
    readonly yours: { answerText: string | null; meetsRequirement: boolean | null; declared: boolean | null },
  ) {
    super(
      `${theirs.updatedBy ?? "A colleague"} saved a different answer to this question at ${formatUkDateTime(theirs.updatedAt)}, after you opened it. ` +
        "Both versions are shown: keep the one you want, or combine them, and save again.",
    );
    this.name = "AnswerChanged";
  }
}

/** What a change to one answer or its files needs of the question: its number ("2.1"), kind and word limit. */
type QuestionRef = Pick<QuestionView, "id" | "number" | "kind" | "wordLimit">;

/** One question of the tender, in one statement (not the whole questionnaire). */
async function questionOfTender(db: Reader, tenderId: string, questionId: string): Promise<QuestionRef> {
  const q = isUuid(questionId)
    ? await db
        .selectFrom("tender_question")
        .innerJoin("tender_section", "tender_section.id", "tender_question.section_id")
        .select(["tender_question.id", "tender_question.kind", "tender_question.word_limit", "tender_question.position", "tender_section.position as section_position"])
        .where("tender_question.tender_id", "=", tenderId)
        .where("tender_question.id", "=", questionId)
        .executeTakeFirst()
    : undefined;
  if (!q) throw new RecordNotFound("question");
  return { id: q.id, number: `${q.section_position}.${q.position}`, kind: q.kind, wordLimit: q.word_limit };
}

async function savedAnswer(db: Reader, bidId: string, questionId: string, lock: boolean): Promise<SavedAnswer | null> {
  let query = db
    .selectFrom("bid_answer")
    .leftJoin("app_user", "app_user.id", "bid_answer.updated_by")
    .select(["bid_answer.answer_text", "bid_answer.meets_requirement", "bid_answer.declared", "bid_answer.version", "bid_answer.updated_at", "app_user.full_name"])
    .where("bid_answer.bid_id", "=", bidId)
    .where("bid_answer.question_id", "=", questionId);
  if (lock) query = query.forUpdate("bid_answer");
  const row = await query.executeTakeFirst();
  return row
    ? { answerText: row.answer_text, meetsRequirement: row.meets_requirement, declared: row.declared, version: row.version, updatedAt: row.updated_at, updatedBy: row.full_name }
    : null;
}

export interface AnswerInput {
  tenderId: string;
  questionId: string;
  /** The answer's version the page showed: 0 when there was no answer yet. */
  expectedVersion: number;
  answerText?: string | null;
  meetsRequirement?: boolean | null;
  declared?: boolean | null;
}

/** What is stored for a question of its kind; the word limit is enforced here. */
function answerColumns(question: Pick<QuestionView, "kind" | "wordLimit">, input: AnswerInput) {
  if (question.kind === "quality") {
    const text = normaliseAnswer(input.answerText ?? "");
    const words = wordCount(text);
    if (question.wordLimit !== null && words > question.wordLimit) {
      throw new ActionRefused(`Your answer is ${words} words: the limit is ${question.wordLimit}. Shorten it and save again`, "answerText");
    }
    if (text.length > 200_000) throw new ActionRefused("Your answer is too long to save", "answerText");
    return { answer_text: text === "" ? null : text, meets_requirement: null, declared: null };
  }
  if (question.kind === "pass_fail") {
    if (typeof input.meetsRequirement !== "boolean") throw new ActionRefused("Select yes if you meet this requirement, or no if you do not", "meetsRequirement");
    return { answer_text: null, meets_requirement: input.meetsRequirement, declared: null };
  }
  return { answer_text: null, meets_requirement: null, declared: input.declared === true };
}

/**
 * Saves one answer if it is still the version the page showed; otherwise
 * AnswerChanged with both versions. Saving what is already saved changes
 * nothing and writes no event (autosave repeats itself).
 */
export async function saveAnswer(trx: Trx, input: AnswerInput, ctx: ActionContext): Promise<{ version: number; changed: boolean }> {
  const { tender, actor, bid } = await lockOwnBid(trx, input.tenderId, ctx, "share");
  const question = await questionOfTender(trx, tender.id, input.questionId);
  const columns = answerColumns(question, input);
  const yours = { answerText: columns.answer_text, meetsRequirement: columns.meets_requirement, declared: columns.declared };
  const current = await savedAnswer(trx, bid.id, question.id, true);
  const same = (a: SavedAnswer) => a.answerText === columns.answer_text && a.meetsRequirement === columns.meets_requirement && a.declared === columns.declared;
  let version: number;
  if (!current) {
    if (input.expectedVersion !== 0) throw new ConcurrentEditError("This answer has changed since you opened it. Reload the question and try again.");
    const inserted = await trx
      .insertInto("bid_answer")
      .values({ bid_id: bid.id, tender_id: tender.id, question_id: question.id, ...columns, version: 1, updated_at: ctx.now, updated_by: actor.userId })
      .onConflict((oc) => oc.columns(["bid_id", "question_id"]).doNothing())
      .returning("version")
      .executeTakeFirst();
    if (!inserted) {
      // A colleague's first save of this answer committed while this one was on its way.
      const theirs = (await savedAnswer(trx, bid.id, question.id, false))!;
      if (same(theirs)) return { version: theirs.version, changed: false };
      throw new AnswerChanged(theirs, yours);
    }
    version = 1;
  } else {
    if (current.version !== input.expectedVersion) {
      if (same(current)) return { version: current.version, changed: false };
      throw new AnswerChanged(current, yours);
    }
    if (same(current)) return { version: current.version, changed: false };
    version = current.version + 1;
    await trx
      .updateTable("bid_answer")
      .set({ ...columns, version, updated_at: ctx.now, updated_by: actor.userId })
      .where("bid_id", "=", bid.id)
      .where("question_id", "=", question.id)
      .execute();
  }
  // The bid's row is not touched: colleagues' saves share its lock, and two of them updating it would deadlock.
  await recordAuditEvent(trx, ctx, {
    action: "bid.answer_saved",
    summary: `${actor.organisationName} saved its answer to question ${question.number} of its bid for "${tender.title}"`,
    subjects: [...bidSubjects(bid.id, actor.organisationId), { type: "tender_question", id: question.id }],
    // Which question and which version only: the words stay sealed.
    before: { Question: question.number, "Answer version": current?.version ?? "None" },
    after: { Question: question.number, "Answer version": version },
  });
  return { version, changed: true };
}

export interface PriceInput {
  priceItemId: string;
  /** Whole pence; null clears the price. */
  amountPence: number | null;
}

export interface PriceItemView {
  id: string;
  lotId: string;
  component: PriceComponentKey;
  label: string;
  needBand: string | null;
  unit: PriceUnit;
  maximumPence: number;
}

export class PricesInvalid extends ActionRefused {
  constructor(readonly problems: { field: string; message: string }[]) {
    super(problems.map((p) => p.message).join("; "), problems[0]?.field ?? null);
    this.name = "PricesInvalid";
  }
}

/** Every price item the tender asks for, with its label ("Weekly fee per placement, Standard") and maximum. */
export async function tenderPriceItems(db: Reader, tenderId: string): Promise<PriceItemView[]> {
  const [questionnaire, lots] = await Promise.all([getQuestionnaire(db, tenderId), tenderLots(db, tenderId)]);
  return priceItemsOf(questionnaire, lots);
}

/** The price items of a questionnaire and lots already loaded. */
function priceItemsOf(questionnaire: Questionnaire, lots: readonly TenderLot[]): PriceItemView[] {
  return questionnaire.priceSchedules.flatMap((schedule) => {
    const lot = lots.find((l) => l.id === schedule.lotId);
    const basis = lot ? PRICE_BASES[lot.priceBasis as keyof typeof PRICE_BASES] : undefined;
    return schedule.items.map((item) => {
      const component = basis?.components.find((c) => c.key === item.component);
      const label = `${component?.label ?? item.component}${item.needBand ? `, ${item.needBand}` : ""}`;
      return { id: item.id, lotId: schedule.lotId, component: item.component, label, needBand: item.needBand, unit: item.unit, maximumPence: PRICE_MAXIMUM_PENCE[item.component] };
    });
  });
}

function priceProblem(item: PriceItemView, amount: number | null): string | null {
  if (amount === null) return null;
  if (!Number.isSafeInteger(amount)) return `Enter the ${item.label.toLowerCase()} in pounds and pence, like 4250.00`;
  if (amount <= 0) return `The ${item.label.toLowerCase()} must be more than £0`;
  if (amount > item.maximumPence) {
    return `The ${item.label.toLowerCase()} must be £${(item.maximumPence / 100).toLocaleString("en-GB")} or less per ${item.unit}`;
  }
  return null;
}

/**
 * Sets some of the bid's prices at once, checked all together: positive
 * whole pence, at most the maximum for the price basis, only for lots the bid
 * is for. The bid's version guards against a colleague's save in between.
 */
export async function setBidPrices(
  trx: Trx,
  input: { tenderId: string; expectedVersion: number; prices: PriceInput[] },
  ctx: ActionContext,
): Promise<{ version: number }> {
  const { tender, actor, bid } = await lockOwnBid(trx, input.tenderId, ctx, "update");
  if (bid.version !== input.expectedVersion) {
    throw new ConcurrentEditError("A colleague changed this bid's lots or prices while you were editing. Check the prices as they are now and enter yours again.");
  }
  const items = await tenderPriceItems(trx, tender.id);
  const chosen = (await trx.selectFrom("bid_lot").select("lot_id").where("bid_id", "=", bid.id).execute()).map((r) => r.lot_id);
  const problems: { field: string; message: string }[] = [];
  const wanted: { item: PriceItemView; amount: number | null }[] = [];
  for (const price of input.prices) {
    const item = items.find((i) => i.id === price.priceItemId);
    if (!item || !chosen.includes(item.lotId)) throw new RecordNotFound("price item");
    const message = priceProblem(item, price.amountPence);
    if (message) problems.push({ field: `price-${item.id}`, message });
    wanted.push({ item, amount: price.amountPence });
  }
  if (problems.length > 0) throw new PricesInvalid(problems);
  const current = await trx.selectFrom("bid_price").select(["price_item_id", "amount_pence"]).where("bid_id", "=", bid.id).execute();
  const changed = wanted.filter((w) => (current.find((c) => c.price_item_id === w.item.id)?.amount_pence ?? null) !== w.amount);
  if (changed.length === 0) return { version: bid.version };
  for (const { item, amount } of changed) {
    if (amount === null) {
      await trx.deleteFrom("bid_price").where("bid_id", "=", bid.id).where("price_item_id", "=", item.id).execute();
    } else {
      await trx
        .insertInto("bid_price")
        .values({ bid_id: bid.id, price_item_id: item.id, amount_pence: amount, updated_at: ctx.now, updated_by: actor.userId })
        .onConflict((oc) => oc.columns(["bid_id", "price_item_id"]).doUpdateSet({ amount_pence: amount, updated_at: ctx.now, updated_by: actor.userId }))
        .execute();
    }
  }
  await touchBid(trx, bid.id, ctx, true);
  const lots = await tenderLots(trx, tender.id);
  const lotNumber = (lotId: string) => lots.find((l) => l.id === lotId)?.number;
  await recordAuditEvent(trx, ctx, {
    action: "bid.prices_set",
    summary: `${actor.organisationName} changed ${changed.length} ${changed.length === 1 ? "price" : "prices"} in its bid for "${tender.title}"`,
    subjects: bidSubjects(bid.id, actor.organisationId),
    // Which prices changed, never the amounts: prices stay sealed.
    after: { "Prices changed": changed.map((c) => `Lot ${lotNumber(c.item.lotId)}: ${c.item.label}`) },
  });
  return { version: bid.version + 1 };
}

/**
 * Stores an uploaded file as evidence for a question: typed by content and
 * size-limited while streaming (the file store), and the bid's files
 * together kept under their limit.
 */
export async function attachBidFile(
  trx: Trx,
  input: { tenderId: string; questionId: string; file: NewFile },
  ctx: ActionContext,
  limits: BidFileLimits = DEFAULT_BID_FILE_LIMITS,
): Promise<StoredFile> {
  const { tender, actor, bid } = await lockOwnBid(trx, input.tenderId, ctx, "update");
  const question = await questionOfTender(trx, tender.id, input.questionId);
  const field = input.file.field ?? "file";
  const { total } = await trx
    .selectFrom("bid_answer_file")
    .innerJoin("stored_file", "stored_file.id", "bid_answer_file.file_id")
    .select((eb) => eb.fn.coalesce(eb.fn.sum<string>("stored_file.size_bytes"), sql<string>`0`).as("total"))
    .where("bid_answer_file.bid_id", "=", bid.id)
    .where("bid_answer_file.detached_at", "is", null)
    .executeTakeFirstOrThrow();
  const room = limits.maxBidBytes - Number(total);
  if (room <= 0) throw new ActionRefused(`Your bid's files already add up to the limit of ${Math.round(limits.maxBidBytes / 1024 / 1024)}MB: remove one before adding another`, field);
  const fileName = cleanFileName(input.file.fileName);
  // The store keeps a neutral name: the file's own name is sealed with the bid.
  const file = await storeFile(trx, { ...input.file, ownerOrganisationId: actor.organisationId, field, storedName: SEALED_FILE_NAME }, ctx, {
    maxBytes: Math.min(limits.maxFileBytes, room),
  });
  await trx
    .insertInto("bid_answer_file")
    .values({ bid_id: bid.id, tender_id: tender.id, question_id: question.id, file_id: file.id, file_name: fileName, attached_at: ctx.now, attached_by: actor.userId })
    .execute();
  await touchBid(trx, bid.id, ctx, false);
  await recordAuditEvent(trx, ctx, {
    action: "bid.file_attached",
    summary: `${actor.organisationName} attached evidence to question ${question.number} of its bid for "${tender.title}"`,
    subjects: [...bidSubjects(bid.id, actor.organisationId), { type: "tender_question", id: question.id }, { type: "file", id: file.id }],
    after: { Question: question.number, "File SHA-256": file.sha256 },
  });
  return { ...file, fileName };
}

/**
 * Attaches documents from the organisation's evidence library to a question
 * that takes evidence, instead of uploading them again: each must be the
 * library's current version, not expired, and valid on the day of the
 * deadline (evidenceExpiryProblem). A document already attached to the
 * question is left as it is. The row names the library document, so the
 * submitted version freezes which upload (and its SHA-256) was attached.
 */
export async function attachEvidenceDocuments(
  trx: Trx,
  input: { tenderId: string; questionId: string; documentIds: string[] },
  ctx: ActionContext,
): Promise<{ attached: number }> {
  const field = "evidence";
  const { tender, actor, bid } = await lockOwnBid(trx, input.tenderId, ctx, "update");
  const question = await questionOfTender(trx, tender.id, input.questionId);
  if (question.kind !== "pass_fail") throw new ActionRefused("This question does not take evidence", field);
  if (input.documentIds.length === 0) throw new ActionRefused("Select at least one document from your evidence library", field);
  const documents = await attachableEvidence(trx, { organisationId: actor.organisationId, documentIds: input.documentIds, field }, ctx.now);
  for (const doc of documents) {
    const problem = evidenceExpiryProblem(doc, tender.submission_deadline_at);
    if (problem) throw new ActionRefused(problem, field);
  }
  const present = await trx
    .selectFrom("bid_answer_file")
    .select("file_id")
    .where("bid_id", "=", bid.id)
    .where("question_id", "=", question.id)
    .where("detached_at", "is", null)
    .execute();
  const added = documents.filter((d) => !present.some((p) => p.file_id === d.file.id));
  if (added.length === 0) return { attached: 0 };
  await trx
    .insertInto("bid_answer_file")
    .values(
      added.map((d) => ({
        bid_id: bid.id,
        tender_id: tender.id,
        question_id: question.id,
        file_id: d.file.id,
        evidence_document_id: d.id,
        file_name: d.file.fileName,
        attached_at: ctx.now,
        attached_by: actor.userId,
      })),
    )
    .execute();
  await touchBid(trx, bid.id, ctx, false);
  await recordAuditEvent(trx, ctx, {
    action: "bid.evidence_attached",
    summary: `${actor.organisationName} attached ${added.length === 1 ? "a document" : `${added.length} documents`} from its evidence library to question ${question.number} of its bid for "${tender.title}"`,
    // Which question and the files' SHA-256, never which documents: what a bid relies on stays sealed.
    subjects: [...bidSubjects(bid.id, actor.organisationId), { type: "tender_question", id: question.id }],
    after: { Question: question.number, "File SHA-256": added.map((d) => d.file.sha256) },
  });
  return { attached: added.length };
}

/** Takes a file off the draft; the row (and the stored file) stay, marked detached. */
export async function detachBidFile(trx: Trx, input: { tenderId: string; attachmentId: string }, ctx: ActionContext): Promise<void> {
  const { tender, actor, bid } = await lockOwnBid(trx, input.tenderId, ctx, "update");
  const attachment = isUuid(input.attachmentId)
    ? await trx
        .selectFrom("bid_answer_file")
        .select(["id", "question_id", "file_id"])
        .where("id", "=", input.attachmentId)
        .where("bid_id", "=", bid.id)
        .where("detached_at", "is", null)
        .executeTakeFirst()
    : undefined;
  if (!attachment) throw new RecordNotFound("attachment");
  const question = await questionOfTender(trx, tender.id, attachment.question_id);
  await trx.updateTable("bid_answer_file").set({ detached_at: ctx.now, detached_by: actor.userId }).where("id", "=", attachment.id).execute();
  await touchBid(trx, bid.id, ctx, false);
  await recordAuditEvent(trx, ctx, {
    action: "bid.file_detached",
    summary: `${actor.organisationName} removed evidence from question ${question.number} of its bid for "${tender.title}"`,
    subjects: [...bidSubjects(bid.id, actor.organisationId), { type: "tender_question", id: question.id }, { type: "file", id: attachment.file_id }],
    before: { Question: question.number },
  });
}

// ---- reading the draft (its own provider only) ----

export interface AttachedFile {
  attachmentId: string;
  fileId: string;
  fileName: string;
  sizeBytes: number;
  sha256: string;
  evidenceDocumentId: string | null;
  /** Set when the file is a document from the evidence library. */
  evidence: AttachedEvidence | null;
}

export interface BidQuestionView extends QuestionView {
  sectionId: string;
  /** Whether the question is part of this bid: quality questions apply to the lots they are weighted for. */
  applies: boolean;
  answer: SavedAnswer | null;
  files: AttachedFile[];
}

export interface BidDraft {
  bid: { id: string; version: number; updatedAt: Date };
  tender: BidTender;
  lots: (TenderLot & { chosen: boolean })[];
  sections: { id: string; position: number; title: string; description: string; questions: BidQuestionView[] }[];
  prices: (PriceItemView & { lotNumber: number; lotTitle: string; amountPence: number | null })[];
}

/** Whether a question is asked of a bid for these lots. */
export function questionApplies(question: Pick<QuestionView, "kind" | "weights">, chosenLotIds: readonly string[]): boolean {
  if (question.kind !== "quality") return true;
  return question.weights.some((w) => chosenLotIds.includes(w.lotId));
}

/**
 * What every bid page needs first, in one statement: the tender (with what
 * the policy asks of it) and the acting organisation's bid in it, if any.
 * Null for an unknown id. A draft tender is found: the policy hides it.
 */
export interface BidTenderHead {
  tender: BidTender & { published_at: Date | null };
  /** The tender's version: every change to its questions or lots moves it on (touchTender). */
  tenderVersion: number;
  agreement: { leadCouncilId: string };
  bid: { id: string; version: number; updated_at: Date; revision: string } | null;
}

export async function bidTenderHead(db: Reader, tenderId: string, actor: Actor | null): Promise<BidTenderHead | null> {
  if (!isUuid(tenderId)) return null;
  const organisationId = actor?.organisationKind === "provider" ? actor.organisationId : null;
  const row = await db
    .selectFrom("tender")
    .innerJoin("agreement", "agreement.id", "tender.agreement_id")
    .leftJoin("bid", (j) => j.onRef("bid.tender_id", "=", "tender.id").on("bid.organisation_id", "=", organisationId))
    .select([
      "tender.id",
      "tender.title",
      "tender.status",
      "tender.submission_deadline_at",
      "tender.published_at",
      "tender.version as tender_version",
      "agreement.lead_council_id",
      "bid.id as bid_id",
      "bid.version as bid_version",
      "bid.updated_at as bid_updated_at",
      "bid.revision as bid_revision",
      // Each answer's save moves its own version on, and no answer is ever deleted: the sum moves with every save.
      (eb) => eb.selectFrom("bid_answer").select((a) => a.fn.coalesce(a.fn.sum<number>("bid_answer.version"), a.lit(0)).as("sum")).whereRef("bid_answer.bid_id", "=", "bid.id").as("answers_revision"),
    ])
    .where("tender.id", "=", tenderId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    tender: { id: row.id, title: row.title, status: row.status, submission_deadline_at: row.submission_deadline_at, published_at: row.published_at },
    tenderVersion: row.tender_version,
    agreement: { leadCouncilId: row.lead_council_id },
    bid:
      row.bid_id !== null && row.bid_version !== null && row.bid_updated_at !== null
        ? { id: row.bid_id, version: row.bid_version, updated_at: row.bid_updated_at, revision: `${row.bid_revision}.${row.answers_revision ?? 0}` }
        : null,
  };
}

/** The acting provider's draft in the tender, or null if it has not started one. */
export async function getOwnBid(db: Reader, tenderId: string, actor: Actor): Promise<BidDraft | null> {
  if (actor.organisationKind !== "provider") return null;
  const head = await bidTenderHead(db, tenderId, actor);
  if (!head || head.tender.status === "draft" || !head.bid) return null;
  return loadDraft(db, head.tender, head.bid, head.tenderVersion);
}

/** The whole draft of a bid found by bidTenderHead (the acting provider's own). */
export async function loadOwnBid(db: Reader, head: BidTenderHead): Promise<BidDraft | null> {
  return head.bid && head.tender.status !== "draft" ? loadDraft(db, head.tender, head.bid, head.tenderVersion) : null;
}

// What pages work out from whole drafts (the bid page's task statuses and fingerprint), for at most 1,000 drafts.
const keptFromDrafts = keptStore(1_000);

/**
 * What `derive` works out from the whole draft of a bid found by
 * bidTenderHead, kept while the draft's revision and the tender's version
 * are unchanged (decision 051): a repeat view of the bid page reads neither
 * the draft's answers nor its files. `name` tells apart the derivations kept
 * for one draft. The revision is read with the head, before the draft, so
 * what is kept is never older than the revision it is kept under. Inside a
 * transaction the draft is read afresh. `derive` must depend on nothing but
 * the draft and the organisation (not the clock, not the viewer).
 */
export async function keptFromOwnBid<T>(db: Reader, head: BidTenderHead, name: string, derive: (draft: BidDraft) => T): Promise<T | null> {
  const bid = head.bid;
  if (!bid || head.tender.status === "draft") return null;
  const work = async () => derive(await loadDraft(db, head.tender, bid, head.tenderVersion));
  if (db.isTransaction) return work();
  return keptFromDrafts.get(db, `${name}|${bid.id}`, `${head.tenderVersion}|${bid.revision}`, work);
}

/** The files attached to the bid now, oldest first: of one question, or of all. */
function attachedFiles(db: Reader, bidId: string, questionId?: string) {
  return attachedFilesQuery(db, bidId, questionId).execute();
}

/** attachedFiles' query, unsent, for a statement that reads it with others. */
function attachedFilesQuery(db: Reader, bidId: string, questionId?: string) {
  let query = db
    .selectFrom("bid_answer_file")
    .innerJoin("stored_file", "stored_file.id", "bid_answer_file.file_id")
    .leftJoin("evidence_document", "evidence_document.id", "bid_answer_file.evidence_document_id")
    .select((eb) => [
      "bid_answer_file.id",
      "bid_answer_file.question_id",
      "bid_answer_file.file_id",
      "bid_answer_file.evidence_document_id",
      eb.fn.coalesce("bid_answer_file.file_name", "stored_file.file_name").as("file_name"),
      "stored_file.size_bytes",
      "stored_file.sha256",
      "evidence_document.title as evidence_title",
      "evidence_document.kind as evidence_kind",
      "evidence_document.expires_on as evidence_expires_on",
    ])
    .where("bid_answer_file.bid_id", "=", bidId)
    .where("bid_answer_file.detached_at", "is", null);
  if (questionId) query = query.where("bid_answer_file.question_id", "=", questionId);
  return query.orderBy("bid_answer_file.attached_at");
}

function attachedFile(f: Awaited<ReturnType<typeof attachedFiles>>[number]): AttachedFile {
  return {
    attachmentId: f.id,
    fileId: f.file_id,
    fileName: f.file_name,
    sizeBytes: Number(f.size_bytes),
    sha256: f.sha256,
    evidenceDocumentId: f.evidence_document_id,
    evidence: attachedEvidence(f.evidence_document_id, f.evidence_title, f.evidence_kind, f.evidence_expires_on),
  };
}

/** One question of a draft as its page shows it, without the rest of the bid: a few statements whatever the bid's size. */
export interface OwnBidQuestion {
  id: string;
  number: string;
  kind: QuestionView["kind"];
  question: string;
  guidance: string;
  evidenceRequired: string | null;
  wordLimit: number | null;
  /** Whether the question is part of this bid (questionApplies, worked out in the query). */
  applies: boolean;
}

/** The question, if the tender has it, and whether the bid's lots make it part of the bid. */
export async function ownBidQuestion(db: Reader, head: BidTenderHead & { bid: { id: string } }, questionId: string): Promise<OwnBidQuestion | null> {
  if (!isUuid(questionId)) return null;
  const bidId = head.bid.id;
  const q = await db
    .selectFrom("tender_question")
    .innerJoin("tender_section", "tender_section.id", "tender_question.section_id")
    .select((eb) => [
      "tender_question.id",
      "tender_question.kind",
      "tender_question.question",
      "tender_question.guidance",
      "tender_question.evidence_required",
      "tender_question.word_limit",
      "tender_question.position",
      "tender_section.position as section_position",
      // As questionApplies: a quality question applies when one of the lots it is weighted for is chosen.
      eb
        .or([
          eb("tender_question.kind", "<>", "quality"),
          eb.exists(
            eb
              .selectFrom("tender_question_weight")
              .innerJoin("bid_lot", "bid_lot.lot_id", "tender_question_weight.lot_id")
              .select("bid_lot.lot_id")
              .whereRef("tender_question_weight.question_id", "=", "tender_question.id")
              .where("bid_lot.bid_id", "=", bidId),
          ),
        ])
        .as("applies"),
    ])
    .where("tender_question.tender_id", "=", head.tender.id)
    .where("tender_question.id", "=", questionId)
    .executeTakeFirst();
  if (!q) return null;
  return {
    id: q.id,
    number: `${q.section_position}.${q.position}`,
    kind: q.kind,
    question: q.question,
    guidance: q.guidance,
    evidenceRequired: q.evidence_required,
    wordLimit: q.word_limit,
    applies: Boolean(q.applies),
  };
}

/** The saved answer to one question of the acting provider's draft, and the files attached to it. */
export async function ownBidAnswer(db: Reader, bidId: string, questionId: string): Promise<{ answer: SavedAnswer | null; files: AttachedFile[] }> {
  const [answer, files] = await Promise.all([savedAnswer(db, bidId, questionId, false), attachedFiles(db, bidId, questionId)]);
  return { answer, files: files.map(attachedFile) };
}

interface QuestionsAndLots {
  questionnaire: Questionnaire;
  lots: TenderLot[];
}

// At most 100 tenders' questions and lots, each at one version of its tender.
const keptQuestions = keptStore(100);

/**
 * The tender's questionnaire and lots, seven statements. Every change to them
 * moves the tender's version on (lockTender and touchTender), so a bid page
 * that has read the version reuses what was read at that version (decision
 * 047): a provider's pages read the tender's questions once, not on every
 * view, however busy the deadline. Only committed reads are kept: inside a
 * transaction, which may yet roll back, they are read afresh. The version is
 * read before the questions, so what is kept is never older than its version.
 */
async function questionsAndLots(db: Reader, tenderId: string, version: number | null): Promise<QuestionsAndLots> {
  const read = async () => {
    const [questionnaire, lots] = await Promise.all([getQuestionnaire(db, tenderId), tenderLots(db, tenderId)]);
    return { questionnaire, lots };
  };
  if (version === null || db.isTransaction) return read();
  return keptQuestions.get(db, tenderId, String(version), read);
}

async function loadDraft(db: Reader, tender: BidTender, bid: { id: string; version: number; updated_at: Date }, tenderVersion: number | null): Promise<BidDraft> {
  // The draft's lots, answers, prices and files in one statement (each as a JSON array): a statement
  // costs the portal and PostgreSQL more than any of these reads does (decision 050).
  const [{ questionnaire, lots }, draft] = await Promise.all([
    questionsAndLots(db, tender.id, tenderVersion),
    db
      .selectNoFrom([
        jsonArrayFrom(db.selectFrom("bid_lot").select("lot_id").where("bid_id", "=", bid.id)).as("lots"),
        jsonArrayFrom(
          db
            .selectFrom("bid_answer")
            .leftJoin("app_user", "app_user.id", "bid_answer.updated_by")
            .select(["bid_answer.question_id", "bid_answer.answer_text", "bid_answer.meets_requirement", "bid_answer.declared", "bid_answer.version", "bid_answer.updated_at", "app_user.full_name"])
            .where("bid_answer.bid_id", "=", bid.id),
        ).as("answers"),
        jsonArrayFrom(db.selectFrom("bid_price").select(["price_item_id", "amount_pence"]).where("bid_id", "=", bid.id)).as("prices"),
        jsonArrayFrom(attachedFilesQuery(db, bid.id)).as("files"),
      ])
      .executeTakeFirstOrThrow(),
  ]);
  // JSON carries times as text and big integers as numbers: the times are made Dates again.
  const answers = draft.answers.map((a) => ({ ...a, updated_at: new Date(a.updated_at as unknown as string) }));
  const { prices, files } = draft;
  const chosen = draft.lots.map((r) => r.lot_id);
  const items = priceItemsOf(questionnaire, lots);
  const answerOf = new Map(answers.map((a) => [a.question_id, a]));
  return {
    bid: { id: bid.id, version: bid.version, updatedAt: bid.updated_at },
    tender,
    lots: lots.map((l) => ({ ...l, chosen: chosen.includes(l.id) })),
    // A participation stage's conditions were assessed before bids (participation.ts): the bid does not ask them again.
    sections: questionnaire.sections.filter((s) => s.stage !== "participation").map((s) => ({
      id: s.id,
      position: s.position,
      title: s.title,
      description: s.description,
      questions: s.questions.map((q) => {
        const a = answerOf.get(q.id);
        return {
          ...q,
          sectionId: s.id,
          applies: questionApplies(q, chosen),
          answer: a
            ? { answerText: a.answer_text, meetsRequirement: a.meets_requirement, declared: a.declared, version: a.version, updatedAt: a.updated_at, updatedBy: a.full_name }
            : null,
          files: files.filter((f) => f.question_id === q.id).map(attachedFile),
        };
      }),
    })),
    prices: items
      .filter((i) => chosen.includes(i.lotId))
      .map((i) => {
        const lot = lots.find((l) => l.id === i.lotId)!;
        return { ...i, lotNumber: lot.number, lotTitle: lot.title, amountPence: prices.find((p) => p.price_item_id === i.id)?.amount_pence ?? null };
      }),
  };
}

/** The library document behind an attached file, from a left join (null when the file was uploaded to the bid). */
export function attachedEvidence(id: string | null, title: string | null, kind: keyof typeof EVIDENCE_KIND_LABELS | null, expiresOn: string | null): AttachedEvidence | null {
  return id && title && kind ? { id, title, kindLabel: EVIDENCE_KIND_LABELS[kind], expiresOn } : null;
}

export interface BidProblem {
  /** Where the link goes: a question's id, "lots", or a price item's field. */
  target: { kind: "lots" } | { kind: "question"; questionId: string; field: string } | { kind: "price"; priceItemId: string; field: string };
  /** e.g. "Question 2.1" or "Lot 1: Weekly fee per placement, Standard". */
  label: string;
  message: string;
}

/** Every missing or invalid part of the draft, in the order of the bid, for "check your answers". */
export function bidProblems(draft: BidDraft): BidProblem[] {
  const problems: BidProblem[] = [];
  if (!draft.lots.some((l) => l.chosen)) problems.push({ target: { kind: "lots" }, label: "Lots", message: "Select at least one lot to bid for" });
  for (const section of draft.sections) {
    for (const q of section.questions.filter((x) => x.applies)) {
      const label = `Question ${q.number}`;
      const at = (field: string) => ({ kind: "question" as const, questionId: q.id, field });
      const a = q.answer;
      if (q.kind === "quality") {
        const words = wordCount(a?.answerText ?? "");
        if (words === 0) problems.push({ target: at("answerText"), label, message: `Answer question ${q.number}` });
        else if (q.wordLimit !== null && words > q.wordLimit) {
          problems.push({ target: at("answerText"), label, message: `Your answer to question ${q.number} is ${words} words: the limit is ${q.wordLimit}` });
        }
      } else if (q.kind === "pass_fail") {
        if (a?.meetsRequirement == null) problems.push({ target: at("meetsRequirement"), label, message: `Say whether you meet the requirement in question ${q.number}` });
        else if (a.meetsRequirement && q.files.length === 0) problems.push({ target: at("file"), label, message: `Attach the evidence for question ${q.number}: ${q.evidenceRequired}` });
        // A library document that lapses before the deadline (it may have moved since it was attached).
        for (const f of q.files) {
          const lapses = f.evidence ? evidenceExpiryProblem(f.evidence, draft.tender.submission_deadline_at) : null;
          if (lapses) problems.push({ target: at("evidence"), label, message: `Question ${q.number}: ${lapses}` });
        }
      } else if (a?.declared !== true) {
        problems.push({ target: at("declared"), label, message: `Confirm the declaration in question ${q.number}` });
      }
    }
  }
  for (const p of draft.prices) {
    const label = `Lot ${p.lotNumber}: ${p.label}`;
    const target = { kind: "price" as const, priceItemId: p.id, field: `price-${p.id}` };
    if (p.amountPence === null) problems.push({ target, label, message: `Enter the price for lot ${p.lotNumber}: ${p.label.toLowerCase()}` });
    else {
      const message = priceProblem(p, p.amountPence);
      if (message) problems.push({ target, label, message });
    }
  }
  return problems;
}

/**
 * A bid file's bytes for its own provider's users: the stored file only if
 * it is attached (now or in a submitted version) to this organisation's bid.
 */
export async function ownBidFile(db: Reader, tenderId: string, fileId: string, actor: Actor): Promise<{ file: StoredFile; bytes: AsyncGenerator<Buffer> } | null> {
  if (actor.organisationKind !== "provider" || !isUuid(tenderId) || !isUuid(fileId)) return null;
  const attached = await db
    .selectFrom("bid_answer_file")
    .innerJoin("bid", "bid.id", "bid_answer_file.bid_id")
    .select("bid_answer_file.file_name")
    .where("bid.tender_id", "=", tenderId)
    .where("bid.organisation_id", "=", actor.organisationId)
    .where("bid_answer_file.file_id", "=", fileId)
    .orderBy("bid_answer_file.attached_at", "desc")
    .executeTakeFirst();
  if (!attached) return null;
  const file = await describeFile(db, fileId);
  // The name the provider gave it: the store keeps only a neutral one.
  return file ? { file: { ...file, fileName: attached.file_name ?? file.fileName }, bytes: readFile(db, file) } : null;
}
