// The email outbox: a state change queues its emails in its own transaction,
// so an email exists exactly when the change does, and a dispatcher sends
// them afterwards, retrying with backoff. Also the reads behind "Sent email".
import os from "node:os";
import type { DB, OutboxStatus, Reader, Trx } from "#app/database/schema";
import { isSendableAddress } from "#app/modules/common/input";
import { renderEmail, type EmailTemplate } from "#emails/render";
import type { EmailTransport } from "./transports";

export type { EmailTemplate } from "#emails/render";

const MAX_ERROR_LENGTH = 2000;

/**
 * Renders now, not at sending, so the row holds exactly the words the person
 * received even if the template changes later. An email with a secret link
 * is rendered a second time without it: that copy replaces the stored one
 * once the email has gone (see recordOutcome). Writes no audit event: the
 * change that asked for the email records its own.
 */
export async function queueEmail(trx: Trx, email: { to: string; template: EmailTemplate }): Promise<{ id: string }> {
  const to = checkedAddress(email.to);
  const rendered = renderEmail(email.template);
  return trx
    .insertInto("outbox_email")
    .values({
      template: email.template.name,
      to_address: to,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      html_without_links: rendered.withoutLinks?.html ?? null,
      text_without_links: rendered.withoutLinks?.text ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
}

function checkedAddress(address: string): string {
  const to = address.trim();
  // A line break here would let a stored address add its own mail headers.
  if (!isSendableAddress(to)) throw new TypeError(`"${address}" is not an email address the portal can send to`);
  return to;
}

export interface DispatchOptions {
  now?: () => Date;
  /** How many due emails one run claims. */
  batchSize?: number;
  /** How long a claim lasts before another dispatcher may take the email over. */
  leaseMs?: number;
  /** Attempts before an email is given up as 'failed'. */
  maxAttempts?: number;
  /** Names this process in log lines. */
  instanceId?: string;
  logger?: Pick<Console, "warn" | "error">;
}

export interface DispatchResult {
  sent: number;
  kept: number;
  failed: number;
  retried: number;
}

interface ClaimedEmail {
  id: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  /** After this claim; doubles as the claim's fencing token. */
  attempts: number;
}

/**
 * One run: claim what is due, send it, record each outcome.
 *
 * The claim is a single statement, so its transaction is short and no
 * transaction is held open across the network. SKIP LOCKED lets another
 * dispatcher's claim pass over rows being claimed here instead of waiting and
 * then taking them too. Each outcome is written only if the row is still
 * under this claim (same status and attempts), so a dispatcher whose lease
 * ran out cannot overwrite the result of the one that took the email over.
 */
export async function dispatchDueEmails(db: DB, transport: EmailTransport, options: DispatchOptions = {}): Promise<DispatchResult> {
  const now = options.now ?? (() => new Date());
  const batchSize = options.batchSize ?? 20;
  const leaseMs = options.leaseMs ?? 10 * 60_000;
  const maxAttempts = options.maxAttempts ?? 8;
  const instanceId = options.instanceId ?? defaultInstanceId();
  const logger = options.logger ?? console;
  const result: DispatchResult = { sent: 0, kept: 0, failed: 0, retried: 0 };

  const claimedAt = now();
  const leaseUntil = new Date(claimedAt.getTime() + leaseMs);
  const claimed = await claimDueEmails(db, claimedAt, leaseUntil, batchSize);
  // Sends run one after another, so later ones in the batch use up the same
  // lease; stop starting new sends once half of it is gone.
  const lastStart = claimedAt.getTime() + leaseMs / 2;

  for (const [index, email] of claimed.entries()) {
    if (now().getTime() > lastStart) {
      await releaseClaims(db, claimed.slice(index));
      break;
    }
    let outcome: Outcome;
    try {
      const { messageId } = await transport.send({
        to: email.to,
        from: transport.from,
        subject: email.subject,
        html: email.html,
        text: email.text,
      });
      outcome = { delivered: true, status: transport.kind === "smtp" ? "sent" : "kept", messageId };
    } catch (error) {
      const message = errorMessage(error).slice(0, MAX_ERROR_LENGTH);
      outcome = email.attempts >= maxAttempts ? { delivered: false, status: "failed", message } : { delivered: false, status: "pending", message };
    }
    const recorded = await recordOutcome(db, email, outcome, now());
    if (!recorded) {
      logger.warn(`Outbox ${instanceId}: lost the claim on email ${email.id} while sending it; another dispatcher has it now`);
      continue;
    }
    if (outcome.status === "sent") result.sent++;
    else if (outcome.status === "kept") result.kept++;
    else if (outcome.status === "failed") result.failed++;
    else result.retried++;
  }
  return result;
}

type Outcome =
  | { delivered: true; status: "sent" | "kept"; messageId: string | null }
  | { delivered: false; status: "pending" | "failed"; message: string };

async function claimDueEmails(db: DB, at: Date, leaseUntil: Date, batchSize: number): Promise<ClaimedEmail[]> {
  return db
    .with(
      (cte) => cte("due").materialized(),
      (qb) =>
        qb
          .selectFrom("outbox_email")
          .select("id")
          .where((eb) =>
            eb.and([
              // The database stamps times to the microsecond and a JS Date
              // holds milliseconds, so an email queued within the current
              // millisecond is stamped after `at`: it is due all the same.
              eb("next_attempt_at", "<", new Date(at.getTime() + 1)),
              eb.or([eb("status", "=", "pending"), eb.and([eb("status", "=", "sending"), eb("lease_until", "<=", at)])]),
            ]),
          )
          .orderBy("next_attempt_at")
          .orderBy("created_at")
          .limit(batchSize)
          .forUpdate()
          .skipLocked(),
    )
    .updateTable("outbox_email")
    .from("due")
    .set((eb) => ({
      status: "sending",
      lease_until: leaseUntil,
      attempts: eb("outbox_email.attempts", "+", 1),
    }))
    .whereRef("outbox_email.id", "=", "due.id")
    .returning([
      "outbox_email.id as id",
      "outbox_email.to_address as to",
      "outbox_email.subject as subject",
      "outbox_email.html as html",
      "outbox_email.text as text",
      "outbox_email.attempts as attempts",
    ])
    .execute();
}

/**
 * Once an email has left (or has failed for good), its link is of use only
 * in the addressee's mailbox: in the same statement that records it, the
 * stored copy becomes the one without links, so an administrator reading it
 * cannot reset someone's password or sign in as them. Emails the portal only
 * keeps (no SMTP_URL: development) keep their links, since nobody else gets them.
 */
async function recordOutcome(db: DB, email: ClaimedEmail, outcome: Outcome, at: Date): Promise<boolean> {
  const gone = outcome.status === "sent" || outcome.status === "failed";
  const changes = outcome.delivered
    ? {
        status: outcome.status,
        // For 'kept', when the email was filed in the portal mailbox.
        sent_at: at,
        transport_message_id: outcome.messageId,
        lease_until: null,
        last_error: null,
      }
    : {
        status: outcome.status,
        lease_until: null,
        last_error: outcome.message,
        ...(outcome.status === "pending" ? { next_attempt_at: new Date(at.getTime() + retryDelayMs(email.attempts)) } : {}),
      };
  const updated = await db
    .updateTable("outbox_email")
    .set((eb) => ({
      ...changes,
      ...(gone
        ? {
            html: eb.fn.coalesce("html_without_links", "html"),
            text: eb.fn.coalesce("text_without_links", "text"),
          }
        : {}),
    }))
    .where("id", "=", email.id)
    .where("status", "=", "sending")
    .where("attempts", "=", email.attempts)
    .executeTakeFirst();
  return updated.numUpdatedRows > 0n;
}

/** Hands back claims not yet tried, without counting them as attempts. */
async function releaseClaims(db: DB, emails: ClaimedEmail[]): Promise<void> {
  for (const email of emails) {
    await db
      .updateTable("outbox_email")
      .set((eb) => ({ status: "pending", lease_until: null, attempts: eb("attempts", "-", 1) }))
      .where("id", "=", email.id)
      .where("status", "=", "sending")
      .where("attempts", "=", email.attempts)
      .execute();
  }
}

/**
 * 1 minute after the first failure, then 2, 4, 8... up to an hour, plus up
 * to a tenth more so that emails failing together do not retry together.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(60_000 * 2 ** Math.max(0, attempt - 1), 60 * 60_000);
  return Math.round(base * (1 + 0.1 * random()));
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

function defaultInstanceId(): string {
  return `${os.hostname()}:${process.pid}`;
}

export interface DispatcherLoopOptions extends DispatchOptions {
  intervalMs: number;
}

/**
 * Runs the dispatcher every intervalMs until stopped. The next run is
 * scheduled only when the last one has finished, so runs never overlap; a
 * full batch means more may be waiting, so the next run starts at once.
 * Returns stop(), which resolves once any run in progress has finished.
 */
export function startDispatcherLoop(db: DB, transport: EmailTransport, options: DispatcherLoopOptions): () => Promise<void> {
  const { intervalMs, ...dispatchOptions } = options;
  const batchSize = dispatchOptions.batchSize ?? 20;
  const logger = dispatchOptions.logger ?? console;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;

  const schedule = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(run, delayMs);
    // The loop alone should not keep a process (a script, a test) alive.
    timer.unref();
  };

  const run = () => {
    timer = null;
    running = (async () => {
      let delay = intervalMs;
      try {
        const result = await dispatchDueEmails(db, transport, dispatchOptions);
        if (result.sent + result.kept + result.failed + result.retried >= batchSize) delay = 0;
      } catch (error) {
        logger.error("The email dispatcher could not run; it will try again", error);
      }
      running = null;
      schedule(delay);
    })();
  };

  schedule(0);
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    timer = null;
    await running;
  };
}

export interface EmailSummary {
  id: string;
  createdAt: Date;
  to: string;
  subject: string;
  status: OutboxStatus;
  attempts: number;
  sentAt: Date | null;
  lastError: string | null;
}

export interface EmailDetail extends EmailSummary {
  template: string;
  /** As an administrator may read it: without secret links unless the portal only keeps its email (demo). */
  html: string;
  text: string;
  /** The links are live demo links (kept, never sent), or were taken out of this copy. */
  links: "demo" | "withheld" | "none";
  nextAttemptAt: Date;
  transportMessageId: string | null;
}

/** Newest first, for the administrator's "Sent email" page; page counts from 1. */
export async function listEmails(
  db: Reader,
  query: { page: number; pageSize: number; status?: OutboxStatus; to?: string },
): Promise<{ emails: EmailSummary[]; total: number }> {
  const pageSize = Math.min(Math.max(Math.trunc(query.pageSize) || 1, 1), 200);
  const page = Math.max(Math.trunc(query.page) || 1, 1);
  let filtered = db.selectFrom("outbox_email");
  if (query.status) filtered = filtered.where("status", "=", query.status);
  // One person's emails, however the address was capitalised.
  if (query.to) filtered = filtered.where((eb) => eb(eb.fn("lower", ["to_address"]), "=", query.to!.toLowerCase()));
  const [rows, count] = await Promise.all([
    filtered
      .select(["id", "created_at", "to_address", "subject", "status", "attempts", "sent_at", "last_error"])
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    filtered.select((eb) => eb.fn.countAll().as("total")).executeTakeFirstOrThrow(),
  ]);
  return {
    emails: rows.map((row) => ({
      id: row.id,
      createdAt: row.created_at,
      to: row.to_address,
      subject: row.subject,
      status: row.status,
      attempts: row.attempts,
      sentAt: row.sent_at,
      lastError: row.last_error,
    })),
    total: Number(count.total),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * null for an id that is not an email's, including one that is not a uuid at all.
 * `transport` is where this portal's email goes: only where it is kept, never
 * sent (development), are the secret links shown, as demo links; otherwise the
 * copy without them, even before the email has gone.
 */
export async function getEmail(db: Reader, id: string, transport: EmailTransport["kind"]): Promise<EmailDetail | null> {
  if (!UUID.test(id)) return null;
  const row = await db.selectFrom("outbox_email").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) return null;
  const hadLinks = row.html_without_links !== null;
  const demo = transport === "portal";
  const withheld = hadLinks && !demo;
  return {
    id: row.id,
    createdAt: row.created_at,
    template: row.template,
    to: row.to_address,
    subject: row.subject,
    html: withheld ? row.html_without_links! : row.html,
    text: withheld ? (row.text_without_links ?? row.text) : row.text,
    links: !hadLinks ? "none" : demo ? "demo" : "withheld",
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    sentAt: row.sent_at,
    lastError: row.last_error,
    transportMessageId: row.transport_message_id,
  };
}
