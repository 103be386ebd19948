import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ErrorSummary, Table, Tag, TextInput } from "#app/components/govuk";
import { Pagination, pageOutOfRange } from "#app/components/Pagination";
import { DemoLinksWarning } from "#app/components/WarningText";
import { listEmails } from "#app/modules/outbox/outbox";
import { authorise } from "#app/web/guard.server";
import { ukDateTime } from "#app/web/format";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction = () => pageMeta("Sent email");

const PAGE_SIZE = 50;
const query = z.object({ page: z.coerce.number().int().min(1).max(100_000).catch(1) });
// The address to show emails for: what a person types, checked before it reaches the database.
const sentTo = z
  .string()
  .trim()
  .max(320, "Enter an email address of 320 characters or fewer")
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "Enter an email address without control characters");

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
  const params = new URL(request.url).searchParams;
  const { page } = query.parse(Object.fromEntries(params));
  const typed = params.get("to") ?? "";
  const to = sentTo.safeParse(typed);
  const filter = to.success ? to.data : "";
  const result = await listEmails(portal.db, { page, pageSize: PAGE_SIZE, to: filter || undefined });
  const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
  if (page > pages) throw data(pageOutOfRange(page, pages, "sent email", (n) => emailsPage(n, filter)), { status: 404 });
  return {
    to: to.success ? filter : typed.replace(/[\u0000-\u001f\u007f]/g, ""),
    // As `errors`, so the page's title starts "Error: " while it shows one.
    errors: to.success ? null : { to: to.error.issues[0]?.message ?? "Enter an email address" },
    page,
    pages,
    total: result.total,
    transport: portal.emailTransport,
    emails: result.emails.map((e) => ({ ...e, createdAt: e.createdAt.toISOString(), sentAt: e.sentAt?.toISOString() ?? null })),
  };
}

const emailsPage = (page: number, to: string) => `/admin/emails?${new URLSearchParams({ ...(to ? { to } : {}), page: String(page) }).toString()}`;

export default function SentEmail() {
  const { emails, page, pages, total, transport, to, errors } = useLoaderData<typeof loader>();
  const toError = errors?.to ?? null;
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
      <ErrorSummary errors={errors ?? undefined} order={["to"]} href={() => "#to"} />
      <Form method="get">
        <TextInput name="to" id="to" label="Sent to" hint="An email address, to see only the emails sent to it." type="email" width="two-thirds" defaultValue={to} error={toError ?? undefined} spellCheck={false} />
        <div className="govuk-button-group">
          <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
            Show
          </button>
          {to ? (
            <Link className="govuk-link" to="/admin/emails">
              Show every email
            </Link>
          ) : null}
        </div>
      </Form>
      {emails.length === 0 ? (
        <p className="govuk-body">{to ? `No emails to ${to}.` : "No emails yet."}</p>
      ) : (
        <Table
          caption={to ? `${total} ${total === 1 ? "email" : "emails"} to ${to}` : `${total} emails`}
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
      <Pagination page={page} pages={pages} href={(n) => emailsPage(n, to)} />
    </>
  );
}
