import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listAgreements, AGREEMENT_STATUS_LABELS } from "#app/modules/agreements/agreements";
import { authorise } from "#app/web/guard.server";
import { poundsShort, ukDate } from "#app/web/format";

export const meta: MetaFunction = () => [{ title: "Agreements – Children's Placements Portal" }];

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
      <table className="govuk-table">
        <caption className="govuk-table__caption govuk-table__caption--m">{agreements.length} agreements</caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">
              Agreement
            </th>
            <th scope="col" className="govuk-table__header">
              Term
            </th>
            <th scope="col" className="govuk-table__header govuk-table__header--numeric">
              Lots
            </th>
            <th scope="col" className="govuk-table__header govuk-table__header--numeric">
              Estimated value
            </th>
            <th scope="col" className="govuk-table__header">
              Status
            </th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {agreements.map((a) => (
            <tr className="govuk-table__row" key={a.id}>
              <td className="govuk-table__cell">
                <Link className="govuk-link" to={`/agreements/${a.id}`}>
                  {a.title}
                </Link>
                <br />
                <span className="govuk-body-s">
                  {a.reference} · {a.kindLabel} · led by {a.leadCouncilName}
                </span>
              </td>
              <td className="govuk-table__cell">
                {ukDate(a.termStart)} to {ukDate(a.termEnd)}
              </td>
              <td className="govuk-table__cell govuk-table__cell--numeric">{a.lotCount}</td>
              <td className="govuk-table__cell govuk-table__cell--numeric">{poundsShort(a.estimatedValuePence)}</td>
              <td className="govuk-table__cell">{AGREEMENT_STATUS_LABELS[a.status]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
