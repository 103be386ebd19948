import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { BackLink, Button, Checkboxes, ErrorSummary, PostForm, Radios, Select, Table, Textarea, TextInput } from "#app/components/govuk";
import { DateTimeField, DayField, LightTouchRadios, problemHref } from "#app/components/tendering/fields";
import { tenderFor } from "#app/components/tendering/load.server";
import { addRefusal, boxesFromTender, noProblems, readTenderDetails, staleComparison } from "#app/components/tendering/tender-form.server";
import { ActionRefused, ConcurrentEditError } from "#app/modules/errors";
import { agreementLots, frameworksToReopen, getTender, PROCEDURES, saveDraft } from "#app/modules/tendering/tenders";
import { actionContext } from "#app/web/context";
import { keptValues } from "#app/web/forms";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `Change ${data.title}` : "Change a draft tender");

const ORDER = [
  "form",
  "title",
  "summary",
  "procedure",
  "lightTouch",
  "legalBasis",
  "participationStage",
  "publicationAt",
  "clarificationDeadlineAt",
  "participationDeadlineAt",
  "submissionDeadlineAt",
  "intendedAwardOn",
  "intendedContractStartOn",
  "schemeStartOn",
  "nextReopeningDueOn",
  "reopensTenderId",
  "lotIds",
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const { view } = await tenderFor(request, portal, params.tenderId);
  const t = view.tender;
  // Once published a tender changes only by amendment.
  if (t.status === "published") throw redirect(`/tenders/${t.id}/amend`);
  if (t.status !== "draft") throw redirect(`/tenders/${t.id}`);
  const [lots, frameworks] = await Promise.all([agreementLots(portal.db, view.agreement.id), frameworksToReopen(portal.db, view.agreement.id, t.id)]);
  return {
    id: t.id,
    title: t.title,
    agreement: view.agreement.title,
    version: t.version,
    values: boxesFromTender(t),
    lotIds: view.lots.map((l) => l.id),
    lots: lots.map((l) => ({ value: l.id, label: `Lot ${l.number}: ${l.title}` })),
    frameworks: frameworks.map((f) => ({ value: f.id, label: f.title })),
    procedures: Object.entries(PROCEDURES).map(([value, p]) => ({ value, label: p.label })),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { view } = await tenderFor(request, portal, params.tenderId);
  const form = await request.formData();
  const values = keptValues(form, ["lotIds", "version"]);
  const lotIds = form.getAll("lotIds").map(String);
  const version = Number(form.get("version"));
  const problems = noProblems();
  const details = readTenderDetails(values, problems);
  const answer = (status: number, extra: { stale?: ReturnType<typeof staleComparison>; version?: number } = {}) =>
    data({ ...problems, values, lotIds, version: extra.version ?? version, stale: extra.stale ?? null }, { status });
  if (Object.keys(problems.errors).length > 0) return answer(400);
  try {
    await portal.db.transaction().execute((trx) => saveDraft(trx, { tenderId: view.tender.id, expectedVersion: version, details, lotIds }, actionContext(portal)));
  } catch (error) {
    if (error instanceof ConcurrentEditError) {
      // Nothing typed is lost: the form keeps it, beside what is saved now, and carries the new version.
      const latest = await getTender(portal.db, view.tender.id);
      if (!latest) throw error;
      problems.errors.form = error.message;
      const lots = await agreementLots(portal.db, latest.agreement.id);
      return answer(409, { stale: staleComparison(latest, values, lotIds, lots), version: latest.tender.version });
    }
    if (error instanceof ActionRefused) {
      addRefusal(problems, error);
      return answer(400);
    }
    throw error;
  }
  return redirect(`/tenders/${view.tender.id}`, { headers: { "Set-Cookie": portal.flashCookie({ title: "Draft tender saved" }) } });
}

export default function EditTender() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const values = result?.values ?? loaded.values;
  const problems = result ?? { errors: {}, targets: {}, parts: {} };
  const errors: Record<string, string | undefined> = problems.errors;
  const lotIds = result?.lotIds ?? loaded.lotIds;
  const openFramework = values.procedure === "open_framework";
  const competitiveFlexible = values.procedure === "competitive_flexible";
  return (
    <>
      <BackLink to={`/tenders/${loaded.id}`}>Back to the tender</BackLink>
      <ErrorSummary errors={errors} order={ORDER} href={(key) => problemHref(problems, key)} />
      <span className="govuk-caption-l">{loaded.agreement}</span>
      <h1 className="govuk-heading-l">Change the draft tender</h1>
      {result?.stale ? (
        <>
          <p className="govuk-body">
            What you typed is still in the form below. Here is what is saved now, beside what you typed. Check the form and save again: your
            save will then replace what is saved now.
          </p>
          {result.stale.length === 0 ? (
            <p className="govuk-body">What is saved now is the same as what you typed.</p>
          ) : (
            <Table
              caption="Saved now and what you typed"
              rows={result.stale}
              rowKey={(r) => r.label}
              columns={[
                { header: "Field", cell: (r) => r.label },
                { header: "Saved now", cell: (r) => r.saved },
                { header: "You typed", cell: (r) => r.typed },
              ]}
            />
          )}
        </>
      ) : null}
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <PostForm>
            <input type="hidden" name="version" value={result?.version ?? loaded.version} />
            <h2 className="govuk-heading-m">Details</h2>
            <TextInput name="title" label="Title" defaultValue={values.title} error={errors.title} />
            <Textarea name="summary" label="Summary" hint="What the tender is for, in plain words. Leave a blank line between paragraphs." rows={6} defaultValue={values.summary} error={errors.summary} />
            <Radios name="procedure" legend="Procedure" options={loaded.procedures} checked={values.procedure} error={errors.procedure} />
            <LightTouchRadios checked={values.lightTouch} error={errors.lightTouch} />
            <TextInput name="legalBasis" label="Legal basis" hint="Leave empty for the procedure's usual basis." defaultValue={values.legalBasis} error={errors.legalBasis} />
            {competitiveFlexible ? (
              <Radios
                name="participationStage"
                legend="Does the tender have a participation stage first?"
                hint="Providers first request to participate by answering the conditions of participation. Only those who pass may then submit a full bid."
                options={[
                  { value: "yes", label: "Yes, conditions of participation first, then bids" },
                  { value: "no", label: "No, providers bid directly" },
                ]}
                checked={values.participationStage}
                error={errors.participationStage}
              />
            ) : null}
            <h2 className="govuk-heading-m">Timeline (UK time)</h2>
            <DateTimeField field="publicationAt" legend="Publication date" hint="When providers can first see it. For example, 27 3 2027" values={values} problems={problems} />
            <DateTimeField field="clarificationDeadlineAt" legend="Clarification deadline" hint="The last moment providers can ask questions. For example, 27 3 2027" values={values} problems={problems} />
            {competitiveFlexible ? (
              <DateTimeField
                field="participationDeadlineAt"
                legend="Participation deadline"
                hint="Only with a participation stage: when requests to participate close, before the submission deadline. For example, 27 3 2027"
                values={values}
                problems={problems}
              />
            ) : null}
            <DateTimeField field="submissionDeadlineAt" legend="Submission deadline" hint="When bids close. For example, 27 3 2027" values={values} problems={problems} />
            <DayField field="intendedAwardOn" legend="Intended award date" values={values} problems={problems} />
            <DayField field="intendedContractStartOn" legend="Intended contract start" values={values} problems={problems} />
            {openFramework ? (
              <>
                <h2 className="govuk-heading-m">Open framework</h2>
                {loaded.frameworks.length > 0 ? (
                  <Select
                    name="reopensTenderId"
                    label="Does this tender re-open a framework?"
                    hint="A re-opening takes its framework's scheme start."
                    options={[{ value: "", label: "No, this is a new framework" }, ...loaded.frameworks]}
                    defaultValue={values.reopensTenderId ?? ""}
                    error={errors.reopensTenderId}
                  />
                ) : null}
                <DayField field="schemeStartOn" legend="Scheme start date" hint="The framework's first day. For example, 1 4 2027" values={values} problems={problems} />
                <DayField
                  field="nextReopeningDueOn"
                  legend="Next re-opening due by"
                  hint="Leave empty for the latest date the rules allow: 3 years after the scheme starts, then every 5 years."
                  values={values}
                  problems={problems}
                />
              </>
            ) : null}
            <h2 className="govuk-heading-m">Lots</h2>
            {loaded.lots.length === 0 ? (
              <p className="govuk-body">This agreement has no lots.</p>
            ) : (
              <Checkboxes name="lotIds" legend="Lots on offer" hint="Select all that apply." options={loaded.lots} checked={lotIds} error={errors.lotIds} />
            )}
            <Button>Save draft</Button>
          </PostForm>
        </div>
      </div>
    </>
  );
}
