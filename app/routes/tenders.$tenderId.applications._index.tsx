// The officers' view of a dynamic market: every submitted application, those
// waiting for a decision first, the members of each lot (no cap: everyone
// admitted is a member), and the way to start a call-off competition.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BackLink, Table, Tag } from "#app/components/govuk";
import { APPLICATION_STATUS_LABELS, marketApplications, marketCallOffs, marketMembers, marketOpen } from "#app/modules/tendering/dynamic-markets";
import { TENDER_STATUS_LABELS } from "#app/modules/tendering/tenders";
import { tenderThing } from "#app/modules/tendering/tenders";
import { allowed } from "#app/policy/policy";
import { ukDateTime } from "#app/web/format";
import { pageMeta } from "#app/web/page-title";
import { applicationsPath } from "#app/web/market-paths";
import { marketForOfficers } from "./tenders.$tenderId.applications.server";

export const meta: MetaFunction = () => pageMeta("Applications and members");

const STATUS_COLOUR = { draft: "grey", submitted: "blue", admitted: "green", refused: "red" } as const;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const { view, actor } = await marketForOfficers(request, portal, params.tenderId, "market.viewApplications");
  const [applications, members, callOffs] = await Promise.all([
    marketApplications(portal.db, view.tender.id),
    marketMembers(portal.db, view.tender.id),
    marketCallOffs(portal.db, view.tender.id),
  ]);
  const lotName = (id: string) => {
    const lot = view.lots.find((l) => l.id === id);
    return lot ? `Lot ${lot.number}` : "";
  };
  return {
    tender: { id: view.tender.id, title: view.tender.title },
    mayStartCallOff: allowed(actor, "market.startCallOff", tenderThing(view)) && marketOpen(view.tender, new Date()),
    applications: applications.map((a) => ({
      id: a.id,
      organisation: a.organisationName,
      number: a.number,
      lots: a.lotIds.map(lotName).join(", "),
      submittedAt: a.submittedAt ? ukDateTime(a.submittedAt) : "",
      status: a.status,
      statusLabel: APPLICATION_STATUS_LABELS[a.status],
    })),
    callOffs: callOffs.map((c) => ({ id: c.id, title: c.title, lot: `Lot ${c.lotNumber}`, status: TENDER_STATUS_LABELS[c.status] })),
    pending: applications.filter((a) => a.status === "submitted").length,
    members: members.map((l) => ({
      id: l.lot.id,
      name: `Lot ${l.lot.number}: ${l.lot.title}`,
      members: l.members.map((m) => ({ name: m.name, admitted: `${ukDateTime(m.admittedAt)}${m.admittedBy ? ` by ${m.admittedBy}` : ""}` })),
    })),
  };
}

export default function MarketApplications() {
  const { tender, mayStartCallOff, applications, pending, members, callOffs } = useLoaderData<typeof loader>();
  return (
    <>
      <BackLink to={`/tenders/${tender.id}`}>Back to the market</BackLink>
      <span className="govuk-caption-l">{tender.title}</span>
      <h1 className="govuk-heading-l">Applications and members</h1>
      <p className="govuk-body">
        {pending === 0 ? "No application is waiting for a decision." : `${pending} ${pending === 1 ? "application is" : "applications are"} waiting for a decision.`} Every provider that
        meets the conditions is admitted: membership has no limit.
      </p>
      {applications.length === 0 ? (
        <>
          <h2 className="govuk-heading-m">Applications</h2>
          <p className="govuk-body">No provider has applied yet.</p>
        </>
      ) : (
        <Table
          caption="Applications"
          rows={applications}
          rowKey={(a) => a.id}
          columns={[
            {
              header: "Provider",
              cell: (a) => (
                <Link className="govuk-link" to={applicationsPath(tender.id, `/${a.id}`)}>
                  {a.organisation}
                  {a.number > 1 ? `, application ${a.number}` : ""}
                </Link>
              ),
            },
            { header: "Lots", cell: (a) => a.lots },
            { header: "Submitted", cell: (a) => a.submittedAt },
            { header: "Status", cell: (a) => <Tag colour={STATUS_COLOUR[a.status]}>{a.statusLabel}</Tag> },
          ]}
        />
      )}
      <h2 className="govuk-heading-m">Members</h2>
      {members.map((l) => (
        <section key={l.id} aria-labelledby={`lot-${l.id}`}>
          <h3 className="govuk-heading-s" id={`lot-${l.id}`}>
            {l.name}
          </h3>
          {l.members.length === 0 ? (
            <p className="govuk-body">No members yet.</p>
          ) : (
            <ul className="govuk-list govuk-list--bullet">
              {l.members.map((m) => (
                <li key={m.name}>
                  {m.name} <span className="govuk-hint govuk-!-display-inline">(admitted {m.admitted})</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
      <h2 className="govuk-heading-m">Call-off competitions</h2>
      <p className="govuk-body">A call-off competition is a tender open only to the members of one lot of this market.</p>
      {callOffs.length > 0 ? (
        <ul className="govuk-list govuk-list--bullet">
          {callOffs.map((c) => (
            <li key={c.id}>
              <Link className="govuk-link" to={`/tenders/${c.id}`}>
                {c.title}
              </Link>{" "}
              ({c.lot}, {c.status.toLowerCase()})
            </li>
          ))}
        </ul>
      ) : (
        <p className="govuk-body">None has been started yet.</p>
      )}
      {mayStartCallOff ? (
        <>
          <p className="govuk-body">
            <Link className="govuk-link" to={applicationsPath(tender.id, "/call-off")}>
              Start a call-off competition
            </Link>
          </p>
        </>
      ) : null}
    </>
  );
}
