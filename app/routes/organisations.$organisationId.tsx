import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BackLink, SummaryList } from "#app/components/govuk";
import { HomesTable } from "#app/components/HomesTable";
import { listHomes } from "#app/modules/homes/homes";
import { getOrganisation } from "#app/modules/organisations/organisations";
import { allowed } from "#app/policy/policy";
import { authorise, notFound, requireActor } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data?.organisation.name ?? "Organisation");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  requireActor(request, portal);
  const organisation = await getOrganisation(portal.db, params.organisationId ?? "");
  // Unknown and not-yours look the same to everyone: 404.
  if (!organisation) throw notFound();
  const actor = authorise(request, portal, "organisation.view", { kind: "organisation", id: organisation.id, organisationKind: organisation.kind });
  const homes = organisation.kind === "provider" ? await listHomes(portal.db, { organisationId: organisation.id }) : [];
  return {
    organisation: { ...organisation, createdAt: organisation.createdAt.toISOString(), updatedAt: organisation.updatedAt.toISOString() },
    homes,
    canList: allowed(actor, "organisation.list"),
  };
}

export default function OrganisationDetail() {
  const { organisation: o, homes, canList } = useLoaderData<typeof loader>();
  const address = [o.addressLine1, o.addressLine2, o.town, o.postcode].filter(Boolean).join(", ");
  return (
    <>
      {canList ? <BackLink to="/organisations" /> : null}
      <span className="govuk-caption-l">{o.kind === "provider" ? "Provider" : "Council"}</span>
      <h1 className="govuk-heading-l">{o.name}</h1>
      <SummaryList
        rows={[
          { key: "Companies House number", value: o.companiesHouseNumber ?? "None" },
          { key: "Charity number", value: o.charityNumber ?? "None" },
          ...(o.kind === "provider" ? [{ key: "PPON", value: o.ppon ?? "Not given" }] : []),
          { key: "Address", value: address || "Not given" },
        ]}
      />
      {o.kind === "provider" ? <HomesTable homes={homes} caption={`${homes.length} homes and services`} showProvider={false} /> : null}
    </>
  );
}
