// An evaluator's declarations of interest: for every bidding provider, no
// conflict or what the conflict is. Until each is declared they see no bid;
// a declared conflict keeps that provider's bid from them until a
// commissioning officer decides. A declared conflict cannot be taken back.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { BackLink, Button, ErrorSummary, PostForm, Radios, Textarea } from "#app/components/govuk";
import { declarations, declareConflicts } from "#app/modules/evaluation/conflicts";
import { evaluatorWork } from "#app/modules/evaluation/scores";
import { actionContext } from "#app/web/context";
import { change, evaluationTender, readOrRefusal } from "#app/web/evaluation.server";
import { keptValues } from "#app/web/forms";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction = () => pageMeta("Declare conflicts of interest");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const { tender, actor } = await evaluationTender(request, portal, params.tenderId, "evaluation.score");
  const work = await readOrRefusal(() => evaluatorWork(portal.db, tender.id, actor));
  const mine = await declarations(portal.db, tender.id, actor.userId);
  return {
    tender,
    refusal: work.refusal,
    providers: (work.value?.providers ?? []).map((p) => {
      const d = mine.find((x) => x.organisationId === p.organisationId);
      return { id: p.organisationId, name: p.organisationName, declared: p.declared, description: d?.description ?? "", decided: d?.decision ? true : false };
    }),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { tender } = await evaluationTender(request, portal, params.tenderId, "evaluation.score");
  const form = await request.formData();
  const values = keptValues(form);
  const ids = form.getAll("organisationId").map(String);
  const input = ids.map((organisationId) => {
    const answer = form.get(`conflict-${organisationId}`);
    return { organisationId, hasConflict: answer === "yes" ? true : answer === "no" ? false : null, description: String(form.get(`description-${organisationId}`) ?? "") };
  });
  const result = await change(portal, (trx) => declareConflicts(trx, { tenderId: tender.id, declarations: input }, actionContext(portal), { baseUrl: portal.baseUrl }));
  if (result.errors) return data({ errors: result.errors, values }, { status: 400 });
  return redirect(`/tenders/${tender.id}/evaluation`, { headers: { "Set-Cookie": portal.flashCookie({ title: "Your declarations are recorded" }) } });
}

export default function DeclareConflicts() {
  const { tender, refusal, providers } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const v = result?.values as Record<string, string> | undefined;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`/tenders/${tender.id}/evaluation`}>Back to the evaluation</BackLink>
        <ErrorSummary errors={result?.errors} order={providers.flatMap((p) => [`conflict-${p.id}`, `description-${p.id}`])} />
        <span className="govuk-caption-l">{tender.title}</span>
        <h1 className="govuk-heading-l">Declare conflicts of interest</h1>
        {refusal ? (
          <p className="govuk-body">{refusal}</p>
        ) : (
          <>
            <p className="govuk-body">
              For each provider that bid, say whether you have a conflict of interest: a family or business tie, past or present employment, or anything else a fair-minded
              observer would think could affect your scoring. You see no bid until you have declared for every provider. A provider you declare a conflict with stays closed
              to you until a commissioning officer decides, and a declared conflict stays on the record.
            </p>
            <PostForm>
              {providers.map((p) => (
                <div key={p.id}>
                  <input type="hidden" name="organisationId" value={p.id} />
                  <h2 className="govuk-heading-m">{p.name}</h2>
                  <Radios
                    name={`conflict-${p.id}`}
                    legend={`Do you have a conflict of interest with ${p.name}?`}
                    inline
                    checked={v?.[`conflict-${p.id}`] ?? (p.declared === "conflict" ? "yes" : p.declared === "none" ? "no" : undefined)}
                    error={result?.errors[`conflict-${p.id}`]}
                    options={[
                      { value: "no", label: "No" },
                      { value: "yes", label: "Yes" },
                    ]}
                  />
                  <Textarea
                    name={`description-${p.id}`}
                    label={`If yes, describe the conflict with ${p.name}`}
                    defaultValue={v?.[`description-${p.id}`] ?? p.description}
                    error={result?.errors[`description-${p.id}`]}
                    rows={3}
                  />
                </div>
              ))}
              <Button>Record my declarations</Button>
            </PostForm>
          </>
        )}
      </div>
    </div>
  );
}
