import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, Button, ErrorSummary, PostForm, Textarea } from "#app/components/govuk";
import { SuspensionNotice } from "#app/components/market/HomeMarket";
import { RecordNotFound } from "#app/modules/errors";
import { getHome } from "#app/modules/homes/homes";
import { SUSPENSION_CAUSE_LABELS, currentSuspension, liftSuspension, suspendHome } from "#app/modules/placements/suspensions";
import { actionContext } from "#app/web/context";
import { fieldErrors, formObject, keptValues } from "#app/web/forms";
import { authorise, notFound, requireActor } from "#app/web/guard.server";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageMeta(data ? `${data.suspension ? "Lift the suspension of" : "Suspend"} ${data.home.name}` : "Suspension");

const suspendForm = z.object({
  intent: z.literal("suspend"),
  reason: z.string().trim().min(1, "Enter the reason for the suspension").max(2000, "The reason must be 2,000 characters or fewer"),
});
const liftForm = z.object({
  intent: z.literal("lift"),
  reason: z.string().trim().min(1, "Enter the reasons for lifting the suspension").max(2000, "The reasons must be 2,000 characters or fewer"),
  conditions: z.string().trim().max(2000, "The conditions must be 2,000 characters or fewer"),
});

async function homeFor(request: Request, portal: Parameters<typeof authorise>[1], homeId: string) {
  requireActor(request, portal);
  const home = await getHome(portal.db, homeId);
  if (!home) throw notFound();
  // Another provider's home is not found before anything else is said about it.
  authorise(request, portal, "home.view", { kind: "home", organisationId: home.organisationId });
  authorise(request, portal, "home.suspend");
  return home;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const home = await homeFor(request, portal, params.homeId ?? "");
  const suspension = await currentSuspension(portal.db, home.id);
  return {
    home: { id: home.id, name: home.name, providerName: home.providerName },
    suspension: suspension
      ? {
          ...suspension,
          cause: SUSPENSION_CAUSE_LABELS[suspension.cause],
          suspendedAt: suspension.suspendedAt.toISOString(),
          suspendedBy: null,
          liftedAt: null,
          liftedBy: null,
        }
      : null,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const home = await homeFor(request, portal, params.homeId ?? "");
  const form = await request.formData();
  const values = keptValues(form);
  const lifting = form.get("intent") === "lift";
  if (lifting) authorise(request, portal, "home.liftSuspension");
  const parsed = (lifting ? liftForm : suspendForm).safeParse(formObject(form));
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), values }, { status: 400 });
  try {
    const change = parsed.data;
    await portal.db.transaction().execute(async (trx) => {
      if (change.intent === "lift")
        await liftSuspension(trx, { homeId: home.id, reason: change.reason, conditions: change.conditions || null }, actionContext(portal));
      else await suspendHome(trx, { homeId: home.id, reason: change.reason }, actionContext(portal));
    });
  } catch (error) {
    if (error instanceof RecordNotFound) throw notFound();
    const errors = refusalErrors(error);
    if (errors) return data({ errors, values }, { status: 400 });
    throw error;
  }
  return redirect(`/homes/${home.id}`, {
    headers: {
      "Set-Cookie": portal.flashCookie({
        title: lifting ? `The suspension of ${home.name} is lifted` : `${home.name} is suspended from new placements`,
        body: lifting
          ? "Commissioners can find it in placement search again."
          : "It no longer appears in placement search. Its provider sees the reason on the home's page.",
      }),
    },
  });
}

export default function Suspension() {
  const { home, suspension } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const v = result?.values;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`/homes/${home.id}`}>Back to {home.name}</BackLink>
        <ErrorSummary errors={result?.errors} order={["reason", "conditions"]} />
        <span className="govuk-caption-l">{home.providerName}</span>
        {suspension ? (
          <>
            <h1 className="govuk-heading-l">Lift the suspension of {home.name}</h1>
            <SuspensionNotice suspension={suspension} />
            <PostForm>
              <input type="hidden" name="intent" value="lift" />
              <Textarea
                name="reason"
                label="Reasons for lifting the suspension"
                hint="For example, the outcome of the review or a new Ofsted judgement. The provider sees this."
                defaultValue={v?.reason}
                error={result?.errors.reason}
              />
              <Textarea
                name="conditions"
                label="Conditions (optional)"
                hint="Anything the provider must keep to, for example a monitoring visit within 3 months."
                defaultValue={v?.conditions}
                error={result?.errors.conditions}
              />
              <Button>Lift suspension</Button>
            </PostForm>
          </>
        ) : (
          <>
            <h1 className="govuk-heading-l">Suspend {home.name} from new placements</h1>
            <p className="govuk-body">
              A suspended home is left out of placement search. Children already placed there are not affected. The provider sees the reason.
            </p>
            <PostForm>
              <input type="hidden" name="intent" value="suspend" />
              <Textarea name="reason" label="Reason for the suspension" defaultValue={v?.reason} error={result?.errors.reason} />
              <Button variant="warning">Suspend from new placements</Button>
            </PostForm>
          </>
        )}
      </div>
    </div>
  );
}
