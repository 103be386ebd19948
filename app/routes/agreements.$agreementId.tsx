import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BackLink, SummaryList, Table } from "#app/components/govuk";
import { AGREEMENT_STATUS_LABELS, getAgreement } from "#app/modules/agreements/agreements";
import { authorise } from "#app/web/guard.server";
import { pounds, poundsShort, ukDate } from "#app/web/format";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data?.agreement.title ?? "Agreement");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  authorise(request, context.portal, "agreement.view");
  const agreement = await getAgreement(context.portal.db, params.agreementId ?? "");
  if (!agreement) throw new Response("Page not found", { status: 404 });
  return { agreement: { ...agreement, createdAt: agreement.createdAt.toISOString(), updatedAt: agreement.updatedAt.toISOString() } };
}

export default function AgreementDetail() {
  const { agreement: a } = useLoaderData<typeof loader>();
  return (
    <>
      <BackLink to="/agreements" />
      <span className="govuk-caption-l">
        {a.reference} · {a.kindLabel}
      </span>
      <h1 className="govuk-heading-l">{a.title}</h1>
      {a.description ? <p className="govuk-body">{a.description}</p> : null}
      <SummaryList
        rows={[
          { key: "Kind", value: a.kindLabel },
          { key: "Status", value: AGREEMENT_STATUS_LABELS[a.status] },
          { key: "Term", value: `${ukDate(a.termStart)} to ${ukDate(a.termEnd)}` },
          { key: "Estimated value", value: `${pounds(a.estimatedValuePence, { whole: true })} (${poundsShort(a.estimatedValuePence)})` },
          { key: "Price basis", value: a.priceBasis },
          { key: "Lead council", value: a.leadCouncilName },
          ...(a.consortiumName ? [{ key: "Consortium", value: a.consortiumName }] : []),
          {
            key: "Participating councils",
            value: (
              <ul className="govuk-list">
                {a.participatingCouncils.map((c) => (
                  <li key={c.id}>
                    {c.name}
                    {c.isLead ? " (lead)" : ""}
                  </li>
                ))}
              </ul>
            ),
          },
        ]}
      />
      <Table
        caption="Lots"
        rows={a.lots}
        rowKey={(lot) => lot.id}
        columns={[
          { header: "Lot", cell: (lot) => `${lot.number}. ${lot.title}` },
          { header: "Description", cell: (lot) => lot.description },
          { header: "Estimated value", cell: (lot) => (lot.estimatedValuePence === null ? "Not set" : poundsShort(lot.estimatedValuePence)), numeric: true },
        ]}
      />
    </>
  );
}
