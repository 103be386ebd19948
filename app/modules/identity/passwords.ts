// Password policy after NCSC guidance: a decent minimum length, a generous
// maximum, a deny-list of common passwords, and no composition rules.
// Hashing is Argon2id with OWASP's recommended parameters.
import { hash, verify } from "./argon2.server";
import { COMMON_PASSWORDS } from "./common-passwords";

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

// algorithm 2 is Argon2id (the package exports it as a const enum, which isolatedModules cannot use).
const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** A message to show beside the field, or null when the password is acceptable. */
export function passwordProblem(password: string, context: { email?: string; name?: string } = {}): string | null {
  if (password.length === 0) return "Enter a password";
  if (password.length < MIN_PASSWORD_LENGTH)
    return `Password must be ${MIN_PASSWORD_LENGTH} characters or more. Three random words together work well`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Password must be ${MAX_PASSWORD_LENGTH} characters or fewer`;
  const folded = password.toLowerCase();
  const core = folded.replace(/[^a-z]/g, "");
  if (COMMON_PASSWORDS.has(folded) || (core.length > 0 && COMMON_PASSWORDS.has(core) && core.length >= folded.length - 4)) {
    return "This password is too common and easy to guess. Choose a different one";
  }
  if (/^(.)\1+$/.test(password) || /^(?:0123456789|1234567890|abcdefghijkl)/.test(folded)) {
    return "This password is too easy to guess. Choose a different one";
  }
  const local = context.email?.split("@")[0]?.toLowerCase();
  if ((local && local.length >= 4 && folded.includes(local)) || folded.includes("placement") || folded.includes("portal")) {
    return "Your password must not contain your email address or the name of this service";
  }
  return null;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Verified when the account does not exist, so timing does not reveal which emails have accounts.
let dummyHash: Promise<string> | null = null;
export async function verifyAgainstNothing(password: string): Promise<false> {
  dummyHash ??= hashPassword("not a real password, only for timing");
  await verifyPassword(await dummyHash, password);
  return false;
}
