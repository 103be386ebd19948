// Replaces a document with its renewal: a new version with its own file and
// expiry date; the old one is kept, marked replaced.
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { EVIDENCE_FIELDS, EvidenceFields } from "#app/components/EvidenceFields";
import { BackLink, Button, ErrorSummary, PostForm } from "#app/components/govuk";
import { evidenceOwner, expiryRequired, getEvidence, replaceEvidence } from "#app/modules/evidence/evidence";
import { authoriseOwnEvidence, saveEvidenceForm } from "#app/web/evidence-form.server";
import { notFound } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction = () => pageMeta("Replace a document");

async function currentDocument(request: Request, portal: Parameters<typeof authoriseOwnEvidence>[1], id: string) {
  const actor = authoriseOwnEvidence(request, portal, "evidence.manage", portal.actor ? await evidenceOwner(portal.db, id) : undefined);
  const found = await getEvidence(portal.db, actor.organisationId, id, new Date());
  if (!found) throw notFound();
  return { actor, document: found.document };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { document } = await currentDocument(request, context.portal, params.documentId ?? "");
  // An earlier version is replaced by replacing the current one.
  if (document.supersededAt) throw redirect(`/evidence/${document.id}`);
  return { id: document.id, title: document.title, kindLabel: document.kindLabel, expiryRequired: expiryRequired(document.kind) };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { actor, document } = await currentDocument(request, portal, params.documentId ?? "");
  return saveEvidenceForm(
    request,
    portal,
    (trx, form, ctx) => replaceEvidence(trx, { organisationId: actor.organisationId, documentId: document.id, title: form.title, expiresOn: form.expiresOn, file: form.file }, ctx),
    { title: "Document replaced", body: "The earlier version is kept and listed below." },
  );
}

export default function ReplaceEvidence() {
  const doc = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`/evidence/${doc.id}`} />
        <ErrorSummary errors={result?.errors} order={EVIDENCE_FIELDS} />
        <span className="govuk-caption-l">{doc.kindLabel}</span>
        <h1 className="govuk-heading-l">Replace {doc.title}</h1>
        <p className="govuk-body">Upload the renewed document. The current one is kept as an earlier version.</p>
        <PostForm encType="multipart/form-data">
          <EvidenceFields
            state={result}
            defaultTitle={doc.title}
            titleHint="Change it if the renewed document needs a different title"
            expiryHint={`The last day the renewed document is valid, for example 31 3 2028.${doc.expiryRequired ? "" : " Leave blank if it has no expiry date."}`}
          />
          <Button>Replace document</Button>
        </PostForm>
      </div>
    </div>
  );
}
