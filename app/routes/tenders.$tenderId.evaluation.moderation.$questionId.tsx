// Moderation of one quality question, for the tender's commissioning
// officers: each compliant bid's answer with every evaluator's score and
// justification side by side (once all of them have submitted), the spread
// flagged when wide, and the agreed score with its rationale. The
// evaluators' scores stay as they were. Two officers moderating the same
// answer at once: one stands, the other is told whose score stands.
// The answers come 25 a page, by provider name; the officer can list only
// those with a wide spread, or only those still without an agreed score
// (decision 036).
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, Button, ErrorSummary, PostForm, Radios, SummaryList, Textarea } from "#app/components/govuk";
import { Pagination } from "#app/components/Pagination";
import { MODERATION_FILTERS, moderateAnswer, questionModeration, type ModerationFilter } from "#app/modules/evaluation/moderation";
import { actionContext } from "#app/web/context";
import { change, evaluationTender, readOrRefusal } from "#app/web/evaluation.server";
import { ukDateTime } from "#app/web/format";
import { keptValues } from "#app/web/forms";
import { markupForPage } from "#app/web/html.server";
import { moderationAnswerMarkup } from "#app/web/moderation-answers.server";
import { pageMarkup } from "#app/web/page-markup";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction = () => pageMeta("Moderation");

const ANSWERS_PER_PAGE = 25;

const listQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
  show: z.enum(MODERATION_FILTERS).catch("all"),
});

const FILTER_LABELS: Record<ModerationFilter, string> = { all: "All answers", wide: "Wide spread", unagreed: "Without an agreed score" };

/** A page of the list, with only the settings that differ from the first page of all answers. */
function listHref(tenderId: string, questionId: string, show: ModerationFilter, page: number): string {
  const query = new URLSearchParams({ ...(show !== "all" ? { show } : {}), ...(page > 1 ? { page: String(page) } : {}) }).toString();
  return `/tenders/${tenderId}/evaluation/moderation/${questionId}${query ? `?${query}` : ""}`;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const { tender, actor } = await evaluationTender(request, portal, params.tenderId, "evaluation.moderate");
  const questionId = params.questionId ?? "";
  const { page, show } = listQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  const read = await readOrRefusal(() => questionModeration(portal.db, { tenderId: tender.id, questionId, show, page, pageSize: ANSWERS_PER_PAGE }, actor));
  if (!read.value) return { tender, refusal: read.refusal, page: null };
  const m = read.value;
  // A page after the last (an old link, or the last answer of a filtered list just agreed): the last page.
  if (page > m.pages) throw redirect(listHref(tender.id, questionId, show, m.pages));
  return {
    tender,
    refusal: null,
    page: {
      questionId,
      question: `${m.question.number} ${m.question.question}`,
      scale: m.question.scale,
      canModerate: m.stage === "quality",
      hidden: m.hiddenUntilYouScore,
      show,
      counts: m.counts,
      listed: m.listed,
      first: m.first,
      page: m.page,
      pages: m.pages,
      answers: m.answers.map((a, i) => ({
        key: a.submissionId,
        position: m.first + i,
        submissionId: a.submissionId,
        provider: a.organisationName,
        scored: a.scores !== null,
        // What the form needs of the standing agreed score: the one a change replaces, and the score to start from.
        agreed: a.moderation ? { id: a.moderation.id, score: a.moderation.agreedScore } : null,
        // The rest is read, not acted on: written as HTML once, not sent again as data (decision 036).
        shown: markupForPage(
          moderationAnswerMarkup({
            key: a.submissionId,
            provider: a.organisationName,
            text: a.answerText,
            words: a.wordCount,
            waiting: a.evaluators.filter((e) => !e.submitted).map((e) => e.name),
            scores: a.scores?.map((s) => ({ id: s.id, evaluator: s.evaluatorName, score: s.score, justification: s.justification, corrected: s.corrections > 0 })) ?? null,
            spread: a.spread,
            wide: a.wideSpread,
            moderation: a.moderation
              ? { score: a.moderation.agreedScore, rationale: a.moderation.rationale, by: `${a.moderation.moderatedBy}, ${ukDateTime(a.moderation.moderatedAt)}`, replaced: a.moderation.replaced }
              : null,
          }),
          portal.rendersDocument,
        ),
      })),
    },
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { tender } = await evaluationTender(request, portal, params.tenderId, "evaluation.moderate");
  const form = await request.formData();
  const values = keptValues(form);
  // Each answer's fields carry its bid's submission id, so they stay its own whichever page or filter lists it.
  const key = String(form.get("submissionId") ?? "");
  const typed = String(form.get(`agreedScore-${key}`) ?? "");
  const replaces = String(form.get("replacesId") ?? "");
  const result = await change(portal, (trx) =>
    moderateAnswer(
      trx,
      {
        tenderId: tender.id,
        submissionId: key,
        questionId: params.questionId ?? "",
        agreedScore: /^\d+$/.test(typed) ? Number(typed) : null,
        rationale: String(form.get(`rationale-${key}`) ?? ""),
        replacesId: replaces === "" ? null : replaces,
      },
      actionContext(portal),
    ),
  );
  if (result.errors) {
    const errors = Object.fromEntries(Object.entries(result.errors).map(([field, message]) => [field === "form" ? "form" : `${field}-${key}`, message]));
    return data({ errors, values, key }, { status: 400 });
  }
  // Back to the same page of the same list.
  const { page, show } = listQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  return redirect(listHref(tender.id, params.questionId ?? "", show, page), {
    headers: { "Set-Cookie": portal.flashCookie({ title: `Agreed score of ${result.value.agreedScore} recorded` }) },
  });
}

export default function Moderation() {
  const { tender, refusal, page } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const v = result?.values as Record<string, string> | undefined;
  return (
    <>
      <BackLink to={`/tenders/${tender.id}/evaluation`}>Back to the evaluation</BackLink>
      <ErrorSummary errors={result?.errors} />
      <span className="govuk-caption-l">{tender.title}</span>
      <h1 className="govuk-heading-l">{page ? `Moderation: question ${page.question}` : "Moderation"}</h1>
      {!page ? (
        <p className="govuk-body">{refusal}</p>
      ) : (
        <>
          {page.hidden ? <p className="govuk-body">You are on this question's panel: you will see the scores once you have scored every answer you were given.</p> : null}
          {page.counts.all === 0 ? (
            <p className="govuk-body">No compliant bid has answered this question yet.</p>
          ) : (
            <>
              <nav aria-label="Which answers to list" className="govuk-!-margin-bottom-4">
                <ul className="govuk-list">
                  {MODERATION_FILTERS.map((f) => (
                    <li key={f}>
                      <Link
                        className={`govuk-link${f === page.show ? " govuk-!-font-weight-bold" : ""}`}
                        to={listHref(tender.id, page.questionId, f, 1)}
                        aria-current={f === page.show ? "page" : undefined}
                      >
                        {`${FILTER_LABELS[f]} (${page.counts[f]})`}
                      </Link>
                    </li>
                  ))}
                </ul>
              </nav>
              <p className="govuk-body">
                {page.listed === 0
                  ? `No answer ${page.show === "wide" ? "has a wide spread" : "is without an agreed score"}.`
                  : page.listed === 1
                    ? "Showing 1 answer."
                    : `Showing answers ${page.first} to ${page.first + page.answers.length - 1} of ${page.listed}, by provider name.`}
              </p>
            </>
          )}
          {page.answers.map((a) => {
            const mine = result && "key" in result && result.key === a.key;
            return (
              <section key={a.key} className="govuk-!-margin-bottom-9" aria-labelledby={`${a.key}-heading`}>
                <span className="govuk-caption-m">{`Answer ${a.position} of ${page.listed}`}</span>
                <h2 className="govuk-heading-m" id={`${a.key}-heading`}>
                  {a.provider}
                </h2>
                <div id={`${a.key}-shown`} dangerouslySetInnerHTML={{ __html: pageMarkup(a.shown, `[id="${a.key}-shown"]`) }} />
                {page.canModerate && a.scored ? (
                  <PostForm>
                    <input type="hidden" name="submissionId" value={a.submissionId} />
                    <input type="hidden" name="replacesId" value={a.agreed?.id ?? ""} />
                    <Radios
                      name={`agreedScore-${a.key}`}
                      legend={`${a.agreed ? "Change the agreed score" : "Agreed score"} for ${a.provider}`}
                      inline
                      checked={mine ? v?.[`agreedScore-${a.key}`] : a.agreed ? String(a.agreed.score) : undefined}
                      error={mine ? result.errors[`agreedScore-${a.key}`] : undefined}
                      options={page.scale.map((s) => ({ value: String(s.score), label: String(s.score) }))}
                    />
                    <Textarea
                      name={`rationale-${a.key}`}
                      label={`Rationale for ${a.provider}'s agreed score`}
                      defaultValue={mine ? v?.[`rationale-${a.key}`] : undefined}
                      error={mine ? result.errors[`rationale-${a.key}`] : undefined}
                      rows={3}
                    />
                    <Button>{a.agreed ? "Change the agreed score" : "Record the agreed score"}</Button>
                  </PostForm>
                ) : null}
              </section>
            );
          })}
          <Pagination page={page.page} pages={page.pages} href={(n) => listHref(tender.id, page.questionId, page.show, n)} />
          <h2 className="govuk-heading-m">The scale</h2>
          <SummaryList rows={page.scale.map((s) => ({ key: String(s.score), value: s.descriptor }))} />
        </>
      )}
    </>
  );
}
