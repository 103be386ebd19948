import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BackLink, SummaryList, Table } from "#app/components/govuk";
import { homeMarketView } from "#app/components/market/home-market.server";
import { CurrentSuspension, HomeMarket } from "#app/components/market/HomeMarket";
import { weeklyFeeView } from "#app/modules/homes/fees";
import { getHome } from "#app/modules/homes/homes";
import { allowed } from "#app/policy/policy";
import { authorise, notFound, requireActor } from "#app/web/guard.server";
import { pounds, ukDate, ukDateTime } from "#app/web/format";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data?.home.name ?? "Home");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  requireActor(request, portal);
  const home = await getHome(portal.db, params.homeId ?? "");
  if (!home) throw notFound();
  const actor = authorise(request, portal, "home.view", { kind: "home", organisationId: home.organisationId });
  const [market, fees] = await Promise.all([homeMarketView(portal.db, home, actor), weeklyFeeView(portal.db, home.id, new Date())]);
  return {
    market,
    fees: {
      current: fees.current ? { pence: fees.current.weeklyFeePence, from: fees.current.effectiveFrom } : null,
      upcoming: fees.upcoming.map((f) => ({ pence: f.weeklyFeePence, from: f.effectiveFrom })),
      history: fees.history.map((f) => ({ ...f, recordedAt: f.recordedAt.toISOString() })),
      canSet: allowed(actor, "home.setWeeklyFee", { kind: "home", organisationId: home.organisationId }),
    },
    home: {
      ...home,
      createdAt: home.createdAt.toISOString(),
      updatedAt: home.updatedAt.toISOString(),
      judgements: home.judgements.map((j) => ({ ...j, recordedAt: j.recordedAt.toISOString() })),
    },
  };
}

export default function HomeDetail() {
  const { home, market, fees } = useLoaderData<typeof loader>();
  const feeText = [
    fees.current ? `${pounds(fees.current.pence)} a week (from ${ukDate(fees.current.from)})` : "Fee not recorded",
    ...fees.upcoming.map((u) => `${pounds(u.pence)} a week from ${ukDate(u.from)}`),
  ].join("; then ");
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
          {
            key: "Weekly fee",
            value: feeText,
            action: fees.canSet ? { href: `/homes/${home.id}/weekly-fee`, label: fees.current || fees.upcoming.length ? "Change" : "Add", hidden: "weekly fee" } : undefined,
          },
        ]}
      />
      <HomeMarket homeId={home.id} homeName={home.name} view={market} />
      {fees.history.length ? (
        <Table
          caption="Weekly fee history"
          rows={fees.history}
          rowKey={(f) => String(f.id)}
          columns={[
            { header: "Applies from", cell: (f) => ukDate(f.effectiveFrom) },
            { header: "Weekly fee", cell: (f) => (f.replaced ? `${pounds(f.weeklyFeePence)} (corrected by a later record)` : pounds(f.weeklyFeePence)) },
            { header: "Recorded", cell: (f) => `${ukDateTime(f.recordedAt)}${f.recordedBy ? ` by ${f.recordedBy}` : ""}` },
            { header: "Reason", cell: (f) => f.reason ?? "None given" },
          ]}
        />
      ) : null}
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
