// Which of the tender's lots the provider bids for. The bid's version comes
// with the form, so a colleague's change in between is refused, not lost.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, Button, Checkboxes, ErrorSummary, PostForm } from "#app/components/govuk";
import { chooseBidLots } from "#app/modules/tendering/bids";
import { bidPath } from "#app/web/bid-paths";
import { startedBidPage } from "#app/web/bids.server";
import { actionContext } from "#app/web/context";
import { fieldErrors, formObject } from "#app/web/forms";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";

export const meta: MetaFunction = () => pageMeta("Choose the lots you bid for");

const lotsForm = z.object({
  lotIds: z.array(z.string()).min(1, "Select at least one lot to bid for"),
  expectedVersion: z.coerce.number().int(),
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { view, draft } = await startedBidPage(request, context.portal, params.tenderId);
  return {
    tender: { id: view.tender.id, title: view.tender.title },
    version: draft.bid.version,
    lots: draft.lots.map((l) => ({ id: l.id, label: `Lot ${l.number}: ${l.title}`, chosen: l.chosen })),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { view } = await startedBidPage(request, portal, params.tenderId);
  const form = await request.formData();
  const chosen = form.getAll("lotIds").map(String);
  const parsed = lotsForm.safeParse(formObject(form, ["lotIds"]));
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), chosen }, { status: 400 });
  try {
    await portal.db.transaction().execute((trx) => chooseBidLots(trx, { tenderId: view.tender.id, ...parsed.data }, actionContext(portal)));
  } catch (error) {
    const errors = refusalErrors(error);
    if (errors) return data({ errors, chosen }, { status: 400 });
    throw error;
  }
  return redirect(bidPath(view.tender.id));
}

export default function BidLots() {
  const { tender, version, lots } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={bidPath(tender.id)}>Back to your bid</BackLink>
        <ErrorSummary errors={result?.errors} order={["lotIds"]} />
        <span className="govuk-caption-l">{tender.title}</span>
        <PostForm>
          <input type="hidden" name="expectedVersion" value={version} />
          <Checkboxes
            name="lotIds"
            legend={<h1 className="govuk-fieldset__heading">Which lots are you bidding for?</h1>}
            hint="Select all that apply. Questions and prices for lots you do not bid for are left out of your bid."
            options={lots.map((l) => ({ value: l.id, label: l.label }))}
            checked={result?.chosen ?? lots.filter((l) => l.chosen).map((l) => l.id)}
            error={result?.errors.lotIds}
          />
          <Button>Save and continue</Button>
        </PostForm>
      </div>
    </div>
  );
}
