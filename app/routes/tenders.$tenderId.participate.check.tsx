// Check your answers before requesting to participate: every condition's
// answer with a link to change it; anything missing or not met is listed
// first as a link to it, and the request cannot be submitted until it is put right.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, Button, ErrorSummary, PostForm } from "#app/components/govuk";
import { ConditionAnswers } from "#app/components/tendering/ConditionAnswer";
import { answerInWords } from "#app/modules/tendering/dynamic-markets";
import { requestProblems, submitRequest } from "#app/modules/tendering/participation";
import { actionContext } from "#app/web/context";
import { fieldErrors, formObject } from "#app/web/forms";
import { pageMeta } from "#app/web/page-title";
import { participatePath } from "#app/web/participation-paths";
import { refusalErrors } from "#app/web/refusals";
import { draftRequestPage } from "./tenders.$tenderId.participate.server";

export const meta: MetaFunction = () => pageMeta("Check your request to participate");

const submitForm = z.object({ expectedVersion: z.coerce.number().int() });

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { view, request: own, conditions } = await draftRequestPage(request, context.portal, params.tenderId);
  const problems = requestProblems(own, conditions);
  return {
    tender: { id: view.tender.id, title: view.tender.title },
    version: own.version,
    conditions: conditions.map((c) => ({
      id: c.id,
      label: `${c.number} ${c.question}`,
      words: Object.entries(answerInWords(c, own.answers[c.id])).map(([k, v]) => `${k}: ${v}`),
    })),
    problems: Object.fromEntries(problems.map((p) => [p.target, p.message])),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { view } = await draftRequestPage(request, portal, params.tenderId);
  const parsed = submitForm.safeParse(formObject(await request.formData()));
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error) }, { status: 400 });
  try {
    await portal.db.transaction().execute((trx) => submitRequest(trx, { tenderId: view.tender.id, expectedVersion: parsed.data.expectedVersion }, actionContext(portal)));
  } catch (error) {
    const errors = refusalErrors(error);
    if (errors) return data({ errors }, { status: 400 });
    throw error;
  }
  return redirect(participatePath(view.tender.id), {
    // The page it lands on says what happens next.
    headers: { "Set-Cookie": portal.flashCookie({ title: "Your request to participate has been submitted" }) },
  });
}

export default function CheckRequest() {
  const { tender, version, conditions, problems } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const blocking = Object.keys(problems).length > 0;
  const conditionPath = (id: string) => participatePath(tender.id, `/conditions/${id}`);
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={participatePath(tender.id)}>Back to your request</BackLink>
        {blocking ? (
          <ErrorSummary errors={problems} href={conditionPath} title="Your request is not ready to submit" />
        ) : (
          <ErrorSummary errors={result?.errors} />
        )}
        <span className="govuk-caption-l">{tender.title}</span>
        <h1 className="govuk-heading-l">Check your request to participate</h1>
        <h2 className="govuk-heading-m">Conditions of participation</h2>
        <ConditionAnswers conditions={conditions} hrefOf={conditionPath} />
        {blocking ? null : (
          <PostForm>
            <input type="hidden" name="expectedVersion" value={version} />
            <h2 className="govuk-heading-m">Request to participate</h2>
            <p className="govuk-body">By submitting you confirm that these answers are true and that you may request to participate for your organisation.</p>
            <Button>Submit request</Button>
          </PostForm>
        )}
      </div>
    </div>
  );
}
