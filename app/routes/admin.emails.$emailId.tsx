import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BackLink, SummaryList, Tag } from "#app/components/govuk";
import { DemoLinksWarning } from "#app/components/WarningText";
import { getEmail } from "#app/modules/outbox/outbox";
import { authorise } from "#app/web/guard.server";
import { ukDateTime } from "#app/web/format";
import { EMAIL_STATUS } from "./admin.emails._index";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data?.email.subject ?? "Email");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  authorise(request, portal, "email.viewSent");
  const email = await getEmail(portal.db, params.emailId ?? "", portal.emailTransport);
  if (!email) throw new Response("Page not found", { status: 404 });
  return {
    email: {
      id: email.id,
      to: email.to,
      subject: email.subject,
      status: email.status,
      attempts: email.attempts,
      createdAt: email.createdAt.toISOString(),
      sentAt: email.sentAt?.toISOString() ?? null,
      lastError: email.lastError,
      text: email.text,
      links: email.links,
    },
  };
}

export default function EmailDetail() {
  const { email } = useLoaderData<typeof loader>();
  return (
    <>
      <BackLink to="/admin/emails" />
      <h1 className="govuk-heading-l">{email.subject}</h1>
      <SummaryList
        rows={[
          { key: "To", value: email.to },
          { key: "Queued", value: ukDateTime(email.createdAt) },
          { key: "Status", value: <Tag colour={EMAIL_STATUS[email.status]?.colour}>{EMAIL_STATUS[email.status]?.label ?? email.status}</Tag> },
          { key: "Attempts", value: String(email.attempts) },
          ...(email.sentAt ? [{ key: "Sent", value: ukDateTime(email.sentAt) }] : []),
          ...(email.lastError ? [{ key: "Last error", value: email.lastError }] : []),
        ]}
      />
      {email.links === "demo" ? <DemoLinksWarning /> : null}
      {email.links === "withheld" ? (
        <p className="govuk-body">
          {email.status === "sent" || email.status === "failed" ? "The link was taken out of the portal's copy when the email was sent" : "The link is not shown here"}, so only the person it is for can use it.
        </p>
      ) : null}
      <p className="govuk-body">
        <a className="govuk-link" href={`/admin/emails/${email.id}/html`}>
          View the email as the recipient sees it (HTML)
        </a>
      </p>
      <h2 className="govuk-heading-m">Plain text version</h2>
      <pre className="govuk-body portal-email-text">{email.text}</pre>
    </>
  );
}
