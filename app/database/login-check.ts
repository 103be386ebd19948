// The portal refuses to serve while logged in to PostgreSQL as a role that
// could rewrite history: a superuser, the owner of its tables or database, or
// a member of either (who could SET ROLE to them). Such a login can disable
// the append-only triggers, rewind the audit chain's head, or reset to a
// role that can; the runtime role can do none of these.
import { sql } from "kysely";
import type { DB } from "./schema";

interface LoginRights {
  login: string;
  superuser: boolean;
  tableOwners: string | null;
  databaseOwner: string | null;
}

/** Why this login is too powerful to serve with, in words; null when it is fine. */
export async function powerfulLoginProblem(db: DB): Promise<string | null> {
  const { rows } = await sql<LoginRights>`
    SELECT current_user AS login,
      EXISTS (SELECT 1 FROM pg_roles s WHERE s.rolsuper AND pg_has_role(current_user, s.oid, 'MEMBER')) AS superuser,
      (SELECT string_agg(DISTINCT pg_get_userbyid(c.relowner), ', ')
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND pg_has_role(current_user, c.relowner, 'MEMBER')) AS "tableOwners",
      (SELECT pg_get_userbyid(datdba) FROM pg_database
        WHERE datname = current_database() AND pg_has_role(current_user, datdba, 'MEMBER')) AS "databaseOwner"
  `.execute(db);
  const rights = rows[0];
  if (!rights) return "PostgreSQL did not say which role the portal is logged in as.";
  const what = rights.superuser
    ? "a superuser (or can become one)"
    : rights.tableOwners
      ? `the owner of the portal's tables (as ${rights.tableOwners})`
      : rights.databaseOwner
        ? `the owner of the database (as ${rights.databaseOwner})`
        : null;
  if (!what) return null;
  return (
    `The portal is logged in to PostgreSQL as "${rights.login}", which is ${what}. ` +
    `That login could switch off the audit trail's protections, so the portal will not serve with it. ` +
    `Set DATABASE_URL to the runtime login (neither superuser nor owner), and DATABASE_OWNER_URL to the owner's login for migrations: ` +
    `see "Database roles" in the README.`
  );
}
