// Readable names for the records the trail names: one name per record for
// links and change lists (looked up in one query per kind, whatever the
// number of events), and a title for page headings and the audit extract.
// Unknown types and ids fall back to words about the type and the id.
import type { Reader } from "#app/database/schema";
import { isUuid } from "#app/modules/common/input";
import type { Subject } from "./canonical";
import { subjectName, type NamedKind, type RecordNames } from "./wording";

type NameQuery = (db: Reader, ids: string[]) => Promise<{ id: string; name: string }[]>;

const NAME_QUERIES: Record<NamedKind, NameQuery> = {
  user: (db, ids) => db.selectFrom("app_user").select(["id", "full_name as name"]).where("id", "in", ids).execute(),
  organisation: (db, ids) => db.selectFrom("organisation").select(["id", "name"]).where("id", "in", ids).execute(),
  consortium: (db, ids) => db.selectFrom("consortium").select(["id", "name"]).where("id", "in", ids).execute(),
  home: (db, ids) => db.selectFrom("home").select(["id", "name"]).where("id", "in", ids).execute(),
  agreement: async (db, ids) =>
    (await db.selectFrom("agreement").select(["id", "reference", "title"]).where("id", "in", ids).execute()).map((r) => ({
      id: r.id,
      name: `${r.reference} ${r.title}`,
    })),
  lot: async (db, ids) =>
    (await db.selectFrom("lot").select(["id", "number", "title"]).where("id", "in", ids).execute()).map((r) => ({
      id: r.id,
      name: `Lot ${r.number}: ${r.title}`,
    })),
};

/** The names of the records, by id; one query per kind named, none for ids that are not UUIDs. */
export async function recordNames(db: Reader, records: Subject[]): Promise<Record<string, string>> {
  const byKind = new Map<NamedKind, Set<string>>();
  for (const { type, id } of records) {
    if (!Object.hasOwn(NAME_QUERIES, type) || !isUuid(id)) continue;
    const ids = byKind.get(type as NamedKind) ?? new Set<string>();
    ids.add(id);
    byKind.set(type as NamedKind, ids);
  }
  const names: Record<string, string> = {};
  await Promise.all(
    [...byKind].map(async ([kind, ids]) => {
      for (const row of await NAME_QUERIES[kind](db, [...ids])) names[row.id] = row.name;
    })
  );
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
