// Vacancy freshness as a contract duty: the share of days each provider's
// vacancy data was fresh, computed from vacancy_history alone (for its
// scorecard later), and the reminder sent at most once an interval to
// providers whose homes have stale vacancies.
import { sql } from "kysely";
import type { Reader, Trx } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { isoDate } from "#app/modules/common/input";
import { ActionRefused } from "#app/modules/errors";
import type { ActionContext } from "#app/modules/identity/actor";
import { activeProviderUsers } from "#app/modules/identity/queries";
import { queueEmail } from "#app/modules/outbox/outbox";
import { FRESH_FOR_DAYS } from "./vacancies";

registerAuditActions({
  "vacancy.reminders_sent": "Reminded providers to confirm their vacancies",
});

export interface ProviderFreshness {
  organisationId: string;
  name: string;
  /** Days in the period on which the provider had at least one home. */
  days: number;
  /** Of those, days on which every one of its homes had been updated or confirmed within 7 days. */
  freshDays: number;
  /** freshDays / days, or null when it had no homes in the period. */
  share: number | null;
}

/**
 * For each provider (or those named), over the UK days from..to inclusive: a
 * day counts as fresh when, at its end, each home the provider had then was
 * updated or confirmed in the 7 days before. A home added that day counts
 * from the next day, so a new home is not held against its provider on the
 * day it was created.
 */
export async function vacancyFreshness(
  db: Reader,
  input: { from: string; to: string; organisationIds?: string[] },
): Promise<ProviderFreshness[]> {
  const from = isoDate(input.from, "from", "first day");
  const to = isoDate(input.to, "to", "last day");
  if (to < from) throw new ActionRefused("The last day must be on or after the first day", "to");
  const only = input.organisationIds;
  if (only && only.length === 0) return [];
  const { rows } = await sql<{ organisation_id: string; name: string; days: number; fresh_days: number }>`
    WITH day AS (
      SELECT d::date AS day, ((d::date + 1)::timestamp AT TIME ZONE 'Europe/London') AS day_end
        FROM generate_series(${from}::date, ${to}::date, interval '1 day') AS d
    ),
    provider_day AS (
      SELECT h.organisation_id, day.day,
             bool_and(EXISTS (
               SELECT 1 FROM vacancy_history vh
                WHERE vh.home_id = h.id
                  AND vh.recorded_at < day.day_end
                  AND vh.recorded_at >= day.day_end - make_interval(days => ${FRESH_FOR_DAYS})
             )) AS fresh
        FROM day
        JOIN home h ON ((h.created_at AT TIME ZONE 'Europe/London')::date) < day.day
       ${only ? sql`WHERE h.organisation_id IN (${sql.join(only)})` : sql``}
       GROUP BY h.organisation_id, day.day
    )
    SELECT o.id AS organisation_id, o.name,
           count(pd.day)::int AS days,
           (count(pd.day) FILTER (WHERE pd.fresh))::int AS fresh_days
      FROM organisation o
      LEFT JOIN provider_day pd ON pd.organisation_id = o.id
     WHERE o.kind = 'provider' ${only ? sql`AND o.id IN (${sql.join(only)})` : sql``}
     GROUP BY o.id, o.name
     ORDER BY o.name, o.id`.execute(db);
  return rows.map((r) => ({
    organisationId: r.organisation_id,
    name: r.name,
    days: r.days,
    freshDays: r.fresh_days,
    share: r.days === 0 ? null : r.fresh_days / r.days,
  }));
}

export interface ReminderOptions {
  /** A provider is reminded at most once in this many days (default 7). */
  everyDays?: number;
  /** The portal's address, for the link in the email. */
  baseUrl: string;
}

export interface ProviderToRemind {
  organisationId: string;
  name: string;
  staleHomes: { homeId: string; name: string; lastConfirmedAt: Date | null }[];
}

/**
 * Providers with at least one home whose vacancy is stale or was never
 * entered, not reminded within the interval.
 */
export async function providersToRemind(db: Reader, now: Date, everyDays = FRESH_FOR_DAYS): Promise<ProviderToRemind[]> {
  if (!Number.isInteger(everyDays) || everyDays < 1) throw new RangeError("everyDays must be a whole number of days, 1 or more");
  const staleBefore = new Date(now.getTime() - FRESH_FOR_DAYS * 86_400_000);
  const remindedSince = new Date(now.getTime() - everyDays * 86_400_000);
  const rows = await db
    .selectFrom("home")
    .innerJoin("organisation", "organisation.id", "home.organisation_id")
    .leftJoin("vacancy", "vacancy.home_id", "home.id")
    .select(["organisation.id as organisation_id", "organisation.name as organisation_name", "home.id", "home.name", "vacancy.last_confirmed_at"])
    .where((eb) => eb.or([eb("vacancy.last_confirmed_at", "is", null), eb("vacancy.last_confirmed_at", "<", staleBefore)]))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("vacancy_reminder")
            .select("vacancy_reminder.id")
            .whereRef("vacancy_reminder.organisation_id", "=", "organisation.id")
            .where("vacancy_reminder.sent_at", ">", remindedSince),
        ),
      ),
    )
    .orderBy("organisation.name")
    .orderBy("organisation.id")
    .orderBy("home.name")
    .execute();
  const providers = new Map<string, ProviderToRemind>();
  for (const r of rows) {
    if (!providers.has(r.organisation_id)) providers.set(r.organisation_id, { organisationId: r.organisation_id, name: r.organisation_name, staleHomes: [] });
    providers.get(r.organisation_id)!.staleHomes.push({ homeId: r.id, name: r.name, lastConfirmedAt: r.last_confirmed_at });
  }
  return [...providers.values()];
}

/**
 * Queues the reminder to each active provider user of each provider due one
 * and records it, with one audit event for the run. The scheduler calls this
 * (daily is enough: the interval keeps it to once a week per provider).
 */
export async function sendVacancyReminders(trx: Trx, options: ReminderOptions, ctx: ActionContext): Promise<{ providers: number; emails: number }> {
  // Two schedulers running at once would otherwise both remind.
  await sql`SELECT pg_advisory_xact_lock(hashtextextended('vacancy-reminders', 0))`.execute(trx);
  const due = await providersToRemind(trx, ctx.now, options.everyDays);
  if (due.length === 0) return { providers: 0, emails: 0 };
  const users = await activeProviderUsers(trx, due.map((p) => p.organisationId));
  const vacanciesUrl = new URL("/vacancies", options.baseUrl).toString();
  let emails = 0;
  for (const provider of due) {
    await trx.insertInto("vacancy_reminder").values({ organisation_id: provider.organisationId, sent_at: ctx.now, stale_homes: provider.staleHomes.length }).execute();
    for (const user of users.filter((u) => u.organisation_id === provider.organisationId)) {
      await queueEmail(trx, {
        to: user.email,
        template: {
          name: "vacancy_reminder",
          props: { organisationName: provider.name, homes: provider.staleHomes.map((h) => ({ name: h.name, lastConfirmedAt: h.lastConfirmedAt })), vacanciesUrl },
        },
      });
      emails++;
    }
  }
  await recordAuditEvent(trx, ctx, {
    action: "vacancy.reminders_sent",
    summary: `Reminded ${due.length} provider${due.length === 1 ? "" : "s"} to confirm stale vacancies (${emails} email${emails === 1 ? "" : "s"})`,
    subjects: due.map((p) => ({ type: "organisation", id: p.organisationId })),
    after: Object.fromEntries(due.map((p) => [p.name, `${p.staleHomes.length} home${p.staleHomes.length === 1 ? "" : "s"} stale`])),
  });
  return { providers: due.length, emails };
}
