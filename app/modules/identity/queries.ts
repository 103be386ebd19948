// Query pieces shared by the identity module's reads.
import { sql } from "kysely";
import type { Role } from "#app/database/schema";

/** The user's roles as a column `roles` (null when none), for a query over app_user. */
export function rolesOfUser() {
  return sql<Role[] | null>`(SELECT array_agg(user_role.role ORDER BY user_role.role) FROM user_role WHERE user_role.user_id = app_user.id)`.as("roles");
}
