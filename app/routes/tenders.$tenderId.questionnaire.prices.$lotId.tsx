import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Checkboxes, Textarea, TextInput } from "#app/components/govuk";
import { FormPage } from "#app/components/questionnaire/FormPage";
import { lotName, PriceScheduleDetails, WeightTotal } from "#app/components/questionnaire/QuestionDetails";
import type { PriceBasis, PriceComponentKey } from "#app/database/schema";
import { getQuestionnaire, PRICE_BASES, setPriceSchedule, weightTotals, type PriceItemInput } from "#app/modules/tendering/questionnaires";
import { fieldErrors } from "#app/web/forms";
import { notFound } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";
import { backToQuestionnaire, loadForChange, loadQuestionnaire, runChange, submittedVersion } from "./tenders.$tenderId.questionnaire.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `Price schedule for lot ${data.lot.number}` : "Price schedule");

async function lotPage(request: Request, portal: Parameters<typeof loadQuestionnaire>[1], tenderId: string | undefined, lotId: string | undefined, forChange: boolean) {
  const loaded = await (forChange ? loadForChange : loadQuestionnaire)(request, portal, tenderId);
  const lot = loaded.lots.find((l) => l.id === lotId);
  if (!lot) throw notFound();
  const basis = PRICE_BASES[lot.priceBasis as PriceBasis];
  return { ...loaded, lot, basis };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { tender, canEdit, questionnaire, lot, basis } = await lotPage(request, context.portal, params.tenderId, params.lotId, false);
  const schedule = questionnaire.priceSchedules.find((s) => s.lotId === lot.id);
  const total = weightTotals(questionnaire, [lot.id])[0]!;
  return {
    tender,
    canEdit,
    lot,
    basis,
    schedule,
    total,
    values: {
      priceWeight: schedule ? String(schedule.priceWeight) : "",
      needBands: (schedule?.items ?? []).map((i) => i.needBand ?? "").filter(Boolean).join("\n"),
      // A new schedule asks for every component of the basis until the officer says otherwise.
      components: schedule ? schedule.items.map((i) => i.component) : basis.components.map((c) => c.key),
    },
  };
}

const priceForm = z.object({
  priceWeight: z
    .string()
    .trim()
    .min(1, "Enter the price weight")
    .refine((v) => /^\d+$/.test(v), "Price weight must be a whole number, like 40")
    .transform(Number)
    .refine((n) => n <= 100, "Price weight must be from 0 to 100"),
});

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { tender, lot, basis } = await lotPage(request, portal, params.tenderId, params.lotId, true);
  const form = await request.formData();
  const values = { priceWeight: String(form.get("priceWeight") ?? ""), needBands: String(form.get("needBands") ?? ""), components: form.getAll("components").map(String) };
  const version = submittedVersion(form);
  const itemsField = basis.byNeedBand ? "needBands" : "components";
  const parsed = priceForm.safeParse(values);
  const errors = parsed.success ? {} : fieldErrors(parsed.error);
  const items: PriceItemInput[] = basis.byNeedBand
    ? values.needBands
        .split("\n")
        .map((b) => b.trim())
        .filter(Boolean)
        .map((needBand) => ({ component: basis.components[0]!.key, needBand }))
    : values.components.map((component) => ({ component: component as PriceComponentKey }));
  if (items.length === 0) errors[itemsField] = basis.byNeedBand ? "Enter at least one need band to price" : "Select at least one price to ask for";
  if (!parsed.success || Object.keys(errors).length > 0) return data({ errors, values, version, latest: null }, { status: 400 });
  const outcome = await runChange(
    portal.db,
    portal,
    (trx, ctx) => setPriceSchedule(trx, { tenderId: tender.id, expectedVersion: version, lotId: lot.id, priceWeight: parsed.data.priceWeight, items }, ctx),
    (field) => (field === "items" ? itemsField : field),
  );
  if (outcome.ok) return backToQuestionnaire(portal, tender.id, `Price schedule for lot ${lot.number} saved`);
  if (!outcome.stale) return data({ errors: outcome.errors, values, version, latest: null }, { status: 400 });
  const latest = (await getQuestionnaire(portal.db, tender.id)).priceSchedules.find((s) => s.lotId === lot.id) ?? null;
  return data({ errors: outcome.errors, values, version: tender.version, latest: { schedule: latest } }, { status: 409 });
}

export default function PriceSchedule() {
  const { tender, canEdit, lot, basis, schedule, total, values: saved } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const values = result?.values ?? saved;
  const errors = result?.errors;
  const suggested = 100 - total.quality;
  return (
    <FormPage
      tender={tender}
      heading={`Price schedule for ${lotName(lot)}`}
      errors={errors}
      errorOrder={["form", "priceWeight", "needBands", "components"]}
      version={result?.version ?? tender.version}
      canEdit={canEdit}
      readOnly={<PriceScheduleDetails schedule={schedule} lot={lot} />}
      submit="Save price schedule"
      savedNow={result?.latest ? <PriceScheduleDetails schedule={result.latest.schedule ?? undefined} lot={lot} /> : undefined}
    >
      <p className="govuk-body">
        This lot is priced as: <strong>{basis.label.toLowerCase()}</strong>.
      </p>
      <WeightTotal total={total} lot={lot} />
      <TextInput
        name="priceWeight"
        label="Price weight (%)"
        hint={`Quality questions carry ${total.quality}% for this lot, so a price weight of ${suggested < 0 ? 0 : suggested}% makes 100%.`}
        width="10"
        defaultValue={values.priceWeight}
        error={errors?.priceWeight}
      />
      {basis.byNeedBand ? (
        <Textarea
          name="needBands"
          label={`Need bands to price (${basis.components[0]!.label.toLowerCase()})`}
          hint="One need band on each line, for example Standard, then Enhanced. Providers give a weekly fee for each."
          defaultValue={values.needBands}
          error={errors?.needBands}
          rows={5}
        />
      ) : (
        <Checkboxes
          name="components"
          legend="Prices providers must give"
          hint="Select all that apply."
          options={basis.components.map((c) => ({ value: c.key, label: c.label, hint: `Per ${c.unit}` }))}
          checked={values.components}
          error={errors?.components}
        />
      )}
    </FormPage>
  );
}
