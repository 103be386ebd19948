// Single-use, expiring tokens for invitations, password resets and emailed
// sign-in links. Only a SHA-256 of the token is stored, so a database reader
// cannot use one.
import crypto from "node:crypto";
import type { Reader, Trx, UserTokenTable } from "#app/database/schema";

export type TokenPurpose = UserTokenTable["purpose"];

export const TOKEN_LIFETIME_MS: Record<TokenPurpose, number> = {
  invitation: 7 * 24 * 60 * 60 * 1000,
  password_reset: 60 * 60 * 1000,
  // Short: it signs a person in without their password.
  sign_in_link: 15 * 60 * 1000,
};

export function newSecret(): string {
  return crypto.randomBytes(32).toString("base64url");
}

export function secretHash(secret: string): Buffer {
  return crypto.createHash("sha256").update(secret).digest();
}

export async function issueToken(
  trx: Trx,
  input: { userId: string; purpose: TokenPurpose; createdByUserId: string | null; now: Date },
): Promise<{ token: string; expiresAt: Date }> {
  const token = newSecret();
  const expiresAt = new Date(input.now.getTime() + TOKEN_LIFETIME_MS[input.purpose]);
  // A new token replaces any earlier unused one for the same purpose.
  await trx
    .updateTable("user_token")
    .set({ used_at: input.now })
    .where("user_id", "=", input.userId)
    .where("purpose", "=", input.purpose)
    .where("used_at", "is", null)
    .execute();
  await trx
    .insertInto("user_token")
    .values({
      token_hash: secretHash(token),
      user_id: input.userId,
      purpose: input.purpose,
      expires_at: expiresAt,
      created_by_user_id: input.createdByUserId,
    })
    .execute();
  return { token, expiresAt };
}

/** The token's user if it is valid now; locks the token row when given a transaction. */
export async function findValidToken(
  db: Reader,
  token: string,
  purpose: TokenPurpose,
  now: Date,
): Promise<{ id: string; userId: string; expiresAt: Date } | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const row = await db
    .selectFrom("user_token")
    .select(["id", "user_id", "expires_at"])
    .where("token_hash", "=", secretHash(token))
    .where("purpose", "=", purpose)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  return row ? { id: row.id, userId: row.user_id, expiresAt: row.expires_at } : null;
}

export async function spendToken(trx: Trx, tokenId: string, now: Date): Promise<boolean> {
  const result = await trx
    .updateTable("user_token")
    .set({ used_at: now })
    .where("id", "=", tokenId)
    .where("used_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** How many tokens for this purpose the person was sent since `since`: a cap on how often anyone can fill their inbox. */
export async function tokensIssuedSince(db: Reader, userId: string, purpose: TokenPurpose, since: Date): Promise<number> {
  const row = await db
    .selectFrom("user_token")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("user_id", "=", userId)
    .where("purpose", "=", purpose)
    .where("created_at", ">", since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
