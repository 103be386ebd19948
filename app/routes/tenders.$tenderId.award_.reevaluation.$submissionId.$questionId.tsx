// Changing one answer's moderated score in re-evaluation (decision 037): the
// new agreed score, its rationale and why it changes. The earlier moderation
// and the evaluators' scores are kept; of two officers changing it at once,
// exactly one change stands and the other is told whose did.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, Button, ErrorSummary, PostForm, Radios, SummaryList, Textarea } from "#app/components/govuk";
import { Paragraphs } from "#app/components/Paragraphs";
import { tenderFor } from "#app/components/tendering/load.server";
import { answersToReevaluate, openReevaluation, reviseModeratedScore } from "#app/modules/awards/reevaluation";
import { actionContext } from "#app/web/context";
import { fieldErrors, keptValues } from "#app/web/forms";
import { ukDateTime } from "#app/web/format";
import { notFound } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `${data.moderation ? "Change" : "Agree"} ${data.provider}'s moderated score` : "Change a moderated score");

const FIELDS = ["form", "agreedScore", "rationale", "reason"];

const changeForm = z.object({
  replacesId: z.string(),
  agreedScore: z.coerce.number({ error: "Choose the agreed score" }).int("Choose the agreed score"),
  rationale: z.string().trim().min(1, "Write the rationale for the agreed score").max(10000, "Write the rationale in 10,000 characters or fewer"),
  reason: z.string().trim().min(1, "Enter why the score changes in the re-evaluation").max(10000, "Write the reason in 10,000 characters or fewer"),
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const { view, actor } = await tenderFor(request, portal, params.tenderId, "awardReevaluation.changeScore");
  if (!(await openReevaluation(portal.db, view.tender.id))) throw redirect(`/tenders/${view.tender.id}/award/reevaluation`);
  const question = (await answersToReevaluate(portal.db, view.tender.id, actor)).find((q) => q.question.id === params.questionId);
  const answer = question?.answers.find((a) => a.submissionId === params.submissionId);
  if (!question || !answer) throw notFound();
  return {
    id: view.tender.id,
    title: view.tender.title,
    provider: answer.organisationName,
    question: `${question.question.number} ${question.question.question}`,
    scale: question.question.scale,
    // None: the bid was passed into compliance in this re-evaluation and this answer was never scored.
    moderation: answer.moderation
      ? {
          id: answer.moderation.id,
          score: String(answer.moderation.agreedScore),
          rationale: answer.moderation.rationale,
          by: `${answer.moderation.moderatedBy}, ${ukDateTime(answer.moderation.moderatedAt)}`,
        }
      : null,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { view } = await tenderFor(request, portal, params.tenderId, "awardReevaluation.changeScore");
  const values = keptValues(await request.formData());
  const parsed = changeForm.safeParse(values);
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), values }, { status: 400 });
  try {
    await portal.db.transaction().execute((trx) =>
      reviseModeratedScore(trx, { tenderId: view.tender.id, submissionId: params.submissionId ?? "", questionId: params.questionId ?? "", ...parsed.data }, actionContext(portal)),
    );
  } catch (error) {
    const errors = refusalErrors(error);
    if (!errors) throw error;
    return data({ errors, values }, { status: 400 });
  }
  return redirect(`/tenders/${view.tender.id}/award/reevaluation`, { headers: { "Set-Cookie": portal.flashCookie({ title: parsed.data.replacesId ? "Moderated score changed" : "Moderated score agreed" }) } });
}

export default function ChangeModeratedScore() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const v = result?.values;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`/tenders/${page.id}/award/reevaluation`}>Back to the re-evaluation</BackLink>
        <ErrorSummary errors={result?.errors} order={FIELDS} />
        <span className="govuk-caption-l">{page.title}</span>
        <h1 className="govuk-heading-l">
          {page.moderation ? "Change" : "Agree"} {page.provider}&apos;s moderated score
        </h1>
        <SummaryList
          rows={
            page.moderation
              ? [
                  { key: "Question", value: page.question },
                  { key: "Agreed score now", value: page.moderation.score },
                  { key: "Its rationale", value: <Paragraphs text={page.moderation.rationale} /> },
                  { key: "Recorded by", value: page.moderation.by },
                ]
              : [
                  { key: "Question", value: page.question },
                  { key: "Agreed score now", value: "None: the bid was found compliant in the re-evaluation and this answer has not been scored" },
                ]
          }
        />
        <PostForm>
          <input type="hidden" name="replacesId" value={page.moderation?.id ?? ""} />
          <Radios
            name="agreedScore"
            legend={page.moderation ? "New agreed score" : "Agreed score"}
            inline
            checked={v?.agreedScore ?? page.moderation?.score}
            error={result?.errors.agreedScore}
            options={page.scale.map((s) => ({ value: String(s.score), label: String(s.score), hint: s.descriptor }))}
          />
          <Textarea name="rationale" label="Rationale for the new agreed score" hint="By reference to the bid, as the bidder's assessment summary will quote it." defaultValue={v?.rationale} error={result?.errors.rationale} rows={4} />
          <Textarea name="reason" label="Why the score changes in the re-evaluation" hint="For example, what the challenge showed was overlooked." defaultValue={v?.reason} error={result?.errors.reason} rows={3} />
          <Button>{page.moderation ? "Change the moderated score" : "Agree the moderated score"}</Button>
        </PostForm>
      </div>
    </div>
  );
}
