// What waits on the Chief Officer and the Portfolio Holder: award
// recommendations to consult on or decide, oldest first.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Table } from "#app/components/govuk";
import { awaitingDecisions } from "#app/modules/awards/decisions";
import { pounds, ukDateTime } from "#app/web/format";
import { authorise } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction = () => pageMeta("Award decisions");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = authorise(request, context.portal, "award.listWaiting");
  const waiting = await awaitingDecisions(context.portal.db, actor);
  return {
    waiting: waiting.map((w) => ({
      id: w.recommendationId,
      tenderTitle: w.tenderTitle,
      value: pounds(w.valuePence, { whole: w.valuePence % 100 === 0 }),
      submitted: `${ukDateTime(w.submittedAt)} by ${w.submittedBy}`,
      step: w.step,
      yours: w.yours,
      barred: w.barredBecause,
    })),
  };
}

export default function Decisions() {
  const { waiting } = useLoaderData<typeof loader>();
  const yours = waiting.filter((w) => w.yours);
  const others = waiting.filter((w) => !w.yours);
  const columns = [
    { header: "Tender", cell: (w: (typeof waiting)[number]) => <Link className="govuk-link" to={`/decisions/${w.id}`}>{w.tenderTitle}</Link> },
    { header: "Value", cell: (w: (typeof waiting)[number]) => w.value, numeric: true },
    { header: "Submitted", cell: (w: (typeof waiting)[number]) => w.submitted },
    {
      header: "Waiting for",
      cell: (w: (typeof waiting)[number]) => (w.step === "consultation" ? "The Portfolio Holder's consultation response" : "The Chief Officer's decision"),
    },
  ];
  return (
    <>
      <h1 className="govuk-heading-l">Award decisions</h1>
      <h2 className="govuk-heading-m">Waiting for you</h2>
      {yours.length ? (
        <Table caption={<span className="govuk-visually-hidden">Award recommendations waiting for you</span>} columns={columns} rows={yours} rowKey={(w) => w.id} />
      ) : (
        <p className="govuk-body">Nothing is waiting for you.</p>
      )}
      {others.length ? (
        <>
          <h2 className="govuk-heading-m">Waiting for someone else</h2>
          <Table
            caption={<span className="govuk-visually-hidden">Award recommendations waiting for someone else</span>}
            columns={[...columns, { header: "Why not you", cell: (w) => (w.barred.length ? `You cannot take part: ${w.barred.join(" and ")}` : "Another role acts next") }]}
            rows={others}
            rowKey={(w) => w.id}
          />
        </>
      ) : null}
    </>
  );
}
