// One answer as an evaluator scores it: the question, its guidance and
// scale, the provider's answer with its word count, and the score (a GOV.UK
// radio per point of the scale) with a required justification. Other
// evaluators' scores appear only once this evaluator has scored every answer
// of the question given to them.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { BackLink, Button, ErrorSummary, PostForm, Radios, SummaryList, Table, Textarea } from "#app/components/govuk";
import { Paragraphs } from "#app/components/Paragraphs";
import { answerForScoring, submitScore } from "#app/modules/evaluation/scores";
import { actionContext } from "#app/web/context";
import { change, evaluationTender, readOrRefusal } from "#app/web/evaluation.server";
import { ukDateTime } from "#app/web/format";
import { keptValues } from "#app/web/forms";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction = () => pageMeta("Score an answer");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const { tender, actor } = await evaluationTender(request, portal, params.tenderId, "evaluation.score");
  const read = await readOrRefusal(() => answerForScoring(portal.db, { tenderId: tender.id, submissionId: params.submissionId ?? "", questionId: params.questionId ?? "" }, actor));
  if (!read.value) return { tender, refusal: read.refusal, answer: null };
  const a = read.value;
  const shown = (s: NonNullable<typeof a.myScore>) => ({ id: s.id, evaluator: s.evaluatorName, score: s.score, justification: s.justification, at: ukDateTime(s.submittedAt), corrected: s.corrections > 0 });
  return {
    tender,
    refusal: null,
    answer: {
      question: `${a.question.number} ${a.question.question}`,
      guidance: a.question.guidance,
      lots: a.question.lots.map((l) => `Lot ${l.lotNumber}: ${l.weight}%`).join("; "),
      minimumScore: a.question.minimumScore,
      scale: a.question.scale,
      provider: a.organisationName,
      text: a.answerText,
      words: a.question.wordLimit ? `${a.wordCount} of ${a.question.wordLimit} words` : `${a.wordCount} words`,
      files: a.files.map((f) => f.fileName),
      mine: a.myScore ? shown(a.myScore) : null,
      others: a.others?.map(shown) ?? null,
      moderated: a.moderated,
      canScore: a.canScore,
    },
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { tender } = await evaluationTender(request, portal, params.tenderId, "evaluation.score");
  const form = await request.formData();
  const values = keptValues(form);
  const typed = String(form.get("score") ?? "");
  const replaces = String(form.get("replacesId") ?? "");
  const result = await change(portal, (trx) =>
    submitScore(
      trx,
      {
        tenderId: tender.id,
        submissionId: params.submissionId ?? "",
        questionId: params.questionId ?? "",
        score: /^\d+$/.test(typed) ? Number(typed) : null,
        justification: String(form.get("justification") ?? ""),
        replacesId: replaces === "" ? null : replaces,
      },
      actionContext(portal),
    ),
  );
  if (result.errors) return data({ errors: result.errors, values }, { status: 400 });
  return redirect(`/tenders/${tender.id}/evaluation`, { headers: { "Set-Cookie": portal.flashCookie({ title: `Your score of ${result.value.score} is submitted` }) } });
}

export default function ScoreAnswer() {
  const { tender, refusal, answer } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const v = result?.values as Record<string, string> | undefined;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`/tenders/${tender.id}/evaluation`}>Back to the evaluation</BackLink>
        <ErrorSummary errors={result?.errors} order={["score", "justification"]} />
        <span className="govuk-caption-l">{answer ? `${answer.provider}, ${tender.title}` : tender.title}</span>
        <h1 className="govuk-heading-l">{answer ? `Question ${answer.question}` : "Score an answer"}</h1>
        {!answer ? (
          <p className="govuk-body">{refusal}</p>
        ) : (
          <>
            {answer.guidance ? (
              <div className="govuk-inset-text">
                <Paragraphs text={answer.guidance} />
              </div>
            ) : null}
            <SummaryList
              rows={[
                { key: "Weight", value: answer.lots },
                ...(answer.minimumScore !== null ? [{ key: "Minimum score", value: `${answer.minimumScore}: below it the bid fails` }] : []),
                { key: "Length", value: answer.words },
                ...(answer.files.length ? [{ key: "Evidence", value: answer.files.join(", ") }] : []),
              ]}
            />
            <h2 className="govuk-heading-m">{answer.provider}'s answer</h2>
            <Paragraphs text={answer.text || "Not answered"} />
            {answer.mine ? (
              <>
                <h2 className="govuk-heading-m">Your score</h2>
                <SummaryList
                  rows={[
                    { key: "Score", value: `${answer.mine.score}${answer.mine.corrected ? " (corrected)" : ""}` },
                    { key: "Justification", value: <Paragraphs text={answer.mine.justification} /> },
                    { key: "Submitted", value: answer.mine.at },
                  ]}
                />
              </>
            ) : null}
            {answer.others ? (
              <Table
                caption="Other evaluators' scores"
                rows={answer.others}
                rowKey={(s) => s.id}
                columns={[
                  { header: "Evaluator", cell: (s) => s.evaluator },
                  { header: "Score", cell: (s) => String(s.score), numeric: true },
                  { header: "Justification", cell: (s) => s.justification },
                ]}
              />
            ) : (
              <p className="govuk-body">You will see the other evaluators' scores for this question once you have scored every answer to it that you were given.</p>
            )}
            {answer.moderated ? <p className="govuk-body">This answer has been moderated, so its scores no longer change.</p> : null}
            {answer.canScore ? (
              <PostForm>
                <input type="hidden" name="replacesId" value={answer.mine?.id ?? ""} />
                <Radios
                  name="score"
                  legend={answer.mine ? "Correct your score" : "Your score"}
                  hint="Score the answer on its own, against the scale."
                  checked={v?.score ?? (answer.mine ? String(answer.mine.score) : undefined)}
                  error={result?.errors.score}
                  options={answer.scale.map((s) => ({ value: String(s.score), label: `${s.score}: ${s.descriptor}` }))}
                />
                <Textarea
                  name="justification"
                  label="Justification"
                  hint="Say why the answer earns this score, by reference to what it says."
                  defaultValue={v?.justification ?? answer.mine?.justification}
                  error={result?.errors.justification}
                  rows={6}
                />
                <Button>{answer.mine ? "Submit the corrected score" : "Submit score"}</Button>
              </PostForm>
            ) : null}
          </>
        )}
      </div>
    </div>
  );
}
