// Asking for a link that signs a person in without their password: offered
// when sign-in is being slowed down after failed attempts, and always
// reachable here. The answer is the same whether or not the address has an
// account.
import { data, redirect, type ActionFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, Button, ErrorSummary, PostForm, TextInput } from "#app/components/govuk";
import { requestSignInLink } from "#app/modules/identity/sign-in";
import { actionContext } from "#app/web/context";
import { emailAddressField, fieldErrors } from "#app/web/forms";

export const meta: MetaFunction = () => [{ title: "Email me a link to sign in – Children's Placements Portal" }];

const linkRequestForm = z.object({
  email: emailAddressField("Enter your email address"),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const { portal } = context;
  const form = await request.formData();
  const parsed = linkRequestForm.safeParse(Object.fromEntries(form));
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), email: String(form.get("email") ?? "") }, { status: 400 });
  await portal.db.transaction().execute((trx) => requestSignInLink(trx, { email: parsed.data.email }, actionContext(portal), { baseUrl: portal.baseUrl }));
  return redirect("/sign-in", {
    headers: {
      "Set-Cookie": portal.flashCookie({
        title: "Check your email",
        body: `If ${parsed.data.email} has an account, we have sent it a link to sign in. The link works once, for 15 minutes.`,
      }),
    },
  });
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
