// Publishing the contract award notice, once the Chief Officer has approved
// the award: the officer checks who is awarded what and, under the
// light-touch regime, records the standstill they choose (a voluntary period,
// or none) and why. Standstill begins on the day it is published.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { RecommendationContent } from "#app/components/awards/Recommendation";
import { BackLink, Button, ErrorSummary, PostForm, Radios, Textarea, TextInput } from "#app/components/govuk";
import { tenderFor } from "#app/components/tendering/load.server";
import { dayWithWeekday, publishAwardNotice, standstillEndInWords, standstillSentence } from "#app/modules/awards/award-notice";
import { awardProgress } from "#app/modules/awards/progress";
import { recommendationForTender } from "#app/modules/awards/recommendations";
import { STANDSTILL_WORKING_DAYS, standstillPeriod } from "#app/modules/awards/standstill";
import { actionContext } from "#app/web/context";
import { fieldErrors, keptValues } from "#app/web/forms";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `Publish the award notice: ${data.title}` : "Publish the award notice");

const FIELDS = ["form", "standstill", "workingDays", "reason"];

const publishForm = z.object({
  standstill: z.enum(["apply", "none"], { error: "Choose whether to apply a voluntary standstill" }).optional(),
  workingDays: z.string().default(""),
  reason: z.string().max(5000, "The reason must be 5,000 characters or fewer").default(""),
});

/** What an 8-working-day standstill would be if the notice were published now, in a sentence. */
function previewSentence(now: Date): string {
  const p = standstillPeriod(now, STANDSTILL_WORKING_DAYS);
  return `If you publish it now, a standstill of ${STANDSTILL_WORKING_DAYS} working days runs from ${dayWithWeekday(p.workingDays[0]!)} and ends at ${standstillEndInWords(p.lastDay)}.`;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const { view, actor } = await tenderFor(request, portal, params.tenderId, "awardNotice.publish");
  const progress = await awardProgress(portal.db, view.tender.id, new Date());
  if (progress.state !== "awaiting_notice") throw redirect(`/tenders/${view.tender.id}/award`);
  const { recommendation } = await recommendationForTender(portal.db, view.tender.id, actor);
  const latest = recommendation!.rounds.at(-1)!;
  const now = new Date();
  return {
    id: view.tender.id,
    title: view.tender.title,
    lightTouch: view.tender.light_touch,
    content: latest.content,
    preview: previewSentence(now),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { view } = await tenderFor(request, portal, params.tenderId, "awardNotice.publish");
  const values = keptValues(await request.formData());
  const parsed = publishForm.safeParse(values);
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), values }, { status: 400 });
  const lightTouch = view.tender.light_touch;
  if (lightTouch && !parsed.data.standstill) return data({ errors: { standstill: "Choose whether to apply a voluntary standstill" }, values }, { status: 400 });
  const typedDays = parsed.data.workingDays.trim();
  const workingDays = typedDays === "" ? STANDSTILL_WORKING_DAYS : /^\d{1,3}$/.test(typedDays) ? Number(typedDays) : Number.NaN;
  let sentence: string;
  try {
    const notice = await portal.db.transaction().execute((trx) =>
      publishAwardNotice(
        trx,
        { tenderId: view.tender.id, standstill: parsed.data.standstill ?? "apply", workingDays: Number.isNaN(workingDays) ? null : workingDays, reason: parsed.data.reason },
        actionContext(portal),
        { baseUrl: portal.baseUrl },
      ),
    );
    sentence = standstillSentence(notice.standstill);
  } catch (error) {
    const errors = refusalErrors(error);
    if (!errors) throw error;
    return data({ errors, values }, { status: 400 });
  }
  return redirect(`/tenders/${view.tender.id}/award`, {
    headers: { "Set-Cookie": portal.flashCookie({ title: "Contract award notice published", body: `Every bidder has been emailed. ${sentence}` }) },
  });
}

export default function PublishAwardNotice() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const v = result?.values ?? {};
  const errors = result?.errors as Record<string, string> | undefined;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`/tenders/${page.id}/award`}>Back to the award</BackLink>
        <ErrorSummary errors={errors} order={FIELDS} />
        <span className="govuk-caption-l">{page.title}</span>
        <h1 className="govuk-heading-l">Publish the contract award notice</h1>
        <p className="govuk-body">
          The notice is published on this portal for anyone to read, and every bidder is emailed. Check who is awarded each lot: this is the award the Chief Officer approved.
        </p>
        <RecommendationContent content={page.content} />
        <PostForm>
          {page.lightTouch ? (
            <>
              <h2 className="govuk-heading-m">Standstill</h2>
              <p className="govuk-body">
                This contract is under the light-touch regime, so a standstill period is voluntary. Bidders can still challenge the award either way.
              </p>
              <p className="govuk-body">{page.preview}</p>
              <Radios
                name="standstill"
                legend="Do you want to apply a voluntary standstill?"
                options={[
                  { value: "apply", label: "Yes, apply a voluntary standstill" },
                  { value: "none", label: "No, apply no standstill" },
                ]}
                checked={v.standstill}
                error={errors?.standstill}
              />
              <TextInput
                name="workingDays"
                label="Working days of standstill"
                hint="Only if you apply one. Eight is what the Act requires outside the light-touch regime. Weekends and bank holidays are not counted."
                width="10"
                defaultValue={v.workingDays ?? String(8)}
                error={errors?.workingDays}
              />
              <Textarea name="reason" label="Why you chose this" hint="For example, the risk to children's placements of a delay, or fairness to bidders. This is shown on the notice." defaultValue={v.reason} error={errors?.reason} />
            </>
          ) : (
            <>
              <h2 className="govuk-heading-m">Standstill</h2>
              <p className="govuk-body">{page.preview} The contract cannot be entered into before then.</p>
            </>
          )}
          <Button>Publish the award notice</Button>
        </PostForm>
      </div>
    </div>
  );
}
