// Actors for policy tests: only roles and organisation matter to the policy.
import type { Role } from "#app/database/schema";
import type { Actor } from "#app/modules/identity/actor";

export const COUNCIL = "11111111-1111-4111-8111-111111111111";
export const PROVIDER_A = "22222222-2222-4222-8222-222222222222";
export const PROVIDER_B = "33333333-3333-4333-8333-333333333333";

export function testActor(roles: Role[], organisationId: string, organisationKind: Actor["organisationKind"]): Actor {
  return {
    userId: "44444444-4444-4444-8444-444444444444",
    name: "Test",
    email: "t@x.example",
    roles,
    organisationId,
    organisationName: "Org",
    organisationKind,
    sessionId: null,
  };
}
