import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, Button, ErrorSummary, PostForm, Select, Textarea } from "#app/components/govuk";
import { ChildReferenceInput, NightsInputs } from "#app/components/Utilisation";
import type { TypedDate } from "#app/modules/common/date-input";
import { correctOccupancy, getBedRecord, getBlockContract } from "#app/modules/utilisation/block-beds";
import { actionContext } from "#app/web/context";
import { fieldErrors, keptValues } from "#app/web/forms";
import { authorise, notFound, requireActor } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";
import { bedChoices, readNights } from "#app/web/utilisation.server";

export const meta: MetaFunction = () => pageMeta("Correct a child's stay in a bed");

const correctionForm = z.object({
  bedId: z.string().min(1, "Select the bed"),
  childReference: z.string().trim().min(1, "Enter the child's reference").max(30, "Child's reference must be 30 characters or fewer"),
  reason: z.string().trim().min(1, "Enter what was wrong with the record").max(2000, "The reason must be 2,000 characters or fewer"),
});

/** Only a child's stay is corrected here; the address's kind must say so. */
async function stayFor(request: Request, portal: Parameters<typeof authorise>[1], params: LoaderFunctionArgs["params"]) {
  requireActor(request, portal);
  const contract = await getBlockContract(portal.db, params.contractId ?? "");
  if (!contract || params.kind !== "occupancy") throw notFound();
  authorise(request, portal, "blockContract.view", { kind: "blockContract", providerId: contract.providerId });
  const record = await getBedRecord(portal.db, contract.id, "occupied", params.recordId ?? "");
  if (!record) throw notFound();
  authorise(request, portal, "bedRecord.withdraw", { kind: "bedRecord", providerId: record.providerId, recordKind: "occupied" });
  authorise(request, portal, "bedOccupancy.record", { kind: "blockContract", providerId: contract.providerId });
  const beds = await bedChoices(portal.db, contract.id);
  return { contract: { id: contract.id, reference: contract.reference }, record, beds };
}

function typed(iso: string | null): TypedDate {
  if (!iso) return { day: "", month: "", year: "" };
  const [year, month, day] = iso.split("-") as [string, string, string];
  return { day: String(Number(day)), month: String(Number(month)), year };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  return stayFor(request, context.portal, params);
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { contract, record, beds } = await stayFor(request, portal, params);
  const form = await request.formData();
  const values = keptValues(form);
  const nights = readNights(form, { lastOptional: true });
  const parsed = correctionForm.safeParse({ bedId: form.get("bedId") ?? "", childReference: form.get("childReference") ?? "", reason: form.get("reason") ?? "" });
  const errors = { ...(parsed.success ? {} : fieldErrors(parsed.error)), ...nights.errors };
  const bed = beds.find((b) => parsed.success && b.value === parsed.data.bedId);
  if (parsed.success && !bed) errors.bedId = "Select the bed";
  if (!parsed.success || !bed || Object.keys(errors).length > 0) return data({ errors, values, dates: nights.dates }, { status: 400 });
  try {
    await portal.db.transaction().execute((trx) =>
      correctOccupancy(
        trx,
        { occupancyId: record.id, bedId: bed.value, childReference: parsed.data.childReference, firstNight: nights.firstNight!, lastNight: nights.lastNight, reason: parsed.data.reason },
        actionContext(portal),
      ),
    );
  } catch (error) {
    const refused = refusalErrors(error);
    if (refused) return data({ errors: refused, values, dates: nights.dates }, { status: 400 });
    throw error;
  }
  return redirect(`/utilisation/${contract.id}`, {
    headers: {
      "Set-Cookie": portal.flashCookie({
        title: `Corrected: ${parsed.data.childReference.toUpperCase()} in ${bed.label}`,
        body: "The wrong record is withdrawn with your reason and stays on record; the corrected one counts instead.",
      }),
    },
  });
}

export default function CorrectStay() {
  const { contract, record, beds } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const v = result?.values;
  const dates = result?.dates ?? { firstNight: { typed: typed(record.firstNight) }, lastNight: { typed: typed(record.lastNight) } };
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`/utilisation/${contract.id}`}>Back to {contract.reference}</BackLink>
        <ErrorSummary errors={result?.errors} order={["bedId", "childReference", "firstNight", "lastNight", "reason", "form"]} />
        <span className="govuk-caption-l">Block contract {contract.reference}</span>
        <h1 className="govuk-heading-l">Correct a child&apos;s stay in a bed</h1>
        <p className="govuk-body">
          Change what was wrong. The record as it was is withdrawn with your reason and kept; the corrected one is a new record that counts instead.
        </p>
        <PostForm>
          <Select name="bedId" label="Bed" options={[{ value: "", label: "Select a bed" }, ...beds]} defaultValue={v?.bedId ?? beds.find((b) => b.label === `${record.homeName}, ${record.bedLabel}`)?.value ?? ""} error={result?.errors.bedId} />
          <ChildReferenceInput defaultValue={v?.childReference ?? record.detail} error={result?.errors.childReference} />
          <NightsInputs
            legends={{ first: "First night in the bed", last: "Last night in the bed (if known)" }}
            lastHint="Leave this empty if the child is still there. For example, 27 3 2027"
            dates={dates}
            errors={result?.errors}
          />
          <Textarea name="reason" label="What was wrong with the record?" hint="For example, the wrong bed or the wrong first night." defaultValue={v?.reason} error={result?.errors.reason} />
          <Button>Save the correction</Button>
        </PostForm>
      </div>
    </div>
  );
}
