import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { RemovePage } from "#app/components/questionnaire/RemovePage";
import { getQuestionnaire, removeSection, type Questionnaire } from "#app/modules/tendering/questionnaires";
import { notFound } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";
import { backToQuestionnaire, loadForChange, loadQuestionnaire, runChange, submittedVersion } from "./tenders.$tenderId.questionnaire.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `Remove section ${data.section.position}` : "Remove a section");

function sectionIn(questionnaire: Questionnaire, sectionId: string | undefined) {
  const section = questionnaire.sections.find((s) => s.id === sectionId);
  if (!section) throw notFound();
  return { id: section.id, position: section.position, title: section.title, questions: section.questions.map((q: { id: string; number: string; question: string }) => ({ id: q.id, number: q.number, question: q.question })) };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { tender, canEdit, questionnaire } = await loadQuestionnaire(request, context.portal, params.tenderId);
  return { tender, canEdit, section: sectionIn(questionnaire, params.sectionId) };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { tender, questionnaire } = await loadForChange(request, portal, params.tenderId);
  const section = sectionIn(questionnaire, params.sectionId);
  const version = submittedVersion(await request.formData());
  const outcome = await runChange(portal.db, portal, (trx, ctx) => removeSection(trx, { tenderId: tender.id, expectedVersion: version, sectionId: section.id }, ctx));
  if (outcome.ok) return backToQuestionnaire(portal, tender.id, `Section "${section.title}" removed`, "Later sections have moved up a number.");
  const latest = outcome.stale ? sectionIn(await getQuestionnaire(portal.db, tender.id), section.id) : null;
  return data({ errors: outcome.errors, version: outcome.stale ? tender.version : version, latest }, { status: outcome.stale ? 409 : 400 });
}

export default function RemoveSection() {
  const { tender, canEdit, section: loaded } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const section = result?.latest ?? loaded;
  const count = section.questions.length;
  return (
    <RemovePage
      tender={tender}
      what={`section ${section.position}`}
      consequence={`This cannot be undone. ${count === 0 ? "The section has no questions." : `Its ${count === 1 ? "question goes" : `${count} questions go`} with it.`} The wording stays in the tender's history.`}
      canEdit={canEdit}
      errors={result?.errors}
      version={result?.version ?? tender.version}
    >
      <p className="govuk-body govuk-!-font-weight-bold">{section.title}</p>
      {count > 0 ? (
        <ul className="govuk-list govuk-list--bullet">
          {section.questions.map((q: { id: string; number: string; question: string }) => (
            <li key={q.id}>
              {q.number} {q.question}
            </li>
          ))}
        </ul>
      ) : null}
    </RemovePage>
  );
}
