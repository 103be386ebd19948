// People and their roles: creating, inviting, accepting an invitation,
// changing roles, deactivating and reactivating. Every change is audited in
// its own transaction; role changes use the user's version to refuse a stale edit.
import type { Reader, Role, Trx, UserStatus } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { isUniqueViolation, isUuid, requiredText } from "#app/modules/common/input";
import { ActionRefused, ConcurrentEditError, RecordNotFound } from "#app/modules/errors";
import { queueEmail } from "#app/modules/outbox/outbox";
import type { ActionContext } from "./actor";
import { rolesOfUser } from "./queries";
import { hashPassword, passwordProblem } from "./passwords";
import { ROLE_LABELS, roleList, rolesFor } from "./roles";
import { revokeAllSessions } from "./sessions";
import { findValidToken, issueToken, spendToken } from "./tokens";

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

async function organisationOf(trx: Reader, organisationId: string) {
  const org = await trx
    .selectFrom("organisation")
    .select(["id", "name", "kind"])
    .where("id", "=", organisationId)
    .executeTakeFirst();
  if (!org) throw new ActionRefused("Select an organisation", "organisationId");
  return org;
}

function checkRolesFit(roles: Role[], kind: "council" | "provider") {
  if (roles.length === 0) throw new ActionRefused("Select at least one role", "roles");
  const allowed = rolesFor(kind);
  const misfit = roles.find((r) => !allowed.includes(r));
  if (misfit) {
    throw new ActionRefused(
      kind === "provider"
        ? "People in a provider organisation can only be provider users"
        : `${ROLE_LABELS[misfit]} is not a role for council staff`,
      "roles",
    );
  }
}

const EMAIL_TAKEN = "A user with this email address already exists";

async function emailTaken(trx: Reader, email: string) {
  const existing = await trx.selectFrom("app_user").select("id").where("email", "=", email).executeTakeFirst();
  return Boolean(existing);
}

export interface NewUser {
  organisationId: string;
  email: string;
  fullName: string;
  roles: Role[];
}

/** An account that can sign in at once (seed data and set-up scripts). */
export async function createActiveUser(
  trx: Trx,
  input: NewUser & { password: string },
  ctx: ActionContext,
): Promise<{ id: string }> {
  const email = normaliseEmail(input.email);
  const fullName = requiredText(input.fullName, "fullName", "person's full name");
  const org = await organisationOf(trx, input.organisationId);
  checkRolesFit(input.roles, org.kind);
  if (await emailTaken(trx, email)) throw new ActionRefused(EMAIL_TAKEN, "email");
  const problem = passwordProblem(input.password, { email });
  if (problem) throw new ActionRefused(problem, "password");
  const user = await trx
    .insertInto("app_user")
    .values({
      organisation_id: org.id,
      email,
      full_name: fullName,
      password_hash: await hashPassword(input.password),
      status: "active",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await trx
    .insertInto("user_role")
    .values(input.roles.map((role) => ({ user_id: user.id, role })))
    .execute();
  await recordAuditEvent(trx, ctx, {
    action: "user.created",
    summary: `Created account for ${fullName} (${email}) at ${org.name} as ${roleList(input.roles)}`,
    subjects: [
      { type: "user", id: user.id },
      { type: "organisation", id: org.id },
    ],
    after: { email, fullName, organisationId: org.id, roles: input.roles, status: "active" },
  });
  return user;
}

export async function inviteUser(
  trx: Trx,
  input: NewUser,
  ctx: ActionContext,
  links: { baseUrl: string },
): Promise<{ id: string; expiresAt: Date }> {
  const email = normaliseEmail(input.email);
  const fullName = requiredText(input.fullName, "fullName", "person's full name");
  const org = await organisationOf(trx, input.organisationId);
  checkRolesFit(input.roles, org.kind);
  if (await emailTaken(trx, email)) throw new ActionRefused(EMAIL_TAKEN, "email");
  const user = await trx
    .insertInto("app_user")
    .values({ organisation_id: org.id, email, full_name: fullName, status: "invited" })
    .returning("id")
    .executeTakeFirstOrThrow()
    .catch((error: unknown) => {
      // The same invitation sent twice at once: both saw the address free.
      if (isUniqueViolation(error, "app_user_email_key")) throw new ActionRefused(EMAIL_TAKEN, "email");
      throw error;
    });
  await trx
    .insertInto("user_role")
    .values(input.roles.map((role) => ({ user_id: user.id, role })))
    .execute();
  const { token, expiresAt } = await issueToken(trx, {
    userId: user.id,
    purpose: "invitation",
    createdByUserId: ctx.actor?.userId ?? null,
    now: ctx.now,
  });
  await queueEmail(trx, {
    to: email,
    template: {
      name: "invitation",
      props: {
        recipientName: fullName,
        organisationName: org.name,
        invitedByName: ctx.actor?.name ?? "The portal administrator",
        roleLabels: input.roles.map((r) => ROLE_LABELS[r]),
        acceptUrl: `${links.baseUrl}/invitation/${token}`,
        expiresAt,
      },
    },
  });
  await recordAuditEvent(trx, ctx, {
    action: "user.invited",
    summary: `Invited ${fullName} (${email}) to ${org.name} as ${roleList(input.roles)}`,
    subjects: [
      { type: "user", id: user.id },
      { type: "organisation", id: org.id },
    ],
    after: { email, fullName, organisationId: org.id, roles: input.roles, status: "invited" },
  });
  return { id: user.id, expiresAt };
}

export async function invitationFor(db: Reader, token: string, now: Date) {
  const valid = await findValidToken(db, token, "invitation", now);
  if (!valid) return null;
  const user = await db
    .selectFrom("app_user")
    .innerJoin("organisation", "organisation.id", "app_user.organisation_id")
    .select(["app_user.id", "app_user.email", "app_user.full_name", "app_user.status", "organisation.name as organisationName"])
    .where("app_user.id", "=", valid.userId)
    .executeTakeFirst();
  if (!user || user.status !== "invited") return null;
  return { tokenId: valid.id, userId: user.id, email: user.email, fullName: user.full_name, organisationName: user.organisationName };
}

export async function acceptInvitation(
  trx: Trx,
  input: { token: string; password: string },
  ctx: ActionContext,
): Promise<{ userId: string; email: string }> {
  const invitation = await invitationFor(trx, input.token, ctx.now);
  if (!invitation) throw new ActionRefused("This invitation link has expired or has already been used. Ask your administrator to invite you again");
  const problem = passwordProblem(input.password, { email: invitation.email, name: invitation.fullName });
  if (problem) throw new ActionRefused(problem, "password");
  if (!(await spendToken(trx, invitation.tokenId, ctx.now))) {
    throw new ActionRefused("This invitation link has already been used");
  }
  const passwordHash = await hashPassword(input.password);
  await trx
    .updateTable("app_user")
    .set((eb) => ({ password_hash: passwordHash, status: "active", updated_at: ctx.now, version: eb("version", "+", 1) }))
    .where("id", "=", invitation.userId)
    .execute();
  await recordAuditEvent(trx, ctx, {
    action: "user.invitation_accepted",
    summary: `${invitation.fullName} (${invitation.email}) accepted their invitation and set a password`,
    subjects: [{ type: "user", id: invitation.userId }],
    before: { status: "invited" },
    after: { status: "active" },
  });
  return { userId: invitation.userId, email: invitation.email };
}

export interface UserSummary {
  id: string;
  email: string;
  fullName: string;
  status: UserStatus;
  organisationId: string;
  organisationName: string;
  organisationKind: "council" | "provider";
  roles: Role[];
  version: number;
  lockedUntil: Date | null;
}

export async function listUsers(db: Reader, filter: { organisationId?: string } = {}): Promise<UserSummary[]> {
  let query = db
    .selectFrom("app_user")
    .innerJoin("organisation", "organisation.id", "app_user.organisation_id")
    .select((eb) => [
      "app_user.id",
      "app_user.email",
      "app_user.full_name",
      "app_user.status",
      "app_user.version",
      // Sign-in is slowed, not locked: this is when a password may next be tried.
      eb
        .selectFrom("sign_in_throttle")
        .select("sign_in_throttle.next_attempt_at")
        .where("sign_in_throttle.kind", "=", "account")
        .whereRef("sign_in_throttle.subject", "=", "app_user.email")
        .as("locked_until"),
      "organisation.id as organisationId",
      "organisation.name as organisationName",
      "organisation.kind as organisationKind",
      rolesOfUser(),
    ])
    .orderBy("organisation.kind")
    .orderBy("organisation.name")
    .orderBy("app_user.full_name");
  if (filter.organisationId) query = query.where("app_user.organisation_id", "=", filter.organisationId);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    fullName: r.full_name,
    status: r.status,
    organisationId: r.organisationId,
    organisationName: r.organisationName,
    organisationKind: r.organisationKind,
    roles: r.roles ?? [],
    version: r.version,
    lockedUntil: r.locked_until,
  }));
}

export async function getUser(db: Reader, userId: string): Promise<UserSummary | null> {
  if (!isUuid(userId)) return null;
  const rows = await listUsersWhereId(db, userId);
  return rows[0] ?? null;
}

async function listUsersWhereId(db: Reader, userId: string) {
  const all = await db
    .selectFrom("app_user")
    .select("organisation_id")
    .where("id", "=", userId)
    .executeTakeFirst();
  if (!all) return [];
  return (await listUsers(db, { organisationId: all.organisation_id })).filter((u) => u.id === userId);
}

async function lockUserAtVersion(trx: Trx, userId: string, expectedVersion: number) {
  const user = await trx
    .selectFrom("app_user")
    .innerJoin("organisation", "organisation.id", "app_user.organisation_id")
    .select(["app_user.id", "app_user.full_name", "app_user.email", "app_user.status", "app_user.version", "organisation.kind"])
    .where("app_user.id", "=", userId)
    .forUpdate("app_user")
    .executeTakeFirst();
  if (!user) throw new RecordNotFound("user");
  if (user.version !== expectedVersion) throw new ConcurrentEditError();
  return user;
}

async function currentRoles(trx: Reader, userId: string): Promise<Role[]> {
  const rows = await trx.selectFrom("user_role").select("role").where("user_id", "=", userId).orderBy("role").execute();
  return rows.map((r) => r.role);
}

export async function changeRoles(
  trx: Trx,
  input: { userId: string; roles: Role[]; expectedVersion: number; reason: string | null },
  ctx: ActionContext,
): Promise<void> {
  const user = await lockUserAtVersion(trx, input.userId, input.expectedVersion);
  checkRolesFit(input.roles, user.kind);
  if (ctx.actor?.userId === user.id && !input.roles.includes("administrator") && ctx.actor.roles.includes("administrator")) {
    throw new ActionRefused("You cannot remove your own administrator role. Ask another administrator", "roles");
  }
  const before = await currentRoles(trx, user.id);
  const after = [...new Set(input.roles)].sort();
  await trx.deleteFrom("user_role").where("user_id", "=", user.id).execute();
  await trx
    .insertInto("user_role")
    .values(after.map((role) => ({ user_id: user.id, role })))
    .execute();
  await trx
    .updateTable("app_user")
    .set((eb) => ({ version: eb("version", "+", 1), updated_at: ctx.now }))
    .where("id", "=", user.id)
    .execute();
  await recordAuditEvent(trx, ctx, {
    action: "user.roles_changed",
    summary: `Changed roles of ${user.full_name} from ${roleList(before) || "none"} to ${roleList(after)}`,
    subjects: [{ type: "user", id: user.id }],
    before: { roles: before },
    after: { roles: after },
    reason: input.reason,
  });
}

export async function setUserActive(
  trx: Trx,
  input: { userId: string; active: boolean; expectedVersion: number; reason: string },
  ctx: ActionContext,
): Promise<void> {
  const user = await lockUserAtVersion(trx, input.userId, input.expectedVersion);
  if (!input.reason.trim()) throw new ActionRefused("Enter a reason", "reason");
  if (!input.active && ctx.actor?.userId === user.id) {
    throw new ActionRefused("You cannot deactivate your own account");
  }
  if (input.active && user.status !== "deactivated") throw new ActionRefused(`${user.full_name} is not deactivated`);
  if (!input.active && user.status === "deactivated") throw new ActionRefused(`${user.full_name} is already deactivated`);
  const hasPassword = await trx
    .selectFrom("app_user")
    .select("password_hash")
    .where("id", "=", user.id)
    .executeTakeFirstOrThrow();
  const status: UserStatus = input.active ? (hasPassword.password_hash ? "active" : "invited") : "deactivated";
  await trx
    .updateTable("app_user")
    .set((eb) => ({ status, version: eb("version", "+", 1), updated_at: ctx.now, locked_until: null }))
    .where("id", "=", user.id)
    .execute();
  if (!input.active) await revokeAllSessions(trx, user.id, ctx.now, "deactivated");
  await recordAuditEvent(trx, ctx, {
    action: input.active ? "user.reactivated" : "user.deactivated",
    summary: `${input.active ? "Reactivated" : "Deactivated"} ${user.full_name} (${user.email})`,
    subjects: [{ type: "user", id: user.id }],
    before: { status: user.status },
    after: { status },
    reason: input.reason.trim(),
  });
}
