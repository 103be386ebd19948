import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, Button, ErrorSummary, PostForm, Select } from "#app/components/govuk";
import { ChildReferenceInput, NightsInputs } from "#app/components/Utilisation";
import { recordOccupancy } from "#app/modules/utilisation/block-beds";
import { actionContext } from "#app/web/context";
import { fieldErrors, keptValues } from "#app/web/forms";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";
import { bedChoices, contractForAction, readNights } from "#app/web/utilisation.server";

export const meta: MetaFunction = () => pageMeta("Record a child in a bed");

const occupancyForm = z.object({
  bedId: z.string().min(1, "Select the bed"),
  childReference: z.string().trim().min(1, "Enter the child's reference").max(30, "Child's reference must be 30 characters or fewer"),
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const contract = await contractForAction(request, context.portal, params.contractId, "bedOccupancy.record");
  return { contract, beds: await bedChoices(context.portal.db, contract.id) };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const contract = await contractForAction(request, portal, params.contractId, "bedOccupancy.record");
  const form = await request.formData();
  const values = keptValues(form);
  const nights = readNights(form, { lastOptional: true });
  const parsed = occupancyForm.safeParse({ bedId: form.get("bedId") ?? "", childReference: form.get("childReference") ?? "" });
  const errors = { ...(parsed.success ? {} : fieldErrors(parsed.error)), ...nights.errors };
  const bed = (await bedChoices(portal.db, contract.id)).find((b) => parsed.success && b.value === parsed.data.bedId);
  if (parsed.success && !bed) errors.bedId = "Select the bed";
  if (!parsed.success || !bed || Object.keys(errors).length > 0) return data({ errors, values, dates: nights.dates }, { status: 400 });
  try {
    await portal.db.transaction().execute((trx) =>
      recordOccupancy(trx, { bedId: bed.value, childReference: parsed.data.childReference, firstNight: nights.firstNight!, lastNight: nights.lastNight }, actionContext(portal)),
    );
  } catch (error) {
    const refused = refusalErrors(error);
    if (refused) return data({ errors: refused, values, dates: nights.dates }, { status: 400 });
    throw error;
  }
  return redirect(`/utilisation/${contract.id}`, {
    headers: { "Set-Cookie": portal.flashCookie({ title: `Recorded ${parsed.data.childReference.toUpperCase()} in ${bed.label}` }) },
  });
}

export default function RecordOccupancy() {
  const { contract, beds } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const v = result?.values;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`/utilisation/${contract.id}`}>Back to {contract.reference}</BackLink>
        <ErrorSummary errors={result?.errors} order={["bedId", "childReference", "firstNight", "lastNight"]} />
        <span className="govuk-caption-l">Block contract {contract.reference}</span>
        <h1 className="govuk-heading-l">Record a child in a bed</h1>
        <p className="govuk-body">The nights a child sleeps in a contracted bed count as occupied. A bed holds one child a night.</p>
        <PostForm>
          <Select name="bedId" label="Bed" options={[{ value: "", label: "Select a bed" }, ...beds]} defaultValue={v?.bedId ?? ""} error={result?.errors.bedId} />
          <ChildReferenceInput defaultValue={v?.childReference} error={result?.errors.childReference} />
          <NightsInputs
            legends={{ first: "First night in the bed", last: "Last night in the bed (if known)" }}
            lastHint="Leave this empty if the child is still there. For example, 27 3 2027"
            dates={result?.dates}
            errors={result?.errors}
          />
          <Button>Record the child in the bed</Button>
        </PostForm>
      </div>
    </div>
  );
}
