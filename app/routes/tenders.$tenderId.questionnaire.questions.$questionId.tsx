import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { FormPage } from "#app/components/questionnaire/FormPage";
import { QuestionDetails } from "#app/components/questionnaire/QuestionDetails";
import { QuestionFields, questionErrorOrder } from "#app/components/questionnaire/QuestionFields";
import { Button, PostForm, Select } from "#app/components/govuk";
import { getQuestionnaire, moveQuestion, updateQuestion } from "#app/modules/tendering/questionnaires";
import { pageMeta } from "#app/web/page-title";
import {
  backToQuestionnaire,
  loadForChange,
  loadQuestionnaire,
  questionIn,
  questionValuesFrom,
  questionValuesOf,
  runChange,
  saveQuestion,
  submittedVersion,
} from "./tenders.$tenderId.questionnaire.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `Question ${data.question.number}` : "Question");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { tender, canEdit, questionnaire, lots } = await loadQuestionnaire(request, context.portal, params.tenderId);
  const question = questionIn(questionnaire, params.questionId);
  // The sections it could move to: all but its own.
  const otherSections = questionnaire.sections
    .filter((s) => !s.questions.some((q) => q.id === question.id))
    .map((s) => ({ value: s.id, label: `Section ${s.position}: ${s.title}` }));
  return { tender, canEdit, lots, question, otherSections, values: questionValuesOf(question) };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { tender, lots, questionnaire } = await loadForChange(request, portal, params.tenderId);
  const question = questionIn(questionnaire, params.questionId);
  const form = await request.formData();
  if (form.get("intent") === "move-to-section") {
    const version = submittedVersion(form);
    const target = questionnaire.sections.find((s) => s.id === form.get("toSectionId") && !s.questions.some((q) => q.id === question.id));
    if (!target) return data({ errors: { toSectionId: "Select the section to move the question to" }, values: questionValuesOf(question), version, latest: null }, { status: 400 });
    const toPosition = target.questions.length + 1;
    const outcome = await runChange(portal.db, portal, (trx, ctx) =>
      moveQuestion(trx, { tenderId: tender.id, expectedVersion: version, questionId: question.id, toSectionId: target.id, toPosition }, ctx),
    );
    if (outcome.ok) return backToQuestionnaire(portal, tender.id, `Question ${question.number} moved to section ${target.position}, as question ${target.position}.${toPosition}`);
    const latest = outcome.stale ? questionIn(await getQuestionnaire(portal.db, tender.id), question.id) : null;
    return data({ errors: outcome.errors, values: questionValuesOf(latest ?? question), version: outcome.stale ? tender.version : version, latest }, { status: outcome.stale ? 409 : 400 });
  }
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
  const { tender, canEdit, lots, question, otherSections, values } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <FormPage
      tender={tender}
      heading={canEdit ? `Change question ${question.number}` : `Question ${question.number}`}
      errors={result?.errors}
      errorOrder={[...questionErrorOrder(lots, Object.keys(values.descriptors)), "toSectionId"]}
      version={result?.version ?? tender.version}
      canEdit={canEdit}
      readOnly={<QuestionDetails question={question} lots={lots} />}
      submit="Save question"
      after={
        otherSections.length > 0 ? (
          <>
            <hr className="govuk-section-break govuk-section-break--l govuk-section-break--visible" />
            <h2 className="govuk-heading-m">Move to another section</h2>
            <PostForm>
              <input type="hidden" name="intent" value="move-to-section" />
              <input type="hidden" name="version" value={result?.version ?? tender.version} />
              <Select
                name="toSectionId"
                label="Section"
                hint="It becomes the last question of that section. Anything changed above and not saved is not kept."
                options={[{ value: "", label: "Select a section" }, ...otherSections]}
                error={result?.errors.toSectionId}
              />
              <Button variant="secondary">Move question</Button>
            </PostForm>
          </>
        ) : null
      }
      savedNow={result?.latest ? <QuestionDetails question={result.latest} lots={lots} /> : undefined}
    >
      <QuestionFields values={result?.values ?? values} errors={result?.errors} lots={lots} fixedKind={question.kind} />
    </FormPage>
  );
}
