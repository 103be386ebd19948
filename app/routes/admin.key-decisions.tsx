// A council administrator's page for the council's key-decision threshold:
// at or above it an award is the Chief Officer's decision in consultation
// with the Portfolio Holder; below it, the Chief Officer's alone.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Button, ErrorSummary, PostForm, SummaryList, TextInput } from "#app/components/govuk";
import { formatPence } from "#app/modules/agreements/agreements";
import { DEFAULT_KEY_DECISION_THRESHOLD_PENCE, keyDecisionThreshold, setKeyDecisionThreshold } from "#app/modules/awards/settings";
import { ConcurrentEditError } from "#app/modules/errors";
import { actionContext } from "#app/web/context";
import { fieldErrors, formObject, keptValues, type FieldErrors } from "#app/web/forms";
import { authorise } from "#app/web/guard.server";
import { penceFromPounds, poundsForForm } from "#app/web/money";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";
import { formatUkDateTime } from "#emails/format";

export const meta: MetaFunction = () => pageMeta("Key decisions");

const thresholdForm = z.object({
  version: z.coerce.number().int().min(0),
  threshold: z.string().max(30, "Enter the threshold in pounds, like 500000"),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = authorise(request, context.portal, "award.setThreshold");
  const threshold = await keyDecisionThreshold(context.portal.db, actor.organisationId);
  return {
    council: actor.organisationName,
    pence: threshold.pence,
    version: threshold.version,
    setBy: threshold.setBy ? `${threshold.setBy.name}, ${formatUkDateTime(threshold.setBy.at)}` : null,
    defaultPence: DEFAULT_KEY_DECISION_THRESHOLD_PENCE,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { portal } = context;
  const actor = authorise(request, portal, "award.setThreshold");
  const form = await request.formData();
  const values = keptValues(form);
  const parsed = thresholdForm.safeParse(formObject(form));
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), values }, { status: 400 });
  const amount = penceFromPounds(parsed.data.threshold, "The threshold", 10);
  if (amount.kind !== "pence") {
    const message = amount.kind === "empty" ? "Enter the threshold in pounds, like 500000" : amount.message;
    return data({ errors: { threshold: message } as FieldErrors, values }, { status: 400 });
  }
  try {
    await portal.db.transaction().execute((trx) => setKeyDecisionThreshold(trx, { thresholdPence: amount.pence, expectedVersion: parsed.data.version }, actionContext(portal)));
  } catch (error) {
    if (error instanceof ConcurrentEditError) {
      // The page reloads with the threshold now in force; what was typed stays in the box.
      const now = await keyDecisionThreshold(portal.db, actor.organisationId);
      const message = `Someone changed the threshold while you were editing it: it is now ${formatPence(now.pence)}. Check it, then save yours again if it should still change.`;
      return data({ errors: { threshold: message } as FieldErrors, values: { ...values, version: String(now.version) } as Record<string, string> }, { status: 409 });
    }
    const errors = refusalErrors(error);
    if (errors) return data({ errors, values }, { status: 400 });
    throw error;
  }
  return redirect("/admin/key-decisions", {
    headers: { "Set-Cookie": portal.flashCookie({ title: `The key-decision threshold is now ${formatPence(amount.pence)}`, body: "Award recommendations submitted from now on are routed by it." }) },
  });
}

export default function KeyDecisions() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const v = result?.values;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={result?.errors} order={["threshold"]} />
        <span className="govuk-caption-l">{page.council}</span>
        <h1 className="govuk-heading-l">Key decisions</h1>
        <p className="govuk-body">
          An award worth the threshold or more is a key decision: the Chief Officer decides it in consultation with the Portfolio Holder. Below it, the Chief Officer decides
          alone.
        </p>
        <SummaryList
          rows={[
            { key: "Threshold now", value: formatPence(page.pence) },
            { key: "Set by", value: page.setBy ?? `Nobody yet: the portal's default of ${formatPence(page.defaultPence)} applies` },
          ]}
        />
        <p className="govuk-body">A change applies to recommendations submitted after it. One already submitted keeps the route it was given.</p>
        <PostForm>
          <input type="hidden" name="version" value={v?.version ?? String(page.version)} />
          <TextInput
            name="threshold"
            label="New threshold, in pounds"
            hint="For example, 500000 for £500,000"
            width="10"
            defaultValue={v?.threshold ?? poundsForForm(page.pence)}
            error={result?.errors.threshold}
            spellCheck={false}
            autoComplete="off"
          />
          <Button>Save the threshold</Button>
        </PostForm>
      </div>
    </div>
  );
}
