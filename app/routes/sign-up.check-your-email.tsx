// Where a sign-up lands: the same words whether the address was new, already
// had an account, or has asked too often (the banner names the address).
import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction = () => pageMeta("Check your email");

export default function CheckYourEmail() {
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Check your email</h1>
        <p className="govuk-body">We have emailed the address you gave. Follow the link in the email to check your organisation's details and choose a password.</p>
        <p className="govuk-body">The link works once, for 24 hours. Nothing is registered until you follow it.</p>
        <p className="govuk-body">
          If the email has not arrived within a few minutes, check your spam folder, or{" "}
          <Link className="govuk-link" to="/sign-up">
            register again
          </Link>
          .
        </p>
      </div>
    </div>
  );
}
