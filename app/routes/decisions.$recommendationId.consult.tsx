// The Portfolio Holder's consultation response on a key decision: support,
// support with comments, or object with reasons. The recommendation is
// summarised here and one click away in full.
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { RecommendationAtHand } from "#app/components/awards/Recommendation";
import { BackLink, Button, ErrorSummary, PostForm, Radios, Textarea } from "#app/components/govuk";
import { CONSULTATION_RESPONSES, recordConsultation } from "#app/modules/awards/decisions";
import { actOnRound, roundToActOn } from "#app/web/award-decision.server";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `Consultation: ${data.tenderTitle}` : "Consultation");

const consultForm = z.object({
  response: z.enum(["support", "support_with_comments", "object"], { error: "Choose whether you support the recommendation" }),
  comments: z.string().max(20000, "Comments must be 20,000 characters or fewer").default(""),
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { page } = await roundToActOn(request, context.portal, params.recommendationId, "award.consult", ["awaiting_consultation"]);
  return page;
}

export const action = ({ request, params, context }: ActionFunctionArgs) =>
  actOnRound(request, context.portal, params.recommendationId, "award.consult", {
    form: consultForm,
    save: recordConsultation,
    done: () => ({ title: "Consultation response recorded", body: "The Chief Officer has been emailed that the recommendation is ready for their decision." }),
  });

export default function Consult() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`/decisions/${page.id}`}>Back to the recommendation</BackLink>
        <ErrorSummary errors={result?.errors} order={["form", "response", "comments"]} />
        <span className="govuk-caption-l">{page.tenderTitle}</span>
        <h1 className="govuk-heading-l">Your consultation response</h1>
        <p className="govuk-body">{page.route}.</p>
        <RecommendationAtHand id={page.id} content={page.content} />
        <PostForm>
          <Radios
            name="response"
            legend="Do you support the recommendation?"
            options={(Object.keys(CONSULTATION_RESPONSES) as (keyof typeof CONSULTATION_RESPONSES)[]).map((k) => ({
              value: k,
              label: { support: "I support it", support_with_comments: "I support it, with comments", object: "I object to it" }[k],
            }))}
            checked={result?.values.response}
            error={result?.errors.response}
          />
          <Textarea name="comments" label="Comments or reasons" hint="Needed if you add comments or object. The Chief Officer reads them before deciding, and they are part of the published decision record." defaultValue={result?.values.comments} error={result?.errors.comments} />
          <Button>Send response</Button>
        </PostForm>
      </div>
    </div>
  );
}
