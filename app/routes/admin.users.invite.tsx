import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, Button, Checkboxes, ErrorSummary, PostForm, Select, TextInput } from "#app/components/govuk";
import { isRole, ROLE_LABELS, ROLES } from "#app/modules/identity/roles";
import { inviteUser } from "#app/modules/identity/users";
import { listOrganisations } from "#app/modules/organisations/organisations";
import { actionContext } from "#app/web/context";
import { emailAddressField, fieldErrors, formObject, keptValues } from "#app/web/forms";
import { authorise } from "#app/web/guard.server";
import { refusalErrors } from "#app/web/refusals";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction = () => pageMeta("Invite a user");

const inviteForm = z.object({
  fullName: z.string().trim().min(1, "Enter the person's full name").max(200, "Full name must be 200 characters or fewer"),
  email: emailAddressField("Enter an email address"),
  organisationId: z.string().uuid("Select an organisation"),
  roles: z.array(z.string().refine(isRole, "Select a role from the list")).min(1, "Select at least one role"),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  authorise(request, context.portal, "user.invite");
  const organisations = await listOrganisations(context.portal.db);
  return {
    organisations: organisations.map((o) => ({ value: o.id, label: `${o.name} (${o.kind === "council" ? "council" : "provider"})` })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { portal } = context;
  authorise(request, portal, "user.invite");
  const form = await request.formData();
  const values = { fields: keptValues(form), roles: form.getAll("roles").map(String) };
  const parsed = inviteForm.safeParse(formObject(form, ["roles"]));
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), values }, { status: 400 });
  try {
    await portal.db.transaction().execute((trx) =>
      inviteUser(
        trx,
        { ...parsed.data, roles: parsed.data.roles.filter(isRole) },
        actionContext(portal),
        { baseUrl: portal.baseUrl },
      ),
    );
  } catch (error) {
    const errors = refusalErrors(error);
    if (errors) return data({ errors, values }, { status: 400 });
    throw error;
  }
  return redirect("/admin/users", {
    headers: { "Set-Cookie": portal.flashCookie({ title: `Invitation sent to ${parsed.data.email}`, body: "The link to set a password works for 7 days." }) },
  });
}

export default function InviteUser() {
  const { organisations } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const v = result?.values;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to="/admin/users" />
        <ErrorSummary errors={result?.errors} order={["fullName", "email", "organisationId", "roles"]} />
        <h1 className="govuk-heading-l">Invite a user</h1>
        <p className="govuk-body">We will email them a link to set their password. The link works once, for 7 days.</p>
        <PostForm>
          <TextInput name="fullName" label="Full name" autoComplete="off" defaultValue={v?.fields.fullName} error={result?.errors.fullName} />
          <TextInput name="email" type="email" label="Email address" autoComplete="off" spellCheck={false} defaultValue={v?.fields.email} error={result?.errors.email} />
          <Select
            name="organisationId"
            label="Organisation"
            options={[{ value: "", label: "Select an organisation" }, ...organisations]}
            defaultValue={v?.fields.organisationId ?? ""}
            error={result?.errors.organisationId}
          />
          <Checkboxes
            name="roles"
            legend="Roles"
            hint="People at a provider can only be provider users. Council staff can hold several roles."
            options={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
            checked={v?.roles}
            error={result?.errors.roles}
          />
          <Button>Send invitation</Button>
        </PostForm>
      </div>
    </div>
  );
}
