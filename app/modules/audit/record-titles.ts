// Readable names for the records the trail names: one name per record for
// links and change lists (looked up in one query, whatever the number of
// events and kinds), and a title for page headings and the audit extract.
// Unknown types and ids fall back to words about the type and the id.
import { sql, type RawBuilder } from "kysely";
import type { Reader } from "#app/database/schema";
import { isUuid } from "#app/modules/common/input";
import type { Subject } from "./canonical";
import { subjectName, type NamedKind, type RecordNames } from "./wording";

/** Each kind's names as (id, name) rows: one SELECT per kind, run as one UNION ALL. */
const NAME_SELECTS: Record<NamedKind, (ids: string[]) => RawBuilder<unknown>> = {
  user: (ids) => sql`SELECT id::text AS id, full_name AS name FROM app_user WHERE id = ANY(${ids}::uuid[])`,
  organisation: (ids) => sql`SELECT id::text AS id, name FROM organisation WHERE id = ANY(${ids}::uuid[])`,
  consortium: (ids) => sql`SELECT id::text AS id, name FROM consortium WHERE id = ANY(${ids}::uuid[])`,
  home: (ids) => sql`SELECT id::text AS id, name FROM home WHERE id = ANY(${ids}::uuid[])`,
  agreement: (ids) => sql`SELECT id::text AS id, reference || ' ' || title AS name FROM agreement WHERE id = ANY(${ids}::uuid[])`,
  lot: (ids) => sql`SELECT id::text AS id, 'Lot ' || number || ': ' || title AS name FROM lot WHERE id = ANY(${ids}::uuid[])`,
};

/** The names of the records, by id; one query for all the kinds named, none for ids that are not UUIDs. */
export async function recordNames(db: Reader, records: Subject[]): Promise<Record<string, string>> {
  const byKind = new Map<NamedKind, Set<string>>();
  for (const { type, id } of records) {
    if (!Object.hasOwn(NAME_SELECTS, type) || !isUuid(id)) continue;
    const ids = byKind.get(type as NamedKind) ?? new Set<string>();
    ids.add(id);
    byKind.set(type as NamedKind, ids);
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
};

export async function recordTitle(db: Reader, subject: Subject): Promise<string> {
  const names: RecordNames = await recordNames(db, [subject]);
  const name = names[subject.id];
  if (!name) return subjectName(subject, names);
  const prefix = TITLE_PREFIX[subject.type];
  return prefix ? `${prefix}: ${name}` : name;
}
