// What every evaluation page does first: find the tender, ask the policy
// (evaluation is for the tender's council's officers and evaluators), and
// turn the module's refusals into the right answer: not found as 404, a
// refusal the person can act on as form errors.
import type { Trx } from "#app/database/schema";
import type { Action } from "#app/policy/policy";
import { ActionRefused, RecordNotFound } from "#app/modules/errors";
import { DeclarationsInvalid } from "#app/modules/evaluation/conflicts";
import { tenderForPolicy, tenderThing } from "#app/modules/tendering/tenders";
import type { PortalContext } from "./context";
import type { FieldErrors } from "./forms";
import { authorise, notFound, requireActor } from "./guard.server";
import { refusalErrors } from "./refusals";

export async function evaluationTender(request: Request, portal: PortalContext, tenderId: string | undefined, action: Action) {
  requireActor(request, portal);
  const view = await tenderForPolicy(portal.db, tenderId ?? "");
  if (!view) throw notFound();
  const thing = tenderThing(view);
  const actor = authorise(request, portal, action, thing);
  return { tender: { id: view.tender.id, title: view.tender.title }, actor, thing };
}

/** A read the module may refuse: not found becomes 404; a refusal the person can act on comes back as its message. */
export async function readOrRefusal<T>(read: () => Promise<T>): Promise<{ value: T; refusal: null } | { value: null; refusal: string }> {
  try {
    return { value: await read(), refusal: null };
  } catch (error) {
    if (error instanceof RecordNotFound) throw notFound();
    if (error instanceof ActionRefused) return { value: null, refusal: error.message };
    throw error;
  }
}

/** Runs a change in one transaction; gives back its form errors if the module refused it. */
export async function change<T>(portal: PortalContext, work: (trx: Trx) => Promise<T>): Promise<{ value: T; errors: null } | { value: null; errors: FieldErrors }> {
  try {
    return { value: await portal.db.transaction().execute(work), errors: null };
  } catch (error) {
    if (error instanceof RecordNotFound) throw notFound();
    // Declarations are refused with a message per provider, all at once.
    if (error instanceof DeclarationsInvalid) return { value: null, errors: error.errors };
    const errors = refusalErrors(error);
    if (errors) return { value: null, errors };
    throw error;
  }
}
