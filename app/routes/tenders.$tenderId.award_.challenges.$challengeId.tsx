// Resolving a challenge, once: dismissed (the award may go ahead once
// standstill ends), or upheld, when the officer chooses to re-evaluate the
// bids or cancel the award. Of two officers resolving at once, one stands.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, Button, ErrorSummary, PostForm, Radios, SummaryList, Textarea } from "#app/components/govuk";
import { Paragraphs } from "#app/components/Paragraphs";
import { tenderFor } from "#app/components/tendering/load.server";
import { CHALLENGE_OUTCOMES, resolveChallenge } from "#app/modules/awards/challenges";
import { awardProgress } from "#app/modules/awards/progress";
import type { AwardChallengeOutcome } from "#app/database/schema";
import { challengeView } from "#app/web/award-notice.server";
import { actionContext } from "#app/web/context";
import { fieldErrors, keptValues } from "#app/web/forms";
import { notFound } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `Resolve the challenge from ${data.challenge.bidder}` : "Resolve a challenge");

const resolveForm = z.object({
  outcome: z.enum(["dismissed", "upheld_reevaluate", "upheld_cancel"], { error: "Choose how the challenge was resolved" }),
  reasons: z.string().trim().min(1, "Enter the reasons for the resolution").max(20000, "The reasons must be 20,000 characters or fewer"),
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const { view } = await tenderFor(request, portal, params.tenderId, "awardChallenge.resolve");
  const progress = await awardProgress(portal.db, view.tender.id, new Date());
  const challenge = progress.challenges.find((c) => c.id === params.challengeId);
  if (!challenge) throw notFound();
  if (challenge.resolution) throw redirect(`/tenders/${view.tender.id}/award/challenges`);
  return { id: view.tender.id, title: view.tender.title, challenge: challengeView(challenge) };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { view } = await tenderFor(request, portal, params.tenderId, "awardChallenge.resolve");
  const values = keptValues(await request.formData());
  const parsed = resolveForm.safeParse(values);
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), values }, { status: 400 });
  try {
    await portal.db.transaction().execute((trx) => resolveChallenge(trx, { tenderId: view.tender.id, challengeId: params.challengeId ?? "", ...parsed.data }, actionContext(portal), { baseUrl: portal.baseUrl }));
  } catch (error) {
    const errors = refusalErrors(error);
    if (!errors) throw error;
    return data({ errors, values }, { status: 400 });
  }
  return redirect(`/tenders/${view.tender.id}/award/challenges`, {
    headers: { "Set-Cookie": portal.flashCookie({ title: `Challenge resolved: ${CHALLENGE_OUTCOMES[parsed.data.outcome as AwardChallengeOutcome].toLowerCase()}` }) },
  });
}

export default function ResolveChallenge() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const c = page.challenge;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`/tenders/${page.id}/award/challenges`}>Back to the challenges</BackLink>
        <ErrorSummary errors={result?.errors} order={["form", "outcome", "reasons"]} />
        <span className="govuk-caption-l">{page.title}</span>
        <h1 className="govuk-heading-l">Resolve the challenge from {c.bidder}</h1>
        <SummaryList
          rows={[
            { key: "Received", value: c.receivedOn },
            { key: "Grounds", value: <Paragraphs text={c.grounds} /> },
            { key: "Recorded by", value: c.recorded },
          ]}
        />
        <PostForm>
          <Radios
            name="outcome"
            legend="How was the challenge resolved?"
            options={[
              { value: "dismissed", label: "Dismissed", hint: "The award may go ahead once standstill has ended." },
              { value: "upheld_reevaluate", label: "Upheld: re-evaluate the bids", hint: "The approved decision is superseded and the award notice withdrawn; every bidder is emailed. The bids are re-evaluated and a new recommendation goes to the Chief Officer." },
              { value: "upheld_cancel", label: "Upheld: cancel the award", hint: "No contract is entered into under this award." },
            ]}
            checked={result?.values.outcome}
            error={result?.errors.outcome}
          />
          <Textarea name="reasons" label="Reasons" hint="Why the challenge was upheld or dismissed. This is kept in the tender's history." defaultValue={result?.values.reasons} error={result?.errors.reasons} />
          <Button>Record the resolution</Button>
        </PostForm>
      </div>
    </div>
  );
}
