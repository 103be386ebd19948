// One request to participate, for the council's officers: each condition's
// answer and evidence, its history, and, after the participation deadline, the assessment
// (passed, or not passed with reasons the provider is told). If another
// officer assessed it first, this officer is told and sees that assessment.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, Button, ErrorSummary, PostForm, Radios, SummaryList, Tag, Textarea } from "#app/components/govuk";
import { ConditionAnswers, StatusHistory } from "#app/components/tendering/ConditionAnswer";
import {
  assessRequest,
  participationConditions,
  participationRequest,
  participationStage,
  REQUEST_STATUS_LABELS,
  requestStatus,
} from "#app/modules/tendering/participation";
import { tenderThing } from "#app/modules/tendering/tenders";
import { allowed } from "#app/policy/policy";
import { conditionsInWords } from "#app/web/conditions.server";
import { actionContext } from "#app/web/context";
import { ukDateTime } from "#app/web/format";
import { fieldErrors, formObject, keptValues } from "#app/web/forms";
import { notFound } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";
import { participationPath } from "#app/web/participation-paths";
import { refusalErrors } from "#app/web/refusals";
import { participationForOfficers } from "./tenders.$tenderId.participation.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `Request from ${data.request.organisation}` : "Request to participate");

const STATUS_COLOUR = { draft: "grey", submitted: "blue", passed: "green", not_passed: "red" } as const;

const assessmentForm = z.object({
  result: z.enum(["passed", "not_passed"], { error: "Select whether the provider passed the conditions of participation" }),
  reason: z.string().max(5000, "Keep the reasons to 5000 characters or fewer").optional(),
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const { view, actor } = await participationForOfficers(request, portal, params.tenderId, "participation.viewRequests");
  const own = await participationRequest(portal.db, view.tender.id, params.requestId ?? "");
  if (!own) throw notFound();
  const conditions = await participationConditions(portal.db, view.tender.id);
  const status = requestStatus(own);
  const afterDeadline = view.tender.status === "published" && participationStage(view.tender, new Date()) !== "requests";
  return {
    tender: { id: view.tender.id, title: view.tender.title },
    mayAssess: allowed(actor, "participation.assess", tenderThing(view)) && status === "submitted" && afterDeadline,
    waitingForDeadline: status === "submitted" && !afterDeadline && view.tender.status === "published",
    request: { id: own.id, organisation: own.organisationName, status, statusLabel: REQUEST_STATUS_LABELS[status] },
    conditions: conditionsInWords(conditions, own, (fileId) => participationPath(view.tender.id, `/files/${fileId}`)),
    history: own.history.map((h) => {
      const label = REQUEST_STATUS_LABELS[requestStatus({ status: h.status })];
      return { label, at: ukDateTime(h.at), by: h.by, reason: h.reason };
    }),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { view } = await participationForOfficers(request, portal, params.tenderId, "participation.assess");
  const own = await participationRequest(portal.db, view.tender.id, params.requestId ?? "");
  if (!own) throw notFound();
  const form = await request.formData();
  const values = keptValues(form);
  const parsed = assessmentForm.safeParse(formObject(form));
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), values }, { status: 400 });
  try {
    await portal.db
      .transaction()
      .execute((trx) => assessRequest(trx, { tenderId: view.tender.id, requestId: own.id, ...parsed.data }, actionContext(portal), { baseUrl: portal.baseUrl }));
  } catch (error) {
    const errors = refusalErrors(error);
    if (errors) return data({ errors, values }, { status: 409 });
    throw error;
  }
  const passed = parsed.data.result === "passed";
  return redirect(participationPath(view.tender.id), {
    headers: {
      "Set-Cookie": portal.flashCookie({
        title: passed ? `${own.organisationName} passed the conditions of participation` : `${own.organisationName} did not pass the conditions of participation`,
        body: "Everyone at the provider has been emailed the result.",
      }),
    },
  });
}

export default function ParticipationRequestPage() {
  const { tender, mayAssess, waitingForDeadline, request, conditions, history } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const values = result?.values ?? {};
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={participationPath(tender.id)}>Back to the participation stage</BackLink>
        <ErrorSummary errors={result?.errors} order={["form", "result", "reason"]} />
        <span className="govuk-caption-l">{tender.title}</span>
        <h1 className="govuk-heading-l">Request from {request.organisation}</h1>
        <SummaryList rows={[{ key: "Status", value: <Tag colour={STATUS_COLOUR[request.status]}>{request.statusLabel}</Tag> }]} />
        <h2 className="govuk-heading-m">Conditions of participation</h2>
        <ConditionAnswers conditions={conditions} />
        <h2 className="govuk-heading-m">History</h2>
        <StatusHistory history={history} />
        {waitingForDeadline ? <p className="govuk-body">You can assess this request after the participation deadline, when every request is in.</p> : null}
        {mayAssess ? (
          <PostForm>
            <h2 className="govuk-heading-m">Your assessment</h2>
            <Radios
              name="result"
              legend="Did this provider pass the conditions of participation?"
              options={[
                { value: "passed", label: "Passed", hint: "It may submit a full bid." },
                { value: "not_passed", label: "Not passed", hint: "It cannot bid in this tender." },
              ]}
              checked={values.result}
              error={result?.errors.result}
            />
            <Textarea
              name="reason"
              label="Reasons"
              hint="Needed when it did not pass: the provider is emailed them. When it passed, anything you write here is sent as a note."
              defaultValue={values.reason}
              rows={5}
              error={result?.errors.reason}
            />
            <Button>Record the assessment</Button>
          </PostForm>
        ) : null}
      </div>
    </div>
  );
}
