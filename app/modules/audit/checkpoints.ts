// Signed checkpoints: the head of the chain (event count and hash) signed
// with the portal's Ed25519 key, published, and emailed to witnesses. A chain
// rewritten whole, or cut short, no longer matches a checkpoint an auditor
// already holds.
import crypto from "node:crypto";
import { sql, type Selectable } from "kysely";
import type { AuditCheckpointTable, DB, Reader, Trx } from "#app/database/schema";
import type { ActionContext } from "#app/modules/identity/actor";
import { queueEmail } from "#app/modules/outbox/outbox";
import { recordAuditEvent } from "./audit";
import { checkChainNotRewound, rewindEntry, rewindRecorded, settleChainWatch } from "./chain-watch";
import type { SigningKey } from "./signing-key";

export interface Checkpoint {
  /** The checkpoint's number: 1, 2, 3… with no gaps, so a removed one shows. */
  id: number;
  seq: number;
  hash: string;
  signedAt: Date;
  keyId: string;
  signature: string;
  reason: AuditCheckpointTable["reason"];
}

/**
 * One checkpoint as published in /audit/checkpoints.json and in witness
 * emails; `npm run audit:verify -- --witness` reads this form back.
 */
export interface PublishedCheckpoint {
  id: number;
  events: number;
  hash: string;
  signedAt: string;
  keyId: string;
  reason: Checkpoint["reason"];
  signature: string;
}

export function publishedCheckpoint(c: Checkpoint): PublishedCheckpoint {
  return { id: c.id, events: c.seq, hash: c.hash, signedAt: c.signedAt.toISOString(), keyId: c.keyId, reason: c.reason, signature: c.signature };
}

/** The signed text with placeholders, so anyone can rebuild it from a published checkpoint. */
export const SIGNED_MESSAGE_TEMPLATE = "placements-portal audit checkpoint v1\nevents=<events>\nhash=<hash>\nsigned_at=<signedAt>";

/** The JSON document at /audit/checkpoints.json: the key, how to rebuild the signed text, every checkpoint oldest first. */
export function checkpointsDocument(checkpoints: readonly Checkpoint[], key: Pick<SigningKey, "keyId" | "publicKeyPem">) {
  return {
    portal: "Children's Placements Portal",
    algorithm: "Ed25519",
    keyId: key.keyId,
    publicKey: key.publicKeyPem,
    signedMessage: SIGNED_MESSAGE_TEMPLATE,
    checkpoints: checkpoints.map(publishedCheckpoint),
  };
}

/** Where new checkpoints are sent, and the portal's address for the links in those emails. */
export interface WitnessSettings {
  witnessEmails: readonly string[];
  baseUrl: string;
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

/**
 * Signs the chain's head as this transaction sees it, audits that it did (the
 * very next event), and queues a copy to every witness, all in one transaction.
 */
export async function createCheckpoint(
  trx: Trx,
  ctx: ActionContext,
  key: SigningKey,
  reason: Checkpoint["reason"],
  witnesses: WitnessSettings | null = null,
): Promise<Checkpoint> {
  // Events this transaction staged are sealed into the chain now, and any it stages from here on as
  // each statement ends (decision 055): the checkpoint signs a head that has them, and its own
  // event is the very next.
  await sql`SET CONSTRAINTS audit_event_sealed_at_commit IMMEDIATE`.execute(trx);
  // Holding the head lock means no event can slip in between what is read and what is signed.
  const head = (await sql<{ seq: number; hash: string }>`SELECT head_seq AS seq, head_hash AS hash FROM lock_audit_chain_head()`.execute(trx)).rows[0];
  if (!head) throw new Error("The audit chain has no head row");
  const signedAt = new Date(ctx.now.getTime());
  const signature = signCheckpoint(key, head.seq, head.hash, signedAt);
  // Numbered one after the last rather than from the id sequence: a rolled-back
  // checkpoint would leave a gap in a sequence, and verification reads any gap
  // as a deleted checkpoint. The head lock above serialises signers.
  const row = await trx
    .insertInto("audit_checkpoint")
    .values({
      id: sql<number>`(SELECT coalesce(max(id), 0) + 1 FROM audit_checkpoint)`,
      seq: head.seq,
      hash: head.hash,
      signed_at: signedAt,
      key_id: key.keyId,
      signature,
      reason,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordAuditEvent(trx, ctx, {
    action: "audit.checkpoint_signed",
    summary: `Signed audit checkpoint at event ${head.seq}`,
    subjects: [{ type: "audit_checkpoint", id: String(row.id) }],
    after: { events: head.seq, hash: head.hash, keyId: key.keyId, reason },
  });
  const checkpoint: Checkpoint = { id: row.id, seq: head.seq, hash: head.hash, signedAt, keyId: key.keyId, signature, reason };
  for (const to of witnesses?.witnessEmails ?? []) {
    await queueEmail(trx, {
      to,
      template: {
        name: "audit_checkpoint_witness",
        props: { checkpoint: publishedCheckpoint(checkpoint), checkpointsUrl: `${witnesses!.baseUrl}/audit/checkpoints` },
      },
    });
  }
  return checkpoint;
}

const MINUTE_MS = 60 * 1000;
const DAY_MS = 24 * 60 * MINUTE_MS;

export interface CheckpointSettings extends WitnessSettings {
  /** Sign when the chain has grown and the last checkpoint is at least this old (AUDIT_CHECKPOINT_INTERVAL_MINUTES). */
  intervalMinutes: number;
}

/**
 * Which checkpoint is due, if any: the first ever; a daily one when the last
 * is a day old, grown or not; an interval one when the chain has grown past
 * the last checkpoint's own event and the last is at least the interval old.
 */
export function dueCheckpoint(
  latest: { seq: number; signedAt: Date } | null,
  lastEventSeq: number,
  now: Date,
  intervalMinutes: number,
): "daily" | "interval" | null {
  if (!latest) return "daily";
  const age = now.getTime() - latest.signedAt.getTime();
  if (age >= DAY_MS) return "daily";
  const grown = lastEventSeq > latest.seq + 1;
  return grown && age >= intervalMinutes * MINUTE_MS ? "interval" : null;
}

/**
 * Called by every instance's scheduler; an advisory lock and a re-check make
 * sure only one checkpoint is signed however many instances run.
 */
export async function ensureCheckpointDue(db: DB, ctx: ActionContext, key: SigningKey, settings: CheckpointSettings): Promise<Checkpoint | null> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(7301002)`.execute(trx);
    const latest = await trx.selectFrom("audit_checkpoint").select(["seq", "signed_at"]).orderBy("id", "desc").limit(1).executeTakeFirst();
    const last = await trx.selectFrom("audit_event").select("seq").orderBy("seq", "desc").limit(1).executeTakeFirst();
    const reason = dueCheckpoint(latest ? { seq: latest.seq, signedAt: latest.signed_at } : null, last?.seq ?? 0, ctx.now, settings.intervalMinutes);
    return reason ? createCheckpoint(trx, ctx, key, reason, settings) : null;
  });
}

/**
 * The portal's ten-minute round: first look for the chain rewound under this
 * process (and if so record it, sign a checkpoint and email the witnesses at
 * once), else sign whatever checkpoint is due.
 */
export async function keepAuditCheckpoints(db: DB, ctx: ActionContext, key: SigningKey, settings: CheckpointSettings): Promise<Checkpoint | null> {
  const rewinds = await checkChainNotRewound(db);
  let checkpoint: Checkpoint | null;
  if (rewinds.length > 0) {
    checkpoint = await db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(7301002)`.execute(trx);
      for (const notice of rewinds) {
        if (!(await rewindRecorded(trx, notice))) await recordAuditEvent(trx, ctx, rewindEntry(notice));
      }
      return createCheckpoint(trx, ctx, key, "rewind_detected", settings);
    });
  } else {
    checkpoint = await ensureCheckpointDue(db, ctx, key, settings);
  }
  await settleChainWatch(db, rewinds);
  return checkpoint;
}

export async function listCheckpoints(db: Reader): Promise<Checkpoint[]> {
  const rows = await db.selectFrom("audit_checkpoint").selectAll().orderBy("id").execute();
  return rows.map(checkpointOf);
}

/** One page of checkpoints, newest first, for people reading /audit/checkpoints. */
export async function pageOfCheckpoints(db: Reader, options: { page: number; pageSize: number }): Promise<{ checkpoints: Checkpoint[]; total: number }> {
  const [rows, count] = await Promise.all([
    db
      .selectFrom("audit_checkpoint")
      .selectAll()
      .orderBy("id", "desc")
      .limit(options.pageSize)
      .offset((options.page - 1) * options.pageSize)
      .execute(),
    db.selectFrom("audit_checkpoint").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { checkpoints: rows.map(checkpointOf), total: Number(count.n) };
}

function checkpointOf(r: Selectable<AuditCheckpointTable>): Checkpoint {
  return { id: r.id, seq: r.seq, hash: r.hash, signedAt: r.signed_at, keyId: r.key_id, signature: r.signature, reason: r.reason };
}

