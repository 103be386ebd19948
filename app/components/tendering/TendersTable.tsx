// The /tenders list's table: each tender's status, procedure, key dates in
// UK time, lots and estimated value. Rows come in words (tender-row.server.ts).
import { Table } from "#app/components/govuk";
import { TenderStatusTag } from "./fields";
import type { TenderRow } from "./tender-row.server";

export function TendersTable({ caption, rows }: { caption: string; rows: TenderRow[] }) {
  return (
    <Table
      caption={caption}
      rows={rows}
      rowKey={(t) => t.id}
      columns={[
        {
          header: "Tender",
          cell: (t) => (
            <>
              <a className="govuk-link govuk-!-font-weight-bold" href={`/tenders/${t.id}`}>
                {t.title}
              </a>
              <span className="portal-audit-line portal-secondary-text">{t.agreement}</span>
              <span className="portal-audit-line">
                <TenderStatusTag status={t.status} open={t.open} />
              </span>
            </>
          ),
        },
        { header: "Procedure", cell: (t) => t.procedure },
        {
          header: "Key dates (UK time)",
          cell: (t) =>
            t.dates.length === 0 ? (
              "Not set yet"
            ) : (
              <ul className="govuk-list govuk-!-font-size-16 govuk-!-margin-bottom-0">
                {t.dates.map((d) => (
                  <li key={d.label}>
                    {d.label}: {d.value}
                  </li>
                ))}
              </ul>
            ),
        },
        {
          header: "Lots",
          cell: (t) =>
            t.lots.length === 0 ? (
              "None chosen yet"
            ) : (
              <ul className="govuk-list govuk-!-font-size-16 govuk-!-margin-bottom-0">
                {t.lots.map((l) => (
                  <li key={l}>{l}</li>
                ))}
              </ul>
            ),
        },
        { header: "Estimated value", cell: (t) => t.value, numeric: true },
      ]}
    />
  );
}
