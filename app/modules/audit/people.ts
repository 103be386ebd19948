// The "Person" box on the audit trail: people type part of a name or an email
// address rather than pick from a list of everyone who has ever had an account
// (a list of hundreds made the page large and slow). A box that names exactly
// one person filters by them; several matches are offered as links.
import { sql } from "kysely";
import type { Reader } from "#app/database/schema";
import { isUuid } from "#app/modules/common/input";

export interface PersonOption {
  userId: string;
  name: string;
  email: string;
  organisationName: string;
}

export type PersonFilter =
  | { kind: "anyone" }
  | { kind: "person"; person: PersonOption }
  | {
      kind: "problem";
      message: string;
      typed: string;
      candidates: PersonOption[];
    };

/** Most people offered when a name matches several; more means "type more". */
export const MOST_CANDIDATES = 10;
const LONGEST_SEARCH = 200;

/**
 * What the box asks for. `typed` is the text in the box (undefined when the
 * form was not sent, e.g. a link from elsewhere or to the next page);
 * `chosenUserId` is the person already chosen. The chosen person stands while
 * the box still shows their name or email address, so changing only the dates
 * keeps the same person even when two people share a name.
 */
export async function resolvePersonFilter(db: Reader, input: { typed?: string; chosenUserId?: string }): Promise<PersonFilter> {
  const typed = (input.typed ?? "").trim();
  const chosenId = (input.chosenUserId ?? "").trim();
  if (chosenId !== "") {
    const chosen = isUuid(chosenId) ? await personById(db, chosenId) : null;
    if (chosen) {
      const boxNamesThem = input.typed === undefined || sameText(typed, chosen.name) || sameText(typed, chosen.email);
      if (boxNamesThem) return { kind: "person", person: chosen };
    } else if (typed === "") {
      return {
        kind: "problem",
        typed,
        candidates: [],
        message: "No one in the portal has that ID: type part of the person's name or email address",
      };
    }
  }
  if (typed === "") return { kind: "anyone" };
  if (typed.length > LONGEST_SEARCH) {
    return {
      kind: "problem",
      typed,
      candidates: [],
      message: `Type ${LONGEST_SEARCH} characters or fewer of the person's name or email address`,
    };
  }
  const matches = await searchPeople(db, typed, MOST_CANDIDATES + 1);
  const exactEmail = matches.filter((p) => sameText(p.email, typed));
  if (exactEmail.length === 1) return { kind: "person", person: exactEmail[0]! };
  const exactName = matches.filter((p) => sameText(p.name, typed));
  if (exactName.length === 1) return { kind: "person", person: exactName[0]! };
  if (matches.length === 1) return { kind: "person", person: matches[0]! };
  if (matches.length === 0) {
    return {
      kind: "problem",
      typed,
      candidates: [],
      message: `No one's name or email address contains '${typed}'`,
    };
  }
  const more = matches.length > MOST_CANDIDATES;
  return {
    kind: "problem",
    typed,
    candidates: matches.slice(0, MOST_CANDIDATES),
    message: more
      ? `More than ${MOST_CANDIDATES} people match '${typed}': type more of the name or the email address`
      : `${matches.length} people match '${typed}': choose one, or type more of the name or the email address`,
  };
}

/** Equal ignoring case and accents, as people read names. */
export function sameText(a: string, b: string): boolean {
  return a.localeCompare(b, "en-GB", { sensitivity: "base" }) === 0;
}

function peopleQuery(db: Reader) {
  return db
    .selectFrom("app_user")
    .innerJoin("organisation", "organisation.id", "app_user.organisation_id")
    .select(["app_user.id as userId", "app_user.full_name as name", "app_user.email", "organisation.name as organisationName"]);
}

async function personById(db: Reader, userId: string): Promise<PersonOption | null> {
  return (await peopleQuery(db).where("app_user.id", "=", userId).executeTakeFirst()) ?? null;
}

/** People whose name or email address contains the text, ignoring case; closest first. */
async function searchPeople(db: Reader, text: string, limit: number): Promise<PersonOption[]> {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return peopleQuery(db)
    .where((eb) => eb.or([eb("app_user.full_name", "ilike", pattern), eb("app_user.email", "ilike", pattern)]))
    .orderBy(sql`lower(app_user.full_name) = lower(${text}) OR lower(app_user.email) = lower(${text})`, "desc")
    .orderBy("app_user.full_name")
    .orderBy("organisation.name")
    .orderBy("app_user.id")
    .limit(limit)
    .execute();
}
