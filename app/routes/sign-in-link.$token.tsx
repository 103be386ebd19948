// The page an emailed sign-in link opens. Opening it changes nothing (mail
// scanners follow links); the button signs the person in and uses the link up.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Button, ErrorSummary, PostForm } from "#app/components/govuk";
import { LinkUsedUp } from "#app/components/LinkUsedUp";
import { signInLinkFor, signInWithLink } from "#app/modules/identity/sign-in";
import { actionContext } from "#app/web/context";
import { refusalErrors } from "#app/web/refusals";

export const meta: MetaFunction = () => [{ title: "Sign in with your link – Children's Placements Portal" }];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const link = await signInLinkFor(context.portal.db, params.token ?? "", new Date());
  return { name: link?.fullName ?? null };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  try {
    const session = await portal.db
      .transaction()
      .execute((trx) => signInWithLink(trx, { token: params.token ?? "", userAgent: request.headers.get("user-agent") }, actionContext(portal)));
    return redirect("/", { headers: { "Set-Cookie": portal.sessionCookie(session.token, session.expiresAt) } });
  } catch (error) {
    const errors = refusalErrors(error);
    if (errors) return data({ errors }, { status: 400 });
    throw error;
  }
}

export default function SignInWithLink() {
  const { name } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (!name || result?.errors) {
    return (
      <LinkUsedUp lifetime="Sign-in links work once, for 15 minutes.">
        <Link className="govuk-link" to="/sign-in/email-link">
          Ask for a new link
        </Link>{" "}
        or{" "}
        <Link className="govuk-link" to="/sign-in">
          sign in with your password
        </Link>
        .
      </LinkUsedUp>
    );
  }
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={result?.errors} />
        <h1 className="govuk-heading-l">Sign in as {name}</h1>
        <p className="govuk-body">This link signs you in once. If you are not {name}, close this page.</p>
        <PostForm>
          <Button>Sign in</Button>
        </PostForm>
      </div>
    </div>
  );
}
