// The contract award notice, public like the tender itself: anyone, signed in
// or not, may read it once it is published (no notice: not found).
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { AwardNoticeDetails } from "#app/components/awards/AwardNotice";
import { BackLink } from "#app/components/govuk";
import { readableTender } from "#app/components/tendering/load.server";
import { noticeForTender } from "#app/modules/awards/award-notice";
import { noticeView } from "#app/web/award-notice.server";
import { notFound } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `Contract award notice: ${data.notice.tenderTitle}` : "Contract award notice");

export async function loader({ params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const view = await readableTender(portal, params.tenderId);
  const notice = await noticeForTender(portal.db, view.tender.id);
  if (!notice) throw notFound();
  return { tenderId: view.tender.id, notice: noticeView(notice) };
}

export default function AwardNoticePage() {
  const { tenderId, notice } = useLoaderData<typeof loader>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`/tenders/${tenderId}`}>Back to the tender</BackLink>
        <span className="govuk-caption-l">{notice.tenderTitle}</span>
        <h1 className="govuk-heading-l">Contract award notice</h1>
        <p className="govuk-body">
          {notice.contractingAuthority} has decided to award the contracts below.{" "}
          {notice.hasStandstill ? "They are not entered into until standstill has ended and any challenge is resolved." : "No standstill applies, so they may be entered into now."}
        </p>
        <AwardNoticeDetails notice={notice} />
      </div>
    </div>
  );
}
