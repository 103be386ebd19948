import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Table } from "#app/components/govuk";
import { AGREEMENT_STATUS_LABELS, listAgreements } from "#app/modules/agreements/agreements";
import { authorise } from "#app/web/guard.server";
import { poundsShort, ukDate } from "#app/web/format";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction = () => pageMeta("Agreements");

export async function loader({ request, context }: LoaderFunctionArgs) {
  authorise(request, context.portal, "agreement.list");
  return { agreements: await listAgreements(context.portal.db) };
}

export default function Agreements() {
  const { agreements } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="govuk-heading-l">Agreements</h1>
      <p className="govuk-body">The frameworks and contracts the consortium runs for homes for children in care.</p>
      <Table
        caption={`${agreements.length} agreements`}
        rows={agreements}
        rowKey={(a) => a.id}
        columns={[
          {
            header: "Agreement",
            cell: (a) => (
              <>
                <Link className="govuk-link" to={`/agreements/${a.id}`}>
                  {a.title}
                </Link>
                <br />
                <span className="govuk-body-s">
                  {a.reference} · {a.kindLabel} · led by {a.leadCouncilName}
                </span>
              </>
            ),
          },
          { header: "Term", cell: (a) => `${ukDate(a.termStart)} to ${ukDate(a.termEnd)}` },
          { header: "Lots", cell: (a) => a.lotCount, numeric: true },
          { header: "Estimated value", cell: (a) => poundsShort(a.estimatedValuePence), numeric: true },
          { header: "Status", cell: (a) => AGREEMENT_STATUS_LABELS[a.status] },
        ]}
      />
    </>
  );
}
