import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, Button, ErrorSummary, PostForm, SummaryList, Textarea } from "#app/components/govuk";
import { getBedRecord, getBlockContract, withdrawBedRecord } from "#app/modules/utilisation/block-beds";
import { actionContext } from "#app/web/context";
import { fieldErrors, keptValues } from "#app/web/forms";
import { ukDate } from "#app/web/format";
import { authorise, notFound, requireActor } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? heading(data.record.kind) : "Withdraw a bed record");

const withdrawForm = z.object({
  reason: z.string().trim().min(1, "Enter why the record is withdrawn").max(2000, "The reason must be 2,000 characters or fewer"),
});

/** The address names the kind as a word: /records/occupancy/… or /records/unavailability/…. */
const KINDS = { occupancy: "occupied", unavailability: "unavailable" } as const;

function heading(kind: "occupied" | "unavailable") {
  return kind === "occupied" ? "Withdraw a child's stay in a bed" : "Withdraw a bed's unavailability";
}

async function recordFor(request: Request, portal: Parameters<typeof authorise>[1], params: LoaderFunctionArgs["params"]) {
  requireActor(request, portal);
  const kind = KINDS[params.kind as keyof typeof KINDS];
  const contract = await getBlockContract(portal.db, params.contractId ?? "");
  if (!kind || !contract) throw notFound();
  authorise(request, portal, "blockContract.view", { kind: "blockContract", providerId: contract.providerId });
  const record = await getBedRecord(portal.db, contract.id, kind, params.recordId ?? "");
  if (!record) throw notFound();
  authorise(request, portal, "bedRecord.withdraw", { kind: "bedRecord", providerId: record.providerId, recordKind: record.kind });
  return { contract: { id: contract.id, reference: contract.reference }, record };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  return recordFor(request, context.portal, params);
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { contract, record } = await recordFor(request, portal, params);
  const form = await request.formData();
  const values = keptValues(form);
  const parsed = withdrawForm.safeParse({ reason: form.get("reason") ?? "" });
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), values }, { status: 400 });
  try {
    await portal.db.transaction().execute((trx) => withdrawBedRecord(trx, { kind: record.kind, recordId: record.id, reason: parsed.data.reason }, actionContext(portal)));
  } catch (error) {
    const refused = refusalErrors(error);
    if (refused) return data({ errors: refused, values }, { status: 400 });
    throw error;
  }
  return redirect(`/utilisation/${contract.id}`, {
    headers: {
      "Set-Cookie": portal.flashCookie({
        title: `Withdrawn: ${record.homeName}, ${record.bedLabel}`,
        body: "It no longer counts in the figures and stays on record with your reason. If it was wrong rather than not needed, record it again with the right details.",
      }),
    },
  });
}

export default function WithdrawBedRecord() {
  const { contract, record } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const nights = record.lastNight
    ? record.lastNight === record.firstNight
      ? `The night of ${ukDate(record.firstNight)}`
      : `The nights of ${ukDate(record.firstNight)} to ${ukDate(record.lastNight)}`
    : `From the night of ${ukDate(record.firstNight)}, last night not yet known`;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`/utilisation/${contract.id}`}>Back to {contract.reference}</BackLink>
        <ErrorSummary errors={result?.errors} order={["reason"]} />
        <span className="govuk-caption-l">Block contract {contract.reference}</span>
        <h1 className="govuk-heading-l">{heading(record.kind)}</h1>
        <SummaryList
          rows={[
            { key: "Bed", value: `${record.homeName}, ${record.bedLabel}` },
            { key: "Nights", value: nights },
            record.kind === "occupied" ? { key: "Child's reference", value: record.detail } : { key: "Why the bed could not be used", value: record.detail },
          ]}
        />
        <p className="govuk-body">
          A withdrawn record no longer counts in the utilisation figures. Nothing is deleted: the record and your reason stay on record. To correct it, withdraw it
          and then record it again with the right details.
        </p>
        <PostForm>
          <Textarea name="reason" label="Why is this record withdrawn?" hint="For example, it was recorded against the wrong bed or the wrong nights." defaultValue={result?.values.reason} error={result?.errors.reason} />
          <Button variant="warning">Withdraw the record</Button>
        </PostForm>
      </div>
    </div>
  );
}
