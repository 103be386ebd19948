// Public, for machines: the signing key and every signed checkpoint, oldest
// first, in the form witnesses keep and `audit:verify --witness` reads.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { checkpointsDocument, listCheckpoints } from "#app/modules/audit/checkpoints";

export async function loader({ context }: LoaderFunctionArgs) {
  const { portal } = context;
  const document = checkpointsDocument(await listCheckpoints(portal.db), portal.signingKey);
  return Response.json(document, { headers: { "Cache-Control": "public, max-age=60" } });
}
