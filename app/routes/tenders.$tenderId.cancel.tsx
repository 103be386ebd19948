import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, Button, ErrorSummary, PostForm, Textarea } from "#app/components/govuk";
import { WarningText } from "#app/components/WarningText";
import { tenderFor } from "#app/components/tendering/load.server";
import { ConcurrentEditError } from "#app/modules/errors";
import { cancelTender } from "#app/modules/tendering/publication";
import { getTender } from "#app/modules/tendering/tenders";
import { actionContext } from "#app/web/context";
import { fieldErrors, keptValues } from "#app/web/forms";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `Cancel ${data.title}` : "Cancel a tender");

const cancelForm = z.object({
  reason: z.string().trim().min(1, "Enter the reason for cancelling the tender").max(2000, "The reason must be 2,000 characters or fewer"),
  version: z.coerce.number().int(),
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { view } = await tenderFor(request, context.portal, params.tenderId);
  const t = view.tender;
  if (t.status === "cancelled") throw redirect(`/tenders/${t.id}`);
  return { id: t.id, title: t.title, version: t.version, published: t.status === "published" };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { view } = await tenderFor(request, portal, params.tenderId);
  const form = await request.formData();
  const values = keptValues(form);
  const parsed = cancelForm.safeParse(values);
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), values }, { status: 400 });
  try {
    await portal.db
      .transaction()
      .execute((trx) => cancelTender(trx, { tenderId: view.tender.id, expectedVersion: parsed.data.version, reason: parsed.data.reason }, actionContext(portal), { baseUrl: portal.baseUrl }));
  } catch (error) {
    const errors = refusalErrors(error);
    if (!errors) throw error;
    // Told of someone else's change, the person confirms again on the tender as it is now.
    if (error instanceof ConcurrentEditError) values.version = String((await getTender(portal.db, view.tender.id))?.tender.version ?? values.version);
    return data({ errors, values }, { status: error instanceof ConcurrentEditError ? 409 : 400 });
  }
  return redirect(`/tenders/${view.tender.id}`, {
    headers: {
      "Set-Cookie": portal.flashCookie({
        title: "Tender cancelled",
        body: view.tender.status === "published" ? "The reason is shown on the tender, and every provider that registered interest is being emailed." : undefined,
      }),
    },
  });
}

export default function CancelTender() {
  const { id, title, version, published } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`/tenders/${id}`}>Back to the tender</BackLink>
        <ErrorSummary errors={result?.errors} order={["form", "reason"]} />
        <span className="govuk-caption-l">{title}</span>
        <h1 className="govuk-heading-l">Are you sure you want to cancel this tender?</h1>
        <WarningText>A cancelled tender cannot be published or changed again. Nothing is deleted.</WarningText>
        <p className="govuk-body">
          {published
            ? "The tender stays readable, marked as cancelled with your reason. Every provider that registered interest is emailed the reason."
            : "The draft was never published, so no provider is told."}
        </p>
        <PostForm>
          {/* The page's version: if someone changed the tender meanwhile, the cancellation is refused and they are told. */}
          <input type="hidden" name="version" value={result?.values.version ?? version} />
          <Textarea name="reason" label="Reason for cancelling" hint={published ? "Providers will read this." : undefined} defaultValue={result?.values.reason} error={result?.errors.reason} />
          <Button variant="warning">Cancel tender</Button>
        </PostForm>
      </div>
    </div>
  );
}
