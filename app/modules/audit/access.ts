// Taking a copy of the trail is itself audited: who exported what, and who
// downloaded which record's extract. Each is written in its own transaction.
import type { Trx } from "#app/database/schema";
import type { ActionContext } from "#app/modules/identity/actor";
import { recordAuditEvent } from "./audit";
import type { Subject } from "./canonical";
import { auditFilterSearchParams, type AuditExtractData, type AuditFilter } from "./trail";

export async function recordTrailExported(trx: Trx, ctx: ActionContext, filter: Omit<AuditFilter, "before">): Promise<void> {
  const described = auditFilterSearchParams(filter).toString() || "all events";
  await recordAuditEvent(trx, ctx, {
    action: "audit.exported",
    summary: `Exported the audit trail as CSV (${described})`,
    subjects: [],
    after: { filter },
  });
}

export async function recordExtractDownloaded(
  trx: Trx,
  ctx: ActionContext,
  record: Subject & { title: string },
  extract: AuditExtractData,
): Promise<void> {
  await recordAuditEvent(trx, ctx, {
    action: "audit.extract_downloaded",
    summary: `Downloaded the audit extract of ${record.title}`,
    subjects: [{ type: record.type, id: record.id }],
    after: { events: extract.events.length, chainHead: extract.chainHead },
  });
}
