// The contract award notice (Procurement Act 2023 s50) and the standstill it
// starts (s51): published once per approved recommendation by an officer of
// the tender, kept as published (who was awarded each lot, in words) with the
// standstill period worked out then, so a later change to the holiday
// calendar never moves it. Bidders are emailed in the same transaction.
import type { AwardStandstillChoice, Reader, Trx } from "#app/database/schema";
import { formatPence } from "#app/modules/agreements/agreements";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { cleanText, isUuid, longDate } from "#app/modules/common/input";
import { ActionRefused, RecordNotFound } from "#app/modules/errors";
import type { ActionContext, Actor } from "#app/modules/identity/actor";
import { activeProviderUsers } from "#app/modules/identity/queries";
import { queueEmail } from "#app/modules/outbox/outbox";
import { recordTenderRelease } from "#app/modules/publication/ocds-releases";
import { currentBidders } from "#app/modules/tendering/opening";
import { formatUkDateTime, listInWords } from "#emails/format";
import { assessmentSummariesSentAt } from "./assessment-summaries";
import { DECISION_OUTCOMES } from "./decisions";
import { awardTender } from "./recommendations";
import { STANDSTILL_WORKING_DAYS, standstillPeriod } from "./standstill";

registerAuditActions({
  "award.notice_published": "Published a contract award notice",
});

/** The most working days a voluntary standstill may run: longer is a delay, not a standstill. */
export const MAX_VOLUNTARY_STANDSTILL_DAYS = 60;

/** What the notice said, as published. */
export interface NoticeContent {
  contractingAuthority: string;
  tenderTitle: string;
  valuePence: number;
  /** "Approved" or "Approved with conditions". */
  decision: string;
  decidedAt: string;
  lots: { lotId: string; lot: string; suppliers: { organisationId: string; name: string }[] }[];
}

export interface NoticeStandstill {
  choice: AwardStandstillChoice;
  reason: string;
  workingDays: number | null;
  firstDay: string | null;
  lastDay: string | null;
  endsAt: Date | null;
  bankHolidays: { day: string; name: string }[];
}

export interface AwardNotice {
  id: string;
  tenderId: string;
  recommendationId: string;
  publishedAt: Date;
  publishedBy: string;
  content: NoticeContent;
  lightTouch: boolean;
  standstill: NoticeStandstill;
}

/** "Friday 12 March 2027" from '2027-03-12'. */
export function dayWithWeekday(isoDay: string): string {
  const weekday = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", weekday: "long" }).format(new Date(`${isoDay}T12:00:00Z`));
  return `${weekday} ${longDate(isoDay)}`;
}

/** When standstill ends, in words: "midnight at the end of Friday 12 March 2027 (UK time)". */
export function standstillEndInWords(lastDay: string): string {
  return `midnight at the end of ${dayWithWeekday(lastDay)} (UK time)`;
}

/** One sentence on the standstill a notice set, for pages and emails. */
export function standstillSentence(s: NoticeStandstill): string {
  if (s.choice === "none" || !s.lastDay || !s.firstDay || s.workingDays === null) {
    return "No standstill period applies: this award is under the light-touch regime and the council chose not to apply a voluntary standstill.";
  }
  const kind = s.choice === "statutory" ? "The standstill period" : "A voluntary standstill period";
  return `${kind} of ${s.workingDays} working ${s.workingDays === 1 ? "day" : "days"} runs from ${dayWithWeekday(s.firstDay)} and ends at ${standstillEndInWords(s.lastDay)}.`;
}

type NoticeRow = {
  id: string;
  tender_id: string;
  recommendation_id: string;
  published_at: Date;
  full_name: string;
  content: unknown;
  light_touch: boolean;
  standstill: AwardStandstillChoice;
  standstill_reason: string;
  standstill_working_days: number | null;
  standstill_first_day: string | null;
  standstill_last_day: string | null;
  standstill_ends_at: Date | null;
  standstill_bank_holidays: unknown;
};

function toNotice(r: NoticeRow): AwardNotice {
  return {
    id: r.id,
    tenderId: r.tender_id,
    recommendationId: r.recommendation_id,
    publishedAt: r.published_at,
    publishedBy: r.full_name,
    content: r.content as NoticeContent,
    lightTouch: r.light_touch,
    standstill: {
      choice: r.standstill,
      reason: r.standstill_reason,
      workingDays: r.standstill_working_days,
      firstDay: r.standstill_first_day,
      lastDay: r.standstill_last_day,
      endsAt: r.standstill_ends_at,
      bankHolidays: r.standstill_bank_holidays as { day: string; name: string }[],
    },
  };
}

function noticeQuery(db: Reader) {
  return db.selectFrom("award_notice").innerJoin("app_user", "app_user.id", "award_notice.published_by").selectAll("award_notice").select("app_user.full_name");
}

/** The tender's award notice, the latest if a later recommendation was awarded again; null when none is published. It is public once published. */
export async function noticeForTender(db: Reader, tenderId: string): Promise<AwardNotice | null> {
  if (!isUuid(tenderId)) return null;
  const row = await noticeQuery(db).where("award_notice.tender_id", "=", tenderId).orderBy("award_notice.published_at", "desc").executeTakeFirst();
  return row ? toNotice(row) : null;
}

/** The notice published for one recommendation, or null. */
export async function noticeForRecommendation(db: Reader, recommendationId: string): Promise<AwardNotice | null> {
  const row = await noticeQuery(db).where("award_notice.recommendation_id", "=", recommendationId).executeTakeFirst();
  return row ? toNotice(row) : null;
}

/**
 * The notices of a council's live awards (an approved recommendation) still in standstill at `now` or with a
 * challenge unresolved, soonest standstill end first, at most 20, with the
 * tender's title: what its officers' dashboard watches, in one query.
 */
export async function noticesToWatch(db: Reader, councilId: string, now: Date): Promise<{ title: string; notice: AwardNotice }[]> {
  const rows = await noticeQuery(db)
    .innerJoin("tender", "tender.id", "award_notice.tender_id")
    .innerJoin("agreement", "agreement.id", "tender.agreement_id")
    .innerJoin("award_recommendation as rec", "rec.id", "award_notice.recommendation_id")
    .select("tender.title")
    .where("agreement.lead_council_id", "=", councilId)
    // Still approved: a superseded award's notice is withdrawn (decision 037), and a tender has no newer live recommendation until then.
    .where("rec.status", "in", ["approved", "approved_with_conditions"])
    .where((eb) =>
      eb.or([
        eb("award_notice.standstill_ends_at", ">", now),
        eb.exists(
          eb
            .selectFrom("award_challenge")
            .leftJoin("award_challenge_resolution", "award_challenge_resolution.challenge_id", "award_challenge.id")
            .select("award_challenge.id")
            .whereRef("award_challenge.notice_id", "=", "award_notice.id")
            .where("award_challenge_resolution.challenge_id", "is", null),
        ),
      ]),
    )
    .orderBy("award_notice.standstill_ends_at")
    .orderBy("tender.title")
    .limit(20)
    .execute();
  return rows.map((r) => ({ title: r.title, notice: toNotice(r) }));
}

/** Every notice published for the tender, oldest first (a withdrawn one stays on record). */
export async function noticesForTender(db: Reader, tenderId: string): Promise<AwardNotice[]> {
  if (!isUuid(tenderId)) return [];
  return (await noticeQuery(db).where("award_notice.tender_id", "=", tenderId).orderBy("award_notice.published_at").execute()).map(toNotice);
}

/** The providers with a bid in the opened tender (their latest version, not withdrawn): who is told of the award. */
export async function tenderBidders(db: Reader, tenderId: string): Promise<{ organisationId: string; name: string }[]> {
  return (await currentBidders(db, tenderId)).map((s) => ({ organisationId: s.organisationId, name: s.organisationName }));
}

/** The approved recommendation of the tender and its decided round, or null. */
async function approvedAward(db: Reader, tenderId: string) {
  const rec = await db
    .selectFrom("award_recommendation")
    .select(["id", "status", "value_pence"])
    .where("tender_id", "=", tenderId)
    .where("status", "in", ["approved", "approved_with_conditions"])
    .orderBy("created_at", "desc")
    .executeTakeFirst();
  if (!rec) return null;
  const round = await db
    .selectFrom("award_submission")
    .innerJoin("award_decision", "award_decision.submission_id", "award_submission.id")
    .select(["award_submission.id", "award_submission.value_pence", "award_decision.outcome", "award_decision.decided_at"])
    .where("award_submission.recommendation_id", "=", rec.id)
    .orderBy("award_submission.round", "desc")
    .executeTakeFirstOrThrow();
  return { recommendationId: rec.id, submissionId: round.id, valuePence: round.value_pence, outcome: round.outcome, decidedAt: round.decided_at };
}

export interface PublishNoticeInput {
  tenderId: string;
  /** Light-touch only: apply a voluntary standstill, or none. Ignored otherwise: the 8 working days apply. */
  standstill: "apply" | "none";
  workingDays: number | null;
  reason: string;
}

/**
 * Publishes the contract award notice for the tender's approved
 * recommendation: once, by a commissioning officer of the tender's council.
 * The standstill begins on the day of publication (UK time).
 */
export async function publishAwardNotice(trx: Trx, input: PublishNoticeInput, ctx: ActionContext, links: { baseUrl: string }): Promise<AwardNotice> {
  const actor = ctx.actor;
  if (!actor || !actor.roles.includes("commissioning_officer")) {
    if (actor && actor.organisationKind === "council") throw new ActionRefused("Only a commissioning officer publishes the award notice", "form");
    throw new RecordNotFound("tender");
  }
  const tender = await awardTender(trx, input.tenderId, actor);
  // The tender's row lock puts two officers publishing at once one after the other.
  await trx.selectFrom("tender").select("id").where("id", "=", tender.id).forUpdate().execute();
  const award = await approvedAward(trx, tender.id);
  if (!award) throw new ActionRefused("The award notice can be published only once the Chief Officer has approved the award recommendation", "form");
  const existing = await trx
    .selectFrom("award_notice")
    .innerJoin("app_user", "app_user.id", "award_notice.published_by")
    .select(["award_notice.published_at", "app_user.full_name"])
    .where("award_notice.recommendation_id", "=", award.recommendationId)
    .executeTakeFirst();
  if (existing) throw new ActionRefused(`${existing.full_name} already published the award notice at ${formatUkDateTime(existing.published_at)}`, "form");
  // Procurement Act 2023 s.50: every assessed bidder has its assessment summary before the notice. Where the
  // tender was evaluated in the portal, the portal sends them (decision 029) and holds the notice until it has.
  if ((await tenderEvaluatedInPortal(trx, tender.id)) && (await assessmentSummariesSentAt(trx, tender.id)) === null) {
    throw new ActionRefused("Send the bidders' assessment summaries first: the Procurement Act requires them before the contract award notice", "form");
  }

  let choice: AwardStandstillChoice = "statutory";
  let days: number | null = STANDSTILL_WORKING_DAYS;
  let reason = "";
  if (tender.lightTouch) {
    reason = cleanText(input.reason ?? "");
    if (input.standstill !== "apply" && input.standstill !== "none") throw new ActionRefused("Choose whether to apply a voluntary standstill", "standstill");
    if (input.standstill === "apply") {
      choice = "voluntary";
      days = input.workingDays;
      if (days === null || !Number.isInteger(days) || days < 1 || days > MAX_VOLUNTARY_STANDSTILL_DAYS) {
        throw new ActionRefused(`Enter the working days of standstill as a whole number from 1 to ${MAX_VOLUNTARY_STANDSTILL_DAYS}`, "workingDays");
      }
    } else {
      choice = "none";
      days = null;
    }
    if (reason === "") throw new ActionRefused(choice === "none" ? "Enter why no standstill is applied" : "Enter why you chose this standstill", "reason");
    if (reason.length > 5000) throw new ActionRefused("The reason must be 5,000 characters or fewer", "reason");
  }
  const period = days === null ? null : standstillPeriod(ctx.now, days);

  const authority = await trx.selectFrom("organisation").select("name").where("id", "=", tender.councilId).executeTakeFirstOrThrow();
  const lots = await trx
    .selectFrom("tender_lot")
    .innerJoin("lot", "lot.id", "tender_lot.lot_id")
    .select(["lot.id", "lot.number", "lot.title"])
    .where("tender_lot.tender_id", "=", tender.id)
    .orderBy("lot.number")
    .execute();
  const chosen = await trx
    .selectFrom("award_recommendation_bid")
    .innerJoin("bid", "bid.id", "award_recommendation_bid.bid_id")
    .innerJoin("organisation", "organisation.id", "bid.organisation_id")
    .select(["award_recommendation_bid.lot_id", "organisation.id", "organisation.name"])
    .where("award_recommendation_bid.recommendation_id", "=", award.recommendationId)
    .orderBy("organisation.name")
    .execute();
  const content: NoticeContent = {
    contractingAuthority: authority.name,
    tenderTitle: tender.title,
    valuePence: award.valuePence,
    decision: DECISION_OUTCOMES[award.outcome],
    decidedAt: award.decidedAt.toISOString(),
    lots: lots.map((l) => ({
      lotId: l.id,
      lot: `Lot ${l.number}: ${l.title}`,
      suppliers: chosen.filter((c) => c.lot_id === l.id).map((c) => ({ organisationId: c.id, name: c.name })),
    })),
  };
  const inserted = await trx
    .insertInto("award_notice")
    .values({
      tender_id: tender.id,
      recommendation_id: award.recommendationId,
      submission_id: award.submissionId,
      published_at: ctx.now,
      published_by: actor.userId,
      content: JSON.stringify(content),
      light_touch: tender.lightTouch,
      standstill: choice,
      standstill_reason: reason,
      standstill_working_days: days,
      standstill_first_day: period?.workingDays[0] ?? null,
      standstill_last_day: period?.lastDay ?? null,
      standstill_ends_at: period?.endsAt ?? null,
      standstill_bank_holidays: JSON.stringify(period?.bankHolidaysSkipped ?? []),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const notice: AwardNotice = {
    id: inserted.id,
    tenderId: tender.id,
    recommendationId: award.recommendationId,
    publishedAt: ctx.now,
    publishedBy: actor.name,
    content,
    lightTouch: tender.lightTouch,
    standstill: {
      choice,
      reason,
      workingDays: days,
      firstDay: period?.workingDays[0] ?? null,
      lastDay: period?.lastDay ?? null,
      endsAt: period?.endsAt ?? null,
      bankHolidays: period?.bankHolidaysSkipped ?? [],
    },
  };

  // The public record: an OCDS release with the award stage, in the same transaction.
  await recordTenderRelease(trx, { tenderId: tender.id, tag: "award", at: ctx.now });

  // Every bidder hears, in the same words the public page uses, and whether it won.
  const bidders = await tenderBidders(trx, tender.id);
  const url = `${links.baseUrl}/tenders/${tender.id}/award-notice`;
  const standstillText = standstillSentence(notice.standstill);
  const told: string[] = [];
  for (const user of await activeProviderUsers(
    trx,
    bidders.map((b) => b.organisationId),
  )) {
    const bidder = bidders.find((b) => b.organisationId === user.organisation_id)!;
    const won = content.lots.filter((l) => l.suppliers.some((s) => s.organisationId === bidder.organisationId)).map((l) => l.lot);
    await queueEmail(trx, {
      to: user.email,
      template: { name: "award_notice", props: { recipientName: user.full_name, organisationName: bidder.name, tenderTitle: tender.title, lotsWon: won, standstill: standstillText, url } },
    });
    if (!told.includes(bidder.name)) told.push(bidder.name);
  }
  await recordAuditEvent(trx, ctx, {
    action: "award.notice_published",
    summary: `${actor.name} published the contract award notice for "${tender.title}"`,
    subjects: [{ type: "tender", id: tender.id }, { type: "award_recommendation", id: award.recommendationId }],
    after: {
      Awarded: content.lots.map((l) => `${l.lot}: ${l.suppliers.length ? listInWords(l.suppliers.map((s) => s.name)) : "no award"}`),
      Value: formatPence(content.valuePence),
      Standstill: standstillText,
      "Bank holidays skipped": notice.standstill.bankHolidays.map((h) => `${dayWithWeekday(h.day)}: ${h.name}`),
      "Bidders emailed": told,
    },
    reason: reason || null,
  });
  return notice;
}

/**
 * What a bidder is told about the award on its bid page: the notice, its
 * standstill and the lots it won. Null for anyone whose organisation has no
 * bid in the tender, or before the notice.
 */
export async function bidderAwardNotice(db: Reader, tenderId: string, actor: Actor): Promise<{ notice: AwardNotice; lotsWon: string[] } | null> {
  if (actor.organisationKind !== "provider" || !isUuid(tenderId)) return null;
  // The notice first: most tenders a bidder opens have none, and then the bidders are not read.
  const notice = await noticeForTender(db, tenderId);
  if (!notice) return null;
  const bidders = await tenderBidders(db, tenderId);
  if (!bidders.some((b) => b.organisationId === actor.organisationId)) return null;
  return { notice, lotsWon: notice.content.lots.filter((l) => l.suppliers.some((s) => s.organisationId === actor.organisationId)).map((l) => l.lot) };
}

/** Whether the tender was evaluated in the portal (so its assessment summaries come from the portal too). */
export async function tenderEvaluatedInPortal(db: Reader, tenderId: string): Promise<boolean> {
  return (await db.selectFrom("evaluation").select("id").where("tender_id", "=", tenderId).executeTakeFirst()) !== undefined;
}

