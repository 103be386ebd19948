import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, Button, ErrorSummary, PostForm, Select, Textarea } from "#app/components/govuk";
import { NightsInputs } from "#app/components/Utilisation";
import { recordUnavailability } from "#app/modules/utilisation/block-beds";
import { actionContext } from "#app/web/context";
import { fieldErrors, keptValues } from "#app/web/forms";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";
import { bedChoices, contractForAction, readNights } from "#app/web/utilisation.server";

export const meta: MetaFunction = () => pageMeta("Record a bed as unavailable");

const unavailabilityForm = z.object({
  bedId: z.string().min(1, "Select the bed"),
  reason: z.string().trim().min(1, "Enter why the bed could not be used").max(2000, "The reason must be 2,000 characters or fewer"),
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const contract = await contractForAction(request, context.portal, params.contractId, "bedUnavailability.record");
  return { contract, beds: await bedChoices(context.portal.db, contract.id) };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const contract = await contractForAction(request, portal, params.contractId, "bedUnavailability.record");
  const form = await request.formData();
  const values = keptValues(form);
  const nights = readNights(form);
  const parsed = unavailabilityForm.safeParse({ bedId: form.get("bedId") ?? "", reason: form.get("reason") ?? "" });
  const errors = { ...(parsed.success ? {} : fieldErrors(parsed.error)), ...nights.errors };
  const bed = (await bedChoices(portal.db, contract.id)).find((b) => parsed.success && b.value === parsed.data.bedId);
  if (parsed.success && !bed) errors.bedId = "Select the bed";
  if (!parsed.success || !bed || Object.keys(errors).length > 0) return data({ errors, values, dates: nights.dates }, { status: 400 });
  try {
    await portal.db.transaction().execute((trx) =>
      recordUnavailability(trx, { bedId: bed.value, firstNight: nights.firstNight!, lastNight: nights.lastNight!, reason: parsed.data.reason }, actionContext(portal)),
    );
  } catch (error) {
    const refused = refusalErrors(error);
    if (refused) return data({ errors: refused, values, dates: nights.dates }, { status: 400 });
    throw error;
  }
  return redirect(`/utilisation/${contract.id}`, {
    headers: { "Set-Cookie": portal.flashCookie({ title: `Recorded ${bed.label} as unavailable`, body: "Those nights are not charged." }) },
  });
}

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
