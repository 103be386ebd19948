// One document in the evidence library: its current version, its status, the
// file to download, and every earlier version it replaced.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BackLink, SummaryList, Table } from "#app/components/govuk";
import { EvidenceStatusTag } from "#app/components/EvidenceStatusTag";
import { evidenceOwner, getEvidence } from "#app/modules/evidence/evidence";
import { sizeText } from "#app/modules/files/files";
import { authoriseOwnEvidence } from "#app/web/evidence-form.server";
import { ukDate, ukDateTime } from "#app/web/format";
import { notFound } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data?.document.title ?? "Document");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const id = params.documentId ?? "";
  const actor = authoriseOwnEvidence(request, portal, "evidence.view", portal.actor ? await evidenceOwner(portal.db, id) : undefined);
  const found = await getEvidence(portal.db, actor.organisationId, id, new Date());
  if (!found) throw notFound();
  const shown = (d: typeof found.document) => ({
    id: d.id,
    title: d.title,
    kindLabel: d.kindLabel,
    expiresOn: d.expiresOn,
    status: d.status,
    uploadedAt: d.uploadedAt,
    uploadedByName: d.uploadedByName,
    supersededAt: d.supersededAt,
    fileName: d.file.fileName,
    size: sizeText(d.file.sizeBytes),
    sha256: d.file.sha256,
  });
  return { document: shown(found.document), versions: found.versions.map(shown), newestId: found.versions[0]!.id };
}

export default function EvidenceDocument() {
  const { document: doc, versions, newestId } = useLoaderData<typeof loader>();
  const isCurrent = doc.supersededAt === null;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-full">
        <BackLink to="/evidence">Back to the evidence library</BackLink>
        <span className="govuk-caption-l">{doc.kindLabel}</span>
        <h1 className="govuk-heading-l">{doc.title}</h1>
        {!isCurrent ? (
          <div className="govuk-inset-text">
            This is an earlier version, replaced on {ukDateTime(doc.supersededAt!)}.{" "}
            <Link className="govuk-link" to={`/evidence/${newestId}`}>
              See the current version
            </Link>
            .
          </div>
        ) : null}
        <SummaryList
          rows={[
            { key: "Status", value: isCurrent ? <EvidenceStatusTag status={doc.status} /> : "Replaced by a newer version" },
            { key: "Expires", value: doc.expiresOn ? ukDate(doc.expiresOn) : "No expiry date" },
            { key: "Uploaded", value: `${ukDateTime(doc.uploadedAt)}${doc.uploadedByName ? ` by ${doc.uploadedByName}` : ""}` },
            {
              key: "File",
              value: (
                <>
                  <a className="govuk-link" href={`/evidence/${doc.id}/file`} download>
                    Download {doc.fileName}
                  </a>{" "}
                  ({doc.size})
                </>
              ),
            },
            { key: "SHA-256 fingerprint", value: <span className="govuk-body-s">{doc.sha256}</span> },
          ]}
        />
        {isCurrent ? (
          <Link to={`/evidence/${doc.id}/replace`} role="button" draggable="false" className="govuk-button govuk-button--secondary" data-module="govuk-button">
            Replace with a renewed document
          </Link>
        ) : null}
        {versions.length > 1 ? (
          <Table
            caption="All versions"
            rows={versions}
            rowKey={(v) => v.id}
            columns={[
              {
                header: "Version",
                cell: (v) =>
                  v.id === doc.id ? (
                    <>
                      {v.title} <span className="govuk-body-s">(this page)</span>
                    </>
                  ) : (
                    <Link className="govuk-link" to={`/evidence/${v.id}`}>
                      {v.title}
                    </Link>
                  ),
              },
              { header: "File", cell: (v) => v.fileName },
              { header: "Expires", cell: (v) => (v.expiresOn ? ukDate(v.expiresOn) : "No expiry date") },
              { header: "Uploaded", cell: (v) => ukDateTime(v.uploadedAt) },
              { header: "Replaced", cell: (v) => (v.supersededAt ? ukDateTime(v.supersededAt) : "Current") },
            ]}
          />
        ) : null}
      </div>
    </div>
  );
}
