// The emailed sign-up link: the person checks what they registered and
// chooses a password; only then are the organisation and their account made.
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorSummary, SummaryList } from "#app/components/govuk";
import { LinkUsedUp } from "#app/components/LinkUsedUp";
import { NEW_PASSWORD_FIELDS, NewPasswordForm } from "#app/components/NewPasswordForm";
import { confirmSignUp, pendingSignUpFor } from "#app/modules/organisations/sign-up";
import { newPasswordAction } from "#app/web/new-password.server";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageMeta(data?.signUp ? "Confirm your organisation's registration" : "This link has expired or has been used");

export async function loader({ params, context }: LoaderFunctionArgs) {
  const pending = await pendingSignUpFor(context.portal.db, params.token ?? "", new Date());
  if (!pending) return { signUp: null };
  const { id: _id, ...shown } = pending;
  return { signUp: shown };
}

export const action = ({ request, params, context }: ActionFunctionArgs) =>
  newPasswordAction(request, context.portal, params.token, confirmSignUp, ({ organisationName }) => ({
    title: `${organisationName} is registered`,
    body: "Sign in with your email address and the password you chose. You can then invite colleagues and add your evidence.",
  }));

export default function ConfirmSignUp() {
  const { signUp } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (!signUp) {
    return (
      <LinkUsedUp lifetime="Sign-up links work once, for 24 hours.">
        <Link className="govuk-link" to="/sign-up">
          Register your organisation again
        </Link>{" "}
        to get a new link, or sign in if you have already finished registering.
      </LinkUsedUp>
    );
  }
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={result?.errors} order={NEW_PASSWORD_FIELDS} />
        <h1 className="govuk-heading-l">Confirm your organisation's registration</h1>
        <p className="govuk-body">Check the details, then choose a password to finish registering.</p>
        <SummaryList
          rows={[
            { key: "Organisation", value: signUp.organisationName },
            ...(signUp.companiesHouseNumber ? [{ key: "Companies House number", value: signUp.companiesHouseNumber }] : []),
            ...(signUp.charityNumber ? [{ key: "Charity number", value: signUp.charityNumber }] : []),
            { key: "PPON", value: signUp.ppon },
            {
              key: "Registered address",
              value: signUp.addressLines.map((line, i) => (
                <span key={i}>
                  {line}
                  <br />
                </span>
              )),
            },
            { key: "Your name", value: signUp.fullName },
            { key: "Your email address", value: signUp.email },
          ]}
        />
        <p className="govuk-body">
          If something is wrong,{" "}
          <Link className="govuk-link" to="/sign-up">
            register again
          </Link>{" "}
          with the right details: this link then stops working.
        </p>
        <h2 className="govuk-heading-m">Choose your password</h2>
        <NewPasswordForm errors={result?.errors} submitLabel="Register organisation" />
      </div>
    </div>
  );
}
