// Public: the signed checkpoints of the audit trail and the key that signs
// them, so anyone can hold the council to the trail as it stood.
import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { checkpointMessage, createCheckpoint, listCheckpoints } from "#app/modules/audit/checkpoints";
import { actionContext } from "#app/web/context";
import { authorise } from "#app/web/guard.server";

export async function loader({ context }: ActionFunctionArgs) {
  const { portal } = context;
  const checkpoints = await listCheckpoints(portal.db);
  return Response.json(
    {
      portal: "Children's Placements Portal",
      algorithm: "Ed25519",
      keyId: portal.signingKey.keyId,
      publicKey: portal.signingKey.publicKeyPem,
      signedMessage: checkpointMessage(0, "<hash>", new Date(0)).replace("events=0", "events=<events>").replace("1970-01-01T00:00:00.000Z", "<signedAt>"),
      checkpoints: checkpoints.map((c) => ({
        id: c.id,
        events: c.seq,
        hash: c.hash,
        signedAt: c.signedAt.toISOString(),
        keyId: c.keyId,
        reason: c.reason,
        signature: c.signature,
      })),
    },
    { headers: { "Cache-Control": "public, max-age=60" } },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { portal } = context;
  authorise(request, portal, "audit.checkpoint");
  const checkpoint = await portal.db
    .transaction()
    .execute((trx) => createCheckpoint(trx, actionContext(portal), portal.signingKey, "on_demand"));
  return redirect("/audit", {
    headers: { "Set-Cookie": portal.flashCookie({ title: `Checkpoint signed at event ${checkpoint.seq}`, body: `Hash ${checkpoint.hash}` }) },
  });
}
