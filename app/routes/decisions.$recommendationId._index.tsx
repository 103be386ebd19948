// An award recommendation and its decision record: what was recommended,
// the delegation, who was consulted and what they said, the decision and its
// reasons, each round in order; the next step's link for whoever takes it.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { RecommendationContent, RoundsRecord, StatusTag } from "#app/components/awards/Recommendation";
import { BackLink } from "#app/components/govuk";
import { supersessionsOf, withdrawalSentence } from "#app/modules/awards/reevaluation";
import { awardExclusions } from "#app/modules/awards/segregation";
import { allowed } from "#app/policy/policy";
import { recommendationFor, roundViews } from "#app/web/awards.server";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `Award recommendation: ${data.tenderTitle}` : "Award recommendation");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const { recommendation: rec, actor, thing } = await recommendationFor(request, portal, params.recommendationId, "award.view");
  const barred = (await awardExclusions(portal.db, rec.id)).get(actor.userId) ?? [];
  // A superseded award says why, beside its decision (decision 037).
  const supersession = rec.status === "superseded" ? (await supersessionsOf(portal.db, rec.tender.id)).find((s) => s.recommendationId === rec.id) : undefined;
  return {
    id: rec.id,
    tenderId: rec.tender.id,
    tenderTitle: rec.tender.title,
    status: rec.status,
    rounds: roundViews(rec),
    authors: rec.authors.map((a) => a.name),
    barred,
    superseded: supersession ? `Superseded: ${withdrawalSentence(supersession)} Its award notice was withdrawn, and a new recommendation follows the re-evaluation.` : null,
    next:
      rec.status === "awaiting_consultation" && allowed(actor, "award.consult", thing)
        ? ({ href: `/decisions/${rec.id}/consult`, label: "Give your consultation response" } as const)
        : rec.status === "awaiting_decision" && allowed(actor, "award.decide", thing)
          ? ({ href: `/decisions/${rec.id}/decide`, label: "Decide" } as const)
          : null,
  };
}

export default function RecommendationRecord() {
  const page = useLoaderData<typeof loader>();
  const latest = page.rounds.at(-1);
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to="/decisions">Back to award decisions</BackLink>
        <span className="govuk-caption-l">{page.tenderTitle}</span>
        <h1 className="govuk-heading-l">Award recommendation</h1>
        <p className="govuk-body">
          Status: <StatusTag status={page.status} />
        </p>
        {page.superseded ? <div className="govuk-inset-text">{page.superseded}</div> : null}
        {page.next && page.barred.length === 0 ? (
          <Link className="govuk-button" data-module="govuk-button" role="button" draggable="false" to={page.next.href}>
            {page.next.label}
          </Link>
        ) : null}
        {page.next && page.barred.length > 0 ? (
          <div className="govuk-inset-text">You cannot take part in this decision because {page.barred.join(" and ")}.</div>
        ) : null}
        {latest ? (
          <>
            <h2 className="govuk-heading-m">What is recommended</h2>
            <RecommendationContent content={latest.content} />
            <p className="govuk-body">Written by {page.authors.join(", ")}.</p>
            <h2 className="govuk-heading-m">Decision record</h2>
            <RoundsRecord rounds={page.rounds} />
          </>
        ) : (
          <p className="govuk-body">This recommendation has not been submitted yet.</p>
        )}
        <ul className="govuk-list">
          {["approved", "approved_with_conditions", "rejected"].includes(page.status) ? (
            <li>
              <a className="govuk-link" href={`/decisions/${page.id}/record.pdf`}>
                Download the decision record (PDF)
              </a>
            </li>
          ) : null}
          <li>
            <Link className="govuk-link" to={`/tenders/${page.tenderId}/evaluation/report`}>
              See the evaluation report
            </Link>
          </li>
          <li>
            <Link className="govuk-link" to={`/tenders/${page.tenderId}`}>
              See the tender
            </Link>
          </li>
        </ul>
      </div>
    </div>
  );
}
