// Adds a document to the provider's evidence library: its kind, a title, its
// expiry date (required for registration and insurance) and the file.
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { EVIDENCE_FIELDS, EvidenceFields } from "#app/components/EvidenceFields";
import { BackLink, Button, ErrorSummary, PostForm, Select } from "#app/components/govuk";
import { addEvidence, EVIDENCE_KIND_LABELS, EVIDENCE_KINDS } from "#app/modules/evidence/evidence";
import { authoriseOwnEvidence, saveEvidenceForm } from "#app/web/evidence-form.server";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction = () => pageMeta("Add a document");

export async function loader({ request, context }: LoaderFunctionArgs) {
  authoriseOwnEvidence(request, context.portal, "evidence.manage");
  return { kinds: EVIDENCE_KINDS.map((k) => ({ value: k, label: EVIDENCE_KIND_LABELS[k] })) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { portal } = context;
  const actor = authoriseOwnEvidence(request, portal, "evidence.manage");
  return saveEvidenceForm(
    request,
    portal,
    (trx, form, ctx) => addEvidence(trx, { organisationId: actor.organisationId, kind: form.kind, title: form.title, expiresOn: form.expiresOn, file: form.file }, ctx),
    { title: "Document added to your evidence library" },
  );
}

export default function AddEvidence() {
  const { kinds } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to="/evidence" />
        <ErrorSummary errors={result?.errors} order={EVIDENCE_FIELDS} />
        <h1 className="govuk-heading-l">Add a document</h1>
        <PostForm encType="multipart/form-data">
          <Select
            name="kind"
            label="Kind of document"
            options={[{ value: "", label: "Select the kind of document" }, ...kinds]}
            defaultValue={result?.values.fields.kind ?? ""}
            error={result?.errors.kind}
          />
          <EvidenceFields
            state={result}
            titleHint="For example, the insurer and policy number. Required for other documents; otherwise the kind of document is used."
            expiryHint="The last day the document is valid, for example 31 3 2027. Required for Ofsted registration and insurance certificates."
          />
          <Button>Add document</Button>
        </PostForm>
      </div>
    </div>
  );
}
