// One condition of participation in the provider's request: met and how, or
// the declaration made. What was typed is kept when the page shows an error.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { BackLink, Button, ErrorSummary, PostForm } from "#app/components/govuk";
import { CONDITION_ERROR_ORDER, ConditionAnswerFields, conditionForm, conditionInput, conditionValues } from "#app/components/tendering/ConditionAnswer";
import { answerRequestCondition } from "#app/modules/tendering/participation";
import { actionContext, type PortalContext } from "#app/web/context";
import { fieldErrors, formObject, keptValues } from "#app/web/forms";
import { notFound } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";
import { participatePath } from "#app/web/participation-paths";
import { refusalErrors } from "#app/web/refusals";
import { draftRequestPage } from "./tenders.$tenderId.participate.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `Condition ${data.condition.number}` : "Condition");

async function conditionPage(request: Request, portal: PortalContext, tenderId: string | undefined, questionId: string | undefined) {
  const page = await draftRequestPage(request, portal, tenderId);
  const condition = page.conditions.find((c) => c.id === questionId);
  if (!condition) throw notFound();
  return { ...page, condition };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { view, request: own, condition } = await conditionPage(request, context.portal, params.tenderId, params.questionId);
  return { tender: { id: view.tender.id, title: view.tender.title }, version: own.version, condition, values: conditionValues(own.answers[condition.id]) };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { view, condition } = await conditionPage(request, portal, params.tenderId, params.questionId);
  const form = await request.formData();
  const values = keptValues(form);
  const parsed = conditionForm.safeParse(formObject(form));
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), values }, { status: 400 });
  try {
    await portal.db
      .transaction()
      .execute((trx) => answerRequestCondition(trx, { tenderId: view.tender.id, questionId: condition.id, ...conditionInput(parsed.data) }, actionContext(portal)));
  } catch (error) {
    const errors = refusalErrors(error);
    if (errors) return data({ errors, values }, { status: 400 });
    throw error;
  }
  return redirect(participatePath(view.tender.id), { headers: { "Set-Cookie": portal.flashCookie({ title: `Your answer to condition ${condition.number} has been saved` }) } });
}

export default function RequestCondition() {
  const loaded = useLoaderData<typeof loader>();
  const { tender, version, condition } = loaded;
  const result = useActionData<typeof action>();
  const values = result?.values ?? loaded.values;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={participatePath(tender.id)}>Back to your request</BackLink>
        <ErrorSummary errors={result?.errors} order={CONDITION_ERROR_ORDER} />
        <span className="govuk-caption-l">
          {tender.title}: condition {condition.number}
        </span>
        <h1 className="govuk-heading-l">{condition.question}</h1>
        {condition.guidance ? <p className="govuk-body">{condition.guidance}</p> : null}
        <PostForm>
          <input type="hidden" name="expectedVersion" value={version} />
          <ConditionAnswerFields condition={condition} values={values} errors={result?.errors} />
          <Button>Save and continue</Button>
        </PostForm>
      </div>
    </div>
  );
}
