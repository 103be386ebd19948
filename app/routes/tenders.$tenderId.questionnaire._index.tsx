import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { z } from "zod";
import { BackLink, ErrorSummary } from "#app/components/govuk";
import { SectionCard } from "#app/components/questionnaire/Overview";
import { lotName, PriceScheduleDetails, WeightTotal } from "#app/components/questionnaire/QuestionDetails";
import { ReadOnlyNotice } from "#app/components/questionnaire/ReadOnlyNotice";
import { publicationProblems } from "#app/modules/tendering/publication";
import { moveQuestion, moveSection, weightTotals } from "#app/modules/tendering/questionnaires";
import { fieldErrors } from "#app/web/forms";
import { pageMeta } from "#app/web/page-title";
import { backToQuestionnaire, loadForChange, loadQuestionnaire, runChange, versionField } from "./tenders.$tenderId.questionnaire.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `Questionnaire: ${data.tender.title}` : "Questionnaire");

// After a refused move the page shows the questionnaire as it is now, which
// Remix does not reload by itself after an error status.
export const shouldRevalidate: ShouldRevalidateFunction = () => true;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const loaded = await loadQuestionnaire(request, context.portal, params.tenderId);
  const { thing: _thing, ...page } = loaded;
  // What the publication check will refuse about the questionnaire, as links to each place.
  const check = loaded.tender.status === "draft" ? await publicationProblems(context.portal.db, loaded.tender.id, new Date()) : null;
  const toDo = (check?.problems ?? []).flatMap((p) => {
    const match = /^(question|weights|priceSchedule)-(.+)$/.exec(p.field);
    if (!match) return [];
    return [{ href: match[1] === "question" ? `#question-${match[2]}` : `#lot-${match[2]}`, message: p.message }];
  });
  return { ...page, toDo, totals: weightTotals(loaded.questionnaire, loaded.lots.map((l) => l.id)) };
}

const moveForm = z.object({
  intent: z.enum(["move-section", "move-question"]),
  id: z.string().min(1),
  to: z.coerce.number().int().min(1),
  version: versionField,
});

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { tender } = await loadForChange(request, portal, params.tenderId);
  const parsed = moveForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error) }, { status: 400 });
  const { intent, id, to, version } = parsed.data;
  const what = intent === "move-section" ? "Section" : "Question";
  const outcome = await runChange(portal.db, portal, (trx, ctx) =>
    intent === "move-section"
      ? moveSection(trx, { tenderId: tender.id, expectedVersion: version, sectionId: id, toPosition: to }, ctx)
      : moveQuestion(trx, { tenderId: tender.id, expectedVersion: version, questionId: id, toPosition: to }, ctx),
  );
  if (outcome.ok) return backToQuestionnaire(portal, tender.id, `${what} moved`);
  if (outcome.stale) {
    const form = "Nothing was moved: the questionnaire had changed since you opened it. This is the questionnaire as it is now: move the item again if you still need to.";
    return data({ errors: { form } }, { status: 409 });
  }
  return data({ errors: outcome.errors }, { status: 400 });
}

export default function QuestionnaireOverview() {
  const { tender, lots, questionnaire, canEdit, totals, toDo } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { sections, priceSchedules } = questionnaire;
  const questionCount = sections.reduce((n, s) => n + s.questions.length, 0);
  return (
    <>
      <BackLink to={`/tenders/${tender.id}`} />
      <ErrorSummary errors={result?.errors} />
      <span className="govuk-caption-l">{tender.title}</span>
      <h1 className="govuk-heading-l">Questionnaire</h1>
      <ReadOnlyNotice status={tender.status} canEdit={canEdit} />
      <p className="govuk-body">
        {sections.length === 0
          ? "No sections yet."
          : `${sections.length} ${sections.length === 1 ? "section" : "sections"}, ${questionCount} ${questionCount === 1 ? "question" : "questions"}.`}
      </p>
      {toDo.length > 0 ? (
        <>
          <h2 className="govuk-heading-m">Before the tender can be published</h2>
          <ul className="govuk-list govuk-list--bullet" id="to-do">
            {toDo.map((item) => (
              <li key={item.message}>
                <a className="govuk-link" href={item.href}>
                  {item.message}
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <h2 className="govuk-heading-m">Sections and questions</h2>
      {sections.map((s) => (
        <SectionCard key={s.id} section={s} sectionCount={sections.length} lots={lots} basePath={tender.path} version={tender.version} canEdit={canEdit} />
      ))}
      {canEdit ? (
        <Link className="govuk-button" to={`${tender.path}/sections/new`}>
          Add a section
        </Link>
      ) : null}

      <h2 className="govuk-heading-m">Weights and prices for each lot</h2>
      {lots.length === 0 ? <p className="govuk-body">No lots are on offer yet: choose the lots on the tender's page first.</p> : null}
      {lots.map((lot) => {
        const total = totals.find((t) => t.lotId === lot.id)!;
        const schedule = priceSchedules.find((s) => s.lotId === lot.id);
        return (
          <section key={lot.id} id={`lot-${lot.id}`} aria-labelledby={`lot-${lot.id}-heading`}>
            <hr className="govuk-section-break govuk-section-break--m govuk-section-break--visible" />
            <h3 className="govuk-heading-s" id={`lot-${lot.id}-heading`}>
              {lotName(lot)}
            </h3>
            <WeightTotal total={total} lot={lot} />
            <PriceScheduleDetails schedule={schedule} lot={lot} />
            <p className="govuk-body">
              <Link className="govuk-link" to={`${tender.path}/prices/${lot.id}`}>
                {canEdit ? (schedule ? "Change the price schedule" : "Set the price schedule") : "View the price schedule"}
                <span className="govuk-visually-hidden"> for lot {lot.number}</span>
              </Link>
            </p>
          </section>
        );
      })}
    </>
  );
}
