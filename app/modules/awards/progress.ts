// Where an award stands after the decision, in one place: the notice, the
// standstill clock and any challenges, as a state and a sentence. The award
// page, the dashboard and the contracts that follow (awardMayProceed) all ask
// this, so they never disagree about whether a contract may be entered into.
import { sql } from "kysely";
import type { Reader } from "#app/database/schema";
import { isUuid, longDate, ukDate } from "#app/modules/common/input";
import { assessmentSummariesSentAt } from "./assessment-summaries";
import { noticeForRecommendation, noticesToWatch, standstillEndInWords, tenderEvaluatedInPortal, type AwardNotice } from "./award-notice";
import { challengesToNotice, challengesToNotices, type AwardChallenge } from "./challenges";
import { supersessionsOf } from "./reevaluation";

export type AwardState =
  /** No approved recommendation yet. */
  | "undecided"
  /** Approved; the award notice is not yet published. */
  | "awaiting_notice"
  /** The notice is published and standstill is running. */
  | "standstill"
  /** A challenge is unresolved. */
  | "suspended"
  /** A challenge was upheld and the bids are to be re-evaluated: this award will not go ahead. */
  | "void"
  /** A challenge was upheld and the award cancelled. */
  | "cancelled"
  /** Standstill has ended (or none applied) with no challenge outstanding. */
  | "may_proceed";

export interface AwardProgress {
  state: AwardState;
  /** The state in a sentence, for people. */
  inWords: string;
  /** What the officer does next, in words, where there is something to do. */
  nextStep: string | null;
  notice: AwardNotice | null;
  challenges: AwardChallenge[];
  /** True while a challenge may still be recorded (standstill applied, notice published, award not settled). */
  challengeable: boolean;
}

const received = (c: AwardChallenge) => `a challenge from ${c.organisationName} received ${longDate(c.receivedOn)}`;

/** The award's state for the tender at `now`. Callers check who may see it (the notice itself is public). */
export async function awardProgress(db: Reader, tenderId: string, now: Date): Promise<AwardProgress> {
  // The live recommendation, or else the latest superseded one (a rejected one is no award).
  const current = isUuid(tenderId)
    ? await db
        .selectFrom("award_recommendation")
        .select(["id", "status"])
        .where("tender_id", "=", tenderId)
        .where("status", "<>", "rejected")
        .orderBy(sql`status = 'superseded'`)
        .orderBy("created_at", "desc")
        .executeTakeFirst()
    : undefined;
  const approved = current && (current.status === "approved" || current.status === "approved_with_conditions");
  if (current && !approved) {
    // After a challenge upheld for re-evaluation: the superseded award and where the new one stands (decision 037).
    const superseded = (await supersessionsOf(db, tenderId)).at(-1);
    if (superseded) {
      const notice = await noticeForRecommendation(db, superseded.recommendationId);
      const step =
        current.status === "superseded"
          ? "Re-evaluate the bids the challenge concerns (change any moderated score, with the reason), then draft a new award recommendation for the Chief Officer's decision."
          : current.status === "draft"
            ? "Finish the new award recommendation and submit it for decision."
            : "The new award recommendation is waiting for the decision. Once it is approved, send the new assessment summaries, then publish a new award notice.";
      return {
        state: "void",
        inWords: `Being re-evaluated: the award approved earlier was superseded on ${longDate(ukDate(superseded.supersededAt))} and its award notice withdrawn, because a challenge from ${superseded.challengerName} received ${longDate(superseded.challengeReceivedOn)} was upheld.`,
        nextStep: step,
        notice,
        challenges: notice ? await challengesToNotice(db, notice.id) : [],
        challengeable: false,
      };
    }
  }
  const notice = approved ? await noticeForRecommendation(db, current.id) : null;
  if (!notice) {
    if (!approved) return { state: "undecided", inWords: "The award has not been approved yet.", nextStep: null, notice: null, challenges: [], challengeable: false };
    const summariesFirst = (await tenderEvaluatedInPortal(db, tenderId)) && (await assessmentSummariesSentAt(db, tenderId)) === null;
    return {
      state: "awaiting_notice",
      inWords: "Approved: the contract award notice has not been published yet.",
      nextStep: summariesFirst
        ? "Send the bidders' assessment summaries, then publish the contract award notice. Standstill begins on the day it is published."
        : "Publish the contract award notice. Standstill begins on the day it is published.",
      notice: null,
      challenges: [],
      challengeable: false,
    };
  }
  return progressOfNotice(notice, await challengesToNotice(db, notice.id), now);
}

/** Where a live award stands once its notice is published: from the notice's standstill and the challenges to it. */
function progressOfNotice(notice: AwardNotice, challenges: AwardChallenge[], now: Date): AwardProgress {
  const upheld = challenges.find((c) => c.resolution && c.resolution.outcome !== "dismissed");
  const s = notice.standstill;
  const standstillOpen = s.choice !== "none" && s.endsAt !== null && now < s.endsAt;
  const base = { notice, challenges };
  if (upheld?.resolution?.outcome === "upheld_cancel") {
    return {
      ...base,
      state: "cancelled",
      inWords: `Cancelled: ${received(upheld)} was upheld on ${longDate(ukDate(upheld.resolution.resolvedAt))}, and the award is cancelled.`,
      nextStep: "No contract will be entered into under this award. Cancel the tender, or start a new procurement.",
      challengeable: false,
    };
  }
  if (upheld) {
    return {
      ...base,
      state: "void",
      inWords: `Void: ${received(upheld)} was upheld, and the bids are to be re-evaluated. This award will not go ahead.`,
      nextStep: "Re-evaluate the bids the challenge concerns, then put a new award recommendation to the Chief Officer and publish a new award notice.",
      challengeable: false,
    };
  }
  const open = challenges.filter((c) => !c.resolution);
  if (open.length > 0) {
    const first = open[0]!;
    const more = open.length > 1 ? ` (and ${open.length - 1} more)` : "";
    return {
      ...base,
      state: "suspended",
      inWords: `Suspended: ${received(first)} is unresolved${more}.`,
      nextStep: "Record how the challenge was resolved. The contract cannot be entered into until every challenge is resolved.",
      challengeable: standstillOpen,
    };
  }
  if (standstillOpen) {
    return {
      ...base,
      state: "standstill",
      inWords: `In standstill: it ends at ${standstillEndInWords(s.lastDay!)}.`,
      nextStep: "Wait for standstill to end. Record any challenge a bidder makes before then.",
      challengeable: true,
    };
  }
  const dismissed = challenges.length === 0 ? "" : challenges.length === 1 ? " The challenge to it was dismissed." : ` All ${challenges.length} challenges to it were dismissed.`;
  return {
    ...base,
    state: "may_proceed",
    inWords:
      s.choice === "none"
        ? `No standstill applies: the contract may be entered into.${dismissed}`
        : `Standstill ended at ${standstillEndInWords(s.lastDay!)}: the contract may be entered into.${dismissed}`,
    nextStep: null,
    challengeable: false,
  };
}

/**
 * Whether the contract (or framework agreements) may now be entered into:
 * only once the notice is published, standstill has ended (or none applied)
 * and no challenge is unresolved or upheld. The contracts module asks this.
 */
export async function awardMayProceed(db: Reader, tenderId: string, now: Date): Promise<{ ok: true } | { ok: false; reason: string }> {
  const progress = await awardProgress(db, tenderId, now);
  return progress.state === "may_proceed" ? { ok: true } : { ok: false, reason: progress.inWords };
}

export interface WatchedAward {
  tenderId: string;
  title: string;
  state: AwardState;
  inWords: string;
}

/** The council's awards in standstill or suspended by a challenge: what its officers' dashboard lists. Two queries however many there are. */
export async function awardsToWatch(db: Reader, councilId: string, now: Date): Promise<WatchedAward[]> {
  const watched = await noticesToWatch(db, councilId, now);
  const challenges = await challengesToNotices(db, watched.map((w) => w.notice.id));
  return watched.flatMap(({ title, notice }) => {
    const progress = progressOfNotice(notice, challenges.get(notice.id) ?? [], now);
    return progress.state === "standstill" || progress.state === "suspended" ? [{ tenderId: notice.tenderId, title, state: progress.state, inWords: progress.inWords }] : [];
  });
}
