import { data, redirect, type ActionFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, Button, ErrorSummary, PostForm, TextInput } from "#app/components/govuk";
import { requestPasswordReset } from "#app/modules/identity/sign-in";
import { actionContext } from "#app/web/context";
import { fieldErrors } from "#app/web/forms";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction = () => pageMeta("Reset your password");

const resetRequestForm = z.object({
  email: z
    .string()
    .trim()
    .min(1, "Enter your email address")
    .max(320, "Email address must be 320 characters or fewer")
    .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, "Enter an email address in the correct format, like name@example.com"),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const { portal } = context;
  const form = await request.formData();
  const parsed = resetRequestForm.safeParse(Object.fromEntries(form));
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), email: String(form.get("email") ?? "") }, { status: 400 });
  await portal.db.transaction().execute((trx) =>
    requestPasswordReset(trx, { email: parsed.data.email }, actionContext(portal), { baseUrl: portal.baseUrl }),
  );
  return redirect("/sign-in", {
    headers: {
      "Set-Cookie": portal.flashCookie({
        title: "Check your email",
        body: `If ${parsed.data.email} has an account, we have sent it a link to reset the password. The link works once, for 1 hour.`,
      }),
    },
  });
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
