// Signed checkpoints: the head of the chain (event count and hash) signed
// with the portal's Ed25519 key and published. A chain rewritten whole, or
// cut short, no longer matches a checkpoint an auditor has already seen.
import crypto from "node:crypto";
import { sql } from "kysely";
import type { DB, Reader, Trx } from "#app/database/schema";
import type { ActionContext } from "#app/modules/identity/actor";
import { recordAuditEvent } from "./audit";
import type { SigningKey } from "./signing-key";

export interface Checkpoint {
  id: number;
  seq: number;
  hash: string;
  signedAt: Date;
  keyId: string;
  signature: string;
  reason: "daily" | "on_demand";
}

export function checkpointMessage(seq: number, hash: string, signedAt: Date): string {
  return `placements-portal audit checkpoint v1\nevents=${seq}\nhash=${hash}\nsigned_at=${signedAt.toISOString()}`;
}

export function signCheckpoint(key: SigningKey, seq: number, hash: string, signedAt: Date): string {
  return crypto.sign(null, Buffer.from(checkpointMessage(seq, hash, signedAt)), key.privateKey).toString("base64");
}

export function checkpointSignatureValid(publicKey: crypto.KeyObject, checkpoint: Pick<Checkpoint, "seq" | "hash" | "signedAt" | "signature">): boolean {
  return crypto.verify(
    null,
    Buffer.from(checkpointMessage(checkpoint.seq, checkpoint.hash, checkpoint.signedAt)),
    publicKey,
    Buffer.from(checkpoint.signature, "base64"),
  );
}

/** Signs the chain's head as this transaction sees it, then audits that it did. */
export async function createCheckpoint(
  trx: Trx,
  ctx: ActionContext,
  key: SigningKey,
  reason: Checkpoint["reason"],
): Promise<Checkpoint> {
  // Holding the head lock means no event can slip in between what is read and what is signed.
  const head = (await sql<{ seq: number; hash: string }>`SELECT head_seq AS seq, head_hash AS hash FROM lock_audit_chain_head()`.execute(trx)).rows[0];
  if (!head) throw new Error("The audit chain has no head row");
  const signedAt = new Date(ctx.now.getTime());
  const signature = signCheckpoint(key, head.seq, head.hash, signedAt);
  const row = await trx
    .insertInto("audit_checkpoint")
    .values({ seq: head.seq, hash: head.hash, signed_at: signedAt, key_id: key.keyId, signature, reason })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordAuditEvent(trx, ctx, {
    action: "audit.checkpoint_signed",
    summary: `Signed audit checkpoint at event ${head.seq}`,
    subjects: [{ type: "audit_checkpoint", id: String(row.id) }],
    after: { events: head.seq, hash: head.hash, keyId: key.keyId, reason },
  });
  return { id: row.id, seq: head.seq, hash: head.hash, signedAt, keyId: key.keyId, signature, reason };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Called by every instance's scheduler; an advisory lock and a re-check make
 * sure only one daily checkpoint is signed however many instances run.
 */
export async function ensureDailyCheckpoint(db: DB, ctx: ActionContext, key: SigningKey): Promise<Checkpoint | null> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(7301002)`.execute(trx);
    const latest = await trx
      .selectFrom("audit_checkpoint")
      .select("signed_at")
      .orderBy("id", "desc")
      .limit(1)
      .executeTakeFirst();
    if (latest && ctx.now.getTime() - latest.signed_at.getTime() < DAY_MS) return null;
    return createCheckpoint(trx, ctx, key, "daily");
  });
}

export async function listCheckpoints(db: Reader): Promise<Checkpoint[]> {
  const rows = await db.selectFrom("audit_checkpoint").selectAll().orderBy("id").execute();
  return rows.map((r) => ({
    id: r.id,
    seq: r.seq,
    hash: r.hash,
    signedAt: r.signed_at,
    keyId: r.key_id,
    signature: r.signature,
    reason: r.reason,
  }));
}

