// A provider's evidence library: its current documents with their expiry
// status, each replaceable, none uploaded twice.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Table } from "#app/components/govuk";
import { EvidenceStatusTag } from "#app/components/EvidenceStatusTag";
import { listEvidence } from "#app/modules/evidence/evidence";
import { authorise } from "#app/web/guard.server";
import { ukDate } from "#app/web/format";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction = () => pageMeta("Evidence library");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = authorise(request, context.portal, "evidence.list");
  const documents = await listEvidence(context.portal.db, actor.organisationId, new Date());
  return {
    organisationName: actor.organisationName,
    documents: documents.map((d) => ({ id: d.id, title: d.title, kindLabel: d.kindLabel, expiresOn: d.expiresOn, status: d.status, uploadedAt: d.uploadedAt })),
  };
}

export default function EvidenceLibrary() {
  const { organisationName, documents } = useLoaderData<typeof loader>();
  const needAttention = documents.filter((d) => d.status !== "current").length;
  return (
    <>
      <span className="govuk-caption-l">{organisationName}</span>
      <h1 className="govuk-heading-l">Evidence library</h1>
      <p className="govuk-body">
        Documents you upload here can be attached to any bid without uploading them again. We email everyone at {organisationName} 30 days before a
        document expires. An expired document cannot be attached to a bid.
      </p>
      {needAttention > 0 ? (
        <div className="govuk-inset-text">
          {needAttention === 1 ? "1 document has expired or expires" : `${needAttention} documents have expired or expire`} within 30 days. Replace
          {needAttention === 1 ? " it" : " them"} with the renewed document.
        </div>
      ) : null}
      <Link to="/evidence/new" role="button" draggable="false" className="govuk-button" data-module="govuk-button">
        Add a document
      </Link>
      {documents.length === 0 ? (
        <p className="govuk-body">You have not added any documents yet.</p>
      ) : (
        <Table
          caption={`${documents.length} ${documents.length === 1 ? "document" : "documents"}`}
          rows={documents}
          rowKey={(d) => d.id}
          columns={[
            {
              header: "Document",
              cell: (d) => (
                <>
                  <Link className="govuk-link" to={`/evidence/${d.id}`}>
                    {d.title}
                  </Link>
                  {d.title !== d.kindLabel ? (
                    <>
                      <br />
                      <span className="govuk-body-s">{d.kindLabel}</span>
                    </>
                  ) : null}
                </>
              ),
            },
            { header: "Expires", cell: (d) => (d.expiresOn ? ukDate(d.expiresOn) : "No expiry date") },
            { header: "Status", cell: (d) => <EvidenceStatusTag status={d.status} /> },
            { header: "Uploaded", cell: (d) => ukDate(d.uploadedAt) },
          ]}
        />
      )}
    </>
  );
}
