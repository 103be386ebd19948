import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, Button, ErrorSummary, PostForm, Select } from "#app/components/govuk";
import { ChildReferenceInput, NightsInputs } from "#app/components/Utilisation";
import { recordOccupancy } from "#app/modules/utilisation/block-beds";
import { pageMeta } from "#app/web/page-title";
import { loadBedNightsForm, saveBedNightsForm } from "#app/web/bed-nights-form.server";

export const meta: MetaFunction = () => pageMeta("Record a child in a bed");

const occupancyForm = z.object({
  childReference: z.string().trim().min(1, "Enter the child's reference").max(30, "Child's reference must be 30 characters or fewer"),
});

export const loader = ({ request, params, context }: LoaderFunctionArgs) => loadBedNightsForm(request, context.portal, params.contractId, "bedOccupancy.record");

export const action = ({ request, params, context }: ActionFunctionArgs) =>
  saveBedNightsForm(request, context.portal, params.contractId, {
    action: "bedOccupancy.record",
    fields: occupancyForm,
    fieldNames: ["childReference"],
    lastNightOptional: true,
    save: (trx, { bed, firstNight, lastNight, fields }, ctx) => recordOccupancy(trx, { bedId: bed.value, childReference: fields.childReference, firstNight, lastNight }, ctx),
    saved: ({ bed, fields }) => ({ title: `Recorded ${fields.childReference.toUpperCase()} in ${bed.label}` }),
  });

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
