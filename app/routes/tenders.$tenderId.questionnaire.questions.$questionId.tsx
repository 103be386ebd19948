import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { FormPage } from "#app/components/questionnaire/FormPage";
import { QuestionDetails } from "#app/components/questionnaire/QuestionDetails";
import { QuestionFields, questionErrorOrder } from "#app/components/questionnaire/QuestionFields";
import { getQuestionnaire, updateQuestion } from "#app/modules/tendering/questionnaires";
import { pageMeta } from "#app/web/page-title";
import {
  backToQuestionnaire,
  loadForChange,
  loadQuestionnaire,
  questionIn,
  questionValuesFrom,
  questionValuesOf,
  saveQuestion,
  submittedVersion,
} from "./tenders.$tenderId.questionnaire.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `Question ${data.question.number}` : "Question");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { tender, canEdit, questionnaire, lots } = await loadQuestionnaire(request, context.portal, params.tenderId);
  const question = questionIn(questionnaire, params.questionId);
  return { tender, canEdit, lots, question, values: questionValuesOf(question) };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { tender, lots, questionnaire } = await loadForChange(request, portal, params.tenderId);
  const question = questionIn(questionnaire, params.questionId);
  const form = await request.formData();
  // The kind of a question is fixed once it is added.
  const values = { ...questionValuesFrom(form), kind: question.kind };
  const version = submittedVersion(form);
  const outcome = await saveQuestion(portal, lots, values, (trx, input, ctx) => updateQuestion(trx, { ...input, tenderId: tender.id, expectedVersion: version, questionId: question.id }, ctx));
  if (outcome.ok) return backToQuestionnaire(portal, tender.id, `Question ${question.number} saved`);
  if (!outcome.stale) return data({ errors: outcome.errors, values, version, latest: null }, { status: 400 });
  const latest = questionIn(await getQuestionnaire(portal.db, tender.id), question.id);
  return data({ errors: outcome.errors, values, version: tender.version, latest }, { status: 409 });
}

export default function ChangeQuestion() {
  const { tender, canEdit, lots, question, values } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <FormPage
      tender={tender}
      heading={canEdit ? `Change question ${question.number}` : `Question ${question.number}`}
      errors={result?.errors}
      errorOrder={questionErrorOrder(lots, Object.keys(values.descriptors))}
      version={result?.version ?? tender.version}
      canEdit={canEdit}
      readOnly={<QuestionDetails question={question} lots={lots} />}
      submit="Save question"
      savedNow={result?.latest ? <QuestionDetails question={result.latest} lots={lots} /> : undefined}
    >
      <QuestionFields values={result?.values ?? values} errors={result?.errors} lots={lots} fixedKind={question.kind} />
    </FormPage>
  );
}
