import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Button, ErrorSummary, PostForm, TextInput } from "#app/components/govuk";
import { signIn } from "#app/modules/identity/sign-in";
import { actionContext } from "#app/web/context";
import { fieldErrors, type FieldErrors } from "#app/web/forms";
import { ukTime } from "#app/web/format";
import { safeReturnTo } from "#app/web/redirects";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction = () => pageMeta("Sign in");

const signInForm = z.object({
  email: z.string().trim().min(1, "Enter your email address").max(320, "Email address must be 320 characters or fewer"),
  password: z.string().min(1, "Enter your password").max(1024, "Password must be 1,024 characters or fewer"),
  returnTo: z.string().optional(),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const returnTo = safeReturnTo(new URL(request.url).searchParams.get("returnTo"));
  if (context.portal.actor) throw redirect(returnTo);
  return { returnTo };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { portal } = context;
  const form = await request.formData();
  const parsed = signInForm.safeParse(Object.fromEntries(form));
  const email = String(form.get("email") ?? "");
  // A new attempt id remounts the password box, so a rejected password never stays in it.
  const attempt = crypto.randomUUID();
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), email, attempt, slowed: null }, { status: 400 });
  const result = await signIn(
    portal.db,
    { email: parsed.data.email, password: parsed.data.password, userAgent: request.headers.get("user-agent") },
    actionContext(portal),
  );
  if (result.ok) {
    return redirect(safeReturnTo(parsed.data.returnTo), { headers: { "Set-Cookie": portal.sessionCookie(result.token, result.expiresAt) } });
  }
  if (result.reason === "invalid") {
    return data({ errors: { email: "Enter a correct email address and password" } as FieldErrors, email, attempt, slowed: null }, { status: 400 });
  }
  // Said the same way whether or not the address has an account.
  const until = ukTime(result.retryAt);
  const message =
    result.kind === "account"
      ? `There have been too many failed attempts to sign in as this email address. You can try your password again after ${until}, or we can email you a link to sign in now`
      : `There have been too many failed sign-in attempts from your network. You can try again after ${until}, or we can email you a link to sign in now`;
  const retryAfter = Math.max(1, Math.ceil((result.retryAt.getTime() - Date.now()) / 1000));
  return data(
    { errors: { email: message } as FieldErrors, email, attempt, slowed: { email: parsed.data.email } },
    { status: 429, headers: { "Retry-After": String(retryAfter) } },
  );
}

export default function SignIn() {
  const { returnTo } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={result?.errors} order={["email", "password"]} />
        <h1 className="govuk-heading-l">Sign in</h1>
        {result?.slowed ? (
          <div className="govuk-inset-text">
            <p className="govuk-body">We can email you a link that signs you in once, without your password. It works for 15 minutes.</p>
            <PostForm action="/sign-in/email-link">
              <input type="hidden" name="email" value={result.slowed.email} />
              <Button variant="secondary">Email me a link to sign in</Button>
            </PostForm>
          </div>
        ) : null}
        <p className="govuk-body">Sign in to manage tenders, bids, evaluations, awards, vacancies and placements.</p>
        <PostForm>
          <input type="hidden" name="returnTo" value={returnTo} />
          <TextInput name="email" type="email" label="Email address" autoComplete="email" spellCheck={false} defaultValue={result?.email} error={result?.errors.email} />
          <TextInput key={result?.attempt} name="password" type="password" label="Password" autoComplete="current-password" error={result?.errors.password} />
          <Button>Sign in</Button>
        </PostForm>
        <p className="govuk-body">
          <Link className="govuk-link" to="/forgot-password">
            I have forgotten my password
          </Link>
        </p>
        <p className="govuk-body">
          <Link className="govuk-link" to="/sign-in/email-link">
            Email me a link to sign in instead
          </Link>
        </p>
        <p className="govuk-body">
          Providers new to the portal can{" "}
          <Link className="govuk-link" to="/sign-up">
            register their organisation
          </Link>
          . If your organisation is already registered, ask one of its users to invite you.
        </p>
      </div>
    </div>
  );
}
