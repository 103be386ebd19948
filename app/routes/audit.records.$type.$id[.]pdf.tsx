// The audit extract of one record as a PDF: its whole history with the
// chain hashes and the latest signed checkpoint, read in one snapshot.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { recordExtractDownloaded } from "#app/modules/audit/access";
import { recordNames, recordTitle } from "#app/modules/audit/record-titles";
import { loadAuditExtract } from "#app/modules/audit/trail";
import { referencedRecords } from "#app/modules/audit/wording";
import { actionContext } from "#app/web/context";
import { authorise } from "#app/web/guard.server";
import { recordParams } from "./audit.records.$type.$id";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const actor = authorise(request, portal, "audit.browse");
  const subject = recordParams.safeParse(params);
  if (!subject.success) throw new Response("Page not found", { status: 404 });
  const { extract, title, names } = await portal.db
    .transaction()
    .setIsolationLevel("repeatable read")
    .execute(async (trx) => {
      const extract = await loadAuditExtract(trx, subject.data);
      return { extract, title: await recordTitle(trx, subject.data), names: await recordNames(trx, referencedRecords(extract.events)) };
    });
  if (extract.events.length === 0) throw new Response("Page not found", { status: 404 });
  await portal.db.transaction().execute((trx) => recordExtractDownloaded(trx, actionContext(portal), { ...subject.data, title }, extract));
  const pdf = await portal.pdf.render({
    document: "audit-extract",
    input: {
      record: { ...subject.data, title },
      events: extract.events,
      generatedAt: new Date(),
      generatedBy: { name: actor.name, organisationName: actor.organisationName },
      chainHead: extract.chainHead,
      latestCheckpoint: extract.latestCheckpoint,
      names,
    },
  });
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `inline; filename="audit-extract-${subject.data.type}-${subject.data.id.slice(0, 8)}.pdf"`,
    },
  });
}
