// From an approved award to its agreements: the officer enters the start
// date, the term and each agreement's value, checks their answers, and
// creates the whole set at once (a second press, or a colleague's, is told
// they exist). Each provider is then asked to accept its own.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ContractStatusTag } from "#app/components/contracts/ContractStatusTag";
import { BackLink, Button, DateInput, ErrorSummary, PostForm, SummaryList, Table, TextInput } from "#app/components/govuk";
import { tenderFor } from "#app/components/tendering/load.server";
import { formatPence } from "#app/modules/agreements/agreements";
import { CONTRACT_KIND_LABELS, contractPlan, createContracts, termEndOn, type PlannedContract } from "#app/modules/contracts/contracts";
import { actionContext } from "#app/web/context";
import { readDateField, type DateField } from "#app/web/date-fields";
import { keptValues, type FieldErrors } from "#app/web/forms";
import { penceFromPounds, poundsForForm } from "#app/web/money";
import { pounds, ukDate } from "#app/web/format";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `Create the agreements: ${data.tender.title}` : "Create the agreements");

const valueField = (p: { lotId: string; bidId: string }) => `value-${p.lotId}-${p.bidId}`;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const { view, actor } = await tenderFor(request, portal, params.tenderId, "contract.create");
  return contractPlan(portal.db, view.tender.id, actor, new Date());
}

interface Answers {
  startOn: string;
  termMonths: number;
  endOn: string;
  values: { lotId: string; bidId: string; valuePence: number }[];
}

/** The form read and checked: the answers, or every problem at once with what was typed. */
function readAnswers(form: FormData, planned: PlannedContract[]): { answers: Answers | null; errors: FieldErrors; startOn: DateField } {
  const errors: FieldErrors = {};
  const startOn = readDateField(form, "startOn", "Start date");
  if (startOn.error) errors.startOn = startOn.error.message;
  const termText = String(form.get("termMonths") ?? "").trim();
  const termMonths = /^\d{1,3}$/.test(termText) ? Number(termText) : NaN;
  if (termText === "") errors.termMonths = "Enter the term in months";
  else if (!(termMonths >= 1 && termMonths <= 120)) errors.termMonths = "Enter the term as a whole number of months from 1 to 120";
  const values: Answers["values"] = [];
  for (const p of planned) {
    const field = valueField(p);
    const value = penceFromPounds(String(form.get(field) ?? ""), `The value of the agreement with ${p.providerName}`, 10);
    if (value.kind === "empty") errors[field] = `Enter the value of the agreement with ${p.providerName} for ${p.lot}`;
    else if (value.kind === "problem") errors[field] = value.message;
    else values.push({ lotId: p.lotId, bidId: p.bidId, valuePence: value.pence });
  }
  if (Object.keys(errors).length > 0 || !startOn.iso) return { answers: null, errors, startOn };
  return { answers: { startOn: startOn.iso, termMonths, endOn: termEndOn(startOn.iso, termMonths), values }, errors, startOn };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { view, actor } = await tenderFor(request, portal, params.tenderId, "contract.create");
  const plan = await contractPlan(portal.db, view.tender.id, actor, new Date());
  const form = await request.formData();
  const values = keptValues(form);
  const intent = String(form.get("intent") ?? "");
  const { answers, errors, startOn } = readAnswers(form, plan.planned);
  const typedStart = { typed: startOn.typed, error: startOn.error };
  if (intent === "change" || !answers) return data({ step: "form" as const, errors: intent === "change" ? {} : errors, values, startOn: typedStart, answers: null }, { status: answers || intent === "change" ? 200 : 400 });
  if (intent !== "create") return data({ step: "check" as const, errors: {} as FieldErrors, values, startOn: typedStart, answers });
  try {
    const { ids } = await portal.db.transaction().execute((trx) =>
      createContracts(trx, { tenderId: view.tender.id, startOn: answers.startOn, termMonths: answers.termMonths, values: answers.values }, actionContext(portal), { baseUrl: portal.baseUrl }),
    );
    return redirect(`/tenders/${view.tender.id}/award/contracts`, {
      headers: {
        "Set-Cookie": portal.flashCookie({
          title: ids.length === 1 ? "Agreement created" : `${ids.length} agreements created`,
          body: "Each provider's users have been emailed to read and accept theirs. You are emailed when they do.",
        }),
      },
    });
  } catch (error) {
    const refused = refusalErrors(error);
    if (!refused) throw error;
    return data({ step: "form" as const, errors: refused, values, startOn: typedStart, answers: null }, { status: 400 });
  }
}

export default function CreateContracts() {
  const plan = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.errors;
  const firstValue = plan.planned[0] ? valueField(plan.planned[0]) : "form";
  const order = ["form", "startOn", "termMonths", ...plan.planned.map(valueField)];
  const created = plan.existing.length > 0;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`/tenders/${plan.tender.id}/award`}>Back to the award</BackLink>
        <ErrorSummary errors={errors} order={order} href={(key) => (key === "startOn" ? "#startOn-day" : key === "form" ? `#${firstValue}` : `#${key}`)} />
        <span className="govuk-caption-l">{plan.tender.title}</span>
        <h1 className="govuk-heading-l">{result?.step === "check" ? "Check the agreements before creating them" : "Create the agreements for this award"}</h1>
        {created ? (
          <CreatedAgreements plan={plan} />
        ) : !plan.gate.ready ? (
          <p className="govuk-body">{plan.gate.reason}. The agreements can be created once the award is approved.</p>
        ) : plan.problems.length > 0 ? (
          <>
            <p className="govuk-body">The approved award cannot be turned into agreements as it stands:</p>
            <ul className="govuk-list govuk-list--bullet">
              {plan.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </>
        ) : result?.step === "check" && result.answers ? (
          <CheckAnswers plan={plan} answers={result.answers} values={result.values} />
        ) : (
          <AgreementsForm plan={plan} values={result?.values} errors={errors} startOn={result?.startOn} />
        )}
      </div>
    </div>
  );
}

type Plan = ReturnType<typeof useLoaderData<typeof loader>>;

function CreatedAgreements({ plan }: { plan: Plan }) {
  return (
    <>
      <p className="govuk-body">The agreements for this award have been created. Each provider accepts its own in the portal.</p>
      <Table
        caption="Agreements created"
        rows={plan.existing}
        rowKey={(c) => c.id}
        columns={[
          {
            header: "Agreement",
            cell: (c) => (
              <Link className="govuk-link" to={`/contracts/${c.id}`}>
                {CONTRACT_KIND_LABELS[c.kind]} {c.reference}
              </Link>
            ),
          },
          { header: "Provider", cell: (c) => c.providerName },
          { header: "Value", cell: (c) => formatPence(c.valuePence), numeric: true },
          { header: "Status", cell: (c) => <ContractStatusTag status={c.status} /> },
        ]}
      />
    </>
  );
}

function PlannedPrices({ p }: { p: PlannedContract }) {
  return p.prices.length === 0 ? <>No prices</> : <>{p.prices.map((x) => `${x.description}: ${pounds(x.amountPence)}`).join("; ")}</>;
}

function AgreementsForm({ plan, values, errors, startOn }: { plan: Plan; values?: Record<string, string>; errors?: FieldErrors; startOn?: { typed: DateField["typed"]; error?: DateField["error"] } }) {
  const intended = plan.tender.intendedStartOn?.split("-");
  const defaultStart = startOn?.typed ?? (intended ? { year: intended[0]!, month: String(Number(intended[1])), day: String(Number(intended[2])) } : undefined);
  const kind = plan.planned[0]?.kind;
  return (
    <>
      <p className="govuk-body">
        The approved award names {plan.planned.length === 1 ? "one provider" : `${plan.planned.length} providers`}. Each gets a{" "}
        {kind ? CONTRACT_KIND_LABELS[kind].toLowerCase() : "agreement"} for its lot, at the prices its bid submitted
        {plan.documents.length > 0 ? `, referring to the tender's ${plan.documents.length} documents` : ""}.
      </p>
      <PostForm>
        <DateInput name="startOn" legend="Start date" hint="The tender's intended contract start, unless it has changed. For example, 1 4 2027" value={defaultStart} error={startOn?.error ?? (errors?.startOn ? { message: errors.startOn } : undefined)} />
        <TextInput name="termMonths" label="Term, in months" hint="For example, 48 for four years. The agreements end the day before the term is up." width="10" defaultValue={values?.termMonths} error={errors?.termMonths} />
        <h2 className="govuk-heading-m">Value of each agreement</h2>
        {plan.planned.map((p) => (
          <TextInput
            key={valueField(p)}
            name={valueField(p)}
            label={`${p.providerName}, ${p.lot}, in pounds`}
            hint={<PlannedPrices p={p} />}
            width="10"
            defaultValue={values?.[valueField(p)]}
            error={errors?.[valueField(p)]}
          />
        ))}
        <Button name="intent" value="check">
          Continue
        </Button>
      </PostForm>
    </>
  );
}

function CheckAnswers({ plan, answers, values }: { plan: Plan; answers: Answers; values: Record<string, string> }) {
  return (
    <>
      <SummaryList
        rows={[
          { key: "Starts", value: ukDate(answers.startOn) },
          { key: "Term", value: `${answers.termMonths} months, ending ${ukDate(answers.endOn)}` },
          { key: "Documents referred to", value: plan.documents.length ? plan.documents.map((d) => d.title).join(", ") : "None" },
          ...plan.planned.map((p) => ({
            key: `${p.providerName}, ${p.lot}`,
            value: (
              <>
                {CONTRACT_KIND_LABELS[p.kind]} worth {formatPence(answers.values.find((v) => v.lotId === p.lotId && v.bidId === p.bidId)!.valuePence)}
                <br />
                <span className="govuk-body-s">
                  <PlannedPrices p={p} />
                </span>
              </>
            ),
          })),
        ]}
      />
      <PostForm>
        <input type="hidden" name="startOn-day" value={values["startOn-day"] ?? ""} />
        <input type="hidden" name="startOn-month" value={values["startOn-month"] ?? ""} />
        <input type="hidden" name="startOn-year" value={values["startOn-year"] ?? ""} />
        <input type="hidden" name="termMonths" value={String(answers.termMonths)} />
        {answers.values.map((v) => (
          <input key={valueField(v)} type="hidden" name={valueField(v)} value={poundsForForm(v.valuePence)} />
        ))}
        <p className="govuk-body">Creating them emails each provider&apos;s users to read and accept their agreement. This cannot be undone.</p>
        <div className="govuk-button-group">
          <Button name="intent" value="create">
            Create the agreements
          </Button>
          <Button name="intent" value="change" variant="secondary">
            Change your answers
          </Button>
        </div>
      </PostForm>
    </>
  );
}
