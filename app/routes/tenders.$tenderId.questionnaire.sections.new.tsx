import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { FormPage } from "#app/components/questionnaire/FormPage";
import { SectionFields } from "#app/components/questionnaire/SectionFields";
import { addSection, getQuestionnaire } from "#app/modules/tendering/questionnaires";
import { keptValues } from "#app/web/forms";
import { pageMeta } from "#app/web/page-title";
import { backToQuestionnaire, loadForChange, loadQuestionnaire, runChange, submittedVersion } from "./tenders.$tenderId.questionnaire.server";

export const meta: MetaFunction = () => pageMeta("Add a section");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { tender, canEdit } = await loadQuestionnaire(request, context.portal, params.tenderId);
  return { tender, canEdit };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { tender } = await loadForChange(request, portal, params.tenderId);
  const form = await request.formData();
  const values = keptValues(form);
  const version = submittedVersion(form);
  const input = { tenderId: tender.id, expectedVersion: version, title: values.title ?? "", description: values.description };
  const outcome = await runChange(portal.db, portal, (trx, ctx) => addSection(trx, input, ctx));
  if (outcome.ok) return backToQuestionnaire(portal, tender.id, `Section "${input.title.trim()}" added`);
  const sections = outcome.stale ? (await getQuestionnaire(portal.db, tender.id)).sections.map((s) => `${s.position}. ${s.title}`) : null;
  return data({ errors: outcome.errors, values, version: outcome.stale ? tender.version : version, sections }, { status: outcome.stale ? 409 : 400 });
}

export default function AddSection() {
  const { tender, canEdit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <FormPage
      tender={tender}
      heading="Add a section"
      errors={result?.errors}
      errorOrder={["form", "title", "description"]}
      version={result?.version ?? tender.version}
      canEdit={canEdit}
      submit="Add section"
      savedNow={
        result?.sections ? (
          <>
            <p className="govuk-body">The questionnaire now has these sections:</p>
            <ol className="govuk-list">{result.sections.length ? result.sections.map((s: string) => <li key={s}>{s}</li>) : <li>No sections</li>}</ol>
          </>
        ) : undefined
      }
    >
      <SectionFields values={result?.values ?? {}} errors={result?.errors} />
    </FormPage>
  );
}
