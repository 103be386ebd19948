// Challenges to an award (Procurement Act 2023 ss101-102): an officer records
// one a bidder brought during standstill, which suspends the award until it is
// resolved, once: dismissed (the award may go on), or upheld, when the officer
// chooses to re-evaluate or to cancel the award. Both are history: a challenge
// and its resolution are never changed, and of two resolutions at once exactly
// one stands (the tender's row lock, and one resolution per challenge).
import type { AwardChallengeOutcome, Reader, Trx } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { cleanText, isoDate, isUuid, longDate, ukDate } from "#app/modules/common/input";
import { ActionRefused, RecordNotFound } from "#app/modules/errors";
import type { ActionContext, Actor } from "#app/modules/identity/actor";
import { recordTenderRelease } from "#app/modules/publication/ocds-releases";
import { formatUkDateTime } from "#emails/format";
import { noticeForTender, standstillEndInWords, tenderBidders } from "./award-notice";
import { supersedeAward } from "./reevaluation";
import { awardTender } from "./recommendations";

registerAuditActions({
  "award.challenge_recorded": "Recorded a challenge to an award",
  "award.challenge_resolved": "Resolved a challenge to an award",
});

export const CHALLENGE_OUTCOMES: Record<AwardChallengeOutcome, string> = {
  dismissed: "Dismissed: the award may go ahead",
  upheld_reevaluate: "Upheld: the bids are to be re-evaluated",
  upheld_cancel: "Upheld: the award is cancelled",
};

export interface AwardChallenge {
  id: string;
  organisationId: string;
  organisationName: string;
  receivedOn: string;
  grounds: string;
  recordedAt: Date;
  recordedBy: string;
  resolution: { outcome: AwardChallengeOutcome; reasons: string; resolvedAt: Date; resolvedBy: string } | null;
}

/** The challenges to a notice's award, oldest first, each with its resolution if any. */
export async function challengesToNotice(db: Reader, noticeId: string): Promise<AwardChallenge[]> {
  return (await challengesToNotices(db, [noticeId])).get(noticeId) ?? [];
}

/** The challenges to each of several notices, in one query: each notice's list in the order recorded (notices without any are absent). */
export async function challengesToNotices(db: Reader, noticeIds: readonly string[]): Promise<Map<string, AwardChallenge[]>> {
  const byNotice = new Map<string, AwardChallenge[]>();
  if (noticeIds.length === 0) return byNotice;
  const rows = await db
    .selectFrom("award_challenge as c")
    .innerJoin("organisation as o", "o.id", "c.organisation_id")
    .innerJoin("app_user as recorder", "recorder.id", "c.recorded_by")
    .leftJoin("award_challenge_resolution as r", "r.challenge_id", "c.id")
    .leftJoin("app_user as resolver", "resolver.id", "r.resolved_by")
    .select([
      "c.id",
      "c.notice_id",
      "c.organisation_id",
      "o.name",
      "c.received_on",
      "c.grounds",
      "c.recorded_at",
      "recorder.full_name as recorded_by",
      "r.outcome",
      "r.reasons",
      "r.resolved_at",
      "resolver.full_name as resolved_by",
    ])
    .where("c.notice_id", "in", noticeIds)
    .orderBy("c.recorded_at")
    .orderBy("c.id")
    .execute();
  for (const r of rows) {
    const list = byNotice.get(r.notice_id) ?? [];
    list.push({
      id: r.id,
      organisationId: r.organisation_id,
      organisationName: r.name,
      receivedOn: r.received_on,
      grounds: r.grounds,
      recordedAt: r.recorded_at,
      recordedBy: r.recorded_by,
      resolution: r.outcome && r.resolved_at && r.resolved_by ? { outcome: r.outcome, reasons: r.reasons ?? "", resolvedAt: r.resolved_at, resolvedBy: r.resolved_by } : null,
    });
    byNotice.set(r.notice_id, list);
  }
  return byNotice;
}

function officerOf(ctx: ActionContext): Actor {
  const actor = ctx.actor;
  if (!actor || actor.organisationKind !== "council") throw new RecordNotFound("tender");
  if (!actor.roles.includes("commissioning_officer")) throw new ActionRefused("Only a commissioning officer records and resolves challenges", "form");
  return actor;
}

/** The tender (locked), its notice and challenges, for a change by an officer of its council. */
async function lockedNotice(trx: Trx, tenderId: string, actor: Actor) {
  const tender = await awardTender(trx, tenderId, actor);
  await trx.selectFrom("tender").select("id").where("id", "=", tender.id).forUpdate().execute();
  const notice = await noticeForTender(trx, tender.id);
  if (!notice) throw new ActionRefused("A challenge can be recorded only once the award notice is published", "form");
  return { tender, notice, challenges: await challengesToNotice(trx, notice.id) };
}

export interface RecordChallengeInput {
  tenderId: string;
  /** The bidder that challenged: one of the tender's bidders. */
  organisationId: string;
  /** 'YYYY-MM-DD', the UK day the challenge was received. */
  receivedOn: string;
  grounds: string;
}

/** Records a bidder's challenge received during standstill; the award is suspended until it is resolved. */
export async function recordChallenge(trx: Trx, input: RecordChallengeInput, ctx: ActionContext): Promise<{ id: string }> {
  const actor = officerOf(ctx);
  const { tender, notice, challenges } = await lockedNotice(trx, input.tenderId, actor);
  const bidders = await tenderBidders(trx, tender.id);
  const bidder = isUuid(input.organisationId ?? "") ? bidders.find((b) => b.organisationId === input.organisationId) : undefined;
  if (!bidder) throw new ActionRefused("Choose the bidder that made the challenge", "organisationId");
  const receivedOn = isoDate(input.receivedOn, "receivedOn", "date the challenge was received");
  const grounds = cleanText(input.grounds ?? "");
  if (grounds === "") throw new ActionRefused("Enter a summary of the grounds of the challenge", "grounds");
  if (grounds.length > 20000) throw new ActionRefused("The grounds must be 20,000 characters or fewer", "grounds");
  const published = ukDate(notice.publishedAt);
  if (receivedOn > ukDate(ctx.now)) throw new ActionRefused("The date the challenge was received must be today or in the past", "receivedOn");
  if (receivedOn < published) throw new ActionRefused(`The date the challenge was received must be on or after ${longDate(published)}, when the award notice was published`, "receivedOn");
  const s = notice.standstill;
  if (s.choice === "none" || !s.lastDay) {
    throw new ActionRefused("No standstill period applies to this award, so a challenge cannot be recorded to suspend it", "form");
  }
  if (receivedOn > s.lastDay) {
    throw new ActionRefused(`Standstill ended at ${standstillEndInWords(s.lastDay)}: a challenge received after it ended cannot suspend the award`, "receivedOn");
  }
  const settled = challenges.find((c) => c.resolution && c.resolution.outcome !== "dismissed");
  if (settled) throw new ActionRefused(`A challenge from ${settled.organisationName} has been upheld, so this award will not go ahead`, "form");

  const row = await trx
    .insertInto("award_challenge")
    .values({ notice_id: notice.id, tender_id: tender.id, organisation_id: bidder.organisationId, received_on: receivedOn, grounds, recorded_at: ctx.now, recorded_by: actor.userId })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordAuditEvent(trx, ctx, {
    action: "award.challenge_recorded",
    summary: `${actor.name} recorded a challenge from ${bidder.name} to the award of "${tender.title}": the award is suspended until it is resolved`,
    subjects: [{ type: "tender", id: tender.id }, { type: "award_recommendation", id: notice.recommendationId }, { type: "organisation", id: bidder.organisationId }],
    after: { "Challenged by": bidder.name, Received: longDate(receivedOn), Grounds: grounds, Award: "Suspended until the challenge is resolved" },
  });
  return row;
}

export interface ResolveChallengeInput {
  tenderId: string;
  challengeId: string;
  outcome: AwardChallengeOutcome;
  reasons: string;
}

/** Resolves a challenge, once. Of two officers resolving it at once, the second is told who resolved it and how. */
export async function resolveChallenge(trx: Trx, input: ResolveChallengeInput, ctx: ActionContext, links: { baseUrl: string }): Promise<void> {
  const actor = officerOf(ctx);
  const { tender, notice, challenges } = await lockedNotice(trx, input.tenderId, actor);
  const challenge = challenges.find((c) => c.id === input.challengeId);
  if (!challenge) throw new RecordNotFound("challenge");
  if (challenge.resolution) {
    throw new ActionRefused(
      `${challenge.resolution.resolvedBy} already resolved this challenge at ${formatUkDateTime(challenge.resolution.resolvedAt)}: ${CHALLENGE_OUTCOMES[challenge.resolution.outcome].toLowerCase()}`,
      "form",
    );
  }
  if (!(input.outcome in CHALLENGE_OUTCOMES)) throw new ActionRefused("Choose how the challenge was resolved", "outcome");
  const reasons = cleanText(input.reasons ?? "");
  if (reasons === "") throw new ActionRefused("Enter the reasons for the resolution", "reasons");
  if (reasons.length > 20000) throw new ActionRefused("The reasons must be 20,000 characters or fewer", "reasons");
  await trx
    .insertInto("award_challenge_resolution")
    .values({ challenge_id: challenge.id, outcome: input.outcome, reasons, resolved_at: ctx.now, resolved_by: actor.userId })
    .execute();
  // An upheld challenge ends the award as published: the public record says so.
  if (input.outcome !== "dismissed") await recordTenderRelease(trx, { tenderId: tender.id, tag: "awardUpdate", at: ctx.now });
  await recordAuditEvent(trx, ctx, {
    action: "award.challenge_resolved",
    summary: `${actor.name} resolved the challenge from ${challenge.organisationName} to the award of "${tender.title}": ${CHALLENGE_OUTCOMES[input.outcome].toLowerCase()}`,
    subjects: [{ type: "tender", id: tender.id }, { type: "award_recommendation", id: notice.recommendationId }, { type: "organisation", id: challenge.organisationId }],
    before: { Challenge: "Unresolved", Award: "Suspended" },
    after: { Resolution: CHALLENGE_OUTCOMES[input.outcome] },
    reason: reasons,
  });
  // Upheld for re-evaluation: the approved decision is superseded and its notice withdrawn (decision 037).
  if (input.outcome === "upheld_reevaluate") {
    await supersedeAward(
      trx,
      {
        tenderId: tender.id,
        tenderTitle: tender.title,
        recommendationId: notice.recommendationId,
        noticeId: notice.id,
        challengeId: challenge.id,
        challengerName: challenge.organisationName,
        challengeReceivedOn: challenge.receivedOn,
        reasons,
      },
      ctx,
      actor,
      links,
    );
  }
}
