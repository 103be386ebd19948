// A tender's clarifications: the published answers for everyone; for a
// signed-in provider its own questions and, while questions are open and it
// has registered interest, a form to ask; for the lead council's officers
// every question with who asked, those awaiting an answer first.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, Button, ErrorSummary, PostForm, Table, Tag, Textarea } from "#app/components/govuk";
import { PublishedClarifications } from "#app/components/PublishedClarifications";
import {
  askClarification,
  listAllQuestions,
  listOwnQuestions,
  listPublicClarifications,
  QUESTION_MAX,
  questionsOpen,
  type ClarificationQuestionView,
} from "#app/modules/tendering/clarifications";
import { allowed } from "#app/policy/policy";
import { actionContext } from "#app/web/context";
import { ukDateTime } from "#app/web/format";
import { fieldErrors, formObject, keptValues } from "#app/web/forms";
import { authorise } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";
import { readableTender } from "#app/web/tender-pack.server";

export const meta: MetaFunction = () => pageMeta("Clarifications");

const askForm = z.object({
  question: z.string().trim().min(1, "Enter your question").max(QUESTION_MAX, `Your question must be ${QUESTION_MAX} characters or fewer`),
});

export async function loader({ params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const { view, tender, pack } = await readableTender(portal, params.tenderId);
  const actor = portal.actor;
  const t = view.tender;
  const isProvider = actor?.organisationKind === "provider" && actor.roles.includes("provider_user");
  const seesAll = allowed(actor, "clarification.viewAll", tender);
  return {
    tender: { id: t.id, title: t.title, status: t.status, clarificationDeadlineAt: t.clarification_deadline_at },
    open: questionsOpen(t, new Date()),
    published: await listPublicClarifications(portal.db, t.id),
    viewer: isProvider ? "provider" : actor ? "council" : "public",
    interested: pack.interested,
    canAsk: allowed(actor, "clarification.ask", pack),
    own: isProvider && actor ? await listOwnQuestions(portal.db, t.id, actor.organisationId) : [],
    all: seesAll ? await listAllQuestions(portal.db, t.id) : null,
    canAnswer: allowed(actor, "clarification.answer", tender),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { view, pack } = await readableTender(portal, params.tenderId);
  authorise(request, portal, "clarification.ask", pack);
  const form = await request.formData();
  const values = keptValues(form);
  const parsed = askForm.safeParse(formObject(form));
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), values }, { status: 400 });
  try {
    await portal.db.transaction().execute((trx) => askClarification(trx, { tenderId: view.tender.id, question: parsed.data.question }, actionContext(portal)));
  } catch (error) {
    const errors = refusalErrors(error);
    if (errors) return data({ errors, values }, { status: 400 });
    throw error;
  }
  return redirect(`/tenders/${view.tender.id}/clarifications`, {
    headers: {
      "Set-Cookie": portal.flashCookie({
        title: "Your question has been sent",
        body: "The council will answer it. If the answer is published, your organisation is not named. You will be emailed the answer.",
      }),
    },
  });
}

function status(q: ClarificationQuestionView) {
  if (!q.answer) return <Tag colour="yellow">Awaiting answer</Tag>;
  if (q.answer.visibility === "public") return <Tag colour="green">{`Published as clarification ${q.answer.publicNumber}`}</Tag>;
  return <Tag colour="blue">Answered privately</Tag>;
}

/** The first words of a question, for a table. */
function excerpt(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > 120 ? `${oneLine.slice(0, 117)}…` : oneLine;
}

export default function Clarifications() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { tender } = page;
  const base = `/tenders/${tender.id}/clarifications`;
  const deadline = tender.clarificationDeadlineAt ? ukDateTime(tender.clarificationDeadlineAt) : null;
  const waiting = page.all?.filter((q) => !q.answer) ?? [];
  const answered = page.all?.filter((q) => q.answer) ?? [];
  const questionLink = (q: ClarificationQuestionView, text: string) => (
    <Link className="govuk-link" to={`${base}/${q.id}`}>
      {text}
    </Link>
  );
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`/tenders/${tender.id}`} />
        <ErrorSummary errors={result?.errors} order={["question"]} />
        <span className="govuk-caption-l">{tender.title}</span>
        <h1 className="govuk-heading-l">Clarifications</h1>
        {deadline ? (
          <p className="govuk-body">{page.open ? `Questions close at ${deadline}.` : `Questions closed at ${deadline}.`}</p>
        ) : null}

        <h2 className="govuk-heading-m">Published answers</h2>
        <PublishedClarifications items={page.published} />

        {page.viewer === "public" ? (
          <p className="govuk-body">
            Providers <Link className="govuk-link" to={`/sign-in?returnTo=${encodeURIComponent(base)}`}>sign in</Link> and register interest in the tender to ask a question.
          </p>
        ) : null}

        {page.viewer === "provider" ? (
          <>
            <h2 className="govuk-heading-m">Ask a question</h2>
            {!page.interested ? (
              <div className="govuk-inset-text">
                Register interest in this tender on <Link className="govuk-link" to={`/tenders/${tender.id}`}>the tender's page</Link> to ask questions and download its documents.
              </div>
            ) : page.canAsk && page.open ? (
              <PostForm>
                <Textarea
                  name="question"
                  label="Your question"
                  hint="If the council publishes the answer, it may reword your question so that it does not identify you. Your organisation is never named to other providers."
                  rows={6}
                  defaultValue={result?.values.question}
                  error={result?.errors.question}
                />
                <Button>Send question</Button>
              </PostForm>
            ) : (
              <p className="govuk-body">Questions are closed for this tender.</p>
            )}
            {page.own.length > 0 ? (
              <Table
                caption="Your organisation's questions"
                rows={page.own}
                rowKey={(q) => q.id}
                columns={[
                  { header: "Asked", cell: (q) => ukDateTime(q.askedAt) },
                  { header: "Question", cell: (q) => questionLink(q, excerpt(q.question)) },
                  { header: "Status", cell: status },
                ]}
              />
            ) : null}
          </>
        ) : null}
      </div>

      {page.all ? (
        <div className="govuk-grid-column-full">
          {waiting.length === 0 ? (
            <>
              <h2 className="govuk-heading-m">Questions awaiting an answer</h2>
              <p className="govuk-body">No questions are waiting for an answer.</p>
            </>
          ) : (
            <Table
              caption={`Questions awaiting an answer (${waiting.length})`}
              rows={waiting}
              rowKey={(q) => q.id}
              columns={[
                { header: "Asked", cell: (q) => ukDateTime(q.askedAt) },
                { header: "From", cell: (q) => `${q.organisationName}${q.askedBy ? ` (${q.askedBy})` : ""}` },
                { header: "Question", cell: (q) => excerpt(q.question) },
                {
                  header: <span className="govuk-visually-hidden">Action</span>,
                  cell: (q) => (
                    <Link className="govuk-link" to={`${base}/${q.id}`}>
                      {page.canAnswer ? "Answer" : "View"}
                      <span className="govuk-visually-hidden">{` the question from ${q.organisationName} asked ${ukDateTime(q.askedAt)}`}</span>
                    </Link>
                  ),
                },
              ]}
            />
          )}
          {answered.length > 0 ? (
            <Table
              caption="Answered questions"
              rows={answered}
              rowKey={(q) => q.id}
              columns={[
                { header: "Asked", cell: (q) => ukDateTime(q.askedAt) },
                { header: "From", cell: (q) => q.organisationName },
                { header: "Question", cell: (q) => questionLink(q, excerpt(q.question)) },
                { header: "Answer", cell: status },
              ]}
            />
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
