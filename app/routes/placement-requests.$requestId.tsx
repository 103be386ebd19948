import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { BackLink, Button, ErrorSummary, PostForm, SummaryList, Table, Tag, Textarea, TextInput } from "#app/components/govuk";
import { WarningText } from "#app/components/WarningText";
import { ofstedGradeLabel } from "#app/modules/homes/homes";
import { acceptOffer, checkWeights, compareOffers, declineReasons, DEFAULT_OFFER_WEIGHTS, DECLINE_REASON_LABELS, requestDeclines, type OfferWeights } from "#app/modules/placements/offers";
import { listPlacements } from "#app/modules/placements/placements";
import { closedMessage, councilRequest, needLabelMap, REQUEST_STATUS_LABELS, requestDetails, requestRecipients } from "#app/modules/placements/requests";
import { withdrawPlacementRequest } from "#app/modules/placements/sending";
import { ActionRefused } from "#app/modules/errors";
import { allowed } from "#app/policy/policy";
import { actionContext } from "#app/web/context";
import { keptValues, type FieldErrors } from "#app/web/forms";
import { pounds, ukDate, ukDateTime } from "#app/web/format";
import { authorise, notFound, requireActor } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `Placement request ${data.request.childReference}` : "Placement request");

const WEIGHT_FIELDS: { key: keyof OfferWeights; label: string }[] = [
  { key: "fee", label: "Weight for weekly cost" },
  { key: "distance", label: "Weight for distance" },
  { key: "grade", label: "Weight for Ofsted grade" },
  { key: "freshness", label: "Weight for an up-to-date vacancy" },
];

async function ownRequest(request: Request, portal: Parameters<typeof requireActor>[1], requestId: string) {
  const actor = requireActor(request, portal);
  const found = await councilRequest(portal.db, requestId, actor.organisationId);
  if (!found) throw notFound();
  return { actor, found };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const { actor, found } = await ownRequest(request, portal, params.requestId ?? "");
  authorise(request, portal, "placementRequest.view", { kind: "placementRequest", councilId: found.councilId });
  const search = new URL(request.url).searchParams;
  const typed = Object.fromEntries(WEIGHT_FIELDS.map((w) => [w.key, search.get(w.key) ?? String(DEFAULT_OFFER_WEIGHTS[w.key])])) as Record<keyof OfferWeights, string>;
  let weights = DEFAULT_OFFER_WEIGHTS;
  const errors: FieldErrors = {};
  try {
    weights = checkWeights(Object.fromEntries(WEIGHT_FIELDS.map((w) => [w.key, /^\d+$/.test(typed[w.key].trim()) ? Number(typed[w.key]) : Number.NaN])) as unknown as OfferWeights);
  } catch (error) {
    if (!(error instanceof ActionRefused)) throw error;
    errors[error.field?.replace("weights.", "weight-") ?? "form"] = `${error.message}. The offers are ranked by the usual weights until then`;
  }
  const now = new Date();
  const [offers, recipients, declines, reasons, labels] = await Promise.all([
    compareOffers(portal.db, found.id, weights, now),
    requestRecipients(portal.db, found.id),
    requestDeclines(portal.db, found.id),
    declineReasons(portal.db, { councilId: found.councilId, requestId: found.id }),
    needLabelMap(portal.db),
  ]);
  const placement = found.status === "placed" ? (await listPlacements(portal.db, { requestId: found.id, councilId: found.councilId }, 1))[0] : undefined;
  return {
    placementId: placement?.id ?? null,
    request: { ...found, deadline: found.deadline.toISOString(), createdAt: found.createdAt.toISOString() },
    details: requestDetails(found, labels),
    closed: closedMessage(found, now),
    canManage: allowed(actor, "placementRequest.manage", { kind: "placementRequest", councilId: found.councilId }),
    typedWeights: typed,
    weightErrors: errors,
    offers: offers.map((o) => ({ ...o, madeAt: o.madeAt.toISOString(), vacancyConfirmedAt: o.vacancyConfirmedAt?.toISOString() ?? null })),
    recipients: recipients.map((r) => ({ ...r, dueAt: r.dueAt.toISOString(), sentAt: r.sentAt?.toISOString() ?? null })),
    declines: declines.map((d) => ({ ...d, declined_at: d.declined_at.toISOString() })),
    reasons: reasons.filter((r) => r.count > 0),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { found } = await ownRequest(request, portal, params.requestId ?? "");
  authorise(request, portal, "placementRequest.manage", { kind: "placementRequest", councilId: found.councilId });
  const form = await request.formData();
  const fields = keptValues(form);
  const expectedVersion = Number(fields.expectedVersion);
  const links = { baseUrl: portal.baseUrl };
  try {
    if (fields.intent === "withdraw") {
      await portal.db.transaction().execute((trx) => withdrawPlacementRequest(trx, { requestId: found.id, expectedVersion, reason: fields.reason ?? "" }, actionContext(portal), links));
      return redirect(`/placement-requests/${found.id}`, { headers: { "Set-Cookie": portal.flashCookie({ title: "Request withdrawn", body: "Every provider it was sent to has been told." }) } });
    }
    const share = (name: string) => {
      const text = (fields[name] ?? "").trim();
      return text === "" ? 0 : /^\d+$/.test(text) ? Number(text) : Number.NaN;
    };
    if (!fields.offerId) return data({ errors: { offerId: "Select the offer to accept" } as FieldErrors, fields }, { status: 400 });
    await portal.db.transaction().execute((trx) =>
      acceptOffer(
        trx,
        { requestId: found.id, offerId: fields.offerId!, expectedVersion, funding: { council: share("council"), health: share("health"), education: share("education") } },
        actionContext(portal),
        links,
      ),
    );
    return redirect(`/placement-requests/${found.id}`, {
      headers: { "Set-Cookie": portal.flashCookie({ title: "Offer accepted and placement made", body: "The provider has been told, and so has every provider whose offer was not taken." }) },
    });
  } catch (error) {
    const errors = refusalErrors(error);
    if (!errors) throw error;
    const mapped: FieldErrors = {};
    for (const [field, message] of Object.entries(errors)) mapped[field.startsWith("funding.") ? field.slice(8) : field] = message;
    return data({ errors: mapped, fields }, { status: 400 });
  }
}

function cost(o: { weeklyFeePence: number; additionalSupportWeeklyPence: number | null; additionalSupportReason: string | null }) {
  return o.additionalSupportWeeklyPence
    ? `${pounds(o.weeklyFeePence)} plus ${pounds(o.additionalSupportWeeklyPence)} for ${o.additionalSupportReason ?? "additional support"}`
    : pounds(o.weeklyFeePence);
}

export default function PlacementRequestPage() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const r = d.request;
  const errors = { ...d.weightErrors, ...(result?.errors ?? {}) };
  const f = result?.fields ?? {};
  const open = d.closed === null;
  const made = d.offers.filter((o) => o.status === "made");
  return (
    <>
      <BackLink to="/placement-requests" />
      <ErrorSummary errors={errors} order={["weight-fee", "weight-distance", "weight-grade", "weight-freshness", "offerId", "council", "health", "education", "reason", "form"]} />
      <span className="govuk-caption-l">{r.councilName}</span>
      <h1 className="govuk-heading-l">Placement request {r.childReference}</h1>
      <p className="govuk-body">
        <Tag colour={r.status === "open" ? "blue" : r.status === "placed" ? "green" : "grey"}>{REQUEST_STATUS_LABELS[r.status]}</Tag>
        {r.statusReason ? <> {r.statusReason}</> : null}
      </p>
      {d.placementId ? (
        <p className="govuk-body">
          <Link className="govuk-link" to={`/placements/${d.placementId}`}>
            See the placement, or end it
          </Link>
        </p>
      ) : null}
      <SummaryList
        rows={[
          { key: "Agreement and lot", value: `${r.agreementTitle}, ${r.lotTitle}` },
          { key: "The need", value: <ul className="govuk-list">{d.details.map((line) => <li key={line}>{line}</li>)}</ul> },
          { key: "Furthest distance", value: r.maxDistanceMiles ? `${r.maxDistanceMiles} miles` : "Not limited" },
          { key: "Weekly budget guidance", value: r.budgetWeeklyPence ? pounds(r.budgetWeeklyPence) : "None given" },
          { key: "Summary for providers", value: r.summary },
          ...(r.summaryWarnings.length ? [{ key: "Summary checked", value: `Warnings confirmed by the officer: ${r.summaryWarnings.join("; ")}` }] : []),
          {
            key: "Sent",
            value: `${ukDateTime(r.createdAt)}, ${r.sending === "all" ? "to every matching home at once" : `to preferred providers first, with ${r.tier1WindowHours} hours on their own`}`,
          },
          { key: "Offers due by", value: ukDateTime(r.deadline) },
        ]}
      />

      <h2 className="govuk-heading-m">Offers</h2>
      {d.offers.length === 0 ? (
        <p className="govuk-body">No offers yet.</p>
      ) : (
        <>
          <Form method="get" className="govuk-!-margin-bottom-6">
            <div className="govuk-form-group">
              <fieldset className="govuk-fieldset" aria-describedby="weights-hint">
                <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">How offers are ranked</legend>
                <div className="govuk-hint" id="weights-hint">
                  Each criterion scores from 0 to 1 and the score is their weighted average, out of 100: the lowest weekly cost among the offers scores 1; the nearest home
                  scores 1; Outstanding scores 1, Good 2 in 3, Requires improvement 1 in 3; a vacancy confirmed in the last 7 days scores 1, falling to 0 at 35 days.
                </div>
                {WEIGHT_FIELDS.map((w) => (
                  <TextInput key={w.key} id={`weight-${w.key}`} name={w.key} label={w.label} width="10" defaultValue={d.typedWeights[w.key]} error={errors[`weight-${w.key}`]} />
                ))}
              </fieldset>
            </div>
            <Button variant="secondary">Rank again</Button>
          </Form>
          <Table
            caption="Offers compared, best first"
            rows={d.offers}
            rowKey={(o) => o.offerId}
            columns={[
              { header: "Rank", cell: (o) => String(o.rank), numeric: true },
              { header: "Home", cell: (o) => `${o.homeName} (${o.providerName})` },
              { header: "Weekly cost", cell: (o) => <>{cost(o)}{o.overBudget ? <> <Tag colour="orange">Over budget</Tag></> : null}</> },
              { header: "From", cell: (o) => ukDate(o.startOn) },
              { header: "Distance", cell: (o) => (o.distanceMiles === null ? "Unknown" : `${o.distanceMiles} miles`) },
              { header: "Ofsted", cell: (o) => ofstedGradeLabel(o.ofstedGrade) },
              { header: "Vacancy confirmed", cell: (o) => (o.vacancyConfirmedAt ? ukDate(new Date(o.vacancyConfirmedAt)) : "Never") },
              { header: "Score", cell: (o) => o.score.toFixed(1), numeric: true },
              { header: "Status", cell: (o) => (o.status === "made" ? "Offered" : o.status === "accepted" ? "Accepted" : "Not taken") },
            ]}
          />
          {d.offers.some((o) => o.notes) ? (
            <>
              <h3 className="govuk-heading-s">Providers' notes</h3>
              <ul className="govuk-list">
                {d.offers.filter((o) => o.notes).map((o) => (
                  <li key={o.offerId}>
                    <strong>{o.homeName}:</strong> {o.notes}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      )}

      {open && d.canManage && made.length > 0 ? (
        <PostForm>
          <input type="hidden" name="expectedVersion" value={r.version} />
          <input type="hidden" name="intent" value="accept" />
          <div className={`govuk-form-group${errors.offerId ? " govuk-form-group--error" : ""}`}>
            <fieldset className="govuk-fieldset" aria-describedby={errors.offerId ? "offerId-error" : undefined}>
              <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">
                <h2 className="govuk-fieldset__heading">Accept an offer</h2>
              </legend>
              {errors.offerId ? (
                <p id="offerId-error" className="govuk-error-message">
                  <span className="govuk-visually-hidden">Error:</span> {errors.offerId}
                </p>
              ) : null}
              <div className="govuk-radios" data-module="govuk-radios">
                {made.map((o, i) => (
                  <div className="govuk-radios__item" key={o.offerId}>
                    <input className="govuk-radios__input" id={i === 0 ? "offerId" : `offerId-${i + 1}`} name="offerId" type="radio" value={o.offerId} defaultChecked={f.offerId === o.offerId} />
                    <label className="govuk-label govuk-radios__label" htmlFor={i === 0 ? "offerId" : `offerId-${i + 1}`}>
                      {o.homeName} ({o.providerName}), {cost(o)} a week from {ukDate(o.startOn)}
                    </label>
                  </div>
                ))}
              </div>
            </fieldset>
          </div>
          <div className="govuk-form-group">
            <fieldset className="govuk-fieldset" aria-describedby="funding-hint">
              <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Who pays, in whole percent</legend>
              <div className="govuk-hint" id="funding-hint">
                The three shares must add up to 100.
              </div>
              <TextInput name="council" label="Council" width="10" defaultValue={f.council ?? "100"} error={errors.council} />
              <TextInput name="health" label="Health" width="10" defaultValue={f.health ?? "0"} error={errors.health} />
              <TextInput name="education" label="Education" width="10" defaultValue={f.education ?? "0"} error={errors.education} />
            </fieldset>
          </div>
          <Button>Accept offer and make the placement</Button>
        </PostForm>
      ) : null}

      <h2 className="govuk-heading-m">Declines</h2>
      {d.declines.length === 0 ? (
        <p className="govuk-body">No declines.</p>
      ) : (
        <Table
          caption="Why providers declined"
          rows={d.declines}
          rowKey={(x) => x.id}
          columns={[
            { header: "Home", cell: (x) => `${x.home_name} (${x.provider_name})` },
            { header: "Reason", cell: (x) => `${DECLINE_REASON_LABELS[x.reason]}${x.details ? `: ${x.details}` : ""}` },
            { header: "Declined", cell: (x) => ukDateTime(x.declined_at) },
          ]}
        />
      )}
      {d.reasons.length > 1 ? (
        <ul className="govuk-list govuk-list--bullet">
          {d.reasons.map((x) => (
            <li key={x.reason}>
              {x.label}: {x.count}
            </li>
          ))}
        </ul>
      ) : null}

      <Table
        caption="Homes it was sent to"
        rows={d.recipients}
        rowKey={(x) => x.homeId}
        columns={[
          { header: "Home", cell: (x) => x.homeName },
          { header: "Provider", cell: (x) => x.providerName },
          { header: "Tier", cell: (x) => (r.sending === "all" ? "All at once" : x.tier === 1 ? "Preferred" : x.tier === 2 ? "Second" : "Everyone else") },
          { header: "Sent", cell: (x) => (x.sentAt ? ukDateTime(x.sentAt) : `Due ${ukDateTime(x.dueAt)}`) },
          { header: "Answer", cell: (x) => (x.response === "offer" ? "Offered" : x.response === "decline" ? "Declined" : "None yet") },
        ]}
      />

      {open && d.canManage ? (
        <PostForm>
          <input type="hidden" name="expectedVersion" value={r.version} />
          <input type="hidden" name="intent" value="withdraw" />
          <h2 className="govuk-heading-m">Withdraw this request</h2>
          <WarningText>Every provider it was sent to is told, and no more offers can be made.</WarningText>
          <Textarea name="reason" label="Why are you withdrawing it?" rows={3} defaultValue={f.reason} error={errors.reason} />
          <Button variant="warning">Withdraw request</Button>
        </PostForm>
      ) : null}
      {!open ? <p className="govuk-body">{d.closed}.</p> : null}
    </>
  );
}
