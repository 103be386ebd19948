// The "email me a link" forms (forgotten password, sign-in link): one email
// box, and the same answer whether or not the address has an account.
import { data, redirect } from "@remix-run/node";
import { z } from "zod";
import type { Trx } from "#app/database/schema";
import type { ActionContext } from "#app/modules/identity/actor";
import { actionContext, type PortalContext } from "./context";
import { emailAddressField, fieldErrors } from "./forms";

const emailedLinkForm = z.object({ email: emailAddressField("Enter your email address") });

type SendLink = (trx: Trx, input: { email: string }, ctx: ActionContext, links: { baseUrl: string }) => Promise<void>;

/** Parses the form, asks the module to send the link, and goes back to sign-in saying to check the inbox. */
export async function emailLinkAction(request: Request, portal: PortalContext, send: SendLink, sentMessage: (email: string) => string) {
  const form = await request.formData();
  const parsed = emailedLinkForm.safeParse(Object.fromEntries(form));
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), email: String(form.get("email") ?? "") }, { status: 400 });
  await portal.db.transaction().execute((trx) => send(trx, { email: parsed.data.email }, actionContext(portal), { baseUrl: portal.baseUrl }));
  return redirect("/sign-in", {
    headers: { "Set-Cookie": portal.flashCookie({ title: "Check your email", body: sentMessage(parsed.data.email) }) },
  });
}
