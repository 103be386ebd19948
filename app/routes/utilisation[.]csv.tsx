// The block bed figures as a CSV download: every contract the person may see
// (or one, ?contract=<id>), by week or month, with the totals.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getBlockContract } from "#app/modules/utilisation/block-beds";
import { utilisationCsv } from "#app/modules/utilisation/utilisation";
import { authorise, notFound } from "#app/web/guard.server";
import { granularityOf, utilisationView, visibleContracts } from "#app/web/utilisation.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const actor = authorise(request, portal, "blockBeds.view");
  const url = new URL(request.url);
  const by = granularityOf(url);
  const one = url.searchParams.get("contract");
  let contracts = await visibleContracts(portal.db, actor);
  if (one !== null) {
    const contract = await getBlockContract(portal.db, one);
    if (!contract) throw notFound();
    authorise(request, portal, "blockContract.view", { kind: "blockContract", providerId: contract.providerId });
    contracts = [contract];
  }
  const { rows } = await utilisationView(portal.db, contracts, by);
  const csv = utilisationCsv(rows, new Map(contracts.map((c) => [c.id, c.reference])));
  const name = one !== null ? `utilisation-${contracts[0]!.reference}-by-${by}` : `utilisation-by-${by}`;
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name.replace(/[^A-Za-z0-9-]/g, "-")}-${new Date().toISOString().slice(0, 10)}.csv"`,
    },
  });
}
