import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { homeCountsByProvider } from "#app/modules/homes/homes";
import { listOrganisations } from "#app/modules/organisations/organisations";
import { authorise } from "#app/web/guard.server";

export const meta: MetaFunction = () => [{ title: "Providers – Children's Placements Portal" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  authorise(request, context.portal, "organisation.list");
  const [providers, counts] = await Promise.all([listOrganisations(context.portal.db, { kind: "provider" }), homeCountsByProvider(context.portal.db)]);
  return {
    providers: providers.map((p) => ({ id: p.id, name: p.name, town: p.town, companiesHouseNumber: p.companiesHouseNumber, homes: counts.get(p.id) ?? 0 })),
  };
}

export default function Providers() {
  const { providers } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="govuk-heading-l">Providers</h1>
      <table className="govuk-table">
        <caption className="govuk-table__caption govuk-table__caption--m">{providers.length} provider organisations</caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">
              Provider
            </th>
            <th scope="col" className="govuk-table__header">
              Town
            </th>
            <th scope="col" className="govuk-table__header">
              Companies House number
            </th>
            <th scope="col" className="govuk-table__header govuk-table__header--numeric">
              Homes and services
            </th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {providers.map((p) => (
            <tr className="govuk-table__row" key={p.id}>
              <td className="govuk-table__cell">
                <Link className="govuk-link" to={`/organisations/${p.id}`}>
                  {p.name}
                </Link>
              </td>
              <td className="govuk-table__cell">{p.town ?? ""}</td>
              <td className="govuk-table__cell">{p.companiesHouseNumber ?? "None"}</td>
              <td className="govuk-table__cell govuk-table__cell--numeric">{p.homes}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
