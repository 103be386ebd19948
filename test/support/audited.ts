// Runs one change the way a route does (its own transaction) and gives back
// its result or error with the audit events it wrote, so a test can check
// that each change writes exactly its event, and nothing when refused.
import type { Kysely } from "kysely";
import type { Database, Trx } from "#app/database/schema";
import { recordAuditEvent, type AuditEntry } from "#app/modules/audit/audit";
import type { ActionContext } from "#app/modules/identity/actor";

export async function auditHead(db: Kysely<Database>): Promise<number> {
  return (await db.selectFrom("audit_chain_head").select("seq").executeTakeFirstOrThrow()).seq;
}

export async function runAudited<T>(db: Kysely<Database>, work: (trx: Trx) => Promise<T>) {
  const start = await auditHead(db);
  const result = await db.transaction().execute(work).then(
    (value) => ({ value, error: null }),
    (error: unknown) => ({ value: null, error: error as Error }),
  );
  const events = await db
    .selectFrom("audit_event")
    .select(["action", "summary", "subjects", "before", "after", "reason"])
    .where("seq", ">", start)
    .orderBy("seq")
    .execute();
  return { ...result, events };
}

/**
 * Writes one event in a transaction of its own, as a change does, and gives
 * back the number the chain gave it. Events are sealed into the chain when
 * their transaction commits (decision 055), so the number is read back then:
 * the newest event with this action and summary.
 */
export async function writeAuditEvent(db: Kysely<Database>, ctx: ActionContext, entry: AuditEntry): Promise<number> {
  await db.transaction().execute((trx) => recordAuditEvent(trx, ctx, entry));
  const written = await db
    .selectFrom("audit_event")
    .select("seq")
    .where("action", "=", entry.action)
    .where("summary", "=", entry.summary)
    .orderBy("seq", "desc")
    .limit(1)
    .executeTakeFirstOrThrow();
  return Number(written.seq);
}
