// A provider's bid in one tender: start it, then a GOV.UK task list of its
// parts (lots, each question by section, prices, check and submit), the
// versions submitted with their receipts, and withdrawing the one that counts.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { BackLink, Button, ErrorSummary, NotificationBanner, PostForm, Table, Tag } from "#app/components/govuk";
import { TaskItem, type TaskStatus } from "#app/components/task-list";
import { keptBidSectionsHtml } from "#app/components/tendering/bid-tasks.server";
import { bidderAwardNotice, standstillSentence } from "#app/modules/awards/award-notice";
import { supersessionOfNotice, withdrawalSentence } from "#app/modules/awards/reevaluation";
import { bidProblems, keptFromOwnBid, startBid, type BidDraft } from "#app/modules/tendering/bids";
import { draftFingerprint, ownSubmissions, withdrawBid } from "#app/modules/tendering/bids-submission";
import { isInterested } from "#app/modules/tendering/interest";
import { bidPath } from "#app/web/bid-paths";
import { bidRequest } from "#app/web/bids.server";
import { actionContext } from "#app/web/context";
import { ukDateTime } from "#app/web/format";
import { markupForPage } from "#app/web/html.server";
import { pageMarkup } from "#app/web/page-markup";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";

export const meta: MetaFunction = () => pageMeta("Your bid");

type Status = TaskStatus;

function taskStatuses(draft: BidDraft) {
  const problems = bidProblems(draft);
  const questionStatus = (q: BidDraft["sections"][number]["questions"][number]): Status => {
    if (!q.applies) return "Not needed";
    if (problems.some((p) => p.target.kind === "question" && p.target.questionId === q.id)) return q.answer ? "Incomplete" : "Not started";
    return "Completed";
  };
  const anyPrice = draft.prices.some((p) => p.amountPence !== null);
  return {
    problems: problems.length,
    lots: (draft.lots.some((l) => l.chosen) ? "Completed" : "Not started") as Status,
    sections: draft.sections.map((s) => ({
      title: s.title,
      questions: s.questions.map((q) => ({ id: q.id, number: q.number, question: q.question, status: questionStatus(q) })),
    })),
    prices: (draft.prices.length === 0 ? "Not started" : problems.some((p) => p.target.kind === "price") ? (anyPrice ? "Incomplete" : "Not started") : "Completed") as Status,
  };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const { actor, view } = await bidRequest(request, portal, params.tenderId);
  // The task statuses and the fingerprint, worked out once per revision of the draft (decision 051).
  const overview = await keptFromOwnBid(portal.db, view, "overview", (draft) => ({ tasks: taskStatuses(draft), fingerprint: draftFingerprint(draft, actor.organisationId) }));
  const deadline = view.tender.submission_deadline_at;
  const open = view.tender.status === "published" && deadline !== null && deadline.getTime() > Date.now();
  const versions = await ownSubmissions(portal.db, view.tender.id, actor);
  const counting = versions.find((v) => v.counts) ?? null;
  // Once the award notice is out, a bidder sees its outcome and when standstill ends.
  const award = await bidderAwardNotice(portal.db, view.tender.id, actor);
  // A notice withdrawn after a challenge upheld for re-evaluation says so instead (decision 037).
  const withdrawn = award ? await supersessionOfNotice(portal.db, award.notice.id) : null;
  return {
    award: award
      ? {
          publishedAt: ukDateTime(award.notice.publishedAt),
          outcome: withdrawn
            ? `This notice has been withdrawn. ${withdrawalSentence(withdrawn)}`
            : award.lotsWon.length
              ? `${actor.organisationName} is to be awarded ${award.lotsWon.join(", ")}.`
              : `${actor.organisationName} has not been awarded a lot in this tender.`,
          standstill: withdrawn ? "No contract will be entered into under it. A new award notice, with a new standstill period, will follow." : standstillSentence(award.notice.standstill),
        }
      : null,
    tender: { id: view.tender.id, title: view.tender.title, deadline: deadline ? ukDateTime(deadline) : null, open },
    // Asked only before a bid is started, the one time the page says to register interest first.
    interested: overview ? null : await isInterested(portal.db, view.tender.id, actor.organisationId),
    organisationName: actor.organisationName,
    tasks: overview
      ? {
          problems: overview.tasks.problems,
          lots: overview.tasks.lots,
          prices: overview.tasks.prices,
          // The questions' task lists as HTML, written once per kept overview and sent once (decision 054).
          sections: markupForPage(keptBidSectionsHtml(view.tender.id, overview.tasks.sections, open), portal.rendersDocument),
        }
      : null,
    unsubmittedChanges: overview && counting ? overview.fingerprint !== counting.fingerprint : false,
    versions: versions.map((v) => ({ number: v.number, submittedAt: ukDateTime(v.submittedAt), submittedBy: v.submittedBy ?? "", withdrawnAt: v.withdrawnAt ? ukDateTime(v.withdrawnAt) : null, counts: v.counts })),
    counting: counting ? { number: counting.number, submittedAt: ukDateTime(counting.submittedAt) } : null,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { view } = await bidRequest(request, portal, params.tenderId);
  const form = await request.formData();
  const intent = form.get("intent");
  try {
    if (intent === "start") {
      await portal.db.transaction().execute((trx) => startBid(trx, { tenderId: view.tender.id }, actionContext(portal)));
      return redirect(bidPath(view.tender.id));
    }
    if (intent === "withdraw") {
      const number = Number(form.get("number"));
      await portal.db.transaction().execute((trx) => withdrawBid(trx, { tenderId: view.tender.id, expectedNumber: number }, actionContext(portal)));
      return redirect(bidPath(view.tender.id), {
        headers: { "Set-Cookie": portal.flashCookie({ title: `Version ${number} of your bid has been withdrawn`, body: "You have no bid in this tender until you submit again before the deadline." }) },
      });
    }
  } catch (error) {
    const errors = refusalErrors(error);
    if (errors) return data({ errors }, { status: 400 });
    throw error;
  }
  return data({ errors: { form: "Choose what to do" } }, { status: 400 });
}

export default function BidOverview() {
  const { tender, interested, organisationName, tasks, versions, counting, unsubmittedChanges, award } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const path = (rest = "") => bidPath(tender.id, rest);
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`/tenders/${tender.id}`}>Back to the tender</BackLink>
        <ErrorSummary errors={result?.errors} />
        <span className="govuk-caption-l">{tender.title}</span>
        <h1 className="govuk-heading-l">Your bid</h1>
        <p className="govuk-body">
          {organisationName}. {tender.deadline ? <>The deadline for bids is <strong>{tender.deadline}</strong> (UK time).</> : null}
        </p>
        {award ? (
          <div className="govuk-inset-text" data-testid="award-notice">
            <h2 className="govuk-heading-s govuk-!-margin-bottom-1">The contract award notice was published on {award.publishedAt}</h2>
            <p className="govuk-body">{award.outcome}</p>
            <p className="govuk-body">{award.standstill}</p>
            <p className="govuk-body govuk-!-margin-bottom-0">
              <Link className="govuk-link" to={`/tenders/${tender.id}/award-notice`}>
                Read the award notice
              </Link>
            </p>
          </div>
        ) : null}
        {counting ? (
          <NotificationBanner
            title={`Version ${counting.number} of your bid was submitted at ${counting.submittedAt}`}
            body={unsubmittedChanges ? "You have changed your bid since. Those changes do not count until you submit again." : "This is the version the council will open after the deadline."}
          />
        ) : null}
        {!tasks ? (
          interested ? (
            tender.open ? (
              <PostForm>
                <p className="govuk-body">Any of your organisation's users can work on the bid. Everyone sees the same draft.</p>
                <Button name="intent" value="start">
                  Start your bid
                </Button>
              </PostForm>
            ) : (
              <p className="govuk-body">This tender is no longer open for bids.</p>
            )
          ) : (
            <p className="govuk-body">
              Register your interest in <Link className="govuk-link" to={`/tenders/${tender.id}`}>the tender</Link> before you start a bid.
            </p>
          )
        ) : (
          <>
            {!tender.open ? <p className="govuk-body">The deadline has passed: your bid can no longer be changed.</p> : null}
            <h2 className="govuk-heading-m">Lots</h2>
            <ul className="govuk-task-list">
              <TaskItem href={tender.open ? path("/lots") : null} label="Choose the lots you bid for" status={tasks.lots} />
            </ul>
            <div id="bid-question-tasks" dangerouslySetInnerHTML={{ __html: pageMarkup(tasks.sections, "#bid-question-tasks") }} />
            <h2 className="govuk-heading-m">Prices</h2>
            <ul className="govuk-task-list">
              <TaskItem href={tender.open && tasks.lots === "Completed" ? path("/prices") : null} label="Enter your prices" status={tasks.prices} hint={tasks.lots === "Completed" ? undefined : "Choose your lots first"} />
            </ul>
            <h2 className="govuk-heading-m">Submit</h2>
            <ul className="govuk-task-list">
              <TaskItem
                href={tender.open ? path("/check") : null}
                label="Check your answers and submit"
                status={tasks.problems === 0 ? (counting && !unsubmittedChanges ? "Completed" : "Not started") : "Incomplete"}
                hint={tasks.problems === 0 ? undefined : `${tasks.problems} ${tasks.problems === 1 ? "thing" : "things"} to complete first`}
              />
            </ul>
          </>
        )}
        {versions.length > 0 ? (
          <>
            <Table
              caption="Versions you have submitted"
              rows={versions}
              rowKey={(v) => String(v.number)}
              columns={[
                { header: "Version", cell: (v) => String(v.number) },
                { header: "Submitted", cell: (v) => `${v.submittedAt}${v.submittedBy ? ` by ${v.submittedBy}` : ""}` },
                { header: "Status", cell: (v) => (v.counts ? <Tag colour="green">Counts</Tag> : v.withdrawnAt ? <Tag colour="red">Withdrawn</Tag> : <Tag colour="grey">Replaced</Tag>) },
                {
                  header: "Receipt",
                  cell: (v) => (
                    <Link className="govuk-link" to={path(`/receipt/${v.number}`)}>
                      Receipt<span className="govuk-visually-hidden"> for version {v.number}</span>
                    </Link>
                  ),
                },
              ]}
            />
            {counting && tender.open ? (
              <PostForm>
                <input type="hidden" name="number" value={counting.number} />
                <p className="govuk-body">Withdrawing takes your bid out of the tender. You can submit again before the deadline.</p>
                <Button name="intent" value="withdraw" variant="warning">
                  Withdraw version {String(counting.number)}
                </Button>
              </PostForm>
            ) : null}
          </>
        ) : null}
      </div>
    </div>
  );
}
