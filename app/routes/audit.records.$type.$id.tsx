import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink } from "#app/components/govuk";
import { recordTitle } from "#app/modules/audit/record-titles";
import { recordHistory, SYSTEM_ACTOR } from "#app/modules/audit/trail";
import { authorise } from "#app/web/guard.server";
import { ukDateTime } from "#app/web/format";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `History of ${data?.title ?? "a record"} – Children's Placements Portal` }];

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
  return {
    subject: subject.data,
    title: await recordTitle(portal.db, subject.data),
    events: events.map((e) => ({
      seq: e.seq,
      occurredAt: e.occurredAt.toISOString(),
      person: e.actor ? `${e.actor.name}${e.actor.organisationName ? `, ${e.actor.organisationName}` : ""}` : SYSTEM_ACTOR,
      actionLabel: e.actionLabel,
      summary: e.summary,
      reason: e.reason,
      before: e.before === null ? null : JSON.stringify(e.before, null, 2),
      after: e.after === null ? null : JSON.stringify(e.after, null, 2),
      hash: e.hash,
      requestId: e.requestId,
      clientAddress: e.clientAddress,
    })),
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
        <a className="govuk-link" href={`/audit/records/${encodeURIComponent(subject.type)}/${encodeURIComponent(subject.id)}.pdf`}>
          Download the audit extract (PDF)
        </a>{" "}
        ·{" "}
        <Link className="govuk-link" to={`/audit?subjectType=${encodeURIComponent(subject.type)}&subjectId=${encodeURIComponent(subject.id)}`}>
          Filter the trail to this record
        </Link>
      </p>
      <ol className="govuk-list">
        {events.map((e) => (
          <li key={e.seq} className="govuk-!-margin-bottom-6">
            <h2 className="govuk-heading-s govuk-!-margin-bottom-1">
              {e.actionLabel} <span className="govuk-caption-m">event {e.seq}</span>
            </h2>
            <p className="govuk-body govuk-!-margin-bottom-1">{e.summary}</p>
            <dl className="govuk-summary-list govuk-summary-list--no-border govuk-!-margin-bottom-0">
              <div className="govuk-summary-list__row">
                <dt className="govuk-summary-list__key">When</dt>
                <dd className="govuk-summary-list__value">{ukDateTime(e.occurredAt)}</dd>
              </div>
              <div className="govuk-summary-list__row">
                <dt className="govuk-summary-list__key">Who</dt>
                <dd className="govuk-summary-list__value">{e.person}</dd>
              </div>
              {e.reason ? (
                <div className="govuk-summary-list__row">
                  <dt className="govuk-summary-list__key">Reason</dt>
                  <dd className="govuk-summary-list__value">{e.reason}</dd>
                </div>
              ) : null}
              {e.before ? (
                <div className="govuk-summary-list__row">
                  <dt className="govuk-summary-list__key">Before</dt>
                  <dd className="govuk-summary-list__value">
                    <pre className="portal-hash">{e.before}</pre>
                  </dd>
                </div>
              ) : null}
              {e.after ? (
                <div className="govuk-summary-list__row">
                  <dt className="govuk-summary-list__key">After</dt>
                  <dd className="govuk-summary-list__value">
                    <pre className="portal-hash">{e.after}</pre>
                  </dd>
                </div>
              ) : null}
              <div className="govuk-summary-list__row">
                <dt className="govuk-summary-list__key">Request</dt>
                <dd className="govuk-summary-list__value">
                  {e.requestId ?? "none"} from {e.clientAddress ?? "the portal itself"}
                </dd>
              </div>
              <div className="govuk-summary-list__row">
                <dt className="govuk-summary-list__key">Hash</dt>
                <dd className="govuk-summary-list__value portal-hash">{e.hash}</dd>
              </div>
            </dl>
          </li>
        ))}
      </ol>
    </>
  );
}
