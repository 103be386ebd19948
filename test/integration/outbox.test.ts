import type { AddressInfo } from "node:net";
import { sql } from "kysely";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { createDatabase } from "#app/database/connection";
import type { Trx } from "#app/database/schema";
import { transportFromEnv } from "#app/modules/outbox/config";
import {
  dispatchDueEmails,
  getEmail,
  listEmails,
  queueEmail,
  startDispatcherLoop,
  type EmailTemplate,
} from "#app/modules/outbox/outbox";
import { portalMailboxTransport, smtpTransport, type EmailTransport } from "#app/modules/outbox/transports";
import { systemContext } from "#app/modules/identity/actor";
import { passwordResetFor, requestPasswordReset } from "#app/modules/identity/sign-in";
import { createActiveUser, invitationFor, inviteUser } from "#app/modules/identity/users";
import { useTestDatabase } from "#test/support/database";

const { db, url } = await useTestDatabase();

// ---- A real SMTP server on loopback, recording what it accepts ----

const REFUSING_ADDRESS = "no-such-mailbox@northshire.test";

interface ReceivedMessage {
  mailFrom: string | null;
  rcptTo: string[];
  subject: string;
  messageId: string;
  raw: string;
}

const received: ReceivedMessage[] = [];

const smtpServer = new SMTPServer({
  authOptional: true,
  // A plain server, as a relay inside a private network may be.
  disabledCommands: ["STARTTLS"],
  logger: false,
  onRcptTo(address, _session, callback) {
    if (address.address === REFUSING_ADDRESS) {
      callback(Object.assign(new Error("Requested action not taken: mailbox unavailable"), { responseCode: 550 }));
      return;
    }
    callback();
  },
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      received.push({
        mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
        rcptTo: session.envelope.rcptTo.map((r) => r.address),
        subject: header(raw, "Subject"),
        messageId: header(raw, "Message-ID"),
        raw,
      });
      callback();
    });
  },
});

function header(raw: string, name: string): string {
  const head = raw.split("\r\n\r\n")[0] ?? "";
  const unfolded = head.replace(/\r\n[ \t]+/g, " ");
  const line = unfolded.split("\r\n").find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ? line.slice(name.length + 1).trim() : "";
}

await new Promise<void>((resolve, reject) => {
  smtpServer.server.once("error", reject);
  smtpServer.listen(0, "127.0.0.1", () => resolve());
});
const smtpUrl = `smtp://127.0.0.1:${(smtpServer.server.address() as AddressInfo).port}`;

// A second pool, standing for a second instance of the portal.
const otherInstanceDb = createDatabase({ connectionString: url, max: 3 });

afterAll(async () => {
  await otherInstanceDb.destroy();
  await new Promise<void>((resolve) => smtpServer.close(() => resolve()));
});

beforeEach(async () => {
  await db.deleteFrom("outbox_email").execute();
  received.length = 0;
});

// ---- Helpers ----

function passwordReset(n: number): EmailTemplate {
  return {
    name: "password_reset",
    props: {
      recipientName: `Person ${n}`,
      resetUrl: `https://placements.example/reset-password/token-${n}`,
      expiresAt: new Date("2026-12-01T17:30:00Z"),
    },
  };
}

const invitation: EmailTemplate = {
  name: "invitation",
  props: {
    recipientName: "Sam Patel",
    organisationName: "Northshire County Council",
    invitedByName: "Alex Jones",
    roleLabels: ["Evaluator"],
    acceptUrl: "https://placements.example/invitation/abc",
    expiresAt: new Date("2026-07-01T16:30:00Z"),
  },
};

async function queue(to: string, template: EmailTemplate = passwordReset(0)): Promise<string> {
  const { id } = await db.transaction().execute((trx) => queueEmail(trx, { to, template }));
  return id;
}

async function row(id: string) {
  return db.selectFrom("outbox_email").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

const quietLogger = { warn: () => {}, error: () => {} };

// ---- Tests ----

describe("queueing an email", () => {
  it("stores the rendered email, pending, as part of the caller's transaction", async () => {
    const id = await queue("sam.patel@northshire.test", invitation);
    const email = await row(id);
    expect(email).toMatchObject({
      template: "invitation",
      to_address: "sam.patel@northshire.test",
      subject: "You have been invited to the Children's Placements Portal",
      status: "pending",
      attempts: 0,
      sent_at: null,
      last_error: null,
    });
    expect(email.html).toContain('href="https://placements.example/invitation/abc"');
    expect(email.text).toContain("https://placements.example/invitation/abc");
    expect(email.text).toContain("5:30pm on Wednesday 1 July 2026");
  });

  it("queues nothing when the change it belongs to rolls back", async () => {
    await expect(
      db.transaction().execute(async (trx: Trx) => {
        await queueEmail(trx, { to: "sam.patel@northshire.test", template: invitation });
        await queueEmail(trx, { to: "alex.jones@northshire.test", template: passwordReset(1) });
        throw new Error("the invitation failed half-way");
      }),
    ).rejects.toThrow("half-way");
    const { count } = await db.selectFrom("outbox_email").select((eb) => eb.fn.countAll<number>().as("count")).executeTakeFirstOrThrow();
    expect(Number(count)).toBe(0);
  });

  it("refuses an address that could smuggle in mail headers", async () => {
    await expect(queue("sam@northshire.test\r\nBcc: everyone@northshire.test")).rejects.toThrow(/not an email address/);
    await expect(queue("not an address")).rejects.toThrow(/not an email address/);
  });
});

describe("dispatching over SMTP", () => {
  it("sends each due email once, from the configured sender, and records it as sent", async () => {
    const transport = transportFromEnv({ SMTP_URL: smtpUrl, EMAIL_FROM: "Northshire placements <placements@northshire.test>" });
    expect(transport.kind).toBe("smtp");
    const invitationId = await queue("sam.patel@northshire.test", invitation);
    const resetId = await queue("alex.jones@northshire.test", passwordReset(1));

    const result = await dispatchDueEmails(db, transport);
    expect(result).toEqual({ sent: 2, kept: 0, failed: 0, retried: 0 });

    expect(received.map((m) => m.rcptTo)).toEqual(expect.arrayContaining([["sam.patel@northshire.test"], ["alex.jones@northshire.test"]]));
    expect(received).toHaveLength(2);
    const bySubject = new Map(received.map((m) => [m.rcptTo[0], m]));
    expect(bySubject.get("sam.patel@northshire.test")?.subject).toBe("You have been invited to the Children's Placements Portal");
    expect(bySubject.get("alex.jones@northshire.test")?.subject).toBe("Reset your password for the Children's Placements Portal");
    for (const message of received) {
      expect(message.mailFrom).toBe("placements@northshire.test");
      expect(message.raw).toContain("text/plain");
      expect(message.raw).toContain("text/html");
    }

    for (const id of [invitationId, resetId]) {
      const email = await row(id);
      expect(email.status).toBe("sent");
      expect(email.attempts).toBe(1);
      expect(email.sent_at).toBeInstanceOf(Date);
      expect(email.lease_until).toBeNull();
      expect(email.transport_message_id).toBeTruthy();
      expect(received.map((m) => m.messageId)).toContain(email.transport_message_id);
    }

    // Nothing is due any more, so a second run sends nothing.
    expect(await dispatchDueEmails(db, transport)).toEqual({ sent: 0, kept: 0, failed: 0, retried: 0 });
    expect(received).toHaveLength(2);
  });

  it("sends an email queued in the same millisecond as the dispatch, though the database stamps it microseconds later", async () => {
    const id = await queue("alex.jones@northshire.test", passwordReset(1));
    await db.updateTable("outbox_email").set({ next_attempt_at: sql<Date>`'2026-11-30T12:00:00.123456Z'::timestamptz` }).where("id", "=", id).execute();

    const result = await dispatchDueEmails(db, smtpTransport(smtpUrl), { now: () => new Date("2026-11-30T12:00:00.123Z") });
    expect(result).toEqual({ sent: 1, kept: 0, failed: 0, retried: 0 });
    expect((await row(id)).status).toBe("sent");
  });

  it("never sends a message twice when two portal instances dispatch at the same time", async () => {
    await db.transaction().execute(async (trx) => {
      for (let n = 1; n <= 30; n++) await queueEmail(trx, { to: `person-${n}@northshire.test`, template: passwordReset(n) });
    });
    const transport = smtpTransport(smtpUrl);
    // Open both pools' connections first, so neither instance gets a head start.
    await Promise.all([listEmails(db, { page: 1, pageSize: 1 }), listEmails(otherInstanceDb, { page: 1, pageSize: 1 })]);

    async function drain(instance: typeof db, instanceId: string) {
      let sent = 0;
      for (;;) {
        const result = await dispatchDueEmails(instance, transport, { batchSize: 5, instanceId });
        if (result.sent + result.retried + result.failed + result.kept === 0) return sent;
        sent += result.sent;
      }
    }
    const [sentByFirst, sentBySecond] = await Promise.all([drain(db, "first"), drain(otherInstanceDb, "second")]);

    expect(sentByFirst + sentBySecond).toBe(30);
    // Both really took part, so the race was run rather than avoided.
    expect(sentByFirst).toBeGreaterThan(0);
    expect(sentBySecond).toBeGreaterThan(0);

    expect(received).toHaveLength(30);
    const timesReceived = new Map<string, number>();
    for (const message of received) for (const to of message.rcptTo) timesReceived.set(to, (timesReceived.get(to) ?? 0) + 1);
    for (let n = 1; n <= 30; n++) expect(timesReceived.get(`person-${n}@northshire.test`)).toBe(1);

    const statuses = await db.selectFrom("outbox_email").select(["status", "attempts"]).execute();
    expect(statuses).toHaveLength(30);
    expect(statuses.every((s) => s.status === "sent" && s.attempts === 1)).toBe(true);
  });

  it("retries a refused email with growing delays, and gives up after the last attempt", async () => {
    const transport = smtpTransport(smtpUrl);
    const refusedId = await queue(REFUSING_ADDRESS);
    const goodId = await queue("sam.patel@northshire.test");
    let clock = new Date();
    const options = { now: () => clock, maxAttempts: 3 };

    expect(await dispatchDueEmails(db, transport, options)).toEqual({ sent: 1, kept: 0, failed: 0, retried: 1 });
    expect((await row(goodId)).status).toBe("sent");
    let refused = await row(refusedId);
    expect(refused.status).toBe("pending");
    expect(refused.attempts).toBe(1);
    expect(refused.lease_until).toBeNull();
    expect(refused.last_error).toMatch(/550|mailbox unavailable/i);
    // About a minute, plus at most a tenth for jitter.
    const firstDelay = refused.next_attempt_at.getTime() - clock.getTime();
    expect(firstDelay).toBeGreaterThanOrEqual(60_000);
    expect(firstDelay).toBeLessThanOrEqual(66_000);

    // Not due yet: half a minute later the dispatcher leaves it alone.
    clock = new Date(clock.getTime() + 30_000);
    expect(await dispatchDueEmails(db, transport, options)).toEqual({ sent: 0, kept: 0, failed: 0, retried: 0 });
    expect((await row(refusedId)).attempts).toBe(1);

    clock = refused.next_attempt_at;
    expect(await dispatchDueEmails(db, transport, options)).toEqual({ sent: 0, kept: 0, failed: 0, retried: 1 });
    refused = await row(refusedId);
    expect(refused.status).toBe("pending");
    expect(refused.attempts).toBe(2);
    const secondDelay = refused.next_attempt_at.getTime() - clock.getTime();
    expect(secondDelay).toBeGreaterThanOrEqual(120_000);
    expect(secondDelay).toBeLessThanOrEqual(132_000);

    clock = refused.next_attempt_at;
    expect(await dispatchDueEmails(db, transport, options)).toEqual({ sent: 0, kept: 0, failed: 1, retried: 0 });
    refused = await row(refusedId);
    expect(refused.status).toBe("failed");
    expect(refused.attempts).toBe(3);
    expect(refused.last_error).toMatch(/550|mailbox unavailable/i);
    expect(refused.sent_at).toBeNull();

    // A failed email stays failed, however much later the dispatcher runs.
    clock = new Date(clock.getTime() + 24 * 60 * 60_000);
    expect(await dispatchDueEmails(db, transport, options)).toEqual({ sent: 0, kept: 0, failed: 0, retried: 0 });
    expect(received.flatMap((m) => m.rcptTo)).toEqual(["sam.patel@northshire.test"]);
  });

  it("takes over an email whose sender stopped mid-send once its lease has run out, but not before", async () => {
    const transport = smtpTransport(smtpUrl);
    const abandonedId = await queue("abandoned@northshire.test");
    const inProgressId = await queue("in-progress@northshire.test");
    const now = new Date();
    await db
      .updateTable("outbox_email")
      .set({ status: "sending", attempts: 1, lease_until: new Date(now.getTime() - 1000) })
      .where("id", "=", abandonedId)
      .execute();
    await db
      .updateTable("outbox_email")
      .set({ status: "sending", attempts: 1, lease_until: new Date(now.getTime() + 60_000) })
      .where("id", "=", inProgressId)
      .execute();

    expect(await dispatchDueEmails(db, transport, { now: () => now })).toEqual({ sent: 1, kept: 0, failed: 0, retried: 0 });
    expect(received.flatMap((m) => m.rcptTo)).toEqual(["abandoned@northshire.test"]);
    expect(await row(abandonedId)).toMatchObject({ status: "sent", attempts: 2 });
    expect(await row(inProgressId)).toMatchObject({ status: "sending", attempts: 1 });
  });
});

describe("claims and leases", () => {
  it("does not let a dispatcher whose lease ran out overwrite the claim of the one that took over", async () => {
    const id = await queue("sam.patel@northshire.test");
    const start = new Date();
    const warnings: string[] = [];

    // The second dispatcher takes the email over and is still sending it
    // when the first one's slow send finally fails.
    let secondIsSending!: () => void;
    const secondSending = new Promise<void>((resolve) => (secondIsSending = resolve));
    let finishSecond!: () => void;
    const secondMayFinish = new Promise<void>((resolve) => (finishSecond = resolve));
    const secondTransport: EmailTransport = {
      kind: "portal",
      from: "portal@northshire.test",
      async send() {
        secondIsSending();
        await secondMayFinish;
        return { messageId: null };
      },
    };
    let second: Promise<unknown> | null = null;
    const firstTransport: EmailTransport = {
      kind: "smtp",
      from: "portal@northshire.test",
      async send() {
        second = dispatchDueEmails(otherInstanceDb, secondTransport, { now: () => new Date(start.getTime() + 2000) });
        await secondSending;
        throw new Error("Connection timeout");
      },
    };

    const first = await dispatchDueEmails(db, firstTransport, {
      now: () => start,
      leaseMs: 1000,
      logger: { warn: (message: string) => warnings.push(message), error: () => {} },
    });
    expect(first).toEqual({ sent: 0, kept: 0, failed: 0, retried: 0 });
    expect(warnings.join("\n")).toContain(id);
    expect(await row(id)).toMatchObject({ status: "sending", attempts: 2, last_error: null });

    finishSecond();
    expect(await second).toEqual({ sent: 0, kept: 1, failed: 0, retried: 0 });
    expect(await row(id)).toMatchObject({ status: "kept", attempts: 2, last_error: null });
  });

  it("passes over emails another instance is claiming at that moment, without waiting for it", async () => {
    const ids: string[] = [];
    for (let n = 1; n <= 6; n++) ids.push(await queue(`person-${n}@northshire.test`, passwordReset(n)));
    const beingClaimed = ids.slice(0, 3);

    await db.transaction().execute(async (trx) => {
      // Another instance's claim, caught between locking its rows and committing.
      await trx.selectFrom("outbox_email").select("id").where("id", "in", beingClaimed).forUpdate().execute();
      // Waiting for these locks would wait for good (they go when this transaction ends), so any limit catches it; 15 s leaves a loaded machine room for three sends.
      const result = await Promise.race([
        dispatchDueEmails(otherInstanceDb, smtpTransport(smtpUrl), { batchSize: 10 }),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error("the dispatcher waited for another claim's locks")), 15_000)),
      ]);
      expect(result).toEqual({ sent: 3, kept: 0, failed: 0, retried: 0 });
      await trx
        .updateTable("outbox_email")
        .set((eb) => ({ status: "sending", attempts: eb("attempts", "+", 1), lease_until: new Date(Date.now() + 60_000) }))
        .where("id", "in", beingClaimed)
        .execute();
    });

    expect(received.flatMap((m) => m.rcptTo).sort()).toEqual(["person-4@northshire.test", "person-5@northshire.test", "person-6@northshire.test"]);
    for (const id of beingClaimed) expect(await row(id)).toMatchObject({ status: "sending", attempts: 1 });
  });

  it("stops starting sends once half the lease has gone, and hands the rest back without counting an attempt", async () => {
    const ids = [await queue("first@northshire.test"), await queue("second@northshire.test"), await queue("third@northshire.test")];
    let clock = new Date();
    const sends: string[] = [];
    const slowMailbox: EmailTransport = {
      kind: "portal",
      from: "portal@northshire.test",
      async send(message) {
        sends.push(message.to);
        clock = new Date(clock.getTime() + 40_000);
        return { messageId: null };
      },
    };
    const result = await dispatchDueEmails(db, slowMailbox, { now: () => clock, leaseMs: 60_000, logger: quietLogger });
    expect(result).toEqual({ sent: 0, kept: 1, failed: 0, retried: 0 });
    expect(sends).toHaveLength(1);
    const rows = await Promise.all(ids.map(row));
    expect(rows.filter((r) => r.status === "kept")).toHaveLength(1);
    const handedBack = rows.filter((r) => r.status === "pending");
    expect(handedBack).toHaveLength(2);
    for (const r of handedBack) expect(r).toMatchObject({ attempts: 0, lease_until: null });
  });
});

describe("the portal mailbox, used when no SMTP server is configured", () => {
  it("keeps emails in the portal instead of sending them anywhere", async () => {
    const transport = transportFromEnv({});
    expect(transport.kind).toBe("portal");
    const ids = [await queue("sam.patel@northshire.test", invitation), await queue("alex.jones@northshire.test")];

    expect(await dispatchDueEmails(db, transport)).toEqual({ sent: 0, kept: 2, failed: 0, retried: 0 });
    for (const id of ids) {
      const email = await row(id);
      expect(email.status).toBe("kept");
      expect(email.attempts).toBe(1);
      expect(email.sent_at).toBeInstanceOf(Date);
      expect(email.transport_message_id).toBeNull();
    }
    expect(received).toHaveLength(0);
  });

  it("refuses an SMTP_URL that is not an SMTP address, without repeating it", () => {
    expect(() => transportFromEnv({ SMTP_URL: "http://user:secret@relay.example" })).toThrow(/smtp:\/\//);
    expect(() => transportFromEnv({ SMTP_URL: "not a url secret" })).toThrow(/not a valid URL/);
    expect(() => transportFromEnv({ SMTP_URL: "not a url secret" })).not.toThrow(/secret/);
  });
});

describe("the dispatcher loop", () => {
  it("keeps dispatching until stopped, and dispatches nothing after", async () => {
    const first = [await queue("one@northshire.test"), await queue("two@northshire.test"), await queue("three@northshire.test")];
    const stop = startDispatcherLoop(db, portalMailboxTransport(), { intervalMs: 20, batchSize: 2, logger: quietLogger });
    await waitFor(async () => (await Promise.all(first.map(row))).every((r) => r.status === "kept"));

    // Queued while the loop is running: picked up by a later run.
    const later = await queue("four@northshire.test");
    await waitFor(async () => (await row(later)).status === "kept");

    await stop();
    const afterStop = await queue("five@northshire.test");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await row(afterStop)).status).toBe("pending");
  });

  it("logs a failed run and carries on", async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const flaky: EmailTransport = {
      kind: "portal",
      from: "portal@northshire.test",
      async send() {
        return { messageId: null };
      },
    };
    // A database that fails on first use, then recovers.
    const failingOnce = new Proxy(db, {
      get(target, property) {
        if (property === "with" && calls++ === 0) throw new Error("connection refused");
        // Kysely keeps its state in private fields, which a proxy cannot reach.
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const id = await queue("sam.patel@northshire.test");
    const stop = startDispatcherLoop(failingOnce, flaky, { intervalMs: 20, logger: { warn: () => {}, error: (...args: unknown[]) => errors.push(args) } });
    await waitFor(async () => (await row(id)).status === "kept");
    await stop();
    expect(errors).toHaveLength(1);
  });
});

describe("reading the outbox for the 'Sent email' page", () => {
  it("lists emails newest first, a page at a time, optionally by status", async () => {
    for (let n = 1; n <= 5; n++) await queue(`person-${n}@northshire.test`, passwordReset(n));
    await queue(REFUSING_ADDRESS);
    await dispatchDueEmails(db, smtpTransport(smtpUrl), { logger: quietLogger });

    const firstPage = await listEmails(db, { page: 1, pageSize: 4 });
    expect(firstPage.total).toBe(6);
    expect(firstPage.emails).toHaveLength(4);
    expect(firstPage.emails[0]?.to).toBe(REFUSING_ADDRESS);
    const secondPage = await listEmails(db, { page: 2, pageSize: 4 });
    expect(secondPage.emails.map((e) => e.to)).toEqual(["person-2@northshire.test", "person-1@northshire.test"]);
    const times = [...firstPage.emails, ...secondPage.emails].map((e) => e.createdAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));

    const waiting = await listEmails(db, { page: 1, pageSize: 10, status: "pending" });
    expect(waiting.total).toBe(1);
    expect(waiting.emails[0]).toMatchObject({ to: REFUSING_ADDRESS, status: "pending", attempts: 1, sentAt: null });
    expect(waiting.emails[0]?.lastError).toMatch(/550|mailbox unavailable/i);
    const sent = await listEmails(db, { page: 1, pageSize: 10, status: "sent" });
    expect(sent.total).toBe(5);
    expect(sent.emails.every((e) => e.sentAt instanceof Date && e.subject === "Reset your password for the Children's Placements Portal")).toBe(true);
  });

  it("opens one email with its HTML and text, and gives nothing for an unknown id", async () => {
    const id = await queue("sam.patel@northshire.test", invitation);
    const email = await getEmail(db, id, "smtp");
    expect(email).toMatchObject({ id, template: "invitation", to: "sam.patel@northshire.test", status: "pending", attempts: 0 });
    expect(email?.html).toContain("You have been invited");
    // Not sent yet, so the page shows the copy without the link (the kept-email test shows the demo case).
    expect(email?.text).not.toContain("https://placements.example/invitation/abc");

    expect(await getEmail(db, "00000000-0000-4000-8000-000000000000", "smtp")).toBeNull();
    expect(await getEmail(db, "not-a-uuid", "smtp")).toBeNull();
  });
});

/** Until the condition holds; 12 s, so a loaded machine's slow dispatcher runs are not taken for a failure (two fit in a test's 30 s). */
async function waitFor(condition: () => Promise<boolean>, timeoutMs = 12_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("Timed out waiting for the condition");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("secret links in stored emails", () => {
  const council = db.insertInto("organisation").values({ kind: "council", name: "Northshire County Council" }).returning("id").executeTakeFirstOrThrow();
  let n = 0;
  async function resetEmailFor(): Promise<{ id: string; email: string }> {
    n += 1;
    const email = `chief.officer${n}@northshire.test`;
    const ctx = systemContext();
    await db.transaction().execute(async (trx) => {
      await createActiveUser(trx, { organisationId: (await council).id, email, fullName: "Chief Officer", roles: ["chief_officer"], password: "quiet-orchard-lantern" }, ctx);
      await requestPasswordReset(trx, { email }, ctx, { baseUrl: "https://placements.example" });
    });
    const { id } = await db.selectFrom("outbox_email").select("id").where("to_address", "=", email).executeTakeFirstOrThrow();
    return { id, email };
  }
  const tokenIn = (text: string) => /reset-password\/([A-Za-z0-9_-]{20,})/.exec(text)?.[1] ?? null;

  it("once a reset email is sent, an administrator reading it (page or table) finds no link to use; the person's copy works", async () => {
    const { id } = await resetEmailFor();
    // Waiting to go, the page already shows the copy without the link.
    const pending = await getEmail(db, id, "smtp");
    expect(pending?.links).toBe("withheld");
    expect(tokenIn(pending!.text)).toBeNull();
    expect(tokenIn(pending!.html)).toBeNull();

    expect(await dispatchDueEmails(db, smtpTransport(smtpUrl))).toMatchObject({ sent: 1 });
    const stored = await row(id);
    expect(stored.status).toBe("sent");
    for (const column of Object.values(stored)) if (typeof column === "string") expect(tokenIn(column)).toBeNull();
    expect(stored.text).toContain("The link is not in the portal's copy of this email");
    expect(stored.text).toMatch(/expires at .* and works only once/);
    const shown = await getEmail(db, id, "smtp");
    expect(shown?.links).toBe("withheld");
    expect(tokenIn(shown!.html)).toBeNull();

    // The addressee's copy, as the SMTP server received it, has the working link.
    expect(received).toHaveLength(1);
    const token = tokenIn(received[0]!.raw.replace(/=\r\n/g, ""));
    expect(token).not.toBeNull();
    expect(await passwordResetFor(db, token!, new Date())).not.toBeNull();
  });

  it("once an invitation is sent, its stored copy has no link to accept it with; the invitee's copy works", async () => {
    const email = "new.officer@northshire.test";
    await db.transaction().execute(async (trx) =>
      inviteUser(trx, { organisationId: (await council).id, email, fullName: "New Officer", roles: ["commissioning_officer"] }, systemContext(), { baseUrl: "https://placements.example" }),
    );
    const { id } = await db.selectFrom("outbox_email").select("id").where("to_address", "=", email).executeTakeFirstOrThrow();
    const invitationToken = (text: string) => /invitation\/([A-Za-z0-9_-]{20,})/.exec(text)?.[1] ?? null;
    expect(invitationToken((await getEmail(db, id, "smtp"))!.text)).toBeNull();
    expect(await dispatchDueEmails(db, smtpTransport(smtpUrl))).toMatchObject({ sent: 1 });
    const stored = await row(id);
    expect(stored.status).toBe("sent");
    for (const column of Object.values(stored)) if (typeof column === "string") expect(invitationToken(column)).toBeNull();
    const token = invitationToken(received.at(-1)!.raw.replace(/=\r\n/g, ""));
    expect(token).not.toBeNull();
    expect(await invitationFor(db, token!, new Date())).not.toBeNull();
  });

  it("takes the link out of an email that failed for good too", async () => {
    const { id } = await resetEmailFor();
    await db.updateTable("outbox_email").set({ to_address: REFUSING_ADDRESS }).where("id", "=", id).execute();
    await dispatchDueEmails(db, smtpTransport(smtpUrl), { maxAttempts: 1, logger: quietLogger });
    const stored = await row(id);
    expect(stored.status).toBe("failed");
    expect(tokenIn(stored.html)).toBeNull();
    expect(tokenIn(stored.text)).toBeNull();
  });

  it("keeps working links in emails the portal only keeps (no SMTP_URL), and says they are demo links", async () => {
    const { id } = await resetEmailFor();
    await dispatchDueEmails(db, portalMailboxTransport());
    const shown = await getEmail(db, id, "portal");
    expect(shown?.status).toBe("kept");
    expect(shown?.links).toBe("demo");
    const token = tokenIn(shown!.text);
    expect(token).not.toBeNull();
    expect(await passwordResetFor(db, token!, new Date())).not.toBeNull();
  });
});
