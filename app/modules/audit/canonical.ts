// The canonical form of an audit event and its hash. Verification recomputes
// exactly this from the stored row, so any change to a stored field, or to
// the order of rows, changes a hash.
import crypto from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

/** JSON with object keys sorted at every depth; undefined becomes absent. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(",")}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  if (typeof value === "number" && !Number.isFinite(value)) return "null";
  if (typeof value === "bigint") return value.toString();
  return JSON.stringify(value);
}

/** Plain JSON data as PostgreSQL's jsonb will give it back. */
export function toJsonValue(value: unknown): unknown {
  if (value === undefined) return null;
  return JSON.parse(canonicalJson(value));
}

export interface Subject {
  type: string;
  id: string;
}

export interface ChainedContent {
  seq: number;
  occurredAt: Date;
  actorUserId: string | null;
  actorName: string | null;
  actorRoles: string[];
  actorOrganisationId: string | null;
  actorOrganisationName: string | null;
  action: string;
  summary: string;
  subjects: Subject[];
  before: unknown;
  after: unknown;
  reason: string | null;
  requestId: string | null;
  clientAddress: string | null;
}

export function eventHash(prevHash: string, content: ChainedContent): string {
  return crypto.createHash("sha256").update(hashedText(prevHash, content.seq, chainedTail(content))).digest("hex");
}

/**
 * What an event's hash covers: the previous hash, a newline, then the event as
 * the canonical JSON array [seq, occurredAt, actor…, clientAddress]. Split as
 * "[" + seq + "," + tail so that PostgreSQL can put the sequence number in
 * when it takes the chain's head (recordAuditEvent), with the same result.
 */
function hashedText(prevHash: string, seq: number, tail: string): string {
  return `${prevHash}\n[${seq},${tail}`;
}

/** The canonical JSON of everything after seq, without the opening bracket. */
export function chainedTail(content: Omit<ChainedContent, "seq">): string {
  return canonicalJson([
    content.occurredAt.toISOString(),
    content.actorUserId,
    content.actorName,
    content.actorRoles,
    content.actorOrganisationId,
    content.actorOrganisationName,
    content.action,
    content.summary,
    content.subjects,
    content.before ?? null,
    content.after ?? null,
    content.reason,
    content.requestId,
    content.clientAddress,
  ]).slice(1);
}
