// The action behind NewPasswordForm, for the emailed links that end in
// choosing a password (an invitation, a password reset, a sign-up's
// confirmation): presence and match checked with zod, then the module's change
// with the link's token in one transaction, then sign-in saying what happened.
// A refused password or a used-up link comes back beside the field.
import { data, redirect } from "@remix-run/node";
import type { Trx } from "#app/database/schema";
import type { ActionContext } from "#app/modules/identity/actor";
import { actionContext, type Flash, type PortalContext } from "./context";
import { fieldErrors } from "./forms";
import { newPasswordForm } from "./password-form";
import { refusalErrors } from "./refusals";

export async function newPasswordAction<T>(
  request: Request,
  portal: PortalContext,
  token: string | undefined,
  save: (trx: Trx, input: { token: string; password: string }, ctx: ActionContext) => Promise<T>,
  /** The banner on the sign-in page, from what the module returned. */
  done: (saved: T) => Flash,
) {
  const parsed = newPasswordForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error) }, { status: 400 });
  let saved: T;
  try {
    saved = await portal.db.transaction().execute((trx) => save(trx, { token: token ?? "", password: parsed.data.password }, actionContext(portal)));
  } catch (error) {
    const errors = refusalErrors(error);
    if (errors) return data({ errors }, { status: 400 });
    throw error;
  }
  return redirect("/sign-in", { headers: { "Set-Cookie": portal.flashCookie(done(saved)) } });
}
