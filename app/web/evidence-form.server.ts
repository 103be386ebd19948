// The evidence library's upload form (add and replace): what was typed, the
// expiry date's boxes checked as GOV.UK asks, and the file as the file store
// takes it, then the module's change. Kind, title and expiry rules are the
// evidence module's.
import { data, redirect } from "@remix-run/node";
import type { Trx } from "#app/database/schema";
import { parseDateInput, type DatePart, type TypedDate } from "#app/modules/common/date-input";
import type { ActionContext } from "#app/modules/identity/actor";
import { actionContext, type Flash, type PortalContext } from "./context";
import { keptValues, type FieldErrors } from "./forms";
import { authorise, notFound } from "./guard.server";
import { refusalErrors } from "./refusals";

export interface EvidenceFormValues {
  fields: Record<string, string>;
  expiresOn: TypedDate;
}

export type EvidenceFormResult =
  | { ok: false; errors: FieldErrors; dateParts: DatePart[]; values: EvidenceFormValues }
  | {
      ok: true;
      values: EvidenceFormValues;
      kind: string;
      title: string;
      expiresOn: string | null;
      file: { fileName: string; contents: Uint8Array };
    };

async function readEvidenceForm(request: Request): Promise<EvidenceFormResult> {
  const form = await request.formData();
  const fields = keptValues(form);
  const expiresOn: TypedDate = { day: fields["expiresOn-day"] ?? "", month: fields["expiresOn-month"] ?? "", year: fields["expiresOn-year"] ?? "" };
  const values = { fields, expiresOn };
  const date = parseDateInput(expiresOn, "Expiry date");
  if (date.kind === "problem") return { ok: false, errors: { expiresOn: date.message }, dateParts: date.parts, values };
  const upload = form.get("file");
  const file =
    upload !== null && typeof upload === "object"
      ? { fileName: upload.name, contents: new Uint8Array(await upload.arrayBuffer()) }
      : { fileName: "", contents: new Uint8Array() };
  return { ok: true, values, kind: fields.kind ?? "", title: fields.title ?? "", expiresOn: date.kind === "date" ? date.iso : null, file };
}

/**
 * The upload sent: the form read as above, the module's change (adding or
 * replacing) in one transaction, then the document's page with a banner. What
 * is wrong, or a refusal, comes back beside the field with what was typed kept.
 */
export async function saveEvidenceForm(
  request: Request,
  portal: PortalContext,
  save: (trx: Trx, form: Extract<EvidenceFormResult, { ok: true }>, ctx: ActionContext) => Promise<{ id: string }>,
  saved: Flash,
) {
  const form = await readEvidenceForm(request);
  if (!form.ok) return data({ errors: form.errors, dateParts: form.dateParts, values: form.values }, { status: 400 });
  let id: string;
  try {
    ({ id } = await portal.db.transaction().execute((trx) => save(trx, form, actionContext(portal))));
  } catch (error) {
    const errors = refusalErrors(error);
    if (errors) return data({ errors, dateParts: [], values: form.values }, { status: 400 });
    throw error;
  }
  return redirect(`/evidence/${id}`, { headers: { "Set-Cookie": portal.flashCookie(saved) } });
}

/** The signed-in provider user, allowed to manage their own organisation's evidence; anyone else is refused as the policy says. */
export function authoriseOwnEvidence(request: Request, portal: PortalContext, action: "evidence.manage" | "evidence.view", organisationId?: string | null) {
  if (!portal.actor) return authorise(request, portal, action);
  const owner = organisationId === undefined ? portal.actor.organisationId : organisationId;
  if (owner === null) throw notFound();
  return authorise(request, portal, action, { kind: "organisation", id: owner, organisationKind: "provider" });
}
