// One bid's compliance, for the tender's commissioning officers: its
// pass/fail answers with their evidence, what the portal finds missing, and
// the result (pass or fail per question, complete or not, and the reason a
// failing bid is not compliant, which the provider will be told).
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { BackLink, Button, ErrorSummary, PostForm, Radios, SummaryList, Textarea } from "#app/components/govuk";
import { complianceView, recordCompliance } from "#app/modules/evaluation/compliance";
import { actionContext } from "#app/web/context";
import { change, evaluationTender, readOrRefusal } from "#app/web/evaluation.server";
import { ukDateTime } from "#app/web/format";
import { keptValues } from "#app/web/forms";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction = () => pageMeta("Compliance");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const { tender, actor } = await evaluationTender(request, portal, params.tenderId, "evaluation.manage");
  const read = await readOrRefusal(() => complianceView(portal.db, { tenderId: tender.id, submissionId: params.submissionId ?? "" }, actor));
  if (!read.value) return { tender, refusal: read.refusal, view: null };
  const { open, bid, passFail, gaps, result } = read.value;
  return {
    tender,
    refusal: null,
    view: {
      open,
      provider: bid.organisation.name,
      version: `Version ${bid.number}, submitted ${ukDateTime(bid.submittedAt)}`,
      lots: bid.lots.map((l) => `Lot ${l.number}: ${l.title}`).join("; "),
      questions: passFail.map((a) => ({
        id: a.questionId,
        label: `${a.number} ${a.question}`,
        answer: a.meetsRequirement === null ? "Not answered" : a.meetsRequirement ? "Yes, meets the requirement" : "No, does not meet the requirement",
        files: a.files.map((f) => f.fileName),
        passed: result?.checks.find((c) => c.questionId === a.questionId)?.passed ?? null,
      })),
      gaps,
      result: result ? { id: result.id, compliant: result.compliant, complete: result.complete, reason: result.reason ?? "", by: `${result.recordedBy}, ${ukDateTime(result.recordedAt)}` } : null,
    },
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { tender } = await evaluationTender(request, portal, params.tenderId, "evaluation.manage");
  const form = await request.formData();
  const values = keptValues(form);
  const yesNo = (value: FormDataEntryValue | null) => (value === "yes" ? true : value === "no" ? false : null);
  const checks = form.getAll("questionId").map((questionId) => ({ questionId: String(questionId), passed: yesNo(form.get(`pass-${String(questionId)}`)) }));
  const replaces = String(form.get("replacesId") ?? "");
  const result = await change(portal, (trx) =>
    recordCompliance(
      trx,
      { tenderId: tender.id, submissionId: params.submissionId ?? "", checks, complete: yesNo(form.get("complete")), reason: String(form.get("reason") ?? ""), replacesId: replaces === "" ? null : replaces },
      actionContext(portal),
    ),
  );
  if (result.errors) return data({ errors: result.errors, values }, { status: 400 });
  return redirect(`/tenders/${tender.id}/evaluation`, {
    headers: { "Set-Cookie": portal.flashCookie({ title: result.value.compliant ? "The bid is recorded as compliant" : "The bid is recorded as not compliant" }) },
  });
}

export default function Compliance() {
  const { tender, refusal, view } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const v = result?.values as Record<string, string> | undefined;
  const yes = (b: boolean | null | undefined) => (b === true ? "yes" : b === false ? "no" : undefined);
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`/tenders/${tender.id}/evaluation`}>Back to the evaluation</BackLink>
        <ErrorSummary errors={result?.errors} order={[...(view?.questions.map((q) => `pass-${q.id}`) ?? []), "complete", "reason"]} />
        <span className="govuk-caption-l">{tender.title}</span>
        <h1 className="govuk-heading-l">{view ? `Compliance: ${view.provider}` : "Compliance"}</h1>
        {!view ? (
          <p className="govuk-body">{refusal}</p>
        ) : (
          <>
            <SummaryList
              rows={[
                { key: "Bid", value: view.version },
                { key: "Lots", value: view.lots },
                ...view.questions.map((q) => ({ key: q.label, value: `${q.answer}${q.files.length ? `. Evidence: ${q.files.join(", ")}` : ". No evidence attached"}` })),
                { key: "Missing from the bid", value: view.gaps.length ? view.gaps.join("; ") : "Nothing: every question is answered and every price given" },
                ...(view.result
                  ? [
                      { key: "Result", value: view.result.compliant ? "Compliant" : `Not compliant: ${view.result.reason}` },
                      { key: "Recorded by", value: view.result.by },
                    ]
                  : []),
              ]}
            />
            {!view.open ? <p className="govuk-body">The evaluation has moved on from compliance, so this result no longer changes.</p> : null}
            {view.open ? (
              <PostForm>
                <h2 className="govuk-heading-m">{view.result ? "Correct the result" : "Record the result"}</h2>
                <input type="hidden" name="replacesId" value={view.result?.id ?? ""} />
                {view.questions.map((q) => (
                  <div key={q.id}>
                    <input type="hidden" name="questionId" value={q.id} />
                    <Radios
                      name={`pass-${q.id}`}
                      legend={`Does question ${q.label} pass?`}
                      inline
                      checked={v?.[`pass-${q.id}`] ?? yes(q.passed)}
                      error={result?.errors[`pass-${q.id}`]}
                      options={[
                        { value: "yes", label: "Pass" },
                        { value: "no", label: "Fail" },
                      ]}
                    />
                  </div>
                ))}
                <Radios
                  name="complete"
                  legend="Is the bid complete?"
                  inline
                  checked={v?.complete ?? yes(view.result?.complete)}
                  error={result?.errors.complete}
                  options={[
                    { value: "yes", label: "Yes" },
                    { value: "no", label: "No" },
                  ]}
                />
                <Textarea
                  name="reason"
                  label="If the bid fails, why it is not compliant"
                  hint="The provider is told this in its assessment summary."
                  defaultValue={v?.reason ?? view.result?.reason}
                  error={result?.errors.reason}
                  rows={3}
                />
                <Button>Record the result</Button>
              </PostForm>
            ) : null}
          </>
        )}
      </div>
    </div>
  );
}
