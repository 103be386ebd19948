// The re-evaluation after a challenge upheld (decision 037): why the first
// award was superseded, the evaluation's outcome as it stood then, each
// compliance result and moderated score changed since (what it was, what it
// is, why, who and when), the answers still needing an agreed score, and
// while the re-evaluation is open, the results and answers an officer may change.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BackLink, Table } from "#app/components/govuk";
import { tenderFor } from "#app/components/tendering/load.server";
import { tenderEvaluatedInPortal } from "#app/modules/awards/award-notice";
import {
  answersToReevaluate,
  complianceToReevaluate,
  complianceWords,
  openReevaluation,
  reevaluationChanges,
  reevaluationComplianceChanges,
  supersessionsOf,
  withdrawalSentence,
} from "#app/modules/awards/reevaluation";
import { answersWithoutAgreedScore } from "#app/modules/evaluation/moderation";
import { tenderThing } from "#app/modules/tendering/tenders";
import { allowed } from "#app/policy/policy";
import { ukDateTime } from "#app/web/format";
import { notFound } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `Re-evaluation: ${data.title}` : "Re-evaluation");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const { view, actor } = await tenderFor(request, portal, params.tenderId, "awardReevaluation.view");
  const supersessions = await supersessionsOf(portal.db, view.tender.id);
  const latest = supersessions.at(-1);
  if (!latest) throw notFound();
  const open = (await openReevaluation(portal.db, view.tender.id)) !== null;
  const canChange = open && allowed(actor, "awardReevaluation.changeScore", tenderThing(view));
  const evaluated = await tenderEvaluatedInPortal(portal.db, view.tender.id);
  const questions = canChange && evaluated ? await answersToReevaluate(portal.db, view.tender.id, actor) : [];
  const canChangeCompliance = open && evaluated && allowed(actor, "awardReevaluation.changeCompliance", tenderThing(view));
  const bids = canChangeCompliance ? await complianceToReevaluate(portal.db, view.tender.id, actor) : [];
  const unscored = evaluated ? await answersWithoutAgreedScore(portal.db, view.tender.id) : [];
  const numbers = new Map(questions.map((q) => [q.question.id, `${q.question.number} ${q.question.question}`]));
  return {
    id: view.tender.id,
    title: view.tender.title,
    why: withdrawalSentence(latest),
    supersededBy: `${latest.supersededBy}, ${ukDateTime(latest.supersededAt)}`,
    open,
    canChange,
    before: latest.evaluationBefore,
    changes: (await reevaluationChanges(portal.db, view.tender.id)).map((c) => ({
      id: c.moderationId,
      answer: `${c.bidder}: ${c.question}`,
      was: c.scoreBefore === null ? "None" : String(c.scoreBefore),
      now: String(c.scoreAfter),
      reason: c.reason,
      by: `${c.changedBy}, ${ukDateTime(c.changedAt)}`,
    })),
    complianceChanges: (await reevaluationComplianceChanges(portal.db, view.tender.id)).map((c) => ({
      id: c.complianceId,
      bidder: c.bidder,
      was: c.before ? complianceWords(c.before) : "None",
      now: complianceWords(c.after),
      reason: c.reason,
      by: `${c.changedBy}, ${ukDateTime(c.changedAt)}`,
    })),
    // Who sees the page but may not change scores sees the bidders only.
    unscored: unscored.map((a) => ({ key: `${a.submissionId}:${a.questionId}`, submissionId: a.submissionId, questionId: a.questionId, provider: a.organisationName, question: numbers.get(a.questionId) ?? null })),
    bids: bids.map((b) => ({ submissionId: b.submissionId, provider: b.organisationName, result: b.result ? complianceWords(b.result) : "Not recorded", changeable: b.result !== null })),
    questions: questions.map((q) => ({
      id: q.question.id,
      heading: `${q.question.number} ${q.question.question}`,
      answers: q.answers.map((a) => ({ submissionId: a.submissionId, provider: a.organisationName, score: a.moderation ? `${a.moderation.agreedScore} of ${Math.max(...q.question.scale.map((s) => s.score))}` : "None yet", agreed: a.moderation !== null })),
    })),
  };
}

export default function Reevaluation() {
  const page = useLoaderData<typeof loader>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-full">
        <BackLink to={`/tenders/${page.id}/award`}>Back to the award</BackLink>
        <span className="govuk-caption-l">{page.title}</span>
        <h1 className="govuk-heading-l">Re-evaluation</h1>
        <div className="govuk-inset-text">
          <p className="govuk-body">{page.why}</p>
          <p className="govuk-body govuk-!-margin-bottom-0">
            {page.open
              ? "The re-evaluation is open until the new award recommendation is submitted for decision."
              : "The re-evaluation ended when the new award recommendation was submitted for decision."}
          </p>
        </div>
        {page.unscored.length > 0 ? (
          <div className="govuk-warning-text" data-testid="unscored">
            <span className="govuk-warning-text__icon" aria-hidden="true">
              !
            </span>
            <div className="govuk-warning-text__text">
              <span className="govuk-visually-hidden">Warning</span>
              {page.unscored.length === 1 ? "1 answer of a bid found compliant in the re-evaluation needs" : `${page.unscored.length} answers of bids found compliant in the re-evaluation need`} an agreed
              score before the new award recommendation can be submitted: the report cannot rank the bids until then.
              <ul className="govuk-list govuk-list--bullet govuk-!-margin-top-2">
                {page.unscored.map((a) => (
                  <li key={a.key}>
                    {a.question ? (
                      <Link className="govuk-link" to={`/tenders/${page.id}/award/reevaluation/${a.submissionId}/${a.questionId}`}>
                        {a.provider}: {a.question}
                      </Link>
                    ) : (
                      a.provider
                    )}
                  </li>
                ))}
              </ul>
            </div>
          </div>
        ) : null}
        <h2 className="govuk-heading-m">Changed compliance results</h2>
        {page.complianceChanges.length === 0 ? (
          <p className="govuk-body">No compliance result has been changed.</p>
        ) : (
          <Table
            caption="Each change beside the result it replaced"
            rows={page.complianceChanges}
            rowKey={(c) => c.id}
            columns={[
              { header: "Bid", cell: (c) => c.bidder },
              { header: "Was", cell: (c) => c.was },
              { header: "Now", cell: (c) => c.now },
              { header: "Why it changed", cell: (c) => c.reason },
              { header: "Changed by", cell: (c) => c.by },
            ]}
          />
        )}
        <h2 className="govuk-heading-m">Changed moderated scores</h2>
        {page.changes.length === 0 ? (
          <p className="govuk-body">No moderated score has been changed.</p>
        ) : (
          <Table
            caption="Each change beside the score it replaced"
            rows={page.changes}
            rowKey={(c) => c.id}
            columns={[
              { header: "Answer", cell: (c) => c.answer },
              { header: "Was", cell: (c) => c.was, numeric: true },
              { header: "Now", cell: (c) => c.now, numeric: true },
              { header: "Why it changed", cell: (c) => c.reason },
              { header: "Changed by", cell: (c) => c.by },
            ]}
          />
        )}
        {page.before ? (
          <>
            <h2 className="govuk-heading-m">The evaluation before the re-evaluation</h2>
            <p className="govuk-body">
              As it stood when the first award was superseded. The{" "}
              <Link className="govuk-link" to={`/tenders/${page.id}/evaluation/report`}>
                evaluation report
              </Link>{" "}
              shows the figures now.
            </p>
            {page.before.map((lot) => (
              <Table
                key={lot.lot}
                caption={lot.lot}
                rows={lot.bids}
                rowKey={(b) => b.bidder}
                columns={[
                  { header: "Bidder", cell: (b) => `${b.bidder}${b.recommended ? " (recommended)" : ""}` },
                  { header: "Rank", cell: (b) => b.rank, numeric: true },
                  { header: "Total", cell: (b) => b.total, numeric: true },
                  { header: "Status", cell: (b) => b.status },
                ]}
              />
            ))}
          </>
        ) : null}
        {page.bids.length > 0 ? (
          <>
            <h2 className="govuk-heading-m">Change a compliance result</h2>
            <Table
              caption="Each bid's compliance result now"
              rows={page.bids}
              rowKey={(b) => b.submissionId}
              columns={[
                { header: "Bid", cell: (b) => b.provider },
                { header: "Result", cell: (b) => b.result },
                {
                  header: <span className="govuk-visually-hidden">Action</span>,
                  cell: (b) =>
                    b.changeable ? (
                      <Link className="govuk-link" to={`/tenders/${page.id}/award/reevaluation/compliance/${b.submissionId}`}>
                        Change<span className="govuk-visually-hidden"> {b.provider}&apos;s compliance result</span>
                      </Link>
                    ) : null,
                },
              ]}
            />
          </>
        ) : null}
        {page.canChange && page.questions.length > 0 ? (
          <>
            <h2 className="govuk-heading-m">Change a moderated score</h2>
            {page.questions.map((q) => (
              <Table
                key={q.id}
                caption={q.heading}
                rows={q.answers}
                rowKey={(a) => a.submissionId}
                columns={[
                  { header: "Bidder", cell: (a) => a.provider },
                  { header: "Agreed score", cell: (a) => a.score, numeric: true },
                  {
                    header: <span className="govuk-visually-hidden">Action</span>,
                    cell: (a) => (
                      <Link className="govuk-link" to={`/tenders/${page.id}/award/reevaluation/${a.submissionId}/${q.id}`}>
                        {a.agreed ? "Change" : "Agree"}
                        <span className="govuk-visually-hidden"> {a.provider}&apos;s score for {q.heading}</span>
                      </Link>
                    ),
                  },
                ]}
              />
            ))}
          </>
        ) : null}
      </div>
    </div>
  );
}
