import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Who } from "#app/components/audit";
import { BackLink, SummaryList } from "#app/components/govuk";
import { tenderFor } from "#app/components/tendering/load.server";
import { recordNames } from "#app/modules/audit/record-titles";
import { changeText, describeActor, describeChange, historyPath, referencedRecords } from "#app/modules/audit/wording";
import { tenderHistory } from "#app/modules/tendering/tenders";
import { allowed } from "#app/policy/policy";
import { ukDateTime } from "#app/web/format";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `History of ${data.title}` : "Tender history");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const { view, actor } = await tenderFor(request, portal, params.tenderId, "tender.history");
  const events = await tenderHistory(portal.db, view.tender.id);
  const names = await recordNames(portal.db, referencedRecords(events));
  return {
    id: view.tender.id,
    title: view.tender.title,
    // The full record, with each event's hash, is in the audit trail for those who may browse it.
    auditPath: allowed(actor, "audit.browse") ? historyPath({ type: "tender", id: view.tender.id }) : null,
    events: events.map((e) => ({
      seq: e.seq,
      at: ukDateTime(e.occurredAt),
      who: describeActor(e),
      actionLabel: e.actionLabel,
      summary: e.summary,
      reason: e.reason,
      changes: describeChange(e, names).map((c) => ({ label: c.label, text: changeText(c) })),
    })),
  };
}

export default function TenderHistory() {
  const { id, title, auditPath, events } = useLoaderData<typeof loader>();
  return (
    <>
      <BackLink to={`/tenders/${id}`}>Back to the tender</BackLink>
      <span className="govuk-caption-l">{title}</span>
      <h1 className="govuk-heading-l">History of the tender</h1>
      <p className="govuk-body">
        Everything done to this tender, oldest first, from the audit trail ({events.length} {events.length === 1 ? "event" : "events"}). Times are UK
        time.
        {auditPath ? (
          <>
            {" "}
            <a className="govuk-link" href={auditPath}>
              See these events with their full audit record
            </a>
            .
          </>
        ) : null}
      </p>
      <ol className="govuk-list portal-audit-history">
        {events.map((e) => (
          <li key={e.seq} className="govuk-!-margin-bottom-6">
            <h2 className="govuk-heading-m govuk-!-margin-bottom-1">{e.actionLabel}</h2>
            <p className="govuk-body govuk-!-margin-bottom-2">{e.summary}</p>
            <SummaryList
              rows={[
                { key: "When", value: e.at },
                { key: "Who", value: <Who who={e.who} /> },
                ...(e.reason ? [{ key: "Reason given", value: e.reason }] : []),
              ]}
            />
            {e.changes.length > 0 ? (
              <ul className="govuk-list govuk-list--bullet govuk-!-font-size-16">
                {e.changes.map((c) => (
                  <li key={c.label}>
                    {c.label}: {c.text}
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ol>
    </>
  );
}
