import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, Button, ErrorSummary, PostForm, SummaryList, Table } from "#app/components/govuk";
import { TenderStatusTag } from "#app/components/tendering/fields";
import { WarningText } from "#app/components/WarningText";
import { readableTender, tenderFor } from "#app/components/tendering/load.server";
import { noticeForTender, standstillEndInWords } from "#app/modules/awards/award-notice";
import { assessmentSummariesSentAt, ownSummaries } from "#app/modules/awards/assessment-summaries";
import { longDate } from "#app/modules/common/input";
import { callOffEligibility, callOffOf, isDynamicMarket } from "#app/modules/tendering/dynamic-markets";
import { interestedProviders, registerInterest, withdrawInterest } from "#app/modules/tendering/interest";
import { tenderOpening } from "#app/modules/tendering/opening";
import { inWords, listAmendments } from "#app/modules/tendering/publication";
import { PRICE_BASES } from "#app/modules/tendering/questionnaires";
import { PROCEDURES, tenderThing } from "#app/modules/tendering/tenders";
import { allowed } from "#app/policy/policy";
import { actionContext } from "#app/web/context";
import { poundsShort } from "#app/web/format";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";
import { formatUkDateTime } from "#emails/format";
import { ParticipationOnTenderPage } from "#app/components/tendering/ParticipationOnTender";
import { participationOnTender } from "#app/web/participation.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data?.title ?? "Tender");

const when = (at: Date | null) => (at ? formatUkDateTime(at) : "Not set");
const day = (on: string | null) => (on ? longDate(on) : "Not set");

export async function loader({ params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const view = await readableTender(portal, params.tenderId);
  const { tender: t, agreement, lots } = view;
  const actor = portal.actor;
  const thing = tenderThing(view);
  const now = new Date();
  const can = {
    manage: actor !== null && allowed(actor, "tender.manage", thing),
    history: actor !== null && allowed(actor, "tender.history", thing),
    registerInterest: actor !== null && t.status === "published" && allowed(actor, "tender.registerInterest", thing),
    bid: actor !== null && t.status === "published" && allowed(actor, "bid.edit", thing),
    viewSubmissions: actor !== null && t.status !== "draft" && allowed(actor, "bid.viewSubmissions", thing),
    award: actor !== null && t.status !== "draft" && allowed(actor, "award.view", thing),
    evaluation: actor !== null && t.status !== "draft" && allowed(actor, "evaluation.view", thing),
    evaluationReport: actor !== null && t.status !== "draft" && allowed(actor, "evaluation.report", thing),
    applyToMarket: actor !== null && isDynamicMarket(t) && t.status === "published" && allowed(actor, "market.apply", thing),
    viewApplications: actor !== null && isDynamicMarket(t) && t.published_at !== null && allowed(actor, "market.viewApplications", thing),
  };
  // A call-off competition says which market and lot it draws on, and tells a provider outside that lot why it cannot take part.
  const callOff = await callOffOf(portal.db, t);
  const excluded = callOff && can.registerInterest && actor ? await callOffEligibility(portal.db, t, actor.organisationId) : null;
  const interested = can.manage || can.registerInterest ? await interestedProviders(portal.db, t.id) : [];
  const amendments = await listAmendments(portal.db, t.id);
  // Council staff who may see who bid also see who opened the bids (two officers, both named).
  const opening = can.viewSubmissions ? await tenderOpening(portal.db, t.id) : null;
  const open = t.status === "published" && t.submission_deadline_at !== null && t.submission_deadline_at > now;
  // The date assessment summaries were sent is public; a bidder's users get a link to their own.
  const summariesSentAt = t.status === "draft" ? null : await assessmentSummariesSentAt(portal.db, t.id);
  const ownSummary = summariesSentAt !== null && actor !== null && (await ownSummaries(portal.db, t.id, actor)).length > 0;
  const values = lots.flatMap((l) => (l.estimatedValuePence === null ? [] : [Number(l.estimatedValuePence)]));
  const participation = await participationOnTender(portal, view, actor, now);
  // The contract award notice is public, like the tender: its date and standstill are for everyone.
  const notice = t.status === "draft" ? null : await noticeForTender(portal.db, t.id);
  return {
    participation,
    id: t.id,
    title: t.title,
    summary: t.summary,
    status: t.status,
    open,
    agreement: agreement.title,
    leadCouncil: agreement.leadCouncilName,
    procedure: PROCEDURES[t.procedure].label,
    lightTouch: t.light_touch,
    legalBasis: t.legal_basis,
    estimatedValue: values.length ? poundsShort(values.reduce((a, b) => a + b, 0)) : "Not given",
    timeline: [
      { key: t.status === "draft" ? "Publication (planned)" : "Published", value: when(t.publication_at) },
      { key: "Clarification questions by", value: when(t.clarification_deadline_at) },
      ...(t.participation_stage ? [{ key: "Requests to participate close", value: when(t.participation_deadline_at) }] : []),
      // A dynamic market takes applications until it closes; its tenderPeriod.endDate is that day.
      { key: isDynamicMarket(t) ? "Market closes" : "Submission deadline", value: when(t.submission_deadline_at) },
      { key: "Intended award date", value: day(t.intended_award_on) },
      { key: "Intended contract start", value: day(t.intended_contract_start_on) },
      ...(opening
        ? [
            {
              key: "Bids opened",
              value: opening.confirmedAt
                ? `${formatUkDateTime(opening.confirmedAt)}: asked for by ${opening.requestedBy}, confirmed by ${opening.confirmedBy ?? "another officer"}`
                : `Not yet: ${opening.requestedBy} asked for the opening on ${formatUkDateTime(opening.requestedAt)}, and a second commissioning officer must confirm it`,
            },
          ]
        : []),
      // In the order the Act sets: assessment summaries, then the notice and its standstill.
      ...(summariesSentAt ? [{ key: "Assessment summaries sent", value: formatUkDateTime(summariesSentAt) }] : []),
      ...(notice
        ? [
            { key: "Contract award notice published", value: when(notice.publishedAt) },
            { key: "Standstill ends", value: notice.standstill.lastDay ? `At ${standstillEndInWords(notice.standstill.lastDay)}` : "No standstill applies" },
          ]
        : []),
      ...(t.procedure === "open_framework"
        ? [
            { key: "Framework scheme starts", value: day(t.scheme_start_on) },
            { key: "Next re-opening due by", value: day(t.next_reopening_due_on) },
          ]
        : []),
    ],
    ownSummary,
    lots: lots.map((l) => ({
      id: l.id,
      name: `Lot ${l.number}: ${l.title}`,
      priceBasis: PRICE_BASES[l.priceBasis as keyof typeof PRICE_BASES]?.label ?? "Not set",
      value: l.estimatedValuePence === null ? "Not given" : poundsShort(Number(l.estimatedValuePence)),
    })),
    amendments: amendments.map((a) => ({
      number: a.number,
      at: formatUkDateTime(a.amendedAt),
      reason: a.reason,
      changesSubmission: a.changesSubmission,
      changes: a.changes.map((c) => `${c.label}: was ${inWords(c.before)}, now ${inWords(c.after)}`),
    })),
    awardNotice: notice !== null,
    cancellation: t.status === "cancelled" ? { at: when(t.cancelled_at), reason: t.cancellation_reason ?? "" } : null,
    can,
    interestedNames: can.manage ? interested.map((p) => p.name) : [],
    ownInterest: can.registerInterest && actor ? interested.some((p) => p.organisationId === actor.organisationId) : false,
    organisationName: actor?.organisationName ?? null,
    isMarket: isDynamicMarket(t),
    callOff: callOff ? { marketId: callOff.market.id, marketTitle: callOff.market.title, lot: `Lot ${callOff.lot.number}: ${callOff.lot.title}` } : null,
    excludedReason: excluded && !excluded.allowed ? excluded.reason : null,
  };
}

const interestForm = z.object({ intent: z.enum(["register", "withdraw"]) });

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { view, actor } = await tenderFor(request, portal, params.tenderId, "tender.registerInterest");
  const parsed = interestForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ errors: { form: "Choose to register or withdraw interest" } }, { status: 400 });
  const input = { tenderId: view.tender.id, organisationId: actor.organisationId };
  try {
    await portal.db
      .transaction()
      .execute((trx) => (parsed.data.intent === "register" ? registerInterest : withdrawInterest)(trx, input, actionContext(portal)));
  } catch (error) {
    const errors = refusalErrors(error);
    if (errors) return data({ errors }, { status: 400 });
    throw error;
  }
  const flash =
    parsed.data.intent === "register"
      ? { title: "You have registered interest in this tender", body: `Everyone at ${actor.organisationName} will be emailed about any amendment or cancellation.` }
      : { title: "You have withdrawn your interest in this tender", body: "You will not be emailed about changes to it." };
  return redirect(`/tenders/${view.tender.id}`, { headers: { "Set-Cookie": portal.flashCookie(flash) } });
}

export default function TenderPage() {
  const t = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <BackLink to="/tenders">All tenders</BackLink>
      <ErrorSummary errors={result?.errors} />
      <span className="govuk-caption-l">{t.agreement}</span>
      <h1 className="govuk-heading-l">{t.title}</h1>
      <p className="govuk-body">
        <TenderStatusTag status={t.status} open={t.open} />
      </p>
      {t.cancellation ? (
        <div className="govuk-inset-text">
          <h2 className="govuk-heading-s govuk-!-margin-bottom-1">This tender was cancelled</h2>
          <p className="govuk-body govuk-!-margin-bottom-1">Cancelled {t.cancellation.at}.</p>
          <p className="govuk-body govuk-!-margin-bottom-0">Reason: {t.cancellation.reason}</p>
        </div>
      ) : null}
      {t.can.manage ? <OfficerActions t={t} /> : null}
      {/* Interest is registered while bids are open; an organisation already interested may still withdraw. */}
      {t.callOff ? (
        <div className="govuk-inset-text">
          This is a call-off competition under the dynamic market{" "}
          <Link className="govuk-link" to={`/tenders/${t.callOff.marketId}`}>
            {t.callOff.marketTitle}
          </Link>
          , open only to members of {t.callOff.lot}.
        </div>
      ) : null}
      {t.excludedReason ? <WarningText>{t.excludedReason}</WarningText> : null}
      {t.can.registerInterest && !t.excludedReason && (t.open || t.ownInterest) ? <Interest interested={t.ownInterest} organisationName={t.organisationName ?? ""} /> : null}
      {t.participation ? <ParticipationOnTenderPage tenderId={t.id} participation={t.participation} /> : null}
      {t.summary
        .split(/\n\s*\n/)
        .filter((p) => p.trim() !== "")
        .map((p, i) => (
          <p className="govuk-body" key={i}>
            {p}
          </p>
        ))}
      {t.status !== "draft" || t.can.manage ? (
        <nav aria-labelledby="tender-pack">
          <h2 className="govuk-heading-m" id="tender-pack">
            Documents and questions
          </h2>
          <ul className="govuk-list">
            {t.can.applyToMarket ? (
              <li>
                <Link className="govuk-link" to={`/tenders/${t.id}/apply`}>
                  Apply to join this market
                </Link>
              </li>
            ) : null}
            {t.can.viewApplications ? (
              <li>
                <Link className="govuk-link" to={`/tenders/${t.id}/applications`}>
                  Applications and members
                </Link>
              </li>
            ) : null}
            {t.can.bid && t.ownInterest && !t.isMarket && !t.participation?.bidBlocked ? (
              <li>
                <Link className="govuk-link" to={`/tenders/${t.id}/bid`}>
                  Your organisation's bid
                </Link>
              </li>
            ) : null}
            {t.can.viewSubmissions ? (
              <li>
                <Link className="govuk-link" to={`/tenders/${t.id}/bids`}>
                  Bids received
                </Link>
              </li>
            ) : null}
            {t.can.evaluation ? (
              <li>
                <Link className="govuk-link" to={`/tenders/${t.id}/evaluation`}>
                  Evaluation
                </Link>
              </li>
            ) : null}
            {t.can.evaluationReport ? (
              <li>
                <Link className="govuk-link" to={`/tenders/${t.id}/evaluation/report`}>
                  Evaluation report
                </Link>
              </li>
            ) : null}
            {t.can.award ? (
              <li>
                <Link className="govuk-link" to={`/tenders/${t.id}/award`}>
                  Award recommendation
                </Link>
              </li>
            ) : null}
            {t.awardNotice ? (
              <li>
                <Link className="govuk-link" to={`/tenders/${t.id}/award-notice`}>
                  Contract award notice
                </Link>
              </li>
            ) : null}
            {t.can.award ? (
              <li>
                <Link className="govuk-link" to={`/tenders/${t.id}/award/summaries`}>
                  Assessment summaries
                </Link>
              </li>
            ) : null}
            {t.ownSummary ? (
              <li>
                <Link className="govuk-link" to={`/tenders/${t.id}/award/summaries`}>
                  Your assessment summary
                </Link>
              </li>
            ) : null}
            <li>
              <Link className="govuk-link" to={`/tenders/${t.id}/documents`}>
                Tender documents
              </Link>
            </li>
            <li>
              <Link className="govuk-link" to={`/tenders/${t.id}/clarifications`}>
                Clarification questions and answers
              </Link>
            </li>
          </ul>
        </nav>
      ) : null}
      <h2 className="govuk-heading-m">About this tender</h2>
      <SummaryList
        rows={[
          { key: "Procedure", value: t.procedure },
          { key: "Light-touch regime", value: t.lightTouch ? "Applies" : "Does not apply" },
          { key: "Legal basis", value: t.legalBasis },
          { key: "Agreement", value: t.agreement },
          { key: "Led by", value: t.leadCouncil },
          { key: "Estimated value", value: t.estimatedValue },
        ]}
      />
      <h2 className="govuk-heading-m">Timeline (UK time)</h2>
      <SummaryList rows={t.timeline} />
      {t.lots.length === 0 ? (
        <>
          <h2 className="govuk-heading-m">Lots</h2>
          <p className="govuk-body">No lots have been chosen yet.</p>
        </>
      ) : (
        <Table
          caption="Lots"
          rows={t.lots}
          rowKey={(l) => l.id}
          columns={[
            { header: "Lot", cell: (l) => l.name },
            { header: "Prices asked for", cell: (l) => l.priceBasis },
            { header: "Estimated value", cell: (l) => l.value, numeric: true },
          ]}
        />
      )}
      <h2 className="govuk-heading-m">Amendments</h2>
      {t.amendments.length === 0 ? (
        <p className="govuk-body">{t.status === "draft" ? "A tender is amended only after it is published." : "This tender has not been amended."}</p>
      ) : (
        <ol className="govuk-list">
          {t.amendments.map((a) => (
            <li key={a.number} className="govuk-!-margin-bottom-6">
              <h3 className="govuk-heading-s govuk-!-margin-bottom-1">
                Amendment {a.number}, {a.at}
              </h3>
              <p className="govuk-body govuk-!-margin-bottom-1">Reason: {a.reason}</p>
              {a.changesSubmission ? <p className="govuk-body govuk-!-margin-bottom-1">This changes what providers must submit.</p> : null}
              <ul className="govuk-list govuk-list--bullet">
                {a.changes.map((c) => (
                  <li key={c}>{c}</li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      )}
      {t.can.manage ? (
        <>
          <h2 className="govuk-heading-m">Providers interested</h2>
          {t.interestedNames.length === 0 ? (
            <p className="govuk-body">No provider has registered interest yet.</p>
          ) : (
            <ul className="govuk-list govuk-list--bullet">
              {t.interestedNames.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          )}
        </>
      ) : null}
    </>
  );
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;

function OfficerActions({ t }: { t: Loaded }) {
  const links: { to: string; label: string }[] = [];
  if (t.status === "draft") {
    links.push({ to: `/tenders/${t.id}/edit`, label: "Change the details, timeline and lots" });
    links.push({ to: `/tenders/${t.id}/questionnaire`, label: "Change the questionnaire" });
    links.push({ to: `/tenders/${t.id}/publish`, label: "Check and publish" });
  } else {
    links.push({ to: `/tenders/${t.id}/questionnaire`, label: "See the questionnaire" });
  }
  if (t.open) links.push({ to: `/tenders/${t.id}/amend`, label: "Amend this tender" });
  if (t.status !== "cancelled") links.push({ to: `/tenders/${t.id}/cancel`, label: "Cancel this tender" });
  if (t.can.history) links.push({ to: `/tenders/${t.id}/history`, label: "See its history" });
  return (
    <nav className="govuk-!-margin-bottom-6" aria-labelledby="officer-actions">
      <h2 className="govuk-heading-s govuk-!-margin-bottom-2" id="officer-actions">
        Manage this tender
      </h2>
      <ul className="govuk-list">
        {links.map((l) => (
          <li key={l.to}>
            <Link className="govuk-link" to={l.to}>
              {l.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function Interest({ interested, organisationName }: { interested: boolean; organisationName: string }) {
  return (
    <div className="govuk-inset-text">
      {interested ? (
        <>
          <p className="govuk-body">{organisationName} has registered interest: you will be emailed about any amendment or cancellation.</p>
          <PostForm>
            <Button variant="secondary" name="intent" value="withdraw">
              Withdraw interest
            </Button>
          </PostForm>
        </>
      ) : (
        <>
          <p className="govuk-body">Register interest to be emailed about any amendment or cancellation of this tender.</p>
          <PostForm>
            <Button name="intent" value="register">
              Register interest
            </Button>
          </PostForm>
        </>
      )}
    </div>
  );
}
