// Query pieces shared by the identity module's reads.
import { sql } from "kysely";
import type { Reader, Role } from "#app/database/schema";

/** The user's roles as a column `roles` (null when none), for a query over app_user. */
export function rolesOfUser() {
  return sql<Role[] | null>`(SELECT array_agg(user_role.role ORDER BY user_role.role) FROM user_role WHERE user_role.user_id = app_user.id)`.as("roles");
}

/**
 * The active users of these organisations who hold a role, by email, or by
 * name where people see the list (the award pages say who may act).
 */
export async function activeUsersWithRole(
  db: Reader,
  organisationIds: string[],
  role: Role,
  order: "email" | "name" = "email",
): Promise<{ id: string; email: string; full_name: string; organisation_id: string }[]> {
  if (organisationIds.length === 0) return [];
  return db
    .selectFrom("app_user")
    .innerJoin("user_role", "user_role.user_id", "app_user.id")
    .select(["app_user.id", "app_user.email", "app_user.full_name", "app_user.organisation_id"])
    .where("app_user.organisation_id", "in", organisationIds)
    .where("app_user.status", "=", "active")
    .where("user_role.role", "=", role)
    .orderBy(order === "name" ? "app_user.full_name" : "app_user.email")
    .execute();
}

/** The active provider users of these organisations: who a provider's notices go to. */
export function activeProviderUsers(db: Reader, organisationIds: string[]) {
  return activeUsersWithRole(db, organisationIds, "provider_user");
}

/** The active users of a council who hold a role: who a council's notices go to. */
export function activeCouncilUsers(db: Reader, councilId: string, role: Role) {
  return activeUsersWithRole(db, [councilId], role);
}
