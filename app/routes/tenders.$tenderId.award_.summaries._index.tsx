// Assessment summaries (decision 029). A commissioning officer sends them,
// once, after the award decision is approved: the page says why not before
// then, lists what each bidder will be told, and after sending who sent them
// and when, with each bidder's summary as a PDF. A provider's users read
// their own summary here, and download it as a PDF.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { BackLink, Button, ErrorSummary, PostForm, SummaryList, Table } from "#app/components/govuk";
import { readableTender, tenderFor } from "#app/components/tendering/load.server";
import { ownSummaries, sendAssessmentSummaries, summariesOverview, type SummaryLot } from "#app/modules/awards/assessment-summaries";
import { tenderThing } from "#app/modules/tendering/tenders";
import { allowed } from "#app/policy/policy";
import { actionContext } from "#app/web/context";
import type { FieldErrors } from "#app/web/forms";
import { authorise, requireActor } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";
import { formatUkDateTime } from "#emails/format";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageMeta(data ? `${data.kind === "provider" ? "Your assessment summary" : "Assessment summaries"}: ${data.tenderTitle}` : "Assessment summaries");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const signedIn = requireActor(request, portal);
  if (signedIn.organisationKind === "provider") {
    const view = await readableTender(portal, params.tenderId);
    const actor = authorise(request, portal, "assessmentSummary.readOwn", { kind: "organisation", id: signedIn.organisationId, organisationKind: "provider" });
    const summaries = await ownSummaries(portal.db, view.tender.id, actor);
    return {
      kind: "provider" as const,
      tenderId: view.tender.id,
      tenderTitle: view.tender.title,
      summaries: summaries.map((s) => ({ bidId: s.bidId, sent: `${formatUkDateTime(s.sentAt)}`, lots: s.content.lots, bidderName: s.content.bidderName })),
    };
  }
  const { view, actor } = await tenderFor(request, portal, params.tenderId, "assessmentSummary.view");
  const overview = await summariesOverview(portal.db, view.tender.id, actor);
  return {
    kind: "council" as const,
    tenderId: view.tender.id,
    tenderTitle: view.tender.title,
    sent: overview.sending ? { at: formatUkDateTime(overview.sending.sentAt), by: overview.sending.sentBy } : null,
    notYet: overview.notYet,
    bidders: overview.bidders,
    canSend: !overview.sending && !overview.notYet && allowed(actor, "assessmentSummary.send", tenderThing(view)),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { view } = await tenderFor(request, portal, params.tenderId, "assessmentSummary.send");
  try {
    const { sentTo } = await portal.db.transaction().execute((trx) => sendAssessmentSummaries(trx, { tenderId: view.tender.id }, actionContext(portal), { baseUrl: portal.baseUrl }));
    return redirect(`/tenders/${view.tender.id}/award/summaries`, {
      headers: { "Set-Cookie": portal.flashCookie({ title: "Assessment summaries sent", body: `Each bidder's users have been emailed: ${sentTo.join(", ")}.` }) },
    });
  } catch (error) {
    const errors = refusalErrors(error);
    if (!errors) throw error;
    return data({ errors }, { status: 400 });
  }
}

export default function AssessmentSummaries() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.errors as FieldErrors | undefined;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={page.kind === "council" ? `/tenders/${page.tenderId}/award` : `/tenders/${page.tenderId}`}>{page.kind === "council" ? "Back to the award recommendation" : "Back to the tender"}</BackLink>
        <ErrorSummary errors={errors} order={["form"]} href={() => "#send"} />
        <span className="govuk-caption-l">{page.tenderTitle}</span>
        {page.kind === "provider" ? <ProviderSummaries page={page} /> : <CouncilSummaries page={page} error={errors?.form} />}
      </div>
    </div>
  );
}

type CouncilPage = Extract<ReturnType<typeof useLoaderData<typeof loader>>, { kind: "council" }>;
type ProviderPage = Extract<ReturnType<typeof useLoaderData<typeof loader>>, { kind: "provider" }>;

function CouncilSummaries({ page, error }: { page: CouncilPage; error: string | undefined }) {
  return (
    <>
      <h1 className="govuk-heading-l">Assessment summaries</h1>
      {page.sent ? (
        <div className="govuk-inset-text">
          Sent by {page.sent.by} at {page.sent.at}.
        </div>
      ) : page.notYet ? (
        <p className="govuk-body">{page.notYet}.</p>
      ) : (
        <p className="govuk-body">
          Each bidder is told, for every lot it bid for, the award criteria and their weightings, its own scores with the agreed reasons, its price score, total and rank, and whether it was
          successful. An unsuccessful bidder also gets the successful bid's scores beside its own, or the reason its bid went no further. Every active user of each bidder is emailed. Summaries are
          sent once and cannot be changed after.
        </p>
      )}
      {page.bidders.length > 0 ? (
        <Table
          caption={page.sent ? "What each bidder was told" : "What each bidder will be told"}
          columns={[
            { header: "Bidder", cell: (b) => b.bidderName },
            { header: "Outcome", cell: (b) => b.outcomes.join("; ") },
            ...(page.sent
              ? [
                  {
                    header: "Summary",
                    cell: (b: CouncilPage["bidders"][number]) => (
                      <a className="govuk-link" href={`/tenders/${page.tenderId}/award/summaries/${b.bidId}.pdf`}>
                        Download (PDF)<span className="govuk-visually-hidden"> for {b.bidderName}</span>
                      </a>
                    ),
                  },
                ]
              : []),
          ]}
          rows={page.bidders}
          rowKey={(b) => b.bidId}
        />
      ) : null}
      {page.canSend || error ? (
        <PostForm>
          <div className={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
            {error ? (
              <p className="govuk-error-message" id="send-error">
                <span className="govuk-visually-hidden">Error:</span> {error}
              </p>
            ) : null}
            <span id="send" tabIndex={-1} />
            {page.canSend ? <Button>Send assessment summaries</Button> : null}
          </div>
        </PostForm>
      ) : null}
      <p className="govuk-body">
        <Link className="govuk-link" to={`/tenders/${page.tenderId}`}>
          See the tender
        </Link>
      </p>
    </>
  );
}

function LotSummary({ lot }: { lot: SummaryLot }) {
  return (
    <>
      <h3 className="govuk-heading-m">{lot.lot}</h3>
      <p className="govuk-body govuk-!-font-weight-bold">{lot.outcome}</p>
      <SummaryList
        rows={[
          { key: "Your total", value: lot.total },
          { key: "Your rank", value: lot.rank },
          ...(lot.comparedWith ? [{ key: "The successful bid", value: `${lot.comparedWith}: total ${lot.successfulTotal ?? ""}` }] : []),
        ]}
      />
      {lot.criteria.map((c) => (
        <div key={c.criterion}>
          <h4 className="govuk-heading-s">{c.criterion}</h4>
          <SummaryList
            rows={[
              { key: "Weighting", value: c.weighting },
              { key: "Your score", value: `${c.yourScore}: ${c.yourPoints} points` },
              ...(c.successfulScore ? [{ key: "The successful bid's score", value: `${c.successfulScore}: ${c.successfulPoints ?? ""} points` }] : []),
              { key: "Reasons", value: c.reasons },
            ]}
          />
        </div>
      ))}
      <h4 className="govuk-heading-s">Price</h4>
      <SummaryList
        rows={[
          { key: "Weighting", value: lot.price.weighting },
          { key: "How price was scored", value: lot.price.method },
          { key: "Your price", value: lot.price.yourPrice },
          { key: "Your price score", value: `${lot.price.yourScore}. ${lot.price.explanation}` },
          ...(lot.price.successfulPrice ? [{ key: "The successful bid's price", value: `${lot.price.successfulPrice}, scoring ${lot.price.successfulScore ?? ""}` }] : []),
        ]}
      />
      {lot.furtherReasons.length > 0 ? (
        <>
          <h4 className="govuk-heading-s">Why your bid was not successful</h4>
          {lot.furtherReasons.map((r) => (
            <p className="govuk-body" key={r}>
              {r}
            </p>
          ))}
        </>
      ) : null}
    </>
  );
}

function ProviderSummaries({ page }: { page: ProviderPage }) {
  return (
    <>
      <h1 className="govuk-heading-l">Your assessment summary</h1>
      {page.summaries.length === 0 ? <p className="govuk-body">Your assessment summary has not been sent yet.</p> : null}
      {page.summaries.map((s) => (
        <section key={s.bidId}>
          <p className="govuk-body">
            The council sent this summary of how {s.bidderName}'s bid was assessed at {s.sent}.{" "}
            <a className="govuk-link" href={`/tenders/${page.tenderId}/award/summaries/${s.bidId}.pdf`}>
              Download your assessment summary (PDF)
            </a>
          </p>
          <h2 className="govuk-visually-hidden">Each lot you bid for</h2>
          {s.lots.map((lot) => (
            <LotSummary key={lot.lot} lot={lot} />
          ))}
        </section>
      ))}
    </>
  );
}
