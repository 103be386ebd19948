// Check your answers before applying: the lots and every condition's answer
// with a link to change it; anything missing or not met is listed first as
// a link to it, and the application cannot be submitted until it is put right.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, Button, ErrorSummary, PostForm, SummaryList } from "#app/components/govuk";
import { ConditionAnswers } from "#app/components/tendering/ConditionAnswer";
import { answerInWords, applicationProblems, submitApplication } from "#app/modules/tendering/dynamic-markets";
import { actionContext } from "#app/web/context";
import { fieldErrors, formObject } from "#app/web/forms";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";
import { applyPath } from "#app/web/market-paths";
import { draftApplicationPage } from "./tenders.$tenderId.apply.server";

export const meta: MetaFunction = () => pageMeta("Check your application");

const submitForm = z.object({ expectedVersion: z.coerce.number().int() });

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { view, latest, conditions } = await draftApplicationPage(request, context.portal, params.tenderId);
  const path = (rest: string) => applyPath(view.tender.id, rest);
  const problems = applicationProblems(latest, conditions);
  return {
    tender: { id: view.tender.id, title: view.tender.title },
    version: latest.version,
    lots: view.lots.filter((l) => latest.lotIds.includes(l.id)).map((l) => `Lot ${l.number}: ${l.title}`),
    conditions: conditions.map((c) => ({
      id: c.id,
      label: `${c.number} ${c.question}`,
      words: Object.entries(answerInWords(c, latest.answers[c.id])).map(([k, v]) => `${k}: ${v}`),
    })),
    // Each problem links to the page that puts it right.
    problems: Object.fromEntries(problems.map((p) => [p.target, p.message])),
    problemLinks: Object.fromEntries(problems.map((p) => [p.target, p.target === "lots" ? path("/lots") : path(`/conditions/${p.target}`)])),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { view } = await draftApplicationPage(request, portal, params.tenderId);
  const parsed = submitForm.safeParse(formObject(await request.formData()));
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error) }, { status: 400 });
  try {
    await portal.db.transaction().execute((trx) => submitApplication(trx, { tenderId: view.tender.id, expectedVersion: parsed.data.expectedVersion }, actionContext(portal)));
  } catch (error) {
    const errors = refusalErrors(error);
    if (errors) return data({ errors }, { status: 400 });
    throw error;
  }
  return redirect(applyPath(view.tender.id), {
    headers: { "Set-Cookie": portal.flashCookie({ title: "Your application has been submitted", body: "The council will admit or refuse it. Everyone at your organisation will be emailed its decision." }) },
  });
}

export default function CheckApplication() {
  const { tender, version, lots, conditions, problems, problemLinks } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const blocking = Object.keys(problems).length > 0;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={applyPath(tender.id)}>Back to your application</BackLink>
        {blocking ? (
          <ErrorSummary errors={problems} href={(key) => problemLinks[key] ?? "#"} title="Your application is not ready to submit" />
        ) : (
          <ErrorSummary errors={result?.errors} />
        )}
        <span className="govuk-caption-l">{tender.title}</span>
        <h1 className="govuk-heading-l">Check your application</h1>
        <h2 className="govuk-heading-m">Lots</h2>
        <SummaryList
          rows={[
            {
              key: "Lots applied for",
              value: lots.length ? lots.join(", ") : "None chosen",
              action: { href: applyPath(tender.id, "/lots"), label: "Change", hidden: "the lots applied for" },
            },
          ]}
        />
        <h2 className="govuk-heading-m">Conditions of participation</h2>
        <ConditionAnswers conditions={conditions} hrefOf={(id) => applyPath(tender.id, `/conditions/${id}`)} />
        {blocking ? null : (
          <PostForm>
            <input type="hidden" name="expectedVersion" value={version} />
            <h2 className="govuk-heading-m">Apply to join the market</h2>
            <p className="govuk-body">By submitting you confirm that these answers are true and that you may apply for your organisation.</p>
            <Button>Submit application</Button>
          </PostForm>
        )}
      </div>
    </div>
  );
}
