// The figures on a person's home page, scoped to what they may see: council
// staff see the consortium's totals, a provider sees its own organisation's.
import { sql } from "kysely";
import type { Reader } from "#app/database/schema";
import type { Actor } from "#app/modules/identity/actor";

export interface DashboardFigures {
  agreements: number;
  agreementValuePence: number;
  providers: number;
  homes: number;
  registeredPlaces: number;
  /** Homes whose latest Ofsted grade is Inadequate (4). */
  inadequateHomes: number;
  auditEventsToday: number | null;
}

export async function dashboardFigures(db: Reader, actor: Actor, now: Date): Promise<DashboardFigures> {
  const own = actor.organisationKind === "provider" ? actor.organisationId : null;
  const startOfDay = new Date(now);
  startOfDay.setUTCHours(0, 0, 0, 0);
  const result = await sql<{
    agreements: string;
    agreement_value: string | null;
    providers: string;
    homes: string;
    places: string | null;
    inadequate: string;
    audit_today: string | null;
  }>`
    SELECT
      (SELECT count(*) FROM agreement) AS agreements,
      (SELECT sum(estimated_value_pence) FROM agreement) AS agreement_value,
      (SELECT count(*) FROM organisation WHERE kind = 'provider' AND (${own}::uuid IS NULL OR id = ${own}::uuid)) AS providers,
      (SELECT count(*) FROM home WHERE ${own}::uuid IS NULL OR organisation_id = ${own}::uuid) AS homes,
      (SELECT sum(registered_places) FROM home WHERE ${own}::uuid IS NULL OR organisation_id = ${own}::uuid) AS places,
      (SELECT count(*) FROM home h
         WHERE (${own}::uuid IS NULL OR h.organisation_id = ${own}::uuid)
           AND (SELECT grade FROM ofsted_judgement j WHERE j.home_id = h.id ORDER BY inspected_on DESC LIMIT 1) = 4) AS inadequate,
      CASE WHEN ${own}::uuid IS NULL
        THEN (SELECT count(*) FROM audit_event WHERE occurred_at >= ${startOfDay})
      END AS audit_today
  `.execute(db);
  const row = result.rows[0];
  if (!row) throw new Error("dashboard query returned no row");
  return {
    agreements: Number(row.agreements),
    agreementValuePence: Number(row.agreement_value ?? 0),
    providers: Number(row.providers),
    homes: Number(row.homes),
    registeredPlaces: Number(row.places ?? 0),
    inadequateHomes: Number(row.inadequate),
    auditEventsToday: row.audit_today === null ? null : Number(row.audit_today),
  };
}
