// Adds a file to a contract, or a new version of one (?replaces=<file>): the
// council's commissioning officers upload the signed contract, schedules and
// variations through the file store. The earlier version is kept and listed.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, Button, ErrorSummary, FileUpload, PostForm, Radios, TextInput } from "#app/components/govuk";
import { CONTRACT_KIND_LABELS } from "#app/modules/contracts/contracts";
import { addContractFile, CONTRACT_FILE_KIND_LABELS, listContractFiles } from "#app/modules/contracts/files";
import { ACCEPTED_LABELS } from "#app/modules/files/file-types";
import { DEFAULT_MAX_FILE_BYTES } from "#app/modules/files/files";
import { actionContext } from "#app/web/context";
import { contractFor } from "#app/web/contracts.server";
import { fieldErrors, keptValues } from "#app/web/forms";
import { notFound } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data?.replaces ? `New version of ${data.replaces.title}` : "Add a file to a contract");

const fileForm = z.object({
  title: z.string().trim().min(1, "Enter the file's title").max(200, "The title must be 200 characters or fewer"),
  kind: z.string().default(""),
});

/** The contract, and the file a new version replaces (not found unless it is this contract's; one already replaced is refused, with the reason, on upload). */
async function uploadPage(request: Request, portal: Parameters<typeof contractFor>[1], contractId: string | undefined, replacesId: string | null) {
  const { contract } = await contractFor(request, portal, contractId, "contract.addFile");
  if (contract.status === "declined") throw notFound();
  const replaces = replacesId ? (await listContractFiles(portal.db, contract.id)).find((f) => f.id === replacesId) : undefined;
  if (replacesId && !replaces) throw notFound();
  return { contract, replaces: replaces ?? null };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { contract, replaces } = await uploadPage(request, context.portal, params.contractId, new URL(request.url).searchParams.get("replaces"));
  return {
    contract: { id: contract.id, name: `${CONTRACT_KIND_LABELS[contract.kind]} ${contract.reference}`, providerName: contract.providerName },
    replaces: replaces ? { id: replaces.id, title: replaces.title, versionNumber: replaces.versionNumber, kindLabel: CONTRACT_FILE_KIND_LABELS[replaces.kind] } : null,
    kinds: Object.entries(CONTRACT_FILE_KIND_LABELS).map(([value, label]) => ({ value, label })),
    fileHint: `A ${ACCEPTED_LABELS} file, smaller than ${Math.round(DEFAULT_MAX_FILE_BYTES / (1024 * 1024))}MB`,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  // Who may, before the body is read.
  const { contract, replaces } = await uploadPage(request, portal, params.contractId, new URL(request.url).searchParams.get("replaces"));
  const form = await request.formData();
  const values = keptValues(form);
  const parsed = fileForm.safeParse({ title: values.title ?? "", kind: values.kind ?? "" });
  const errors = parsed.success ? {} : fieldErrors(parsed.error);
  if (!replaces && !(values.kind ?? "")) errors.kind = "Choose what the file is";
  const file = form.get("file");
  if (!(file instanceof File) || file.name === "") errors.file = "Select a file";
  if (!parsed.success || Object.keys(errors).length > 0) return data({ errors, values }, { status: 400 });
  const upload = file as File;
  let versionNumber: number;
  try {
    ({ versionNumber } = await portal.db.transaction().execute(async (trx) =>
      addContractFile(
        trx,
        { contractId: contract.id, kind: parsed.data.kind, title: parsed.data.title, replacesId: replaces?.id ?? null, file: { fileName: upload.name, contents: new Uint8Array(await upload.arrayBuffer()) } },
        actionContext(portal),
        { baseUrl: portal.baseUrl },
      ),
    ));
  } catch (error) {
    const refused = refusalErrors(error);
    if (refused) return data({ errors: refused, values }, { status: 400 });
    throw error;
  }
  return redirect(`/contracts/${contract.id}`, {
    headers: {
      "Set-Cookie": portal.flashCookie({
        title: versionNumber > 1 ? `Version ${versionNumber} of "${parsed.data.title}" added` : `"${parsed.data.title}" added to the contract`,
        body: `${contract.providerName} has been emailed and can download it.${versionNumber > 1 ? " The earlier version is kept." : ""}`,
      }),
    },
  });
}

export default function AddContractFile() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const v = result?.values;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`/contracts/${page.contract.id}`}>Back to the contract</BackLink>
        <ErrorSummary errors={result?.errors} order={["form", "kind", "title", "file", "replacesId"]} href={(key) => (key === "replacesId" ? "#title" : `#${key}`)} />
        <span className="govuk-caption-l">{page.contract.name}</span>
        <h1 className="govuk-heading-l">{page.replaces ? `New version of ${page.replaces.title}` : "Add a file to the contract"}</h1>
        <p className="govuk-body">
          {page.replaces
            ? `This becomes version ${page.replaces.versionNumber + 1} of the ${page.replaces.kindLabel.toLowerCase()}. Version ${page.replaces.versionNumber} is kept and can still be downloaded.`
            : `For example the signed contract, a schedule or a variation. ${page.contract.providerName} is emailed and can download it. Files are never deleted: to correct one, add a new version of it.`}
        </p>
        <PostForm encType="multipart/form-data" action={`/contracts/${page.contract.id}/files/new${page.replaces ? `?replaces=${page.replaces.id}` : ""}`}>
          {page.replaces ? null : <Radios name="kind" legend="What is the file?" options={page.kinds} checked={v?.kind} error={result?.errors.kind} />}
          <TextInput
            name="title"
            label="Title"
            hint="What the provider will see, for example Schedule 2: prices"
            defaultValue={v?.title ?? page.replaces?.title}
            error={result?.errors.title ?? result?.errors.replacesId}
          />
          <FileUpload name="file" label="File" hint={page.fileHint} error={result?.errors.file} />
          <Button>{page.replaces ? "Upload the new version" : "Upload the file"}</Button>
        </PostForm>
      </div>
    </div>
  );
}
