import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BackLink, Table } from "#app/components/govuk";
import { ukDate as ukToday } from "#app/modules/common/input";
import { listPlacements } from "#app/modules/placements/placements";
import { pounds, ukDate } from "#app/web/format";
import { authorise } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction = () => pageMeta("Placements");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const actor = authorise(request, portal, "placement.list");
  const placements = await listPlacements(portal.db, { councilId: actor.organisationId });
  return { placements, today: ukToday(new Date()) };
}

export default function Placements() {
  const { placements, today } = useLoaderData<typeof loader>();
  const inForce = placements.filter((p) => p.endOn === null || p.endOn > today);
  const ended = placements.filter((p) => !(p.endOn === null || p.endOn > today));
  const columns = [
    {
      header: "Child reference",
      cell: (p: (typeof placements)[number]) => (
        <Link className="govuk-link" to={`/placements/${p.id}`}>
          {p.childReference}
        </Link>
      ),
    },
    { header: "Home", cell: (p: (typeof placements)[number]) => `${p.homeName} (${p.providerName})` },
    { header: "Started", cell: (p: (typeof placements)[number]) => ukDate(p.startOn) },
    { header: "Child leaves", cell: (p: (typeof placements)[number]) => (p.endOn ? ukDate(p.endOn) : "Not yet known") },
    { header: "Weekly fee", numeric: true, cell: (p: (typeof placements)[number]) => pounds(p.weeklyFeePence) },
  ];
  return (
    <>
      <BackLink to="/placement-requests">Placement requests</BackLink>
      <h1 className="govuk-heading-l">Placements</h1>
      <p className="govuk-body">
        Your council&apos;s placements, newest first. Open one to see its details or to end it. Placements are made by accepting an offer on a{" "}
        <Link className="govuk-link" to="/placement-requests">
          placement request
        </Link>
        .
      </p>
      {placements.length === 0 ? (
        <p className="govuk-body">Your council has no placements yet.</p>
      ) : (
        <>
          <Table caption={`In force (${inForce.length})`} rows={inForce} rowKey={(p) => p.id} columns={columns} />
          <Table caption={`Ended (${ended.length})`} rows={ended} rowKey={(p) => p.id} columns={columns} />
        </>
      )}
    </>
  );
}
