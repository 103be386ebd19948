import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { Button, ErrorSummary, PostForm, SummaryList, Table } from "#app/components/govuk";
import { RecordNotFound } from "#app/modules/errors";
import { detectFileType } from "#app/modules/files/file-types";
import { describeFile, readFile, storeFile } from "#app/modules/files/files";
import { applyDistrictImport, districtImports, previewDistrictImport } from "#app/modules/geography/districts";
import { actionContext } from "#app/web/context";
import { authorise, notFound } from "#app/web/guard.server";
import { ukDateTime } from "#app/web/format";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";

export const meta: MetaFunction = () => pageMeta("Postcode districts");

/** How many rows of each kind the preview lists; the counts cover them all. */
const PREVIEW_ROWS = 10;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { portal } = context;
  authorise(request, portal, "postcodeDistrict.import");
  const { districts, imports } = await districtImports(portal.db);
  return { districts, imports: imports.map((i) => ({ ...i, importedAt: i.importedAt.toISOString() })) };
}

async function textOf(chunks: AsyncIterable<Buffer>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts).toString("utf8");
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { portal } = context;
  const actor = authorise(request, portal, "postcodeDistrict.import");
  const form = await request.formData();
  try {
    if (form.get("intent") === "apply") {
      // The file previewed, as stored then: what is applied is exactly what was checked.
      const file = await describeFile(portal.db, String(form.get("fileId") ?? ""));
      if (!file || file.ownerOrganisationId !== actor.organisationId) throw new RecordNotFound("file");
      const text = await textOf(readFile(portal.db, file));
      const counts = await portal.db.transaction().execute((trx) => applyDistrictImport(trx, { fileName: file.fileName, text }, actionContext(portal)));
      return redirect("/admin/districts", {
        headers: {
          "Set-Cookie": portal.flashCookie({
            title: `Imported ${file.fileName}`,
            body: `${counts.added} districts added, ${counts.updated} updated, ${counts.unchanged} unchanged.`,
          }),
        },
      });
    }
    const upload = form.get("file");
    if (!(upload instanceof File) || upload.size === 0 || upload.name === "") {
      return data({ errors: { file: "Select a CSV file of postcode districts" }, preview: null }, { status: 400 });
    }
    const bytes = new Uint8Array(await upload.arrayBuffer());
    if (!detectFileType(bytes.subarray(0, 4096), upload.name)?.contentType.startsWith("text/")) {
      return data({ errors: { file: "The selected file must be a CSV file" }, preview: null }, { status: 400 });
    }
    const stored = await portal.db
      .transaction()
      .execute((trx) => storeFile(trx, { fileName: upload.name, contents: bytes, ownerOrganisationId: actor.organisationId }, actionContext(portal)));
    const preview = await previewDistrictImport(portal.db, { fileName: stored.fileName, text: Buffer.from(bytes).toString("utf8") });
    const problems = preview.errors.length + preview.moreErrors;
    const summary = { file: `The file has ${problems} problem${problems === 1 ? "" : "s"}, listed by line below: correct them and upload it again` };
    return data(
      {
        errors: problems > 0 ? summary : null,
        preview: {
          fileId: stored.id,
          fileName: preview.fileName,
          format: preview.format,
          rowsRead: preview.rowsRead,
          rowsSkipped: preview.rowsSkipped,
          districts: preview.districts.length,
          errors: preview.errors,
          moreErrors: preview.moreErrors,
          added: preview.added.length,
          firstAdded: preview.districts.filter((d) => preview.added.includes(d.outcode)).slice(0, PREVIEW_ROWS),
          updated: preview.updated.length,
          firstUpdated: preview.updated.slice(0, PREVIEW_ROWS),
          unchanged: preview.unchanged,
        },
      },
      { status: problems > 0 ? 400 : 200 }
    );
  } catch (error) {
    if (error instanceof RecordNotFound) throw notFound();
    const errors = refusalErrors(error);
    if (errors) return data({ errors, preview: null }, { status: 400 });
    throw error;
  }
}

const FORMAT_LABELS = {
  outcode_centroids: "District centres (outcode, latitude, longitude)",
  ons_postcode_directory: "ONS Postcode Directory (pcd, lat, long)",
};

function UploadForm({ error }: { error?: string }) {
  const root = useRouteLoaderData("root") as { csrfToken: string } | undefined;
  // A file needs a multipart form, which PostForm does not make.
  return (
    <Form method="post" encType="multipart/form-data" noValidate>
      <input type="hidden" name="_csrf" value={root?.csrfToken ?? ""} />
      <input type="hidden" name="intent" value="preview" />
      <div className={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
        <label className="govuk-label govuk-label--m" htmlFor="file">
          Upload a file of district locations
        </label>
        <div id="file-hint" className="govuk-hint">
          A CSV file with the columns outcode, latitude and longitude, or an extract of the ONS Postcode Directory with pcd, lat and long. Other columns are
          ignored. Smaller than 25MB. You will see what it changes before anything is saved.
        </div>
        {error ? (
          <p id="file-error" className="govuk-error-message">
            <span className="govuk-visually-hidden">Error:</span> {error}
          </p>
        ) : null}
        <input
          className={`govuk-file-upload${error ? " govuk-file-upload--error" : ""}`}
          id="file"
          name="file"
          type="file"
          accept=".csv,text/csv"
          aria-describedby={`file-hint${error ? " file-error" : ""}`}
        />
      </div>
      <Button>Check the file</Button>
    </Form>
  );
}

export default function PostcodeDistricts() {
  const { districts, imports } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const preview = result?.preview;
  const problems = preview ? preview.errors.length + preview.moreErrors : 0;
  // A file with problems: the summary links to the upload box, below the lines listed.
  return (
    <>
      <ErrorSummary errors={result?.errors ?? undefined} />
      {preview ? (
        <>
          <h1 className="govuk-heading-l">Check {preview.fileName}</h1>
          <SummaryList
            rows={[
              { key: "Format", value: preview.format ? FORMAT_LABELS[preview.format] : "Not recognised" },
              { key: "Rows read", value: String(preview.rowsRead) },
              ...(preview.format === "ons_postcode_directory" ? [{ key: "Rows without a location (skipped)", value: String(preview.rowsSkipped) }] : []),
              { key: "New districts", value: String(preview.added) },
              { key: "Districts that move", value: String(preview.updated) },
              { key: "Districts unchanged", value: String(preview.unchanged) },
            ]}
          />
          {preview.errors.length ? (
            <Table
              caption={`Lines with problems${preview.moreErrors ? ` (the first ${preview.errors.length}; ${preview.moreErrors} more)` : ""}`}
              rows={preview.errors}
              rowKey={(e) => `${e.line}-${e.message}`}
              columns={[
                { header: "Line", cell: (e) => String(e.line), numeric: true },
                { header: "Problem", cell: (e) => e.message },
              ]}
            />
          ) : null}
          {preview.firstAdded.length ? (
            <Table
              caption={`New districts${preview.added > preview.firstAdded.length ? ` (the first ${preview.firstAdded.length} of ${preview.added})` : ""}`}
              rows={preview.firstAdded}
              rowKey={(d) => d.outcode}
              columns={[
                { header: "District", cell: (d) => d.outcode },
                { header: "Latitude", cell: (d) => String(d.latitude), numeric: true },
                { header: "Longitude", cell: (d) => String(d.longitude), numeric: true },
              ]}
            />
          ) : null}
          {preview.firstUpdated.length ? (
            <Table
              caption={`Districts that move${
                preview.updated > preview.firstUpdated.length ? ` (the first ${preview.firstUpdated.length} of ${preview.updated})` : ""
              }`}
              rows={preview.firstUpdated}
              rowKey={(d) => d.outcode}
              columns={[
                { header: "District", cell: (d) => d.outcode },
                { header: "From", cell: (d) => `${d.from.latitude}, ${d.from.longitude}` },
                { header: "To", cell: (d) => `${d.to.latitude}, ${d.to.longitude}` },
              ]}
            />
          ) : null}
          {problems === 0 && preview.format ? (
            <PostForm>
              <input type="hidden" name="intent" value="apply" />
              <input type="hidden" name="fileId" value={preview.fileId} />
              <p className="govuk-body">Districts the file does not list are kept as they are.</p>
              <div className="govuk-button-group">
                <Button>Import these districts</Button>
                <Link className="govuk-link" to="/admin/districts">
                  Cancel
                </Link>
              </div>
            </PostForm>
          ) : null}
          <UploadForm error={result?.errors?.file} />
        </>
      ) : (
        <>
          <h1 className="govuk-heading-l">Postcode districts</h1>
          <p className="govuk-body">
            Placement search measures distances between the centres of postcode districts. {districts} district{districts === 1 ? " is" : "s are"} located. A
            home or search in a district not listed shows &quot;distance unknown&quot;.
          </p>
          <UploadForm error={result?.errors?.file} />
          {imports.length ? (
            <Table
              caption="Latest imports"
              rows={imports}
              rowKey={(i) => i.id}
              columns={[
                { header: "When", cell: (i) => ukDateTime(i.importedAt) },
                { header: "By", cell: (i) => i.importedBy ?? "The portal" },
                { header: "File", cell: (i) => i.fileName },
                { header: "Rows read", cell: (i) => String(i.rowsRead), numeric: true },
                { header: "Added", cell: (i) => String(i.added), numeric: true },
                { header: "Updated", cell: (i) => String(i.updated), numeric: true },
                { header: "Unchanged", cell: (i) => String(i.unchanged), numeric: true },
              ]}
            />
          ) : null}
        </>
      )}
    </>
  );
}
