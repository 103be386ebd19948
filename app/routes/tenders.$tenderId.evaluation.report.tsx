// The evaluation report: per lot, each bidder's compliance, its moderated
// and original scores, its price score, total and rank, how price was
// scored and who the lot goes to; then the panel with their declarations.
// For the panel, the tender's officers, and the Chief Officer and Portfolio
// Holder who read it beside the award recommendation.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BackLink, SummaryList, Table, Tag } from "#app/components/govuk";
import { evaluationReport, reportLotsInWords } from "#app/modules/evaluation/report";
import { allowed } from "#app/policy/policy";
import { evaluationTender } from "#app/web/evaluation.server";
import { notFound } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction = () => pageMeta("Evaluation report");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const { tender, actor, thing } = await evaluationTender(request, portal, params.tenderId, "evaluation.report");
  // The Chief Officer and Portfolio Holder read the report but not the evaluation's own pages.
  const back = allowed(actor, "evaluation.view", thing) ? { to: `/tenders/${tender.id}/evaluation`, text: "Back to the evaluation" } : { to: `/tenders/${tender.id}`, text: "Back to the tender" };
  const report = await evaluationReport(portal.db, tender.id, actor);
  if (!report) throw notFound();
  if (!report.ready) return { tender, back, ready: false as const, stage: report.stage, reason: report.reason };
  return {
    tender,
    back,
    ready: true as const,
    bidders: report.bidders,
    panel: report.panel,
    lots: reportLotsInWords(report.lots),
  };
}

export default function EvaluationReportPage() {
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <BackLink to={data.back.to}>{data.back.text}</BackLink>
      <span className="govuk-caption-l">{data.tender.title}</span>
      <h1 className="govuk-heading-l">Evaluation report</h1>
      {!data.ready ? (
        <div className="govuk-inset-text">
          <p className="govuk-body">The evaluation is at the {data.stage.toLowerCase()} stage.</p>
          <p className="govuk-body">{data.reason}</p>
        </div>
      ) : (
        <>
          <p className="govuk-body">
            {data.bidders} {data.bidders === 1 ? "bid was" : "bids were"} evaluated. Quality scores are the moderated scores, each out of its question's weight; every evaluator's
            own score is kept beside it. Points are rounded to the nearest hundredth, halves upwards, and a total is the sum of its rounded parts.
          </p>
          <p className="govuk-body">
            <a className="govuk-link" href={`/tenders/${data.tender.id}/evaluation/report.pdf`}>
              Download the report as a PDF
            </a>
          </p>
          {data.lots.map((lot) => (
            <section key={lot.id} aria-labelledby={`lot-${lot.id}`}>
              <h2 className="govuk-heading-m" id={`lot-${lot.id}`}>
                {lot.name}
              </h2>
              <p className="govuk-body">{lot.priceMethod}</p>
              <p className="govuk-body">{lot.outcomeRule}</p>
              {lot.waitsOnTie ? (
                <div className="govuk-warning-text">
                  <span className="govuk-warning-text__icon" aria-hidden="true">
                    !
                  </span>
                  <strong className="govuk-warning-text__text">
                    <span className="govuk-visually-hidden">Warning</span>
                    Bids are tied on total and quality where it decides who the lot goes to: an officer must record the order.
                  </strong>
                </div>
              ) : null}
              <Table
                caption={`Ranking for ${lot.name}`}
                rowKey={(b) => b.id}
                rows={lot.bids}
                columns={[
                  { header: "Rank", cell: (b) => b.rank },
                  {
                    header: "Bidder",
                    cell: (b) => (
                      <>
                        {b.bidder}
                        {b.tieBreak ? <span className="govuk-body-s govuk-!-display-block">{b.tieBreak}</span> : null}
                      </>
                    ),
                  },
                  { header: "Quality", cell: (b) => b.quality, numeric: true },
                  { header: "Price", cell: (b) => b.price, numeric: true },
                  { header: "Price score", cell: (b) => b.priceScore, numeric: true },
                  { header: "Total", cell: (b) => b.total, numeric: true },
                  {
                    header: "Outcome",
                    cell: (b) =>
                      b.recommended ? (
                        <Tag colour="green">Recommended</Tag>
                      ) : (
                        <>
                          <Tag colour={b.scored ? "grey" : "red"}>{b.scored ? "Not recommended" : b.status}</Tag>
                          {b.reason ? <span className="govuk-body-s govuk-!-display-block">{b.reason}</span> : null}
                        </>
                      ),
                  },
                ]}
              />
              {lot.bids
                .filter((b) => b.questions.length > 0)
                .map((b) => (
                  <details className="govuk-details" key={b.id}>
                    <summary className="govuk-details__summary">
                      <span className="govuk-details__summary-text">{`Scores by question: ${b.bidder}`}</span>
                    </summary>
                    <div className="govuk-details__text">
                      <Table
                        caption={`${b.bidder}, ${lot.name}`}
                        rowKey={(q) => q.id}
                        rows={b.questions}
                        columns={[
                          { header: "Question", cell: (q) => q.label },
                          { header: "Moderated score", cell: (q) => q.moderated },
                          { header: "Weighted points", cell: (q) => q.weighted },
                          { header: "Evaluators' own scores", cell: (q) => q.originals },
                        ]}
                      />
                    </div>
                  </details>
                ))}
            </section>
          ))}
          <h2 className="govuk-heading-m">The panel and their declarations</h2>
          {data.panel.map((member) => (
            <section key={member.name} aria-label={member.name}>
              <h3 className="govuk-heading-s">{member.name}</h3>
              <SummaryList
                rows={[
                  { key: "Scored", value: member.places.length > 0 ? member.places.join(", ") : "No questions" },
                  ...member.declarations.map((d) => ({ key: d.provider, value: d.decision ? `${d.declared} ${d.decision}` : d.declared })),
                ]}
              />
            </section>
          ))}
        </>
      )}
      <p className="govuk-body">
        <Link className="govuk-link" to={`/tenders/${data.tender.id}`}>
          Back to the tender
        </Link>
      </p>
    </>
  );
}
