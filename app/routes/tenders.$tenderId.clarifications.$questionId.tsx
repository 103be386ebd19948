// One clarification question. The organisation that asked it and the lead
// council's staff see it as asked, with its answer (public or private); the
// council's commissioning officers answer it here. Anyone else sees only a
// published answer, in its published words; a private or unanswered
// question of another organisation does not exist for them (404).
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, Button, ErrorSummary, PostForm, Radios, SummaryList, Textarea } from "#app/components/govuk";
import { Paragraphs } from "#app/components/Paragraphs";
import { ANSWER_MAX, answerClarification, clarificationThing, getQuestion, QUESTION_MAX } from "#app/modules/tendering/clarifications";
import { allowed, mayReadClarification } from "#app/policy/policy";
import { actionContext, type PortalContext } from "#app/web/context";
import { ukDateTime } from "#app/web/format";
import { fieldErrors, formObject, keptValues } from "#app/web/forms";
import { authorise, notFound, signInRedirect } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";
import { readableTender } from "#app/web/tender-pack.server";

export const meta: MetaFunction = () => pageMeta("Clarification question");

const answerForm = z
  .object({
    visibility: z.enum(["public", "private"], { error: "Select whether to publish the answer or send it only to the provider that asked" }),
    publishedQuestion: z.string().trim().max(QUESTION_MAX, `The question as published must be ${QUESTION_MAX} characters or fewer`).default(""),
    answer: z.string().trim().min(1, "Enter the answer").max(ANSWER_MAX, `The answer must be ${ANSWER_MAX} characters or fewer`),
    privateReason: z.string().trim().max(2000, "The reason must be 2000 characters or fewer").default(""),
  })
  .superRefine((form, ctx) => {
    if (form.visibility === "public" && form.publishedQuestion === "") {
      ctx.addIssue({ code: "custom", path: ["publishedQuestion"], message: "Enter the question as it will be published" });
    }
    if (form.visibility === "private" && form.privateReason === "") {
      ctx.addIssue({ code: "custom", path: ["privateReason"], message: "Enter why the answer is sent only to the provider that asked" });
    }
  });

async function load(request: Request, portal: PortalContext, params: { tenderId?: string; questionId?: string }) {
  const { view, tender } = await readableTender(portal, params.tenderId);
  const question = await getQuestion(portal.db, view.tender.id, params.questionId ?? "");
  if (!question) throw notFound();
  const decision = mayReadClarification(portal.actor, clarificationThing(question, tender));
  if (!decision.allowed) throw portal.actor ? notFound() : signInRedirect(request);
  return { view, tender, question };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const { view, tender, question } = await load(request, portal, params);
  const actor = portal.actor;
  const council = allowed(actor, "clarification.viewAll", tender);
  const asker = actor?.organisationKind === "provider" && actor.organisationId === question.organisationId;
  const answer = question.answer;
  return {
    tender: { id: view.tender.id, title: view.tender.title },
    // Someone who neither asked nor works for the council sees only what was published.
    question: council || asker
      ? { ...question, organisationName: council ? question.organisationName : null, askedBy: council || asker ? question.askedBy : null }
      : {
          id: question.id,
          question: answer?.publishedQuestion ?? "",
          askedAt: null,
          askedBy: null,
          organisationName: null,
          answer: answer ? { ...answer, answeredBy: null, privateReason: null } : null,
        },
    canAnswer: !answer && view.tender.status === "published" && allowed(actor, "clarification.answer", tender),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { view, tender, question } = await load(request, portal, params);
  authorise(request, portal, "clarification.answer", tender);
  const form = await request.formData();
  const values = keptValues(form);
  const parsed = answerForm.safeParse(formObject(form));
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), values }, { status: 400 });
  let result;
  try {
    result = await portal.db
      .transaction()
      .execute((trx) => answerClarification(trx, { tenderId: view.tender.id, questionId: question.id, ...parsed.data }, actionContext(portal), { baseUrl: portal.baseUrl }));
  } catch (error) {
    const errors = refusalErrors(error);
    if (errors) return data({ errors, values }, { status: 400 });
    throw error;
  }
  const people = `${result.emailed} ${result.emailed === 1 ? "person" : "people"}`;
  return redirect(`/tenders/${view.tender.id}/clarifications`, {
    headers: {
      "Set-Cookie": portal.flashCookie(
        result.publicNumber !== null
          ? { title: `Clarification ${result.publicNumber} published`, body: `It is listed on the tender, and ${people} at interested providers will be emailed it.` }
          : { title: `Answer sent privately to ${question.organisationName}`, body: `${people} at ${question.organisationName} will be emailed it. It is not published.` },
      ),
    },
  });
}

export default function ClarificationQuestion() {
  const { tender, question, canAnswer } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const v = result?.values;
  const answer = question.answer;
  const rows = [
    ...(question.organisationName ? [{ key: "Asked by", value: `${question.organisationName}${question.askedBy ? ` (${question.askedBy})` : ""}` }] : []),
    ...(question.askedAt ? [{ key: "Asked", value: ukDateTime(question.askedAt) }] : []),
    { key: question.askedAt ? "Question as asked" : "Question", value: <Paragraphs text={question.question} /> },
    {
      key: "Status",
      value: !answer ? "Awaiting an answer" : answer.visibility === "public" ? `Published as clarification ${answer.publicNumber}` : "Answered privately",
    },
    ...(answer
      ? [
          ...(answer.visibility === "public" && question.askedAt ? [{ key: "Question as published", value: <Paragraphs text={answer.publishedQuestion ?? ""} /> }] : []),
          { key: "Answer", value: <Paragraphs text={answer.answer} /> },
          ...(answer.privateReason ? [{ key: "Why it was not published", value: <Paragraphs text={answer.privateReason} /> }] : []),
          { key: answer.visibility === "public" ? "Published" : "Answered", value: `${ukDateTime(answer.answeredAt)}${answer.answeredBy ? ` by ${answer.answeredBy}` : ""}` },
        ]
      : []),
  ];
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`/tenders/${tender.id}/clarifications`} />
        <ErrorSummary errors={result?.errors} order={["visibility", "publishedQuestion", "answer", "privateReason"]} />
        <span className="govuk-caption-l">{tender.title}</span>
        <h1 className="govuk-heading-l">{answer?.visibility === "public" && !question.askedAt ? `Clarification ${answer.publicNumber}` : "Clarification question"}</h1>
        <SummaryList rows={rows} />
        {canAnswer ? (
          <>
            <h2 className="govuk-heading-m">Answer the question</h2>
            <PostForm>
              <Radios
                name="visibility"
                legend="Who should get the answer?"
                checked={v?.visibility}
                error={result?.errors.visibility}
                options={[
                  {
                    value: "public",
                    label: "Publish it to every provider",
                    hint: "It is listed on the tender and emailed to every provider that registered interest, without saying who asked.",
                  },
                  {
                    value: "private",
                    label: "Send it only to the provider that asked",
                    hint: "Only when the question is commercially sensitive. Give the reason below.",
                  },
                ]}
              />
              <Textarea
                name="publishedQuestion"
                label="The question as it will be published"
                hint="If you publish the answer. Reword it so that it does not identify the provider that asked."
                rows={5}
                defaultValue={v?.publishedQuestion ?? question.question}
                error={result?.errors.publishedQuestion}
              />
              <Textarea name="answer" label="Answer" rows={8} defaultValue={v?.answer} error={result?.errors.answer} />
              <Textarea
                name="privateReason"
                label="Why the answer is sent only to the provider that asked"
                hint="If you answer privately. For example, the question discloses the provider's prices."
                rows={3}
                defaultValue={v?.privateReason}
                error={result?.errors.privateReason}
              />
              <Button>Send answer</Button>
            </PostForm>
          </>
        ) : null}
      </div>
    </div>
  );
}
