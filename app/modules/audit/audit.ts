// Writes audit events: one per state change, inside the change's own
// transaction, chained to the event before it. Reading and filtering the
// trail lives in trail.ts; verification in verify.ts.
import type { Trx } from "#app/database/schema";
import type { ActionContext } from "#app/modules/identity/actor";
import { eventHash, toJsonValue, type Subject } from "./canonical";

export type { Subject } from "./canonical";

export interface AuditEntry {
  /** Stable machine name, e.g. "user.invited"; labels in actions.ts. */
  action: string;
  /** What happened, in plain words, e.g. "Invited Sam Patel as evaluator". */
  summary: string;
  subjects: Subject[];
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

export interface WrittenEvent {
  seq: number;
  hash: string;
}

/**
 * Appends one event. Locking the chain head row makes concurrent writers
 * queue here, so the chain stays linear; the lock is held until the
 * surrounding transaction ends, and a rollback takes the event with it.
 */
export async function recordAuditEvent(trx: Trx, ctx: ActionContext, entry: AuditEntry): Promise<WrittenEvent> {
  const head = await trx
    .selectFrom("audit_chain_head")
    .select(["seq", "hash"])
    .forUpdate()
    .executeTakeFirstOrThrow();
  const content = {
    seq: head.seq + 1,
    occurredAt: new Date(ctx.now.getTime()),
    actorUserId: ctx.actor?.userId ?? null,
    actorName: ctx.actor?.name ?? null,
    actorRoles: ctx.actor ? [...ctx.actor.roles] : [],
    actorOrganisationId: ctx.actor?.organisationId ?? null,
    actorOrganisationName: ctx.actor?.organisationName ?? null,
    action: entry.action,
    summary: entry.summary,
    subjects: entry.subjects.map((s) => ({ type: s.type, id: s.id })),
    before: entry.before === undefined ? null : toJsonValue(entry.before),
    after: entry.after === undefined ? null : toJsonValue(entry.after),
    reason: entry.reason ?? null,
    requestId: ctx.requestId,
    clientAddress: ctx.clientAddress,
  };
  const hash = eventHash(head.hash, content);
  // One statement writes the event and moves the head: one round trip fewer
  // while the head row is locked.
  await trx
    .with("written", (db) =>
      db.insertInto("audit_event").values({
        seq: content.seq,
        occurred_at: content.occurredAt,
        actor_user_id: content.actorUserId,
        actor_name: content.actorName,
        actor_roles: content.actorRoles,
        actor_organisation_id: content.actorOrganisationId,
        actor_organisation_name: content.actorOrganisationName,
        action: content.action,
        summary: content.summary,
        subjects: JSON.stringify(content.subjects),
        before: content.before === null ? null : JSON.stringify(content.before),
        after: content.after === null ? null : JSON.stringify(content.after),
        reason: content.reason,
        request_id: content.requestId,
        client_address: content.clientAddress,
        prev_hash: head.hash,
        hash,
      }),
    )
    .updateTable("audit_chain_head")
    .set({ seq: content.seq, hash })
    .execute();
  return { seq: content.seq, hash };
}
