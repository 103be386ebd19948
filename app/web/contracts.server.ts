// A contract named in the address, for its pages: found for the signed-in
// person (another organisation's is not found, decision 006), then the policy
// asked about the action.
import { getContract, type ContractView } from "#app/modules/contracts/contracts";
import { RecordNotFound } from "#app/modules/errors";
import type { Action } from "#app/policy/policy";
import type { PortalContext } from "./context";
import { authorise, notFound, requireActor } from "./guard.server";

export async function contractFor(request: Request, portal: PortalContext, contractId: string | undefined, action: Action) {
  const signedIn = requireActor(request, portal);
  let contract: ContractView;
  try {
    contract = await getContract(portal.db, contractId ?? "", signedIn);
  } catch (error) {
    if (error instanceof RecordNotFound) throw notFound();
    throw error;
  }
  const thing = { kind: "contract" as const, councilId: contract.councilId, providerId: contract.providerId };
  const actor = authorise(request, portal, action, thing);
  return { contract, actor, thing };
}
