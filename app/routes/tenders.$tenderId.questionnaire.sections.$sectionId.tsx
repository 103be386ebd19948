import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { FormPage } from "#app/components/questionnaire/FormPage";
import { SectionDetails, SectionFields } from "#app/components/questionnaire/SectionFields";
import { getQuestionnaire, updateSection } from "#app/modules/tendering/questionnaires";
import { keptValues } from "#app/web/forms";
import { notFound } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";
import { backToQuestionnaire, loadForChange, loadQuestionnaire, runChange, submittedVersion } from "./tenders.$tenderId.questionnaire.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `Change section ${data.section.position}` : "Change a section");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { tender, canEdit, questionnaire } = await loadQuestionnaire(request, context.portal, params.tenderId);
  const section = questionnaire.sections.find((s) => s.id === params.sectionId);
  if (!section) throw notFound();
  return { tender, canEdit, section: { id: section.id, position: section.position, title: section.title, description: section.description } };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { tender } = await loadForChange(request, portal, params.tenderId);
  const form = await request.formData();
  const values = keptValues(form);
  const version = submittedVersion(form);
  const sectionId = params.sectionId ?? "";
  const input = { tenderId: tender.id, expectedVersion: version, sectionId, title: values.title ?? "", description: values.description };
  const outcome = await runChange(portal.db, portal, (trx, ctx) => updateSection(trx, input, ctx));
  if (outcome.ok) return backToQuestionnaire(portal, tender.id, `Section "${input.title.trim()}" saved`);
  const latest = outcome.stale ? (await getQuestionnaire(portal.db, tender.id)).sections.find((s) => s.id === sectionId) : undefined;
  if (outcome.stale && !latest) throw notFound();
  return data(
    { errors: outcome.errors, values, version: outcome.stale ? tender.version : version, latest: latest ? { title: latest.title, description: latest.description } : null },
    { status: outcome.stale ? 409 : 400 },
  );
}

export default function ChangeSection() {
  const { tender, canEdit, section } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <FormPage
      tender={tender}
      heading={`Change section ${section.position}`}
      errors={result?.errors}
      errorOrder={["form", "title", "description"]}
      version={result?.version ?? tender.version}
      canEdit={canEdit}
      readOnly={<SectionDetails section={section} />}
      submit="Save section"
      savedNow={result?.latest ? <SectionDetails section={result.latest} /> : undefined}
    >
      <SectionFields values={result?.values ?? section} errors={result?.errors} />
    </FormPage>
  );
}
