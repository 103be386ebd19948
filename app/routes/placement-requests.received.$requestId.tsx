import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { BackLink, Button, DateInput, ErrorSummary, PostForm, Select, SummaryList, Table, Tag, Textarea, TextInput } from "#app/components/govuk";
import { parseDateInput, typedDateFromIso, type DatePart } from "#app/modules/common/date-input";
import { declineRequest, DECLINE_REASON_LABELS, makeOffer, ownResponses } from "#app/modules/placements/offers";
import { closedMessage, needLabelMap, receivedRequest, REQUEST_STATUS_LABELS, requestDetails } from "#app/modules/placements/requests";
import { actionContext } from "#app/web/context";
import { keptValues, type FieldErrors } from "#app/web/forms";
import { pounds, ukDate, ukDateTime } from "#app/web/format";
import { authorise, notFound } from "#app/web/guard.server";
import { penceFromPounds } from "#app/web/money";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `Placement request ${data.request.childReference}` : "Placement request");

const OFFER_FIELDS = ["offerHomeId", "weeklyFee", "offerStart-day", "offerStart-month", "offerStart-year", "additionalSupport", "additionalSupportReason", "notes"];
const DECLINE_FIELDS = ["declineHomeId", "reason", "details"];

async function received(request: Request, portal: Parameters<typeof authorise>[1], requestId: string) {
  const actor = authorise(request, portal, "placementRequest.respond");
  const found = await receivedRequest(portal.db, requestId, actor.organisationId);
  if (!found) throw notFound();
  return { actor, found };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const { actor, found } = await received(request, portal, params.requestId ?? "");
  const [responses, labels] = await Promise.all([ownResponses(portal.db, found.id, actor.organisationId), needLabelMap(portal.db)]);
  return {
    request: {
      id: found.id,
      childReference: found.childReference,
      councilName: found.councilName,
      lot: `${found.agreementTitle}, ${found.lotTitle}`,
      status: found.status,
      budgetWeeklyPence: found.budgetWeeklyPence,
      summary: found.summary,
      startOn: found.startOn,
      deadline: found.deadline.toISOString(),
    },
    details: requestDetails(found, labels),
    closed: closedMessage(found, new Date()),
    homes: found.homes.map((h) => ({ homeId: h.homeId, homeName: h.homeName, response: h.response, distanceMiles: h.distanceMiles })),
    offers: responses.offers.map((o) => ({ ...o, made_at: o.made_at.toISOString() })),
    declines: responses.declines.map((x) => ({ ...x, declined_at: x.declined_at.toISOString() })),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { found } = await received(request, portal, params.requestId ?? "");
  const form = await request.formData();
  const fields = keptValues(form);
  const links = { baseUrl: portal.baseUrl };
  const errors: FieldErrors = {};
  let dateParts: DatePart[] = [];
  try {
    if (fields.intent === "decline") {
      if (!fields.declineHomeId) return data({ errors: { declineHomeId: "Select the home you are declining for" } as FieldErrors, fields, dateParts }, { status: 400 });
      await portal.db.transaction().execute((trx) =>
        declineRequest(trx, { requestId: found.id, homeId: fields.declineHomeId ?? "", reason: fields.reason ?? "", details: fields.details ?? null }, actionContext(portal), links),
      );
      return redirect(`/placement-requests/received/${found.id}`, { headers: { "Set-Cookie": portal.flashCookie({ title: "Decline sent", body: `${found.councilName} has been told, with your reason.` }) } });
    }
    if (!fields.offerHomeId) errors.offerHomeId = "Select the home you are offering";
    const fee = penceFromPounds(fields.weeklyFee, "Weekly fee");
    if (fee.kind !== "pence") errors.weeklyFee = fee.kind === "problem" ? fee.message : "Enter the weekly fee in pounds";
    const support = penceFromPounds(fields.additionalSupport, "Additional support cost");
    if (support.kind === "problem") errors.additionalSupport = support.message;
    const start = parseDateInput({ day: fields["offerStart-day"], month: fields["offerStart-month"], year: fields["offerStart-year"] }, "Start date");
    if (start.kind !== "date") {
      dateParts = start.kind === "problem" ? start.parts : ["day", "month", "year"];
      errors[`offerStart-${dateParts[0]}`] = start.kind === "problem" ? start.message : "Enter the start date you can offer";
    }
    if (Object.keys(errors).length > 0 || fee.kind !== "pence" || start.kind !== "date") return data({ errors, fields, dateParts }, { status: 400 });
    await portal.db.transaction().execute((trx) =>
      makeOffer(
        trx,
        {
          requestId: found.id,
          homeId: fields.offerHomeId ?? "",
          weeklyFeePence: fee.pence,
          startOn: start.iso,
          additionalSupportWeeklyPence: support.kind === "pence" ? support.pence : null,
          additionalSupportReason: fields.additionalSupportReason ?? null,
          notes: fields.notes ?? null,
        },
        actionContext(portal),
        links,
      ),
    );
    return redirect(`/placement-requests/received/${found.id}`, { headers: { "Set-Cookie": portal.flashCookie({ title: "Offer sent", body: `${found.councilName} will compare it with any other offers.` }) } });
  } catch (error) {
    const refused = refusalErrors(error);
    if (!refused) throw error;
    const fieldNames: Record<string, string> = {
      weeklyFeePence: "weeklyFee",
      startOn: "offerStart-day",
      additionalSupportWeeklyPence: "additionalSupport",
      homeId: fields.intent === "decline" ? "declineHomeId" : "offerHomeId",
    };
    for (const [field, message] of Object.entries(refused)) errors[fieldNames[field] ?? field] = message;
    return data({ errors, fields, dateParts }, { status: 400 });
  }
}

export default function ReceivedRequest() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const e = result?.errors ?? {};
  const f = result?.fields ?? {};
  const r = d.request;
  const waiting = d.homes.filter((h) => h.response === null);
  const homeChoice = (name: string, error?: string) =>
    waiting.length === 1 ? (
      <>
        <input type="hidden" name={name} value={waiting[0]!.homeId} />
        <p className="govuk-body">For {waiting[0]!.homeName}.</p>
      </>
    ) : (
      <Select name={name} label="Home" options={[{ value: "", label: "Select a home" }, ...waiting.map((h) => ({ value: h.homeId, label: h.homeName }))]} defaultValue={f[name] ?? ""} error={error} />
    );
  const offerStart = f["offerStart-day"] !== undefined ? { day: f["offerStart-day"], month: f["offerStart-month"], year: f["offerStart-year"] } : typedDateFromIso(r.startOn);
  const startKey = Object.keys(e).find((k) => k.startsWith("offerStart-"));
  return (
    <>
      <BackLink to="/placement-requests" />
      <ErrorSummary errors={e} order={[...OFFER_FIELDS, ...DECLINE_FIELDS, "form"]} />
      <span className="govuk-caption-l">{r.councilName}</span>
      <h1 className="govuk-heading-l">Placement request {r.childReference}</h1>
      <p className="govuk-body">
        <Tag colour={r.status === "open" && !d.closed ? "blue" : "grey"}>{d.closed ? REQUEST_STATUS_LABELS[r.status === "open" ? "closed" : r.status] : REQUEST_STATUS_LABELS.open}</Tag>
      </p>
      <SummaryList
        rows={[
          { key: "Agreement and lot", value: r.lot },
          { key: "The need", value: <ul className="govuk-list">{d.details.map((line) => <li key={line}>{line}</li>)}</ul> },
          { key: "Weekly budget guidance", value: r.budgetWeeklyPence ? pounds(r.budgetWeeklyPence) : "None given" },
          { key: "Summary", value: r.summary },
          { key: "Answer by", value: ukDateTime(r.deadline) },
        ]}
      />
      <Table
        caption="Your homes it was sent to"
        rows={d.homes}
        rowKey={(h) => h.homeId}
        columns={[
          { header: "Home", cell: (h) => h.homeName },
          { header: "Distance from the child's district", cell: (h) => (h.distanceMiles === null ? "Unknown" : `${h.distanceMiles} miles`) },
          { header: "Your answer", cell: (h) => (h.response === "offer" ? "Offered" : h.response === "decline" ? "Declined" : "None yet") },
        ]}
      />
      {d.offers.length > 0 ? (
        <Table
          caption="Your offers"
          rows={d.offers}
          rowKey={(o) => o.id}
          columns={[
            { header: "Home", cell: (o) => o.home_name },
            { header: "Weekly fee", cell: (o) => `${pounds(o.weekly_fee_pence)}${o.additional_support_weekly_pence ? ` plus ${pounds(o.additional_support_weekly_pence)} additional support` : ""}` },
            { header: "From", cell: (o) => ukDate(o.start_on) },
            { header: "Status", cell: (o) => (o.status === "made" ? "Waiting for the council" : o.status === "accepted" ? "Accepted" : "Not taken") },
          ]}
        />
      ) : null}
      {d.declines.length > 0 ? (
        <Table
          caption="Your declines"
          rows={d.declines}
          rowKey={(x) => x.id}
          columns={[
            { header: "Home", cell: (x) => x.home_name },
            { header: "Reason", cell: (x) => `${DECLINE_REASON_LABELS[x.reason]}${x.details ? `: ${x.details}` : ""}` },
          ]}
        />
      ) : null}
      {d.closed ? <p className="govuk-body">{d.closed}.</p> : null}
      {!d.closed && waiting.length > 0 ? (
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-two-thirds">
            <PostForm>
              <input type="hidden" name="intent" value="offer" />
              <h2 className="govuk-heading-m">Make an offer</h2>
              {homeChoice("offerHomeId", e.offerHomeId)}
              <TextInput name="weeklyFee" label="Weekly fee in pounds" width="10" defaultValue={f.weeklyFee} error={e.weeklyFee} />
              <DateInput name="offerStart" legend="Start date you can offer" value={offerStart} error={startKey ? { message: e[startKey]!, parts: result?.dateParts } : undefined} />
              <TextInput name="additionalSupport" label="Additional support cost per week in pounds (optional)" hint="For example, extra staffing for the first weeks." width="10" defaultValue={f.additionalSupport} error={e.additionalSupport} />
              <TextInput name="additionalSupportReason" label="What the additional support is for (if any)" defaultValue={f.additionalSupportReason} error={e.additionalSupportReason} />
              <Textarea name="notes" label="Notes for the council (optional)" rows={3} defaultValue={f.notes} error={e.notes} />
              <Button>Send offer</Button>
            </PostForm>
            <PostForm>
              <input type="hidden" name="intent" value="decline" />
              <h2 className="govuk-heading-m">Decline</h2>
              {homeChoice("declineHomeId", e.declineHomeId)}
              <Select
                name="reason"
                label="Reason"
                options={[{ value: "", label: "Select a reason" }, ...Object.entries(DECLINE_REASON_LABELS).map(([value, label]) => ({ value, label }))]}
                defaultValue={f.reason ?? ""}
                error={e.reason}
              />
              <Textarea name="details" label="More about the reason" hint="Needed when the reason is another one." rows={3} defaultValue={f.details} error={e.details} />
              <Button variant="secondary">Decline</Button>
            </PostForm>
          </div>
        </div>
      ) : null}
    </>
  );
}
