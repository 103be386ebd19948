import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BackLink, SummaryList, Table } from "#app/components/govuk";
import { CurrentVoids, UtilisationAlerts, UtilisationFigures } from "#app/components/Utilisation";
import { getBlockContract, listBedRecords, listBlockBeds } from "#app/modules/utilisation/block-beds";
import { allowed } from "#app/policy/policy";
import { pounds, ukDate } from "#app/web/format";
import { authorise, notFound, requireActor } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";
import { granularityOf, utilisationView } from "#app/web/utilisation.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `${data.contract.reference}: ${data.contract.title}` : "Block contract");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const actor = requireActor(request, portal);
  const contract = await getBlockContract(portal.db, params.contractId ?? "");
  if (!contract) throw notFound();
  const thing = { kind: "blockContract", providerId: contract.providerId } as const;
  authorise(request, portal, "blockContract.view", thing);
  const by = granularityOf(new URL(request.url));
  const [view, beds, records] = await Promise.all([
    utilisationView(portal.db, [contract], by),
    listBlockBeds(portal.db, contract.id),
    listBedRecords(portal.db, contract.id, 30),
  ]);
  return {
    contract,
    by,
    ...view,
    beds,
    records,
    canRecordOccupancy: allowed(actor, "bedOccupancy.record", thing),
    canRecordUnavailability: allowed(actor, "bedUnavailability.record", thing),
    canWithdrawOccupancy: allowed(actor, "bedRecord.withdraw", { kind: "bedRecord", providerId: contract.providerId, recordKind: "occupied" }),
    canWithdrawUnavailability: allowed(actor, "bedRecord.withdraw", { kind: "bedRecord", providerId: contract.providerId, recordKind: "unavailable" }),
  };
}

export default function BlockContract() {
  const { contract, by, period, rows, voids, alerts, beds, records, canRecordOccupancy, canRecordUnavailability, canWithdrawOccupancy, canWithdrawUnavailability } =
    useLoaderData<typeof loader>();
  const base = `/utilisation/${contract.id}`;
  return (
    <>
      <BackLink to="/utilisation">All block contracts</BackLink>
      <span className="govuk-caption-l">Block contract with {contract.providerName}</span>
      <h1 className="govuk-heading-l">
        {contract.reference}: {contract.title}
      </h1>
      <UtilisationAlerts alerts={alerts} linkContracts={false} />
      <SummaryList
        rows={[
          { key: "Agreement", value: contract.agreementTitle },
          { key: "Provider", value: contract.providerName },
          { key: "Contract period", value: `The nights of ${ukDate(contract.firstNight)} to ${ukDate(contract.lastNight)}` },
          { key: "Beds", value: String(contract.beds) },
          { key: "Utilisation target", value: `${contract.utilisationTargetPercent}% of contracted nights occupied, over any four weeks` },
          { key: "Figures cover", value: period ? `The nights of ${ukDate(period.from)} to ${ukDate(period.to)}` : "No nights yet" },
        ]}
      />
      {canRecordOccupancy || canRecordUnavailability ? (
        <div className="govuk-button-group">
          {canRecordOccupancy ? (
            <Link className="govuk-button" to={`${base}/occupancy`}>
              Record a child in a bed
            </Link>
          ) : null}
          {canRecordUnavailability ? (
            <Link className="govuk-button govuk-button--secondary" to={`${base}/unavailability`}>
              Record a bed as unavailable
            </Link>
          ) : null}
        </div>
      ) : null}
      <CurrentVoids voids={voids} showContract={false} />
      <UtilisationFigures
        heading="Utilisation"
        rows={rows}
        contractId={contract.id}
        by={by}
        target={contract.utilisationTargetPercent}
        hrefFor={(option) => `${base}?by=${option}`}
        csvHref={`/utilisation.csv?contract=${contract.id}&by=${by}`}
      />
      <Table
        caption="Beds"
        rows={beds}
        rowKey={(b) => b.id}
        columns={[
          { header: "Bed", cell: (b) => `${b.homeName}, ${b.label}` },
          { header: "Contracted nights", cell: (b) => `${ukDate(b.firstNight)} to ${ukDate(b.lastNight)}` },
          { header: "Price a week", numeric: true, cell: (b) => pounds(b.weeklyPricePence) },
          { header: "Price a night", numeric: true, cell: (b) => pounds(b.nightlyPricePence) },
        ]}
      />
      <Table
        caption="Latest bed records"
        rows={records}
        rowKey={(r) => r.id}
        columns={[
          { header: "Bed", cell: (r) => `${r.homeName}, ${r.bedLabel}` },
          { header: "Nights", cell: (r) => (r.lastNight ? `${ukDate(r.firstNight)} to ${ukDate(r.lastNight)}` : `From ${ukDate(r.firstNight)}, still there`) },
          {
            header: "Record",
            cell: (r) => (r.kind === "occupied" ? `Occupied by ${r.detail}` : r.kind === "placed" ? `Occupied by ${r.detail}, placed through the portal` : `Unavailable: ${r.detail}`),
          },
          {
            header: <span className="govuk-visually-hidden">Action</span>,
            cell: (r) =>
              r.kind !== "placed" && (r.kind === "occupied" ? canWithdrawOccupancy : canWithdrawUnavailability) ? (
                <>
                  {r.kind === "occupied" && canRecordOccupancy ? (
                    <>
                      <Link className="govuk-link" to={`${base}/records/occupancy/${r.id}/correct`}>
                        Correct<span className="govuk-visually-hidden"> the stay in {r.bedLabel} from {ukDate(r.firstNight)}</span>
                      </Link>{" "}
                    </>
                  ) : null}
                  <Link className="govuk-link" to={`${base}/records/${r.kind === "occupied" ? "occupancy" : "unavailability"}/${r.id}`}>
                    Withdraw<span className="govuk-visually-hidden"> the record for {r.bedLabel} from {ukDate(r.firstNight)}</span>
                  </Link>
                </>
              ) : null,
          },
        ]}
      />
    </>
  );
}
