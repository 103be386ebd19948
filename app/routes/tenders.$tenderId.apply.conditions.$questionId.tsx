// One condition of participation in the provider's application: a pass/fail
// condition (does the organisation meet it, and how, naming the evidence the
// council asks for) or a declaration to make. What was typed is kept when the
// page shows an error.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, Button, Checkboxes, ErrorSummary, PostForm, Radios, Textarea } from "#app/components/govuk";
import { answerCondition } from "#app/modules/tendering/dynamic-markets";
import { actionContext } from "#app/web/context";
import { fieldErrors, formObject, keptValues } from "#app/web/forms";
import { notFound } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";
import { applyPath } from "#app/web/market-paths";
import { draftApplicationPage } from "./tenders.$tenderId.apply.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `Condition ${data.condition.number}` : "Condition");

// The module holds the rules (evidence needed when met, declarations made); this only shapes the form.
const conditionForm = z.object({
  expectedVersion: z.coerce.number().int(),
  meetsRequirement: z.enum(["yes", "no"], { error: "Select yes if your organisation meets this condition, or no if it does not" }).optional(),
  evidence: z.string().max(5000, "Keep what you say to 5000 characters or fewer").optional(),
  declared: z.literal("yes").optional(),
});

async function conditionPage(request: Request, portal: Parameters<typeof draftApplicationPage>[1], tenderId: string | undefined, questionId: string | undefined) {
  const page = await draftApplicationPage(request, portal, tenderId);
  const condition = page.conditions.find((c) => c.id === questionId);
  if (!condition) throw notFound();
  return { ...page, condition };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { view, latest, condition } = await conditionPage(request, context.portal, params.tenderId, params.questionId);
  const answer = latest.answers[condition.id];
  return {
    tender: { id: view.tender.id, title: view.tender.title },
    version: latest.version,
    condition,
    values: {
      meetsRequirement: answer?.meetsRequirement === true ? "yes" : answer?.meetsRequirement === false ? "no" : "",
      evidence: answer?.evidence ?? "",
      declared: answer?.declared ? "yes" : "",
    },
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { view, condition } = await conditionPage(request, portal, params.tenderId, params.questionId);
  const form = await request.formData();
  const values = keptValues(form);
  const parsed = conditionForm.safeParse(formObject(form));
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), values }, { status: 400 });
  const { meetsRequirement, evidence, declared, expectedVersion } = parsed.data;
  try {
    await portal.db.transaction().execute((trx) =>
      answerCondition(
        trx,
        {
          tenderId: view.tender.id,
          expectedVersion,
          questionId: condition.id,
          meetsRequirement: meetsRequirement === undefined ? null : meetsRequirement === "yes",
          evidence: evidence ?? null,
          declared: declared === "yes",
        },
        actionContext(portal),
      ),
    );
  } catch (error) {
    const errors = refusalErrors(error);
    if (errors) return data({ errors, values }, { status: 400 });
    throw error;
  }
  return redirect(applyPath(view.tender.id), { headers: { "Set-Cookie": portal.flashCookie({ title: `Your answer to condition ${condition.number} has been saved` }) } });
}

export default function ApplicationCondition() {
  const loaded = useLoaderData<typeof loader>();
  const { tender, version, condition } = loaded;
  const result = useActionData<typeof action>();
  const values = result?.values ?? loaded.values;
  const errors = result?.errors;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={applyPath(tender.id)}>Back to your application</BackLink>
        <ErrorSummary errors={errors} order={["meetsRequirement", "evidence", "declared"]} />
        <span className="govuk-caption-l">
          {tender.title}: condition {condition.number}
        </span>
        <h1 className="govuk-heading-l">{condition.question}</h1>
        {condition.guidance ? <p className="govuk-body">{condition.guidance}</p> : null}
        <PostForm>
          <input type="hidden" name="expectedVersion" value={version} />
          {condition.kind === "pass_fail" ? (
            <>
              {condition.evidenceRequired ? (
                <div className="govuk-inset-text">
                  <p className="govuk-body govuk-!-margin-bottom-1">The council asks for:</p>
                  <ul className="govuk-list govuk-list--bullet govuk-!-margin-bottom-0">
                    {condition.evidenceRequired.split("\n").map((e) => (
                      <li key={e}>{e}</li>
                    ))}
                  </ul>
                </div>
              ) : null}
              <Radios
                name="meetsRequirement"
                legend="Does your organisation meet this condition?"
                options={[
                  { value: "yes", label: "Yes" },
                  { value: "no", label: "No" },
                ]}
                checked={values.meetsRequirement}
                inline
                error={errors?.meetsRequirement}
              />
              <Textarea
                name="evidence"
                label="How does your organisation meet it?"
                hint="Name the evidence asked for, with its reference or date (for example an Ofsted unique reference number). The council may ask to see it."
                defaultValue={values.evidence}
                rows={5}
                error={errors?.evidence}
              />
            </>
          ) : (
            <Checkboxes
              name="declared"
              legend="Declaration"
              options={[{ value: "yes", label: "I make this declaration on behalf of my organisation" }]}
              checked={values.declared === "yes" ? ["yes"] : []}
              error={errors?.declared}
            />
          )}
          <Button>Save and continue</Button>
        </PostForm>
      </div>
    </div>
  );
}
