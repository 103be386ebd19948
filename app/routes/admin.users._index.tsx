import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Table } from "#app/components/govuk";
import { UserStatusTag } from "#app/components/UserStatusTag";
import { roleList } from "#app/modules/identity/roles";
import { listUsers } from "#app/modules/identity/users";
import { authorise } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction = () => pageMeta("Users");

export async function loader({ request, context }: LoaderFunctionArgs) {
  authorise(request, context.portal, "user.list");
  const users = await listUsers(context.portal.db);
  return {
    users: users.map((u) => ({
      id: u.id,
      fullName: u.fullName,
      email: u.email,
      organisationName: u.organisationName,
      roles: roleList(u.roles),
      status: u.status,
    })),
  };
}

export default function Users() {
  const { users } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="govuk-heading-l">Users</h1>
      <Link to="/admin/users/invite" role="button" draggable="false" className="govuk-button" data-module="govuk-button">
        Invite a user
      </Link>
      <Table
        caption={`${users.length} people`}
        rows={users}
        rowKey={(u) => u.id}
        columns={[
          {
            header: "Name",
            cell: (u) => (
              <>
                <Link className="govuk-link" to={`/admin/users/${u.id}`}>
                  {u.fullName}
                </Link>
                <br />
                <span className="govuk-body-s">{u.email}</span>
              </>
            ),
          },
          { header: "Organisation", cell: (u) => u.organisationName },
          { header: "Roles", cell: (u) => u.roles },
          { header: "Status", cell: (u) => <UserStatusTag status={u.status} /> },
        ]}
      />
    </>
  );
}
