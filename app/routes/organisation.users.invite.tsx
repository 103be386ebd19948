// A provider's user invites a colleague: into their own organisation, as a
// provider user, whatever the form sent (the module takes both from the actor).
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, Button, ErrorSummary, PostForm, TextInput } from "#app/components/govuk";
import { inviteColleague } from "#app/modules/organisations/colleagues";
import { actionContext } from "#app/web/context";
import { emailAddressField, fieldErrors, formObject, keptValues } from "#app/web/forms";
import { authorise } from "#app/web/guard.server";
import { refusalErrors } from "#app/web/refusals";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction = () => pageMeta("Invite a colleague");

const inviteForm = z.object({
  fullName: z.string().trim().min(1, "Enter your colleague's full name").max(200, "Full name must be 200 characters or fewer"),
  email: emailAddressField("Enter your colleague's email address"),
});

function ownOrganisation(request: Request, portal: Parameters<typeof authorise>[1]) {
  const actor = portal.actor;
  return authorise(request, portal, "colleague.invite", actor ? { kind: "organisation", id: actor.organisationId, organisationKind: actor.organisationKind } : undefined);
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = ownOrganisation(request, context.portal);
  return { organisationName: actor.organisationName };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { portal } = context;
  ownOrganisation(request, portal);
  const form = await request.formData();
  const values = keptValues(form);
  const parsed = inviteForm.safeParse(formObject(form));
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), values }, { status: 400 });
  try {
    await portal.db.transaction().execute((trx) => inviteColleague(trx, parsed.data, actionContext(portal), { baseUrl: portal.baseUrl }));
  } catch (error) {
    const errors = refusalErrors(error);
    if (errors) return data({ errors, values }, { status: 400 });
    throw error;
  }
  return redirect("/organisation/users", {
    headers: { "Set-Cookie": portal.flashCookie({ title: `Invitation sent to ${parsed.data.email}`, body: "The link to set a password works for 7 days." }) },
  });
}

export default function InviteColleague() {
  const { organisationName } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to="/organisation/users" />
        <ErrorSummary errors={result?.errors} order={["fullName", "email"]} />
        <span className="govuk-caption-l">{organisationName}</span>
        <h1 className="govuk-heading-l">Invite a colleague</h1>
        <p className="govuk-body">
          We will email them a link to set their password. They will be able to do everything you can for {organisationName}. The link works once, for 7
          days.
        </p>
        <PostForm>
          <TextInput name="fullName" label="Full name" autoComplete="off" spellCheck={false} defaultValue={result?.values.fullName} error={result?.errors.fullName} />
          <TextInput name="email" type="email" label="Email address" autoComplete="off" spellCheck={false} defaultValue={result?.values.email} error={result?.errors.email} />
          <Button>Send invitation</Button>
        </PostForm>
      </div>
    </div>
  );
}
