// The receipt for one submitted version, for the provider's own users: the
// time the portal received it, the fingerprint, and everything it contained,
// with the same as a PDF to keep.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BackLink, SummaryList } from "#app/components/govuk";
import { ownSubmission } from "#app/modules/tendering/bids-submission";
import { attachedFileLabel } from "#app/modules/tendering/bids-text";
import { bidPath } from "#app/web/bid-paths";
import { bidRequest } from "#app/web/bids.server";
import { pounds, ukDateTime } from "#app/web/format";
import { notFound } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `Bid receipt, version ${data.number}` : "Bid receipt");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const { actor, view } = await bidRequest(request, portal, params.tenderId);
  const bid = await ownSubmission(portal.db, view.tender.id, Number(params.number), actor);
  if (!bid) throw notFound();
  return {
    tender: { id: view.tender.id, title: view.tender.title, deadline: view.tender.submission_deadline_at ? ukDateTime(view.tender.submission_deadline_at) : "" },
    number: bid.number,
    organisation: bid.organisation.name,
    submittedAt: ukDateTime(bid.submittedAt),
    submittedBy: bid.submittedBy ?? "",
    withdrawnAt: bid.withdrawnAt ? ukDateTime(bid.withdrawnAt) : null,
    fingerprint: bid.fingerprint,
    lots: bid.lots.map((l) => `Lot ${l.number}: ${l.title}`),
    answers: bid.answers.map((a) => ({
      id: a.questionId,
      label: `${a.number} ${a.question}`,
      answer:
        a.kind === "quality" ? a.answerText ?? "Not answered" : a.kind === "pass_fail" ? (a.meetsRequirement ? "Yes" : "No") : a.declared ? "Declared" : "Not declared",
      files: a.files.map((f) => ({ name: attachedFileLabel(f), sha256: f.sha256 })),
    })),
    prices: bid.prices.map((p) => ({ id: p.priceItemId, label: `Lot ${p.lotNumber}: ${p.label}`, amount: `${pounds(p.amountPence)} per ${p.unit}` })),
  };
}

export default function BidReceiptPage() {
  const r = useLoaderData<typeof loader>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={bidPath(r.tender.id)}>Back to your bid</BackLink>
        {r.withdrawnAt ? null : (
          <div className="govuk-panel govuk-panel--confirmation">
            <h1 className="govuk-panel__title">Bid submitted</h1>
            <div className="govuk-panel__body">
              Version {r.number}, received {r.submittedAt}
            </div>
          </div>
        )}
        {r.withdrawnAt ? <h1 className="govuk-heading-l">Bid receipt, version {r.number}</h1> : <h2 className="govuk-heading-l">Your receipt</h2>}
        <p className="govuk-body">
          We have emailed a copy of this receipt to your organisation's users. You can change your bid and submit a new version until {r.tender.deadline}.
        </p>
        <p className="govuk-body">
          <a className="govuk-link" href={bidPath(r.tender.id, `/receipt/${r.number}.pdf`)}>
            Download this receipt as a PDF
          </a>
        </p>
        <SummaryList
          rows={[
            { key: "Tender", value: r.tender.title },
            { key: "Provider", value: r.organisation },
            { key: "Version", value: String(r.number) },
            { key: "Received", value: `${r.submittedAt} (the portal's clock)` },
            { key: "Submitted by", value: r.submittedBy },
            ...(r.withdrawnAt ? [{ key: "Withdrawn", value: r.withdrawnAt }] : []),
            { key: "Lots", value: r.lots.join("; ") },
            { key: "Fingerprint (SHA-256)", value: <span className="portal-hash">{r.fingerprint}</span> },
          ]}
        />
        <details className="govuk-details">
          <summary className="govuk-details__summary">
            <span className="govuk-details__summary-text">What the fingerprint is</span>
          </summary>
          <div className="govuk-details__text">
            The SHA-256 of your bid's answers, prices and each file's own SHA-256, written out in a fixed order. The same bid always gives the same fingerprint and
            any change gives a different one, so you and the council can both prove later exactly what was submitted.
          </div>
        </details>
        <h2 className="govuk-heading-m">Answers</h2>
        <SummaryList
          rows={r.answers.map((a) => ({
            key: a.label,
            value: (
              <>
                <span className="portal-preserve-lines">{a.answer}</span>
                {a.files.map((f) => (
                  <span className="portal-audit-line" key={f.sha256}>
                    File: {f.name} <span className="portal-hash">{f.sha256}</span>
                  </span>
                ))}
              </>
            ),
          }))}
        />
        <h2 className="govuk-heading-m">Prices</h2>
        <SummaryList rows={r.prices.map((p) => ({ key: p.label, value: p.amount }))} />
        <p className="govuk-body">
          <Link className="govuk-link" to={bidPath(r.tender.id)}>
            Return to your bid
          </Link>
        </p>
      </div>
    </div>
  );
}
