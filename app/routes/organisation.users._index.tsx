// A provider's users see who else has an account for their organisation.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Table } from "#app/components/govuk";
import { UserStatusTag } from "#app/components/UserStatusTag";
import { listColleagues } from "#app/modules/organisations/colleagues";
import { authorise } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction = () => pageMeta("Your colleagues");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = authorise(request, context.portal, "colleague.list");
  const colleagues = await listColleagues(context.portal.db, actor.organisationId);
  return {
    organisationName: actor.organisationName,
    colleagues: colleagues.map((u) => ({ id: u.id, fullName: u.fullName, email: u.email, status: u.status, isYou: u.id === actor.userId })),
  };
}

export default function Colleagues() {
  const { organisationName, colleagues } = useLoaderData<typeof loader>();
  return (
    <>
      <span className="govuk-caption-l">{organisationName}</span>
      <h1 className="govuk-heading-l">Your colleagues</h1>
      <p className="govuk-body">Everyone here can bid, keep vacancies up to date and manage the evidence library for {organisationName}.</p>
      <Link to="/organisation/users/invite" role="button" draggable="false" className="govuk-button" data-module="govuk-button">
        Invite a colleague
      </Link>
      <Table
        caption={`${colleagues.length} ${colleagues.length === 1 ? "person" : "people"}`}
        rows={colleagues}
        rowKey={(u) => u.id}
        columns={[
          { header: "Name", cell: (u) => (u.isYou ? `${u.fullName} (you)` : u.fullName) },
          { header: "Email address", cell: (u) => u.email },
          { header: "Status", cell: (u) => <UserStatusTag status={u.status} /> },
        ]}
      />
    </>
  );
}
