// The email's HTML exactly as sent, in a locked-down document: no scripts,
// no forms, nothing fetched from elsewhere.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getEmail } from "#app/modules/outbox/outbox";
import { authorise } from "#app/web/guard.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  authorise(request, context.portal, "email.viewSent");
  const email = await getEmail(context.portal.db, params.emailId ?? "", context.portal.emailTransport);
  if (!email) throw new Response("Page not found", { status: 404 });
  return new Response(email.html, {
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox",
    },
  });
}
