// The six roles and which kind of organisation may hold each. A provider
// user acts only for its own organisation; the other roles are council staff.
import type { OrganisationKind, Role } from "#app/database/schema";

export const ROLES: readonly Role[] = [
  "provider_user",
  "commissioning_officer",
  "evaluator",
  "chief_officer",
  "portfolio_holder",
  "administrator",
] as const;

export const ROLE_LABELS: Record<Role, string> = {
  provider_user: "Provider user",
  commissioning_officer: "Commissioning officer",
  evaluator: "Evaluator",
  chief_officer: "Chief Officer",
  portfolio_holder: "Portfolio Holder",
  administrator: "Administrator",
};

export function rolesFor(kind: OrganisationKind): Role[] {
  return kind === "provider" ? ["provider_user"] : ROLES.filter((r) => r !== "provider_user");
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function roleList(roles: readonly Role[]): string {
  return roles.map((r) => ROLE_LABELS[r]).join(", ");
}
