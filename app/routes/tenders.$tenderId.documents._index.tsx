// A tender's documents pack: the current documents, and those replaced or
// withdrawn (kept, never deleted). Providers that registered interest and the
// lead council's staff download them; the council's commissioning officers
// add and replace documents here, as an amendment once the tender is published.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, Button, ErrorSummary, FileUpload, PostForm, Select, Table, Textarea, TextInput } from "#app/components/govuk";
import { ACCEPTED_LABELS, contentTypeLabel } from "#app/modules/files/file-types";
import { DEFAULT_MAX_FILE_BYTES, sizeText } from "#app/modules/files/files";
import { addTenderDocument, DOCUMENT_AMENDMENT_HINT, listTenderDocuments } from "#app/modules/tendering/documents";
import { allowed } from "#app/policy/policy";
import { actionContext } from "#app/web/context";
import { ukDateTime } from "#app/web/format";
import { fieldErrors, formObject, keptValues } from "#app/web/forms";
import { authorise } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";
import { readableTender } from "#app/web/tender-pack.server";

export const meta: MetaFunction = () => pageMeta("Tender documents");

const uploadForm = z.object({
  title: z.string().trim().min(1, "Enter the document title").max(200, "The document title must be 200 characters or fewer"),
  replacesDocumentId: z.string().default(""),
  reason: z.string().trim().max(2000, "The reason must be 2000 characters or fewer").default(""),
});

export async function loader({ params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const { view, tender, pack } = await readableTender(portal, params.tenderId);
  const t = view.tender;
  const changeable = t.status === "draft" || (t.status === "published" && t.submission_deadline_at !== null && t.submission_deadline_at > new Date());
  const actor = portal.actor;
  return {
    tender: { id: t.id, title: t.title, status: t.status },
    // Worked out here, so the page's browser bundle needs nothing of the file store.
    documents: (await listTenderDocuments(portal.db, t.id)).map((d) => ({
      ...d,
      fileLabel: `${d.file.fileName} (${contentTypeLabel(d.file.contentType)}, ${sizeText(d.file.sizeBytes)})`,
      typeAndSize: `${contentTypeLabel(d.file.contentType)}, ${sizeText(d.file.sizeBytes)}`,
    })),
    fileHint: `A ${ACCEPTED_LABELS} file, smaller than ${Math.round(DEFAULT_MAX_FILE_BYTES / (1024 * 1024))}MB`,
    amendmentHint: DOCUMENT_AMENDMENT_HINT,
    canDownload: allowed(actor, "tenderDocument.download", pack),
    viewer: actor?.organisationKind === "provider" ? "provider" : actor ? "council" : "public",
    canManage: changeable && allowed(actor, "tenderDocument.manage", tender),
    amendment: t.status === "published",
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { view, tender } = await readableTender(portal, params.tenderId);
  authorise(request, portal, "tenderDocument.manage", tender);
  const form = await request.formData();
  const values = keptValues(form);
  const parsed = uploadForm.safeParse(formObject(form, []));
  const file = form.get("file");
  const errors = parsed.success ? {} : fieldErrors(parsed.error);
  if (!(file instanceof File) || file.name === "") errors.file = "Select a file";
  if (!parsed.success || errors.file) return data({ errors, values }, { status: 400 });
  const upload = file as File;
  try {
    const { amendmentNumber } = await portal.db.transaction().execute(async (trx) =>
      addTenderDocument(
        trx,
        {
          tenderId: view.tender.id,
          title: parsed.data.title,
          file: { fileName: upload.name, contents: new Uint8Array(await upload.arrayBuffer()) },
          replacesDocumentId: parsed.data.replacesDocumentId || null,
          reason: parsed.data.reason,
        },
        actionContext(portal),
        { baseUrl: portal.baseUrl },
      ),
    );
    return redirect(`/tenders/${view.tender.id}/documents`, {
      headers: {
        "Set-Cookie": portal.flashCookie({
          title: parsed.data.replacesDocumentId ? `"${parsed.data.title}" replaces the earlier document` : `"${parsed.data.title}" added to the documents`,
          body: amendmentNumber ? `This is amendment ${amendmentNumber}: it is listed on the tender and interested providers will be emailed it.` : undefined,
        }),
      },
    });
  } catch (error) {
    const refused = refusalErrors(error);
    if (refused) return data({ errors: refused, values }, { status: 400 });
    throw error;
  }
}

export default function TenderDocuments() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const v = result?.values;
  const { tender } = page;
  const current = page.documents.filter((d) => d.status === "current");
  const earlier = page.documents.filter((d) => d.status !== "current");
  type Row = (typeof page.documents)[number];
  const title = (d: Row) =>
    page.canDownload ? (
      <Link className="govuk-link" to={`/tenders/${tender.id}/documents/${d.id}`} reloadDocument>
        {d.title}
        <span className="govuk-visually-hidden">{`, ${d.typeAndSize}`}</span>
      </Link>
    ) : (
      d.title
    );
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`/tenders/${tender.id}`} />
        <ErrorSummary errors={result?.errors} order={["title", "file", "replacesDocumentId", "reason"]} />
        <span className="govuk-caption-l">{tender.title}</span>
        <h1 className="govuk-heading-l">Tender documents</h1>
        {!page.canDownload && page.viewer === "provider" ? (
          <div className="govuk-inset-text">
            Register interest in this tender on <Link className="govuk-link" to={`/tenders/${tender.id}`}>the tender's page</Link> to download its documents.
          </div>
        ) : null}
        {!page.canDownload && page.viewer === "public" ? (
          <div className="govuk-inset-text">
            Providers <Link className="govuk-link" to={`/sign-in?returnTo=${encodeURIComponent(`/tenders/${tender.id}/documents`)}`}>sign in</Link> and register interest in the tender to download its documents.
          </div>
        ) : null}
        {!page.canDownload && page.viewer === "council" ? (
          <div className="govuk-inset-text">Only the staff of the council running this tender and providers that registered interest can download its documents.</div>
        ) : null}
      </div>
      <div className="govuk-grid-column-full">
        {current.length === 0 ? (
          <p className="govuk-body">There are no documents in the pack yet.</p>
        ) : (
          <Table
            caption="Documents in the pack"
            rows={current}
            rowKey={(d) => d.id}
            columns={[
              { header: "Document", cell: title },
              { header: "File", cell: (d) => d.fileLabel },
              { header: "Added", cell: (d) => ukDateTime(d.addedAt) },
              ...(page.canManage
                ? [
                    {
                      header: <span className="govuk-visually-hidden">Action</span>,
                      cell: (d: Row) => (
                        <Link className="govuk-link" to={`/tenders/${tender.id}/documents/${d.id}/withdraw`}>
                          Withdraw<span className="govuk-visually-hidden">{` ${d.title}`}</span>
                        </Link>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        )}
        {earlier.length > 0 ? (
          <Table
            caption="Replaced and withdrawn documents"
            rows={earlier}
            rowKey={(d) => d.id}
            columns={[
              { header: "Document", cell: title },
              {
                header: "Status",
                cell: (d) => (d.status === "replaced" ? `Replaced by "${d.replacedByTitle}"` : `Withdrawn ${d.withdrawal ? ukDateTime(d.withdrawal.at) : ""}: ${d.withdrawal?.reason ?? ""}`),
              },
              { header: "Added", cell: (d) => ukDateTime(d.addedAt) },
            ]}
          />
        ) : null}
      </div>
      {page.canManage ? (
        <div className="govuk-grid-column-two-thirds">
          <h2 className="govuk-heading-m">Add a document</h2>
          <PostForm encType="multipart/form-data">
            <TextInput name="title" label="Document title" hint="What providers will see, for example Service specification" defaultValue={v?.title} error={result?.errors.title} />
            <FileUpload
              name="file"
              label="File"
              hint={page.fileHint}
              error={result?.errors.file}
            />
            {current.length > 0 ? (
              <Select
                name="replacesDocumentId"
                label="Does it replace a document?"
                hint="A replaced document stays listed as replaced."
                options={[{ value: "", label: "No, it is a new document" }, ...current.map((d) => ({ value: d.id, label: `Yes, it replaces "${d.title}"` }))]}
                defaultValue={v?.replacesDocumentId ?? ""}
                error={result?.errors.replacesDocumentId}
              />
            ) : null}
            {page.amendment ? (
              <Textarea name="reason" label="Reason for the change" hint={page.amendmentHint} rows={3} defaultValue={v?.reason} error={result?.errors.reason} />
            ) : null}
            <Button>Upload document</Button>
          </PostForm>
        </div>
      ) : null}
    </div>
  );
}
