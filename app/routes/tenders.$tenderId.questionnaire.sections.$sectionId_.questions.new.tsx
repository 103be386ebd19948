import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { FormPage } from "#app/components/questionnaire/FormPage";
import { QuestionFields, questionErrorOrder } from "#app/components/questionnaire/QuestionFields";
import { SectionDetails } from "#app/components/questionnaire/SectionFields";
import { addQuestion, getQuestionnaire } from "#app/modules/tendering/questionnaires";
import { notFound } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";
import {
  backToQuestionnaire,
  loadForChange,
  loadQuestionnaire,
  questionValuesFrom,
  questionValuesOf,
  saveQuestion,
  submittedVersion,
} from "./tenders.$tenderId.questionnaire.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `Add a question to section ${data.section.position}` : "Add a question");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { tender, canEdit, questionnaire, lots } = await loadQuestionnaire(request, context.portal, params.tenderId);
  const section = questionnaire.sections.find((s) => s.id === params.sectionId);
  if (!section) throw notFound();
  return { tender, canEdit, lots, section: { id: section.id, position: section.position, title: section.title, description: section.description }, blank: questionValuesOf(null) };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { tender, lots, questionnaire } = await loadForChange(request, portal, params.tenderId);
  const section = questionnaire.sections.find((s) => s.id === params.sectionId);
  if (!section) throw notFound();
  const form = await request.formData();
  const values = questionValuesFrom(form);
  const version = submittedVersion(form);
  const outcome = await saveQuestion(portal, lots, values, (trx, input, ctx) => addQuestion(trx, { ...input, tenderId: tender.id, expectedVersion: version, sectionId: section.id }, ctx));
  if (outcome.ok) return backToQuestionnaire(portal, tender.id, `Question added to section ${section.position}`);
  if (!outcome.stale) return data({ errors: outcome.errors, values, version, latest: null }, { status: 400 });
  const latest = (await getQuestionnaire(portal.db, tender.id)).sections.find((s) => s.id === section.id);
  if (!latest) throw notFound();
  return data(
    { errors: outcome.errors, values, version: tender.version, latest: { title: latest.title, description: latest.description, questions: latest.questions.map((q) => `${q.number} ${q.question}`) } },
    { status: 409 },
  );
}

export default function AddQuestion() {
  const { tender, canEdit, lots, section, blank } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <FormPage
      tender={tender}
      heading={`Add a question to section ${section.position}: ${section.title}`}
      errors={result?.errors}
      errorOrder={questionErrorOrder(lots, Object.keys(blank.descriptors))}
      version={result?.version ?? tender.version}
      canEdit={canEdit}
      readOnly={<SectionDetails section={section} />}
      submit="Add question"
      savedNow={
        result?.latest ? (
          <>
            <SectionDetails section={result.latest} />
            <p className="govuk-body">Its questions now:</p>
            <ul className="govuk-list">
              {result.latest.questions.length ? result.latest.questions.map((q: string) => <li key={q}>{q}</li>) : <li>None yet</li>}
            </ul>
          </>
        ) : undefined
      }
    >
      <QuestionFields values={result?.values ?? blank} errors={result?.errors} lots={lots} />
    </FormPage>
  );
}
