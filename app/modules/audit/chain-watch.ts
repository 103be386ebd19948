// What this process knows of the chain, so that the running portal notices
// the chain being rewound under it: events removed from the end and the head
// set back leave nothing inside the database once the portal writes on
// (decision 011). Only the portal's checkpoint loop arms the watch, so
// commands and tests that rebuild a trail on purpose are not alarmed.
import crypto from "node:crypto";
import { sql } from "kysely";
import type { Reader } from "#app/database/schema";
import { registerAuditActions } from "./actions";
import type { AuditEntry } from "./audit";

export const REWIND_DETECTED = "audit.chain_rewind_detected";

registerAuditActions({ [REWIND_DETECTED]: "Found the audit chain rewound" });

export interface ChainPoint {
  seq: number;
  hash: string;
}

export interface RewindNotice {
  /** Written into the event, so the checkpoint loop records each notice once. */
  id: string;
  /** The first event number this process had seen that is gone or replaced. */
  fromSeq: number;
  /** The last event number this process knew to be committed. */
  toSeq: number;
  /** The last event (number and hash) this process read from the chain, if any. */
  lastSeen: ChainPoint | null;
}

interface Watch {
  /** The highest event number this process knows was committed. */
  knownSeq: number;
  /** The last event this process read, with its hash, to check it is still there. */
  lastSeen: ChainPoint | null;
  /** Rewinds found and not yet recorded by the checkpoint loop. */
  pending: RewindNotice[];
}

let watch: Watch | null = null;
/**
 * Called by recordAuditEvent with the chain's head as last committed, read as
 * the event was staged (decision 055). A head below a number this process
 * already knew to be committed means events were taken away; the event's own
 * number would have been the first of them.
 */
export function noticeAuditWrite(committedHead: number): RewindNotice | null {
  if (!watch) return null;
  if (committedHead < watch.knownSeq) {
    const notice = { id: crypto.randomUUID(), fromSeq: committedHead + 1, toSeq: watch.knownSeq, lastSeen: watch.lastSeen };
    watch.pending.push(notice);
    watch.knownSeq = committedHead;
    watch.lastSeen = null;
    return notice;
  }
  watch.knownSeq = Math.max(watch.knownSeq, committedHead);
  return null;
}

/**
 * The checkpoint loop's look at the chain: is the last event this process
 * read still there with the same hash? Arms the watch on its first call.
 * Returns every rewind found and not yet recorded.
 */
export async function checkChainNotRewound(db: Reader): Promise<RewindNotice[]> {
  // What this process knew, taken before reading the chain: a round running
  // beside this one may move the watch on while the read is under way, and
  // comparing a newer watch with an older read would cry rewind when nothing
  // was taken away.
  const known = watch ? { seen: watch.lastSeen, knownSeq: watch.knownSeq } : null;
  const last = await lastEvent(db);
  if (!watch || !known) {
    watch ??= { knownSeq: last?.seq ?? 0, lastSeen: last, pending: [] };
    return [];
  }
  const { seen } = known;
  const lastSeq = last?.seq ?? 0;
  const seenNow = seen ? await db.selectFrom("audit_event").select("hash").where("seq", "=", seen.seq).executeTakeFirst() : null;
  const seenGone = seen !== null && seenNow?.hash !== seen.hash;
  if (seenGone || lastSeq < known.knownSeq) {
    watch.pending.push({
      id: crypto.randomUUID(),
      fromSeq: seenGone ? Math.min(seen.seq, lastSeq + 1) : lastSeq + 1,
      toSeq: Math.max(seen?.seq ?? 0, known.knownSeq),
      lastSeen: seen,
    });
    // Found once: if recording it fails, the next round retries this notice rather than finding it again.
    watch.knownSeq = 0;
    watch.lastSeen = null;
  }
  return [...watch.pending];
}

/** After the loop has recorded these notices and read the chain again. */
export async function settleChainWatch(db: Reader, recorded: readonly RewindNotice[]): Promise<void> {
  if (!watch) return;
  const done = new Set(recorded.map((n) => n.id));
  watch.pending = watch.pending.filter((n) => !done.has(n.id));
  const last = await lastEvent(db);
  watch.lastSeen = last;
  watch.knownSeq = Math.max(watch.knownSeq, last?.seq ?? 0);
}

/** Whether the chain already holds the event for this notice (written in the transaction that found it). */
export async function rewindRecorded(db: Reader, notice: RewindNotice): Promise<boolean> {
  const row = await db
    .selectFrom("audit_event")
    .select("seq")
    .where("action", "=", REWIND_DETECTED)
    .where(sql<string>`after->>'noticeId'`, "=", notice.id)
    .executeTakeFirst();
  return row !== undefined;
}

export function rewindEntry(notice: RewindNotice): AuditEntry {
  const gone = notice.fromSeq === notice.toSeq ? `event ${notice.fromSeq}` : `events ${notice.fromSeq} to ${notice.toSeq}`;
  const seen = notice.lastSeen ? ` The last event it read was event ${notice.lastSeen.seq} with hash ${notice.lastSeen.hash}.` : "";
  return {
    action: REWIND_DETECTED,
    summary: `The audit chain was rewound under the running portal: ${gone}, which this portal had seen written, are gone or were replaced.${seen}`,
    subjects: [],
    after: {
      noticeId: notice.id,
      fromSeq: notice.fromSeq,
      toSeq: notice.toSeq,
      lastSeenSeq: notice.lastSeen?.seq ?? null,
      lastSeenHash: notice.lastSeen?.hash ?? null,
    },
  };
}

/** Tests: forget everything, as a new process would. */
export function resetChainWatch(): void {
  watch = null;
}

async function lastEvent(db: Reader): Promise<ChainPoint | null> {
  const row = await db.selectFrom("audit_event").select(["seq", "hash"]).orderBy("seq", "desc").limit(1).executeTakeFirst();
  return row ?? null;
}
