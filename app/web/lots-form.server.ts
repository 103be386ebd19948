// The action behind LotsForm (a bid's lots, a market application's lots):
// at least one lot and the version the page showed, checked with zod, then the
// module's change in one transaction; a refusal comes back beside the field
// with what was ticked kept.
import { data, redirect } from "@remix-run/node";
import { z } from "zod";
import type { Trx } from "#app/database/schema";
import type { ActionContext } from "#app/modules/identity/actor";
import { actionContext, type PortalContext } from "./context";
import { fieldErrors, formObject } from "./forms";
import { refusalErrors } from "./refusals";

export async function saveLotsForm(
  request: Request,
  portal: PortalContext,
  options: {
    /** The message when no lot is ticked, e.g. "Select at least one lot to bid for". */
    noneChosen: string;
    save: (trx: Trx, input: { lotIds: string[]; expectedVersion: number }, ctx: ActionContext) => Promise<unknown>;
    /** Where the person goes once it is saved. */
    next: string;
  },
) {
  const form = await request.formData();
  const chosen = form.getAll("lotIds").map(String);
  const parsed = z
    .object({ lotIds: z.array(z.string()).min(1, options.noneChosen), expectedVersion: z.coerce.number().int() })
    .safeParse(formObject(form, ["lotIds"]));
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), chosen }, { status: 400 });
  try {
    await portal.db.transaction().execute((trx) => options.save(trx, parsed.data, actionContext(portal)));
  } catch (error) {
    const errors = refusalErrors(error);
    if (errors) return data({ errors, chosen }, { status: 400 });
    throw error;
  }
  return redirect(options.next);
}
