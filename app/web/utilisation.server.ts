// What the block bed pages show, read for one actor: the contracts they may
// see (a provider only its own), the figures for the nights so far by week or
// month, tonight's voids and alerts in force. Shared by /utilisation, a
// contract's page and the CSV download.
import type { Kysely } from "kysely";
import type { Action } from "#app/policy/policy";
import { readDateField } from "./date-fields";
import { tableRowsHtml } from "./html.server";
import type { PortalContext } from "./context";
import { authorise, notFound, requireActor } from "./guard.server";
import type { Database } from "#app/database/schema";
import { periodColumns, voidColumns } from "#app/components/Utilisation";
import { keptWhileChainUnchanged } from "#app/modules/audit/audit";
import { ukDate } from "#app/modules/common/input";
import type { Actor } from "#app/modules/identity/actor";
import { addDaysToDay } from "#app/modules/tendering/timeline";
import { getBlockContract, listBlockBeds, listBlockContracts, type BlockContractSummary } from "#app/modules/utilisation/block-beds";
import { financialYear } from "#app/modules/utilisation/short-breaks";
import { currentVoids, openAlerts, utilisationFigures, type Granularity, type NightPeriod } from "#app/modules/utilisation/utilisation";

export function granularityOf(url: URL): Granularity {
  return url.searchParams.get("by") === "week" ? "week" : "month";
}

export async function visibleContracts(db: Kysely<Database>, actor: Actor): Promise<BlockContractSummary[]> {
  return listBlockContracts(db, actor.organisationKind === "provider" ? { providerId: actor.organisationId } : {});
}

/** From the first contracted night to last night (or the contracts' end, if sooner): the nights that have happened. */
export function nightsSoFar(contracts: BlockContractSummary[], now: Date): NightPeriod | null {
  if (contracts.length === 0) return null;
  const lastNight = addDaysToDay(ukDate(now), -1);
  const from = contracts.map((c) => c.firstNight).sort()[0]!;
  const end = contracts.map((c) => c.lastNight).sort().at(-1)!;
  const to = end < lastNight ? end : lastNight;
  return to < from ? null : { from, to };
}

export async function utilisationView(db: Kysely<Database>, contracts: BlockContractSummary[], by: Granularity, now = new Date()) {
  const ids = contracts.map((c) => c.id);
  const period = nightsSoFar(contracts, now);
  const [rows, voids, alerts] = await Promise.all([
    period ? utilisationFigures(db, { contractIds: ids, period, by }) : Promise.resolve([]),
    currentVoids(db, { contractIds: ids, tonight: ukDate(now) }),
    openAlerts(db, ids),
  ]);
  return { period, rows, voids, alerts: alerts.map((a) => ({ ...a, raisedAt: a.raisedAt.toISOString() })) };
}

/**
 * The contracts an actor may see and their view, kept while the audit chain is
 * unchanged and the UK day is the same (decision 048): every bed record,
 * placement, contract and alert is written with its audit event, and the
 * nights so far, tonight's voids and the alerts' window move only with the day.
 */
export async function keptUtilisationPage(db: Kysely<Database>, actor: Actor, by: Granularity, now = new Date()) {
  const day = ukDate(now);
  const whose = actor.organisationKind === "provider" ? `provider:${actor.organisationId}` : "all";
  return keptWhileChainUnchanged(db, `utilisation|${whose}|${by}`, async () => {
    const contracts = await visibleContracts(db, actor);
    const view = await utilisationView(db, contracts, by, now);
    // The two long tables written once for the kept page: tonight's voids and the figures across contracts.
    const periods = view.rows.filter((r) => r.contractId === null && r.periodStart !== null);
    const written = {
      voids: { count: view.voids.length, rowsHtml: tableRowsHtml(view.voids, voidColumns(true)) },
      periods: { count: periods.length, rowsHtml: tableRowsHtml(periods, periodColumns(by)) },
    };
    return { contracts, ...view, written };
  }, day);
}

/** ?year=2026 is April 2026 to March 2027; without it, the year we are in. */
export function financialYearOf(url: URL, now = new Date()) {
  const asked = url.searchParams.get("year");
  const start = asked && /^\d{4}$/.test(asked) && Number(asked) >= 2000 && Number(asked) <= 2100 ? `${asked}-04-01` : ukDate(now);
  return financialYear(start);
}

/** The contract named in the address, if the actor may take this action on it (another provider's is not found). */
export async function contractForAction(request: Request, portal: PortalContext, contractId: string | undefined, action: Action): Promise<BlockContractSummary> {
  requireActor(request, portal);
  const contract = await getBlockContract(portal.db, contractId ?? "");
  if (!contract) throw notFound();
  authorise(request, portal, action, { kind: "blockContract", providerId: contract.providerId });
  return contract;
}

/** The contract's beds as options for a select, and to check the one chosen is the contract's. */
export async function bedChoices(db: Kysely<Database>, contractId: string) {
  return (await listBlockBeds(db, contractId)).map((b) => ({ value: b.id, label: `${b.homeName}, ${b.label}` }));
}

/** The first and last night boxes of a form: the dates, what was typed, and their errors. */
export function readNights(form: FormData, options: { lastOptional?: boolean } = {}) {
  const firstNight = readDateField(form, "firstNight", "First night");
  const lastNight = readDateField(form, "lastNight", "Last night", { optional: options.lastOptional });
  const errors: Record<string, string> = {};
  if (firstNight.error) errors.firstNight = firstNight.error.message;
  if (lastNight.error) errors.lastNight = lastNight.error.message;
  return {
    firstNight: firstNight.iso,
    lastNight: lastNight.iso,
    errors,
    dates: { firstNight: { typed: firstNight.typed, error: firstNight.error }, lastNight: { typed: lastNight.typed, error: lastNight.error } },
  };
}
