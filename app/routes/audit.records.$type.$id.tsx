import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { AuditEventDetails } from "#app/components/audit";
import { BackLink } from "#app/components/govuk";
import { recordNames, recordTitle } from "#app/modules/audit/record-titles";
import { recordHistory } from "#app/modules/audit/trail";
import { historyPath, referencedRecords } from "#app/modules/audit/wording";
import { auditEventDetails } from "#app/web/audit-event.server";
import { authorise } from "#app/web/guard.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: `History of ${data?.title ?? "a record"} – Children's Placements Portal`,
  },
];

export const recordParams = z.object({
  type: z.string().regex(/^[a-z][a-z0-9_]{0,49}$/),
  id: z.string().min(1).max(200),
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  authorise(request, portal, "audit.browse");
  const subject = recordParams.safeParse(params);
  if (!subject.success) throw new Response("Page not found", { status: 404 });
  const events = await recordHistory(portal.db, subject.data);
  if (events.length === 0) throw new Response("Page not found", { status: 404 });
  const names = await recordNames(portal.db, referencedRecords(events));
  return {
    subject: subject.data,
    title: await recordTitle(portal.db, subject.data),
    events: events.map((e) => auditEventDetails(e, names, subject.data)),
  };
}

export default function RecordHistory() {
  const { subject, title, events } = useLoaderData<typeof loader>();
  return (
    <>
      <BackLink to="/audit" />
      <span className="govuk-caption-l">History</span>
      <h1 className="govuk-heading-l">{title}</h1>
      <p className="govuk-body">
        Every event in the audit trail about this record, oldest first ({events.length} {events.length === 1 ? "event" : "events"}).
      </p>
      <ul className="govuk-list">
        <li>
          <a className="govuk-link" href={`${historyPath(subject)}.pdf`}>
            Download the audit extract (PDF)
          </a>
        </li>
        <li>
          <Link
            className="govuk-link"
            to={`/audit?subjectType=${encodeURIComponent(subject.type)}&subjectId=${encodeURIComponent(subject.id)}`}
          >
            Show these events in the audit trail
          </Link>
        </li>
      </ul>
      <ol className="govuk-list portal-audit-history">
        {events.map((e) => (
          <li key={e.seq} className="govuk-!-margin-bottom-8">
            <h2 className="govuk-heading-m govuk-!-margin-bottom-1">{e.actionLabel}</h2>
            <p className="govuk-body-s govuk-!-margin-bottom-2 portal-secondary-text">Event {e.seq} in the audit trail</p>
            <p className="govuk-body">{e.summary}</p>
            <AuditEventDetails event={e} recordsLabel="Also about" changesHeading="h3" />
          </li>
        ))}
      </ol>
    </>
  );
}
