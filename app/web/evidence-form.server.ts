// The evidence library's upload form (add and replace): what was typed, the
// expiry date's boxes checked as GOV.UK asks, and the file as the file store
// takes it. Kind, title and expiry rules are the evidence module's.
import { parseDateInput, type DatePart, type TypedDate } from "#app/modules/common/date-input";
import type { PortalContext } from "./context";
import { keptValues, type FieldErrors } from "./forms";
import { authorise, notFound } from "./guard.server";

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

export async function readEvidenceForm(request: Request): Promise<EvidenceFormResult> {
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

/** The signed-in provider user, allowed to manage their own organisation's evidence; anyone else is refused as the policy says. */
export function authoriseOwnEvidence(request: Request, portal: PortalContext, action: "evidence.manage" | "evidence.view", organisationId?: string | null) {
  if (!portal.actor) return authorise(request, portal, action);
  const owner = organisationId === undefined ? portal.actor.organisationId : organisationId;
  if (owner === null) throw notFound();
  return authorise(request, portal, action, { kind: "organisation", id: owner, organisationKind: "provider" });
}
