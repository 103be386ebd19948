// A provider's request to participate in a two-stage competitive flexible
// tender: start it, answer the conditions of participation as a task list,
// check and submit before the participation deadline, then see the result
// (waiting, passed with the way to bid, or not passed with the reasons).
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { BackLink, Button, ErrorSummary, NotificationBanner, PostForm, SummaryList, Tag } from "#app/components/govuk";
import { ConditionTaskList } from "#app/components/tendering/ConditionPages";
import { REQUEST_STATUS_LABELS, requestStatus, startRequest } from "#app/modules/tendering/participation";
import { conditionTasks, draftProblems } from "#app/web/conditions.server";
import { actionContext } from "#app/web/context";
import { ukDateTime } from "#app/web/format";
import { pageMeta } from "#app/web/page-title";
import { participatePath } from "#app/web/participation-paths";
import { refusalErrors } from "#app/web/refusals";
import { formatUkDateTime } from "#emails/format";
import { participateFlow, requestPage } from "./tenders.$tenderId.participate.server";

export const meta: MetaFunction = () => pageMeta("Your request to participate");

const STATUS_COLOUR = { draft: "grey", submitted: "blue", passed: "green", not_passed: "red" } as const;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const page = await requestPage(request, context.portal, params.tenderId);
  const { view, request: own, conditions } = page;
  const status = own ? requestStatus(own) : null;
  const problems = own && status === "draft" ? draftProblems(participateFlow, own, conditions) : [];
  const t = view.tender;
  return {
    tender: {
      id: t.id,
      title: t.title,
      participationDeadline: t.participation_deadline_at ? formatUkDateTime(t.participation_deadline_at) : null,
      submissionDeadline: t.submission_deadline_at ? formatUkDateTime(t.submission_deadline_at) : null,
    },
    open: page.stage === "requests",
    interested: page.interested,
    organisationName: page.actor.organisationName,
    request: own
      ? {
          status: status!,
          statusLabel: REQUEST_STATUS_LABELS[status!],
          submittedAt: own.submittedAt ? ukDateTime(own.submittedAt) : null,
          decision: own.decision ? { reason: own.decision.reason, at: ukDateTime(own.decision.at) } : null,
        }
      : null,
    tasks:
      status === "draft" && page.stage === "requests"
        ? { conditions: conditionTasks(conditions, own!, problems), problems: problems.length }
        : null,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { view } = await requestPage(request, portal, params.tenderId);
  const form = await request.formData();
  if (form.get("intent") !== "start") return data({ errors: { form: "Choose what to do" } }, { status: 400 });
  try {
    await portal.db.transaction().execute((trx) => startRequest(trx, { tenderId: view.tender.id }, actionContext(portal)));
  } catch (error) {
    const errors = refusalErrors(error);
    if (errors) return data({ errors }, { status: 400 });
    throw error;
  }
  return redirect(participatePath(view.tender.id));
}

export default function RequestOverview() {
  const { tender, open, interested, organisationName, request, tasks } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const path = (rest = "") => participatePath(tender.id, rest);
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`/tenders/${tender.id}`}>Back to the tender</BackLink>
        <ErrorSummary errors={result?.errors} />
        <span className="govuk-caption-l">{tender.title}</span>
        <h1 className="govuk-heading-l">Your request to participate</h1>
        <p className="govuk-body">
          This tender has two stages. First, providers request to participate by answering its conditions of participation. Only providers
          who pass them may then submit a full bid.
        </p>
        {tender.participationDeadline ? (
          <p className="govuk-body">
            Requests to participate close at <strong>{tender.participationDeadline}</strong> (UK time).
          </p>
        ) : null}
        {request && request.status !== "draft" ? (
          <>
            {request.status === "submitted" ? (
              <NotificationBanner title="Your request is waiting for assessment" body="The council assesses requests after the participation deadline. Everyone at your organisation will be emailed the result." />
            ) : null}
            <SummaryList
              rows={[
                { key: "Status", value: <Tag colour={STATUS_COLOUR[request.status]}>{request.statusLabel}</Tag> },
                { key: "Submitted", value: request.submittedAt ?? "Not submitted" },
                ...(request.decision
                  ? [
                      { key: "Assessed", value: request.decision.at },
                      ...(request.decision.reason ? [{ key: request.status === "not_passed" ? "Reasons" : "Note from the council", value: request.decision.reason }] : []),
                    ]
                  : []),
              ]}
            />
            {request.status === "passed" ? (
              <p className="govuk-body">
                {organisationName} may now bid. Bids close at {tender.submissionDeadline ?? "the submission deadline"} (UK time).{" "}
                <Link className="govuk-link" to={`/tenders/${tender.id}/bid`}>
                  Go to your organisation's bid
                </Link>
              </p>
            ) : null}
          </>
        ) : null}
        {tasks ? <ConditionTaskList path={participatePath} tenderId={tender.id} tasks={tasks} /> : null}
        {!request && open && interested ? (
          <PostForm>
            <p className="govuk-body">Any of your organisation's users can work on the request. Everyone sees the same draft.</p>
            <Button name="intent" value="start">
              Start your request
            </Button>
          </PostForm>
        ) : null}
        {!request && open && !interested ? (
          <p className="govuk-body">
            <Link className="govuk-link" to={`/tenders/${tender.id}`}>
              Register your interest in the tender
            </Link>{" "}
            first, then come back to request to participate.
          </p>
        ) : null}
        {!open && (!request || request.status === "draft") ? (
          <p className="govuk-body">Requests to participate have closed{request ? ": your organisation's draft was not submitted." : "."}</p>
        ) : null}
      </div>
    </div>
  );
}
