// The officers' view of a two-stage competitive flexible tender's
// participation stage. While the tender is a draft: which questionnaire
// sections hold the conditions of participation. Once published: every
// submitted request, those waiting for assessment first, and who passed.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, Button, Checkboxes, ErrorSummary, PostForm, Table, Tag } from "#app/components/govuk";
import { WarningText } from "#app/components/WarningText";
import { getQuestionnaire } from "#app/modules/tendering/questionnaires";
import {
  chooseParticipationSections,
  participationRequests,
  participationStage,
  REQUEST_STATUS_LABELS,
  requestStatus,
  stageInWords,
} from "#app/modules/tendering/participation";
import { tenderThing } from "#app/modules/tendering/tenders";
import { allowed } from "#app/policy/policy";
import { actionContext } from "#app/web/context";
import { ukDateTime } from "#app/web/format";
import { fieldErrors, formObject } from "#app/web/forms";
import { pageMeta } from "#app/web/page-title";
import { participationPath } from "#app/web/participation-paths";
import { refusalErrors } from "#app/web/refusals";
import { formatUkDateTime } from "#emails/format";
import { participationForOfficers } from "./tenders.$tenderId.participation.server";

export const meta: MetaFunction = () => pageMeta("Participation stage");

const STATUS_COLOUR = { draft: "grey", submitted: "blue", passed: "green", not_passed: "red" } as const;

const sectionsForm = z.object({ expectedVersion: z.coerce.number().int() });

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const { view, actor } = await participationForOfficers(request, portal, params.tenderId, "participation.viewRequests");
  const t = view.tender;
  const now = new Date();
  const [questionnaire, requests] = await Promise.all([getQuestionnaire(portal.db, t.id), t.status === "draft" ? [] : participationRequests(portal.db, t.id)]);
  const rows = requests.map((r) => {
    const status = requestStatus(r);
    return { id: r.id, organisation: r.organisationName, submittedAt: r.submittedAt ? ukDateTime(r.submittedAt) : "", status, statusLabel: REQUEST_STATUS_LABELS[status] };
  });
  return {
    tender: { id: t.id, title: t.title, version: t.version, draft: t.status === "draft" },
    stage: stageInWords(t, now),
    deadline: t.participation_deadline_at ? formatUkDateTime(t.participation_deadline_at) : "Not set",
    assessing: t.status === "published" && participationStage(t, now) !== "requests",
    mayChoose: t.status === "draft" && allowed(actor, "participation.chooseConditions", tenderThing(view)),
    sections: questionnaire.sections.map((s) => {
      const conditions = s.questions.filter((q) => q.kind !== "quality").length;
      const quality = s.questions.length - conditions;
      return {
        value: s.id,
        label: `Section ${s.position}: ${s.title}`,
        hint: `${conditions} ${conditions === 1 ? "condition" : "conditions"} (pass/fail questions and declarations)${quality ? `, ${quality} quality ${quality === 1 ? "question" : "questions"}` : ""}`,
        chosen: s.stage === "participation",
      };
    }),
    requests: rows,
    waiting: rows.filter((r) => r.status === "submitted").length,
    passed: rows.filter((r) => r.status === "passed").map((r) => r.organisation),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { view } = await participationForOfficers(request, portal, params.tenderId, "participation.chooseConditions");
  const form = await request.formData();
  const sectionIds = form.getAll("sectionIds").map(String);
  const parsed = sectionsForm.safeParse(formObject(form));
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), sectionIds }, { status: 400 });
  try {
    await portal.db
      .transaction()
      .execute((trx) => chooseParticipationSections(trx, { tenderId: view.tender.id, expectedVersion: parsed.data.expectedVersion, sectionIds }, actionContext(portal)));
  } catch (error) {
    const errors = refusalErrors(error);
    if (errors) return data({ errors, sectionIds }, { status: 400 });
    throw error;
  }
  return redirect(participationPath(view.tender.id), { headers: { "Set-Cookie": portal.flashCookie({ title: "The conditions of participation have been saved" }) } });
}

export default function ParticipationStage() {
  const { tender, stage, deadline, assessing, mayChoose, sections, requests, waiting, passed } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const chosen = result?.sectionIds ?? sections.filter((s) => s.chosen).map((s) => s.value);
  return (
    <>
      <BackLink to={`/tenders/${tender.id}`}>Back to the tender</BackLink>
      <ErrorSummary errors={result?.errors} order={["form", "sectionIds"]} />
      <span className="govuk-caption-l">{tender.title}</span>
      <h1 className="govuk-heading-l">Participation stage</h1>
      {stage ? <p className="govuk-body">{stage}.</p> : null}
      {tender.draft ? null : <p className="govuk-body">Participation deadline: {deadline} (UK time).</p>}
      {tender.draft ? (
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-two-thirds">
            <h2 className="govuk-heading-m">Conditions of participation</h2>
            {sections.length === 0 ? (
              <p className="govuk-body">
                The questionnaire has no sections yet.{" "}
                <Link className="govuk-link" to={`/tenders/${tender.id}/questionnaire`}>
                  Add a section of pass/fail questions and declarations
                </Link>{" "}
                first.
              </p>
            ) : mayChoose ? (
              <PostForm>
                <input type="hidden" name="expectedVersion" value={tender.version} />
                <Checkboxes
                  name="sectionIds"
                  legend="Which sections hold the conditions of participation?"
                  hint="Their pass/fail questions and declarations are asked when providers request to participate, and not again in the bid. Quality questions and prices belong in the other sections."
                  options={sections.map((s) => ({ value: s.value, label: s.label, hint: s.hint }))}
                  checked={chosen}
                  error={result?.errors.sectionIds}
                />
                <Button>Save the conditions</Button>
              </PostForm>
            ) : (
              <ul className="govuk-list govuk-list--bullet">
                {sections.filter((s) => s.chosen).map((s) => (
                  <li key={s.value}>{s.label}</li>
                ))}
              </ul>
            )}
          </div>
        </div>
      ) : (
        <>
          {!assessing && requests.length > 0 ? <WarningText>Requests are assessed after the participation deadline, when every request is in.</WarningText> : null}
          <h2 className="govuk-heading-m">Passed so far</h2>
          {passed.length === 0 ? (
            <p className="govuk-body">No provider has passed yet.</p>
          ) : (
            <ul className="govuk-list govuk-list--bullet">
              {passed.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          )}
          {requests.length === 0 ? (
            <p className="govuk-body">No provider has submitted a request to participate yet.</p>
          ) : (
            <Table
              caption={waiting > 0 ? `Requests to participate (${waiting} waiting for assessment)` : "Requests to participate"}
              rows={requests}
              rowKey={(r) => r.id}
              columns={[
                {
                  header: "Provider",
                  cell: (r) => (
                    <Link className="govuk-link" to={participationPath(tender.id, `/${r.id}`)}>
                      {r.organisation}
                    </Link>
                  ),
                },
                { header: "Submitted", cell: (r) => r.submittedAt },
                { header: "Status", cell: (r) => <Tag colour={STATUS_COLOUR[r.status]}>{r.statusLabel}</Tag> },
              ]}
            />
          )}
        </>
      )}
    </>
  );
}
