import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Tag } from "#app/components/govuk";
import { roleList } from "#app/modules/identity/roles";
import { listUsers } from "#app/modules/identity/users";
import { authorise } from "#app/web/guard.server";

export const meta: MetaFunction = () => [{ title: "Users – Children's Placements Portal" }];

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

const STATUS: Record<string, { label: string; colour: "green" | "grey" | "blue" }> = {
  active: { label: "Active", colour: "green" },
  invited: { label: "Invited", colour: "blue" },
  deactivated: { label: "Deactivated", colour: "grey" },
};

export default function Users() {
  const { users } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="govuk-heading-l">Users</h1>
      <Link to="/admin/users/invite" role="button" draggable="false" className="govuk-button" data-module="govuk-button">
        Invite a user
      </Link>
      <table className="govuk-table">
        <caption className="govuk-table__caption govuk-table__caption--m">{users.length} people</caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">
              Name
            </th>
            <th scope="col" className="govuk-table__header">
              Organisation
            </th>
            <th scope="col" className="govuk-table__header">
              Roles
            </th>
            <th scope="col" className="govuk-table__header">
              Status
            </th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {users.map((u) => (
            <tr className="govuk-table__row" key={u.id}>
              <td className="govuk-table__cell">
                <Link className="govuk-link" to={`/admin/users/${u.id}`}>
                  {u.fullName}
                </Link>
                <br />
                <span className="govuk-body-s">{u.email}</span>
              </td>
              <td className="govuk-table__cell">{u.organisationName}</td>
              <td className="govuk-table__cell">{u.roles}</td>
              <td className="govuk-table__cell">
                <Tag colour={STATUS[u.status]?.colour}>{STATUS[u.status]?.label ?? u.status}</Tag>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
