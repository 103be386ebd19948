import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, Button, DateInput, ErrorSummary, PostForm, TextInput, Textarea } from "#app/components/govuk";
import { ActionRefused, RecordNotFound } from "#app/modules/errors";
import { checkWeeklyFee, setWeeklyFee, weeklyFeeView } from "#app/modules/homes/fees";
import { getHome } from "#app/modules/homes/homes";
import { actionContext } from "#app/web/context";
import { readDateField } from "#app/web/date-fields";
import { fieldErrors, keptValues, type FieldErrors } from "#app/web/forms";
import { pounds, ukDate } from "#app/web/format";
import { authorise, notFound, requireActor } from "#app/web/guard.server";
import { penceFromPounds } from "#app/web/money";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `Weekly fee: ${data.home.name}` : "Weekly fee");

const feeForm = z.object({
  version: z.coerce.number().int(),
  reason: z.string().trim().max(2000, "The reason must be 2,000 characters or fewer"),
});
const ORDER = ["form", "weeklyFee", "effectiveFrom", "reason"];

async function ownHome(request: Request, portal: Parameters<typeof authorise>[1], homeId: string) {
  requireActor(request, portal);
  const home = await getHome(portal.db, homeId);
  if (!home) throw notFound();
  // Another provider's home is not found before anything else is said about it.
  authorise(request, portal, "home.view", { kind: "home", organisationId: home.organisationId });
  authorise(request, portal, "home.setWeeklyFee", { kind: "home", organisationId: home.organisationId });
  return home;
}

/** "£ -500" is refused as negative, not as "not an amount", so the person knows what to change. */
function typedFee(typed: string): { pence: number } | { error: string } {
  if (/^\s*£?\s*-/.test(typed)) return { error: "The weekly fee cannot be negative" };
  const fee = penceFromPounds(typed, "Weekly fee", 9);
  if (fee.kind !== "pence") return { error: fee.kind === "problem" ? fee.message : "Enter the weekly fee in pounds" };
  // The module's own limits, checked here too so they show beside the fee together with any other problem.
  try {
    return { pence: checkWeeklyFee(fee.pence) };
  } catch (error) {
    if (error instanceof ActionRefused) return { error: error.message };
    throw error;
  }
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const home = await ownHome(request, portal, params.homeId ?? "");
  const fees = await weeklyFeeView(portal.db, home.id, new Date());
  return {
    home: { id: home.id, name: home.name, providerName: home.providerName },
    current: fees.current ? { pence: fees.current.weeklyFeePence, from: fees.current.effectiveFrom } : null,
    upcoming: fees.upcoming.map((f) => ({ pence: f.weeklyFeePence, from: f.effectiveFrom })),
    version: fees.version,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const home = await ownHome(request, portal, params.homeId ?? "");
  const form = await request.formData();
  const values = keptValues(form);
  const parsed = feeForm.safeParse({ version: form.get("version"), reason: form.get("reason") ?? "" });
  const fee = typedFee(String(form.get("weeklyFee") ?? ""));
  const from = readDateField(form, "effectiveFrom", "Date the fee applies from");
  const errors: FieldErrors = {
    ...("error" in fee ? { weeklyFee: fee.error } : {}),
    ...(from.error ? { effectiveFrom: from.error.message } : {}),
    ...(parsed.success ? {} : fieldErrors(parsed.error)),
  };
  if (!parsed.success || "error" in fee || !from.iso) return data({ errors, values, effectiveFrom: from }, { status: 400 });
  try {
    await portal.db.transaction().execute((trx) =>
      setWeeklyFee(
        trx,
        { homeId: home.id, expectedVersion: parsed.data.version, weeklyFeePence: fee.pence, effectiveFrom: from.iso!, reason: parsed.data.reason || null },
        actionContext(portal),
      ),
    );
  } catch (error) {
    if (error instanceof RecordNotFound) throw notFound();
    const refused = refusalErrors(error);
    if (refused) return data({ errors: refused, values, effectiveFrom: { ...from, error: undefined } }, { status: 400 });
    throw error;
  }
  return redirect(`/homes/${home.id}`, {
    headers: {
      "Set-Cookie": portal.flashCookie({
        title: `Weekly fee of ${home.name} saved`,
        body: `${pounds(fee.pence)} a week from ${ukDate(from.iso)}. Commissioners see it in placement search from that day.`,
      }),
    },
  });
}

export default function WeeklyFee() {
  const { home, current, upcoming, version } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.errors;
  const v = result?.values;
  const fromError = result?.effectiveFrom?.error ?? (errors?.effectiveFrom ? { message: errors.effectiveFrom } : undefined);
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`/homes/${home.id}`}>Back to {home.name}</BackLink>
        <ErrorSummary errors={errors} order={ORDER} href={(key) => (key === "effectiveFrom" ? "#effectiveFrom-day" : key === "form" ? "#weeklyFee" : `#${key}`)} />
        <span className="govuk-caption-l">{home.providerName}</span>
        <h1 className="govuk-heading-l">Weekly fee: {home.name}</h1>
        <p className="govuk-body">
          {current ? `The weekly fee is ${pounds(current.pence)} from ${ukDate(current.from)}.` : "No weekly fee is recorded for this home yet."}
          {upcoming.map((u) => ` It changes to ${pounds(u.pence)} on ${ukDate(u.from)}.`).join("")}
        </p>
        <p className="govuk-body">
          Give the standard fee for one placement a week, without any additional support, which you agree for each placement. Commissioners see it in
          placement search. A change is kept with the date it applies from; earlier fees stay in the home's fee history. To correct a fee you typed wrongly,
          enter the right fee with the same date.
        </p>
        {errors?.form ? (
          <p className="govuk-body">
            The form shows what you entered.{" "}
            <a className="govuk-link" href={`/homes/${home.id}/weekly-fee`}>
              Start again from the current fee
            </a>
            .
          </p>
        ) : null}
        <PostForm>
          <input type="hidden" name="version" value={v?.version ?? version} />
          <TextInput
            name="weeklyFee"
            label="Weekly fee in pounds"
            hint="For example, 4500 or 4500.50"
            prefix="£"
            width="10"
            inputMode="decimal"
            spellCheck={false}
            defaultValue={v?.weeklyFee}
            error={errors?.weeklyFee}
          />
          <DateInput name="effectiveFrom" legend="Date the fee applies from" hint="For example, 1 4 2027" value={result?.effectiveFrom?.typed} error={fromError} />
          <Textarea
            name="reason"
            label="Reason for the change (optional)"
            hint="For example, annual uplift or a correction. Commissioners see this in the fee history."
            defaultValue={v?.reason}
            error={errors?.reason}
          />
          <Button>Save weekly fee</Button>
        </PostForm>
      </div>
    </div>
  );
}
