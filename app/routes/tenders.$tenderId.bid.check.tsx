// Check your answers: everything still missing or wrong, each a link to where
// it is put right, then the whole bid as summary lists, and the submitter's
// declaration with the Submit button. Submitting twice makes one version.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { BackLink, Button, ErrorSummary, PostForm, SummaryList } from "#app/components/govuk";
import { bidProblems } from "#app/modules/tendering/bids";
import { attachedFileLabel, wordCount } from "#app/modules/tendering/bids-text";
import { BidIncomplete, submitBid } from "#app/modules/tendering/bids-submission";
import { bidPath } from "#app/web/bid-paths";
import { startedBidPage, startedBidRequest } from "#app/web/bids.server";
import { actionContext } from "#app/web/context";
import { pounds, ukDateTime } from "#app/web/format";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";

export const meta: MetaFunction = () => pageMeta("Check your bid before you submit it");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { view, draft } = await startedBidPage(request, context.portal, params.tenderId);
  const path = (rest: string) => bidPath(view.tender.id, rest);
  const problems = bidProblems(draft).map((p) => ({
    message: p.message,
    href: p.target.kind === "lots" ? path("/lots") : p.target.kind === "question" ? `${path(`/questions/${p.target.questionId}`)}#${p.target.field}` : `${path("/prices")}#${p.target.field}`,
  }));
  return {
    tender: { id: view.tender.id, title: view.tender.title, deadline: view.tender.submission_deadline_at ? ukDateTime(view.tender.submission_deadline_at) : "" },
    problems,
    lots: draft.lots.filter((l) => l.chosen).map((l) => `Lot ${l.number}: ${l.title}`),
    sections: draft.sections.map((s) => ({
      title: s.title,
      questions: s.questions
        .filter((q) => q.applies)
        .map((q) => ({
          id: q.id,
          label: `${q.number} ${q.question}`,
          answer:
            q.kind === "quality"
              ? q.answer?.answerText
                ? `${q.answer.answerText.slice(0, 300)}${q.answer.answerText.length > 300 ? "…" : ""} (${wordCount(q.answer.answerText)} words)`
                : "Not answered"
              : q.kind === "pass_fail"
                ? `${q.answer?.meetsRequirement == null ? "Not answered" : q.answer.meetsRequirement ? "Yes" : "No"}${q.files.length ? `. Files: ${q.files.map(attachedFileLabel).join("; ")}` : ""}`
                : q.answer?.declared ? "Declared" : "Not declared",
        })),
    })),
    prices: draft.prices.map((p) => ({ id: p.id, label: `Lot ${p.lotNumber}: ${p.label}`, amount: p.amountPence === null ? "Not entered" : `${pounds(p.amountPence)} per ${p.unit}` })),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { view } = await startedBidRequest(request, portal, params.tenderId);
  const form = await request.formData();
  try {
    const result = await portal.db.transaction().execute((trx) =>
      submitBid(trx, { tenderId: view.tender.id, declarationConfirmed: form.get("declarationConfirmed") === "yes" }, actionContext(portal), { baseUrl: portal.baseUrl }),
    );
    return redirect(bidPath(view.tender.id, `/receipt/${result.number}`));
  } catch (error) {
    if (error instanceof BidIncomplete) return data({ errors: { form: "Your bid is not complete: put right the things listed below, then submit it" } as Record<string, string> }, { status: 400 });
    const errors = refusalErrors(error);
    if (errors) return data({ errors }, { status: 400 });
    throw error;
  }
}

export default function CheckBid() {
  const { tender, problems, lots, sections, prices } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const path = (rest: string) => bidPath(tender.id, rest);
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={bidPath(tender.id)}>Back to your bid</BackLink>
        <ErrorSummary errors={result?.errors} order={["declarationConfirmed"]} />
        <span className="govuk-caption-l">{tender.title}</span>
        <h1 className="govuk-heading-l">Check your bid before you submit it</h1>
        {problems.length > 0 ? (
          <div className="govuk-inset-text">
            <h2 className="govuk-heading-m">
              {problems.length} {problems.length === 1 ? "thing" : "things"} to complete before you can submit
            </h2>
            <ul className="govuk-list govuk-list--bullet">
              {problems.map((p) => (
                <li key={p.href + p.message}>
                  <Link className="govuk-link" to={p.href}>
                    {p.message}
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <h2 className="govuk-heading-m">Lots</h2>
        <SummaryList rows={[{ key: "Lots you bid for", value: lots.length ? lots.join("; ") : "None chosen", action: { href: path("/lots"), label: "Change", hidden: "the lots you bid for" } }]} />
        {sections.map((s) => (
          <section key={s.title}>
            <h2 className="govuk-heading-m">{s.title}</h2>
            <SummaryList
              rows={s.questions.map((q) => ({
                key: q.label,
                value: <span className="portal-preserve-lines">{q.answer}</span>,
                action: { href: path(`/questions/${q.id}`), label: "Change", hidden: `your answer to ${q.label}` },
              }))}
            />
          </section>
        ))}
        <h2 className="govuk-heading-m">Prices</h2>
        <SummaryList rows={prices.map((p) => ({ key: p.label, value: p.amount, action: { href: `${path("/prices")}#price-${p.id}`, label: "Change", hidden: p.label } }))} />
        <h2 className="govuk-heading-m">Submit your bid</h2>
        <p className="govuk-body">
          You can change your bid and submit it again until {tender.deadline}. The latest version you submit is the one that counts. The council cannot read any bid until
          two of its officers open them after the deadline.
        </p>
        <PostForm>
          <div className={`govuk-form-group${result?.errors?.declarationConfirmed ? " govuk-form-group--error" : ""}`}>
            {result?.errors?.declarationConfirmed ? (
              <p id="declarationConfirmed-error" className="govuk-error-message">
                <span className="govuk-visually-hidden">Error:</span> {result.errors.declarationConfirmed}
              </p>
            ) : null}
            <div className="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
              <div className="govuk-checkboxes__item">
                <input className="govuk-checkboxes__input" id="declarationConfirmed" name="declarationConfirmed" type="checkbox" value="yes" />
                <label className="govuk-label govuk-checkboxes__label" htmlFor="declarationConfirmed">
                  I confirm this bid is complete and correct, and I am authorised to submit it for my organisation
                </label>
              </div>
            </div>
          </div>
          <Button>Submit bid</Button>
        </PostForm>
      </div>
    </div>
  );
}
