// The filtered trail as a CSV download, streamed batch by batch. Exporting
// is itself audited: who took a copy of the trail, and of what.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { recordTrailExported } from "#app/modules/audit/access";
import { exportAuditTrailCsv, parseAuditFilter } from "#app/modules/audit/trail";
import { actionContext } from "#app/web/context";
import { authorise } from "#app/web/guard.server";
import { textStream } from "#app/web/text-stream.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { portal } = context;
  authorise(request, portal, "audit.export");
  const parsed = parseAuditFilter(new URL(request.url).searchParams);
  if (!parsed.success) {
    const problems = Object.values(parsed.errors).join("; ");
    throw new Response(`The filter is not valid: ${problems}`, { status: 400 });
  }
  const { before: _cursor, ...filter } = parsed.filter;
  await portal.db.transaction().execute((trx) => recordTrailExported(trx, actionContext(portal), filter));
  const chunks = exportAuditTrailCsv(portal.db, filter);
  const body = textStream(chunks);
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="audit-trail-${stamp}.csv"`,
    },
  });
}
