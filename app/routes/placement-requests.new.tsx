import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Button, Checkboxes, DateInput, ErrorSummary, BackLink, PostForm, Select, Table, Textarea, TextInput } from "#app/components/govuk";
import { WarningText } from "#app/components/WarningText";
import { parseDateInput, type DatePart } from "#app/modules/common/date-input";
import { ActionRefused } from "#app/modules/errors";
import { SERVICE_TYPE_LABELS } from "#app/modules/homes/homes";
import { GENDER_LABELS, listNeeds } from "#app/modules/homes/statement-of-purpose";
import { leftOutCounts, leftOutReasonText, matchRequest, type LeftOutReason } from "#app/modules/placements/matching";
import {
  checkCriteria,
  DEFAULT_TIER_WINDOW_HOURS,
  lotChoices,
  needLabelMap,
  SummaryNeedsConfirming,
  summaryWarnings,
  type PlacementRequestInput,
} from "#app/modules/placements/requests";
import { createPlacementRequest } from "#app/modules/placements/sending";
import { ukTimeToUtc } from "#app/modules/tendering/timeline";
import { actionContext } from "#app/web/context";
import { formObject, keptValues, type FieldErrors } from "#app/web/forms";
import { authorise } from "#app/web/guard.server";
import { penceFromPounds } from "#app/web/money";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";

export const meta: MetaFunction = () => pageMeta("Send a placement request");

const AGE_BANDS = ["5-7", "8-10", "11-12", "13-14", "15-16", "16-17"];
/** Offers are due at 5pm UK time on the day chosen. */
const DEADLINE_TIME = "17:00";
const FIELD_ORDER = [
  "childReference", "lotId", "serviceType", "ageBand", "gender", "needs", "homeDistrict", "maxDistanceMiles", "startOn-day", "startOn-month", "startOn-year",
  "expectedWeeks", "budget", "summary", "confirmSummary", "sending", "tier1ProviderIds", "tier2ProviderIds", "tier1WindowHours", "tier2WindowHours", "deadline-day", "deadline-month", "deadline-year",
];
const SUMMARY_MESSAGE = "The summary may identify the child: remove names, addresses, full postcodes and dates of birth, or confirm it is right";
const REASON_ORDER: LeftOutReason["code"][] = ["service_type", "lot", "no_statement", "age", "gender", "needs", "suspended", "no_vacancy", "too_far", "distance_unknown"];
const REASON_HEADINGS: Record<LeftOutReason["code"], string> = {
  service_type: "registered as another type of home",
  lot: "not on the lot",
  no_statement: "no Statement of Purpose",
  age: "the age band is outside the ages they take",
  gender: "they do not take the child's gender",
  needs: "they do not meet every need",
  suspended: "suspended from new placements",
  no_vacancy: "no bed free for these needs by the start date",
  too_far: "further than the distance given",
  distance_unknown: "distance unknown",
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { portal } = context;
  authorise(request, portal, "placementRequest.create");
  const [lots, needs] = await Promise.all([lotChoices(portal.db), listNeeds(portal.db)]);
  return { lots, needs };
}

type Typed = Record<string, string>;
interface Preview {
  reached: { homeId: string; name: string; providerName: string; distance: string; stale: boolean }[];
  leftOutTotal: number;
  counts: { reason: string; count: number }[];
  leftOut: { homeId: string; name: string; providerName: string; reasons: string }[];
  originKnown: boolean;
  district: string;
  /** The providers whose homes it reaches, to choose the cascade's tiers from: never every provider. */
  providers: { value: string; label: string }[];
}

function whole(text: string | undefined): number | null {
  const t = (text ?? "").trim();
  return t === "" ? null : /^\d+$/.test(t) ? Number(t) : Number.NaN;
}

/** The form as the module takes it, with the date boxes' own problems beside them. */
function readForm(form: FormData, now: Date) {
  const fields = keptValues(form);
  const raw = formObject(form, ["needs", "tier1ProviderIds", "tier2ProviderIds"]) as Record<string, unknown>;
  const errors: FieldErrors = {};
  const dateParts: Record<string, DatePart[]> = {};
  const date = (name: string, label: string, missing: string) => {
    const result = parseDateInput({ day: fields[`${name}-day`], month: fields[`${name}-month`], year: fields[`${name}-year`] }, label);
    if (result.kind === "date") return result.iso;
    const parts: DatePart[] = result.kind === "problem" ? result.parts : ["day", "month", "year"];
    errors[`${name}-${parts[0]}`] = result.kind === "problem" ? result.message : missing;
    dateParts[name] = parts;
    return null;
  };
  const startOn = date("startOn", "Start date", "Enter the start date");
  const deadlineDay = date("deadline", "The date offers are due by", "Enter the date offers are due by");
  const [ageMin, ageMax] = (fields.ageBand ?? "").split("-").map(Number);
  const budget = penceFromPounds(fields.budget, "Weekly budget");
  if (budget.kind === "problem") errors.budget = budget.message;
  let deadline: Date | null = null;
  if (deadlineDay) {
    try {
      deadline = ukTimeToUtc(`${deadlineDay}T${DEADLINE_TIME}`, "deadline-day", "Offers due by");
    } catch (error) {
      if (!(error instanceof ActionRefused)) throw error;
      errors["deadline-day"] = error.message;
    }
  }
  const input: PlacementRequestInput = {
    childReference: fields.childReference ?? null,
    lotId: fields.lotId ?? "",
    serviceType: fields.serviceType ?? "",
    ageMin: ageMin ?? Number.NaN,
    ageMax: ageMax ?? Number.NaN,
    gender: fields.gender ?? "",
    needs: (raw.needs as string[]).map(String),
    homeDistrict: fields.homeDistrict ?? "",
    maxDistanceMiles: whole(fields.maxDistanceMiles),
    startOn: startOn ?? "",
    expectedWeeks: whole(fields.expectedWeeks),
    budgetWeeklyPence: budget.kind === "pence" ? budget.pence : null,
    summary: fields.summary ?? "",
    confirmSummary: fields.confirmSummary === "yes",
    sending: fields.sending === "cascade" ? "cascade" : "all",
    tier1ProviderIds: (raw.tier1ProviderIds as string[]).map(String),
    tier1WindowHours: whole(fields.tier1WindowHours),
    tier2ProviderIds: (raw.tier2ProviderIds as string[]).map(String),
    tier2WindowHours: whole(fields.tier2WindowHours),
    deadline: deadline ?? new Date(Number.NaN),
  };
  if (!fields.ageBand) errors.ageBand = "Select the child's age band";
  return { fields, input, errors, dateParts, now };
}

/** Module fields named as the form names them. */
function formField(field: string | null): string {
  if (field === "ageMin" || field === "ageMax") return "ageBand";
  if (field === "startOn") return "startOn-day";
  if (field === "deadline") return "deadline-day";
  if (field === "budgetWeeklyPence") return "budget";
  return field ?? "form";
}

/** Each provider whose homes the request reaches, by name, with how many of its homes. */
function matchingProviders(reached: { providerId: string; providerName: string }[]): Preview["providers"] {
  const homes = new Map<string, { name: string; count: number }>();
  for (const h of reached) homes.set(h.providerId, { name: h.providerName, count: (homes.get(h.providerId)?.count ?? 0) + 1 });
  return [...homes.entries()]
    .sort(([, a], [, b]) => a.name.localeCompare(b.name))
    .map(([id, p]) => ({ value: id, label: `${p.name} (${p.count} matching home${p.count === 1 ? "" : "s"})` }));
}

async function preview(db: Parameters<typeof matchRequest>[0], input: PlacementRequestInput, now: Date): Promise<Preview | null> {
  let criteria;
  try {
    criteria = checkCriteria(input, now);
  } catch {
    return null;
  }
  const [result, labels] = await Promise.all([matchRequest(db, criteria, now, { leftOutListed: 100 }), needLabelMap(db)]);
  const counts = leftOutCounts(result);
  return {
    reached: result.reached.map((h) => ({
      homeId: h.homeId,
      name: h.name,
      providerName: h.providerName,
      distance: h.distanceMiles === null ? "Distance unknown" : `${h.distanceMiles} miles`,
      stale: h.staleVacancy,
    })),
    leftOutTotal: result.leftOutTotal,
    counts: REASON_ORDER.filter((r) => counts.has(r)).map((r) => ({ reason: REASON_HEADINGS[r], count: counts.get(r)! })),
    // The nearest 100 left out, each with every reason; the counts above cover them all.
    leftOut: result.leftOut.slice(0, 100).map((h) => ({
      homeId: h.homeId,
      name: h.name,
      providerName: h.providerName,
      reasons: h.reasons.map((r) => leftOutReasonText(r, criteria, labels)).join("; "),
    })),
    originKnown: result.origin.known,
    district: result.origin.outcode,
    providers: matchingProviders(result.reached),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { portal } = context;
  authorise(request, portal, "placementRequest.create");
  const form = await request.formData();
  const ctx = actionContext(portal);
  const { fields, input, errors, dateParts } = readForm(form, ctx.now);
  const needs = form.getAll("needs").map(String);
  const tier1 = form.getAll("tier1ProviderIds").map(String);
  const tier2 = form.getAll("tier2ProviderIds").map(String);
  const values = { fields, needs, tier1, tier2 };
  const intent = fields.intent === "send" ? "send" : "preview";
  const shown = await preview(portal.db, input, ctx.now);
  if (intent === "preview") {
    if (!shown) {
      try {
        checkCriteria(input, ctx.now);
      } catch (error) {
        if (error instanceof ActionRefused) errors[formField(error.field)] = error.message;
      }
    }
    // Only the criteria's problems matter for a preview: the rest waits for sending.
    const criteriaErrors = Object.fromEntries(Object.entries(errors).filter(([k]) => !k.startsWith("deadline") && k !== "budget"));
    return data({ errors: criteriaErrors, values, preview: shown, warnings: summaryWarnings(input.summary), dateParts }, { status: Object.keys(criteriaErrors).length ? 400 : 200 });
  }
  if (Object.keys(errors).length > 0) {
    const warnings = summaryWarnings(input.summary);
    if (warnings.length > 0 && !input.confirmSummary) errors.summary = SUMMARY_MESSAGE;
    return data({ errors, values, preview: shown, warnings, dateParts }, { status: 400 });
  }
  try {
    const sent = await portal.db.transaction().execute((trx) => createPlacementRequest(trx, input, ctx, { baseUrl: portal.baseUrl }));
    return redirect(`/placement-requests/${sent.requestId}`, {
      headers: {
        "Set-Cookie": portal.flashCookie({
          title: `Placement request ${sent.childReference} sent to ${sent.sentNow} home${sent.sentNow === 1 ? "" : "s"}`,
          body: sent.later > 0 ? `${sent.later} more will be sent it when the earlier tiers' windows end.` : undefined,
        }),
      },
    });
  } catch (error) {
    const refused = refusalErrors(error);
    if (!refused) throw error;
    const mapped: FieldErrors = {};
    for (const [field, message] of Object.entries(refused)) mapped[formField(field)] = message;
    if (error instanceof SummaryNeedsConfirming) {
      mapped.summary = SUMMARY_MESSAGE;
    }
    return data({ errors: mapped, values, preview: shown, warnings: summaryWarnings(input.summary), dateParts }, { status: 400 });
  }
}

export default function NewPlacementRequest() {
  const { lots, needs } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const v: Typed = result?.values.fields ?? {};
  const e = result?.errors ?? {};
  const dateError = (name: string) => {
    const key = Object.keys(e).find((k) => k.startsWith(`${name}-`));
    return key ? { message: e[key]!, parts: result?.dateParts?.[name] } : undefined;
  };
  const p = result?.preview;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to="/placement-requests" />
        <ErrorSummary errors={e} order={FIELD_ORDER} />
        <h1 className="govuk-heading-l">Send a placement request</h1>
        <p className="govuk-body">
          Describe the need without naming the child. The request goes only to the homes that can meet it; check which homes it reaches before you send it.
        </p>
        <PostForm>
          <h2 className="govuk-heading-m">The child's need</h2>
          <TextInput
            name="childReference"
            label="Child reference (optional)"
            hint="If your council has placed this child before, enter the reference the portal gave, like CH-7K2M9Q, so their moves are counted. Leave it empty for a new child."
            width="10"
            autoComplete="off"
            spellCheck={false}
            defaultValue={v.childReference}
            error={e.childReference}
          />
          <Select name="lotId" label="Agreement and lot" options={[{ value: "", label: "Select a lot" }, ...lots.map((l) => ({ value: l.id, label: l.label }))]} defaultValue={v.lotId ?? ""} error={e.lotId} />
          <Select
            name="serviceType"
            label="Type of home"
            options={Object.entries(SERVICE_TYPE_LABELS).map(([value, label]) => ({ value, label }))}
            defaultValue={v.serviceType ?? "childrens_home"}
            error={e.serviceType}
          />
          <Select
            name="ageBand"
            label="Age band"
            hint="A band rather than the child's age, so the request does not identify them."
            options={[{ value: "", label: "Select an age band" }, ...AGE_BANDS.map((b) => ({ value: b, label: b.replace("-", " to ") }))]}
            defaultValue={v.ageBand ?? ""}
            error={e.ageBand}
          />
          <Select
            name="gender"
            label="Gender"
            options={[{ value: "", label: "Select" }, { value: "female", label: "Girl" }, { value: "male", label: "Boy" }, { value: "non_binary", label: GENDER_LABELS.non_binary.replace("young people", "young person") }]}
            defaultValue={v.gender ?? ""}
            error={e.gender}
          />
          <Checkboxes name="needs" legend="Needs the home must meet" hint="Select all that apply." options={needs.map((n) => ({ value: n.code, label: n.label }))} checked={result?.values.needs} error={e.needs} />
          <TextInput name="homeDistrict" label="Child's home postcode district" hint="The first part of the postcode only, like EX4 or PL12." width="10" autoComplete="off" spellCheck={false} defaultValue={v.homeDistrict} error={e.homeDistrict} />
          <TextInput name="maxDistanceMiles" label="Furthest distance from home, in miles (optional)" width="10" defaultValue={v.maxDistanceMiles} error={e.maxDistanceMiles} />
          <DateInput name="startOn" legend="Start date" value={{ day: v["startOn-day"], month: v["startOn-month"], year: v["startOn-year"] }} error={dateError("startOn")} />
          <Button name="intent" value="preview" variant="secondary">
            Check which homes it reaches
          </Button>

          {p ? <MatchPreview preview={p} /> : null}

          <h2 className="govuk-heading-m">About the placement</h2>
          <TextInput name="expectedWeeks" label="Expected length in weeks (optional)" hint="Leave empty for a long-term placement." width="10" defaultValue={v.expectedWeeks} error={e.expectedWeeks} />
          <TextInput name="budget" label="Weekly budget guidance in pounds (optional)" width="10" defaultValue={v.budget} error={e.budget} />
          <Textarea
            name="summary"
            label="Summary for providers"
            hint="What a home needs to know to decide whether it can offer. Do not include names, addresses, full postcodes, schools or dates of birth."
            rows={5}
            defaultValue={v.summary}
            error={e.summary}
          />
          {result?.warnings.length ? (
            <>
              <WarningText>The summary may identify the child:</WarningText>
              <ul className="govuk-list govuk-list--bullet">
                {result.warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
              <Checkboxes name="confirmSummary" legend="Check the summary" options={[{ value: "yes", label: "I have checked the summary: it does not identify the child" }]} checked={v.confirmSummary ? [v.confirmSummary] : []} />
            </>
          ) : null}

          <h2 className="govuk-heading-m">Sending</h2>
          <Select
            name="sending"
            label="How to send it"
            options={[
              { value: "all", label: "To every matching home at once" },
              { value: "cascade", label: "To preferred providers first, then every other matching home" },
            ]}
            defaultValue={v.sending ?? "all"}
            error={e.sending}
          />
          {p && p.providers.length > 0 ? (
            <>
              <TierFields tier={1} providers={p.providers} checked={result?.values.tier1} values={v} errors={e} />
              <TierFields tier={2} providers={p.providers} checked={result?.values.tier2} values={v} errors={e} />
            </>
          ) : (
            <p className="govuk-body" id="tier1ProviderIds">
              To send it to preferred providers first, check which homes it reaches: you then choose the tiers from the providers of those homes.
            </p>
          )}
          <DateInput name="deadline" legend="Offers due by" hint="Offers close at 5pm on this day. For example, 27 3 2027" value={{ day: v["deadline-day"], month: v["deadline-month"], year: v["deadline-year"] }} error={dateError("deadline")} />
          <Button name="intent" value="send">
            Send request
          </Button>
        </PostForm>
      </div>
    </div>
  );
}

/** What each tier's boxes say: the providers who get the request first, and for how long. */
const TIERS = {
  1: {
    legend: "Tier 1: preferred providers (when sending to them first)",
    hint: "Only the providers whose homes this request reaches are listed. Their matching homes get the request first.",
    hoursLabel: "Hours tier 1 has on its own",
  },
  2: {
    legend: "Tier 2 (optional)",
    hint: "They get the request when tier 1's window ends. A provider ticked in tier 1 stays in tier 1. Every other matching home gets it when tier 2's window ends.",
    hoursLabel: "Hours tier 2 has before every other matching home",
  },
} as const;

/** A tier's providers to tick and the hours it has, keeping what was typed. */
function TierFields({
  tier,
  providers,
  checked,
  values,
  errors,
}: {
  tier: keyof typeof TIERS;
  providers: { value: string; label: string; hint?: string }[];
  checked: string[] | undefined;
  values: Typed;
  errors: Partial<Record<string, string>>;
}) {
  const words = TIERS[tier];
  const hours = `tier${tier}WindowHours`;
  return (
    <>
      <Checkboxes
        name={`tier${tier}ProviderIds`}
        legend={words.legend}
        hint={words.hint}
        options={providers}
        checked={checked}
        error={errors[`tier${tier}ProviderIds`]}
      />
      <TextInput name={hours} label={words.hoursLabel} width="10" defaultValue={values[hours] ?? String(DEFAULT_TIER_WINDOW_HOURS)} error={errors[hours]} />
    </>
  );
}

function MatchPreview({ preview }: { preview: Preview }) {
  return (
    <section aria-labelledby="match-heading" className="govuk-!-margin-bottom-8">
      <h2 className="govuk-heading-m" id="match-heading">
        Reaches {preview.reached.length} home{preview.reached.length === 1 ? "" : "s"}; {preview.leftOutTotal} left out
      </h2>
      {!preview.originKnown ? (
        <WarningText>The portal does not know where {preview.district} is, so no distance is measured and no home is left out for distance.</WarningText>
      ) : null}
      {preview.reached.length > 0 ? (
        <Table
          caption="Homes it reaches"
          rows={preview.reached}
          rowKey={(h) => h.homeId}
          columns={[
            { header: "Home", cell: (h) => h.name },
            { header: "Provider", cell: (h) => h.providerName },
            { header: "Distance", cell: (h) => h.distance },
            { header: "Vacancy", cell: (h) => (h.stale ? "Not confirmed in the last 7 days" : "Up to date") },
          ]}
        />
      ) : (
        <p className="govuk-body">No home can meet this request as it stands. The reasons below say why.</p>
      )}
      {preview.counts.length > 0 ? (
        <>
          <h3 className="govuk-heading-s">Why homes were left out</h3>
          <p className="govuk-body">A home can be left out for more than one reason.</p>
          <ul className="govuk-list govuk-list--bullet">
            {preview.counts.map((c) => (
              <li key={c.reason}>
                {c.count} home{c.count === 1 ? "" : "s"}: {c.reason}
              </li>
            ))}
          </ul>
          <Table
            caption={preview.leftOutTotal > preview.leftOut.length ? `The nearest ${preview.leftOut.length} homes left out, and why` : "Homes left out, and why"}
            rows={preview.leftOut}
            rowKey={(h) => h.homeId}
            columns={[
              { header: "Home", cell: (h) => h.name },
              { header: "Provider", cell: (h) => h.providerName },
              { header: "Left out because", cell: (h) => h.reasons },
            ]}
          />
        </>
      ) : null}
    </section>
  );
}
