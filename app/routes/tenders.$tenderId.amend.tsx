import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { BackLink, Button, ErrorSummary, PostForm, Textarea, TextInput } from "#app/components/govuk";
import { DateTimeField, DayField, problemHref } from "#app/components/tendering/fields";
import { tenderFor } from "#app/components/tendering/load.server";
import { addRefusal, boxesFromTender, dateTimeBoxes, FIELD_LABELS, noProblems, readDateTime, readDay } from "#app/components/tendering/tender-form.server";
import { ActionRefused, ConcurrentEditError } from "#app/modules/errors";
import type { QuestionInput } from "#app/modules/tendering/questionnaires";
import { getQuestionnaire } from "#app/modules/tendering/questionnaires";
import { AMENDMENT_NOTICE_DAYS, amendTender, DeadlineMustMove, type AmendableDetails } from "#app/modules/tendering/publication";
import { getTender } from "#app/modules/tendering/tenders";
import { actionContext } from "#app/web/context";
import { keptValues } from "#app/web/forms";
import { pageMeta } from "#app/web/page-title";
import { formatUkDateTime } from "#emails/format";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `Amend ${data.title}` : "Amend a tender");

const DATE_TIMES = ["clarificationDeadlineAt", "submissionDeadlineAt"] as const;
const DAYS = ["intendedAwardOn", "intendedContractStartOn"] as const;

async function questionsOf(db: Parameters<typeof getQuestionnaire>[0], tenderId: string) {
  return (await getQuestionnaire(db, tenderId)).sections.flatMap((s) => s.questions);
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const { view } = await tenderFor(request, portal, params.tenderId);
  const t = view.tender;
  const open = t.status === "published" && t.submission_deadline_at !== null && t.submission_deadline_at > new Date();
  if (!open) throw redirect(`/tenders/${t.id}`);
  const questions = await questionsOf(portal.db, t.id);
  const values = boxesFromTender(t);
  for (const q of questions) {
    values[`question-${q.id}`] = q.question;
    values[`guidance-${q.id}`] = q.guidance;
  }
  return {
    id: t.id,
    title: t.title,
    version: t.version,
    values,
    questions: questions.map((q) => ({ id: q.id, number: q.number })),
    participationStage: t.participation_stage,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { view } = await tenderFor(request, portal, params.tenderId);
  const form = await request.formData();
  const values = keptValues(form, ["version"]);
  let version = Number(form.get("version"));
  const problems = noProblems();
  let proposed: string | null = null;
  const answer = (status: number) => data({ ...problems, values, version, proposed }, { status });

  if ((values.reason ?? "").trim() === "") problems.errors.reason = "Enter the reason for the amendment";
  if ((values.title ?? "").trim() === "") problems.errors.title = "Enter the title";
  const details: AmendableDetails = { title: values.title ?? "", summary: values.summary ?? "" };
  for (const field of view.tender.participation_stage ? [...DATE_TIMES, "participationDeadlineAt" as const] : DATE_TIMES) {
    const value = readDateTime(values, field, problems);
    if (value === null) problems.errors[field] = `Enter the ${FIELD_LABELS[field].toLowerCase()}`;
    else if (value !== undefined) details[field] = value;
  }
  for (const field of DAYS) {
    const value = readDay(values, field, FIELD_LABELS[field], problems);
    if (value === null) problems.errors[field] = `Enter the ${FIELD_LABELS[field].toLowerCase()}`;
    else if (value !== undefined) details[field] = value;
  }
  if (Object.keys(problems.errors).length > 0) return answer(400);

  // Only questions whose wording changed are amended; their other settings stay as published.
  const questions: (QuestionInput & { questionId: string })[] = [];
  for (const q of await questionsOf(portal.db, view.tender.id)) {
    const question = values[`question-${q.id}`] ?? q.question;
    const guidance = values[`guidance-${q.id}`] ?? q.guidance;
    if (question.trim() === q.question && guidance.trim() === q.guidance) continue;
    questions.push({ questionId: q.id, question, guidance, evidenceRequired: q.evidenceRequired, wordLimit: q.wordLimit, minimumScore: q.minimumScore });
  }
  let number: number;
  try {
    ({ number } = await portal.db.transaction().execute((trx) =>
      amendTender(
        trx,
        { tenderId: view.tender.id, expectedVersion: version, reason: values.reason ?? "", details, questions },
        actionContext(portal),
        { baseUrl: portal.baseUrl },
      ),
    ));
  } catch (error) {
    if (error instanceof DeadlineMustMove) {
      // The deadline the portal proposes goes into the boxes; the person can still choose a later one.
      Object.assign(values, dateTimeBoxes("submissionDeadlineAt", error.proposedDeadline));
      proposed = formatUkDateTime(error.proposedDeadline);
      problems.errors.submissionDeadlineAt = `Move the submission deadline to ${proposed} or later: we have put that date in for you`;
      return answer(400);
    }
    if (error instanceof ConcurrentEditError) {
      // What was typed stays in the form; the next save is made on the tender as it is now.
      version = (await getTender(portal.db, view.tender.id))?.tender.version ?? version;
      problems.errors.form = error.message;
      return answer(409);
    }
    if (error instanceof ActionRefused) {
      const field = error.field?.startsWith("question") || error.field === "guidance" ? null : error.field;
      addRefusal(problems, field === error.field ? error : new ActionRefused(error.message, field));
      return answer(400);
    }
    throw error;
  }
  return redirect(`/tenders/${view.tender.id}`, {
    headers: {
      "Set-Cookie": portal.flashCookie({ title: `Amendment ${number} published`, body: "It is listed on the tender, and every provider that registered interest is being emailed." }),
    },
  });
}

export default function AmendTender() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const values = result?.values ?? loaded.values;
  const problems = result ?? { errors: {}, targets: {}, parts: {} };
  const errors: Record<string, string | undefined> = problems.errors;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`/tenders/${loaded.id}`}>Back to the tender</BackLink>
        <ErrorSummary
          errors={errors}
          order={["form", "reason", "title", "summary", "clarificationDeadlineAt", "participationDeadlineAt", "submissionDeadlineAt", ...DAYS]}
          href={(key) => problemHref(problems, key)}
        />
        <span className="govuk-caption-l">{loaded.title}</span>
        <h1 className="govuk-heading-l">Amend the tender</h1>
        <p className="govuk-body">
          The amendment is listed on the tender with your reason, and emailed to every provider that registered interest. A change to a question
          changes what providers must submit: it needs at least {AMENDMENT_NOTICE_DAYS} days before the submission deadline, so the deadline may need to
          move.
        </p>
        {result?.proposed ? (
          <div className="govuk-inset-text">
            Your change to the questions gives providers less than {AMENDMENT_NOTICE_DAYS} days before the submission deadline. We have put in a new
            deadline of {result.proposed}, at least {AMENDMENT_NOTICE_DAYS} days from now. Check it, then publish the amendment.
          </div>
        ) : null}
        {/* Keyed on the proposed deadline, so the boxes show it (they keep what was typed otherwise). */}
        <PostForm key={result?.proposed ?? "as typed"}>
          <input type="hidden" name="version" value={result?.version ?? loaded.version} />
          <Textarea name="reason" label="Reason for the amendment" hint="Providers will read this." defaultValue={values.reason} error={errors.reason} />
          <h2 className="govuk-heading-m">Details</h2>
          <TextInput name="title" label="Title" defaultValue={values.title} error={errors.title} />
          <Textarea name="summary" label="Summary" rows={6} defaultValue={values.summary} error={errors.summary} />
          <h2 className="govuk-heading-m">Timeline (UK time)</h2>
          <DateTimeField field="clarificationDeadlineAt" legend="Clarification deadline" values={values} problems={problems} />
          {loaded.participationStage ? (
            <DateTimeField
              field="participationDeadlineAt"
              legend="Participation deadline"
              hint="When requests to participate close. It cannot move once it has passed. For example, 27 3 2027"
              values={values}
              problems={problems}
            />
          ) : null}
          <DateTimeField field="submissionDeadlineAt" legend="Submission deadline" values={values} problems={problems} />
          <DayField field="intendedAwardOn" legend="Intended award date" values={values} problems={problems} />
          <DayField field="intendedContractStartOn" legend="Intended contract start" values={values} problems={problems} />
          {loaded.questions.length > 0 ? (
            <>
              <h2 className="govuk-heading-m">Questions</h2>
              {loaded.questions.map((q) => (
                <div key={q.id}>
                  <Textarea name={`question-${q.id}`} label={`Question ${q.number}`} rows={3} defaultValue={values[`question-${q.id}`]} error={errors[`question-${q.id}`]} />
                  <Textarea name={`guidance-${q.id}`} label={`Guidance for question ${q.number}`} rows={3} defaultValue={values[`guidance-${q.id}`]} />
                </div>
              ))}
            </>
          ) : null}
          <Button>Publish amendment</Button>
        </PostForm>
      </div>
    </div>
  );
}
