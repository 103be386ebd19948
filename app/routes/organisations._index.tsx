import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Table } from "#app/components/govuk";
import { homeCountsByProvider } from "#app/modules/homes/homes";
import { listOrganisations } from "#app/modules/organisations/organisations";
import { authorise } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction = () => pageMeta("Providers");

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
      <Table
        caption={`${providers.length} provider organisations`}
        rows={providers}
        rowKey={(p) => p.id}
        columns={[
          {
            header: "Provider",
            cell: (p) => (
              <Link className="govuk-link" to={`/organisations/${p.id}`}>
                {p.name}
              </Link>
            ),
          },
          { header: "Town", cell: (p) => p.town ?? "" },
          { header: "Companies House number", cell: (p) => p.companiesHouseNumber ?? "None" },
          { header: "Homes and services", cell: (p) => p.homes, numeric: true },
        ]}
      />
    </>
  );
}
