// One lot's scoring rules, for the tender's commissioning officers: how price
// is scored (lowest price, relative to the average, or fixed bands with their
// limits and percentages) and, on framework and dynamic-market lots, whom the
// lot admits. Open until the bids are opened (decision 032); after that the
// page shows what was chosen. Saved from the version the page showed.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { BackLink, Button, ErrorSummary, PostForm, Radios, SummaryList, TextInput } from "#app/components/govuk";
import type { PriceMethodKind } from "#app/database/schema";
import { formatPoints, type LotKind } from "#app/modules/evaluation/scoring";
import {
  admitsSeveral,
  bandFields,
  HIGHER_BAND_FIELD,
  MAX_PRICE_BANDS,
  PRICE_METHOD_LABELS,
  scoringRulesProblems,
  setScoringRules,
  tenderScoringSetup,
  type LotScoringSetup,
  type ScoringRulesInput,
} from "#app/modules/evaluation/scoring-rules";
import { actionContext } from "#app/web/context";
import { change, evaluationTender, readOrRefusal } from "#app/web/evaluation.server";
import type { FieldErrors } from "#app/web/forms";
import { keptValues } from "#app/web/forms";
import { notFound } from "#app/web/guard.server";
import { penceFromPounds, poundsForForm } from "#app/web/money";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `Scoring rules for lot ${data.lot.number}` : "Scoring rules");

/** Bands the form offers with an upper price; one more is for any higher price. */
const BOUNDED_ROWS = MAX_PRICE_BANDS - 1;
const ROWS = Array.from({ length: BOUNDED_ROWS }, (_, i) => i + 1);

async function lotOf(request: Request, portal: Parameters<typeof evaluationTender>[1], tenderId: string | undefined, lotId: string | undefined) {
  const { tender, actor } = await evaluationTender(request, portal, tenderId, "evaluation.manage");
  const read = await readOrRefusal(() => tenderScoringSetup(portal.db, tender.id, actor));
  const lot = read.value?.lots.find((l) => l.lotId === lotId);
  if (!read.value || !lot) throw notFound();
  return { tender, actor, editable: read.value.editable, lot };
}

/** The saved rules as the form's boxes show them. */
function formValues(lot: LotScoringSetup): Record<string, string> {
  const values: Record<string, string> = {
    priceMethod: lot.rules.priceMethod.kind,
    admission: lot.rules.admitTopN === null ? "all" : "top",
    admitTopN: lot.rules.admitTopN === null ? "" : String(lot.rules.admitTopN),
    admissionThreshold: lot.rules.admissionThreshold === null ? "" : formatPoints(lot.rules.admissionThreshold).replace(/\.00$/, ""),
  };
  if (lot.rules.priceMethod.kind === "fixed_bands") {
    const bands = lot.rules.priceMethod.bands;
    bands.forEach((band, i) => {
      if (band.upToPence === null) values[HIGHER_BAND_FIELD] = String(band.percentOfWeight);
      else {
        values[bandFields(i + 1).upTo] = poundsForForm(band.upToPence);
        values[bandFields(i + 1).percent] = String(band.percentOfWeight);
      }
    });
  }
  return values;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { tender, editable, lot } = await lotOf(request, context.portal, params.tenderId, params.lotId);
  return {
    tender,
    editable,
    lot: { id: lot.lotId, number: lot.number, title: lot.title, admitsSeveral: admitsSeveral(lot.kind), priceWeight: lot.priceWeight, version: lot.rules.version },
    current: { priceMethod: lot.priceMethodSentence, outcome: lot.outcomeSentence, by: lot.rules.updatedBy },
    values: formValues(lot),
  };
}

const METHODS: PriceMethodKind[] = ["lowest_price", "relative_to_average", "fixed_bands"];
const percentPattern = /^\d{1,3}$/;

/** The typed rules, or a message per box that cannot be read; then the rules' own checks on what could. */
function readScoringForm(values: Record<string, string>, kind: LotKind): { input: ScoringRulesInput | null; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const lotAdmitsSeveral = admitsSeveral(kind);
  const method = values.priceMethod as PriceMethodKind;
  if (!METHODS.includes(method)) errors.priceMethod = "Choose how price is scored";
  const bands: { upToPence: number | null; percentOfWeight: number }[] = [];
  if (method === "fixed_bands") {
    const filled = ROWS.map((n) => ({ n, upTo: (values[bandFields(n).upTo] ?? "").trim(), percent: (values[bandFields(n).percent] ?? "").trim() }));
    const lastFilled = Math.max(0, ...filled.filter((r) => r.upTo || r.percent).map((r) => r.n));
    for (const row of filled) {
      const fields = bandFields(row.n);
      if (row.n > lastFilled) break;
      if (!row.upTo && !row.percent) {
        errors[fields.upTo] = `Band ${row.n} is empty: fill in the bands from the top, with no empty band between`;
        continue;
      }
      const upTo = penceFromPounds(row.upTo, `Band ${row.n}'s upper price`);
      if (upTo.kind === "empty") errors[fields.upTo] = `Enter the upper price of band ${row.n}`;
      if (upTo.kind === "problem") errors[fields.upTo] = upTo.message;
      if (!row.percent) errors[fields.percent] = `Enter the percentage band ${row.n} scores`;
      else if (!percentPattern.test(row.percent)) errors[fields.percent] = `Band ${row.n}'s percentage must be a whole number from 0 to 100`;
      bands.push({ upToPence: upTo.kind === "pence" ? upTo.pence : null, percentOfWeight: Number(row.percent) });
    }
    const higher = (values[HIGHER_BAND_FIELD] ?? "").trim();
    if (!higher) errors[HIGHER_BAND_FIELD] = "Enter the percentage for any higher price";
    else if (!percentPattern.test(higher)) errors[HIGHER_BAND_FIELD] = "The percentage for any higher price must be a whole number from 0 to 100";
    bands.push({ upToPence: null, percentOfWeight: Number(higher) });
  }
  let admitTopN: number | null = null;
  let admissionThreshold: number | null = null;
  if (lotAdmitsSeveral) {
    const admission = values.admission;
    if (admission !== "all" && admission !== "top") errors.admission = "Choose whom the lot admits";
    if (admission === "top") {
      const n = (values.admitTopN ?? "").trim();
      if (!n) errors.admitTopN = "Enter how many bids to admit";
      else if (!/^\d{1,5}$/.test(n)) errors.admitTopN = "The number to admit must be a whole number, 1 or more";
      else admitTopN = Number(n);
    }
    const threshold = (values.admissionThreshold ?? "").trim();
    if (threshold) {
      if (!/^\d{1,3}(\.\d{1,2})?$/.test(threshold)) errors.admissionThreshold = "The minimum total must be a number of points from 0 to 100, like 60 or 62.5";
      else {
        const [whole, fraction = ""] = threshold.split(".");
        admissionThreshold = Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
      }
    }
  }
  if (errors.priceMethod) return { input: null, errors };
  const input: ScoringRulesInput = {
    priceMethod: method === "fixed_bands" ? { kind: "fixed_bands", bands } : { kind: method as "lowest_price" | "relative_to_average" },
    admitTopN,
    admissionThreshold,
  };
  // The rules' checks (bands in order, percentages up to 100, N of 1 or more) on every box that could be read.
  for (const [field, message] of Object.entries(scoringRulesProblems(input, kind))) errors[field] ??= message;
  return { input: Object.keys(errors).length ? null : input, errors };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { tender, actor, lot } = await lotOf(request, portal, params.tenderId, params.lotId);
  const form = await request.formData();
  const values = keptValues(form);
  const version = Number(form.get("expectedVersion"));
  const { input, errors } = readScoringForm(values, lot.kind);
  if (!input) return data({ errors, values, version }, { status: 400 });
  const result = await change(portal, (trx) => setScoringRules(trx, { tenderId: tender.id, lotId: lot.lotId, expectedVersion: version, ...input }, actionContext(portal)));
  if (result.errors) {
    // Someone else saved first: keep what this person typed, and let a second save knowingly replace theirs.
    const latest = await tenderScoringSetup(portal.db, tender.id, actor);
    const now = latest.lots.find((l) => l.lotId === lot.lotId)!;
    return data({ errors: result.errors, values, version: now.rules.version }, { status: version !== now.rules.version ? 409 : 400 });
  }
  return redirect(`/tenders/${tender.id}/evaluation`, { headers: { "Set-Cookie": portal.flashCookie({ title: `Lot ${lot.number}'s scoring rules are saved` }) } });
}

const ERROR_ORDER = ["form", "priceMethod", ...ROWS.flatMap((n) => [bandFields(n).upTo, bandFields(n).percent]), HIGHER_BAND_FIELD, "admission", "admitTopN", "admissionThreshold"];

export default function ScoringRulesPage() {
  const { tender, editable, lot, current, values: saved } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const values = (result?.values ?? saved) as Record<string, string>;
  const errors = result?.errors as FieldErrors | undefined;
  return (
    <>
      <BackLink to={`/tenders/${tender.id}/evaluation`}>Back to the evaluation</BackLink>
      <ErrorSummary errors={errors} order={ERROR_ORDER} />
      <span className="govuk-caption-l">{tender.title}</span>
      <h1 className="govuk-heading-l">
        Scoring rules for lot {lot.number}: {lot.title}
      </h1>
      <h2 className="govuk-heading-m">{editable ? "As they stand" : "As they were fixed"}</h2>
      <SummaryList
        rows={[
          { key: "Price", value: current.priceMethod },
          { key: "Outcome", value: current.outcome },
          { key: "Chosen by", value: current.by ?? "Nobody yet: the lot is scored the default way" },
        ]}
      />
      {!editable ? (
        <p className="govuk-body">The bids have been opened, so these rules no longer change: they were fixed before anyone at the council could read a price.</p>
      ) : (
        <PostForm>
          <input type="hidden" name="expectedVersion" value={result?.version ?? lot.version} />
          <p className="govuk-body">You can change these until the bids are opened. The evaluation report explains them to its readers in the words above.</p>
          <Radios
            name="priceMethod"
            legend="How is price scored?"
            hint={lot.priceWeight === null ? "The questionnaire's price schedule has not given this lot a price weight yet." : `Price is worth ${lot.priceWeight} points of 100 on this lot.`}
            checked={values.priceMethod}
            error={errors?.priceMethod}
            options={[
              { value: "lowest_price", label: PRICE_METHOD_LABELS.lowest_price, hint: "The lowest price scores all the points; every other bid scores in proportion (twice the lowest price scores half)." },
              { value: "relative_to_average", label: PRICE_METHOD_LABELS.relative_to_average, hint: "A bid at the average scores half the points; each 1% below it adds 1%, each 1% above it takes 1% away." },
              { value: "fixed_bands", label: PRICE_METHOD_LABELS.fixed_bands, hint: "Each bid scores the percentage of the band its price falls in. Fill in the bands below." },
            ]}
          />
          <fieldset className="govuk-fieldset" aria-describedby="bands-hint">
            <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Price bands (only for fixed price bands)</legend>
            <div id="bands-hint" className="govuk-hint">
              Lowest prices first. A price up to a band's upper price (and above the band before) scores that band's percentage of the price points. Leave unused bands empty.
            </div>
            {ROWS.map((n) => (
              <div key={n}>
                <TextInput name={bandFields(n).upTo} label={`Band ${n}: prices up to (£)`} width="10" defaultValue={values[bandFields(n).upTo] ?? ""} error={errors?.[bandFields(n).upTo]} />
                <TextInput name={bandFields(n).percent} label={`Band ${n}: scores (%)`} width="10" defaultValue={values[bandFields(n).percent] ?? ""} error={errors?.[bandFields(n).percent]} />
              </div>
            ))}
            <TextInput name={HIGHER_BAND_FIELD} label="Any higher price scores (%)" width="10" defaultValue={values[HIGHER_BAND_FIELD] ?? ""} error={errors?.[HIGHER_BAND_FIELD]} />
          </fieldset>
          {lot.admitsSeveral ? (
            <>
              <Radios
                name="admission"
                legend="Whom does the lot admit?"
                checked={values.admission}
                error={errors?.admission}
                options={[
                  { value: "all", label: "Every compliant bid that meets each question's minimum score" },
                  { value: "top", label: "Only the top-ranked bids", hint: "Say how many below." },
                ]}
              />
              <TextInput name="admitTopN" label="How many top-ranked bids to admit" hint="Only for the top-ranked bids, for example 8." width="10" defaultValue={values.admitTopN ?? ""} error={errors?.admitTopN} />
              <TextInput
                name="admissionThreshold"
                label="Minimum total to be admitted, in points (optional)"
                hint="Out of 100, for example 60. Leave empty for no minimum."
                width="10"
                defaultValue={values.admissionThreshold ?? ""}
                error={errors?.admissionThreshold}
              />
            </>
          ) : (
            <p className="govuk-body">This lot goes to the top-ranked bid.</p>
          )}
          <Button>Save scoring rules</Button>
        </PostForm>
      )}
    </>
  );
}
