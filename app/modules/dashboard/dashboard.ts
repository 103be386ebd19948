// The figures on a person's home page, scoped to what they may see: council
// staff see the consortium's totals, a provider sees its own organisation's.
import { sql } from "kysely";
import type { Reader } from "#app/database/schema";
import { keptWhileChainUnchanged } from "#app/modules/audit/audit";
import { awaitingDecisions } from "#app/modules/awards/decisions";
import { awardsToWatch, type WatchedAward } from "#app/modules/awards/progress";
import { ukDate } from "#app/modules/common/input";
import { contractsCard } from "#app/modules/contracts/contracts";
import type { Actor } from "#app/modules/identity/actor";
import { frameworksDueForReopening, type FrameworkDueForReopening } from "#app/modules/tendering/reopening";

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

interface FiguresRow {
  agreements: string;
  agreement_value: string | null;
  providers: string;
  homes: string;
  places: string | null;
  inadequate: string;
  audit_events: string | null;
  last_signed_at: Date | null;
}

export async function dashboardFigures(db: Reader, actor: Actor): Promise<DashboardFigures> {
  // Two plain statements rather than one with "$1 IS NULL OR …" in every
  // clause: each plans simply and reads only the rows its reader may see.
  // Each home's latest grade is kept on the home (migration 0003), so the
  // homes are read in one pass.
  const result =
    actor.organisationKind === "provider"
      ? await sql<FiguresRow>`
          SELECT
            (SELECT count(*) FROM agreement) AS agreements,
            NULL AS agreement_value,
            1 AS providers,
            count(*) AS homes,
            sum(registered_places) AS places,
            count(*) FILTER (WHERE ofsted_grade = 4) AS inadequate,
            NULL AS audit_events,
            NULL AS last_signed_at
          FROM home
          WHERE organisation_id = ${actor.organisationId}
        `.execute(db)
      : await sql<FiguresRow>`
          SELECT
            (SELECT count(*) FROM agreement) AS agreements,
            (SELECT sum(estimated_value_pence) FROM agreement) AS agreement_value,
            (SELECT count(*) FROM organisation WHERE kind = 'provider') AS providers,
            count(*) AS homes,
            sum(registered_places) AS places,
            count(*) FILTER (WHERE ofsted_grade = 4) AS inadequate,
            (SELECT seq FROM audit_chain_head WHERE singleton) AS audit_events,
            (SELECT max(signed_at) FROM audit_checkpoint) AS last_signed_at
          FROM home
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

/** Which of the council cards the viewer may see (the route asks the policy). */
export interface CouncilCardsAllowed {
  reopenings: boolean;
  standstills: boolean;
  contracts: boolean;
}

export interface CouncilDashboard {
  figures: DashboardFigures;
  reopenings: FrameworkDueForReopening[];
  standstills: WatchedAward[];
  contracts: { toAccept: number; noticesDue: number; overdue: number } | null;
}

/**
 * A council officer's dashboard: the consortium's figures and the council's
 * cards (open frameworks to re-open, awards in standstill or challenged,
 * contract notices due). It reads every home and several tables, so the last
 * answer for the same council is reused until something could have changed
 * it: every change is recorded with its audit event in the same transaction,
 * so a longer audit chain, or a new UK day (deadlines count days; standstill
 * ends at midnight), means working it out again. Reusing it costs one query.
 */
export async function councilDashboard(db: Reader, actor: Actor, allowed: CouncilCardsAllowed, now: Date): Promise<CouncilDashboard> {
  const day = ukDate(now);
  const key = `council-dashboard|${actor.organisationId}|${allowed.reopenings}|${allowed.standstills}|${allowed.contracts}`;
  return keptWhileChainUnchanged(
    db,
    key,
    async () => {
      const figures = await dashboardFigures(db, actor);
      const reopenings = allowed.reopenings ? await frameworksDueForReopening(db, { now, councilId: actor.organisationId }) : [];
      const standstills = allowed.standstills ? await awardsToWatch(db, actor.organisationId, now) : [];
      const contracts = allowed.contracts ? await contractsCard(db, actor, day) : null;
      return { figures, reopenings, standstills, contracts };
    },
    // Re-opening and notice deadlines count days, and a standstill ends at UK midnight.
    day,
  );
}

/** How many award recommendations wait on this Chief Officer or Portfolio Holder, for their dashboard card. */
export async function awardsWaitingFor(db: Reader, actor: Actor): Promise<{ yours: number; oldestSubmittedAt: Date | null }> {
  const yours = (await awaitingDecisions(db, actor)).filter((w) => w.yours);
  return { yours: yours.length, oldestSubmittedAt: yours[0]?.submittedAt ?? null };
}
