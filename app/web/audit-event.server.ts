// One audit event as the audit pages show it in full: on a record's history
// (every event about the record) and on the event's own page (decision 034).
import type { Subject } from "#app/modules/audit/canonical";
import { storedEventJson, type AuditEventView } from "#app/modules/audit/trail";
import { describeActor, describeChange, describeOrigin, historyPath, subjectName, type RecordNames } from "#app/modules/audit/wording";
import type { AuditEventDetailsData } from "#app/components/audit";
import "./audit-labels.server";

/**
 * The event's fields in words, for AuditEventDetails. `leaveOut` is the record
 * whose history the event is shown on: the event's other records are listed.
 */
export function auditEventDetails(event: AuditEventView, names: RecordNames, leaveOut?: Subject): AuditEventDetailsData {
  return {
    seq: event.seq,
    occurredAt: event.occurredAt.toISOString(),
    who: describeActor(event),
    actionLabel: event.actionLabel,
    summary: event.summary,
    reason: event.reason,
    hadBefore: event.before !== null,
    changes: describeChange(event, names),
    origin: describeOrigin(event),
    records: event.subjects
      .filter((s) => !leaveOut || s.type !== leaveOut.type || s.id !== leaveOut.id)
      .map((s) => ({ href: historyPath(s), name: subjectName(s, names) })),
    json: storedEventJson(event),
    hash: event.hash,
  };
}
