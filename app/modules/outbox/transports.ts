// Where queued email goes: out through an SMTP relay, or, when the portal has
// none configured, nowhere; the outbox row is then the only copy and
// administrators read it on the "Sent email" page.
import { createTransport } from "nodemailer";

export const DEFAULT_FROM_ADDRESS = "Children's Placements Portal <no-reply@placements.invalid>";

export interface OutgoingEmail {
  to: string;
  from: string;
  subject: string;
  html: string;
  text: string;
}

export interface EmailTransport {
  /** "smtp" hands messages on; "portal" only keeps them, so rows end 'kept', not 'sent'. */
  readonly kind: "smtp" | "portal";
  /** The sender the dispatcher puts on every message. */
  readonly from: string;
  send(message: OutgoingEmail): Promise<{ messageId: string | null }>;
}

/**
 * Settings in the URL win, e.g. `smtp://user:pass@relay:587` or
 * `smtp://127.0.0.1:2525?ignoreTLS=true`. The timeouts are ours because
 * nodemailer's defaults (minutes) would outlast the dispatcher's lease, and a
 * message whose lease lapses mid-send can be sent twice.
 */
export function smtpTransport(smtpUrl: string, from: string = DEFAULT_FROM_ADDRESS): EmailTransport {
  const mailer = createTransport({
    url: smtpUrl,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  });
  return {
    kind: "smtp",
    from,
    async send(message) {
      const info = await mailer.sendMail({
        from: message.from,
        to: message.to,
        subject: message.subject,
        html: message.html,
        text: message.text,
      });
      return { messageId: typeof info.messageId === "string" ? info.messageId : null };
    },
  };
}

export function portalMailboxTransport(from: string = DEFAULT_FROM_ADDRESS): EmailTransport {
  return {
    kind: "portal",
    from,
    async send() {
      return { messageId: null };
    },
  };
}
