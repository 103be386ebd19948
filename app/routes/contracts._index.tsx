// Contracts and framework agreements made after awards: a council's staff see
// their council's (with the contract details notices coming due), a provider's
// users their own, those waiting for acceptance first.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ContractStatusTag } from "#app/components/contracts/ContractStatusTag";
import { Table } from "#app/components/govuk";
import { ukDate as ukToday } from "#app/modules/common/input";
import { CONTRACT_KIND_LABELS, listContracts, noticesDue, type ContractListItem } from "#app/modules/contracts/contracts";
import { authorise } from "#app/web/guard.server";
import { poundsShort, ukDate } from "#app/web/format";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction = () => pageMeta("Contracts");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = authorise(request, context.portal, "contract.list");
  const contracts = await listContracts(context.portal.db, actor);
  const council = actor.organisationKind === "council";
  return {
    council,
    contracts,
    toAccept: council ? [] : contracts.filter((c) => c.status === "offered"),
    noticesDue: council ? await noticesDue(context.portal.db, actor.organisationId, ukToday(new Date())) : [],
  };
}

function ContractsTable({ caption, rows, council }: { caption: string; rows: ContractListItem[]; council: boolean }) {
  return (
    <Table
      caption={caption}
      rows={rows}
      rowKey={(c) => c.id}
      columns={[
        {
          header: "Agreement",
          cell: (c) => (
            <>
              <Link className="govuk-link" to={`/contracts/${c.id}`}>
                {CONTRACT_KIND_LABELS[c.kind]} {c.reference}
              </Link>
              <br />
              <span className="govuk-body-s">{c.title}</span>
            </>
          ),
        },
        ...(council ? [{ header: "Provider", cell: (c: ContractListItem) => c.providerName }] : []),
        { header: "Period", cell: (c) => `${ukDate(c.startOn)} to ${ukDate(c.endOn)}` },
        { header: "Value", cell: (c) => poundsShort(c.valuePence), numeric: true },
        { header: "Status", cell: (c) => <ContractStatusTag status={c.status} /> },
      ]}
    />
  );
}

export default function Contracts() {
  const { council, contracts, toAccept, noticesDue: due } = useLoaderData<typeof loader>();
  const others = contracts.filter((c) => !toAccept.some((t) => t.id === c.id));
  return (
    <>
      <h1 className="govuk-heading-l">Contracts</h1>
      <p className="govuk-body">
        {council
          ? "Framework agreements and contracts your council has made after its awards. Each is signed once the provider accepts it; its contract details notice is then due."
          : "Framework agreements and contracts councils have made with you after their awards. Read each one and accept it, or decline it with your reason."}
      </p>
      {due.length > 0 ? (
        <>
          <h2 className="govuk-heading-m">Contract details notices due</h2>
          <ul className="govuk-list govuk-list--bullet">
            {due.map((c) => (
              <li key={c.id}>
                <Link className="govuk-link" to={`/contracts/${c.id}`}>
                  {c.reference}
                </Link>{" "}
                with {c.providerName}: {c.daysLeft < 0 ? `overdue since ${ukDate(c.noticeDueOn!)}` : `due by ${ukDate(c.noticeDueOn!)}`}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {toAccept.length > 0 ? (
        <>
          <h2 className="govuk-heading-m">Agreements to accept</h2>
          <ContractsTable caption={`${toAccept.length} waiting for your acceptance`} rows={toAccept} council={false} />
        </>
      ) : null}
      {contracts.length === 0 ? (
        <p className="govuk-body">There are no contracts yet.</p>
      ) : others.length > 0 ? (
        <>
          <h2 className="govuk-heading-m">{toAccept.length > 0 ? "Other contracts" : "All contracts"}</h2>
          <ContractsTable caption={`${others.length} ${others.length === 1 ? "contract" : "contracts"}`} rows={others} council={council} />
        </>
      ) : null}
    </>
  );
}
