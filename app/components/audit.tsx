// Pieces the audit pages share.
import { Link } from "@remix-run/react";
import type { ActorWords, ChangeRow } from "#app/modules/audit/wording";
import { ukDateTime } from "#app/web/format";

/**
 * Who did it: a person with their organisation on a line of its own (so a
 * screen reader reads them apart), or an attempt with where it came from.
 */
export function Who({ who }: { who: ActorWords }) {
  return (
    <>
      <span className="portal-audit-line">{who.who}</span>
      {who.detail ? <span className="portal-audit-line portal-secondary-text">{who.detail}</span> : null}
    </>
  );
}

/** An audit event in words, as auditEventDetails (app/web/audit-event.server.ts) gives it. */
export interface AuditEventDetailsData {
  seq: number;
  occurredAt: string;
  who: ActorWords;
  actionLabel: string;
  summary: string;
  reason: string | null;
  hadBefore: boolean;
  changes: ChangeRow[];
  origin: { address: string | null; request: string };
  /** The records it names, each linking to its history. */
  records: { href: string; name: string }[];
  json: string;
  hash: string;
}

/**
 * The whole of one event below its heading and summary: when, who, the reason,
 * its records, where it came from, what changed in words, and the exact stored
 * record with its hash for auditors.
 */
export function AuditEventDetails({
  event,
  recordsLabel,
  changesHeading: ChangesHeading,
}: {
  event: AuditEventDetailsData;
  /** "Also about" on a record's history, "Records" on the event's own page. */
  recordsLabel: string;
  changesHeading: "h2" | "h3";
}) {
  const e = event;
  return (
    <>
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
        {e.records.length > 0 ? (
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">{recordsLabel}</dt>
            <dd className="govuk-summary-list__value">
              {e.records.map((r) => (
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
          <ChangesHeading className="govuk-heading-s">{e.hadBefore ? "What changed" : "What was recorded"}</ChangesHeading>
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
    </>
  );
}
