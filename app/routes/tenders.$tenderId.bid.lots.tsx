// Which of the tender's lots the provider bids for. The bid's version comes
// with the form, so a colleague's change in between is refused, not lost.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { LotsForm } from "#app/components/tendering/LotsForm";
import { chooseBidLots } from "#app/modules/tendering/bids";
import { bidPath } from "#app/web/bid-paths";
import { startedBidPage, startedBidRequest } from "#app/web/bids.server";
import { saveLotsForm } from "#app/web/lots-form.server";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction = () => pageMeta("Choose the lots you bid for");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { view, draft } = await startedBidPage(request, context.portal, params.tenderId);
  return {
    tender: { id: view.tender.id, title: view.tender.title },
    version: draft.bid.version,
    lots: draft.lots.map((l) => ({ id: l.id, label: `Lot ${l.number}: ${l.title}` })),
    chosen: draft.lots.filter((l) => l.chosen).map((l) => l.id),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { view } = await startedBidRequest(request, portal, params.tenderId);
  const tenderId = view.tender.id;
  return saveLotsForm(request, portal, {
    noneChosen: "Select at least one lot to bid for",
    save: (trx, input, ctx) => chooseBidLots(trx, { tenderId, ...input }, ctx),
    next: bidPath(tenderId),
  });
}

export default function BidLots() {
  const { tender, version, lots, chosen } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <LotsForm
      back={{ to: bidPath(tender.id), label: "Back to your bid" }}
      tenderTitle={tender.title}
      heading="Which lots are you bidding for?"
      hint="Select all that apply. Questions and prices for lots you do not bid for are left out of your bid."
      version={version}
      lots={lots}
      checked={result?.chosen ?? chosen}
      errors={result?.errors}
    />
  );
}
