// The "Record" box on the audit trail: people type part of a record's name
// (a home, an organisation, a person, an agreement, a lot) or its ID. A name
// that matches one record filters by it; several are offered as links. Text
// that names no record is taken as an ID, so records without a name (an
// audit checkpoint, a client address) are still found.
import type { Reader } from "#app/database/schema";
import type { Subject } from "./canonical";
import { sameText } from "./people";
import { recordNames } from "./record-titles";
import { NAMED_KINDS, type NamedKind } from "./wording";

export interface RecordOption extends Subject {
  name: string;
  /** What kind of record it is, in words: "Home", "Organisation". */
  kindLabel: string;
}

export type RecordFilter =
  | { kind: "any" }
  /** A record chosen by name (or a link naming it): filter by type and id. */
  | { kind: "record"; record: RecordOption }
  /** Text taken as an ID, whatever the record's type. */
  | { kind: "id"; id: string }
  | { kind: "problem"; message: string; typed: string; candidates: RecordOption[] };

export const MOST_RECORDS = 10;
const LONGEST_SEARCH = 200;

const KIND_LABELS: Record<NamedKind, string> = {
  home: "Home",
  organisation: "Organisation",
  consortium: "Consortium",
  user: "Person",
  agreement: "Agreement",
  lot: "Lot",
};

type Search = (db: Reader, pattern: string, limit: number) => Promise<{ id: string }[]>;

const SEARCHES: Record<NamedKind, Search> = {
  home: (db, p, n) => db.selectFrom("home").select("id").where("name", "ilike", p).orderBy("name").limit(n).execute(),
  organisation: (db, p, n) => db.selectFrom("organisation").select("id").where("name", "ilike", p).orderBy("name").limit(n).execute(),
  consortium: (db, p, n) => db.selectFrom("consortium").select("id").where("name", "ilike", p).orderBy("name").limit(n).execute(),
  user: (db, p, n) =>
    db
      .selectFrom("app_user")
      .select("id")
      .where((eb) => eb.or([eb("full_name", "ilike", p), eb("email", "ilike", p)]))
      .orderBy("full_name")
      .limit(n)
      .execute(),
  agreement: (db, p, n) =>
    db
      .selectFrom("agreement")
      .select("id")
      .where((eb) => eb.or([eb("title", "ilike", p), eb("reference", "ilike", p)]))
      .orderBy("reference")
      .limit(n)
      .execute(),
  lot: (db, p, n) => db.selectFrom("lot").select("id").where("title", "ilike", p).orderBy("title").limit(n).execute(),
};

function isNamedKind(type: string | undefined): type is NamedKind {
  return type !== undefined && (NAMED_KINDS as readonly string[]).includes(type);
}

async function options(db: Reader, subjects: Subject[]): Promise<RecordOption[]> {
  const names = await recordNames(db, subjects);
  return subjects
    .filter((s) => names[s.id] !== undefined && isNamedKind(s.type))
    .map((s) => ({ ...s, name: names[s.id]!, kindLabel: KIND_LABELS[s.type as NamedKind] }));
}

/**
 * What the box asks for. `typed` is the box (undefined when the form was not
 * sent: a link); `chosen` the record a link or an earlier choice names;
 * `type` the record type chosen in the list beside it, which narrows the search.
 */
export async function resolveRecordFilter(
  db: Reader,
  input: { typed?: string; chosen?: Partial<Subject>; type?: string },
): Promise<RecordFilter> {
  const typed = (input.typed ?? "").trim();
  const chosenId = (input.chosen?.id ?? "").trim();
  const chosenType = input.chosen?.type ?? input.type;
  if (chosenId !== "") {
    const [chosen] = isNamedKind(chosenType) ? await options(db, [{ type: chosenType, id: chosenId }]) : [];
    // The chosen record stands while the box still shows its name (or was not sent).
    if (chosen && (input.typed === undefined || sameText(typed, chosen.name) || typed === chosen.id)) return { kind: "record", record: chosen };
    if (!chosen && (input.typed === undefined || typed === chosenId)) return { kind: "id", id: chosenId };
  }
  if (typed === "") return { kind: "any" };
  if (typed.length > LONGEST_SEARCH) {
    return { kind: "problem", typed, candidates: [], message: `Type ${LONGEST_SEARCH} characters or fewer of the record's name or ID` };
  }
  // Records of other types (checkpoints, client addresses) have no names to search.
  if (input.type !== undefined && !isNamedKind(input.type)) return { kind: "id", id: typed };
  const kinds = isNamedKind(input.type) ? [input.type] : NAMED_KINDS;
  const pattern = `%${typed.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const found = (
    await Promise.all(kinds.map(async (kind) => (await SEARCHES[kind](db, pattern, MOST_RECORDS + 1)).map((r) => ({ type: kind, id: r.id }))))
  ).flat();
  if (found.length === 0) return { kind: "id", id: typed };
  const matches = await options(db, found);
  const exact = matches.filter((m) => sameText(m.name, typed));
  if (matches.length === 1) return { kind: "record", record: matches[0]! };
  if (exact.length === 1) return { kind: "record", record: exact[0]! };
  const more = matches.length > MOST_RECORDS;
  return {
    kind: "problem",
    typed,
    candidates: matches.slice(0, MOST_RECORDS),
    message: more
      ? `More than ${MOST_RECORDS} records match '${typed}': type more of the name, or choose a record type`
      : `${matches.length} records match '${typed}': choose one, or type more of the name`,
  };
}
