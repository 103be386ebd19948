import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { HomesTable } from "#app/components/HomesTable";
import { listHomes } from "#app/modules/homes/homes";
import { authorise } from "#app/web/guard.server";

export const meta: MetaFunction = () => [{ title: "Homes and services – Children's Placements Portal" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = authorise(request, context.portal, "home.list");
  const isProvider = actor.organisationKind === "provider";
  // A provider's list is filtered in the query, not in the page.
  const homes = await listHomes(context.portal.db, isProvider ? { organisationId: actor.organisationId } : {});
  return { homes, isProvider, organisationName: actor.organisationName };
}

export default function Homes() {
  const { homes, isProvider, organisationName } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="govuk-heading-l">{isProvider ? `${organisationName}: homes and services` : "Homes and services"}</h1>
      <HomesTable homes={homes} caption={`${homes.length} homes and services`} showProvider={!isProvider} />
    </>
  );
}
