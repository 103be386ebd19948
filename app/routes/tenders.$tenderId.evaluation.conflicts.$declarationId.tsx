// A commissioning officer's decision on an evaluator's declared conflict:
// exclude them from that provider's bid, or accept it with a mitigation; a
// reason either way. One decision stands; no one decides their own.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { BackLink, Button, ErrorSummary, PostForm, Radios, SummaryList, Textarea } from "#app/components/govuk";
import { Paragraphs } from "#app/components/Paragraphs";
import { declarations, decideConflict, OUTCOME_LABELS } from "#app/modules/evaluation/conflicts";
import { actionContext } from "#app/web/context";
import { change, evaluationTender } from "#app/web/evaluation.server";
import { ukDateTime } from "#app/web/format";
import { keptValues } from "#app/web/forms";
import { notFound } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction = () => pageMeta("Decide on a conflict of interest");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const { tender } = await evaluationTender(request, portal, params.tenderId, "evaluation.manage");
  const declaration = (await declarations(portal.db, tender.id)).find((d) => d.id === params.declarationId && d.hasConflict);
  if (!declaration) throw notFound();
  return {
    tender,
    declaration: {
      evaluator: declaration.evaluatorName,
      provider: declaration.organisationName,
      description: declaration.description ?? "",
      declaredAt: ukDateTime(declaration.declaredAt),
      decision: declaration.decision
        ? { outcome: OUTCOME_LABELS[declaration.decision.outcome], mitigation: declaration.decision.mitigation, reason: declaration.decision.reason, by: `${declaration.decision.decidedBy}, ${ukDateTime(declaration.decision.decidedAt)}` }
        : null,
    },
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { tender } = await evaluationTender(request, portal, params.tenderId, "evaluation.manage");
  const form = await request.formData();
  const values = keptValues(form);
  const outcome = form.get("outcome");
  const result = await change(portal, (trx) =>
    decideConflict(
      trx,
      {
        tenderId: tender.id,
        declarationId: params.declarationId ?? "",
        outcome: outcome === "exclude" || outcome === "accept" ? outcome : null,
        mitigation: String(form.get("mitigation") ?? ""),
        reason: String(form.get("reason") ?? ""),
      },
      actionContext(portal),
    ),
  );
  if (result.errors) return data({ errors: result.errors, values }, { status: 400 });
  return redirect(`/tenders/${tender.id}/evaluation`, { headers: { "Set-Cookie": portal.flashCookie({ title: "Your decision on the conflict is recorded" }) } });
}

export default function DecideConflict() {
  const { tender, declaration } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const v = result?.values as Record<string, string> | undefined;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`/tenders/${tender.id}/evaluation`}>Back to the evaluation</BackLink>
        <ErrorSummary errors={result?.errors} order={["outcome", "mitigation", "reason"]} />
        <span className="govuk-caption-l">{tender.title}</span>
        <h1 className="govuk-heading-l">Conflict of interest</h1>
        <SummaryList
          rows={[
            { key: "Evaluator", value: declaration.evaluator },
            { key: "Provider", value: declaration.provider },
            { key: "Declared", value: declaration.declaredAt },
            { key: "Conflict", value: <Paragraphs text={declaration.description} /> },
            ...(declaration.decision
              ? [
                  { key: "Decision", value: declaration.decision.outcome },
                  ...(declaration.decision.mitigation ? [{ key: "Mitigation", value: <Paragraphs text={declaration.decision.mitigation} /> }] : []),
                  { key: "Reason", value: <Paragraphs text={declaration.decision.reason} /> },
                  { key: "Decided by", value: declaration.decision.by },
                ]
              : []),
          ]}
        />
        {declaration.decision ? null : (
          <PostForm>
            <Radios
              name="outcome"
              legend="Your decision"
              checked={v?.outcome}
              error={result?.errors.outcome}
              options={[
                { value: "exclude", label: `Exclude ${declaration.evaluator} from ${declaration.provider}'s bid`, hint: "They will not see or score this bid." },
                { value: "accept", label: "Accept the conflict with a mitigation", hint: "They score the bid; say below how the conflict is managed." },
              ]}
            />
            <Textarea name="mitigation" label="Mitigation (if you accept)" defaultValue={v?.mitigation} error={result?.errors.mitigation} rows={3} />
            <Textarea name="reason" label="Reason for your decision" defaultValue={v?.reason} error={result?.errors.reason} rows={3} />
            <Button>Record the decision</Button>
          </PostForm>
        )}
      </div>
    </div>
  );
}
