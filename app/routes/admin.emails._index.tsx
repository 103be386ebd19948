import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Table, Tag } from "#app/components/govuk";
import { Pagination, pageOutOfRange } from "#app/components/Pagination";
import { DemoLinksWarning } from "#app/components/WarningText";
import { listEmails } from "#app/modules/outbox/outbox";
import { authorise } from "#app/web/guard.server";
import { ukDateTime } from "#app/web/format";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction = () => pageMeta("Sent email");

const PAGE_SIZE = 50;
const query = z.object({ page: z.coerce.number().int().min(1).max(100_000).catch(1) });

export const EMAIL_STATUS: Record<string, { label: string; colour: "green" | "blue" | "yellow" | "red" | "grey" }> = {
  pending: { label: "Waiting to send", colour: "yellow" },
  sending: { label: "Sending", colour: "blue" },
  sent: { label: "Sent", colour: "green" },
  kept: { label: "Kept in portal", colour: "grey" },
  failed: { label: "Failed", colour: "red" },
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { portal } = context;
  authorise(request, portal, "email.viewSent");
  const { page } = query.parse(Object.fromEntries(new URL(request.url).searchParams));
  const result = await listEmails(portal.db, { page, pageSize: PAGE_SIZE });
  const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
  if (page > pages) throw data(pageOutOfRange(page, pages, "sent email", emailsPage), { status: 404 });
  return {
    page,
    pages,
    total: result.total,
    transport: portal.emailTransport,
    emails: result.emails.map((e) => ({ ...e, createdAt: e.createdAt.toISOString(), sentAt: e.sentAt?.toISOString() ?? null })),
  };
}

const emailsPage = (page: number) => `/admin/emails?page=${page}`;

export default function SentEmail() {
  const { emails, page, pages, total, transport } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="govuk-heading-l">Sent email</h1>
      <p className="govuk-body">
        {transport === "smtp"
          ? "Every email the portal has queued, newest first. Emails are sent through the council's mail server."
          : "No mail server is set up (SMTP_URL), so emails are kept here instead of being sent. Open one to read it and follow its links."}
      </p>
      {transport === "smtp" ? (
        <p className="govuk-body">Links that sign someone in, reset a password or accept an invitation are taken out of the portal's copy of an email, so only the person it was sent to can use them.</p>
      ) : (
        <DemoLinksWarning />
      )}
      {emails.length === 0 ? (
        <p className="govuk-body">No emails yet.</p>
      ) : (
        <Table
          caption={`${total} emails`}
          rows={emails}
          rowKey={(e) => e.id}
          columns={[
            { header: "Queued (UK time)", cell: (e) => <span className="portal-nowrap">{ukDateTime(e.createdAt)}</span> },
            { header: "To", cell: (e) => e.to },
            {
              header: "Subject",
              cell: (e) => (
                <Link className="govuk-link" to={`/admin/emails/${e.id}`}>
                  {e.subject}
                </Link>
              ),
            },
            { header: "Status", cell: (e) => <Tag colour={EMAIL_STATUS[e.status]?.colour}>{EMAIL_STATUS[e.status]?.label ?? e.status}</Tag> },
          ]}
        />
      )}
      <Pagination page={page} pages={pages} href={emailsPage} />
    </>
  );
}
