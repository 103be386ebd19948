// One application to join a dynamic market, for the council's officers: the
// lots applied for and each condition's answer and evidence, its history, and the decision
// (admit, or refuse with reasons the provider is told). If another officer
// decided first, this officer is told and sees that decision.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, Button, ErrorSummary, PostForm, Radios, SummaryList, Tag, Textarea } from "#app/components/govuk";
import { ConditionAnswers, StatusHistory } from "#app/components/tendering/ConditionAnswer";
import {
  APPLICATION_STATUS_LABELS,
  decideApplication,
  marketApplication,
  marketConditions,
} from "#app/modules/tendering/dynamic-markets";
import { tenderThing } from "#app/modules/tendering/tenders";
import { allowed } from "#app/policy/policy";
import { conditionsInWords } from "#app/web/conditions.server";
import { actionContext } from "#app/web/context";
import { ukDateTime } from "#app/web/format";
import { fieldErrors, formObject, keptValues } from "#app/web/forms";
import { notFound } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";
import { applicationsPath } from "#app/web/market-paths";
import { marketForOfficers } from "./tenders.$tenderId.applications.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `Application from ${data.application.organisation}` : "Application");

const STATUS_COLOUR = { draft: "grey", submitted: "blue", admitted: "green", refused: "red" } as const;

const decisionForm = z.object({
  decision: z.enum(["admit", "refuse"], { error: "Select whether to admit or refuse the provider" }),
  reason: z.string().max(5000, "Keep the reasons to 5000 characters or fewer").optional(),
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const { view, actor } = await marketForOfficers(request, portal, params.tenderId, "market.viewApplications");
  const application = await marketApplication(portal.db, view.tender.id, params.applicationId ?? "");
  if (!application) throw notFound();
  const conditions = await marketConditions(portal.db, view.tender.id);
  return {
    tender: { id: view.tender.id, title: view.tender.title },
    mayDecide: allowed(actor, "market.decideApplication", tenderThing(view)) && application.status === "submitted",
    application: {
      id: application.id,
      organisation: application.organisationName,
      number: application.number,
      status: application.status,
      statusLabel: APPLICATION_STATUS_LABELS[application.status],
      lots: view.lots.filter((l) => application.lotIds.includes(l.id)).map((l) => `Lot ${l.number}: ${l.title}`),
    },
    conditions: conditionsInWords(conditions, application, (fileId) => applicationsPath(view.tender.id, `/files/${fileId}`)),
    history: application.history.map((h) => ({
      label: APPLICATION_STATUS_LABELS[h.status],
      at: ukDateTime(h.at),
      by: h.by,
      reason: h.reason,
    })),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { view } = await marketForOfficers(request, portal, params.tenderId, "market.decideApplication");
  const application = await marketApplication(portal.db, view.tender.id, params.applicationId ?? "");
  if (!application) throw notFound();
  const form = await request.formData();
  const values = keptValues(form);
  const parsed = decisionForm.safeParse(formObject(form));
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), values }, { status: 400 });
  try {
    await portal.db
      .transaction()
      .execute((trx) => decideApplication(trx, { tenderId: view.tender.id, applicationId: application.id, ...parsed.data }, actionContext(portal), { baseUrl: portal.baseUrl }));
  } catch (error) {
    const errors = refusalErrors(error);
    if (errors) return data({ errors, values }, { status: 409 });
    throw error;
  }
  const admitted = parsed.data.decision === "admit";
  return redirect(applicationsPath(view.tender.id), {
    headers: {
      "Set-Cookie": portal.flashCookie({
        title: admitted ? `${application.organisationName} has been admitted` : `${application.organisationName}'s application has been refused`,
        body: "Everyone at the provider has been emailed the decision.",
      }),
    },
  });
}

export default function MarketApplicationPage() {
  const { tender, mayDecide, application, conditions, history } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const values = result?.values ?? {};
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={applicationsPath(tender.id)}>Back to applications and members</BackLink>
        <ErrorSummary errors={result?.errors} order={["decision", "reason"]} />
        <span className="govuk-caption-l">{tender.title}</span>
        <h1 className="govuk-heading-l">
          Application from {application.organisation}
          {application.number > 1 ? ` (number ${application.number})` : ""}
        </h1>
        <SummaryList
          rows={[
            { key: "Status", value: <Tag colour={STATUS_COLOUR[application.status]}>{application.statusLabel}</Tag> },
            { key: "Lots applied for", value: application.lots.join(", ") },
          ]}
        />
        <h2 className="govuk-heading-m">Conditions of participation</h2>
        {conditions.length === 0 ? (
          <p className="govuk-body">This market has no conditions.</p>
        ) : (
          <ConditionAnswers conditions={conditions} />
        )}
        <h2 className="govuk-heading-m">History</h2>
        <StatusHistory history={history} />
        {mayDecide ? (
          <PostForm>
            <h2 className="govuk-heading-m">Your decision</h2>
            <Radios
              name="decision"
              legend="Admit this provider to the lots it applied for?"
              options={[
                { value: "admit", label: "Admit", hint: "It becomes a member of each lot it applied for." },
                { value: "refuse", label: "Refuse", hint: "It may apply again." },
              ]}
              checked={values.decision}
              error={result?.errors.decision}
            />
            <Textarea
              name="reason"
              label="Reasons"
              hint="Needed when you refuse: the provider is emailed them. When you admit, anything you write here is sent as a note."
              defaultValue={values.reason}
              rows={5}
              error={result?.errors.reason}
            />
            <Button>Record the decision</Button>
          </PostForm>
        ) : null}
      </div>
    </div>
  );
}
