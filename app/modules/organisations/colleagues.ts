// A provider's users look after their own organisation's accounts: they see
// their colleagues and invite new ones, only into their own organisation and
// only as provider users, whatever the form sent.
import type { Reader, Trx } from "#app/database/schema";
import { ActionRefused } from "#app/modules/errors";
import type { ActionContext } from "#app/modules/identity/actor";
import { inviteUser, listUsers, type UserSummary } from "#app/modules/identity/users";

export async function inviteColleague(
  trx: Trx,
  input: { fullName: string; email: string },
  ctx: ActionContext,
  links: { baseUrl: string },
): Promise<{ id: string; expiresAt: Date }> {
  const actor = ctx.actor;
  if (!actor || actor.organisationKind !== "provider" || !actor.roles.includes("provider_user")) {
    throw new ActionRefused("Only a provider's own users can invite colleagues");
  }
  return inviteUser(trx, { ...input, organisationId: actor.organisationId, roles: ["provider_user"] }, ctx, links);
}

export function listColleagues(db: Reader, organisationId: string): Promise<UserSummary[]> {
  return listUsers(db, { organisationId });
}
