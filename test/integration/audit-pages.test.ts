// The audit trail and a record's history as people read them: words, not
// JSON and ids. Route loaders are called directly against the demo data.
import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { recordOfstedJudgement } from "#app/modules/homes/homes";
import { actorForUser } from "#app/modules/identity/sessions";
import { signIn } from "#app/modules/identity/sign-in";
import { exportAuditTrailCsv } from "#app/modules/audit/trail";
import { loader as auditPage } from "#app/routes/audit._index";
import { loader as historyPage } from "#app/routes/audit.records.$type.$id";
import { loader as extractPdf } from "#app/routes/audit.records.$type.$id[.]pdf";
import { seedDemo } from "#db/seed/demo";
import { useTestDatabase } from "#test/support/database";
import { rowsOf } from "#test/support/audit-rows";
import { portalContext } from "#test/support/portal-context";
import { QueryCounter } from "#test/support/query-counter";

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

const { db } = await useTestDatabase();
await seedDemo(db);
const priya = await db.selectFrom("app_user").select("id").where("email", "=", "officer@westmoor.example").executeTakeFirstOrThrow();
const officer = await actorForUser(db, priya.id, null);
const home = await db
  .selectFrom("home")
  .innerJoin("organisation", "organisation.id", "home.organisation_id")
  .select(["home.id", "home.name", "organisation.name as providerName"])
  .where("home.service_type", "=", "supported_living")
  .orderBy("home.name")
  .executeTakeFirstOrThrow();
await db.transaction().execute((trx) =>
  recordOfstedJudgement(trx, { homeId: home.id, inspectedOn: "2026-10-02", grade: 2 }, {
    actor: officer,
    requestId: "judgement-request",
    clientAddress: "198.51.100.4",
    now: new Date(),
  }),
);
await db.transaction().execute((trx) =>
  recordOfstedJudgement(trx, { homeId: home.id, inspectedOn: "2026-11-02", grade: 1 }, {
    actor: officer,
    requestId: "judgement-request-2",
    clientAddress: "198.51.100.4",
    now: new Date(),
  }),
);
// Someone typing a wrong password: no one is signed in, so the event has no actor.
await signIn(
  db,
  { email: "nobody@elsewhere.example", password: "not the password", userAgent: null },
  { actor: null, requestId: "sign-in-request", clientAddress: "203.0.113.9", now: new Date() },
);
await signIn(
  db,
  { email: "provider@harbour-light.example", password: "not the password", userAgent: null },
  { actor: null, requestId: "sign-in-request-2", clientAddress: "203.0.113.10", now: new Date() },
);
const jo = await db.selectFrom("app_user").select("id").where("email", "=", "provider@harbour-light.example").executeTakeFirstOrThrow();

const trail = (query: string) =>
  auditPage({ request: new Request(`http://portal.test/audit?${query}`), params: {}, context: portalContext(db, officer) });
const history = (type: string, id: string) =>
  historyPage({
    request: new Request(`http://portal.test/audit/records/${type}/${id}`),
    params: { type, id },
    context: portalContext(db, officer),
  });

describe("the audit trail's Who and Records columns", () => {
  it("shows a failed sign-in as an attempt for the email address typed, from the client address, not as the portal", async () => {
    const data = await trail("action=user.sign_in_failed");
    expect(rowsOf(data).map((e) => e.who)).toEqual([
      { who: "Sign-in attempt as provider@harbour-light.example", detail: "from 203.0.113.10" },
      { who: "Sign-in attempt as nobody@elsewhere.example", detail: "from 203.0.113.9" },
    ]);
  });

  it("gives a person's name and organisation as separate pieces", async () => {
    const data = await trail("action=home.ofsted_judgement_recorded");
    expect(rowsOf(data)[0]!.who).toEqual({ who: "Priya Shah", detail: officer.organisationName });
  });

  it("names the records an event is about, not their ids", async () => {
    const data = await trail("action=home.ofsted_judgement_recorded");
    const names = rowsOf(data)[0]!.records.map((r) => r.name);
    expect(names).toEqual([home.name, home.providerName]);
    expect(rowsOf(data)[0]!.records[0]!.href).toBe(`/audit/records/home/${home.id}`);
    for (const event of rowsOf(data)) for (const record of event.records) expect(record.name).not.toMatch(UUID);
  });

  it("still shows who set up the demo data as the portal", async () => {
    const data = await trail("action=organisation.created");
    expect(rowsOf(data)[0]!.who).toEqual({ who: "The portal (automatic)", detail: null });
  });
});

describe("what people typed, in the trail's rows and its filter", () => {
  const script = `<script>alert("trail")</script>`;

  it("shows a script in a name, a summary, a reason and a record as text, and never as markup", async () => {
    await db.transaction().execute((trx) =>
      recordAuditEvent(
        trx,
        { actor: { ...officer, name: `Priya ${script}`, organisationName: `Westmoor & ${script}` }, requestId: "script-request", clientAddress: "198.51.100.7", now: new Date() },
        {
          action: "test.script_typed",
          summary: `Typed ${script} into a box`,
          subjects: [{ type: "note", id: script }],
          reason: `Because ${script}`,
        },
      ),
    );
    const data = await trail(`action=test.script_typed&record=${encodeURIComponent(script)}&subjectType=note`);
    const markup = typeof data.rowsHtml === "string" ? data.rowsHtml : data.rowsHtml.markup;
    expect(markup).not.toContain("<script");
    expect(markup).toContain("&lt;script&gt;");
    const [row, ...others] = rowsOf(data);
    expect(others).toEqual([]);
    expect(row).toMatchObject({
      who: { who: `Priya ${script}`, detail: `Westmoor & ${script}` },
      actionLabel: "Test: script typed",
      records: [{ href: `/audit/records/note/${encodeURIComponent(script)}`, name: `Note ${script}` }],
    });
    const options = typeof data.actionOptionsHtml === "string" ? data.actionOptionsHtml : data.actionOptionsHtml.markup;
    expect(options).not.toContain("<script");

    // An "action" in the address that is no action at all is an error, and is not written into the select.
    const hostileChoice = await trail(`action=${encodeURIComponent(`user.signed_in"><script>x</script>`)}`);
    expect(hostileChoice.errors?.action).toBe("Choose an action from the list");
    const hostileOptions = typeof hostileChoice.actionOptionsHtml === "string" ? hostileChoice.actionOptionsHtml : hostileChoice.actionOptionsHtml.markup;
    expect(hostileOptions).not.toContain("<script");
    expect(hostileOptions).not.toContain(" selected");
  });
});

describe("filtering the trail by a record's name", () => {
  it("finds a home by its whole name and shows its name in the box", async () => {
    const data = await trail(`record=${encodeURIComponent(home.name)}`);
    expect(data.errors).toBeUndefined();
    expect(data.values.record).toBe(home.name);
    expect(data.chosenRecordId).toBe(home.id);
    expect(data.eventCount).toBeGreaterThan(0);
    expect(rowsOf(data)).toHaveLength(data.eventCount);
    for (const event of rowsOf(data)) expect(event.records.map((r) => r.name)).toContain(home.name);
    expect(new URLSearchParams(data.exportQuery).get("subjectId")).toBe(home.id);
  });

  it("offers the records a shared word matches as links that keep the other filters", async () => {
    const data = await trail("record=Harbour&action=home.created&from=2020-01-01");
    expect(data.errors?.record).toMatch(/records match 'Harbour'/);
    expect(data.values.record).toBe("Harbour");
    expect(data.recordCandidates.length).toBeGreaterThan(1);
    expect(data.recordCandidates.map((c) => c.name)).toContain("Harbour Light Children's Homes Ltd");
    expect(new URLSearchParams(data.recordCandidateQuery)).toEqual(new URLSearchParams({ action: "home.created", from: "2020-01-01" }));
  });

  it("narrows the search to the record type chosen", async () => {
    const data = await trail("record=Harbour+Light&subjectType=organisation");
    expect(data.errors).toBeUndefined();
    expect(data.values.record).toBe("Harbour Light Children's Homes Ltd");
  });

  it("keeps a record chosen by a link while the box shows its name", async () => {
    const data = await trail(`subjectType=home&subjectId=${home.id}&record=${encodeURIComponent(home.name)}&before=999999`);
    expect(data.chosenRecordId).toBe(home.id);
    expect(data.values.record).toBe(home.name);
  });

  it("takes text that names no record as an ID, so an ID typed or pasted still finds the record", async () => {
    const data = await trail(`record=${jo.id}&action=user.sign_in_failed`);
    expect(data.errors).toBeUndefined();
    expect(data.values.record).toBe(jo.id);
    expect(data.eventCount).toBe(1);
    expect(rowsOf(data)).toHaveLength(1);
    expect(new URLSearchParams(data.exportQuery).get("subjectId")).toBe(jo.id);
    const nothing = await trail("record=no-such-record");
    expect(nothing.errors).toBeUndefined();
    expect(nothing.eventCount).toBe(0);
    expect(nothing.rowsHtml).toBe("");
  });
});

describe("a record's history", () => {
  it("shows each change as labels and values in words, and names instead of ids", async () => {
    const data = await history("home", home.id);
    expect(data.title).toBe(`Home: ${home.name}`);
    const created = data.events.find((e) => e.actionLabel === "Added a home")!;
    const rows = Object.fromEntries(created.changes.map((c) => [c.label, c.after]));
    expect(rows).toMatchObject({ "Service type": "Supported accommodation (16+)", Organisation: home.providerName, Name: home.name });
    for (const change of created.changes) {
      expect(change.label).not.toMatch(/[a-z][A-Z]/);
      expect(change.after ?? "").not.toMatch(UUID);
      expect(change.after).not.toBe("supported_living");
    }
    expect(created.origin).toEqual({ address: null, request: "Set up by the demo data" });
  });

  it("shows an Ofsted judgement with its grade in words and what it was before", async () => {
    const data = await history("home", home.id);
    const latest = data.events.filter((e) => e.actionLabel === "Recorded an Ofsted judgement").at(-1)!;
    expect(latest.hadBefore).toBe(true);
    expect(latest.changes).toContainEqual({ field: "grade", label: "Ofsted grade", before: null, after: "Outstanding" });
    expect(latest.changes).toContainEqual({ field: "latestGrade", label: "Latest Ofsted grade", before: "Good", after: null });
    expect(latest.changes).toContainEqual({ field: "inspectedOn", label: "Inspection date", before: null, after: "2 November 2026" });
    expect(latest.who).toEqual({ who: "Priya Shah", detail: officer.organisationName });
    expect(latest.origin).toEqual({ address: "Address 198.51.100.4", request: "Request reference judgement-request-2" });
    expect(latest.records).toEqual([{ href: expect.stringMatching(/^\/audit\/records\/organisation\//), name: home.providerName }]);
  });

  it("keeps the exact stored JSON and the hash one click away", async () => {
    const data = await history("home", home.id);
    const event = data.events.at(-1)!;
    const stored = JSON.parse(event.json);
    expect(stored).toMatchObject({ action: "home.ofsted_judgement_recorded", after: { grade: 1, inspectedOn: "2026-11-02", isLatest: true } });
    expect(stored.subjects).toContainEqual({ type: "home", id: home.id });
    expect(event.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("shows a failed sign-in as an attempt for the address typed", async () => {
    const data = await history("user", jo.id);
    expect(data.title).toBe("User: Jo Bennett");
    const attempt = data.events.find((e) => e.actionLabel === "Sign-in failed")!;
    expect(attempt.who).toEqual({ who: "Sign-in attempt as provider@harbour-light.example", detail: "from 203.0.113.10" });
    expect(attempt.changes.map((c) => c.label)).toEqual(["Email address", "Failed sign-ins for this account", "Failed sign-ins from this address"]);
  });
});

async function pdfText(pdf: ArrayBuffer): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "audit-pages-"));
  try {
    const file = path.join(dir, "extract.pdf");
    await fs.writeFile(file, Buffer.from(pdf));
    const { stdout } = await promisify(execFile)("/usr/bin/pdftotext", ["-enc", "UTF-8", file, "-"]);
    return stdout;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

describe("the audit extract PDF", () => {
  it("says what changed in words and names, not JSON, codes and ids", async () => {
    const response = (await extractPdf({
      request: new Request(`http://portal.test/audit/records/home/${home.id}.pdf`),
      params: { type: "home", id: home.id },
      context: portalContext(db, officer),
    })) as Response;
    expect(response.headers.get("content-type")).toBe("application/pdf");
    // pdftotext breaks long lines where the PDF wraps them; join them back up.
    const text = (await pdfText(await response.arrayBuffer())).replace(/\s+/g, " ");
    for (const words of [
      "Service type",
      "Supported accommodation (16+)",
      "Ofsted grade",
      "Outstanding",
      "Latest Ofsted grade",
      `Organisation ${home.providerName}`,
      "Set up by the demo data",
      "Address 198.51.100.4",
      "Priya Shah (Commissioning officer)",
    ]) {
      expect(text).toContain(words);
    }
    for (const code of ["supported_living", "serviceType", "organisationId", "seed:demo", "grade: ", "registeredPlaces", "{"]) {
      expect(text).not.toContain(code);
    }
    // The record's own ID is in the heading; no other id is.
    expect(text.replaceAll(home.id, "").match(UUID)).toBeNull();
  });
});

describe("the CSV export", () => {
  it("keeps the exact values and adds names and changes in words, and shows a failed sign-in as an attempt", async () => {
    let text = "";
    for await (const chunk of exportAuditTrailCsv(db, { subjectType: "home", subjectId: home.id, action: "home.ofsted_judgement_recorded" }, { byteOrderMark: false })) text += chunk;
    const last = text.trimEnd().split("\r\n").at(-1)!;
    expect(last).toContain('""grade"":1');
    expect(last).toContain('""inspectedOn"":""2026-11-02""');
    expect(last).toContain(`${home.name}; ${home.providerName}`);
    expect(last).toContain("Ofsted grade: Outstanding");
    expect(last).toContain("Latest Ofsted grade: Was Good");
    let failed = "";
    for await (const chunk of exportAuditTrailCsv(db, { action: "user.sign_in_failed" }, { byteOrderMark: false })) failed += chunk;
    expect(failed).toContain("Sign-in attempt as nobody@elsewhere.example");
    expect(failed).not.toContain("The portal (automatic)");
  });
});

describe("the trail's newest page, as most people open it", () => {
  // A handle of its own that counts statements: what a page keeps is kept per handle.
  const counter = new QueryCounter();
  const counted = db.withPlugin(counter);
  const open = async (query = "") => {
    counter.count = 0;
    const data = await auditPage({ request: new Request(`http://portal.test/audit?${query}`), params: {}, context: portalContext(counted, officer) });
    return { data, statements: counter.count };
  };

  it("is read once and reused while the chain is unchanged, then shows the next change at once", async () => {
    const first = await open();
    const again = await open();
    // Only the chain's version is read again.
    expect(again.statements).toBe(1);
    expect(first.statements).toBeGreaterThan(again.statements);
    expect(rowsOf(again.data)).toEqual(rowsOf(first.data));
    await db.transaction().execute((trx) =>
      recordOfstedJudgement(trx, { homeId: home.id, inspectedOn: "2026-11-20", grade: 3 }, { actor: officer, requestId: "kept-page", clientAddress: "198.51.100.4", now: new Date() }),
    );
    const after = await open();
    expect(after.statements).toBeGreaterThan(1);
    const head = await db.selectFrom("audit_chain_head").select("seq").executeTakeFirstOrThrow();
    const [newest] = rowsOf(after.data);
    expect(newest).toMatchObject({ seq: head.seq, actionLabel: "Recorded an Ofsted judgement" });
    expect(newest!.records.map((r) => r.name)).toEqual([home.name, home.providerName]);
    expect(rowsOf(after.data).slice(1, 50)).toEqual(rowsOf(first.data).slice(0, 49));
  });

  it("is the only page kept: a filtered or older page is read afresh each time", async () => {
    for (const query of ["action=home.ofsted_judgement_recorded", `before=${rowsOf((await open()).data).at(-1)!.seq}`]) {
      const once = await open(query);
      const twice = await open(query);
      expect(twice.statements).toBe(once.statements);
      expect(twice.statements).toBeGreaterThan(1);
      expect(rowsOf(twice.data)).toEqual(rowsOf(once.data));
    }
  });
});
