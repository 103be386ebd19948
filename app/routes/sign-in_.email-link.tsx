// Asking for a link that signs a person in without their password: offered
// when sign-in is being slowed down after failed attempts, and always
// reachable here. The answer is the same whether or not the address has an
// account.
import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { BackLink, Button, ErrorSummary, PostForm, TextInput } from "#app/components/govuk";
import { requestSignInLink } from "#app/modules/identity/sign-in";
import { emailLinkAction } from "#app/web/emailed-link.server";

export const meta: MetaFunction = () => [{ title: "Email me a link to sign in – Children's Placements Portal" }];

export async function action({ request, context }: ActionFunctionArgs) {
  return emailLinkAction(
    request,
    context.portal,
    requestSignInLink,
    (email) => `If ${email} has an account, we have sent it a link to sign in. The link works once, for 15 minutes.`,
  );
}

export default function EmailSignInLink() {
  const result = useActionData<typeof action>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to="/sign-in" />
        <ErrorSummary errors={result?.errors} />
        <h1 className="govuk-heading-l">Email me a link to sign in</h1>
        <p className="govuk-body">Enter the email address you sign in with. We will email you a link that signs you in once, without your password. It works for 15 minutes.</p>
        <PostForm>
          <TextInput name="email" type="email" label="Email address" autoComplete="email" spellCheck={false} defaultValue={result?.email} error={result?.errors.email} />
          <Button>Email me a link</Button>
        </PostForm>
      </div>
    </div>
  );
}
