// Evidence for one question, as a bid and an application's or request's
// condition of participation both take it: the files attached now (each a
// download link and a Remove button), documents to pick from the provider's
// evidence library with plain checkboxes, and a plain upload form that shows
// a progress bar where JavaScript runs.
import { Form, Link, useRouteLoaderData } from "@remix-run/react";
import { useState } from "react";
import { Button, Checkboxes, PostForm } from "#app/components/govuk";

export interface EvidenceAttachProps {
  /** What the council asks for, in its words. */
  evidenceRequired: string | null;
  files: { attachmentId: string; fileId: string; fileName: string; size: string }[];
  fileHref: (fileId: string) => string;
  /** The library's current documents not yet attached, each saying whether it can be. */
  library: { id: string; label: string; hint: string }[];
  /** The deadline's day a document must still be valid on, in words; null when there is none. */
  deadlineDay: string | null;
  /** Ticked library documents sent with a refused attachment. */
  checked?: string[];
  /** The checkboxes' name and the key of their error: "evidence" on a bid; "documents" beside a condition, whose words are "evidence". */
  field?: string;
  errors?: Record<string, string>;
  maxFileMb: number;
}

export function EvidenceAttach({ evidenceRequired, files, fileHref, library, deadlineDay, checked, errors, maxFileMb, field = "evidence" }: EvidenceAttachProps) {
  const root = useRouteLoaderData("root") as { csrfToken: string } | undefined;
  return (
    <>
      <h2 className="govuk-heading-m">Evidence</h2>
      {evidenceRequired ? <p className="govuk-body">{evidenceRequired}</p> : null}
      {files.length > 0 ? (
        <dl className="govuk-summary-list">
          {files.map((f) => (
            <div className="govuk-summary-list__row" key={f.attachmentId}>
              <dt className="govuk-summary-list__key">
                <Link className="govuk-link" to={fileHref(f.fileId)} reloadDocument>
                  {f.fileName}
                </Link>
              </dt>
              <dd className="govuk-summary-list__value">{f.size}</dd>
              <dd className="govuk-summary-list__actions">
                <PostForm>
                  <input type="hidden" name="attachmentId" value={f.attachmentId} />
                  <button type="submit" name="intent" value="remove" className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0">
                    Remove<span className="govuk-visually-hidden"> {f.fileName}</span>
                  </button>
                </PostForm>
              </dd>
            </div>
          ))}
        </dl>
      ) : (
        <p className="govuk-body">No evidence attached yet.</p>
      )}
      <h3 className="govuk-heading-s">From your evidence library</h3>
      {library.length > 0 ? (
        <PostForm>
          <Checkboxes
            name={field}
            legend="Choose documents to attach"
            hint={`Attach a document you keep in your evidence library instead of uploading it again. ${
              deadlineDay
                ? `It must still be valid on the day of the deadline, ${deadlineDay}: a document that expires before then cannot be attached.`
                : "An expired document cannot be attached."
            }`}
            options={library.map((d) => ({ value: d.id, label: d.label, hint: d.hint }))}
            checked={checked}
            error={errors?.[field]}
          />
          <Button name="intent" value="attach-evidence" variant="secondary">
            Attach chosen documents
          </Button>
        </PostForm>
      ) : (
        <p className="govuk-body">
          There are no other documents to attach. Documents you add to your{" "}
          <Link className="govuk-link" to="/evidence">
            evidence library
          </Link>{" "}
          can be attached without uploading them again.
        </p>
      )}
      <h3 className="govuk-heading-s">Or upload a file</h3>
      <UploadForm csrf={root?.csrfToken ?? ""} error={errors?.file} maxFileMb={maxFileMb} />
    </>
  );
}

/** A plain multipart form; with JavaScript it sends the file itself so it can show a progress bar. */
function UploadForm({ csrf, error, maxFileMb }: { csrf: string; error?: string; maxFileMb: number }) {
  const [progress, setProgress] = useState<number | null>(null);
  function upload(event: React.FormEvent<HTMLFormElement>) {
    const form = event.currentTarget;
    const input = form.elements.namedItem("file") as HTMLInputElement;
    if (!input.files?.length) return;
    event.preventDefault();
    const request = new XMLHttpRequest();
    request.upload.onprogress = (e) => setProgress(e.lengthComputable ? Math.round((e.loaded / e.total) * 100) : null);
    // After an upload the server redirects to the page to show next; a refusal comes back as the page with its message.
    request.onload = () => {
      if (request.status < 400) window.location.assign(request.responseURL || window.location.href);
      else {
        document.open();
        document.write(request.responseText);
        document.close();
      }
    };
    request.onerror = () => {
      setProgress(null);
      form.submit();
    };
    request.open("POST", form.action);
    request.send(new FormData(form));
    setProgress(0);
  }
  return (
    <Form method="post" encType="multipart/form-data" reloadDocument onSubmit={upload}>
      <input type="hidden" name="_csrf" value={csrf} />
      <input type="hidden" name="intent" value="upload" />
      <div className={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
        <label className="govuk-label govuk-label--s" htmlFor="file">
          Upload a file
        </label>
        <div id="file-hint" className="govuk-hint">
          PDF, Word, Excel, OpenDocument, text, PNG or JPEG, up to {maxFileMb}MB
        </div>
        {error ? (
          <p id="file-error" className="govuk-error-message">
            <span className="govuk-visually-hidden">Error:</span> {error}
          </p>
        ) : null}
        <input className={`govuk-file-upload${error ? " govuk-file-upload--error" : ""}`} id="file" name="file" type="file" aria-describedby={`file-hint${error ? " file-error" : ""}`} />
      </div>
      {progress !== null ? (
        <div className="govuk-body">
          <label htmlFor="upload-progress">Uploading: {progress}%</label>{" "}
          <progress id="upload-progress" max={100} value={progress} />
        </div>
      ) : null}
      <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
        Upload file
      </button>
    </Form>
  );
}
