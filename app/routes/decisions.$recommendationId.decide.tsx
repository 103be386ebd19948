// The Chief Officer's decision: approve, approve with conditions, reject
// with reasons, or send back for changes. A key decision is only open here
// once the Portfolio Holder has responded; the recommendation is one click away.
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { RecommendationAtHand } from "#app/components/awards/Recommendation";
import { BackLink, Button, ErrorSummary, PostForm, Radios, SummaryList, Textarea } from "#app/components/govuk";
import { decideAward, DECISION_OUTCOMES } from "#app/modules/awards/decisions";
import type { AwardDecisionOutcome } from "#app/database/schema";
import { actOnRound, roundToActOn } from "#app/web/award-decision.server";
import { ukDateTime } from "#app/web/format";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `Decide: ${data.tenderTitle}` : "Decide an award");

const decideForm = z.object({
  outcome: z.enum(["approved", "approved_with_conditions", "rejected", "sent_back"], { error: "Choose your decision" }),
  reasons: z.string().max(20000, "Reasons must be 20,000 characters or fewer").default(""),
  conditions: z.string().max(20000, "Conditions must be 20,000 characters or fewer").default(""),
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { recommendation: rec, latest, page } = await roundToActOn(request, context.portal, params.recommendationId, "award.decide", ["awaiting_decision", "awaiting_consultation"]);
  return {
    ...page,
    waitingForConsultation: rec.status === "awaiting_consultation",
    consultation: latest.consultation ? { ...latest.consultation, respondedAt: ukDateTime(latest.consultation.respondedAt) } : null,
  };
}

export const action = ({ request, params, context }: ActionFunctionArgs) =>
  actOnRound(request, context.portal, params.recommendationId, "award.decide", {
    form: decideForm,
    save: decideAward,
    done: ({ outcome }) => ({ title: `Decision recorded: ${DECISION_OUTCOMES[outcome as AwardDecisionOutcome].toLowerCase()}`, body: "The officers who wrote the recommendation have been emailed." }),
  });

export default function Decide() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`/decisions/${page.id}`}>Back to the recommendation</BackLink>
        <ErrorSummary errors={result?.errors} order={["form", "outcome", "reasons", "conditions"]} />
        <span className="govuk-caption-l">{page.tenderTitle}</span>
        <h1 className="govuk-heading-l">Decide the award</h1>
        <p className="govuk-body">{page.route}.</p>
        <RecommendationAtHand id={page.id} content={page.content} />
        {page.waitingForConsultation ? (
          <div className="govuk-inset-text">This is a key decision and the Portfolio Holder has not yet given their consultation response. You can decide once they have: you will be emailed.</div>
        ) : null}
        {page.consultation ? (
          <>
            <h2 className="govuk-heading-m">The Portfolio Holder's response</h2>
            <SummaryList
              rows={[
                { key: "Response", value: page.consultation.response },
                { key: "Comments", value: page.consultation.comments || "None" },
                { key: "Given by", value: `${page.consultation.respondedBy}, ${page.consultation.respondedAt}` },
              ]}
            />
          </>
        ) : null}
        <PostForm>
          <Radios
            name="outcome"
            legend="Your decision"
            options={[
              { value: "approved", label: "Approve" },
              { value: "approved_with_conditions", label: "Approve with conditions" },
              { value: "rejected", label: "Reject" },
              { value: "sent_back", label: "Send back for changes" },
            ]}
            checked={result?.values.outcome}
            error={result?.errors.outcome}
          />
          <Textarea name="reasons" label="Reasons" hint="Your reasons are published in the decision record. If you send it back, say what needs to change." defaultValue={result?.values.reasons} error={result?.errors.reasons} />
          <Textarea name="conditions" label="Conditions" hint="Only if you approve with conditions." defaultValue={result?.values.conditions} error={result?.errors.conditions} />
          <Button>Record decision</Button>
        </PostForm>
      </div>
    </div>
  );
}
