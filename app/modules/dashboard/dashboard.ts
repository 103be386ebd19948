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
  /** Council staff only: how long the audit trail is and when it was last signed. */
  auditTrail: { events: number; lastSignedAt: Date | null } | null;
}

export async function dashboardFigures(db: Reader, actor: Actor): Promise<DashboardFigures> {
  const own = actor.organisationKind === "provider" ? actor.organisationId : null;
  const result = await sql<{
    agreements: string;
    agreement_value: string | null;
    providers: string;
    homes: string;
    places: string | null;
    inadequate: string;
    audit_events: string | null;
    last_signed_at: Date | null;
  }>`
    SELECT
      (SELECT count(*) FROM agreement) AS agreements,
      (SELECT sum(estimated_value_pence) FROM agreement) AS agreement_value,
      (SELECT count(*) FROM organisation WHERE kind = 'provider' AND (${own}::uuid IS NULL OR id = ${own}::uuid)) AS providers,
      (SELECT count(*) FROM home WHERE ${own}::uuid IS NULL OR organisation_id = ${own}::uuid) AS homes,
      (SELECT sum(registered_places) FROM home WHERE ${own}::uuid IS NULL OR organisation_id = ${own}::uuid) AS places,
      -- Inadequate judgements that no later inspection of the same home has replaced:
      -- a handful of rows, rather than finding every home's latest grade.
      (SELECT count(*) FROM ofsted_judgement j
         JOIN home h ON h.id = j.home_id
         WHERE j.grade = 4
           AND (${own}::uuid IS NULL OR h.organisation_id = ${own}::uuid)
           AND NOT EXISTS (SELECT 1 FROM ofsted_judgement later
                           WHERE later.home_id = j.home_id AND later.inspected_on > j.inspected_on)) AS inadequate,
      CASE WHEN ${own}::uuid IS NULL THEN (SELECT seq FROM audit_chain_head) END AS audit_events,
      CASE WHEN ${own}::uuid IS NULL THEN (SELECT max(signed_at) FROM audit_checkpoint) END AS last_signed_at
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
    auditTrail: row.audit_events === null ? null : { events: Number(row.audit_events), lastSignedAt: row.last_signed_at },
  };
}
