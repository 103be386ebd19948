import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Table, Tag } from "#app/components/govuk";
import { declineReasons } from "#app/modules/placements/offers";
import { listCouncilRequests, listReceivedRequests, REQUEST_STATUS_LABELS } from "#app/modules/placements/requests";
import { allowed } from "#app/policy/policy";
import { ukDate, ukDateTime } from "#app/web/format";
import { authorise } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";
import type { PlacementRequestStatus } from "#app/database/schema";

export const meta: MetaFunction = () => pageMeta("Placement requests");

const STATUS_COLOURS: Record<PlacementRequestStatus, "blue" | "green" | "grey" | "orange"> = { open: "blue", placed: "green", withdrawn: "grey", closed: "orange" };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const actor = authorise(request, portal, "placementRequest.list");
  if (actor.organisationKind === "provider") {
    const received = await listReceivedRequests(portal.db, actor.organisationId);
    return {
      view: "provider" as const,
      requests: received.map((r) => ({ ...r, deadline: r.deadline.toISOString(), createdAt: r.createdAt.toISOString() })),
    };
  }
  const [requests, reasons] = await Promise.all([listCouncilRequests(portal.db, actor.organisationId), declineReasons(portal.db, { councilId: actor.organisationId })]);
  return {
    view: "council" as const,
    canCreate: allowed(actor, "placementRequest.create"),
    requests: requests.map((r) => ({ ...r, deadline: r.deadline.toISOString(), createdAt: r.createdAt.toISOString() })),
    reasons: reasons.filter((r) => r.count > 0),
  };
}

function Status({ status }: { status: PlacementRequestStatus }) {
  return <Tag colour={STATUS_COLOURS[status]}>{REQUEST_STATUS_LABELS[status]}</Tag>;
}

export default function PlacementRequests() {
  const data = useLoaderData<typeof loader>();
  if (data.view === "provider") {
    return (
      <>
        <h1 className="govuk-heading-l">Placement requests</h1>
        <p className="govuk-body">Requests councils have sent to your homes because they match the home's Statement of Purpose, vacancy and location. Offer or decline for each home.</p>
        {data.requests.length === 0 ? (
          <p className="govuk-body">No requests have been sent to your homes yet.</p>
        ) : (
          <Table
            caption="Requests sent to your homes"
            rows={data.requests}
            rowKey={(r) => r.id}
            columns={[
              { header: "Child reference", cell: (r) => <Link className="govuk-link" to={`/placement-requests/received/${r.id}`}>{r.childReference}</Link> },
              { header: "Council", cell: (r) => r.councilName },
              { header: "Your homes", cell: (r) => r.homes.map((h) => `${h.homeName}: ${h.response === "offer" ? "offered" : h.response === "decline" ? "declined" : "no answer yet"}`).join("; ") },
              { header: "Starts", cell: (r) => ukDate(r.startOn) },
              { header: "Answer by", cell: (r) => ukDateTime(r.deadline) },
              { header: "Status", cell: (r) => <Status status={r.status} /> },
            ]}
          />
        )}
      </>
    );
  }
  return (
    <>
      <h1 className="govuk-heading-l">Placement requests</h1>
      <p className="govuk-body">Each request goes only to the homes that can meet it. Providers offer or decline; you compare the offers and accept one.</p>
      <p className="govuk-body">
        <Link className="govuk-link" to="/placements">
          Your council&apos;s placements
        </Link>
        : see each one, or end it.
      </p>
      {data.canCreate ? (
        <Link to="/placement-requests/new" className="govuk-button" data-module="govuk-button">
          Send a placement request
        </Link>
      ) : null}
      {data.requests.length === 0 ? (
        <p className="govuk-body">Your council has not sent any placement requests yet.</p>
      ) : (
        <Table
          caption="Your council's requests"
          rows={data.requests}
          rowKey={(r) => r.id}
          columns={[
            { header: "Child reference", cell: (r) => <Link className="govuk-link" to={`/placement-requests/${r.id}`}>{r.childReference}</Link> },
            { header: "Sent", cell: (r) => ukDateTime(r.createdAt) },
            { header: "Starts", cell: (r) => ukDate(r.startOn) },
            { header: "Homes sent to", cell: (r) => String(r.homesSent), numeric: true },
            { header: "Offers", cell: (r) => String(r.offers), numeric: true },
            { header: "Declines", cell: (r) => String(r.declines), numeric: true },
            { header: "Offers by", cell: (r) => ukDateTime(r.deadline) },
            { header: "Status", cell: (r) => <Status status={r.status} /> },
          ]}
        />
      )}
      {data.reasons.length > 0 ? (
        <Table
          caption="Why providers declined, across all requests"
          rows={data.reasons}
          rowKey={(r) => r.reason}
          columns={[
            { header: "Reason", cell: (r) => r.label },
            { header: "Declines", cell: (r) => String(r.count), numeric: true },
          ]}
        />
      ) : null}
    </>
  );
}
