import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, Button, ErrorSummary, PostForm, Select, Textarea } from "#app/components/govuk";
import { NightsInputs } from "#app/components/Utilisation";
import { recordUnavailability } from "#app/modules/utilisation/block-beds";
import { pageMeta } from "#app/web/page-title";
import { loadBedNightsForm, saveBedNightsForm } from "#app/web/bed-nights-form.server";

export const meta: MetaFunction = () => pageMeta("Record a bed as unavailable");

const unavailabilityForm = z.object({
  reason: z.string().trim().min(1, "Enter why the bed could not be used").max(2000, "The reason must be 2,000 characters or fewer"),
});

export const loader = ({ request, params, context }: LoaderFunctionArgs) => loadBedNightsForm(request, context.portal, params.contractId, "bedUnavailability.record");

export const action = ({ request, params, context }: ActionFunctionArgs) =>
  saveBedNightsForm(request, context.portal, params.contractId, {
    action: "bedUnavailability.record",
    fields: unavailabilityForm,
    fieldNames: ["reason"],
    save: (trx, { bed, firstNight, lastNight, fields }, ctx) => recordUnavailability(trx, { bedId: bed.value, firstNight, lastNight: lastNight!, reason: fields.reason }, ctx),
    saved: ({ bed }) => ({ title: `Recorded ${bed.label} as unavailable`, body: "Those nights are not charged." }),
  });

export default function RecordUnavailability() {
  const { contract, beds } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const v = result?.values;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`/utilisation/${contract.id}`}>Back to {contract.reference}</BackLink>
        <ErrorSummary errors={result?.errors} order={["bedId", "firstNight", "lastNight", "reason"]} />
        <span className="govuk-caption-l">Block contract {contract.reference}</span>
        <h1 className="govuk-heading-l">Record a bed as unavailable</h1>
        <p className="govuk-body">
          Nights the provider could not offer a bed, for example while a room is repaired or the home cannot staff it. Under the contract these nights are not
          charged.
        </p>
        <PostForm>
          <Select name="bedId" label="Bed" options={[{ value: "", label: "Select a bed" }, ...beds]} defaultValue={v?.bedId ?? ""} error={result?.errors.bedId} />
          <NightsInputs
            legends={{ first: "First night the bed could not be used", last: "Last night the bed could not be used" }}
            dates={result?.dates}
            errors={result?.errors}
          />
          <Textarea name="reason" label="Why the bed could not be used" defaultValue={v?.reason} error={result?.errors.reason} />
          <Button>Record the bed as unavailable</Button>
        </PostForm>
      </div>
    </div>
  );
}
