// How well block beds are used, computed in SQL from the bed records each
// time, never typed or stored: each night each contracted bed is occupied,
// unavailable (the provider's fault, not charged) or void (paid and empty).
// Range arithmetic over the records, one row per record per week or month it
// touches, so five years of 300 beds is tens of thousands of rows, not
// half a million nights (decision 018).
import { sql } from "kysely";
import type { Reader, Trx } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { csvRow } from "#app/modules/audit/csv";
import { registerAuditActions } from "#app/modules/audit/actions";
import { isUuid, longDate, ukDate } from "#app/modules/common/input";
import type { ActionContext } from "#app/modules/identity/actor";
import { queueEmail } from "#app/modules/outbox/outbox";
import { addDaysToDay } from "#app/modules/tendering/timeline";

registerAuditActions({
  "block_contract.utilisation_alert_raised": "Alerted officers that a block contract's utilisation fell below its target",
  "block_contract.utilisation_alert_ended": "Noted a block contract's utilisation was back at its target",
});

export type Granularity = "week" | "month";

/** Nights from `from` to `to`, both included. */
export interface NightPeriod {
  from: string;
  to: string;
}

export interface UtilisationFigures {
  contractedNights: number;
  occupiedNights: number;
  unavailableNights: number;
  voidNights: number;
  /** Occupied / contracted nights, as a percentage to one decimal place; null with no contracted nights. */
  utilisationPercent: number | null;
  /** Void nights × the bed's nightly price (weekly ÷ 7, rounded to the penny, half up). */
  voidCostPence: number;
}

export interface UtilisationRow extends UtilisationFigures {
  /** null: across every contract asked for. */
  contractId: string | null;
  /** The week's Monday or the month's first day; null: the whole period. */
  periodStart: string | null;
}

interface FigureRow {
  contract_id: string | null;
  period_start: string | null;
  contracted: number;
  occupied: number;
  unavailable: number;
  contracted_pence: number;
  occupied_pence: number;
  unavailable_pence: number;
}

/** The first day of the week (Monday) or month that `day` falls in. */
export function periodStartOf(day: string, by: Granularity): string {
  if (by === "month") return `${day.slice(0, 8)}01`;
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return addDaysToDay(day, -((weekday + 6) % 7));
}

function nextPeriodStart(day: string, by: Granularity): string {
  if (by === "week") return addDaysToDay(periodStartOf(day, "week"), 7);
  const [y, m] = day.split("-").map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, "0")}-01`;
}

/**
 * Per contract and across contracts, per week or month and for the whole
 * period, in one query. Unavailable nights on which a child was nevertheless
 * recorded count as occupied. A contract with no bed in the period has no rows.
 *
 * Whole weeks or months inside the period are read from
 * block_utilisation_summary, which triggers keep from the bed records
 * (migration 0020, decision 025); only the part-weeks or part-months at its
 * ends are cut from the records themselves.
 */
export async function utilisationFigures(
  db: Reader,
  input: { contractIds?: string[]; period: NightPeriod; by: Granularity },
): Promise<UtilisationRow[]> {
  const end = addDaysToDay(input.period.to, 1);
  const from = input.period.from;
  let firstWhole = periodStartOf(from, input.by) === from ? from : nextPeriodStart(from, input.by);
  let wholeEnd = periodStartOf(end, input.by);
  // A part-period with no contracted night outside the period asked for (the month the first
  // contract starts in, say) is whole as far as the summary goes, and is read from it.
  const ids = input.contractIds?.filter(isUuid);
  if (ids && ids.length === 0) return [];
  const outside = (a: string, b: string) => sql<{ any: boolean }>`
    SELECT EXISTS (SELECT 1 FROM block_bed b WHERE b.nights && daterange(${a}::date, ${b}::date) ${ids ? sql`AND b.contract_id = ANY(${ids}::uuid[])` : sql``}) AS any`;
  // One after the other: db may be a transaction's single connection.
  const head = firstWhole !== from ? await outside(periodStartOf(from, input.by), from).execute(db) : null;
  const tail = wholeEnd !== end ? await outside(end, nextPeriodStart(end, input.by)).execute(db) : null;
  if (head && !head.rows[0]!.any) firstWhole = periodStartOf(from, input.by);
  if (tail && !tail.rows[0]!.any) wholeEnd = nextPeriodStart(end, input.by);
  if (firstWhole >= wholeEnd) return figures(db, { ...input, ranges: [[from, end]], whole: null });
  const ranges: [string, string][] = [];
  if (from < firstWhole) ranges.push([from, firstWhole]);
  if (wholeEnd < end) ranges.push([wholeEnd, end]);
  return figures(db, { ...input, ranges, whole: [firstWhole, wholeEnd] });
}

/** The same figures cut from the bed records alone, as they were before the summary (for checking it). */
export async function utilisationFiguresFromRecords(
  db: Reader,
  input: { contractIds?: string[]; period: NightPeriod; by: Granularity },
): Promise<UtilisationRow[]> {
  return figures(db, { ...input, ranges: [[input.period.from, addDaysToDay(input.period.to, 1)]], whole: null, fromView: true });
}

async function figures(
  db: Reader,
  input: { contractIds?: string[]; by: Granularity; ranges: [string, string][]; whole: [string, string] | null; fromView?: boolean },
): Promise<UtilisationRow[]> {
  const ids = input.contractIds?.filter(isUuid);
  if (ids && ids.length === 0) return [];
  const ranges = input.ranges.map(([a, b]) => `[${a},${b})`);
  const step = input.by === "week" ? sql`interval '1 week'` : sql`interval '1 month'`;
  const unit = sql.lit(input.by);
  const contractFilter = ids ? sql`AND b.contract_id = ANY(${ids}::uuid[])` : sql``;
  const wholeFilter = ids ? sql`AND s.contract_id = ANY(${ids}::uuid[])` : sql``;
  const whole = input.whole
    ? sql`
      UNION ALL
      SELECT s.contract_id, s.period_start, s.contracted, s.occupied, s.unavailable, s.overlap,
             s.contracted_pence, s.occupied_pence, s.unavailable_pence, s.overlap_pence
        FROM block_utilisation_summary s
       WHERE s.unit = ${input.by} AND s.period_start >= ${input.whole[0]}::date AND s.period_start < ${input.whole[1]}::date
         AND s.contracted > 0 ${wholeFilter}`
    : sql``;
  // The stays in those nights of each bed (its part of the period), with the bed's contract and price.
  // Found bed by bed through the stays' and placements' indexes on their nights: joined to the view
  // block_bed_stay instead, PostgreSQL read and hashed every placement of every home, twice. The view's
  // way is kept for utilisationFiguresFromRecords, which the tests check the summary and this against.
  const staysByIndex = sql`
      SELECT bed.id AS bed_id, bed.contract_id, bed.nightly_pence, o.nights * bed.nights AS nights
        FROM bed JOIN bed_occupancy o ON o.bed_id = bed.id AND o.nights && bed.nights AND o.withdrawn_at IS NULL
      UNION ALL
      SELECT bed.id, bed.contract_id, bed.nightly_pence, daterange(p.start_on, p.end_on, '[)') * bed.nights
        FROM bed
        JOIN block_bed b ON b.id = bed.id
        JOIN placement p ON p.home_id = b.home_id AND p.bed_number = b.bed_number AND daterange(p.start_on, p.end_on, '[)') && bed.nights`;
  const staysFromView = sql`
      SELECT bed.id AS bed_id, bed.contract_id, bed.nightly_pence, o.nights * bed.nights AS nights
        FROM bed JOIN block_bed_stay o ON o.bed_id = bed.id AND o.nights && bed.nights`;
  const { rows } = await sql<FigureRow>`
    WITH bed AS MATERIALIZED (
      SELECT b.id, b.contract_id, b.nights * p.range AS nights,
             round(b.weekly_price_pence / 7.0)::int AS nightly_pence
        FROM block_bed b
        JOIN unnest(${ranges}::daterange[]) AS p(range) ON b.nights && p.range
       WHERE true ${contractFilter}
    ),
    stay AS MATERIALIZED (${input.fromView ? staysFromView : staysByIndex}),
    span AS (
      -- kind: 1 contracted, 2 occupied, 3 unavailable, 4 unavailable on a night also occupied (taken off 3).
      -- Beds with the same nights are counted together: \`beds\` of them, at \`pence\` a night between them.
      SELECT contract_id, 1 AS kind, nights, count(*)::int AS beds, sum(nightly_pence)::bigint AS pence FROM bed GROUP BY contract_id, nights
      UNION ALL
      SELECT contract_id, 2, nights, 1, nightly_pence FROM stay
      UNION ALL
      SELECT bed.contract_id, 3, u.nights * bed.nights, 1, bed.nightly_pence
        FROM bed JOIN bed_unavailability u ON u.bed_id = bed.id AND u.nights && bed.nights AND u.withdrawn_at IS NULL
      UNION ALL
      SELECT o.contract_id, 4, u.nights * o.nights, 1, o.nightly_pence
        FROM stay o JOIN bed_unavailability u ON u.bed_id = o.bed_id AND u.nights && o.nights AND u.withdrawn_at IS NULL
    ),
    piece AS (
      SELECT s.contract_id, s.kind, g.start::date AS period_start,
             (least(upper(s.nights), (g.start + ${step})::date) - greatest(lower(s.nights), g.start::date)) AS nights, s.beds, s.pence
        FROM span s
        CROSS JOIN LATERAL generate_series(date_trunc(${unit}, lower(s.nights)::timestamp), (upper(s.nights) - 1)::timestamp, ${step}) AS g(start)
       WHERE NOT isempty(s.nights)
    ),
    -- Summed per contract and period first (a few hundred rows), then rolled up: the rollup never sorts the pieces.
    per_period AS (
      SELECT contract_id, period_start,
             sum(nights * beds) FILTER (WHERE kind = 1) AS contracted,
             sum(nights * beds) FILTER (WHERE kind = 2) AS occupied,
             sum(nights * beds) FILTER (WHERE kind = 3) AS unavailable,
             sum(nights * beds) FILTER (WHERE kind = 4) AS overlap,
             sum(nights * pence) FILTER (WHERE kind = 1) AS contracted_pence,
             sum(nights * pence) FILTER (WHERE kind = 2) AS occupied_pence,
             sum(nights * pence) FILTER (WHERE kind = 3) AS unavailable_pence,
             sum(nights * pence) FILTER (WHERE kind = 4) AS overlap_pence
        FROM piece GROUP BY contract_id, period_start
      ${whole}
    )
    SELECT contract_id, period_start,
           coalesce(sum(contracted), 0)::int AS contracted,
           coalesce(sum(occupied), 0)::int AS occupied,
           (coalesce(sum(unavailable), 0) - coalesce(sum(overlap), 0))::int AS unavailable,
           coalesce(sum(contracted_pence), 0)::bigint AS contracted_pence,
           coalesce(sum(occupied_pence), 0)::bigint AS occupied_pence,
           (coalesce(sum(unavailable_pence), 0) - coalesce(sum(overlap_pence), 0))::bigint AS unavailable_pence
      FROM per_period
     GROUP BY GROUPING SETS ((contract_id, period_start), (contract_id), (period_start), ())
     ORDER BY contract_id NULLS FIRST, period_start NULLS FIRST`.execute(db);
  return rows.map((r) => {
    const voidNights = r.contracted - r.occupied - r.unavailable;
    return {
      contractId: r.contract_id,
      periodStart: r.period_start,
      contractedNights: r.contracted,
      occupiedNights: r.occupied,
      unavailableNights: r.unavailable,
      voidNights,
      utilisationPercent: r.contracted === 0 ? null : Math.round((1000 * r.occupied) / r.contracted) / 10,
      voidCostPence: Number(r.contracted_pence) - Number(r.occupied_pence) - Number(r.unavailable_pence),
    };
  });
}

/** The nights of every contract asked for, first to last (for "over the whole term"). */
export async function contractsSpan(db: Reader, contractIds?: string[]): Promise<NightPeriod | null> {
  const row = await db
    .selectFrom("block_contract")
    .select([sql<string | null>`min(lower(nights))`.as("from"), sql<string | null>`max(upper(nights)) - 1`.as("to")])
    .$if(contractIds !== undefined, (q) => q.where("id", "in", contractIds!.length ? contractIds! : ["00000000-0000-0000-0000-000000000000"]))
    .executeTakeFirst();
  return row?.from && row.to ? { from: row.from, to: row.to } : null;
}

export interface CurrentVoid {
  bedId: string;
  contractId: string;
  contractReference: string;
  bedLabel: string;
  homeName: string;
  /** The first night of this run of empty nights. */
  voidSince: string;
  /** The next night someone is due or the bed is out of use, or the bed's last contracted night + 1; null: none booked. */
  nextRecordFrom: string | null;
  voidNightsSoFar: number;
  nightlyPricePence: number;
}

/** Beds void tonight: contracted, nobody in them, not out of use. */
export async function currentVoids(db: Reader, input: { contractIds?: string[]; tonight: string }): Promise<CurrentVoid[]> {
  const ids = input.contractIds?.filter(isUuid);
  if (ids && ids.length === 0) return [];
  const contractFilter = ids ? sql`AND b.contract_id = ANY(${ids}::uuid[])` : sql``;
  // Each bed's own records through the (bed, nights) indexes of the exclusion constraints: a few rows a bed.
  // Its stays as the view block_bed_stay gives them, but written out for bed b: through the view,
  // PostgreSQL hashed every placement of every home to find the few in these beds.
  const stays = sql`(SELECT o.nights FROM bed_occupancy o WHERE o.bed_id = b.id AND o.withdrawn_at IS NULL
                     UNION ALL
                     SELECT daterange(p.start_on, p.end_on, '[)') * b.nights FROM placement p
                      WHERE p.home_id = b.home_id AND p.bed_number = b.bed_number AND daterange(p.start_on, p.end_on, '[)') && b.nights) AS o(nights)`;
  const { rows } = await sql<CurrentVoid>`
    SELECT b.id AS "bedId", b.contract_id AS "contractId", c.reference AS "contractReference", b.label AS "bedLabel", h.name AS "homeName",
           since.night AS "voidSince",
           least(
             (SELECT min(lower(o.nights)) FROM ${stays} WHERE lower(o.nights) > ${input.tonight}::date),
             (SELECT min(lower(u.nights)) FROM bed_unavailability u WHERE u.bed_id = b.id AND u.withdrawn_at IS NULL AND lower(u.nights) > ${input.tonight}::date)
           ) AS "nextRecordFrom",
           (${input.tonight}::date - since.night + 1)::int AS "voidNightsSoFar",
           round(b.weekly_price_pence / 7.0)::int AS "nightlyPricePence"
      FROM block_bed b
      JOIN block_contract c ON c.id = b.contract_id
      JOIN home h ON h.id = b.home_id
      CROSS JOIN LATERAL (
        SELECT greatest(
          lower(b.nights),
          (SELECT max(upper(o.nights)) FROM ${stays} WHERE upper(o.nights) <= ${input.tonight}::date),
          (SELECT max(upper(u.nights)) FROM bed_unavailability u WHERE u.bed_id = b.id AND u.withdrawn_at IS NULL AND upper(u.nights) <= ${input.tonight}::date)
        ) AS night
      ) since
     WHERE b.nights @> ${input.tonight}::date ${contractFilter}
       AND NOT EXISTS (SELECT 1 FROM ${stays} WHERE o.nights @> ${input.tonight}::date)
       AND NOT EXISTS (SELECT 1 FROM bed_unavailability u WHERE u.bed_id = b.id AND u.withdrawn_at IS NULL AND u.nights @> ${input.tonight}::date)
     ORDER BY since.night, h.name, b.label`.execute(db);
  return rows;
}

/** How many nights make up the rolling window the target is checked over. */
export const ALERT_WINDOW_NIGHTS = 28;

/** The four weeks of nights up to and including last night. */
export function alertWindow(tonight: string): NightPeriod {
  return { from: addDaysToDay(tonight, -ALERT_WINDOW_NIGHTS), to: addDaysToDay(tonight, -1) };
}

export interface UtilisationAlert {
  contractId: string;
  contractReference: string;
  raisedAt: Date;
  window: NightPeriod;
  utilisationPercent: number;
  targetPercent: number;
}

/** Alerts in force (a breach not yet over) for these contracts, or all. */
export async function openAlerts(db: Reader, contractIds?: string[]): Promise<UtilisationAlert[]> {
  const rows = await db
    .selectFrom("block_contract_alert as a")
    .innerJoin("block_contract as c", "c.id", "a.contract_id")
    .select([
      "a.contract_id as contractId",
      "c.reference as contractReference",
      "a.raised_at as raisedAt",
      sql<string>`lower(a.window_nights)`.as("from"),
      sql<string>`upper(a.window_nights) - 1`.as("to"),
      sql<number>`a.utilisation_percent::float8`.as("utilisationPercent"),
      sql<number>`a.target_percent::float8`.as("targetPercent"),
    ])
    .where("a.ended_at", "is", null)
    .$if(contractIds !== undefined, (q) => q.where("a.contract_id", "in", contractIds!.length ? contractIds! : ["00000000-0000-0000-0000-000000000000"]))
    .orderBy("c.reference")
    .execute();
  return rows.map(({ from, to, ...r }) => ({ ...r, window: { from, to } }));
}

/** The active commissioning officers of the council that leads the contract's agreement. */
async function contractOfficers(db: Reader, contractId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("block_contract as c")
    .innerJoin("agreement as a", "a.id", "c.agreement_id")
    .innerJoin("app_user as u", "u.organisation_id", "a.lead_council_id")
    .innerJoin("user_role as r", "r.user_id", "u.id")
    .select("u.email")
    .where("c.id", "=", contractId)
    .where("u.status", "=", "active")
    .where("r.role", "=", "commissioning_officer")
    .orderBy("u.email")
    .execute();
  return rows.map((r) => r.email);
}

/**
 * For the background loop: checks every contract's utilisation over the last
 * four weeks of nights against its target. A contract newly below it gets an
 * alert and its officers one email each; one still below gets nothing more;
 * one back at or above its target has its alert ended, so a later fall is a
 * new breach with a new email. Contracts without contracted nights in the
 * window are left alone.
 */
export async function checkUtilisationAlerts(
  trx: Trx,
  options: { baseUrl: string },
  ctx: ActionContext,
): Promise<{ raised: number; ended: number; emails: number }> {
  // Two instances' loops at once would otherwise both raise the same alert.
  await sql`SELECT pg_advisory_xact_lock(hashtextextended('block-utilisation-alerts', 0))`.execute(trx);
  const window = alertWindow(ukDate(ctx.now));
  const figures = (await utilisationFigures(trx, { period: window, by: "month" })).filter(
    (r) => r.contractId !== null && r.periodStart === null && r.contractedNights > 0,
  );
  const contracts = new Map(
    (await trx.selectFrom("block_contract").select(["id", "reference", "title", sql<number>`utilisation_target_percent::float8`.as("target")]).execute()).map((c) => [c.id, c]),
  );
  const open = new Map((await openAlerts(trx)).map((a) => [a.contractId, a]));
  let raised = 0;
  let ended = 0;
  let emails = 0;
  for (const row of figures) {
    const contract = contracts.get(row.contractId!)!;
    const percent = row.utilisationPercent!;
    const below = percent < contract.target;
    const alert = open.get(contract.id);
    if (below && !alert) {
      await trx
        .insertInto("block_contract_alert")
        .values({
          contract_id: contract.id,
          raised_at: ctx.now,
          window_nights: `[${window.from},${addDaysToDay(window.to, 1)})`,
          utilisation_percent: percent,
          target_percent: contract.target,
        })
        .execute();
      const recipients = await contractOfficers(trx, contract.id);
      for (const to of recipients) {
        await queueEmail(trx, {
          to,
          template: {
            name: "utilisation_alert",
            props: {
              contractReference: contract.reference,
              contractTitle: contract.title,
              utilisationPercent: percent,
              targetPercent: contract.target,
              voidNights: row.voidNights,
              voidCostPence: row.voidCostPence,
              windowFrom: window.from,
              windowTo: window.to,
              contractUrl: new URL(`/utilisation/${contract.id}`, options.baseUrl).toString(),
            },
          },
        });
        emails++;
      }
      await recordAuditEvent(trx, ctx, {
        action: "block_contract.utilisation_alert_raised",
        summary: `Utilisation of ${contract.reference} was ${percent}% over the four weeks to ${longDate(window.to)}, below its ${contract.target}% target: ${recipients.length} officer${recipients.length === 1 ? "" : "s"} emailed`,
        subjects: [{ type: "block_contract", id: contract.id }],
        after: { Utilisation: `${percent}%`, Target: `${contract.target}%`, "Void nights": String(row.voidNights) },
      });
      raised++;
    } else if (!below && alert) {
      await trx
        .updateTable("block_contract_alert")
        .set({ ended_at: ctx.now, ended_utilisation_percent: percent })
        .where("contract_id", "=", contract.id)
        .where("ended_at", "is", null)
        .execute();
      await recordAuditEvent(trx, ctx, {
        action: "block_contract.utilisation_alert_ended",
        summary: `Utilisation of ${contract.reference} was back to ${percent}% over the four weeks to ${longDate(window.to)} (target ${contract.target}%)`,
        subjects: [{ type: "block_contract", id: contract.id }],
        before: { Utilisation: `${alert.utilisationPercent}%` },
        after: { Utilisation: `${percent}%` },
      });
      ended++;
    }
  }
  return { raised, ended, emails };
}

const CSV_HEADER = ["Contract", "Period starting", "Contracted nights", "Occupied nights", "Void nights", "Unavailable nights", "Utilisation %", "Void cost £"];

/** The figures as CSV, one row per contract and period, with "All contracts" and "Whole period" rows. */
export function utilisationCsv(rows: UtilisationRow[], references: Map<string, string>): string {
  let csv = csvRow(CSV_HEADER);
  for (const r of rows) {
    csv += csvRow([
      r.contractId === null ? "All contracts" : (references.get(r.contractId) ?? r.contractId),
      r.periodStart ?? "Whole period",
      r.contractedNights,
      r.occupiedNights,
      r.voidNights,
      r.unavailableNights,
      r.utilisationPercent === null ? "" : r.utilisationPercent.toFixed(1),
      (r.voidCostPence / 100).toFixed(2),
    ]);
  }
  return csv;
}
