import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, Button, ErrorSummary, PostForm, Select, Textarea, TextInput } from "#app/components/govuk";
import { ChildReferenceInput, NightsInputs } from "#app/components/Utilisation";
import { WarningText } from "#app/components/WarningText";
import { bookShortBreak, listShortBreakContracts, MAX_NIGHTS_IN_12_MONTHS, MAX_NIGHTS_IN_A_ROW, ShortBreakLimitsExceeded } from "#app/modules/utilisation/short-breaks";
import { actionContext } from "#app/web/context";
import { fieldErrors, keptValues } from "#app/web/forms";
import { authorise } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";
import { readNights } from "#app/web/utilisation.server";

export const meta: MetaFunction = () => pageMeta("Book a short break");

const bookingForm = z.object({
  contractId: z.string().min(1, "Select the home"),
  childReference: z.string().trim().min(1, "Enter the child's reference").max(30, "Child's reference must be 30 characters or fewer"),
  healthSharePercent: z
    .string()
    .trim()
    .min(1, "Enter health's share of the cost, 0 if health does not contribute")
    .regex(/^\d{1,3}(\.\d{1,2})?$/, "Health's share must be a number from 0 to 100, like 25 or 12.5")
    .transform(Number)
    .refine((n) => n <= 100, "Health's share must be 100 or less"),
  overLimitReason: z.string().max(2000, "The reason must be 2,000 characters or fewer"),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  authorise(request, context.portal, "shortBreak.book");
  const contracts = await listShortBreakContracts(context.portal.db);
  return { contracts: contracts.map((c) => ({ value: c.id, label: `${c.homeName} (${c.reference})` })) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { portal } = context;
  authorise(request, portal, "shortBreak.book");
  const form = await request.formData();
  const values = keptValues(form);
  const nights = readNights(form);
  const dates = nights.dates;
  const parsed = bookingForm.safeParse({
    contractId: form.get("contractId") ?? "",
    childReference: form.get("childReference") ?? "",
    healthSharePercent: form.get("healthSharePercent") ?? "",
    overLimitReason: form.get("overLimitReason") ?? "",
  });
  // The reason box shows once a booking has been found past the limits, and stays while the person corrects other things.
  const askedForReason = form.get("overLimitAsked") === "yes";
  const errors: Record<string, string> = { ...(parsed.success ? {} : fieldErrors(parsed.error)), ...nights.errors };
  if (!parsed.success || Object.keys(errors).length > 0) return data({ errors, values, dates, overLimit: askedForReason }, { status: 400 });
  try {
    const booked = await portal.db.transaction().execute((trx) =>
      bookShortBreak(
        trx,
        {
          contractId: parsed.data.contractId,
          childReference: parsed.data.childReference,
          firstNight: nights.firstNight!,
          lastNight: nights.lastNight!,
          healthSharePercent: parsed.data.healthSharePercent,
          overLimitReason: askedForReason ? parsed.data.overLimitReason : null,
        },
        actionContext(portal),
      ),
    );
    return redirect("/short-breaks", {
      headers: {
        "Set-Cookie": portal.flashCookie({
          title: `Short break booked for ${parsed.data.childReference.toUpperCase()}`,
          body: booked.exceeded.length ? "It goes past the reg. 48 limits; the reason is recorded with the booking." : undefined,
        }),
      },
    });
  } catch (error) {
    if (error instanceof ShortBreakLimitsExceeded) {
      return data({ errors: { overLimitReason: error.message } as Record<string, string>, values, dates, overLimit: true }, { status: 400 });
    }
    const refused = refusalErrors(error);
    if (refused) return data({ errors: refused, values, dates, overLimit: askedForReason }, { status: 400 });
    throw error;
  }
}

export default function BookShortBreak() {
  const { contracts } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const v = result?.values;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to="/short-breaks">Short breaks</BackLink>
        <ErrorSummary errors={result?.errors} order={["contractId", "childReference", "firstNight", "lastNight", "healthSharePercent", "overLimitReason"]} />
        <h1 className="govuk-heading-l">Book a short break</h1>
        <PostForm>
          <Select name="contractId" label="Home" options={[{ value: "", label: "Select a home" }, ...contracts]} defaultValue={v?.contractId ?? ""} error={result?.errors.contractId} />
          <ChildReferenceInput defaultValue={v?.childReference} error={result?.errors.childReference} />
          <NightsInputs legends={{ first: "First night", last: "Last night" }} dates={result?.dates} errors={result?.errors} />
          <TextInput
            name="healthSharePercent"
            label="Health's share of the cost (%)"
            hint="The part the health service pays under a joint funding agreement. Enter 0 if health does not contribute."
            width="10"
            defaultValue={v?.healthSharePercent ?? "0"}
            error={result?.errors.healthSharePercent}
          />
          {result?.overLimit ? (
            <>
              <WarningText>
                This booking goes past the short-break limits ({MAX_NIGHTS_IN_A_ROW} nights in a row, {MAX_NIGHTS_IN_12_MONTHS} nights in 12 months). Past them,
                the child may need to be looked after under a care plan rather than as short breaks. Book it only for a reason you can record.
              </WarningText>
              <input type="hidden" name="overLimitAsked" value="yes" />
              <Textarea
                name="overLimitReason"
                label="Why this booking should go ahead past the limits"
                hint="For example, who agreed it and how it will be reviewed."
                defaultValue={v?.overLimitReason}
                error={result?.errors.overLimitReason}
              />
            </>
          ) : null}
          <Button>Book the short break</Button>
        </PostForm>
      </div>
    </div>
  );
}
