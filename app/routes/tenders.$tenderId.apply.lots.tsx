// Which of the market's lots the provider applies to join. Lots it is already
// a member of are not offered. The application's version comes with the form,
// so a colleague's change in between is refused, not lost.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { LotsForm } from "#app/components/tendering/LotsForm";
import { chooseApplicationLots } from "#app/modules/tendering/dynamic-markets";
import { saveLotsForm } from "#app/web/lots-form.server";
import { applyPath } from "#app/web/market-paths";
import { pageMeta } from "#app/web/page-title";
import { draftApplicationPage } from "./tenders.$tenderId.apply.server";

export const meta: MetaFunction = () => pageMeta("Choose the lots you are applying for");

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
  const tenderId = view.tender.id;
  return saveLotsForm(request, portal, {
    noneChosen: "Select at least one lot to apply for",
    save: (trx, input, ctx) => chooseApplicationLots(trx, { tenderId, ...input }, ctx),
    next: applyPath(tenderId),
  });
}

export default function ApplicationLots() {
  const { tender, version, lots, chosen } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <LotsForm
      back={{ to: applyPath(tender.id), label: "Back to your application" }}
      tenderTitle={tender.title}
      heading="Which lots are you applying to join?"
      hint="Select all that apply. Members of a lot can take part in its call-off competitions."
      version={version}
      lots={lots}
      checked={result?.chosen ?? chosen}
      errors={result?.errors}
    />
  );
}
