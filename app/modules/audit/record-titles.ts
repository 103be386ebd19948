// Readable names for the records the trail names: one name per record for
// links and change lists (looked up in one query, whatever the number of
// events and kinds), and a title for page headings and the audit extract.
// Unknown types and ids fall back to words about the type and the id.
import { sql, type RawBuilder } from "kysely";
import type { Reader } from "#app/database/schema";
import { isUuid } from "#app/modules/common/input";
import type { Subject } from "./canonical";
import { subjectName, type NamedKind, type RecordNames } from "./wording";

/**
 * Each kind's names as (id, name) rows: one SELECT per kind, run as one UNION
 * ALL. The named kinds can also be searched for by name in the trail's filter
 * (record-search.ts); the others are only named where they appear. A bid is
 * named by who made it and for what, never by anything in it.
 */
const NAME_SELECTS: Record<NamedKind | ShownKind, (ids: string[]) => RawBuilder<unknown>> = {
  user: (ids) => sql`SELECT id::text AS id, full_name AS name FROM app_user WHERE id = ANY(${ids}::uuid[])`,
  organisation: (ids) => sql`SELECT id::text AS id, name FROM organisation WHERE id = ANY(${ids}::uuid[])`,
  consortium: (ids) => sql`SELECT id::text AS id, name FROM consortium WHERE id = ANY(${ids}::uuid[])`,
  home: (ids) => sql`SELECT id::text AS id, name FROM home WHERE id = ANY(${ids}::uuid[])`,
  agreement: (ids) => sql`SELECT id::text AS id, reference || ' ' || title AS name FROM agreement WHERE id = ANY(${ids}::uuid[])`,
  lot: (ids) => sql`SELECT id::text AS id, 'Lot ' || number || ': ' || title AS name FROM lot WHERE id = ANY(${ids}::uuid[])`,
  tender: (ids) => sql`SELECT id::text AS id, title AS name FROM tender WHERE id = ANY(${ids}::uuid[])`,
  tender_section: (ids) => sql`SELECT id::text AS id, 'Section: ' || title AS name FROM tender_section WHERE id = ANY(${ids}::uuid[])`,
  tender_question: (ids) =>
    sql`SELECT id::text AS id, 'Question: ' || CASE WHEN length(question) > 80 THEN left(question, 79) || '…' ELSE question END AS name FROM tender_question WHERE id = ANY(${ids}::uuid[])`,
  file: (ids) => sql`SELECT id::text AS id, file_name AS name FROM stored_file WHERE id = ANY(${ids}::uuid[])`,
  evidence_document: (ids) => sql`SELECT id::text AS id, title AS name FROM evidence_document WHERE id = ANY(${ids}::uuid[])`,
  provider_sign_up: (ids) => sql`SELECT id::text AS id, 'Sign-up of ' || organisation_name AS name FROM provider_sign_up WHERE id = ANY(${ids}::uuid[])`,
  bid: (ids) =>
    sql`SELECT b.id::text AS id, 'Bid from ' || o.name || ' for ' || t.title AS name FROM bid b JOIN organisation o ON o.id = b.organisation_id JOIN tender t ON t.id = b.tender_id WHERE b.id = ANY(${ids}::uuid[])`,
  placement_request: (ids) => sql`SELECT id::text AS id, 'Placement request for ' || child_reference AS name FROM placement_request WHERE id = ANY(${ids}::uuid[])`,
  placement: (ids) =>
    sql`SELECT p.id::text AS id, 'Placement of ' || p.child_reference || ' at ' || h.name AS name FROM placement p JOIN home h ON h.id = p.home_id WHERE p.id = ANY(${ids}::uuid[])`,
  block_contract: (ids) => sql`SELECT id::text AS id, reference || ' ' || title AS name FROM block_contract WHERE id = ANY(${ids}::uuid[])`,
  short_break_contract: (ids) => sql`SELECT id::text AS id, 'Short breaks ' || reference AS name FROM short_break_contract WHERE id = ANY(${ids}::uuid[])`,
  award_recommendation: (ids) =>
    sql`SELECT r.id::text AS id, 'Award recommendation for ' || t.title AS name FROM award_recommendation r JOIN tender t ON t.id = r.tender_id WHERE r.id = ANY(${ids}::uuid[])`,
  evaluation: (ids) => sql`SELECT e.id::text AS id, 'Evaluation of ' || t.title AS name FROM evaluation e JOIN tender t ON t.id = e.tender_id WHERE e.id = ANY(${ids}::uuid[])`,
  contract: (ids) => sql`SELECT c.id::text AS id, c.reference || ' with ' || o.name AS name FROM contract c JOIN organisation o ON o.id = c.provider_id WHERE c.id = ANY(${ids}::uuid[])`,
};

/** Kinds named where they appear in the trail, though not searched for by name. */
type ShownKind =
  | "tender"
  | "tender_section"
  | "tender_question"
  | "file"
  | "evidence_document"
  | "provider_sign_up"
  | "bid"
  | "placement_request"
  | "placement"
  | "block_contract"
  | "short_break_contract"
  | "award_recommendation"
  | "evaluation"
  | "contract";

/** The names of the records, by id; one query for all the kinds named, none for ids that are not UUIDs. */
export async function recordNames(db: Reader, records: Subject[]): Promise<Record<string, string>> {
  const byKind = new Map<keyof typeof NAME_SELECTS, Set<string>>();
  for (const { type, id } of records) {
    if (!Object.hasOwn(NAME_SELECTS, type) || !isUuid(id)) continue;
    const kind = type as keyof typeof NAME_SELECTS;
    const ids = byKind.get(kind) ?? new Set<string>();
    ids.add(id);
    byKind.set(kind, ids);
  }
  const names: Record<string, string> = {};
  if (byKind.size === 0) return names;
  // One round trip whatever the number of kinds: a page of the trail names several.
  const selects = [...byKind].map(([kind, ids]) => NAME_SELECTS[kind]([...ids]));
  const { rows } = await sql<{ id: string; name: string }>`${sql.join(selects, sql` UNION ALL `)}`.execute(db);
  for (const row of rows) names[row.id] = row.name;
  return names;
}

const TITLE_PREFIX: Partial<Record<string, string>> = {
  user: "User",
  organisation: "Organisation",
  consortium: "Consortium",
  agreement: "Agreement",
  home: "Home",
  tender: "Tender",
  evidence_document: "Evidence",
  block_contract: "Block contract",
  file: "File",
};

export async function recordTitle(db: Reader, subject: Subject): Promise<string> {
  const names: RecordNames = await recordNames(db, [subject]);
  const name = names[subject.id];
  if (!name) return subjectName(subject, names);
  const prefix = TITLE_PREFIX[subject.type];
  return prefix ? `${prefix}: ${name}` : name;
}
