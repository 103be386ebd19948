// A provider's application to join a dynamic market: start one, work through
// its lots and conditions as a task list, see where it stands (waiting,
// admitted, refused with the council's reasons) and apply again after a
// refusal. The application is the organisation's: any of its users sees it.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { BackLink, Button, ErrorSummary, NotificationBanner, PostForm, SummaryList, Tag } from "#app/components/govuk";
import { TaskItem, type TaskStatus } from "#app/components/task-list";
import { ConditionTaskList } from "#app/components/tendering/ConditionPages";
import { APPLICATION_STATUS_LABELS, startApplication } from "#app/modules/tendering/dynamic-markets";
import { conditionTasks, draftProblems } from "#app/web/conditions.server";
import { actionContext } from "#app/web/context";
import { ukDateTime } from "#app/web/format";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";
import { formatUkDateTime } from "#emails/format";
import { applyPath } from "#app/web/market-paths";
import { applicationPage, applyFlow } from "./tenders.$tenderId.apply.server";

export const meta: MetaFunction = () => pageMeta("Your application to join the market");

const STATUS_COLOUR = { draft: "grey", submitted: "blue", admitted: "green", refused: "red" } as const;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const page = await applicationPage(request, context.portal, params.tenderId);
  const { view, latest, conditions } = page;
  const lotName = (id: string) => {
    const lot = view.lots.find((l) => l.id === id);
    return lot ? `Lot ${lot.number}: ${lot.title}` : "A lot no longer offered";
  };
  const problems = latest?.status === "draft" ? draftProblems(applyFlow, latest, conditions) : [];
  return {
    tender: { id: view.tender.id, title: view.tender.title, closes: view.tender.submission_deadline_at ? formatUkDateTime(view.tender.submission_deadline_at) : null },
    open: page.open,
    organisationName: page.actor.organisationName,
    memberOf: page.memberLotIds.map(lotName),
    allLotsJoined: view.lots.every((l) => page.memberLotIds.includes(l.id)),
    latest: latest
      ? {
          number: latest.number,
          status: latest.status,
          statusLabel: APPLICATION_STATUS_LABELS[latest.status],
          lots: latest.lotIds.map(lotName),
          submittedAt: latest.submittedAt ? ukDateTime(latest.submittedAt) : null,
          decision: latest.decision ? { status: latest.decision.status, reason: latest.decision.reason, at: ukDateTime(latest.decision.at) } : null,
        }
      : null,
    tasks:
      latest?.status === "draft"
        ? {
            lots: (latest.lotIds.length > 0 ? "Completed" : "Not started") as TaskStatus,
            conditions: conditionTasks(conditions, latest, problems),
            problems: problems.length,
          }
        : null,
    earlier: page.applications.slice(1).map((a) => ({
      number: a.number,
      statusLabel: APPLICATION_STATUS_LABELS[a.status],
      submittedAt: a.submittedAt ? ukDateTime(a.submittedAt) : "Not submitted",
      reason: a.decision?.reason ?? null,
    })),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { view } = await applicationPage(request, portal, params.tenderId);
  const form = await request.formData();
  if (form.get("intent") !== "start") return data({ errors: { form: "Choose what to do" } }, { status: 400 });
  try {
    await portal.db.transaction().execute((trx) => startApplication(trx, { tenderId: view.tender.id }, actionContext(portal)));
  } catch (error) {
    const errors = refusalErrors(error);
    if (errors) return data({ errors }, { status: 400 });
    throw error;
  }
  return redirect(applyPath(view.tender.id));
}

export default function ApplicationOverview() {
  const { tender, open, organisationName, memberOf, allLotsJoined, latest, tasks, earlier } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const path = (rest = "") => applyPath(tender.id, rest);
  const mayStart = open && !allLotsJoined && (!latest || latest.status === "refused" || latest.status === "admitted");
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`/tenders/${tender.id}`}>Back to the market</BackLink>
        <ErrorSummary errors={result?.errors} />
        <span className="govuk-caption-l">{tender.title}</span>
        <h1 className="govuk-heading-l">Your application to join the market</h1>
        <p className="govuk-body">
          {organisationName} can apply at any time while the market is open.
          {tender.closes ? (
            <>
              {" "}
              The market closes at <strong>{tender.closes}</strong> (UK time).
            </>
          ) : null}
        </p>
        {memberOf.length > 0 ? (
          <>
            <h2 className="govuk-heading-m">Your organisation is a member of</h2>
            <ul className="govuk-list govuk-list--bullet">
              {memberOf.map((l) => (
                <li key={l}>{l}</li>
              ))}
            </ul>
            <p className="govuk-body">You can take part in call-off competitions for these lots.</p>
          </>
        ) : null}
        {latest && latest.status !== "draft" ? (
          <>
            <h2 className="govuk-heading-m">Application {latest.number}</h2>
            {latest.status === "submitted" ? (
              <NotificationBanner title="Your application is waiting for a decision" body="Everyone at your organisation will be emailed when the council decides." />
            ) : null}
            <SummaryList
              rows={[
                { key: "Status", value: <Tag colour={STATUS_COLOUR[latest.status]}>{latest.statusLabel}</Tag> },
                { key: "Lots applied for", value: latest.lots.join(", ") },
                { key: "Submitted", value: latest.submittedAt ?? "Not submitted" },
                ...(latest.decision
                  ? [
                      { key: "Decided", value: latest.decision.at },
                      ...(latest.decision.reason ? [{ key: latest.decision.status === "refused" ? "Reasons" : "Note from the council", value: latest.decision.reason }] : []),
                    ]
                  : []),
              ]}
            />
          </>
        ) : null}
        {tasks ? (
          <>
            <h2 className="govuk-heading-m">Lots</h2>
            <ul className="govuk-task-list">
              <TaskItem href={path("/lots")} label="Choose the lots you are applying for" status={tasks.lots} />
            </ul>
            <ConditionTaskList path={applyPath} tenderId={tender.id} tasks={tasks} none="This market has no conditions to answer." />
          </>
        ) : null}
        {mayStart ? (
          <PostForm>
            <p className="govuk-body">
              {latest?.status === "refused"
                ? "You may apply again once your organisation meets the conditions."
                : latest?.status === "admitted"
                  ? "You may apply to join the lots your organisation is not yet a member of."
                  : "Any of your organisation's users can work on the application. Everyone sees the same draft."}
            </p>
            <Button name="intent" value="start">
              {latest ? "Apply again" : "Start your application"}
            </Button>
          </PostForm>
        ) : null}
        {!open ? <p className="govuk-body">This market is not open for applications.</p> : null}
        {earlier.length > 0 ? (
          <>
            <h2 className="govuk-heading-m">Earlier applications</h2>
            {earlier.map((a) => (
              <SummaryList
                key={a.number}
                rows={[
                  { key: "Application", value: String(a.number) },
                  { key: "Status", value: a.statusLabel },
                  { key: "Submitted", value: a.submittedAt },
                  ...(a.reason ? [{ key: "Reasons", value: a.reason }] : []),
                ]}
              />
            ))}
          </>
        ) : null}
      </div>
    </div>
  );
}
