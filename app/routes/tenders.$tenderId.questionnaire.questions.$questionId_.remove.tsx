import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { QuestionDetails } from "#app/components/questionnaire/QuestionDetails";
import { RemovePage } from "#app/components/questionnaire/RemovePage";
import { getQuestionnaire, removeQuestion } from "#app/modules/tendering/questionnaires";
import { pageMeta } from "#app/web/page-title";
import { backToQuestionnaire, loadForChange, loadQuestionnaire, questionIn, runChange, submittedVersion } from "./tenders.$tenderId.questionnaire.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `Remove question ${data.question.number}` : "Remove a question");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { tender, canEdit, questionnaire, lots } = await loadQuestionnaire(request, context.portal, params.tenderId);
  return { tender, canEdit, lots, question: questionIn(questionnaire, params.questionId) };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { tender, questionnaire } = await loadForChange(request, portal, params.tenderId);
  const question = questionIn(questionnaire, params.questionId);
  const version = submittedVersion(await request.formData());
  const outcome = await runChange(portal.db, portal, (trx, ctx) => removeQuestion(trx, { tenderId: tender.id, expectedVersion: version, questionId: question.id }, ctx));
  if (outcome.ok) return backToQuestionnaire(portal, tender.id, `Question ${question.number} removed`, "Later questions in its section have moved up a number.");
  const latest = outcome.stale ? questionIn(await getQuestionnaire(portal.db, tender.id), question.id) : null;
  return data({ errors: outcome.errors, version: outcome.stale ? tender.version : version, latest }, { status: outcome.stale ? 409 : 400 });
}

export default function RemoveQuestion() {
  const { tender, canEdit, lots, question: loaded } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const question = result?.latest ?? loaded;
  return (
    <RemovePage
      tender={tender}
      what={`question ${question.number}`}
      consequence="This cannot be undone. The question's wording stays in the tender's history."
      canEdit={canEdit}
      errors={result?.errors}
      version={result?.version ?? tender.version}
    >
      <QuestionDetails question={question} lots={lots} />
    </RemovePage>
  );
}
