import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { BackLink, Button, ErrorSummary, PostForm, TextInput } from "#app/components/govuk";
import { requestPasswordReset } from "#app/modules/identity/sign-in";
import { emailLinkAction } from "#app/web/emailed-link.server";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction = () => pageMeta("Reset your password");

export async function action({ request, context }: ActionFunctionArgs) {
  return emailLinkAction(
    request,
    context.portal,
    requestPasswordReset,
    (email) => `If ${email} has an account, we have sent it a link to reset the password. The link works once, for 1 hour.`,
  );
}

export default function ForgotPassword() {
  const result = useActionData<typeof action>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to="/sign-in" />
        <ErrorSummary errors={result?.errors} />
        <h1 className="govuk-heading-l">Reset your password</h1>
        <p className="govuk-body">Enter the email address you sign in with. We will email you a link to set a new password.</p>
        <PostForm>
          <TextInput name="email" type="email" label="Email address" autoComplete="email" spellCheck={false} defaultValue={result?.email} error={result?.errors.email} />
          <Button>Send reset link</Button>
        </PostForm>
      </div>
    </div>
  );
}
