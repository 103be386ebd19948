// Picks the email transport from the environment at start-up: SMTP when
// SMTP_URL is set, otherwise the portal's own mailbox (nothing leaves).
import { DEFAULT_FROM_ADDRESS, portalMailboxTransport, smtpTransport, type EmailTransport } from "./transports";

export function transportFromEnv(env: Record<string, string | undefined> = process.env): EmailTransport {
  const from = env.EMAIL_FROM?.trim() || DEFAULT_FROM_ADDRESS;
  const smtpUrl = env.SMTP_URL?.trim();
  if (!smtpUrl) return portalMailboxTransport(from);
  let protocol: string;
  try {
    protocol = new URL(smtpUrl).protocol;
  } catch {
    // The URL may hold a password, so it is not repeated in the message.
    throw new Error("SMTP_URL is not a valid URL; expected e.g. smtp://user:password@relay.example:587");
  }
  if (protocol !== "smtp:" && protocol !== "smtps:") {
    throw new Error(`SMTP_URL must start with smtp:// or smtps://, not ${protocol}//`);
  }
  return smtpTransport(smtpUrl, from);
}
