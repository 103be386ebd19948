import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, Button, DateInput, ErrorSummary, PostForm, SummaryList, Tag, Textarea } from "#app/components/govuk";
import { ukDate as ukToday } from "#app/modules/common/input";
import { endPlacement, getPlacement } from "#app/modules/placements/placements";
import { addDaysToDay } from "#app/modules/tendering/timeline";
import { allowed } from "#app/policy/policy";
import { actionContext } from "#app/web/context";
import { readDateField } from "#app/web/date-fields";
import { fieldErrors, keptValues } from "#app/web/forms";
import { pounds, ukDate } from "#app/web/format";
import { authorise, notFound, requireActor } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `Placement of ${data.placement.childReference}` : "Placement");

const endForm = z.object({
  reason: z.string().trim().min(1, "Enter why the placement ends").max(2000, "The reason must be 2,000 characters or fewer"),
});

async function placementFor(request: Request, portal: Parameters<typeof authorise>[1], placementId: string | undefined) {
  requireActor(request, portal);
  const placement = await getPlacement(portal.db, placementId ?? "");
  if (!placement) throw notFound();
  const actor = authorise(request, portal, "placement.view", { kind: "placement", councilId: placement.councilId });
  return { placement, actor };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { placement, actor } = await placementFor(request, context.portal, params.placementId);
  return { placement, today: ukToday(new Date()), canEnd: placement.endOn === null && allowed(actor, "placement.end", { kind: "placement", councilId: placement.councilId }) };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { placement } = await placementFor(request, portal, params.placementId);
  authorise(request, portal, "placement.end", { kind: "placement", councilId: placement.councilId });
  const form = await request.formData();
  const values = keptValues(form);
  const endOn = readDateField(form, "endOn", "Date the child leaves");
  const parsed = endForm.safeParse({ reason: form.get("reason") ?? "" });
  const errors: Record<string, string> = { ...(parsed.success ? {} : fieldErrors(parsed.error)), ...(endOn.error ? { endOn: endOn.error.message } : {}) };
  const typed = { typed: endOn.typed, error: endOn.error };
  if (!parsed.success || !endOn.iso) return data({ errors, values, endOn: typed }, { status: 400 });
  try {
    await portal.db.transaction().execute((trx) => endPlacement(trx, { placementId: placement.id, endOn: endOn.iso!, reason: parsed.data.reason }, actionContext(portal), { baseUrl: portal.baseUrl }));
  } catch (error) {
    const refused = refusalErrors(error);
    if (refused) return data({ errors: refused, values, endOn: { typed: endOn.typed, error: undefined } }, { status: 400 });
    throw error;
  }
  return redirect(`/placements/${placement.id}`, {
    headers: {
      "Set-Cookie": portal.flashCookie({
        title: `Placement of ${placement.childReference} ends on ${ukDate(endOn.iso)}`,
        body: `The bed at ${placement.homeName} is free from the night of ${ukDate(endOn.iso)}, and ${placement.providerName} can offer it as a vacancy from then.`,
      }),
    },
  });
}

export default function PlacementPage() {
  const { placement: p, canEnd, today } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const ended = p.endOn !== null && p.endOn <= today;
  const funding = [`Council ${p.funding.council}%`, p.funding.health ? `health ${p.funding.health}%` : null, p.funding.education ? `education ${p.funding.education}%` : null]
    .filter(Boolean)
    .join(", ");
  const endError = result?.endOn?.error ?? (result?.errors.endOn ? { message: result.errors.endOn } : undefined);
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to="/placements">Placements</BackLink>
        <ErrorSummary errors={result?.errors} order={["form", "endOn", "reason"]} />
        <span className="govuk-caption-l">Placement</span>
        <h1 className="govuk-heading-l">Placement of {p.childReference}</h1>
        <p className="govuk-body">{ended ? <Tag colour="grey">Ended</Tag> : p.endOn ? <Tag colour="yellow">Ending</Tag> : <Tag colour="green">In force</Tag>}</p>
        <SummaryList
          rows={[
            { key: "Child reference", value: p.childReference },
            { key: "Home", value: `${p.homeName} (${p.providerName}), bed ${p.bedNumber}` },
            { key: "Agreement and lot", value: `${p.agreementTitle}, ${p.lotTitle}` },
            { key: "First night", value: ukDate(p.startOn) },
            {
              key: "Last night",
              value: p.endOn ? `${ukDate(addDaysToDay(p.endOn, -1))} (the child leaves on ${ukDate(p.endOn)})` : "Not yet known",
            },
            ...(p.endReason ? [{ key: "Why it ended", value: p.endReason }] : []),
            { key: "Weekly fee", value: pounds(p.weeklyFeePence) },
            ...(p.additionalSupportWeeklyPence ? [{ key: "Additional support a week", value: pounds(p.additionalSupportWeeklyPence) }] : []),
            { key: "Paid by", value: funding },
            { key: "Child's home district", value: p.childDistrict },
            { key: "Distance from home district", value: p.distanceMiles === null ? "Distance unknown" : `${p.distanceMiles} miles` },
            { key: "Moves in the 12 months before it started", value: String(p.movesInLast12Months) },
          ]}
        />
        {canEnd ? (
          <>
            <h2 className="govuk-heading-m">End this placement</h2>
            <p className="govuk-body">
              Enter the day the child leaves. The night before is their last night in the home; the bed is free from the night they leave, and the provider
              can then offer it as a vacancy. The provider's users are emailed the child reference, the date and the reason. An ended placement cannot be
              reopened: a return is a new placement.
            </p>
            <PostForm>
              <DateInput name="endOn" legend="Date the child leaves" hint="For example, 27 3 2027" value={result?.endOn?.typed} error={endError} />
              <Textarea name="reason" label="Why does the placement end?" hint="For example, planned move to foster care, return home, or the home gave notice. The home's provider is emailed this reason: do not include the child's name." defaultValue={result?.values.reason} error={result?.errors.reason} />
              <Button variant="warning">End the placement</Button>
            </PostForm>
          </>
        ) : null}
      </div>
    </div>
  );
}
