// The tender's bids for its council's staff. Before opening: which providers
// have a bid in and when it was submitted, nothing else, and the two-officer
// opening (one asks after the deadline, a different one confirms). After
// opening: each provider's counting version with its answers and prices.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { BackLink, Button, ErrorSummary, NotificationBanner, PostForm, SummaryList, Table } from "#app/components/govuk";
import { attachedFileLabel } from "#app/modules/tendering/bids-text";
import { bidsOpened, confirmOpening, openedSubmissions, requestOpening, submissionsForOfficers, tenderOpening } from "#app/modules/tendering/opening";
import { getTender, tenderThing } from "#app/modules/tendering/tenders";
import { allowed } from "#app/policy/policy";
import { actionContext } from "#app/web/context";
import { pounds, ukDateTime } from "#app/web/format";
import { authorise, notFound, requireActor } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";

export const meta: MetaFunction = () => pageMeta("Bids received");

async function tenderFor(request: Request, portal: Parameters<typeof requireActor>[1], tenderId: string | undefined) {
  requireActor(request, portal);
  const view = await getTender(portal.db, tenderId ?? "");
  if (!view) throw notFound();
  const thing = { ...tenderThing(view), bidsOpened: await bidsOpened(portal.db, view.tender.id) };
  const actor = authorise(request, portal, "bid.viewSubmissions", thing);
  return { view, thing, actor };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const { view, thing, actor } = await tenderFor(request, portal, params.tenderId);
  const deadline = view.tender.submission_deadline_at;
  const opening = await tenderOpening(portal.db, view.tender.id);
  const opened = allowed(actor, "bid.readSubmitted", thing) ? await openedSubmissions(portal.db, view.tender.id, actor) : null;
  return {
    tender: { id: view.tender.id, title: view.tender.title, deadline: deadline ? ukDateTime(deadline) : null, deadlinePassed: deadline !== null && deadline.getTime() <= Date.now() },
    submitted: (await submissionsForOfficers(portal.db, view.tender.id)).map((s) => ({ name: s.organisationName, at: ukDateTime(s.submittedAt) })),
    opening: opening
      ? {
          requestedBy: opening.requestedBy,
          requestedAt: ukDateTime(opening.requestedAt),
          byMe: opening.requestedById === actor.userId,
          confirmedBy: opening.confirmedBy,
          confirmedAt: opening.confirmedAt ? ukDateTime(opening.confirmedAt) : null,
        }
      : null,
    mayOpen: allowed(actor, "bid.open", thing),
    opened: opened?.map((b) => ({
      organisation: b.organisation.name,
      version: b.number,
      submittedAt: ukDateTime(b.submittedAt),
      fingerprint: b.fingerprint,
      lots: b.lots.map((l) => `Lot ${l.number}: ${l.title}`).join("; "),
      answers: b.answers.map((a) => ({
        label: `${a.number} ${a.question}`,
        answer: a.kind === "quality" ? a.answerText ?? "Not answered" : a.kind === "pass_fail" ? (a.meetsRequirement ? "Yes" : "No") : a.declared ? "Declared" : "Not declared",
        // Uploaded evidence and documents from the provider's evidence library, each with its SHA-256 as submitted.
        files: a.files.map((f) => ({ href: `/tenders/${view.tender.id}/bids/files/${f.fileId}`, label: attachedFileLabel(f), sha256: f.sha256 })),
      })),
      prices: b.prices.map((p) => ({ label: `Lot ${p.lotNumber}: ${p.label}`, amount: `${pounds(p.amountPence)} per ${p.unit}` })),
    })) ?? null,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { view, thing } = await tenderFor(request, portal, params.tenderId);
  authorise(request, portal, "bid.open", thing);
  const intent = (await request.formData()).get("intent");
  try {
    if (intent === "request") await portal.db.transaction().execute((trx) => requestOpening(trx, { tenderId: view.tender.id }, actionContext(portal)));
    else if (intent === "confirm") await portal.db.transaction().execute((trx) => confirmOpening(trx, { tenderId: view.tender.id }, actionContext(portal)));
    else return data({ errors: { form: "Choose what to do" } as Record<string, string> }, { status: 400 });
  } catch (error) {
    const errors = refusalErrors(error);
    if (errors) return data({ errors }, { status: 400 });
    throw error;
  }
  return redirect(`/tenders/${view.tender.id}/bids`, {
    headers: { "Set-Cookie": portal.flashCookie({ title: intent === "request" ? "You have asked for the bids to be opened" : "The bids are open" }) },
  });
}

export default function BidsReceived() {
  const { tender, submitted, opening, mayOpen, opened } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <BackLink to={`/tenders/${tender.id}`}>Back to the tender</BackLink>
      <ErrorSummary errors={result?.errors} />
      <span className="govuk-caption-l">{tender.title}</span>
      <h1 className="govuk-heading-l">Bids received</h1>
      <p className="govuk-body">
        {tender.deadline ? (tender.deadlinePassed ? `The deadline was ${tender.deadline}.` : `The deadline is ${tender.deadline}.`) : null} Bids stay sealed until one
        commissioning officer asks for them to be opened after the deadline and a different one confirms it.
      </p>
      <Table
        caption={`${submitted.length} ${submitted.length === 1 ? "provider has" : "providers have"} a bid in`}
        rows={submitted}
        rowKey={(s) => s.name}
        columns={[
          { header: "Provider", cell: (s) => s.name },
          { header: "Submitted", cell: (s) => s.at },
        ]}
      />
      <h2 className="govuk-heading-m">Opening</h2>
      {opening ? (
        <SummaryList
          rows={[
            { key: "Asked for by", value: `${opening.requestedBy}, ${opening.requestedAt}` },
            { key: "Confirmed by", value: opening.confirmedBy ? `${opening.confirmedBy}, ${opening.confirmedAt}` : "Waiting for a different commissioning officer" },
          ]}
        />
      ) : (
        <p className="govuk-body">No one has asked for the bids to be opened yet.</p>
      )}
      {opening && opening.byMe && !opening.confirmedAt ? (
        <p className="govuk-body">You asked for the opening, so a different commissioning officer of your council confirms it.</p>
      ) : null}
      {mayOpen && tender.deadlinePassed && !opening?.confirmedAt && !opening?.byMe ? (
        <PostForm>
          {opening ? (
            <Button name="intent" value="confirm">
              Confirm the opening
            </Button>
          ) : (
            <Button name="intent" value="request">
              Ask for the bids to be opened
            </Button>
          )}
        </PostForm>
      ) : null}
      {opened ? (
        <>
          <h2 className="govuk-heading-m">Opened bids</h2>
          {opened.map((b) => (
            <details className="govuk-details" key={b.organisation}>
              <summary className="govuk-details__summary">
                <span className="govuk-details__summary-text">{b.organisation}</span>
              </summary>
              <div className="govuk-details__text">
                <SummaryList
                  rows={[
                    { key: "Version", value: `${b.version}, submitted ${b.submittedAt}` },
                    { key: "Lots", value: b.lots },
                    { key: "Fingerprint (SHA-256)", value: <span className="portal-hash">{b.fingerprint}</span> },
                    ...b.answers.map((a) => ({
                      key: a.label,
                      value: (
                        <>
                          <span className="portal-preserve-lines">{a.answer}</span>
                          {a.files.map((f) => (
                            <span className="portal-audit-line" key={f.sha256}>
                              File:{" "}
                              <a className="govuk-link" href={f.href}>
                                {f.label}
                              </a>{" "}
                              <span className="portal-hash">{f.sha256}</span>
                            </span>
                          ))}
                        </>
                      ),
                    })),
                    ...b.prices.map((p) => ({ key: p.label, value: p.amount })),
                  ]}
                />
              </div>
            </details>
          ))}
        </>
      ) : null}
    </>
  );
}
