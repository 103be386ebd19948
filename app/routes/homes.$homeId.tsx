import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BackLink, SummaryList, Table } from "#app/components/govuk";
import { homeMarketView } from "#app/components/market/home-market.server";
import { CurrentSuspension, HomeMarket } from "#app/components/market/HomeMarket";
import { getHome } from "#app/modules/homes/homes";
import { authorise, notFound, requireActor } from "#app/web/guard.server";
import { ukDate } from "#app/web/format";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data?.home.name ?? "Home");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  requireActor(request, portal);
  const home = await getHome(portal.db, params.homeId ?? "");
  if (!home) throw notFound();
  const actor = authorise(request, portal, "home.view", { kind: "home", organisationId: home.organisationId });
  return {
    market: await homeMarketView(portal.db, home, actor),
    home: {
      ...home,
      createdAt: home.createdAt.toISOString(),
      updatedAt: home.updatedAt.toISOString(),
      judgements: home.judgements.map((j) => ({ ...j, recordedAt: j.recordedAt.toISOString() })),
    },
  };
}

export default function HomeDetail() {
  const { home, market } = useLoaderData<typeof loader>();
  return (
    <>
      <BackLink to="/homes" />
      <span className="govuk-caption-l">{home.providerName}</span>
      <h1 className="govuk-heading-l">{home.name}</h1>
      <CurrentSuspension view={market} />
      <SummaryList
        rows={[
          { key: "Type", value: home.serviceTypeLabel },
          { key: "Ofsted URN", value: home.ofstedUrn ?? "Not registered" },
          { key: "Registered places", value: String(home.registeredPlaces) },
          { key: "Postcode district", value: home.postcodeDistrict },
          { key: "Latest Ofsted grade", value: home.latestInspectedOn ? `${home.latestGradeLabel} (inspected ${ukDate(home.latestInspectedOn)})` : "Not yet inspected" },
        ]}
      />
      <HomeMarket homeId={home.id} homeName={home.name} view={market} />
      <Table
        caption="Ofsted inspections"
        rows={home.judgements}
        rowKey={(j) => j.id}
        columns={[
          { header: "Inspected", cell: (j) => ukDate(j.inspectedOn) },
          { header: "Overall effectiveness", cell: (j) => j.gradeLabel },
        ]}
      />
    </>
  );
}
