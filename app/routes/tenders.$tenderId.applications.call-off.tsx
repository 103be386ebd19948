// Starting a call-off competition under a dynamic market: the officer names
// it and chooses the lot whose members alone will compete; the portal makes a
// draft tender for it, which the officer completes and publishes as usual.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, Button, ErrorSummary, PostForm, Radios, TextInput } from "#app/components/govuk";
import { marketMembers, startCallOff } from "#app/modules/tendering/dynamic-markets";
import { actionContext } from "#app/web/context";
import { fieldErrors, formObject, keptValues } from "#app/web/forms";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";
import { applicationsPath } from "#app/web/market-paths";
import { marketForOfficers } from "./tenders.$tenderId.applications.server";

export const meta: MetaFunction = () => pageMeta("Start a call-off competition");

const callOffForm = z.object({
  title: z.string().trim().min(1, "Enter the call-off competition's title").max(200, "Keep the title to 200 characters or fewer"),
  lotId: z.string({ error: "Select the lot whose members will compete" }).min(1, "Select the lot whose members will compete"),
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const { view } = await marketForOfficers(request, portal, params.tenderId, "market.startCallOff");
  const members = await marketMembers(portal.db, view.tender.id);
  return {
    tender: { id: view.tender.id, title: view.tender.title },
    lots: members.map((l) => ({
      id: l.lot.id,
      label: `Lot ${l.lot.number}: ${l.lot.title}`,
      hint: l.members.length === 0 ? "No members yet" : `${l.members.length} ${l.members.length === 1 ? "member" : "members"}`,
    })),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { view } = await marketForOfficers(request, portal, params.tenderId, "market.startCallOff");
  const form = await request.formData();
  const values = keptValues(form);
  const parsed = callOffForm.safeParse(formObject(form));
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), values }, { status: 400 });
  let id: string;
  try {
    ({ id } = await portal.db.transaction().execute((trx) => startCallOff(trx, { marketTenderId: view.tender.id, ...parsed.data }, actionContext(portal))));
  } catch (error) {
    const errors = refusalErrors(error);
    if (errors) return data({ errors, values }, { status: 400 });
    throw error;
  }
  return redirect(`/tenders/${id}/edit`, {
    headers: { "Set-Cookie": portal.flashCookie({ title: "Call-off competition started", body: "Add its timeline, then its questionnaire, and publish it: only members of the lot can take part." }) },
  });
}

export default function StartCallOff() {
  const { tender, lots } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const values = result?.values ?? {};
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={applicationsPath(tender.id)}>Back to applications and members</BackLink>
        <ErrorSummary errors={result?.errors} order={["title", "lotId"]} />
        <span className="govuk-caption-l">{tender.title}</span>
        <h1 className="govuk-heading-l">Start a call-off competition</h1>
        <PostForm>
          <TextInput name="title" label="Title" hint="For example, Weekend short breaks, spring 2027" defaultValue={values.title} error={result?.errors.title} />
          <Radios
            name="lotId"
            legend="Which lot's members will compete?"
            options={lots.map((l) => ({ value: l.id, label: l.label, hint: l.hint }))}
            checked={values.lotId}
            error={result?.errors.lotId}
          />
          <Button>Start the competition</Button>
        </PostForm>
      </div>
    </div>
  );
}
