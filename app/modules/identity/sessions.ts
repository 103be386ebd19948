// Server-side sessions. The cookie holds a random token; the database holds
// its hash, when it was last used and when it ends, so any instance can serve
// the next request and a session can be revoked at once.
import type { Reader, Role, Trx } from "#app/database/schema";
import { chainVersionOf } from "#app/modules/audit/audit";
import type { Actor } from "./actor";
import { rolesOfUser } from "./queries";
import { newSecret, secretHash } from "./tokens";

export const SESSION_IDLE_MS = 60 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;
/** last_seen_at is written at most this often, so reads stay reads. */
const TOUCH_EVERY_MS = 60 * 1000;

export async function createSession(
  trx: Trx,
  input: { userId: string; clientAddress: string | null; userAgent: string | null; now: Date },
): Promise<{ token: string; sessionId: string; expiresAt: Date }> {
  const token = newSecret();
  const expiresAt = new Date(input.now.getTime() + SESSION_ABSOLUTE_MS);
  const row = await trx
    .insertInto("user_session")
    .values({
      token_hash: secretHash(token),
      user_id: input.userId,
      created_at: input.now,
      last_seen_at: input.now,
      expires_at: expiresAt,
      client_address: input.clientAddress,
      user_agent: input.userAgent?.slice(0, 400) ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { token, sessionId: row.id, expiresAt };
}

function actorQuery(db: Reader) {
  return db
    .selectFrom("app_user")
    .innerJoin("organisation", "organisation.id", "app_user.organisation_id")
    .select((eb) => [
      "app_user.id as userId",
      "app_user.full_name",
      "app_user.email",
      "app_user.status",
      "organisation.id as organisationId",
      "organisation.name as organisationName",
      "organisation.kind as organisationKind",
      rolesOfUser(),
    ]);
}

type ActorRow = Awaited<ReturnType<ReturnType<typeof actorQuery>["executeTakeFirstOrThrow"]>>;

function toActor(row: ActorRow, sessionId: string | null): Actor {
  return {
    userId: row.userId,
    name: row.full_name,
    email: row.email,
    roles: [...(row.roles ?? [])].sort(),
    organisationId: row.organisationId,
    organisationName: row.organisationName,
    organisationKind: row.organisationKind,
    sessionId,
  };
}

/** The person as an actor, e.g. for the audit event of their own sign-in. */
export async function actorForUser(db: Reader, userId: string, sessionId: string | null): Promise<Actor> {
  return toActor(await actorQuery(db).where("app_user.id", "=", userId).executeTakeFirstOrThrow(), sessionId);
}

/** The signed-in actor for a session token, or null if it is unknown, ended, idle too long or the user is inactive. */
export async function actorForSession(db: Reader, token: string, now: Date): Promise<Actor | null> {
  return (await sessionAt(db, token, now)).actor;
}

/**
 * The session's actor (null when there is none, it has ended or was revoked),
 * and the audit chain's version, read in the same statement: a page kept while
 * the chain is unchanged then needs no statement of its own to ask (decision 057).
 */
export async function sessionAt(db: Reader, token: string, now: Date): Promise<{ actor: Actor | null; chainVersion: string | null }> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { actor: null, chainVersion: null };
  const row = await actorQuery(db)
    .innerJoin("user_session", "user_session.user_id", "app_user.id")
    .select(["user_session.id as sessionId", "user_session.last_seen_at", "user_session.expires_at", "user_session.revoked_at"])
    .select((eb) => [
      eb.selectFrom("audit_chain_head").select("seq").where("singleton", "=", true).as("chain_seq"),
      eb.selectFrom("audit_chain_head").select("hash").where("singleton", "=", true).as("chain_hash"),
    ])
    .where("user_session.token_hash", "=", secretHash(token))
    .executeTakeFirst();
  if (!row) return { actor: null, chainVersion: null };
  const chainVersion = chainVersionOf({ seq: row.chain_seq, hash: row.chain_hash });
  if (row.revoked_at || row.status !== "active") return { actor: null, chainVersion };
  if (row.expires_at <= now || now.getTime() - row.last_seen_at.getTime() > SESSION_IDLE_MS) return { actor: null, chainVersion };
  if (now.getTime() - row.last_seen_at.getTime() > TOUCH_EVERY_MS) {
    await db.updateTable("user_session").set({ last_seen_at: now }).where("id", "=", row.sessionId).execute();
  }
  return { actor: toActor(row, row.sessionId), chainVersion };
}

export async function revokeSession(trx: Trx, sessionId: string, now: Date, reason: string): Promise<void> {
  await trx
    .updateTable("user_session")
    .set({ revoked_at: now, revoked_reason: reason })
    .where("id", "=", sessionId)
    .where("revoked_at", "is", null)
    .execute();
}

export async function revokeAllSessions(trx: Trx, userId: string, now: Date, reason: string): Promise<number> {
  const result = await trx
    .updateTable("user_session")
    .set({ revoked_at: now, revoked_reason: reason })
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
