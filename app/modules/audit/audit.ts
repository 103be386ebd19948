// Writes audit events: one per state change, inside the change's own
// transaction, chained to the event before it. Reading and filtering the
// trail lives in trail.ts; verification in verify.ts.
import { sql, type Kysely, type RawBuilder } from "kysely";
import type { Database, Reader, Trx } from "#app/database/schema";
import type { ActionContext } from "#app/modules/identity/actor";
import { keptStore } from "#app/modules/common/kept";
import { chainedTail, toJsonValue, type Subject } from "./canonical";
import { noticeAuditWrite, rewindEntry } from "./chain-watch";

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

/**
 * Adds one event to the chain, in the caller's transaction: staged in one
 * round trip through stage_audit_event and sealed when the transaction
 * commits (migration 0037, decision 055), the only ways the runtime role can
 * add to the chain. At COMMIT PostgreSQL takes the chain's head, puts in the
 * sequence number and the previous hash and hashes the text exactly as
 * eventHash does (canonical.ts), so verification needs nothing new. The head
 * is held only while the commit runs, never while this process works; a
 * rollback takes the event with it. The number and hash are the chain's once
 * the transaction has committed, so this returns neither.
 */
export async function recordAuditEvent(trx: Trx, ctx: ActionContext, entry: AuditEntry): Promise<void> {
  const result = await sql<StagedAuditEvent>`SELECT head_seq FROM ${stageAuditEvent(ctx, entry)}`.execute(trx);
  await auditEventStaged(trx, ctx, result.rows[0]);
}

/** What stage_audit_event answers: the chain's head as last committed. */
export interface StagedAuditEvent {
  head_seq: string | number;
}

/**
 * The call of stage_audit_event for `entry`, for a change that writes its rows
 * and stages its event in one statement (`... SELECT head_seq FROM <this>`,
 * its rows in the statement's WITH): one round trip fewer than writing them
 * and then calling recordAuditEvent. Whoever runs it passes the answer to
 * auditEventStaged, as recordAuditEvent does.
 */
export function stageAuditEvent(ctx: ActionContext, entry: AuditEntry): RawBuilder<StagedAuditEvent> {
  const content = {
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
  const tail = chainedTail(content);
  return sql<StagedAuditEvent>`stage_audit_event(
      ${content.occurredAt}, ${content.actorUserId}::uuid, ${content.actorName}, ${content.actorRoles}::text[],
      ${content.actorOrganisationId}::uuid, ${content.actorOrganisationName}, ${content.action}, ${content.summary},
      ${JSON.stringify(content.subjects)}::jsonb, ${content.before === null ? null : JSON.stringify(content.before)}::jsonb,
      ${content.after === null ? null : JSON.stringify(content.after)}::jsonb, ${content.reason}, ${content.requestId},
      ${content.clientAddress}, ${tail})`;
}

/** After an event is staged: the head it answered is checked for a rewound chain (decision 011). */
export async function auditEventStaged(trx: Trx, ctx: ActionContext, staged: StagedAuditEvent | undefined): Promise<void> {
  // A rewind is recorded here, in this transaction, as well as by the checkpoint loop
  // (which also signs and emails a checkpoint), so the evidence is in the
  // chain even if this process stops before the loop runs.
  const rewind = rewindShownBy(staged);
  if (rewind) await recordAuditEvent(trx, ctx, rewindEntry(rewind));
}

/**
 * After a change written with its event in one statement outside any
 * transaction (so the statement committed as its own): the head it answered
 * is checked for a rewound chain as auditEventStaged does, and a rewind is
 * recorded in a transaction of its own, the change's having ended.
 */
export async function auditEventCommitted(db: Kysely<Database>, ctx: ActionContext, staged: StagedAuditEvent | undefined): Promise<void> {
  const rewind = rewindShownBy(staged);
  if (rewind) await db.transaction().execute((trx) => recordAuditEvent(trx, ctx, rewindEntry(rewind)));
}

/** The rewound chain that the head answered when an event was staged shows, if it shows one. */
function rewindShownBy(staged: StagedAuditEvent | undefined): ReturnType<typeof noticeAuditWrite> {
  if (!staged) throw new Error("The audit chain has no head row");
  return noticeAuditWrite(Number(staged.head_seq));
}

/**
 * The audit chain's length and last hash, as one string. Every change the
 * portal makes writes its audit event in its own transaction, so a page that
 * keeps what it read (the officer's dashboard, a question's moderation) may
 * reuse it while this is unchanged. The hash tells a rewound and regrown
 * chain of the same length apart.
 */
export async function auditChainVersion(db: Reader): Promise<string> {
  return chainVersionOf(await db.selectFrom("audit_chain_head").select(["seq", "hash"]).where("singleton", "=", true).executeTakeFirst());
}

/** The chain's version from its head as read (none before the first event): what `keptWhileChainUnchanged` keys its values by. */
export function chainVersionOf(head: { seq: number | null; hash: string | null } | undefined): string {
  return head && head.seq !== null ? `${head.seq}:${head.hash}` : "none";
}

// The pages kept until the chain grows: a handful of keys (a council's dashboard, the trail's and the tenders' first pages).
const keptPages = keptStore();

/**
 * What `work` works out from the database, reused while the audit chain's
 * version is unchanged, for one statement instead of the work's: a page read
 * by many people that only a change can alter (the officer's dashboard, the
 * trail's newest events). `stamp` is anything else the answer depends on,
 * such as the UK day; `stillGood` can refuse a kept value that time alone has
 * made stale (a tender whose deadline has passed). The version is read
 * before the work, so a change made while it runs moves the chain on and the
 * next call works it out again.
 */
export async function keptWhileChainUnchanged<T>(
  db: Reader,
  key: string,
  work: () => Promise<T>,
  stamp = "",
  stillGood: (value: T) => boolean = () => true,
  /** The chain's version already read in this request, before anything it changed (the session's, decision 057). */
  version?: string | null,
): Promise<T> {
  return keptPages.get(db, key, `${version ?? (await auditChainVersion(db))}|${stamp}`, work, stillGood);
}
