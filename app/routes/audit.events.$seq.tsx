import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { AuditEventDetails } from "#app/components/audit";
import { BackLink } from "#app/components/govuk";
import { recordNames } from "#app/modules/audit/record-titles";
import { auditEvent } from "#app/modules/audit/trail";
import { referencedRecords } from "#app/modules/audit/wording";
import { auditEventDetails } from "#app/web/audit-event.server";
import { authorise, notFound } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageMeta(data ? `Event ${data.event.seq}: ${data.event.actionLabel}` : "Audit event");

const eventParams = z.object({ seq: z.string().regex(/^[1-9]\d{0,14}$/).transform(Number) });

/**
 * One event of the audit trail in full: every record it names (the trail
 * lists the first few and links here for the rest, decision 034), what
 * changed in words, and the exact stored record.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  authorise(request, portal, "audit.browse");
  const parsed = eventParams.safeParse(params);
  if (!parsed.success) throw notFound();
  const event = await auditEvent(portal.db, parsed.data.seq);
  if (!event) throw notFound();
  const names = await recordNames(portal.db, referencedRecords([event]));
  return { event: auditEventDetails(event, names) };
}

export default function AuditEventPage() {
  const { event } = useLoaderData<typeof loader>();
  const count = event.records.length;
  return (
    <>
      <BackLink to="/audit" />
      <span className="govuk-caption-l">Event {event.seq} in the audit trail</span>
      <h1 className="govuk-heading-l">{event.actionLabel}</h1>
      <p className="govuk-body">{event.summary}</p>
      {count > 1 ? (
        <p className="govuk-body">
          It is about {count} records, all listed below. Each links to that record's history.
        </p>
      ) : null}
      <ul className="govuk-list">
        <li>
          {/* The trail's page that starts with this event. */}
          <Link className="govuk-link" to={`/audit?before=${event.seq + 1}`}>
            Show this event in the audit trail
          </Link>
        </li>
      </ul>
      <div className="portal-audit-history">
        <AuditEventDetails event={event} recordsLabel="Records" changesHeading="h2" />
      </div>
    </>
  );
}
