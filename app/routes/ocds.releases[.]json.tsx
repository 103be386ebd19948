// Public, for machines: every published change to the portal's tenders as an
// OCDS 1.1 release package (decision 028), streamed; `?ocid=` for one
// contracting process. Releases hold only what was published, so, like the
// tenders list, this needs no sign-in.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { ocidExists, publisherName, releasePackage } from "#app/modules/publication/ocds-releases";
import { textStream } from "#app/web/text-stream.server";

const json = (body: unknown, status: number) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json; charset=utf-8" } });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const url = new URL(request.url);
  const ocid = url.searchParams.get("ocid") ?? undefined;
  if (ocid !== undefined) {
    if (!/^[A-Za-z0-9-]{6,200}$/.test(ocid)) return json({ error: "An ocid is letters, digits and hyphens, like ocds-portal-<tender id>" }, 400);
    if (!(await ocidExists(portal.db, ocid))) return json({ error: `No contracting process has the ocid ${ocid}` }, 404);
  }
  const chunks = releasePackage(portal.db, {
    ocid,
    uri: url.toString(),
    publisherName: await publisherName(portal.db),
    publishedAt: new Date(),
  });
  const body = textStream(chunks);
  return new Response(body, { headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "public, max-age=60" } });
}
