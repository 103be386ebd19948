// Changing one bid's compliance result in re-evaluation (decision 037): pass
// to fail or fail to pass, why it changes, and for a failure the reason the
// provider is told. The earlier result is kept; of two officers changing it
// at once, exactly one change stands and the other is told whose did.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, Button, ErrorSummary, PostForm, Radios, SummaryList, Textarea } from "#app/components/govuk";
import { tenderFor } from "#app/components/tendering/load.server";
import { complianceToReevaluate, complianceWords, openReevaluation, reviseCompliance } from "#app/modules/awards/reevaluation";
import { actionContext } from "#app/web/context";
import { fieldErrors, keptValues } from "#app/web/forms";
import { ukDateTime } from "#app/web/format";
import { notFound } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `Change ${data.provider}'s compliance result` : "Change a compliance result");

const FIELDS = ["form", "compliant", "failureReason", "reason"];

const changeForm = z
  .object({
    replacesId: z.string(),
    compliant: z.enum(["yes", "no"], { error: "Choose whether the bid is compliant" }),
    failureReason: z.string().trim().max(2000, "Write the reason the bid is not compliant in 2,000 characters or fewer").default(""),
    reason: z.string().trim().min(1, "Enter why the compliance result changes in the re-evaluation").max(10000, "Write the reason in 10,000 characters or fewer"),
  })
  .superRefine((form, ctx) => {
    if (form.compliant === "no" && form.failureReason === "") ctx.addIssue({ code: "custom", path: ["failureReason"], message: "Give the reason the bid is not compliant: the provider is told it" });
  });

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const { view, actor } = await tenderFor(request, portal, params.tenderId, "awardReevaluation.changeCompliance");
  if (!(await openReevaluation(portal.db, view.tender.id))) throw redirect(`/tenders/${view.tender.id}/award/reevaluation`);
  const bid = (await complianceToReevaluate(portal.db, view.tender.id, actor)).find((b) => b.submissionId === params.submissionId);
  if (!bid?.result) throw notFound();
  return {
    id: view.tender.id,
    title: view.tender.title,
    provider: bid.organisationName,
    result: {
      id: bid.result.id,
      compliant: bid.result.compliant,
      words: complianceWords(bid.result),
      by: `${bid.result.recordedBy}, ${ukDateTime(bid.result.recordedAt)}`,
    },
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { view } = await tenderFor(request, portal, params.tenderId, "awardReevaluation.changeCompliance");
  const values = keptValues(await request.formData());
  const parsed = changeForm.safeParse(values);
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), values }, { status: 400 });
  try {
    await portal.db.transaction().execute((trx) =>
      reviseCompliance(
        trx,
        { tenderId: view.tender.id, submissionId: params.submissionId ?? "", compliant: parsed.data.compliant === "yes", failureReason: parsed.data.failureReason, reason: parsed.data.reason, replacesId: parsed.data.replacesId },
        actionContext(portal),
      ),
    );
  } catch (error) {
    const errors = refusalErrors(error);
    if (!errors) throw error;
    return data({ errors, values }, { status: 400 });
  }
  return redirect(`/tenders/${view.tender.id}/award/reevaluation`, { headers: { "Set-Cookie": portal.flashCookie({ title: "Compliance result changed" }) } });
}

export default function ChangeCompliance() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const v = result?.values;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`/tenders/${page.id}/award/reevaluation`}>Back to the re-evaluation</BackLink>
        <ErrorSummary errors={result?.errors} order={FIELDS} />
        <span className="govuk-caption-l">{page.title}</span>
        <h1 className="govuk-heading-l">Change {page.provider}&apos;s compliance result</h1>
        <SummaryList
          rows={[
            { key: "Result now", value: page.result.words },
            { key: "Recorded by", value: page.result.by },
          ]}
        />
        <PostForm>
          <input type="hidden" name="replacesId" value={page.result.id} />
          <Radios
            name="compliant"
            legend="New compliance result"
            checked={v?.compliant}
            error={result?.errors.compliant}
            options={[
              { value: "yes", label: "Compliant", hint: page.result.compliant ? "Its result now" : "Its answers will need agreed scores before the new recommendation can be submitted, if they have none" },
              { value: "no", label: "Not compliant", hint: page.result.compliant ? "It goes no further: it is not ranked" : "Its result now" },
            ]}
          />
          <Textarea
            name="failureReason"
            label="If not compliant: the reason"
            hint="The provider is told it in their assessment summary."
            defaultValue={v?.failureReason}
            error={result?.errors.failureReason}
            rows={3}
          />
          <Textarea name="reason" label="Why the compliance result changes in the re-evaluation" hint="For example, what the challenge showed." defaultValue={v?.reason} error={result?.errors.reason} rows={3} />
          <Button>Change the compliance result</Button>
        </PostForm>
      </div>
    </div>
  );
}
