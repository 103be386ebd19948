import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Table } from "#app/components/govuk";
import { CurrentVoids, percent, UtilisationAlerts, UtilisationFigures } from "#app/components/Utilisation";
import { allowed } from "#app/policy/policy";
import { pounds, ukDate } from "#app/web/format";
import { authorise } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";
import { markupForPage } from "#app/web/html.server";
import { granularityOf, keptUtilisationPage } from "#app/web/utilisation.server";

export const meta: MetaFunction = () => pageMeta("Block beds");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const actor = authorise(request, portal, "blockBeds.view");
  const by = granularityOf(new URL(request.url));
  const { contracts, written, voids: _voids, ...view } = await keptUtilisationPage(portal.db, actor, by);
  return {
    by,
    contracts,
    ...view,
    // Written once for the kept page and sent once, in the tables (decisions 026 and 048).
    written: {
      voids: { count: written.voids.count, rowsHtml: markupForPage(written.voids.rowsHtml, portal.rendersDocument) },
      periods: { count: written.periods.count, rowsHtml: markupForPage(written.periods.rowsHtml, portal.rendersDocument) },
    },
    // The page shows the periods across contracts and each contract's totals, not each contract's periods.
    rows: view.rows.filter((r) => r.contractId === null || r.periodStart === null),
    isProvider: actor.organisationKind === "provider",
    canSeeShortBreaks: allowed(actor, "shortBreaks.view"),
  };
}

export default function BlockBeds() {
  const { by, contracts, period, rows, written, alerts, isProvider, canSeeShortBreaks } = useLoaderData<typeof loader>();
  const totals = new Map(rows.filter((r) => r.contractId !== null && r.periodStart === null).map((r) => [r.contractId!, r]));
  return (
    <>
      <h1 className="govuk-heading-l">Block beds</h1>
      <UtilisationAlerts alerts={alerts} linkContracts />
      <p className="govuk-body">
        Beds paid for whether or not they are used. Each night each bed is occupied, void (paid for and empty) or unavailable (the provider could not offer
        it, so it is not charged).{period ? ` Figures cover the nights from ${ukDate(period.from)} to ${ukDate(period.to)}.` : ""}
      </p>
      {canSeeShortBreaks ? (
        <p className="govuk-body">
          <Link className="govuk-link" to="/short-breaks">
            Short breaks: nights contracted, booked and used
          </Link>
        </p>
      ) : null}
      {contracts.length === 0 ? (
        <p className="govuk-body">{isProvider ? "Your organisation has no block contracts." : "There are no block contracts yet."}</p>
      ) : (
        <>
          <Table
            caption="Block contracts"
            rows={contracts}
            rowKey={(c) => c.id}
            columns={[
              {
                header: "Contract",
                cell: (c) => (
                  <Link className="govuk-link" to={`/utilisation/${c.id}`}>
                    {c.reference}
                    <span className="govuk-visually-hidden">: {c.title}</span>
                  </Link>
                ),
              },
              { header: "Provider", cell: (c) => c.providerName },
              { header: "Beds", numeric: true, cell: (c) => String(c.beds) },
              { header: "Utilisation so far", numeric: true, cell: (c) => percent(totals.get(c.id)?.utilisationPercent ?? null) },
              { header: "Target", numeric: true, cell: (c) => `${c.utilisationTargetPercent}%` },
              { header: "Void cost so far", numeric: true, cell: (c) => pounds(totals.get(c.id)?.voidCostPence ?? 0) },
            ]}
          />
          <CurrentVoids written={written.voids} showContract />
          <UtilisationFigures
            heading={contracts.length === 1 ? "Utilisation" : "Utilisation across all contracts"}
            rows={rows}
            written={written.periods}
            contractId={null}
            by={by}
            target={sharedTarget(contracts)}
            hrefFor={(option) => `/utilisation?by=${option}`}
            csvHref={`/utilisation.csv?by=${by}`}
          />
        </>
      )}
    </>
  );
}

/** The target the figures across contracts are drawn against: the contracts' own, where they all share one. */
function sharedTarget(contracts: { utilisationTargetPercent: number }[]): number | null {
  const targets = new Set(contracts.map((c) => c.utilisationTargetPercent));
  return targets.size === 1 ? [...targets][0]! : null;
}
