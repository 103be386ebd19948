import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorSummary } from "#app/components/govuk";
import { LinkUsedUp } from "#app/components/LinkUsedUp";
import { NEW_PASSWORD_FIELDS, NewPasswordForm } from "#app/components/NewPasswordForm";
import { passwordResetFor, resetPassword } from "#app/modules/identity/sign-in";
import { newPasswordAction } from "#app/web/new-password.server";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data?.valid ? "Set a new password" : "This link has expired or has been used");

export async function loader({ params, context }: LoaderFunctionArgs) {
  const reset = await passwordResetFor(context.portal.db, params.token ?? "", new Date());
  return { valid: Boolean(reset), email: reset?.email ?? null };
}

export const action = ({ request, params, context }: ActionFunctionArgs) =>
  newPasswordAction(request, context.portal, params.token, resetPassword, () => ({ title: "Your password has been changed", body: "Sign in with your new password." }));

export default function ResetPassword() {
  const { valid, email } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (!valid) {
    return (
      <LinkUsedUp lifetime="Password reset links work once, for 1 hour.">
        <Link className="govuk-link" to="/forgot-password">
          Ask for a new link
        </Link>
      </LinkUsedUp>
    );
  }
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={result?.errors} order={NEW_PASSWORD_FIELDS} />
        <h1 className="govuk-heading-l">Set a new password</h1>
        <p className="govuk-body">For {email}.</p>
        <NewPasswordForm errors={result?.errors} submitLabel="Set new password" />
      </div>
    </div>
  );
}
