import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { ErrorSummary } from "#app/components/govuk";
import { NEW_PASSWORD_FIELDS, NewPasswordForm } from "#app/components/NewPasswordForm";
import { acceptInvitation, invitationFor } from "#app/modules/identity/users";
import { newPasswordAction } from "#app/web/new-password.server";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageMeta(data?.valid ? "Set up your account" : "This invitation has expired or has been used");

export async function loader({ params, context }: LoaderFunctionArgs) {
  const invitation = await invitationFor(context.portal.db, params.token ?? "", new Date());
  return invitation
    ? { valid: true as const, fullName: invitation.fullName, email: invitation.email, organisationName: invitation.organisationName }
    : { valid: false as const };
}

export const action = ({ request, params, context }: ActionFunctionArgs) =>
  newPasswordAction(request, context.portal, params.token, acceptInvitation, () => ({
    title: "Your account is ready",
    body: "Sign in with your email address and the password you chose.",
  }));

export default function AcceptInvitation() {
  const invitation = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (!invitation.valid) {
    return (
      <>
        <h1 className="govuk-heading-l">This invitation has expired or has been used</h1>
        <p className="govuk-body">Invitations work once, for 7 days. Ask the administrator who invited you to send a new one.</p>
      </>
    );
  }
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={result?.errors} order={NEW_PASSWORD_FIELDS} />
        <h1 className="govuk-heading-l">Set up your account</h1>
        <p className="govuk-body">
          Welcome, {invitation.fullName}. You have been invited to the portal for {invitation.organisationName}. Choose a password to sign in as{" "}
          {invitation.email}.
        </p>
        <NewPasswordForm errors={result?.errors} submitLabel="Create account" />
      </div>
    </div>
  );
}
