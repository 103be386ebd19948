// Challenges to an award: where the award stands in words, each challenge
// with its resolution, and (during standstill) the form an officer records a
// bidder's challenge with. A challenge suspends the award until resolved.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, Button, DateInput, ErrorSummary, PostForm, Select, SummaryList, Textarea } from "#app/components/govuk";
import { Paragraphs } from "#app/components/Paragraphs";
import { tenderFor } from "#app/components/tendering/load.server";
import { tenderBidders } from "#app/modules/awards/award-notice";
import { recordChallenge } from "#app/modules/awards/challenges";
import { awardProgress } from "#app/modules/awards/progress";
import { tenderThing } from "#app/modules/tendering/tenders";
import { allowed } from "#app/policy/policy";
import { challengeView } from "#app/web/award-notice.server";
import { actionContext } from "#app/web/context";
import { readDateField } from "#app/web/date-fields";
import { fieldErrors, keptValues, type FieldErrors } from "#app/web/forms";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `Challenges: ${data.title}` : "Challenges to the award");

const FIELDS = ["form", "organisationId", "receivedOn-day", "receivedOn-month", "receivedOn-year", "grounds"];

const challengeForm = z.object({
  organisationId: z.string().min(1, "Choose the bidder that made the challenge"),
  grounds: z.string().trim().min(1, "Enter a summary of the grounds of the challenge").max(20000, "The grounds must be 20,000 characters or fewer"),
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const { view, actor } = await tenderFor(request, portal, params.tenderId, "awardChallenge.view");
  const progress = await awardProgress(portal.db, view.tender.id, new Date());
  if (!progress.notice) throw redirect(`/tenders/${view.tender.id}/award`);
  const thing = tenderThing(view);
  const canRecord = progress.challengeable && allowed(actor, "awardChallenge.record", thing);
  return {
    id: view.tender.id,
    title: view.tender.title,
    state: progress.state,
    inWords: progress.inWords,
    nextStep: progress.nextStep,
    challenges: progress.challenges.map(challengeView),
    canRecord,
    canResolve: allowed(actor, "awardChallenge.resolve", thing),
    bidders: canRecord ? (await tenderBidders(portal.db, view.tender.id)).map((b) => ({ value: b.organisationId, label: b.name })) : [],
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { view } = await tenderFor(request, portal, params.tenderId, "awardChallenge.record");
  const form = await request.formData();
  const values = keptValues(form);
  const received = readDateField(form, "receivedOn", "Date received");
  const parsed = challengeForm.safeParse(values);
  const errors: FieldErrors = parsed.success ? {} : fieldErrors(parsed.error);
  if (received.error) errors[`receivedOn-${received.error.parts[0]}`] = received.error.message;
  if (!parsed.success || !received.iso) return data({ errors, values, dateParts: received.error?.parts ?? [] }, { status: 400 });
  try {
    await portal.db.transaction().execute((trx) =>
      recordChallenge(trx, { tenderId: view.tender.id, organisationId: parsed.data.organisationId, receivedOn: received.iso!, grounds: parsed.data.grounds }, actionContext(portal)),
    );
  } catch (error) {
    const refused = refusalErrors(error);
    if (!refused) throw error;
    // A refusal about the date belongs beside its first box.
    const keyed: FieldErrors = Object.fromEntries(Object.entries(refused).map(([k, m]) => [k === "receivedOn" ? "receivedOn-day" : k, m]));
    return data({ errors: keyed, values, dateParts: "receivedOn" in refused ? (["day", "month", "year"] as const) : [] }, { status: 400 });
  }
  return redirect(`/tenders/${view.tender.id}/award/challenges`, {
    headers: { "Set-Cookie": portal.flashCookie({ title: "Challenge recorded", body: "The award is suspended until you record how the challenge was resolved." }) },
  });
}

export default function Challenges() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const v = result?.values ?? {};
  const errors = result?.errors;
  const dateKey = errors ? Object.keys(errors).find((k) => k.startsWith("receivedOn-")) : undefined;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`/tenders/${page.id}/award`}>Back to the award</BackLink>
        <ErrorSummary errors={errors} order={FIELDS} />
        <span className="govuk-caption-l">{page.title}</span>
        <h1 className="govuk-heading-l">Challenges to the award</h1>
        <div className="govuk-inset-text">
          <p className="govuk-body">{page.inWords}</p>
          {page.nextStep ? <p className="govuk-body govuk-!-margin-bottom-0">Next: {page.nextStep}</p> : null}
        </div>
        {page.challenges.length === 0 ? <p className="govuk-body">No challenge has been recorded.</p> : null}
        {page.challenges.map((c, i) => (
          <section key={c.id} aria-labelledby={`challenge-${i + 1}`}>
            <h2 className="govuk-heading-m" id={`challenge-${i + 1}`}>
              Challenge {i + 1}: {c.bidder}
            </h2>
            <SummaryList
              rows={[
                { key: "Received", value: c.receivedOn },
                { key: "Grounds", value: <Paragraphs text={c.grounds} /> },
                { key: "Recorded by", value: c.recorded },
                { key: "Resolution", value: c.resolution ? c.resolution.outcome : "Not yet resolved: the award is suspended" },
                ...(c.resolution
                  ? [
                      { key: "Reasons", value: <Paragraphs text={c.resolution.reasons} /> },
                      { key: "Resolved by", value: c.resolution.resolved },
                    ]
                  : []),
              ]}
            />
            {!c.resolution && page.canResolve ? (
              <p className="govuk-body">
                <Link className="govuk-link" to={`/tenders/${page.id}/award/challenges/${c.id}`}>
                  Record how the challenge from {c.bidder} was resolved
                </Link>
              </p>
            ) : null}
          </section>
        ))}
        {page.canRecord ? (
          // Keyed by the count, so the form is empty again once a challenge is recorded.
          <PostForm key={page.challenges.length}>
            <h2 className="govuk-heading-m">Record a challenge</h2>
            <p className="govuk-body">Record a challenge a bidder made during standstill. The award is suspended until you record how it was resolved.</p>
            <Select name="organisationId" label="Which bidder made the challenge?" options={[{ value: "", label: "Choose a bidder" }, ...page.bidders]} defaultValue={v.organisationId} error={errors?.organisationId} />
            <DateInput
              name="receivedOn"
              legend="Date the challenge was received"
              value={{ day: v["receivedOn-day"], month: v["receivedOn-month"], year: v["receivedOn-year"] }}
              error={dateKey ? { message: errors![dateKey]!, parts: result?.dateParts ? [...result.dateParts] : undefined } : undefined}
            />
            <Textarea name="grounds" label="Summary of the grounds" hint="What the bidder says was wrong, in a few sentences. Keep the full challenge with the tender's records." defaultValue={v.grounds} error={errors?.grounds} />
            <Button>Record challenge</Button>
          </PostForm>
        ) : null}
      </div>
    </div>
  );
}
