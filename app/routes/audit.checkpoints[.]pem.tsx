// Public: the key that checks checkpoint signatures, as a file to pass to
// `npm run audit:verify -- --public-key`.
import type { LoaderFunctionArgs } from "@remix-run/node";

export async function loader({ context }: LoaderFunctionArgs) {
  const key = context.portal.signingKey;
  return new Response(key.publicKeyPem, {
    headers: {
      "Content-Type": "application/x-pem-file",
      "Content-Disposition": `attachment; filename="portal-audit-key-${key.keyId}.pem"`,
      "Cache-Control": "public, max-age=60",
    },
  });
}
