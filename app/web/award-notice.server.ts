// The award notice and where the award stands, in the words the pages show:
// computed in loaders so the browser gets plain sentences, never ids or dates
// to format.
import { dayWithWeekday, standstillEndInWords, standstillSentence, type AwardNotice } from "#app/modules/awards/award-notice";
import { CHALLENGE_OUTCOMES, type AwardChallenge } from "#app/modules/awards/challenges";
import { longDate, ukDate } from "#app/modules/common/input";
import { formatPence } from "#app/modules/agreements/agreements";
import { ukDateTime } from "./format";

export type NoticeView = ReturnType<typeof noticeView>;

export function noticeView(notice: AwardNotice) {
  const s = notice.standstill;
  const standstillRows: { key: string; value: string }[] =
    s.choice === "none" || !s.firstDay || !s.lastDay
      ? [{ key: "Standstill", value: "None: under the light-touch regime the council chose not to apply a voluntary standstill" }]
      : [
          { key: "Standstill", value: `${s.choice === "statutory" ? "" : "Voluntary: "}${s.workingDays} working ${s.workingDays === 1 ? "day" : "days"}` },
          { key: "First day", value: dayWithWeekday(s.firstDay) },
          { key: "Last day", value: dayWithWeekday(s.lastDay) },
          { key: "Standstill ends", value: `At ${standstillEndInWords(s.lastDay)}` },
          {
            key: "Bank holidays skipped",
            value: s.bankHolidays.length === 0 ? "None fell in the period" : s.bankHolidays.map((h) => `${dayWithWeekday(h.day)} (${h.name})`).join("; "),
          },
        ];
  if (notice.lightTouch) standstillRows.push({ key: "Why the council chose this", value: s.reason });
  return {
    contractingAuthority: notice.content.contractingAuthority,
    tenderTitle: notice.content.tenderTitle,
    publishedAt: ukDateTime(notice.publishedAt),
    publishedBy: notice.publishedBy,
    decision: `${notice.content.decision} on ${longDate(ukDate(new Date(notice.content.decidedAt)))}`,
    value: formatPence(notice.content.valuePence),
    lightTouch: notice.lightTouch ? "Yes: this contract is under the light-touch regime for social care, so standstill is voluntary" : "No: the standstill period the Procurement Act 2023 requires applies",
    lots: notice.content.lots.map((l) => ({ lotId: l.lotId, lot: l.lot, suppliers: l.suppliers.length ? l.suppliers.map((x) => x.name).join(", ") : "Not awarded" })),
    standstillSentence: standstillSentence(s),
    hasStandstill: s.choice !== "none",
    standstillRows,
  };
}

export function challengeView(c: AwardChallenge) {
  return {
    id: c.id,
    bidder: c.organisationName,
    receivedOn: longDate(c.receivedOn),
    grounds: c.grounds,
    recorded: `${c.recordedBy}, ${ukDateTime(c.recordedAt)}`,
    resolution: c.resolution ? { outcome: CHALLENGE_OUTCOMES[c.resolution.outcome], reasons: c.resolution.reasons, resolved: `${c.resolution.resolvedBy}, ${ukDateTime(c.resolution.resolvedAt)}` } : null,
  };
}
