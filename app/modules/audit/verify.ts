// Checks the whole trail: every event's hash, the links between events, that
// sequence numbers run without gaps, and that every signed checkpoint still
// matches the chain. Streams in batches, so a million events fit in memory.
import type crypto from "node:crypto";
import type { AuditEventRow, Reader } from "#app/database/schema";
import { eventHash, GENESIS_HASH, type ChainedContent, type Subject } from "./canonical";
import { checkpointSignatureValid, listCheckpoints } from "./checkpoints";

export type VerifyProblem =
  | { kind: "altered"; seq: number; message: string }
  | { kind: "missing"; seq: number; message: string }
  | { kind: "out_of_order"; seq: number; message: string }
  | { kind: "checkpoint"; seq: number; checkpointId: number; message: string };

export interface VerifyResult {
  ok: boolean;
  events: number;
  headHash: string;
  checkpointsChecked: number;
  problem: VerifyProblem | null;
}

export interface VerifyOptions {
  /** The portal's published public key; checkpoints not signed by it fail. */
  publicKey: crypto.KeyObject | null;
  batchSize?: number;
}

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

export async function verifyAuditTrail(db: Reader, options: VerifyOptions): Promise<VerifyResult> {
  const batchSize = options.batchSize ?? 10_000;
  const checkpoints = await listCheckpoints(db);
  for (const cp of checkpoints) {
    if (options.publicKey && !checkpointSignatureValid(options.publicKey, cp)) {
      return fail(0, GENESIS_HASH, checkpoints.length, {
        kind: "checkpoint",
        seq: cp.seq,
        checkpointId: cp.id,
        message: `Checkpoint ${cp.id} (event ${cp.seq}) is not signed by the portal's key: it was forged or altered.`,
      });
    }
  }
  const expectedAt = new Map<number, (typeof checkpoints)[number][]>();
  for (const cp of checkpoints) expectedAt.set(cp.seq, [...(expectedAt.get(cp.seq) ?? []), cp]);

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
      if (row.seq !== expectedSeq) {
        return fail(expectedSeq - 1, prevHash, checkpoints.length, {
          kind: "missing",
          seq: expectedSeq,
          message: `Event ${expectedSeq} is missing: the trail jumps from event ${expectedSeq - 1} to event ${row.seq}.`,
        });
      }
      if (row.prev_hash !== prevHash) {
        return fail(expectedSeq - 1, prevHash, checkpoints.length, {
          kind: "out_of_order",
          seq: row.seq,
          message: `Event ${row.seq} does not follow event ${row.seq - 1}: it was inserted out of order or the event before it was replaced.`,
        });
      }
      const recomputed = eventHash(prevHash, chainedContentOf(row));
      if (recomputed !== row.hash) {
        return fail(expectedSeq - 1, prevHash, checkpoints.length, {
          kind: "altered",
          seq: row.seq,
          message: `Event ${row.seq} (${row.action}) was altered after it was written: its content no longer matches its hash.`,
        });
      }
      for (const cp of expectedAt.get(row.seq) ?? []) {
        if (cp.hash !== row.hash) {
          return fail(row.seq, prevHash, checkpoints.length, {
            kind: "checkpoint",
            seq: row.seq,
            checkpointId: cp.id,
            message: `Checkpoint ${cp.id} signed event ${cp.seq} with a different hash: the chain was recomputed after it was signed.`,
          });
        }
      }
      prevHash = row.hash;
      lastSeq = row.seq;
      expectedSeq += 1;
    }
  }
  const events = expectedSeq - 1;
  for (const cp of checkpoints) {
    if (cp.seq > events) {
      return fail(events, prevHash, checkpoints.length, {
        kind: "checkpoint",
        seq: cp.seq,
        checkpointId: cp.id,
        message: `Checkpoint ${cp.id} was signed at event ${cp.seq}, but the trail now ends at event ${events}: events were removed from the end.`,
      });
    }
    if (cp.seq === 0 && cp.hash !== GENESIS_HASH) {
      return fail(events, prevHash, checkpoints.length, {
        kind: "checkpoint",
        seq: 0,
        checkpointId: cp.id,
        message: `Checkpoint ${cp.id} for the empty trail has an unexpected hash.`,
      });
    }
  }
  return { ok: true, events, headHash: prevHash, checkpointsChecked: checkpoints.length, problem: null };
}

function fail(events: number, headHash: string, checkpointsChecked: number, problem: VerifyProblem): VerifyResult {
  return { ok: false, events, headHash, checkpointsChecked, problem };
}
