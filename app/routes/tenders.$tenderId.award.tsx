// The officer's award recommendation for an opened tender: a form while it
// is a draft ("Save draft" or "Submit for decision"), then what was
// submitted and where it stands, with a link to the decision record.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { RecommendationContent, StatusTag } from "#app/components/awards/Recommendation";
import { BackLink, Button, Checkboxes, ErrorSummary, PostForm, SummaryList, Textarea, TextInput } from "#app/components/govuk";
import { tenderFor } from "#app/components/tendering/load.server";
import {
  awardOptions,
  RecommendationIncomplete,
  recommendationForTender,
  saveRecommendation,
  submitRecommendation,
} from "#app/modules/awards/recommendations";
import { awardProgress } from "#app/modules/awards/progress";
import { DECISION_OUTCOMES } from "#app/modules/awards/decisions";
import { supersededAwards, withdrawalSentence } from "#app/modules/awards/reevaluation";
import { formatPence } from "#app/modules/agreements/agreements";
import { longDate } from "#app/modules/common/input";
import { proposalFromEvaluation } from "#app/modules/awards/proposal";
import { awardReadyForContracts } from "#app/modules/contracts/contracts";
import { assessmentSummariesSentAt } from "#app/modules/awards/assessment-summaries";
import { ActionRefused, ConcurrentEditError } from "#app/modules/errors";
import { tenderThing } from "#app/modules/tendering/tenders";
import { allowed } from "#app/policy/policy";
import { actionContext } from "#app/web/context";
import { fieldErrors, formObject, type FieldErrors } from "#app/web/forms";
import { penceFromPounds, poundsForForm } from "#app/web/money";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";
import { formatUkDateTime } from "#emails/format";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `Award recommendation: ${data.title}` : "Award recommendation");

const FIELDS = ["form", "lots", "evaluationSummary", "value", "budgetLine", "risks", "alternatives"];

const recommendationForm = z.object({
  intent: z.enum(["save", "submit"]),
  version: z.coerce.number().int().min(0),
  evaluationSummary: z.string().max(20000, "The evaluation summary must be 20,000 characters or fewer"),
  value: z.string(),
  budgetLine: z.string().max(300, "The budget line must be 300 characters or fewer"),
  risks: z.string().max(20000, "The risks must be 20,000 characters or fewer"),
  alternatives: z.string().max(20000, "The alternatives considered must be 20,000 characters or fewer"),
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const { view, actor } = await tenderFor(request, portal, params.tenderId, "award.view");
  const sentAt = await assessmentSummariesSentAt(portal.db, view.tender.id);
  const base = { id: view.tender.id, title: view.tender.title, summariesSent: sentAt ? formatUkDateTime(sentAt) : null };
  let found;
  try {
    found = await recommendationForTender(portal.db, view.tender.id, actor);
  } catch (error) {
    if (error instanceof ActionRefused) return { ...base, sealed: error.message, lots: [], recommendation: null, canEdit: false, proposal: null, afterDecision: null, contractsReady: false, history: [] };
    throw error;
  }
  const rec = found.recommendation;
  const lots = await awardOptions(portal.db, view.tender.id);
  const editable = !rec || rec.status === "draft" || rec.status === "rejected" || rec.status === "superseded";
  const live = rec && rec.status !== "rejected" && rec.status !== "superseded" ? rec : null;
  const canEdit = editable && allowed(actor, "award.recommend", tenderThing(view));
  // A first draft starts from the evaluation report's outcome, when there is one.
  const proposal = canEdit && !live ? await proposalFromEvaluation(portal.db, view.tender.id, actor) : null;
  // Earlier awards superseded after a challenge upheld for re-evaluation (decision 037), oldest first.
  const superseded = await supersededAwards(portal.db, view.tender.id);
  // Once approved, or re-evaluating: the award notice, standstill and any challenges (decision 030).
  const progress =
    rec && (rec.status === "approved" || rec.status === "approved_with_conditions" || superseded.length > 0) ? await awardProgress(portal.db, view.tender.id, new Date()) : null;
  const afterDecision = progress
    ? {
        inWords: progress.inWords,
        nextStep: progress.nextStep,
        published: progress.notice !== null,
        canPublish: progress.state === "awaiting_notice" && allowed(actor, "awardNotice.publish", tenderThing(view)),
        challenges: progress.challenges.length,
        reevaluating: superseded.length > 0,
      }
    : null;
  const contractsReady = allowed(actor, "contract.create", tenderThing(view)) && (await awardReadyForContracts(portal.db, view.tender.id, new Date())).ready;
  return {
    ...base,
    sealed: null,
    lots,
    canEdit,
    proposal,
    afterDecision,
    contractsReady,
    history: superseded.map((h, i) => ({
      recommendationId: h.supersession.recommendationId,
      heading: superseded.length === 1 ? "The first award (superseded)" : `Award ${i + 1} (superseded)`,
      rows: [
        ...h.recommended.map((l) => ({ key: l.lot, value: l.recommended.length ? l.recommended.join(", ") : "No award recommended" })),
        { key: "Value", value: formatPence(h.valuePence) },
        {
          key: "Decision",
          value: h.decision ? `${DECISION_OUTCOMES[h.decision.outcome]} by ${h.decision.decidedBy}, ${formatUkDateTime(h.decision.decidedAt)}` : "None recorded",
        },
        { key: "Assessment summaries", value: h.summariesSentAt ? `Sent ${formatUkDateTime(h.summariesSentAt)} (kept on record)` : "Not sent" },
        { key: "Award notice", value: `Published by ${h.noticePublishedBy}, ${formatUkDateTime(h.supersession.noticePublishedAt)}; withdrawn ${formatUkDateTime(h.supersession.supersededAt)}` },
        { key: "Challenge", value: `From ${h.supersession.challengerName}, received ${longDate(h.supersession.challengeReceivedOn)}: ${h.challenge.grounds}` },
        {
          key: "Resolution",
          value: `Upheld for re-evaluation by ${h.challenge.resolvedBy}, ${formatUkDateTime(h.challenge.resolvedAt)}: ${h.supersession.resolutionReasons}`,
        },
        { key: "Why superseded", value: withdrawalSentence(h.supersession) },
      ],
    })),
    recommendation: rec
      ? {
          id: rec.id,
          status: rec.status,
          version: live?.version ?? 0,
          evaluationSummary: live?.evaluationSummary ?? "",
          value: poundsForForm(live?.valuePence ?? null),
          budgetLine: live?.budgetLine ?? "",
          risks: live?.risks ?? "",
          alternatives: live?.alternatives ?? "",
          chosen: live?.chosen ?? {},
          latest: rec.rounds.at(-1) ?? null,
          sentBack: rec.status === "draft" && rec.rounds.at(-1)?.decision?.outcome === "sent_back" ? rec.rounds.at(-1)!.decision!.reasons : null,
        }
      : null,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { view } = await tenderFor(request, portal, params.tenderId, "award.recommend");
  const form = await request.formData();
  const raw = formObject(form);
  const lots = (await awardOptions(portal.db, view.tender.id)).map((l) => ({ lotId: l.lotId, bidIds: form.getAll(`lot-${l.lotId}`).map(String) }));
  const values = {
    evaluationSummary: String(raw.evaluationSummary ?? ""),
    value: String(raw.value ?? ""),
    budgetLine: String(raw.budgetLine ?? ""),
    risks: String(raw.risks ?? ""),
    alternatives: String(raw.alternatives ?? ""),
    version: String(raw.version ?? "0"),
    chosen: Object.fromEntries(lots.map((l) => [l.lotId, l.bidIds])),
  };
  const parsed = recommendationForm.safeParse(raw);
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), values, saved: false }, { status: 400 });
  const value = penceFromPounds(parsed.data.value, "The value", 10);
  if (value.kind === "problem") return data({ errors: { value: value.message } as FieldErrors, values, saved: false }, { status: 400 });

  const ctx = actionContext(portal);
  let saved: { id: string; version: number };
  try {
    saved = await portal.db.transaction().execute((trx) =>
      saveRecommendation(
        trx,
        {
          tenderId: view.tender.id,
          expectedVersion: parsed.data.version,
          lots,
          evaluationSummary: parsed.data.evaluationSummary,
          valuePence: value.kind === "pence" ? value.pence : null,
          budgetLine: parsed.data.budgetLine,
          risks: parsed.data.risks,
          alternatives: parsed.data.alternatives,
        },
        ctx,
      ),
    );
  } catch (error) {
    const errors = refusalErrors(error);
    if (!errors) throw error;
    return data({ errors, values, saved: false }, { status: error instanceof ConcurrentEditError ? 409 : 400 });
  }
  if (parsed.data.intent === "save") {
    return redirect(`/tenders/${view.tender.id}/award`, { headers: { "Set-Cookie": portal.flashCookie({ title: "Draft saved" }) } });
  }
  try {
    const submitted = await portal.db.transaction().execute((trx) => submitRecommendation(trx, { tenderId: view.tender.id, expectedVersion: saved.version }, ctx, { baseUrl: portal.baseUrl }));
    return redirect(`/tenders/${view.tender.id}/award`, {
      headers: {
        "Set-Cookie": portal.flashCookie({
          title: "Recommendation submitted for decision",
          body: submitted.consultationRequired
            ? "Its value makes it a key decision: the Portfolio Holder has been emailed to give their consultation response, then the Chief Officer decides."
            : "The Chief Officer has been emailed to decide it.",
        }),
      },
    });
  } catch (error) {
    const kept = { ...values, version: String(saved.version) };
    if (error instanceof RecommendationIncomplete) {
      const errors: FieldErrors = { form: "Your draft was saved, but it cannot be submitted until every part is filled in" };
      for (const p of error.problems) errors[p.field ?? "form"] = p.message;
      return data({ errors, values: kept, saved: true }, { status: 400 });
    }
    const errors = refusalErrors(error);
    if (!errors) throw error;
    return data({ errors, values: kept, saved: true }, { status: 400 });
  }
}

export default function AwardRecommendation() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const rec = page.recommendation;
  const proposed = page.proposal ? { evaluationSummary: page.proposal.evaluationSummary, value: "", budgetLine: "", risks: "", alternatives: "", version: "0", chosen: page.proposal.chosen } : null;
  const live = rec && rec.status !== "rejected" && rec.status !== "superseded" ? { ...rec, version: String(rec.version) } : null;
  const v = result?.values ?? live ?? proposed;
  const errors = result?.errors as FieldErrors | undefined;
  const firstLot = page.lots[0]?.lotId;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`/tenders/${page.id}`}>Back to the tender</BackLink>
        <ErrorSummary errors={errors} order={FIELDS} href={(key) => (key === "lots" && firstLot ? `#lot-${firstLot}` : `#${key}`)} />
        <span className="govuk-caption-l">{page.title}</span>
        <h1 className="govuk-heading-l">Award recommendation</h1>
        {page.sealed ? (
          <p className="govuk-body">{page.sealed}.</p>
        ) : (
          <>
            {rec ? (
              <p className="govuk-body">
                Status: <StatusTag status={rec.status} />
              </p>
            ) : null}
            {rec?.sentBack ? (
              <div className="govuk-inset-text">
                <p className="govuk-body">The Chief Officer sent this back for changes:</p>
                <p className="govuk-body">{rec.sentBack}</p>
              </div>
            ) : null}
            {rec?.status === "rejected" ? (
              <p className="govuk-body">The last recommendation was rejected. You can draft a new one below.</p>
            ) : null}
            {rec?.status === "superseded" ? (
              <p className="govuk-body">
                The approved award was superseded after a challenge was upheld for re-evaluation.
                {page.canEdit ? " Re-evaluate the bids, then draft the new recommendation below: it starts from the evaluation report as it now stands." : ""}
              </p>
            ) : null}
            {page.afterDecision ? <AfterDecision id={page.id} after={page.afterDecision} /> : null}
            {rec && rec.latest && rec.status !== "draft" && rec.status !== "superseded" ? (
              <p className="govuk-body">
                <Link className="govuk-link" to={`/decisions/${rec.id}`}>
                  See the decision record
                </Link>
              </p>
            ) : null}
            {rec && (rec.status === "approved" || rec.status === "approved_with_conditions") ? (
              <p className="govuk-body">
                {page.summariesSent ? `Assessment summaries were sent at ${page.summariesSent}. ` : "The award is approved: the bidders' assessment summaries are next. "}
                <Link className="govuk-link" to={`/tenders/${page.id}/award/summaries`}>
                  {page.summariesSent ? "See the assessment summaries" : "Send the assessment summaries"}
                </Link>
              </p>
            ) : null}
            {page.contractsReady ? (
              <p className="govuk-body">
                <Link className="govuk-link" to={`/tenders/${page.id}/award/contracts`}>
                  Create the agreements for this award
                </Link>
              </p>
            ) : null}
            {page.canEdit && !result && !live && proposed ? (
              <div className="govuk-inset-text">
                The bids and the evaluation summary below are filled in from the{" "}
                <Link className="govuk-link" to={`/tenders/${page.id}/evaluation/report`}>
                  evaluation report
                </Link>
                . Check and change them before you save.
              </div>
            ) : null}
            {page.canEdit && v ? <RecommendationForm page={page} v={v} errors={errors} /> : null}
            {page.canEdit && !v ? <RecommendationForm page={page} v={null} errors={errors} /> : null}
            {!page.canEdit && rec?.latest ? (
              <>
                <h2 className="govuk-heading-m">What was submitted (round {rec.latest.round})</h2>
                <RecommendationContent content={rec.latest.content} />
              </>
            ) : null}
            {!page.canEdit && !rec ? <p className="govuk-body">No award recommendation has been drafted yet.</p> : null}
            {page.history.length > 0 ? <AwardHistory history={page.history} /> : null}
          </>
        )}
      </div>
    </div>
  );
}

function AwardHistory({ history }: { history: { recommendationId: string; heading: string; rows: { key: string; value: string }[] }[] }) {
  return (
    <section aria-labelledby="award-history">
      <h2 className="govuk-heading-m" id="award-history">
        Earlier awards
      </h2>
      {history.map((h) => (
        <div key={h.recommendationId}>
          <h3 className="govuk-heading-s">{h.heading}</h3>
          <SummaryList rows={h.rows} />
          <p className="govuk-body">
            <Link className="govuk-link" to={`/decisions/${h.recommendationId}`}>
              See its decision record<span className="govuk-visually-hidden"> ({h.heading.toLowerCase()})</span>
            </Link>
          </p>
        </div>
      ))}
    </section>
  );
}

function AfterDecision({ id, after }: { id: string; after: { inWords: string; nextStep: string | null; published: boolean; canPublish: boolean; challenges: number; reevaluating: boolean } }) {
  return (
    <section aria-labelledby="after-decision">
      <h2 className="govuk-heading-m" id="after-decision">
        Award notice and standstill
      </h2>
      <div className="govuk-inset-text" data-testid="award-progress">
        <p className="govuk-body">{after.inWords}</p>
        {after.nextStep ? <p className="govuk-body govuk-!-margin-bottom-0">Next: {after.nextStep}</p> : null}
      </div>
      <ul className="govuk-list">
        {after.reevaluating ? (
          <li>
            <Link className="govuk-link" to={`/tenders/${id}/award/reevaluation`}>
              The re-evaluation: changed scores and the evaluation as it stood
            </Link>
          </li>
        ) : null}
        {after.canPublish ? (
          <li>
            <Link className="govuk-link" to={`/tenders/${id}/award-notice/publish`}>
              Publish the contract award notice
            </Link>
          </li>
        ) : null}
        {after.published ? (
          <>
            <li>
              <Link className="govuk-link" to={`/tenders/${id}/award-notice`}>
                Read the contract award notice
              </Link>
            </li>
            <li>
              <Link className="govuk-link" to={`/tenders/${id}/award/challenges`}>
                Challenges to the award{after.challenges > 0 ? ` (${after.challenges} recorded)` : ""}
              </Link>
            </li>
          </>
        ) : null}
      </ul>
    </section>
  );
}

type Values = { evaluationSummary: string; value: string; budgetLine: string; risks: string; alternatives: string; version: string; chosen: Record<string, string[]> };

function RecommendationForm({ page, v, errors }: { page: { lots: { lotId: string; label: string; bids: { bidId: string; organisationName: string }[] }[] }; v: Values | null; errors: FieldErrors | undefined }) {
  return (
    <PostForm>
      <input type="hidden" name="version" value={v?.version ?? "0"} />
      <h2 className="govuk-heading-m">Who you recommend</h2>
      {errors?.lots ? (
        <p className="govuk-error-message">
          <span className="govuk-visually-hidden">Error:</span> {errors.lots}
        </p>
      ) : null}
      {page.lots.map((lot) => (
        <Checkboxes
          key={lot.lotId}
          name={`lot-${lot.lotId}`}
          legend={lot.label}
          hint={lot.bids.length ? "Choose every bid you recommend for this lot." : "No bids were submitted for this lot."}
          options={lot.bids.map((b) => ({ value: b.bidId, label: b.organisationName }))}
          checked={v?.chosen[lot.lotId] ?? []}
          error={errors?.[`lot-${lot.lotId}`]}
        />
      ))}
      <h2 className="govuk-heading-m">The recommendation</h2>
      <Textarea name="evaluationSummary" label="Evaluation summary" hint="How the bids were evaluated and why these bids are recommended." rows={6} defaultValue={v?.evaluationSummary} error={errors?.evaluationSummary} />
      <TextInput
        name="value"
        label="Value of the award, in pounds"
        hint="The total value over the contract or framework term. At or above the council's key-decision threshold, the Portfolio Holder is consulted before the Chief Officer decides."
        width="10"
        defaultValue={v?.value}
        error={errors?.value}
      />
      <TextInput name="budgetLine" label="Budget line" hint="For example, Children's placements 2027/28, cost centre 4410." defaultValue={v?.budgetLine} error={errors?.budgetLine} />
      <Textarea name="risks" label="Risks" defaultValue={v?.risks} error={errors?.risks} />
      <Textarea name="alternatives" label="Alternatives considered" hint="Other options and why they were rejected." defaultValue={v?.alternatives} error={errors?.alternatives} />
      <div className="govuk-button-group">
        <Button name="intent" value="submit">
          Submit for decision
        </Button>
        <Button name="intent" value="save" variant="secondary">
          Save draft
        </Button>
      </div>
    </PostForm>
  );
}
