// Residential short breaks: each home's contracted nights a year, children's
// bookings (by reference) with their health co-funding share, and the limits
// of the Care Planning Regulations, reg. 48: no more than 17 nights in a row
// and 75 nights in any 12 months before a child counts as looked after in the
// ordinary way. A booking past either is flagged and needs a recorded reason.
// Every figure is computed in SQL from the bookings.
import { sql } from "kysely";
import type { Reader, ShortBreakLimit, Trx } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { csvRow } from "#app/modules/audit/csv";
import { isUuid, longDate, optionalText, requiredText } from "#app/modules/common/input";
import { ActionRefused, RecordNotFound } from "#app/modules/errors";
import type { ActionContext } from "#app/modules/identity/actor";
import { addDaysToDay } from "#app/modules/tendering/timeline";
import { checkedNights, childReference, isExclusionViolation, nightsRange, officer } from "./block-beds";

registerAuditActions({
  "short_break_contract.created": "Set up a short breaks contract",
  "short_break.booked": "Booked a short break",
  "short_break.cancelled": "Cancelled a short break",
});

export const MAX_NIGHTS_IN_A_ROW = 17;
export const MAX_NIGHTS_IN_12_MONTHS = 75;

export const LIMIT_LABELS: Record<ShortBreakLimit, string> = {
  nights_in_a_row: `more than ${MAX_NIGHTS_IN_A_ROW} nights in a row`,
  nights_in_12_months: `more than ${MAX_NIGHTS_IN_12_MONTHS} nights in 12 months`,
};

/** Refused until a reason is given: names the limits and the figures. */
export class ShortBreakLimitsExceeded extends ActionRefused {
  constructor(
    readonly limits: ShortBreakLimit[],
    readonly longestRun: number,
    readonly mostIn12Months: number,
  ) {
    super(
      `This booking would give the child ${limits.map((l) => LIMIT_LABELS[l]).join(" and ")} (${longestRun} in a row at most, ${mostIn12Months} in 12 months at most), past the short-break limits of reg. 48. Give the reason to go ahead`,
      "overLimitReason",
    );
    this.name = "ShortBreakLimitsExceeded";
  }
}

export interface NewShortBreakContract {
  reference: string;
  agreementId: string;
  homeId: string;
  firstNight: string;
  lastNight: string;
  nightsPerYear: number;
  nightlyPricePence: number;
}

export async function createShortBreakContract(trx: Trx, input: NewShortBreakContract, ctx: ActionContext): Promise<{ contractId: string }> {
  officer(ctx, "set up a short breaks contract");
  return writeShortBreakContract(trx, input, ctx);
}

/** The short breaks contract, for a caller that has already decided who may set it up (as writeBlockContract). */
export async function writeShortBreakContract(trx: Trx, input: NewShortBreakContract, ctx: ActionContext): Promise<{ contractId: string }> {
  const actor = ctx.actor;
  const reference = requiredText(input.reference, "reference", "contract reference", 50);
  const { firstNight, lastNight } = checkedNights(input);
  if (!Number.isInteger(input.nightsPerYear) || input.nightsPerYear <= 0) throw new ActionRefused("Enter the contracted nights a year as a whole number above 0", "nightsPerYear");
  if (!Number.isSafeInteger(input.nightlyPricePence) || input.nightlyPricePence <= 0) throw new ActionRefused("Enter the nightly price as a whole number of pence above 0", "nightlyPricePence");
  const row = await trx
    .insertInto("short_break_contract")
    .values({
      reference,
      agreement_id: input.agreementId,
      home_id: input.homeId,
      nights: nightsRange(firstNight, lastNight),
      nights_per_year: input.nightsPerYear,
      nightly_price_pence: input.nightlyPricePence,
      created_at: ctx.now,
      created_by: actor?.userId ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordAuditEvent(trx, ctx, {
    action: "short_break_contract.created",
    summary: `Set up short breaks contract ${reference} for ${input.nightsPerYear} nights a year`,
    subjects: [
      { type: "short_break_contract", id: row.id },
      { type: "home", id: input.homeId },
    ],
    after: { Reference: reference, Period: `${longDate(firstNight)} to ${longDate(lastNight!)}`, "Nights a year": String(input.nightsPerYear) },
  });
  return { contractId: row.id };
}

export interface LimitCheck {
  /** The longest run of consecutive nights that includes this booking. */
  longestRun: number;
  /** The most nights in any 12 months that include a night of this booking. */
  mostIn12Months: number;
  exceeded: ShortBreakLimit[];
}

/**
 * What the child's short breaks would add up to with these nights: the run of
 * nights in a row (bookings next to each other join up) and the most nights
 * in any 12-month window touching them, from the child's bookings in force.
 */
export async function checkShortBreakLimits(db: Reader, input: { childReference: string; firstNight: string; lastNight: string }): Promise<LimitCheck> {
  const nights = nightsRange(input.firstNight, input.lastNight);
  const { rows } = await sql<{ longest_run: number; most_in_12_months: number }>`
    WITH mine AS (
      SELECT nights FROM short_break_booking WHERE child_reference = ${input.childReference} AND cancelled_at IS NULL
      UNION ALL SELECT ${nights}::daterange
    )
    SELECT
      (SELECT max(upper(r) - lower(r)) FROM unnest((SELECT range_agg(nights) FROM mine)) AS r WHERE r && ${nights}::daterange)::int AS longest_run,
      (SELECT max(n) FROM (
         SELECT (SELECT coalesce(sum(upper(m.nights * w.nights) - lower(m.nights * w.nights)), 0) FROM mine m WHERE m.nights && w.nights) AS n
           FROM generate_series(lower(${nights}::daterange)::timestamp - interval '12 months' + interval '1 day', (upper(${nights}::daterange) - 1)::timestamp, interval '1 day') AS s(day)
           CROSS JOIN LATERAL (SELECT daterange(s.day::date, (s.day + interval '12 months')::date) AS nights) w
       ) windows)::int AS most_in_12_months`.execute(db);
  const { longest_run: longestRun, most_in_12_months: mostIn12Months } = rows[0]!;
  const exceeded: ShortBreakLimit[] = [];
  if (longestRun > MAX_NIGHTS_IN_A_ROW) exceeded.push("nights_in_a_row");
  if (mostIn12Months > MAX_NIGHTS_IN_12_MONTHS) exceeded.push("nights_in_12_months");
  return { longestRun, mostIn12Months, exceeded };
}

export interface ShortBreakBookingInput {
  contractId: string;
  childReference: string;
  firstNight: string;
  lastNight: string;
  /** 0 to 100: the share of the cost the health service pays. */
  healthSharePercent: number;
  /** Needed when the booking goes past a reg. 48 limit. */
  overLimitReason?: string | null;
}

/**
 * Books a short break. Past a reg. 48 limit without a reason it is refused
 * with ShortBreakLimitsExceeded (nothing saved); with one, it is saved
 * flagged, the limits and reason on the booking and in the audit event.
 */
export async function bookShortBreak(trx: Trx, input: ShortBreakBookingInput, ctx: ActionContext): Promise<{ bookingId: string; exceeded: ShortBreakLimit[] }> {
  const actor = officer(ctx, "book a short break");
  const contract = isUuid(input.contractId)
    ? await trx
        .selectFrom("short_break_contract as c")
        .innerJoin("home as h", "h.id", "c.home_id")
        .select(["c.id", "c.reference", "h.name as homeName", sql<string>`lower(c.nights)`.as("firstNight"), sql<string>`upper(c.nights) - 1`.as("lastNight")])
        .where("c.id", "=", input.contractId)
        .executeTakeFirst()
    : undefined;
  if (!contract) throw new RecordNotFound("short breaks contract");
  const child = childReference(input.childReference);
  const { firstNight, lastNight } = checkedNights(input);
  if (firstNight < contract.firstNight || lastNight! > contract.lastNight) {
    throw new ActionRefused(`${contract.homeName}'s contract runs from ${longDate(contract.firstNight)} to ${longDate(contract.lastNight)}: choose nights in that period`, firstNight < contract.firstNight ? "firstNight" : "lastNight");
  }
  const share = input.healthSharePercent;
  if (!Number.isFinite(share) || share < 0 || share > 100 || Math.round(share * 100) !== share * 100) {
    throw new ActionRefused("Health's share must be a percentage from 0 to 100, with up to 2 decimal places", "healthSharePercent");
  }
  // One child's bookings are checked one after another, so two at once cannot both slip under a limit.
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`short-break:${child}`}, 0))`.execute(trx);
  const limits = await checkShortBreakLimits(trx, { childReference: child, firstNight, lastNight: lastNight! });
  const reason = optionalText(input.overLimitReason, "overLimitReason", "reason for going past the limits", 2000);
  if (limits.exceeded.length > 0 && !reason) throw new ShortBreakLimitsExceeded(limits.exceeded, limits.longestRun, limits.mostIn12Months);
  const row = await trx
    .insertInto("short_break_booking")
    .values({
      contract_id: contract.id,
      child_reference: child,
      nights: nightsRange(firstNight, lastNight),
      health_share_percent: share,
      limits_exceeded: limits.exceeded,
      over_limit_reason: limits.exceeded.length > 0 ? reason : null,
      booked_at: ctx.now,
      booked_by: actor?.userId ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow()
    .catch((error: unknown) => {
      if (isExclusionViolation(error, "short_break_booking_one_a_night")) {
        throw new ActionRefused(`${child} already has a short break booked on some of these nights`, "firstNight");
      }
      throw error;
    });
  await recordAuditEvent(trx, ctx, {
    action: "short_break.booked",
    summary: `Booked a short break for ${child} at ${contract.homeName}, the nights of ${longDate(firstNight)} to ${longDate(lastNight!)}${limits.exceeded.length ? " (past the reg. 48 limits)" : ""}`,
    subjects: [{ type: "short_break_contract", id: contract.id }, { type: "short_break_booking", id: row.id }],
    after: {
      Child: child,
      "First night": longDate(firstNight),
      "Last night": longDate(lastNight!),
      "Health's share": `${share}%`,
      "Nights in a row": String(limits.longestRun),
      "Most nights in 12 months": String(limits.mostIn12Months),
      Limits: limits.exceeded.length ? limits.exceeded.map((l) => LIMIT_LABELS[l]).join("; ") : "Within the limits",
    },
    reason: limits.exceeded.length ? reason : null,
  });
  return { bookingId: row.id, exceeded: limits.exceeded };
}

/** Cancels a booking with a reason; it stays on record, its nights no longer count. */
export async function cancelShortBreak(trx: Trx, input: { bookingId: string; reason: string }, ctx: ActionContext): Promise<void> {
  const actor = officer(ctx, "cancel a short break");
  const booking = isUuid(input.bookingId)
    ? await trx.selectFrom("short_break_booking").select(["id", "contract_id", "child_reference"]).where("id", "=", input.bookingId).where("cancelled_at", "is", null).forUpdate().executeTakeFirst()
    : undefined;
  if (!booking) throw new RecordNotFound("booking");
  const reason = requiredText(input.reason, "reason", "reason for cancelling", 2000);
  await trx.updateTable("short_break_booking").set({ cancelled_at: ctx.now, cancelled_by: actor?.userId ?? null, cancel_reason: reason }).where("id", "=", booking.id).execute();
  await recordAuditEvent(trx, ctx, {
    action: "short_break.cancelled",
    summary: `Cancelled a short break for ${booking.child_reference}`,
    subjects: [{ type: "short_break_contract", id: booking.contract_id }, { type: "short_break_booking", id: booking.id }],
    before: { Booked: "Yes" },
    after: { Booked: "No" },
    reason,
  });
}

/** The year a report covers: 1 April to 31 March, as councils budget. */
export function financialYear(day: string): { from: string; to: string; label: string } {
  const year = Number(day.slice(0, 4));
  const start = day.slice(5) >= "04-01" ? year : year - 1;
  return { from: `${start}-04-01`, to: `${start + 1}-03-31`, label: `April ${start} to March ${start + 1}` };
}

export interface ShortBreakContractFigures {
  contractId: string;
  reference: string;
  homeName: string;
  nightsPerYear: number;
  nightlyPricePence: number;
  bookedNights: number;
  usedNights: number;
  costPence: number;
  healthPence: number;
  councilPence: number;
}

export interface ShortBreakChildFigures {
  childReference: string;
  bookings: number;
  bookedNights: number;
  usedNights: number;
  flaggedBookings: number;
  costPence: number;
  healthPence: number;
  councilPence: number;
}

export interface ShortBreakMonth {
  month: string;
  bookedNights: number;
  usedNights: number;
}

export interface ShortBreakReport {
  year: { from: string; to: string };
  contracts: ShortBreakContractFigures[];
  total: Omit<ShortBreakContractFigures, "contractId" | "reference" | "homeName" | "nightlyPricePence">;
  children: ShortBreakChildFigures[];
  months: ShortBreakMonth[];
}

/**
 * The year's figures: per contract (contracted nights a year, nights booked
 * and used, cost split between health and the council), per child, and per
 * month. Used nights are booked nights before tonight. A booking's cost is
 * its nights × the contract's nightly price; health pays its share of that,
 * rounded to the penny (half up), and the council the rest.
 */
export async function shortBreakReport(db: Reader, input: { year: { from: string; to: string }; tonight: string }): Promise<ShortBreakReport> {
  const year = `[${input.year.from},${addDaysToDay(input.year.to, 1)})`;
  const used = `[${input.year.from},${input.tonight})`;
  // Cost and health's share per booking (rounded once per booking), then summed per contract and per child.
  const { rows: totals } = await sql<{
    contract_id: string | null;
    child_reference: string | null;
    bookings: number;
    flagged: number;
    booked: number;
    used: number;
    cost: string;
    health: string;
  }>`
    WITH booking AS (
      SELECT b.contract_id, b.child_reference, b.nights * ${year}::daterange AS nights, b.health_share_percent, c.nightly_price_pence,
             cardinality(b.limits_exceeded) > 0 AS flagged
        FROM short_break_booking b JOIN short_break_contract c ON c.id = b.contract_id
       WHERE b.cancelled_at IS NULL AND b.nights && ${year}::daterange
    ),
    priced AS (
      SELECT contract_id, child_reference, flagged,
             upper(nights) - lower(nights) AS booked,
             coalesce(upper(nights * ${used}::daterange) - lower(nights * ${used}::daterange), 0) AS used,
             (upper(nights) - lower(nights)) * nightly_price_pence AS cost,
             round((upper(nights) - lower(nights)) * nightly_price_pence * health_share_percent / 100) AS health
        FROM booking
    )
    SELECT contract_id, child_reference, count(*)::int AS bookings, count(*) FILTER (WHERE flagged)::int AS flagged,
           sum(booked)::int AS booked, sum(used)::int AS used, sum(cost)::bigint AS cost, sum(health)::bigint AS health
      FROM priced
     GROUP BY GROUPING SETS ((contract_id), (child_reference))
     ORDER BY child_reference`.execute(db);
  const { rows: months } = await sql<{ month: string; booked: number; used: number }>`
    WITH booking AS (
      SELECT nights * ${year}::daterange AS nights FROM short_break_booking
       WHERE cancelled_at IS NULL AND nights && ${year}::daterange
    ),
    piece AS (
      SELECT m.start::date AS month, k.nights * daterange(m.start::date, (m.start + interval '1 month')::date) AS nights
        FROM booking k CROSS JOIN LATERAL generate_series(date_trunc('month', lower(k.nights)::timestamp), (upper(k.nights) - 1)::timestamp, interval '1 month') AS m(start)
    )
    SELECT month, sum(upper(nights) - lower(nights))::int AS booked,
           coalesce(sum(upper(nights * ${used}::daterange) - lower(nights * ${used}::daterange)), 0)::int AS used
      FROM piece GROUP BY month`.execute(db);
  const contracts = await db
    .selectFrom("short_break_contract as c")
    .innerJoin("home as h", "h.id", "c.home_id")
    .select(["c.id", "c.reference", "h.name as homeName", "c.nights_per_year", "c.nightly_price_pence"])
    .where(sql<boolean>`c.nights && ${year}::daterange`)
    .orderBy("h.name")
    .execute();
  const byContract = new Map(totals.filter((t) => t.contract_id !== null).map((t) => [t.contract_id!, t]));
  const contractFigures: ShortBreakContractFigures[] = contracts.map((c) => {
    const t = byContract.get(c.id);
    const cost = Number(t?.cost ?? 0);
    const health = Number(t?.health ?? 0);
    return {
      contractId: c.id,
      reference: c.reference,
      homeName: c.homeName,
      nightsPerYear: c.nights_per_year,
      nightlyPricePence: c.nightly_price_pence,
      bookedNights: t?.booked ?? 0,
      usedNights: t?.used ?? 0,
      costPence: cost,
      healthPence: health,
      councilPence: cost - health,
    };
  });
  const sum = (f: (c: ShortBreakContractFigures) => number) => contractFigures.reduce((total, c) => total + f(c), 0);
  return {
    year: input.year,
    contracts: contractFigures,
    total: {
      nightsPerYear: sum((c) => c.nightsPerYear),
      bookedNights: sum((c) => c.bookedNights),
      usedNights: sum((c) => c.usedNights),
      costPence: sum((c) => c.costPence),
      healthPence: sum((c) => c.healthPence),
      councilPence: sum((c) => c.councilPence),
    },
    children: totals
      .filter((t) => t.child_reference !== null)
      .map((t) => ({
        childReference: t.child_reference!,
        bookings: t.bookings,
        bookedNights: t.booked,
        usedNights: t.used,
        flaggedBookings: t.flagged,
        costPence: Number(t.cost),
        healthPence: Number(t.health),
        councilPence: Number(t.cost) - Number(t.health),
      })),
    months: monthsOf(input.year, months),
  };
}

function monthsOf(year: { from: string; to: string }, rows: { month: string; booked: number; used: number }[]): ShortBreakMonth[] {
  const found = new Map(rows.map((r) => [r.month, r]));
  const months: ShortBreakMonth[] = [];
  for (let month = `${year.from.slice(0, 7)}-01`; month <= year.to; ) {
    const r = found.get(month);
    months.push({ month, bookedNights: r?.booked ?? 0, usedNights: r?.used ?? 0 });
    const [y, m] = month.split("-").map(Number) as [number, number];
    month = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, "0")}-01`;
  }
  return months;
}

export interface ShortBreakBookingRow {
  id: string;
  contractId: string;
  homeName: string;
  childReference: string;
  firstNight: string;
  lastNight: string;
  healthSharePercent: number;
  limitsExceeded: ShortBreakLimit[];
  overLimitReason: string | null;
}

function bookingQuery(db: Reader) {
  return db
    .selectFrom("short_break_booking as b")
    .innerJoin("short_break_contract as c", "c.id", "b.contract_id")
    .innerJoin("home as h", "h.id", "c.home_id")
    .select([
      "b.id",
      "b.contract_id as contractId",
      "h.name as homeName",
      "b.child_reference as childReference",
      sql<string>`lower(b.nights)`.as("firstNight"),
      sql<string>`upper(b.nights) - 1`.as("lastNight"),
      sql<number>`b.health_share_percent::float8`.as("healthSharePercent"),
      "b.limits_exceeded as limitsExceeded",
      "b.over_limit_reason as overLimitReason",
    ])
    .where("b.cancelled_at", "is", null);
}

export async function listShortBreakBookings(db: Reader, input: { year: { from: string; to: string } }): Promise<ShortBreakBookingRow[]> {
  const year = `[${input.year.from},${addDaysToDay(input.year.to, 1)})`;
  return bookingQuery(db)
    .where(sql<boolean>`b.nights && ${year}::daterange`)
    .orderBy(sql`lower(b.nights)`)
    .orderBy("b.child_reference")
    .execute();
}

/** One booking not cancelled, or null (unknown, or already cancelled). */
export async function getShortBreakBooking(db: Reader, bookingId: string): Promise<ShortBreakBookingRow | null> {
  if (!isUuid(bookingId)) return null;
  return (await bookingQuery(db).where("b.id", "=", bookingId).executeTakeFirst()) ?? null;
}

export async function listShortBreakContracts(db: Reader): Promise<{ id: string; reference: string; homeName: string }[]> {
  return db
    .selectFrom("short_break_contract as c")
    .innerJoin("home as h", "h.id", "c.home_id")
    .select(["c.id", "c.reference", "h.name as homeName"])
    .orderBy("h.name")
    .execute();
}

/** The year's figures as CSV: per contract with the total, then per child, each split by funder. */
export function shortBreakCsv(report: ShortBreakReport): string {
  const money = (pence: number) => (pence / 100).toFixed(2);
  let csv = csvRow(["Contract", "Home", "Contracted nights a year", "Nights booked", "Nights used", "Cost £", "Health £", "Council £"]);
  for (const c of report.contracts) {
    csv += csvRow([c.reference, c.homeName, c.nightsPerYear, c.bookedNights, c.usedNights, money(c.costPence), money(c.healthPence), money(c.councilPence)]);
  }
  const t = report.total;
  csv += csvRow(["All contracts", "", t.nightsPerYear, t.bookedNights, t.usedNights, money(t.costPence), money(t.healthPence), money(t.councilPence)]);
  csv += "\r\n";
  csv += csvRow(["Child's reference", "Bookings", "Past the reg. 48 limits", "Nights booked", "Nights used", "Cost £", "Health £", "Council £"]);
  for (const c of report.children) {
    csv += csvRow([c.childReference, c.bookings, c.flaggedBookings, c.bookedNights, c.usedNights, money(c.costPence), money(c.healthPence), money(c.councilPence)]);
  }
  return csv;
}
