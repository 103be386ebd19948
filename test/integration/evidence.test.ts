// The evidence library against real PostgreSQL: uploads through the file
// store, replacing with the old version kept, expiry status in UK days,
// expired and replaced documents refused for bids, another provider's
// documents unseen, and the expiry reminder sent once however many runs race.
import fs from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { ActionRefused } from "#app/modules/errors";
import {
  addEvidence,
  attachableEvidence,
  evidenceFile,
  evidenceStatus,
  getEvidence,
  listEvidence,
  replaceEvidence,
  type NewEvidence,
} from "#app/modules/evidence/evidence";
import { sendEvidenceExpiryReminders } from "#app/modules/evidence/reminders";
import { systemContext, type Actor } from "#app/modules/identity/actor";
import { runAudited } from "#test/support/audited";
import { useTestDatabase } from "#test/support/database";
import { buildTenderingWorld, contextOf } from "#test/support/tendering";

const { db, ownerDb } = await useTestDatabase();
const world = await buildTenderingWorld(db);
const A = world.providerA;
const B = world.providerB;
const NOW = new Date("2026-12-01T10:00:00Z");
const docx = fs.readFileSync(path.join(import.meta.dirname, "../fixtures/files/method-statement.docx"));
const odt = fs.readFileSync(path.join(import.meta.dirname, "../fixtures/files/policy.odt"));

async function refusal(run: () => Promise<unknown>): Promise<{ message: string; field: string | null }> {
  const error = await run().then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ActionRefused)) throw new Error(`expected a refusal, got ${String(error)}`);
  return { message: error.message, field: error.field };
}

const add = (actor: Actor, input: Partial<NewEvidence>, now = NOW) =>
  db.transaction().execute((trx) =>
    addEvidence(
      trx,
      { organisationId: actor.organisationId, kind: "public_liability_insurance", expiresOn: "2027-06-30", file: { fileName: "pl-certificate.docx", contents: docx }, ...input },
      contextOf(actor, now),
    ),
  );

describe("the evidence library", () => {
  it("stores an upload through the file store with its SHA-256, lists it as current and audits it", async () => {
    const added = await runAudited(db, (trx) =>
      addEvidence(
        trx,
        { organisationId: A.organisationId, kind: "ofsted_registration", title: "  ", expiresOn: "2027-09-30", file: { fileName: "ofsted.docx", contents: docx } },
        contextOf(A, NOW),
      ),
    );
    expect(added.error).toBeNull();
    expect(added.events.map((e) => e.action)).toEqual(["file.stored", "evidence.added"]);
    expect(added.events[1]!.summary).toBe('Added ofsted registration certificate "Ofsted registration certificate" (ofsted.docx, expires 30 September 2027) to the evidence library');
    const list = await listEvidence(db, A.organisationId, NOW);
    const doc = list.find((d) => d.id === added.value!.id)!;
    expect(doc).toMatchObject({ kind: "ofsted_registration", title: "Ofsted registration certificate", expiresOn: "2027-09-30", status: "current", uploadedByName: A.name });
    expect(doc.file).toMatchObject({ fileName: "ofsted.docx", sizeBytes: docx.length });
    expect(doc.file.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("requires an expiry date for registration and insurance, not for policies; refuses a past date and a wrong file type", async () => {
    expect(await refusal(() => add(A, { expiresOn: null }))).toEqual({ message: "Enter the date the public liability insurance certificate expires", field: "expiresOn" });
    expect(await refusal(() => add(A, { expiresOn: "2026-11-30" }))).toEqual({
      message: "The expiry date must be today or in the future: an expired document cannot be used in a bid",
      field: "expiresOn",
    });
    expect(await refusal(() => add(A, { kind: "other", title: "" }))).toEqual({ message: "Enter a title for the document", field: "title" });
    expect(await refusal(() => add(A, { kind: "bank_statement" }))).toEqual({ message: "Select the kind of document", field: "kind" });
    const wrongType = await refusal(() => add(A, { file: { fileName: "cert.pdf", contents: fs.readFileSync(path.join(import.meta.dirname, "../fixtures/files/program.pdf")) } }));
    expect(wrongType.field).toBe("file");
    const policy = await add(A, { kind: "safeguarding_policy", title: "Safeguarding policy 2026", expiresOn: null, file: { fileName: "policy.odt", contents: odt } });
    expect((await listEvidence(db, A.organisationId, NOW)).find((d) => d.id === policy.id)).toMatchObject({ status: "current", expiresOn: null });
  });

  it("replaces a document with a new version, keeping the old one as superseded, downloadable and audited", async () => {
    const first = await add(A, { title: "Public liability 2026", expiresOn: "2026-12-20" });
    const replaced = await runAudited(db, (trx) =>
      replaceEvidence(
        trx,
        { organisationId: A.organisationId, documentId: first.id, expiresOn: "2027-12-20", file: { fileName: "pl-2027.docx", contents: docx } },
        contextOf(world.providerAColleague, new Date("2026-12-02T09:00:00Z")),
      ),
    );
    expect(replaced.error).toBeNull();
    expect(replaced.events.map((e) => e.action)).toEqual(["file.stored", "evidence.replaced"]);
    const current = await listEvidence(db, A.organisationId, NOW);
    expect(current.map((d) => d.id)).toContain(replaced.value!.id);
    expect(current.map((d) => d.id)).not.toContain(first.id);
    const history = (await getEvidence(db, A.organisationId, first.id, NOW))!;
    expect(history.versions.map((v) => v.id)).toEqual([replaced.value!.id, first.id]);
    expect(history.versions[0]).toMatchObject({ title: "Public liability 2026", expiresOn: "2027-12-20", supersededAt: null });
    expect(history.versions[1]!.supersededAt).toEqual(new Date("2026-12-02T09:00:00Z"));
    expect((await evidenceFile(db, A.organisationId, first.id))?.fileName).toBe("pl-certificate.docx");
    // Replacing the old version again is refused: a colleague got there first.
    expect((await refusal(() => db.transaction().execute((trx) => replaceEvidence(trx, { organisationId: A.organisationId, documentId: first.id, expiresOn: "2027-12-21", file: { fileName: "x.docx", contents: docx } }, contextOf(A, NOW))))).message).toBe(
      "A colleague has already replaced this document. Check the current version before replacing it again",
    );
  });

  it("lets only one of two colleagues replacing the same document at once succeed", async () => {
    const doc = await add(A, { title: "Employer's liability", kind: "employers_liability_insurance" });
    const attempt = (actor: Actor, fileName: string) =>
      db.transaction().execute((trx) => replaceEvidence(trx, { organisationId: A.organisationId, documentId: doc.id, expiresOn: "2028-01-31", file: { fileName, contents: docx } }, contextOf(actor, NOW)));
    const results = await Promise.allSettled([attempt(A, "one.docx"), attempt(world.providerAColleague, "two.docx")]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const versions = (await getEvidence(db, A.organisationId, doc.id, NOW))!.versions;
    expect(versions).toHaveLength(2);
  });

  it("shows a document as current, expiring within 30 days or expired by UK calendar day", () => {
    expect(evidenceStatus(null, NOW)).toBe("current");
    expect(evidenceStatus("2027-01-01", NOW)).toBe("current");
    expect(evidenceStatus("2026-12-31", NOW)).toBe("expiring");
    expect(evidenceStatus("2026-12-01", NOW)).toBe("expiring");
    expect(evidenceStatus("2026-11-30", NOW)).toBe("expired");
    // 00:30 on 1 June in London is still 31 May in UTC: the UK day counts.
    expect(evidenceStatus("2026-05-31", new Date("2026-05-31T23:30:00Z"))).toBe("expired");
  });

  it("lets a bid attach current documents, but refuses an expired one, a replaced one and another provider's", async () => {
    const good = await add(A, { title: "Attachable", expiresOn: "2027-03-01" });
    const soonExpired = await add(A, { title: "Lapsing cover", expiresOn: "2026-12-10" });
    const old = await add(A, { title: "Old cover", expiresOn: "2027-03-01" });
    await db.transaction().execute((trx) => replaceEvidence(trx, { organisationId: A.organisationId, documentId: old.id, expiresOn: "2027-04-01", file: { fileName: "new.docx", contents: docx } }, contextOf(A, NOW)));
    const theirs = await add(B, { title: "Moor cover" });
    const later = new Date("2026-12-11T09:00:00Z");

    expect((await attachableEvidence(db, { organisationId: A.organisationId, documentIds: [good.id, soonExpired.id] }, NOW)).map((d) => d.title)).toEqual(["Attachable", "Lapsing cover"]);
    expect(await refusal(() => attachableEvidence(db, { organisationId: A.organisationId, documentIds: [good.id, soonExpired.id] }, later))).toEqual({
      message: '"Lapsing cover" expired on 10 December 2026: upload the renewed document to your evidence library and attach that',
      field: "evidence",
    });
    expect((await refusal(() => attachableEvidence(db, { organisationId: A.organisationId, documentIds: [old.id] }, NOW))).message).toBe(
      '"Old cover" has been replaced by a newer version: attach that one instead',
    );
    expect((await refusal(() => attachableEvidence(db, { organisationId: A.organisationId, documentIds: [theirs.id] }, NOW))).message).toBe(
      "Select documents from your evidence library",
    );
  });

  it("never shows one provider another provider's document or file", async () => {
    const theirs = await add(B, { title: "Private to Moor" });
    expect(await getEvidence(db, A.organisationId, theirs.id, NOW)).toBeNull();
    expect(await evidenceFile(db, A.organisationId, theirs.id)).toBeNull();
    expect((await listEvidence(db, A.organisationId, NOW)).map((d) => d.id)).not.toContain(theirs.id);
    expect(await getEvidence(db, B.organisationId, theirs.id, NOW)).not.toBeNull();
    expect(await getEvidence(db, A.organisationId, "not-a-uuid", NOW)).toBeNull();
  });

  it("keeps every upload as it was: the runtime login and the owner can neither rewrite nor delete one", async () => {
    const doc = await add(A, { title: "Kept as uploaded" });
    await expect(sql`UPDATE evidence_document SET expires_on = '2030-01-01' WHERE id = ${doc.id}`.execute(db)).rejects.toThrow(/only superseding it and noting its reminder/);
    await expect(sql`DELETE FROM evidence_document WHERE id = ${doc.id}`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`UPDATE evidence_document SET title = 'Changed' WHERE id = ${doc.id}`.execute(ownerDb())).rejects.toThrow(/only superseding/);
  });
});

describe("expiry reminders", () => {
  it("emails each active user of the provider once per document 30 days before it expires, and never again, even with two runs racing", async () => {
    const { providerA: a } = await buildTenderingWorld(db);
    const day = new Date("2027-02-01T07:00:00Z");
    const within = await add(a, { title: "Due for renewal", expiresOn: "2027-03-03" });
    const beyond = await add(a, { title: "Renewed last month", expiresOn: "2027-03-04" });
    const policy = await add(a, { kind: "safeguarding_policy", title: "No expiry", expiresOn: null });
    const run = () => db.transaction().execute((trx) => sendEvidenceExpiryReminders(trx, { baseUrl: "http://portal.test" }, systemContext("test:reminders", day)));

    // Two instances at once: between them, each due document is taken once.
    const [first, second] = await Promise.all([run(), run()]);
    const mine = (await db.selectFrom("outbox_email").select(["to_address", "subject", "text"]).where("template", "=", "evidence_expiry").where("text", "like", "%Due for renewal%").execute());
    // Two active users at provider A (the invited one is not told).
    expect(mine.map((m) => m.to_address).sort()).toEqual([a.email, a.email.replace("bids", "ops")].sort());
    expect(mine[0]!.subject).toBe("Due for renewal expires on 3 March 2027");
    expect(mine[0]!.text).toContain(`http://portal.test/evidence/${within.id}`);
    expect(first.documents + second.documents).toBeGreaterThanOrEqual(1);
    const reminded = await db.selectFrom("evidence_document").select(["id", "expiry_reminder_sent_at"]).where("id", "in", [within.id, beyond.id, policy.id]).execute();
    expect(Object.fromEntries(reminded.map((r) => [r.id, r.expiry_reminder_sent_at !== null]))).toEqual({ [within.id]: true, [beyond.id]: false, [policy.id]: false });

    // Run again the same day and the next: nothing more about it.
    await run();
    await db.transaction().execute((trx) => sendEvidenceExpiryReminders(trx, { baseUrl: "http://portal.test" }, systemContext("test:reminders", new Date("2027-02-02T07:00:00Z"))));
    const again = await db.selectFrom("outbox_email").select("id").where("template", "=", "evidence_expiry").where("text", "like", "%Due for renewal%").execute();
    expect(again).toHaveLength(2);
    // The next day the other document comes due, once.
    const renewed = await db.selectFrom("outbox_email").select("id").where("template", "=", "evidence_expiry").where("text", "like", "%Renewed last month%").execute();
    expect(renewed).toHaveLength(2);
  });

  it("two runs that start together each take different documents and send each document's reminder once", async () => {
    const { providerB: b } = await buildTenderingWorld(db);
    const day = new Date("2027-05-01T07:00:00Z");
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push((await add(b, { title: `Race certificate ${i}`, expiresOn: "2027-05-20" })).id);
    const run = () => db.transaction().execute((trx) => sendEvidenceExpiryReminders(trx, { baseUrl: "http://portal.test" }, systemContext("test:race", day)));
    const results = await Promise.all([run(), run(), run()]);
    expect(results.reduce((sum, r) => sum + r.documents, 0)).toBe(12);
    const sent = await db.selectFrom("outbox_email").select("text").where("template", "=", "evidence_expiry").where("to_address", "=", b.email).where("text", "like", "%Race certificate%").execute();
    expect(sent).toHaveLength(12);
  });
});
