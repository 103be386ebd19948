// Which of the market's lots the provider applies to join. Lots it is already
// a member of are not offered. The application's version comes with the form,
// so a colleague's change in between is refused, not lost.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, Button, Checkboxes, ErrorSummary, PostForm } from "#app/components/govuk";
import { chooseApplicationLots } from "#app/modules/tendering/dynamic-markets";
import { actionContext } from "#app/web/context";
import { fieldErrors, formObject } from "#app/web/forms";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";
import { applyPath } from "#app/web/market-paths";
import { draftApplicationPage } from "./tenders.$tenderId.apply.server";

export const meta: MetaFunction = () => pageMeta("Choose the lots you are applying for");

const lotsForm = z.object({
  lotIds: z.array(z.string()).min(1, "Select at least one lot to apply for"),
  expectedVersion: z.coerce.number().int(),
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { view, latest, memberLotIds } = await draftApplicationPage(request, context.portal, params.tenderId);
  return {
    tender: { id: view.tender.id, title: view.tender.title },
    version: latest.version,
    lots: view.lots.filter((l) => !memberLotIds.includes(l.id)).map((l) => ({ id: l.id, label: `Lot ${l.number}: ${l.title}` })),
    chosen: latest.lotIds,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { view } = await draftApplicationPage(request, portal, params.tenderId);
  const form = await request.formData();
  const chosen = form.getAll("lotIds").map(String);
  const parsed = lotsForm.safeParse(formObject(form, ["lotIds"]));
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), chosen }, { status: 400 });
  try {
    await portal.db.transaction().execute((trx) => chooseApplicationLots(trx, { tenderId: view.tender.id, ...parsed.data }, actionContext(portal)));
  } catch (error) {
    const errors = refusalErrors(error);
    if (errors) return data({ errors, chosen }, { status: 400 });
    throw error;
  }
  return redirect(applyPath(view.tender.id));
}

export default function ApplicationLots() {
  const { tender, version, lots, chosen } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={applyPath(tender.id)}>Back to your application</BackLink>
        <ErrorSummary errors={result?.errors} order={["lotIds"]} />
        <span className="govuk-caption-l">{tender.title}</span>
        <PostForm>
          <input type="hidden" name="expectedVersion" value={version} />
          <Checkboxes
            name="lotIds"
            legend={<h1 className="govuk-fieldset__heading">Which lots are you applying to join?</h1>}
            hint="Select all that apply. Members of a lot can take part in its call-off competitions."
            options={lots.map((l) => ({ value: l.id, label: l.label }))}
            checked={result?.chosen ?? chosen}
            error={result?.errors.lotIds}
          />
          <Button>Save and continue</Button>
        </PostForm>
      </div>
    </div>
  );
}
