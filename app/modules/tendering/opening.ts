// What council staff may know of a tender's bids, and the two-officer
// opening. This is the only module through which council users read bids:
// before the opening is confirmed, `submissionsForOfficers` is all there is,
// and it selects the provider's name and the time of its submission, never a
// column of content. After the deadline one commissioning officer of the
// tender's council requests the opening and a different one confirms it;
// only then does `openedSubmissions` return the bids (the latest submitted
// version of each, unless withdrawn) in full, to the people who run the
// tender and decide its award. Evaluators read answers only through the
// evaluation module, which holds them to their conflict declarations and
// keeps prices sealed until quality is moderated (decision 022).
import type { Reader, Trx } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { isUuid } from "#app/modules/common/input";
import { ActionRefused, RecordNotFound } from "#app/modules/errors";
import { describeFile, readFile, type StoredFile } from "#app/modules/files/files";
import type { ActionContext, Actor } from "#app/modules/identity/actor";
import { formatUkDateTime } from "#emails/format";
import { loadSubmission, type SubmittedBid } from "./bids-submission";

registerAuditActions({
  "tender.opening_requested": "Asked for a tender's bids to be opened",
  "tender.opened": "Confirmed the opening of a tender's bids",
});

const COUNCIL_STAFF = ["commissioning_officer", "evaluator", "chief_officer", "portfolio_holder", "administrator"] as const;

export interface SubmittedProvider {
  organisationName: string;
  /** When the version that counts was submitted. */
  submittedAt: Date;
}

/**
 * Which providers have a bid in (their latest version, not withdrawn) and
 * when it was submitted: all that council staff may know before opening.
 * It selects no content, whoever asks and whenever.
 */
export async function submissionsForOfficers(db: Reader, tenderId: string): Promise<SubmittedProvider[]> {
  return (await currentBidders(db, tenderId)).map((b) => ({ organisationName: b.organisationName, submittedAt: b.submittedAt }));
}

/** The same providers with their organisation's id, for modules that write to them (the award notice's emails). */
export async function currentBidders(db: Reader, tenderId: string): Promise<(SubmittedProvider & { organisationId: string })[]> {
  if (!isUuid(tenderId)) return [];
  const rows = await db
    .selectFrom("bid_submission")
    .innerJoin("organisation", "organisation.id", "bid_submission.organisation_id")
    .leftJoin("bid_withdrawal", (j) => j.onRef("bid_withdrawal.bid_id", "=", "bid_submission.bid_id").onRef("bid_withdrawal.submission_number", "=", "bid_submission.number"))
    .select(["organisation.id", "organisation.name", "bid_submission.submitted_at", "bid_withdrawal.withdrawn_at"])
    .distinctOn("bid_submission.bid_id")
    .where("bid_submission.tender_id", "=", tenderId)
    .orderBy("bid_submission.bid_id")
    .orderBy("bid_submission.number", "desc")
    .execute();
  return rows
    .filter((r) => r.withdrawn_at === null)
    .map((r) => ({ organisationId: r.id, organisationName: r.name, submittedAt: r.submitted_at }))
    .sort((a, b) => a.organisationName.localeCompare(b.organisationName));
}

export interface TenderOpening {
  requestedAt: Date;
  requestedBy: string;
  /** So the page can tell the officer who asked that someone else confirms. */
  requestedById: string;
  confirmedAt: Date | null;
  confirmedBy: string | null;
}

/** Who asked for the opening and who confirmed it, for the tender's page; null before anyone asked. */
export async function tenderOpening(db: Reader, tenderId: string): Promise<TenderOpening | null> {
  if (!isUuid(tenderId)) return null;
  const row = await db
    .selectFrom("tender_opening")
    .innerJoin("app_user as requester", "requester.id", "tender_opening.requested_by")
    .leftJoin("app_user as confirmer", "confirmer.id", "tender_opening.confirmed_by")
    .select(["tender_opening.requested_at", "tender_opening.requested_by as requested_by_id", "requester.full_name as requested_by", "tender_opening.confirmed_at", "confirmer.full_name as confirmed_by"])
    .where("tender_opening.tender_id", "=", tenderId)
    .executeTakeFirst();
  return row
    ? { requestedAt: row.requested_at, requestedBy: row.requested_by, requestedById: row.requested_by_id, confirmedAt: row.confirmed_at, confirmedBy: row.confirmed_by }
    : null;
}

/** Whether both officers have acted, so the bids may be read. */
export async function bidsOpened(db: Reader, tenderId: string): Promise<boolean> {
  return (await tenderOpening(db, tenderId))?.confirmedAt != null;
}

async function tenderOfCouncil(db: Reader, tenderId: string, actor: Actor | null) {
  const tender = isUuid(tenderId)
    ? await db
        .selectFrom("tender")
        .innerJoin("agreement", "agreement.id", "tender.agreement_id")
        .select(["tender.id", "tender.title", "tender.status", "tender.submission_deadline_at", "agreement.lead_council_id"])
        .where("tender.id", "=", tenderId)
        .executeTakeFirst()
    : undefined;
  if (!tender || tender.status === "draft" || !actor || actor.organisationKind !== "council" || actor.organisationId !== tender.lead_council_id) {
    throw new RecordNotFound("tender");
  }
  return tender;
}

async function officerTender(trx: Trx, tenderId: string, ctx: ActionContext) {
  const tender = await tenderOfCouncil(trx, tenderId, ctx.actor);
  const actor = ctx.actor!;
  if (!actor.roles.includes("commissioning_officer")) throw new ActionRefused("Only a commissioning officer can open bids");
  if (tender.status === "cancelled") throw new ActionRefused("This tender has been cancelled, so its bids are not opened");
  if (!tender.submission_deadline_at || tender.submission_deadline_at.getTime() > ctx.now.getTime()) {
    throw new ActionRefused(
      `Bids cannot be opened before the deadline${tender.submission_deadline_at ? `, ${formatUkDateTime(tender.submission_deadline_at)}` : ""}`,
      "form",
    );
  }
  return { tender, actor };
}

/** The first officer's step: asks for the opening, after the deadline. */
export async function requestOpening(trx: Trx, input: { tenderId: string }, ctx: ActionContext): Promise<void> {
  const { tender, actor } = await officerTender(trx, input.tenderId, ctx);
  const inserted = await trx
    .insertInto("tender_opening")
    .values({ tender_id: tender.id, requested_at: ctx.now, requested_by: actor.userId })
    .onConflict((oc) => oc.column("tender_id").doNothing())
    .returning("tender_id")
    .executeTakeFirst();
  if (!inserted) {
    const opening = (await tenderOpening(trx, tender.id))!;
    throw new ActionRefused(
      opening.confirmedAt
        ? `The bids were opened at ${formatUkDateTime(opening.confirmedAt)}`
        : `${opening.requestedBy} asked for the bids to be opened at ${formatUkDateTime(opening.requestedAt)}: a different officer now confirms it`,
      "form",
    );
  }
  const submitted = await submissionsForOfficers(trx, tender.id);
  await recordAuditEvent(trx, ctx, {
    action: "tender.opening_requested",
    summary: `${actor.name} asked for the ${submitted.length} ${submitted.length === 1 ? "bid" : "bids"} in "${tender.title}" to be opened`,
    subjects: [{ type: "tender", id: tender.id }],
    after: { "Opening requested by": actor.name, "Bids submitted": submitted.length },
  });
}

/** The second officer's step: a different commissioning officer of the same council confirms, and the bids are open. */
export async function confirmOpening(trx: Trx, input: { tenderId: string }, ctx: ActionContext): Promise<void> {
  const { tender, actor } = await officerTender(trx, input.tenderId, ctx);
  const row = await trx.selectFrom("tender_opening").selectAll().where("tender_id", "=", tender.id).forUpdate().executeTakeFirst();
  if (!row) throw new ActionRefused("No one has asked for these bids to be opened yet: ask first, then a different officer confirms", "form");
  if (row.confirmed_at) throw new ActionRefused(`The bids were opened at ${formatUkDateTime(row.confirmed_at)}`, "form");
  if (row.requested_by === actor.userId) {
    throw new ActionRefused("You asked for the opening, so a different commissioning officer must confirm it: two people open bids, never one", "form");
  }
  await trx.updateTable("tender_opening").set({ confirmed_at: ctx.now, confirmed_by: actor.userId }).where("tender_id", "=", tender.id).execute();
  const submitted = await submissionsForOfficers(trx, tender.id);
  const requester = await trx.selectFrom("app_user").select("full_name").where("id", "=", row.requested_by).executeTakeFirstOrThrow();
  await recordAuditEvent(trx, ctx, {
    action: "tender.opened",
    summary: `${actor.name} confirmed the opening of the ${submitted.length} ${submitted.length === 1 ? "bid" : "bids"} in "${tender.title}", asked for by ${requester.full_name}`,
    subjects: [{ type: "tender", id: tender.id }, { type: "user", id: row.requested_by }],
    before: { Bids: "Sealed" },
    after: { Bids: "Opened", "Opening requested by": requester.full_name, "Opening confirmed by": actor.name, "Bids submitted": submitted.length },
  });
}

export class BidsSealed extends ActionRefused {
  constructor() {
    super("The bids in this tender are sealed until two officers open them after the deadline");
    this.name = "BidsSealed";
  }
}

/** Who reads whole opened bids: the officers who run the tender and those who decide its award (not evaluators, nor administrators). */
export const OPENED_BID_READERS = ["commissioning_officer", "chief_officer", "portfolio_holder"] as const;

/** May this council user read the tender's whole bids: OPENED_BID_READERS of its council, once opened. Throws otherwise. */
async function mayReadOpenedBids(db: Reader, tenderId: string, actor: Actor | null): Promise<string> {
  const tender = await tenderOfCouncil(db, tenderId, actor);
  if (!(await bidsOpened(db, tender.id))) throw new BidsSealed();
  if (!actor!.roles.some((r) => (OPENED_BID_READERS as readonly string[]).includes(r))) throw new RecordNotFound("tender");
  return tender.id;
}

/** Each provider's version that counts, in full, for evaluation: only after the opening. */
export async function openedSubmissions(db: Reader, tenderId: string, actor: Actor | null): Promise<SubmittedBid[]> {
  const id = await mayReadOpenedBids(db, tenderId, actor);
  const rows = await db
    .selectFrom("bid_submission")
    .leftJoin("bid_withdrawal", (j) => j.onRef("bid_withdrawal.bid_id", "=", "bid_submission.bid_id").onRef("bid_withdrawal.submission_number", "=", "bid_submission.number"))
    .select(["bid_submission.id", "bid_withdrawal.withdrawn_at"])
    .distinctOn("bid_submission.bid_id")
    .where("bid_submission.tender_id", "=", id)
    .orderBy("bid_submission.bid_id")
    .orderBy("bid_submission.number", "desc")
    .execute();
  const bids = await Promise.all(rows.filter((r) => r.withdrawn_at === null).map((r) => loadSubmission(db, { submissionId: r.id })));
  return bids.filter((b): b is SubmittedBid => b !== null).sort((a, b) => a.organisation.name.localeCompare(b.organisation.name));
}

/** A file of a submitted bid, for council staff after the opening. */
export async function openedBidFile(db: Reader, tenderId: string, fileId: string, actor: Actor | null): Promise<{ file: StoredFile; bytes: AsyncGenerator<Buffer> }> {
  const id = await mayReadOpenedBids(db, tenderId, actor);
  const attached = isUuid(fileId)
    ? await db
        .selectFrom("bid_submission_file")
        .select("file_name")
        .where("tender_id", "=", id)
        .where("file_id", "=", fileId)
        .executeTakeFirst()
    : undefined;
  const file = attached ? await describeFile(db, fileId) : null;
  if (!file) throw new RecordNotFound("file");
  // The name the provider gave it, sealed with the bid until now (the store keeps a neutral one).
  return { file: { ...file, fileName: attached?.file_name ?? file.fileName }, bytes: readFile(db, file) };
}
