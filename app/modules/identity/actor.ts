// Who is acting, and from where. Every module function that changes state
// receives an ActionContext, so its audit event can say who, when and how.
import type { OrganisationKind, Role } from "#app/database/schema";

export interface Actor {
  userId: string;
  name: string;
  email: string;
  roles: Role[];
  organisationId: string;
  organisationName: string;
  organisationKind: OrganisationKind;
  sessionId: string | null;
}

export interface ActionContext {
  /** null when the portal itself acts (seed, scheduler, sign-in by an unknown person). */
  actor: Actor | null;
  requestId: string | null;
  clientAddress: string | null;
  now: Date;
}

export function systemContext(requestId: string | null = null, now = new Date()): ActionContext {
  return { actor: null, requestId, clientAddress: null, now };
}
