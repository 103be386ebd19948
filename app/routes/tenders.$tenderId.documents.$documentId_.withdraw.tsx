// Withdrawing a document from a tender's pack: the council's commissioning
// officer gives a reason; the document stays listed, as withdrawn. On a
// published tender it is an amendment, emailed to interested providers.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, Button, ErrorSummary, PostForm, Textarea } from "#app/components/govuk";
import { DOCUMENT_AMENDMENT_HINT, listTenderDocuments, withdrawTenderDocument } from "#app/modules/tendering/documents";
import { actionContext, type PortalContext } from "#app/web/context";
import { fieldErrors, formObject, keptValues } from "#app/web/forms";
import { authorise, notFound } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";
import { readableTender } from "#app/web/tender-pack.server";

export const meta: MetaFunction = () => pageMeta("Withdraw a document");

const withdrawForm = z.object({
  reason: z.string().trim().min(1, "Enter why the document is withdrawn").max(2000, "The reason must be 2000 characters or fewer"),
});

async function load(request: Request, portal: PortalContext, params: { tenderId?: string; documentId?: string }) {
  const { view, tender } = await readableTender(portal, params.tenderId);
  authorise(request, portal, "tenderDocument.manage", tender);
  const document = (await listTenderDocuments(portal.db, view.tender.id)).find((d) => d.id === params.documentId);
  if (!document || document.status !== "current") throw notFound();
  return { view, document };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { view, document } = await load(request, context.portal, params);
  return {
    tender: { id: view.tender.id, title: view.tender.title },
    document: { title: document.title, fileName: document.file.fileName },
    amendmentHint: view.tender.status === "published" ? DOCUMENT_AMENDMENT_HINT : null,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { view, document } = await load(request, portal, params);
  const form = await request.formData();
  const values = keptValues(form);
  const parsed = withdrawForm.safeParse(formObject(form));
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), values }, { status: 400 });
  let amendmentNumber: number | null;
  try {
    ({ amendmentNumber } = await portal.db
      .transaction()
      .execute((trx) => withdrawTenderDocument(trx, { tenderId: view.tender.id, documentId: document.id, reason: parsed.data.reason }, actionContext(portal), { baseUrl: portal.baseUrl })));
  } catch (error) {
    const errors = refusalErrors(error);
    if (errors) return data({ errors, values }, { status: 400 });
    throw error;
  }
  return redirect(`/tenders/${view.tender.id}/documents`, {
    headers: {
      "Set-Cookie": portal.flashCookie({
        title: `"${document.title}" withdrawn`,
        body: amendmentNumber ? `This is amendment ${amendmentNumber}: it is listed on the tender and interested providers will be emailed it.` : "It stays listed as withdrawn.",
      }),
    },
  });
}

export default function WithdrawDocument() {
  const { tender, document, amendmentHint } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`/tenders/${tender.id}/documents`} />
        <ErrorSummary errors={result?.errors} order={["reason"]} />
        <span className="govuk-caption-l">{tender.title}</span>
        <h1 className="govuk-heading-l">{`Withdraw "${document.title}"`}</h1>
        <p className="govuk-body">{`The file ${document.fileName} stays listed as withdrawn, with your reason, and can still be downloaded. Providers should no longer rely on it.`}</p>
        <PostForm>
          <Textarea name="reason" label="Why is it withdrawn?" hint={amendmentHint ?? undefined} rows={3} defaultValue={result?.values.reason} error={result?.errors.reason} />
          <Button variant="warning">Withdraw document</Button>
        </PostForm>
      </div>
    </div>
  );
}
