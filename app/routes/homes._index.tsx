import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { HomesTable } from "#app/components/HomesTable";
import { Pagination, pageOutOfRange } from "#app/components/Pagination";
import { pageOfHomes } from "#app/modules/homes/homes";
import { authorise } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction = () => pageMeta("Homes and services");

const PAGE_SIZE = 50;
const query = z.object({ page: z.coerce.number().int().min(1).max(100_000).catch(1) });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = authorise(request, context.portal, "home.list");
  const isProvider = actor.organisationKind === "provider";
  const { page } = query.parse(Object.fromEntries(new URL(request.url).searchParams));
  // A provider's list is filtered in the query, not in the page.
  const { homes, total } = await pageOfHomes(context.portal.db, {
    organisationId: isProvider ? actor.organisationId : undefined,
    page,
    pageSize: PAGE_SIZE,
  });
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  if (page > pages) throw data(pageOutOfRange(page, pages, "homes and services", homesPage), { status: 404 });
  return { homes, total, page, pages, isProvider, organisationName: actor.organisationName };
}

const homesPage = (page: number) => `/homes?page=${page}`;

export default function Homes() {
  const { homes, total, page, pages, isProvider, organisationName } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="govuk-heading-l">{isProvider ? `${organisationName}: homes and services` : "Homes and services"}</h1>
      <HomesTable homes={homes} caption={`${total} homes and services${pages > 1 ? `, page ${page} of ${pages}` : ""}`} showProvider={!isProvider} />
      <Pagination page={page} pages={pages} href={homesPage} />
    </>
  );
}
