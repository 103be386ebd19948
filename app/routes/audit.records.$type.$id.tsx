import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Who } from "#app/components/audit";
import { BackLink } from "#app/components/govuk";
import { recordNames, recordTitle } from "#app/modules/audit/record-titles";
import { recordHistory, storedEventJson } from "#app/modules/audit/trail";
import { describeActor, describeChange, describeOrigin, historyPath, referencedRecords, subjectName } from "#app/modules/audit/wording";
import { authorise } from "#app/web/guard.server";
import { ukDateTime } from "#app/web/format";

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
    events: events.map((e) => ({
      seq: e.seq,
      occurredAt: e.occurredAt.toISOString(),
      who: describeActor(e),
      actionLabel: e.actionLabel,
      summary: e.summary,
      reason: e.reason,
      hadBefore: e.before !== null,
      changes: describeChange(e, names),
      origin: describeOrigin(e),
      otherRecords: e.subjects
        .filter((s) => s.type !== subject.data.type || s.id !== subject.data.id)
        .map((s) => ({ href: historyPath(s), name: subjectName(s, names) })),
      json: storedEventJson(e),
      hash: e.hash,
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
            <dl className="govuk-summary-list">
              <div className="govuk-summary-list__row">
                <dt className="govuk-summary-list__key">When</dt>
                <dd className="govuk-summary-list__value">{ukDateTime(e.occurredAt)}</dd>
              </div>
              <div className="govuk-summary-list__row">
                <dt className="govuk-summary-list__key">Who</dt>
                <dd className="govuk-summary-list__value">
                  <Who who={e.who} />
                </dd>
              </div>
              {e.reason ? (
                <div className="govuk-summary-list__row">
                  <dt className="govuk-summary-list__key">Reason given</dt>
                  <dd className="govuk-summary-list__value">{e.reason}</dd>
                </div>
              ) : null}
              {e.otherRecords.length > 0 ? (
                <div className="govuk-summary-list__row">
                  <dt className="govuk-summary-list__key">Also about</dt>
                  <dd className="govuk-summary-list__value">
                    {e.otherRecords.map((r) => (
                      <span className="portal-audit-line" key={r.href}>
                        <Link className="govuk-link" to={r.href}>
                          <span className="govuk-visually-hidden">History of </span>
                          {r.name}
                        </Link>
                      </span>
                    ))}
                  </dd>
                </div>
              ) : null}
              <div className="govuk-summary-list__row">
                <dt className="govuk-summary-list__key">Came from</dt>
                <dd className="govuk-summary-list__value">
                  {e.origin.address ? <span className="portal-audit-line">{e.origin.address}</span> : null}
                  <span className="portal-audit-line">{e.origin.request}</span>
                </dd>
              </div>
            </dl>
            {e.changes.length > 0 ? (
              <>
                <h3 className="govuk-heading-s">{e.hadBefore ? "What changed" : "What was recorded"}</h3>
                <dl className="govuk-summary-list">
                  {e.changes.map((c) => (
                    <div className="govuk-summary-list__row" key={c.field}>
                      <dt className="govuk-summary-list__key">{c.label}</dt>
                      <dd className="govuk-summary-list__value">
                        {e.hadBefore ? (
                          <>
                            <span className="portal-audit-line">Before: {c.before ?? "Not recorded"}</span>
                            <span className="portal-audit-line">After: {c.after ?? "Not recorded"}</span>
                          </>
                        ) : (
                          c.after
                        )}
                      </dd>
                    </div>
                  ))}
                </dl>
              </>
            ) : null}
            <details className="govuk-details govuk-!-margin-bottom-0">
              <summary className="govuk-details__summary">
                <span className="govuk-details__summary-text">
                  Exact record (JSON)
                  <span className="govuk-visually-hidden"> of event {e.seq}</span>
                </span>
              </summary>
              <div className="govuk-details__text">
                <p className="govuk-body-s">As stored in the audit trail. Its hash covers it and the hash of the event before:</p>
                <pre className="portal-audit-json">{e.json}</pre>
                <p className="govuk-body-s govuk-!-margin-bottom-0">
                  Hash: <span className="portal-hash">{e.hash}</span>
                </p>
              </div>
            </details>
          </li>
        ))}
      </ol>
    </>
  );
}
