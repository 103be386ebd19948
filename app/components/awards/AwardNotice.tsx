// The contract award notice as the public reads it, and the same words on the
// officer's pages: who awarded what to whom, for how much, and the standstill.
import { SummaryList, Table } from "#app/components/govuk";
import type { NoticeView } from "#app/web/award-notice.server";

export function AwardNoticeDetails({ notice }: { notice: NoticeView }) {
  return (
    <>
      <SummaryList
        rows={[
          { key: "Contracting authority", value: notice.contractingAuthority },
          { key: "Tender", value: notice.tenderTitle },
          { key: "Published", value: notice.publishedAt },
          { key: "Award decision", value: notice.decision },
          { key: "Total value of the award", value: notice.value },
          { key: "Light-touch regime", value: notice.lightTouch },
        ]}
      />
      <Table
        caption="Who is awarded each lot"
        rows={notice.lots}
        rowKey={(l) => l.lotId}
        columns={[
          { header: "Lot", cell: (l) => l.lot },
          { header: "Awarded to", cell: (l) => l.suppliers },
        ]}
      />
      <h2 className="govuk-heading-m">Standstill</h2>
      <p className="govuk-body">{notice.standstillSentence}</p>
      <SummaryList rows={notice.standstillRows} />
    </>
  );
}
