// The /tenders list: one GOV.UK summary card per tender with its status,
// procedure, key dates in UK time, lots and estimated value. Cards rather
// than a table, so a phone reads each tender down the screen. Rows come in
// words (tender-row.server.ts).
import { TenderStatusTag } from "./fields";
import type { TenderRow } from "./tender-row.server";

function List({ items, empty }: { items: string[]; empty: string }) {
  if (items.length === 0) return <>{empty}</>;
  return (
    <ul className="govuk-list govuk-!-margin-bottom-0">
      {items.map((item) => (
        <li key={item}>{item}</li>
      ))}
    </ul>
  );
}

export function TenderCards({ rows }: { rows: TenderRow[] }) {
  return (
    <>
      {rows.map((t) => (
        <div className="govuk-summary-card" key={t.id}>
          <div className="govuk-summary-card__title-wrapper">
            <h3 className="govuk-summary-card__title">
              <a className="govuk-link" href={`/tenders/${t.id}`}>
                {t.title}
              </a>
            </h3>
          </div>
          <div className="govuk-summary-card__content">
            <dl className="govuk-summary-list">
              {[
                { key: "Status", value: <TenderStatusTag status={t.status} open={t.open} /> },
                { key: "Agreement", value: t.agreement },
                { key: "Procedure", value: t.procedure },
                { key: "Key dates (UK time)", value: <List items={t.dates.map((d) => `${d.label}: ${d.value}`)} empty="Not set yet" /> },
                { key: "Lots", value: <List items={t.lots} empty="None chosen yet" /> },
                { key: "Estimated value", value: t.value },
              ].map((row) => (
                <div className="govuk-summary-list__row" key={row.key}>
                  <dt className="govuk-summary-list__key">{row.key}</dt>
                  <dd className="govuk-summary-list__value">{row.value}</dd>
                </div>
              ))}
            </dl>
          </div>
        </div>
      ))}
    </>
  );
}
