import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, Button, Checkboxes, ErrorSummary, PostForm, SummaryList, Textarea } from "#app/components/govuk";
import { isRole, ROLE_LABELS, roleList, rolesFor } from "#app/modules/identity/roles";
import { changeRoles, getUser, setUserActive } from "#app/modules/identity/users";
import { actionContext } from "#app/web/context";
import { fieldErrors, formObject, keptValues } from "#app/web/forms";
import { authorise } from "#app/web/guard.server";
import { ukDateTime } from "#app/web/format";
import { refusalErrors } from "#app/web/refusals";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data?.user.fullName ?? "User");

const rolesForm = z.object({
  intent: z.literal("roles"),
  version: z.coerce.number().int(),
  roles: z.array(z.string().refine(isRole, "Select a role from the list")).min(1, "Select at least one role"),
  reason: z.string().trim().max(1000, "Reason must be 1,000 characters or fewer").optional(),
});

const statusForm = z.object({
  intent: z.enum(["deactivate", "reactivate"]),
  version: z.coerce.number().int(),
  statusReason: z.string().trim().min(1, "Enter a reason").max(1000, "Reason must be 1,000 characters or fewer"),
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  authorise(request, portal, "user.changeRoles");
  const user = await getUser(portal.db, params.userId ?? "");
  if (!user) throw new Response("Page not found", { status: 404 });
  return {
    user: { ...user, lockedUntil: user.lockedUntil?.toISOString() ?? null, roleText: roleList(user.roles) },
    roleOptions: rolesFor(user.organisationKind).map((r) => ({ value: r, label: ROLE_LABELS[r] })),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const form = await request.formData();
  const intent = form.get("intent");
  authorise(request, portal, intent === "roles" ? "user.changeRoles" : "user.deactivate");
  const userId = params.userId ?? "";
  const values = { fields: keptValues(form), roles: form.getAll("roles").map(String) };
  try {
    if (intent === "roles") {
      const parsed = rolesForm.safeParse(formObject(form, ["roles"]));
      if (!parsed.success) return data({ errors: fieldErrors(parsed.error), values }, { status: 400 });
      await portal.db.transaction().execute((trx) =>
        changeRoles(
          trx,
          { userId, roles: parsed.data.roles.filter(isRole), expectedVersion: parsed.data.version, reason: parsed.data.reason || null },
          actionContext(portal),
        ),
      );
      return redirect(`/admin/users/${userId}`, { headers: { "Set-Cookie": portal.flashCookie({ title: "Roles changed" }) } });
    }
    const parsed = statusForm.safeParse(formObject(form));
    if (!parsed.success) return data({ errors: fieldErrors(parsed.error), values }, { status: 400 });
    const active = parsed.data.intent === "reactivate";
    await portal.db.transaction().execute((trx) =>
      setUserActive(trx, { userId, active, expectedVersion: parsed.data.version, reason: parsed.data.statusReason }, actionContext(portal)),
    );
    return redirect(`/admin/users/${userId}`, {
      headers: { "Set-Cookie": portal.flashCookie({ title: active ? "User reactivated" : "User deactivated and signed out" }) },
    });
  } catch (error) {
    const errors = refusalErrors(error);
    if (errors) return data({ errors, values }, { status: 409 });
    throw error;
  }
}

export default function UserDetail() {
  const { user, roleOptions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const v = result?.values;
  const statusLabel = user.status === "active" ? "Active" : user.status === "invited" ? "Invited (has not set a password yet)" : "Deactivated";
  return (
    <>
      <BackLink to="/admin/users" />
      <ErrorSummary errors={result?.errors} order={["form", "roles", "reason", "statusReason"]} />
      <span className="govuk-caption-l">{user.organisationName}</span>
      <h1 className="govuk-heading-l">{user.fullName}</h1>
      <SummaryList
        rows={[
          { key: "Email address", value: user.email },
          { key: "Organisation", value: user.organisationName },
          { key: "Roles", value: user.roleText },
          { key: "Status", value: statusLabel },
          ...(user.lockedUntil && new Date(user.lockedUntil) > new Date()
            ? [{ key: "Next password attempt allowed", value: ukDateTime(user.lockedUntil) }]
            : []),
        ]}
      />
      <p className="govuk-body">
        <Link className="govuk-link" to={`/audit/records/user/${user.id}`}>
          See this user's history
        </Link>
      </p>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h2 className="govuk-heading-m">Change roles</h2>
          <PostForm>
            <input type="hidden" name="intent" value="roles" />
            <input type="hidden" name="version" value={user.version} />
            <Checkboxes
              name="roles"
              legend="Roles"
              options={roleOptions}
              checked={v?.fields.intent === "roles" ? v.roles : user.roles}
              error={result?.errors.roles}
            />
            <Textarea name="reason" label="Reason for the change (optional)" rows={2} defaultValue={v?.fields.intent === "roles" ? v.fields.reason : undefined} error={result?.errors.reason} />
            <Button>Save roles</Button>
          </PostForm>
          <h2 className="govuk-heading-m">{user.status === "deactivated" ? "Reactivate this user" : "Deactivate this user"}</h2>
          <p className="govuk-body">
            {user.status === "deactivated"
              ? "They will be able to sign in again with their existing password."
              : "They will be signed out at once and will not be able to sign in. Their history is kept."}
          </p>
          <PostForm>
            <input type="hidden" name="intent" value={user.status === "deactivated" ? "reactivate" : "deactivate"} />
            <input type="hidden" name="version" value={user.version} />
            <Textarea name="statusReason" label="Reason" rows={2} defaultValue={v?.fields.intent !== "roles" ? v?.fields.statusReason : undefined} error={result?.errors.statusReason} />
            <Button variant={user.status === "deactivated" ? undefined : "warning"}>
              {user.status === "deactivated" ? "Reactivate user" : "Deactivate user"}
            </Button>
          </PostForm>
        </div>
      </div>
    </>
  );
}
