import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type { AuditEntry } from "#app/modules/audit/audit";
import { renderAuditExtractPdf } from "#app/modules/audit/AuditExtract.pdf";
import { createCheckpoint } from "#app/modules/audit/checkpoints";
import { generateSigningKey } from "#app/modules/audit/signing-key";
import {
  AUDIT_CSV_COLUMNS,
  exportAuditTrailCsv,
  loadAuditExtract,
  recordHistory,
  searchAuditTrail,
  type AuditFilter,
} from "#app/modules/audit/trail";
import type { Actor } from "#app/modules/identity/actor";
import { useTestDatabase } from "#test/support/database";
import { writeAuditEvent } from "#test/support/audited";

const { db } = await useTestDatabase();
const run = promisify(execFile);

const NORTHSHIRE = crypto.randomUUID();
const OAKWOOD_CARE = crypto.randomUUID();
const alice: Actor = {
  userId: crypto.randomUUID(),
  name: "Alice Ahmed",
  email: "alice@northshire.example",
  roles: ["commissioning_officer", "administrator"],
  organisationId: NORTHSHIRE,
  organisationName: "Northshire County Council",
  organisationKind: "council",
  sessionId: null,
};
const bob: Actor = {
  userId: crypto.randomUUID(),
  name: "Bob Brown",
  email: "bob@oakwood.example",
  roles: ["provider_user"],
  organisationId: OAKWOOD_CARE,
  organisationName: "Oakwood Care Ltd",
  organisationKind: "provider",
  sessionId: null,
};

const HOME = crypto.randomUUID();
const OTHER_HOME = crypto.randomUUID();
const AGREEMENT = crypto.randomUUID();
const INVITEE = crypto.randomUUID();

async function write(actor: Actor | null, at: string, entry: AuditEntry): Promise<number> {
  return writeAuditEvent(db, { actor, now: new Date(at), requestId: `req-${at}`, clientAddress: "203.0.113.7" }, entry);
}

// The story, in the order it happened. UK clocks went forward at 01:00 UTC on
// 30 March 2025 and back at 01:00 UTC on 26 October 2025.
const seq = {
  invited: await write(alice, "2025-03-29T23:30:00Z", {
    action: "user.invited",
    summary: "Invited Sam Patel as evaluator",
    subjects: [{ type: "user", id: INVITEE }, { type: "organisation", id: NORTHSHIRE }],
    after: { email: "sam@northshire.example", roles: ["evaluator"] },
  }),
  // 00:30 GMT on 30 March, UK time.
  homeCreated: await write(bob, "2025-03-30T00:30:00Z", {
    action: "home.created",
    summary: "Added home Oak Lodge",
    subjects: [{ type: "home", id: HOME }, { type: "organisation", id: OAKWOOD_CARE }],
    after: { name: "Oak Lodge", registeredPlaces: 4 },
  }),
  // 30 March in UTC, but 00:30 BST on 31 March in the UK.
  judgement: await write(alice, "2025-03-30T23:30:00Z", {
    action: "home.ofsted_judgement_recorded",
    summary: "Recorded Ofsted grade Good for Oak Lodge",
    subjects: [{ type: "home", id: HOME }],
    before: { grade: null },
    after: { grade: 2, inspectedOn: "2025-03-20" },
    reason: "Report published 28 March",
  }),
  // 23:59 BST on 30 June.
  signInFailed: await write(null, "2025-06-30T22:59:00Z", {
    action: "user.sign_in_failed",
    summary: "Sign-in failed for unknown@example.com",
    subjects: [],
    after: { email: "unknown@example.com", failuresForAccount: 1 },
  }),
  // Midnight BST, 1 July.
  agreementCreated: await write(alice, "2025-06-30T23:00:00Z", {
    action: "agreement.created",
    summary: 'Created "Residential, North"\nframework',
    subjects: [{ type: "agreement", id: AGREEMENT }],
    after: { reference: "NCC-2025-01", title: "Residential, North", estimatedValuePence: 370_000_00 },
  }),
  formula: await write(bob, "2025-07-01T10:00:00Z", {
    action: "home.created",
    summary: '=HYPERLINK("http://evil.example","Click")',
    subjects: [{ type: "home", id: OTHER_HOME }],
    reason: "-5 places",
  }),
  // 01:30 BST on 26 October, the first of two 01:30s that day.
  agreementUpdated: await write(alice, "2025-10-26T00:30:00Z", {
    action: "agreement.updated",
    summary: "Extended the Residential, North framework",
    subjects: [{ type: "agreement", id: AGREEMENT }, { type: "lot", id: "shared-id" }],
    before: { termEnd: "2027-03-31" },
    after: { termEnd: "2028-03-31" },
    reason: "Cabinet decision 14 October",
  }),
  // 01:30 GMT on 26 October, the second.
  invitedAgain: await write(alice, "2025-10-26T01:30:00Z", {
    action: "user.invited",
    summary: "Invited Jo Lee as chief officer",
    subjects: [{ type: "user", id: crypto.randomUUID() }, { type: "home", id: "shared-id" }],
  }),
};
const ALL = Object.values(seq);

async function seqs(filter: AuditFilter, pageSize = 100) {
  const page = await searchAuditTrail(db, filter, { pageSize });
  return page.events.map((e) => e.seq);
}

describe("browsing the audit trail", () => {
  it("shows everything newest first when nothing is filtered", async () => {
    expect(await seqs({})).toEqual([...ALL].reverse());
  });

  it("shows the person, organisation and plain-English action of each event", async () => {
    const { events } = await searchAuditTrail(db, { action: "home.ofsted_judgement_recorded" });
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toMatchObject({
      seq: seq.judgement,
      occurredAt: new Date("2025-03-30T23:30:00Z"),
      actor: {
        userId: alice.userId,
        name: "Alice Ahmed",
        roles: ["commissioning_officer", "administrator"],
        organisationId: NORTHSHIRE,
        organisationName: "Northshire County Council",
      },
      action: "home.ofsted_judgement_recorded",
      actionLabel: "Recorded an Ofsted judgement",
      summary: "Recorded Ofsted grade Good for Oak Lodge",
      subjects: [{ type: "home", id: HOME }],
      reason: "Report published 28 March",
      requestId: "req-2025-03-30T23:30:00Z",
      clientAddress: "203.0.113.7",
    });
    // The list never shows the values or hashes, so it does not read them: the record's history does.
    expect(event).not.toHaveProperty("before");
    expect(event).not.toHaveProperty("hash");
    expect(event?.after).toBeNull();
  });

  it("keeps, of a sign-in attempt's values, only the address typed", async () => {
    const { events } = await searchAuditTrail(db, { action: "user.sign_in_failed" });
    expect(events.map((e) => e.after)).toEqual([{ email: "unknown@example.com" }]);
  });

  it("shows an event the portal did by itself with no person", async () => {
    const { events } = await searchAuditTrail(db, { action: "user.sign_in_failed" });
    expect(events.map((e) => e.actor)).toEqual([null]);
  });

  it("filters by record: type and id together", async () => {
    expect(await seqs({ subjectType: "home", subjectId: HOME })).toEqual([seq.judgement, seq.homeCreated]);
    expect(await seqs({ subjectType: "agreement", subjectId: AGREEMENT })).toEqual([seq.agreementUpdated, seq.agreementCreated]);
  });

  it("filters by record type alone", async () => {
    expect(await seqs({ subjectType: "home" })).toEqual([seq.invitedAgain, seq.formula, seq.judgement, seq.homeCreated]);
  });

  it("filters by record id alone, whatever the record's type", async () => {
    expect(await seqs({ subjectId: "shared-id" })).toEqual([seq.invitedAgain, seq.agreementUpdated]);
    expect(await seqs({ subjectType: "lot", subjectId: "shared-id" })).toEqual([seq.agreementUpdated]);
  });

  it("finds nothing for a record with no events", async () => {
    expect(await searchAuditTrail(db, { subjectType: "home", subjectId: crypto.randomUUID() })).toEqual({
      events: [],
      nextBefore: null,
      previousAfter: null,
    });
  });

  it("filters by person", async () => {
    expect(await seqs({ actorUserId: bob.userId })).toEqual([seq.formula, seq.homeCreated]);
    expect(await seqs({ actorUserId: crypto.randomUUID() })).toEqual([]);
  });

  it("filters by action", async () => {
    expect(await seqs({ action: "user.invited" })).toEqual([seq.invitedAgain, seq.invited]);
  });

  it("combines filters", async () => {
    expect(await seqs({ action: "home.created", actorUserId: bob.userId, subjectId: OTHER_HOME })).toEqual([seq.formula]);
    expect(await seqs({ action: "user.invited", from: "2025-10-01" })).toEqual([seq.invitedAgain]);
  });

  it("counts days in UK time: an event late on 30 March UTC is on 31 March after the clocks go forward", async () => {
    expect(await seqs({ from: "2025-03-30", to: "2025-03-30" })).toEqual([seq.homeCreated]);
    expect(await seqs({ from: "2025-03-31", to: "2025-03-31" })).toEqual([seq.judgement]);
    expect(await seqs({ to: "2025-03-29" })).toEqual([seq.invited]);
  });

  it("counts days in UK time in summer: midnight BST on 1 July is 23:00 UTC on 30 June", async () => {
    expect(await seqs({ from: "2025-07-01", to: "2025-07-01" })).toEqual([seq.formula, seq.agreementCreated]);
    expect(await seqs({ from: "2025-06-30", to: "2025-06-30" })).toEqual([seq.signInFailed]);
  });

  it("includes the whole of the 'to' day, both 01:30s included on the day the clocks go back", async () => {
    expect(await seqs({ from: "2025-10-26", to: "2025-10-26" })).toEqual([seq.invitedAgain, seq.agreementUpdated]);
    expect(await seqs({ from: "2025-10-27" })).toEqual([]);
    expect(await seqs({ from: "2025-07-01" })).toEqual([seq.invitedAgain, seq.agreementUpdated, seq.formula, seq.agreementCreated]);
  });

  it("pages newest first without repeating or skipping an event", async () => {
    const seen: number[] = [];
    let before: number | undefined;
    let pages = 0;
    for (;;) {
      const page = await searchAuditTrail(db, before === undefined ? {} : { before }, { pageSize: 3 });
      pages += 1;
      expect(page.events.length).toBeLessThanOrEqual(3);
      seen.push(...page.events.map((e) => e.seq));
      if (page.nextBefore === null) break;
      expect(page.nextBefore).toBe(page.events[page.events.length - 1]?.seq);
      before = page.nextBefore;
    }
    expect(seen).toEqual([...ALL].reverse());
    expect(pages).toBe(Math.ceil(ALL.length / 3));
  });

  it("says there is no next page when the last page is exactly full", async () => {
    const page = await searchAuditTrail(db, {}, { pageSize: ALL.length });
    expect(page.events).toHaveLength(ALL.length);
    expect(page.nextBefore).toBeNull();
    const short = await searchAuditTrail(db, {}, { pageSize: ALL.length - 1 });
    expect(short.nextBefore).toBe(seq.invited + 1);
  });

  it("pages back to newer events, newest first, and knows the first page has nothing newer", async () => {
    const first = await searchAuditTrail(db, {}, { pageSize: 3 });
    expect(first.previousAfter).toBeNull();
    const second = await searchAuditTrail(db, { before: first.nextBefore! }, { pageSize: 3 });
    expect(second.previousAfter).toBe(second.events[0]!.seq);
    const third = await searchAuditTrail(db, { before: second.nextBefore! }, { pageSize: 3 });
    // Newer from the third page is the second page again, in the same order, then the first.
    const back = await searchAuditTrail(db, { after: third.previousAfter! }, { pageSize: 3 });
    expect(back.events.map((e) => e.seq)).toEqual(second.events.map((e) => e.seq));
    expect(back.nextBefore).toBe(second.nextBefore);
    const top = await searchAuditTrail(db, { after: back.previousAfter! }, { pageSize: 3 });
    expect(top.events.map((e) => e.seq)).toEqual(first.events.map((e) => e.seq));
    expect(top.previousAfter).toBeNull();
    expect(top.nextBefore).toBe(first.nextBefore);
  });

  it("pages newer within a filter", async () => {
    const older = await searchAuditTrail(db, { subjectType: "home", before: seq.formula }, { pageSize: 2 });
    expect(older.previousAfter).toBe(seq.judgement);
    const newer = await searchAuditTrail(db, { subjectType: "home", after: older.previousAfter! }, { pageSize: 2 });
    expect(newer.events.map((e) => e.seq)).toEqual([seq.invitedAgain, seq.formula]);
    expect(newer.previousAfter).toBeNull();
    expect(newer.nextBefore).toBe(seq.formula);
  });

  it("pages within a filter", async () => {
    const first = await searchAuditTrail(db, { subjectType: "home" }, { pageSize: 2 });
    expect(first.events.map((e) => e.seq)).toEqual([seq.invitedAgain, seq.formula]);
    expect(first.nextBefore).toBe(seq.formula);
    const second = await searchAuditTrail(db, { subjectType: "home", before: seq.formula }, { pageSize: 2 });
    expect(second.events.map((e) => e.seq)).toEqual([seq.judgement, seq.homeCreated]);
    expect(second.nextBefore).toBeNull();
  });
});

/** A small RFC 4180 reader, so the test checks the CSV as a spreadsheet would read it. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === "") quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += ch;
  }
  expect(quoted).toBe(false);
  expect(cell).toBe("");
  return rows;
}

async function collect(chunks: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return out;
}

describe("exporting the audit trail as CSV", () => {
  it("writes a header and one row per event, oldest first, with every column", async () => {
    const text = (await collect(exportAuditTrailCsv(db, {}))).join("");
    expect(text.startsWith("\uFEFF")).toBe(true);
    const [header, ...rows] = parseCsv(text.slice(1));
    expect(header).toEqual([...AUDIT_CSV_COLUMNS]);
    expect(header).toEqual([
      "Sequence",
      "Time (UK)",
      "Time (UTC ISO)",
      "Person",
      "Roles",
      "Organisation",
      "Action",
      "Summary",
      "Records",
      "Reason",
      "Before (JSON)",
      "After (JSON)",
      "Request ID",
      "Client address",
      "Hash",
      "Records (names)",
      "Changes (in words)",
    ]);
    expect(rows.map((r) => Number(r[0]))).toEqual(ALL);
    for (const row of rows) expect(row).toHaveLength(17);

    const judgement = rows.find((r) => Number(r[0]) === seq.judgement)!;
    const stored = await db.selectFrom("audit_event").select("hash").where("seq", "=", seq.judgement).executeTakeFirstOrThrow();
    expect(judgement).toEqual([
      String(seq.judgement),
      "2025-03-31 00:30:00 BST",
      "2025-03-30T23:30:00.000Z",
      "Alice Ahmed",
      "Commissioning officer; Administrator",
      "Northshire County Council",
      "Recorded an Ofsted judgement (home.ofsted_judgement_recorded)",
      "Recorded Ofsted grade Good for Oak Lodge",
      `home ${HOME}`,
      "Report published 28 March",
      '{"grade":null}',
      '{"grade":2,"inspectedOn":"2025-03-20"}',
      "req-2025-03-30T23:30:00Z",
      "203.0.113.7",
      stored.hash,
      // No home with this id exists in this test's database, so there is no name to give.
      `Home ${HOME}`,
      "Ofsted grade: Was None, now Good; Inspection date: 20 March 2025",
    ]);

    // No one was signed in: the CSV names the attempt by the address typed.
    const system = rows.find((r) => Number(r[0]) === seq.signInFailed)!;
    expect(system[3]).toBe("Sign-in attempt as unknown@example.com");
    expect(system[4]).toBe("");
    expect(system[1]).toBe("2025-06-30 23:59:00 BST");
  });

  it("quotes commas, quotes and line breaks so the cells survive intact", async () => {
    const text = (await collect(exportAuditTrailCsv(db, { action: "agreement.created" }, { byteOrderMark: false }))).join("");
    expect(text).toContain('"Created ""Residential, North""\nframework"');
    const [, row] = parseCsv(text);
    expect(row?.[7]).toBe('Created "Residential, North"\nframework');
    expect(JSON.parse(row?.[11] ?? "")).toEqual({
      reference: "NCC-2025-01",
      title: "Residential, North",
      estimatedValuePence: 370_000_00,
    });
  });

  it("stops a summary or reason that looks like a formula from running in a spreadsheet", async () => {
    const text = (await collect(exportAuditTrailCsv(db, { subjectId: OTHER_HOME }, { byteOrderMark: false }))).join("");
    const [, row] = parseCsv(text);
    expect(row?.[7]).toBe(`'=HYPERLINK("http://evil.example","Click")`);
    expect(row?.[9]).toBe("'-5 places");
    expect(text).not.toMatch(/(^|,)"?=HYPERLINK/m);
  });

  it("exports only what the filter matches", async () => {
    const text = (await collect(exportAuditTrailCsv(db, { subjectType: "agreement", from: "2025-10-26" }, { byteOrderMark: false }))).join("");
    const [, ...rows] = parseCsv(text);
    expect(rows.map((r) => Number(r[0]))).toEqual([seq.agreementUpdated]);
    expect(rows[0]?.[8]).toBe(`agreement ${AGREEMENT}; lot shared-id`);
  });

  it("exports just the header when nothing matches", async () => {
    const chunks = await collect(exportAuditTrailCsv(db, { action: "lot.created" }, { byteOrderMark: false }));
    expect(parseCsv(chunks.join(""))).toEqual([[...AUDIT_CSV_COLUMNS]]);
  });

  it("streams in batches, giving the same file as one big batch", async () => {
    const small = await collect(exportAuditTrailCsv(db, {}, { batchSize: 3 }));
    // The header, then ceil(8 / 3) = 3 batches.
    expect(small).toHaveLength(1 + Math.ceil(ALL.length / 3));
    expect(parseCsv(small[1]!)).toHaveLength(3);
    const whole = await collect(exportAuditTrailCsv(db, {}));
    expect(whole).toHaveLength(2);
    expect(small.join("")).toBe(whole.join(""));
  });
});

describe("a record's history", () => {
  it("lists every event naming the record, oldest first, and nothing else", async () => {
    const history = await recordHistory(db, { type: "home", id: HOME });
    expect(history.map((e) => e.seq)).toEqual([seq.homeCreated, seq.judgement]);
    expect(history.map((e) => e.summary)).toEqual(["Added home Oak Lodge", "Recorded Ofsted grade Good for Oak Lodge"]);
  });

  it("does not mix up records of different types with the same id", async () => {
    expect((await recordHistory(db, { type: "home", id: "shared-id" })).map((e) => e.seq)).toEqual([seq.invitedAgain]);
    expect((await recordHistory(db, { type: "lot", id: "shared-id" })).map((e) => e.seq)).toEqual([seq.agreementUpdated]);
  });
});

async function pdfText(pdf: Buffer): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "audit-extract-"));
  try {
    const file = path.join(dir, "extract.pdf");
    await fs.writeFile(file, pdf);
    const { stdout } = await run("/usr/bin/pdftotext", ["-enc", "UTF-8", file, "-"]);
    return stdout;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

describe("the audit extract PDF", () => {
  it("shows the record's events with their hashes, the chain head and the latest checkpoint", async () => {
    const key = generateSigningKey();
    const checkpoint = await db
      .transaction()
      .execute((trx) => createCheckpoint(trx, { actor: alice, now: new Date("2025-11-01T09:00:00Z"), requestId: null, clientAddress: null }, key, "on_demand"));
    const data = await loadAuditExtract(db, { type: "home", id: HOME });
    expect(data.events.map((e) => e.seq)).toEqual([seq.homeCreated, seq.judgement]);
    // The checkpoint's own audit event is now the last in the chain.
    expect(data.chainHead?.seq).toBe(checkpoint.seq + 1);
    expect(data.latestCheckpoint).toEqual({
      seq: checkpoint.seq,
      hash: checkpoint.hash,
      signedAt: checkpoint.signedAt,
      keyId: checkpoint.keyId,
    });

    const pdf = await renderAuditExtractPdf({
      record: { type: "home", id: HOME, title: "Oak Lodge" },
      ...data,
      generatedAt: new Date("2025-11-02T10:15:00Z"),
      generatedBy: { name: "Alice Ahmed", organisationName: "Northshire County Council" },
    });
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const text = await pdfText(pdf);
    expect(text).toMatch(/Children[’']s Placements Portal/);
    expect(text).toContain("Oak Lodge");
    expect(text).toContain(HOME);
    expect(text).toContain("Added home Oak Lodge");
    expect(text).toContain("Recorded Ofsted grade Good for Oak Lodge");
    expect(text).toContain("Report published 28 March");
    expect(text).toContain("Recorded an Ofsted judgement");
    expect(text).toContain("Bob Brown");
    expect(text).toContain("Oakwood Care Ltd");
    expect(text).toContain("31 Mar 2025 00:30:00 BST");
    expect(text).toContain("2 Nov 2025 10:15:00 GMT");
    for (const event of data.events) {
      expect(text).toContain(event.hash);
      expect(text).toContain(event.prevHash);
    }
    expect(text).toContain(data.chainHead!.hash);
    expect(text).toContain(checkpoint.hash);
    expect(text).toContain(checkpoint.keyId);
    expect(text).toContain("Page 1 of 1");
    // Another record's events stay out of it.
    expect(text).not.toContain("HYPERLINK");
    expect(text).not.toContain("Invited Sam Patel");
  });

  it("numbers every page of a long extract", async () => {
    const record = { type: "home", id: crypto.randomUUID() };
    for (let i = 1; i <= 30; i++) {
      await write(bob, `2025-11-03T09:${String(i).padStart(2, "0")}:00Z`, {
        action: "home.updated",
        summary: `Changed the number of places to ${i}`,
        subjects: [record],
        before: { registeredPlaces: i - 1 },
        after: { registeredPlaces: i },
      });
    }
    const data = await loadAuditExtract(db, record);
    const pdf = await renderAuditExtractPdf({
      record: { ...record, title: "Willow House" },
      ...data,
      generatedAt: new Date(),
      generatedBy: { name: "Alice Ahmed", organisationName: null },
    });
    const text = await pdfText(pdf);
    const footers = [...text.matchAll(/Page (\d+) of (\d+)/g)];
    const total = Number(footers[0]?.[2]);
    expect(total).toBeGreaterThan(1);
    expect(footers.map((m) => Number(m[1]))).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(footers.every((m) => Number(m[2]) === total)).toBe(true);
    expect((text.match(/Children[’']s Placements Portal/g) ?? []).length).toBeGreaterThanOrEqual(total);
    for (let i = 1; i <= 30; i++) expect(text).toContain(`Changed the number of places to ${i}`);
  });
});

describe("an export that runs while people keep working", () => {
  it("stops at the event that was last when it started", async () => {
    const before = await searchAuditTrail(db, {}, { pageSize: 1 });
    const head = before.events[0]!.seq;
    const chunks = exportAuditTrailCsv(db, {}, { batchSize: 5, byteOrderMark: false });
    const header = await chunks.next();
    const firstBatch = await chunks.next();
    expect(header.done).toBe(false);
    expect(firstBatch.done).toBe(false);
    const late = await write(alice, "2025-12-01T12:00:00Z", { action: "home.updated", summary: "Written mid-export", subjects: [] });
    const rest = await collect({ [Symbol.asyncIterator]: () => chunks });
    const rows = parseCsv([header.value, firstBatch.value, ...rest].join("")).slice(1);
    expect(rows.map((r) => Number(r[0]))).toEqual(Array.from({ length: head }, (_, i) => i + 1));
    expect(rows.map((r) => Number(r[0]))).not.toContain(late);
  });
});
