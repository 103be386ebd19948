// Appends many valid, chained audit events quickly: hashes computed in Node
// with the app's own eventHash (so `npm run audit:verify` checks them exactly
// as it checks real ones), rows inserted with one multi-row INSERT … SELECT
// FROM unnest(…) per batch, and the chain head moved once at the end.
// Connect as the database owner (or the runtime role: both may INSERT).
import pg from "pg";
import { eventHash, type ChainedContent } from "#app/modules/audit/canonical";
import { SeededRandom } from "#db/seed/random";

export interface BulkActor {
  userId: string;
  name: string;
  roles: string[];
  organisationId: string;
  organisationName: string;
}

export interface BulkHome {
  id: string;
  name: string;
  organisationId: string;
}

export interface BulkAuditOptions {
  count: number;
  seed?: string | number;
  /** People who act; invented when absent. */
  actors?: BulkActor[];
  /** Homes the events are about; invented when absent. */
  homes?: BulkHome[];
  /** Agreement ids the events are about; invented when absent. */
  agreementIds?: string[];
  /** occurred_at runs evenly from `from` to `to` (after the current head's time is not checked). */
  from: Date;
  to: Date;
  /** Rows per INSERT statement. Default 5,000. */
  batchSize?: number;
  onProgress?: (written: number) => void;
  /**
   * Drop audit_event's secondary indexes (GIN on subjects, actor, action,
   * occurred_at) for the load and build them again after: much faster for
   * very large loads. The primary key and the unique hash stay throughout.
   */
  rebuildIndexes?: boolean;
}

export interface BulkAuditResult {
  written: number;
  firstSeq: number;
  lastSeq: number;
  headHash: string;
  hashMs: number;
  /** Time spent building the dropped indexes again (0 unless rebuildIndexes). */
  indexMs: number;
  elapsedMs: number;
}

const FIRST_NAMES = ["Amara", "Ben", "Chloe", "Dev", "Ellie", "Finn", "Grace", "Harvey", "Isla", "Jack", "Kiran", "Lily"];
const SURNAMES = ["Ahmed", "Bennett", "Chapman", "Davies", "Edwards", "Foster", "Green", "Hughes", "Iqbal", "Pascoe"];
const REASONS = [
  "Ofsted variation approved",
  "Correction requested by the provider",
  "Annual review",
  "Registration certificate updated",
];

function uuid(rng: SeededRandom): string {
  let hex = "";
  for (let i = 0; i < 4; i++) hex += Math.floor(rng.next() * 0x100000000).toString(16).padStart(8, "0");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${"89ab"[parseInt(hex[16] as string, 16) % 4]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function inventActors(rng: SeededRandom, n: number): BulkActor[] {
  const orgs = Array.from({ length: Math.max(1, Math.floor(n / 4)) }, (_, i) => ({ id: uuid(rng), name: `Generated Organisation ${i + 1}` }));
  const roles = [["commissioning_officer"], ["evaluator"], ["provider_user"], ["administrator", "commissioning_officer"]];
  return Array.from({ length: n }, () => {
    const org = rng.pick(orgs);
    return {
      userId: uuid(rng),
      name: `${rng.pick(FIRST_NAMES)} ${rng.pick(SURNAMES)}`,
      roles: [...rng.pick(roles)].sort(),
      organisationId: org.id,
      organisationName: org.name,
    };
  });
}

function inventHomes(rng: SeededRandom, n: number): BulkHome[] {
  return Array.from({ length: n }, (_, i) => ({ id: uuid(rng), name: `Generated House ${i + 1}`, organisationId: uuid(rng) }));
}

const INSERT = `INSERT INTO audit_event (seq, occurred_at, actor_user_id, actor_name, actor_roles, actor_organisation_id,
    actor_organisation_name, action, summary, subjects, before, after, reason, request_id, client_address, prev_hash, hash)
  SELECT seq, occurred_at, actor_user_id, actor_name, actor_roles::text[], actor_organisation_id,
    actor_organisation_name, action, summary, subjects::jsonb, before::jsonb, after::jsonb, reason, request_id, client_address, prev_hash, hash
  FROM unnest($1::bigint[], $2::timestamptz[], $3::uuid[], $4::text[], $5::text[], $6::uuid[], $7::text[], $8::text[], $9::text[],
    $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[])
  AS t(seq, occurred_at, actor_user_id, actor_name, actor_roles, actor_organisation_id, actor_organisation_name, action, summary,
    subjects, before, after, reason, request_id, client_address, prev_hash, hash)`;

function json(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

export async function appendAuditEvents(connectionString: string, options: BulkAuditOptions): Promise<BulkAuditResult> {
  const started = performance.now();
  const rng = new SeededRandom(options.seed ?? "bench-audit");
  const actors = options.actors?.length ? options.actors : inventActors(rng, 400);
  const homes = options.homes?.length ? options.homes : inventHomes(rng, 3000);
  const agreements = options.agreementIds?.length ? options.agreementIds : Array.from({ length: 8 }, () => uuid(rng));
  const batchSize = options.batchSize ?? 5000;
  const span = options.to.getTime() - options.from.getTime();
  const client = new pg.Client({ connectionString, application_name: "portal-bench-audit-bulk" });
  await client.connect();
  let hashMs = 0;
  try {
    const head = (await client.query<{ seq: string | number; hash: string }>("SELECT seq, hash FROM audit_chain_head")).rows[0];
    if (!head) throw new Error("audit_chain_head has no row: is the database migrated?");
    const dropped: { name: string; definition: string }[] = [];
    if (options.rebuildIndexes) {
      const { rows } = await client.query<{ name: string; definition: string }>(
        `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS definition
           FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
          WHERE x.indrelid = 'audit_event'::regclass AND NOT x.indisprimary AND NOT x.indisunique`,
      );
      for (const index of rows) {
        await client.query(`DROP INDEX ${pg.escapeIdentifier(index.name)}`);
        dropped.push(index);
      }
    }
    let prevHash = head.hash;
    const firstSeq = Number(head.seq) + 1;
    let seq = firstSeq;
    let inflight: Promise<unknown> | null = null;
    for (let written = 0; written < options.count; ) {
      const n = Math.min(batchSize, options.count - written);
      const cols: unknown[][] = Array.from({ length: 17 }, () => new Array(n));
      const t0 = performance.now();
      for (let i = 0; i < n; i++, seq++) {
        const k = written + i;
        const at = new Date(options.from.getTime() + Math.floor((span * k) / Math.max(1, options.count - 1)));
        const content = makeContent(rng, seq, at, actors, homes, agreements);
        const hash = eventHash(prevHash, content);
        cols[0]![i] = seq;
        cols[1]![i] = at.toISOString();
        cols[2]![i] = content.actorUserId;
        cols[3]![i] = content.actorName;
        cols[4]![i] = `{${content.actorRoles.join(",")}}`;
        cols[5]![i] = content.actorOrganisationId;
        cols[6]![i] = content.actorOrganisationName;
        cols[7]![i] = content.action;
        cols[8]![i] = content.summary;
        cols[9]![i] = JSON.stringify(content.subjects);
        cols[10]![i] = json(content.before);
        cols[11]![i] = json(content.after);
        cols[12]![i] = content.reason;
        cols[13]![i] = content.requestId;
        cols[14]![i] = content.clientAddress;
        cols[15]![i] = prevHash;
        cols[16]![i] = hash;
        prevHash = hash;
      }
      hashMs += performance.now() - t0;
      // The next batch is hashed while PostgreSQL inserts this one.
      if (inflight) await inflight;
      inflight = client.query(INSERT, cols);
      written += n;
      options.onProgress?.(written);
    }
    if (inflight) await inflight;
    const indexStarted = performance.now();
    if (dropped.length > 0) {
      await client.query("SET maintenance_work_mem = '256MB'");
      for (const index of dropped) await client.query(index.definition);
    }
    const indexMs = performance.now() - indexStarted;
    const lastSeq = seq - 1;
    if (lastSeq >= firstSeq) await client.query("UPDATE audit_chain_head SET seq = $1, hash = $2", [lastSeq, prevHash]);
    return { written: options.count, firstSeq, lastSeq, headHash: prevHash, hashMs, indexMs, elapsedMs: performance.now() - started };
  } finally {
    await client.end();
  }
}

function makeContent(
  rng: SeededRandom,
  seq: number,
  occurredAt: Date,
  actors: BulkActor[],
  homes: BulkHome[],
  agreements: string[],
): ChainedContent {
  const actor = rng.pick(actors);
  const requestId = uuid(rng);
  const clientAddress = `10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
  const base = {
    seq,
    occurredAt,
    actorUserId: actor.userId,
    actorName: actor.name,
    actorRoles: actor.roles,
    actorOrganisationId: actor.organisationId,
    actorOrganisationName: actor.organisationName,
    before: null as unknown,
    after: null as unknown,
    reason: null as string | null,
    requestId,
    clientAddress,
  };
  const roll = rng.next();
  if (roll < 0.35) {
    return { ...base, action: "user.signed_in", summary: `${actor.name} signed in`, subjects: [{ type: "user", id: actor.userId }] };
  }
  if (roll < 0.6) {
    const home = rng.pick(homes);
    const places = rng.int(1, 8);
    const next = Math.max(1, places + (rng.chance(0.5) ? 1 : -1));
    return {
      ...base,
      action: "home.updated",
      summary: `Changed registered places at ${home.name} from ${places} to ${next}`,
      subjects: [
        { type: "home", id: home.id },
        { type: "organisation", id: home.organisationId },
      ],
      before: { registeredPlaces: places, version: seq % 7 },
      after: { registeredPlaces: next, version: (seq % 7) + 1 },
      reason: rng.chance(0.5) ? rng.pick(REASONS) : null,
    };
  }
  if (roll < 0.75) {
    const home = rng.pick(homes);
    const grade = rng.weighted([[1, 2], [2, 6], [3, 2], [4, 1]] as const);
    return {
      ...base,
      actorUserId: null,
      actorName: null,
      actorRoles: [],
      actorOrganisationId: null,
      actorOrganisationName: null,
      action: "home.ofsted_judgement_recorded",
      summary: `Recorded Ofsted grade ${grade} for ${home.name}`,
      subjects: [
        { type: "home", id: home.id },
        { type: "organisation", id: home.organisationId },
      ],
      after: { grade, inspectedOn: occurredAt.toISOString().slice(0, 10) },
      requestId: `scheduler:${seq}`,
      clientAddress: null,
    };
  }
  if (roll < 0.87) {
    const agreement = rng.pick(agreements);
    const value = rng.int(100, 5000) * 100_000;
    return {
      ...base,
      action: "agreement.updated",
      summary: `Updated the estimated value of an agreement`,
      subjects: [{ type: "agreement", id: agreement }],
      before: { estimatedValuePence: value },
      after: { estimatedValuePence: value + 10_000_000, note: 'Re-estimated after "market engagement" \\ review' },
      reason: "Budget revision",
    };
  }
  if (roll < 0.97) {
    return {
      ...base,
      actorUserId: null,
      actorName: null,
      actorRoles: [],
      actorOrganisationId: null,
      actorOrganisationName: null,
      action: "user.sign_in_failed",
      summary: `Sign-in failed for ${actor.name}: wrong password`,
      subjects: [{ type: "user", id: actor.userId }],
      after: { attempts: rng.int(1, 4) },
    };
  }
  return {
    ...base,
    action: "audit.exported",
    summary: "Exported the audit trail as CSV",
    subjects: [],
    after: { filter: { action: "home.updated" }, rows: rng.int(10, 5000) },
  };
}
