// The contract award notice, public like the tender itself: anyone, signed in
// or not, may read it once it is published (no notice: not found). A notice
// withdrawn after a challenge upheld for re-evaluation says so, with the date
// and the reason; once a new notice is published it stands first and the
// withdrawn one stays on the page below it (decision 037).
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { AwardNoticeDetails } from "#app/components/awards/AwardNotice";
import { BackLink } from "#app/components/govuk";
import { readableTender } from "#app/components/tendering/load.server";
import { noticesForTender } from "#app/modules/awards/award-notice";
import { supersessionOfNotice, withdrawalSentence } from "#app/modules/awards/reevaluation";
import { longDate, ukDate } from "#app/modules/common/input";
import { noticeView } from "#app/web/award-notice.server";
import { notFound } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `Contract award notice: ${data.notice.tenderTitle}` : "Contract award notice");

export async function loader({ params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const view = await readableTender(portal, params.tenderId);
  const notices = await noticesForTender(portal.db, view.tender.id);
  if (notices.length === 0) throw notFound();
  const shown = await Promise.all(
    notices.map(async (n) => {
      const s = await supersessionOfNotice(portal.db, n.id);
      return { notice: noticeView(n), withdrawn: s ? { on: longDate(ukDate(s.supersededAt)), reason: withdrawalSentence(s) } : null };
    }),
  );
  const latest = shown.at(-1)!;
  return { tenderId: view.tender.id, notice: latest.notice, withdrawn: latest.withdrawn, earlier: shown.slice(0, -1).reverse() };
}

export default function AwardNoticePage() {
  const { tenderId, notice, withdrawn, earlier } = useLoaderData<typeof loader>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`/tenders/${tenderId}`}>Back to the tender</BackLink>
        <span className="govuk-caption-l">{notice.tenderTitle}</span>
        <h1 className="govuk-heading-l">Contract award notice</h1>
        {withdrawn ? (
          <>
            <div className="govuk-warning-text">
              <span className="govuk-warning-text__icon" aria-hidden="true">
                !
              </span>
              <strong className="govuk-warning-text__text">
                <span className="govuk-visually-hidden">Warning</span>
                This notice was withdrawn on {withdrawn.on}. No contract will be entered into under it.
              </strong>
            </div>
            <p className="govuk-body">{withdrawn.reason}</p>
            <p className="govuk-body">The bids are being re-evaluated. A new award notice, with a new standstill period, will be published on this page.</p>
            <h2 className="govuk-heading-m">The notice as it was published</h2>
          </>
        ) : (
          <p className="govuk-body">
            {notice.contractingAuthority} has decided to award the contracts below.{" "}
            {notice.hasStandstill ? "They are not entered into until standstill has ended and any challenge is resolved." : "No standstill applies, so they may be entered into now."}
          </p>
        )}
        <AwardNoticeDetails notice={notice} />
        {earlier.length > 0 ? (
          <section aria-labelledby="earlier-notices">
            <h2 className="govuk-heading-m" id="earlier-notices">
              {earlier.length === 1 ? "An earlier notice, withdrawn" : "Earlier notices, withdrawn"}
            </h2>
            {earlier.map((e) => (
              <details className="govuk-details" key={e.notice.publishedAt}>
                <summary className="govuk-details__summary">
                  <span className="govuk-details__summary-text">
                    Published {e.notice.publishedAt}
                    {e.withdrawn ? `, withdrawn on ${e.withdrawn.on}` : ""}
                  </span>
                </summary>
                <div className="govuk-details__text">
                  {e.withdrawn ? <p className="govuk-body">{e.withdrawn.reason}</p> : null}
                  <AwardNoticeDetails notice={e.notice} />
                </div>
              </details>
            ))}
          </section>
        ) : null}
      </div>
    </div>
  );
}
