// A two-stage competitive flexible tender's stage on the tender page: the
// stage in words; to a provider its request's result and the way to it (or
// why it may not bid yet); to officers who passed and the requests' page.
import { Link } from "@remix-run/react";
import type { ParticipationOnTender } from "#app/web/participation.server";
import { participatePath, participationPath } from "#app/web/participation-paths";

export function ParticipationOnTenderPage({ tenderId, participation: p }: { tenderId: string; participation: ParticipationOnTender }) {
  return (
    <div className="govuk-inset-text">
      <h2 className="govuk-heading-s govuk-!-margin-bottom-1">Participation stage</h2>
      <p className="govuk-body">{p.stage}.</p>
      {p.mayRequest ? (
        <p className="govuk-body">
          {p.ownResult ? `Your organisation's request to participate: ${p.ownResult}. ` : null}
          <Link className="govuk-link" to={participatePath(tenderId)}>
            {p.ownResult ? "See your request to participate" : "Request to participate"}
          </Link>
        </p>
      ) : null}
      {p.bidBlocked ? <p className="govuk-body">{p.bidBlocked}</p> : null}
      {p.passed ? (
        <p className="govuk-body">
          {p.passed.length === 0 ? "No provider has passed the conditions of participation yet." : `Passed the conditions of participation: ${p.passed.join(", ")}.`}
        </p>
      ) : null}
      {p.mayViewRequests ? (
        <p className="govuk-body govuk-!-margin-bottom-0">
          <Link className="govuk-link" to={participationPath(tenderId)}>
            {p.passed ? "Requests to participate" : "Choose the conditions of participation"}
          </Link>
        </p>
      ) : null}
    </div>
  );
}
