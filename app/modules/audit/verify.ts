// Checks the whole trail: every event's hash, the links between events, that
// sequence numbers run without gaps, that every signed checkpoint still
// matches the chain and is matched by its own "checkpoint signed" event (and
// the other way round), that checkpoint numbers run without gaps, that no
// running portal recorded the chain rewound under it, and that the chain
// still extends every checkpoint a witness holds outside the database.
// Streams in batches, so a million events fit in memory.
import type crypto from "node:crypto";
import type { AuditEventRow, Reader } from "#app/database/schema";
import { eventHash, GENESIS_HASH, type ChainedContent, type Subject } from "./canonical";
import { REWIND_DETECTED } from "./chain-watch";
import { checkpointSignatureValid, listCheckpoints, type Checkpoint } from "./checkpoints";
import type { WitnessedCheckpoint } from "./witness";

export type VerifyProblem =
  | { kind: "altered"; seq: number; message: string }
  | { kind: "missing"; seq: number; message: string }
  | { kind: "out_of_order"; seq: number; message: string }
  | { kind: "checkpoint"; seq: number; checkpointId: number; message: string }
  | { kind: "rewind"; seq: number; message: string }
  | { kind: "witness"; seq: number; checkpointId: number; source: string; message: string };

export interface VerifyResult {
  ok: boolean;
  events: number;
  headHash: string;
  checkpointsChecked: number;
  witnessesChecked: number;
  problem: VerifyProblem | null;
}

export interface VerifyOptions {
  /** The portal's published public key; checkpoints not signed by it fail. */
  publicKey: crypto.KeyObject | null;
  /** Copies of checkpoints kept outside the database (`--witness`). */
  witnesses?: readonly WitnessedCheckpoint[];
  batchSize?: number;
}

const CHECKPOINT_SIGNED = "audit.checkpoint_signed";

/** What the hash of a stored event covers, read back from its row. */
export function chainedContentOf(row: AuditEventRow): ChainedContent {
  return {
    seq: row.seq,
    occurredAt: row.occurred_at,
    actorUserId: row.actor_user_id,
    actorName: row.actor_name,
    actorRoles: row.actor_roles,
    actorOrganisationId: row.actor_organisation_id,
    actorOrganisationName: row.actor_organisation_name,
    action: row.action,
    summary: row.summary,
    subjects: row.subjects as Subject[],
    before: row.before,
    after: row.after,
    reason: row.reason,
    requestId: row.request_id,
    clientAddress: row.client_address,
  };
}

/** The checkpoint number a "checkpoint signed" event names, or null. */
function signedCheckpointId(row: AuditEventRow): number | null {
  if (row.action !== CHECKPOINT_SIGNED) return null;
  const subject = (row.subjects as Subject[]).find((s) => s.type === "audit_checkpoint");
  return subject ? Number(subject.id) : null;
}

/** Why a "checkpoint signed" event does not describe its checkpoint row, or null when it does. */
function signedEventMismatch(row: AuditEventRow, cp: Checkpoint): string | null {
  const after = (row.after ?? {}) as { events?: unknown; hash?: unknown; keyId?: unknown; reason?: unknown };
  if (cp.seq !== row.seq - 1) return `it was signed at event ${cp.seq}, not at event ${row.seq - 1} just before it`;
  if (after.events !== cp.seq) return `the event records event ${String(after.events)}, the table ${cp.seq}`;
  if (after.hash !== cp.hash) return "the event records a different hash";
  if (after.keyId !== cp.keyId) return "the event records a different key";
  if (after.reason !== cp.reason) return `the event records reason "${String(after.reason)}", the table "${cp.reason}"`;
  return null;
}

function sameCheckpoint(w: WitnessedCheckpoint, cp: Checkpoint): boolean {
  return w.seq === cp.seq && w.hash === cp.hash && w.signedAt.getTime() === cp.signedAt.getTime() && w.signature === cp.signature;
}

export async function verifyAuditTrail(db: Reader, options: VerifyOptions): Promise<VerifyResult> {
  const batchSize = options.batchSize ?? 10_000;
  const witnesses = options.witnesses ?? [];
  const checkpoints = await listCheckpoints(db);
  const fail = (events: number, headHash: string, problem: VerifyProblem): VerifyResult => ({
    ok: false,
    events,
    headHash,
    checkpointsChecked: checkpoints.length,
    witnessesChecked: witnesses.length,
    problem,
  });
  const key = options.publicKey;
  const forged = key ? checkpoints.find((cp) => !checkpointSignatureValid(key, cp)) : undefined;
  if (forged) {
    return fail(0, GENESIS_HASH, {
      kind: "checkpoint",
      seq: forged.seq,
      checkpointId: forged.id,
      message: `Checkpoint ${forged.id} (event ${forged.seq}) is not signed by the portal's key: it was forged or altered.`,
    });
  }
  const forgedCopy = key ? witnesses.find((w) => !checkpointSignatureValid(key, w)) : undefined;
  if (forgedCopy) {
    return fail(0, GENESIS_HASH, {
      kind: "witness",
      seq: forgedCopy.seq,
      checkpointId: forgedCopy.id,
      source: forgedCopy.source,
      message: `The witnessed copy of checkpoint ${forgedCopy.id} in ${forgedCopy.source} is not signed by the portal's key: the copy was altered, or is from another portal or key.`,
    });
  }
  const byId = new Map(checkpoints.map((cp) => [cp.id, cp]));
  const signedAt = groupBy(checkpoints, (cp) => cp.seq);
  const witnessedAt = groupBy(witnesses, (w) => w.seq);
  const recorded = new Set<number>();

  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let lastSeq = 0;
  for (;;) {
    const rows = await db
      .selectFrom("audit_event")
      .selectAll()
      .where("seq", ">", lastSeq)
      .orderBy("seq")
      .limit(batchSize)
      .execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      const intactBefore = (problem: VerifyProblem) => fail(expectedSeq - 1, prevHash, problem);
      if (row.seq !== expectedSeq) {
        return intactBefore({
          kind: "missing",
          seq: expectedSeq,
          message: `Event ${expectedSeq} is missing: the trail jumps from event ${expectedSeq - 1} to event ${row.seq}.`,
        });
      }
      if (row.prev_hash !== prevHash) {
        return intactBefore({
          kind: "out_of_order",
          seq: row.seq,
          message: `Event ${row.seq} does not follow event ${row.seq - 1}: it was inserted out of order or the event before it was replaced.`,
        });
      }
      const recomputed = eventHash(prevHash, chainedContentOf(row));
      if (recomputed !== row.hash) {
        return intactBefore({
          kind: "altered",
          seq: row.seq,
          message: `Event ${row.seq} (${row.action}) was altered after it was written: its content no longer matches its hash.`,
        });
      }
      for (const cp of signedAt.get(row.seq) ?? []) {
        if (cp.hash !== row.hash) {
          return intactBefore({
            kind: "checkpoint",
            seq: row.seq,
            checkpointId: cp.id,
            message: `Checkpoint ${cp.id} signed event ${cp.seq} with a different hash: the chain was recomputed after it was signed.`,
          });
        }
      }
      for (const w of witnessedAt.get(row.seq) ?? []) {
        if (w.hash !== row.hash) {
          return intactBefore({
            kind: "witness",
            seq: row.seq,
            checkpointId: w.id,
            source: w.source,
            message: `Event ${row.seq} no longer has the hash of checkpoint ${w.id} witnessed in ${w.source}: the chain was rewritten after that checkpoint was signed.`,
          });
        }
      }
      // Each checkpoint is followed at once by its own "checkpoint signed" event.
      const signedId = signedCheckpointId(row);
      for (const cp of signedAt.get(row.seq - 1) ?? []) {
        if (signedId !== cp.id) {
          return intactBefore({
            kind: "checkpoint",
            seq: row.seq,
            checkpointId: cp.id,
            message: `Checkpoint ${cp.id} signed event ${cp.seq}, but event ${row.seq} is not its "checkpoint signed" event: events after the checkpoint were removed or replaced.`,
          });
        }
      }
      if (row.action === CHECKPOINT_SIGNED) {
        const cp = signedId === null ? undefined : byId.get(signedId);
        if (!cp) {
          return intactBefore({
            kind: "checkpoint",
            seq: row.seq,
            checkpointId: signedId ?? 0,
            message: `Checkpoint ${signedId ?? "(no number)"} is recorded in the chain at event ${row.seq} but is missing from the checkpoint table: it was deleted.`,
          });
        }
        const mismatch = signedEventMismatch(row, cp);
        if (mismatch) {
          return intactBefore({
            kind: "checkpoint",
            seq: row.seq,
            checkpointId: cp.id,
            message: `Checkpoint ${cp.id} does not match its "checkpoint signed" event ${row.seq}: ${mismatch}.`,
          });
        }
        recorded.add(cp.id);
      }
      if (row.action === REWIND_DETECTED) {
        return intactBefore({
          kind: "rewind",
          seq: row.seq,
          message: `Event ${row.seq} records that the running portal found the chain rewound under it: ${row.summary}`,
        });
      }
      prevHash = row.hash;
      lastSeq = row.seq;
      expectedSeq += 1;
    }
  }
  const events = expectedSeq - 1;
  const ended = (problem: VerifyProblem) => fail(events, prevHash, problem);
  for (const cp of checkpoints) {
    if (cp.seq === 0 && cp.hash !== GENESIS_HASH) {
      return ended({ kind: "checkpoint", seq: 0, checkpointId: cp.id, message: `Checkpoint ${cp.id} for the empty trail has an unexpected hash.` });
    }
    if (recorded.has(cp.id)) continue;
    if (cp.seq >= events) {
      return ended({
        kind: "checkpoint",
        seq: cp.seq,
        checkpointId: cp.id,
        message: `Checkpoint ${cp.id} was signed at event ${cp.seq}, but the trail now ends at event ${events}: events ${events + 1} to ${cp.seq + 1} at least (the last being the checkpoint's own "checkpoint signed" event) were removed from the end.`,
      });
    }
  }
  for (const w of witnesses) {
    if (w.seq > events) {
      return ended({
        kind: "witness",
        seq: w.seq,
        checkpointId: w.id,
        source: w.source,
        message: `Checkpoint ${w.id} witnessed in ${w.source} was signed at event ${w.seq}, but the trail now ends at event ${events}: events ${events + 1} to ${w.seq} at least were removed from the end.`,
      });
    }
    const cp = byId.get(w.id);
    if (!cp || !sameCheckpoint(w, cp)) {
      return ended({
        kind: "witness",
        seq: w.seq,
        checkpointId: w.id,
        source: w.source,
        message: cp
          ? `Checkpoint ${w.id} in the database is not the checkpoint ${w.id} witnessed in ${w.source} (event ${w.seq}): it was replaced.`
          : `Checkpoint ${w.id} witnessed in ${w.source} (event ${w.seq}) is missing from the database: it was deleted.`,
      });
    }
  }
  const numbers = checkpoints.map((cp) => cp.id).sort((a, b) => a - b);
  for (const [index, id] of numbers.entries()) {
    if (id !== index + 1) {
      return ended({
        kind: "checkpoint",
        seq: byId.get(id)!.seq,
        checkpointId: index + 1,
        message: `Checkpoint ${index + 1} is missing: the checkpoint numbers jump from ${index} to ${id}.`,
      });
    }
  }
  return { ok: true, events, headHash: prevHash, checkpointsChecked: checkpoints.length, witnessesChecked: witnesses.length, problem: null };
}

function groupBy<T>(items: readonly T[], key: (item: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
