// An event that names hundreds of records (a vacancy reminder to 313
// providers): the trail lists the first ten and links to the event's own page
// for the rest, which lists them all; the export keeps them all (decision 034).
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { exportAuditTrailCsv } from "#app/modules/audit/trail";
import { actorForUser } from "#app/modules/identity/sessions";
import { loader as auditPage } from "#app/routes/audit._index";
import { loader as eventPage } from "#app/routes/audit.events.$seq";
import { seedDemo } from "#db/seed/demo";
import { rowsOf } from "#test/support/audit-rows";
import { useTestDatabase } from "#test/support/database";
import { loaderStatus, portalContext } from "#test/support/portal-context";
import { writeAuditEvent } from "#test/support/audited";

const { db } = await useTestDatabase();
await seedDemo(db);
const officerRow = await db.selectFrom("app_user").select("id").where("email", "=", "officer@westmoor.example").executeTakeFirstOrThrow();
const officer = await actorForUser(db, officerRow.id, null);
const providerRow = await db.selectFrom("app_user").select("id").where("email", "=", "provider@harbour-light.example").executeTakeFirstOrThrow();
const provider = await actorForUser(db, providerRow.id, null);

/** Providers named "Reminded provider 001" and so on, in the order the event names them. */
async function providers(count: number, prefix: string) {
  return db
    .insertInto("organisation")
    .values(Array.from({ length: count }, (_, i) => ({ kind: "provider" as const, name: `${prefix} ${String(i + 1).padStart(3, "0")}` })))
    .returning(["id", "name"])
    .execute()
    .then((rows) => rows.sort((a, b) => a.name.localeCompare(b.name)));
}

async function reminder(named: { id: string; name: string }[]) {
  return writeAuditEvent(db, { actor: null, requestId: null, clientAddress: null, now: new Date() }, {
    action: "vacancy.reminders_sent",
    summary: `Reminded ${named.length} providers to confirm stale vacancies (${named.length} emails)`,
    subjects: named.map((p) => ({ type: "organisation", id: p.id })),
    after: Object.fromEntries(named.map((p) => [p.name, "1 home stale"])),
  });
}

const many = await providers(313, "Reminded provider");
const manySeq = await reminder(many);
const eleven = await providers(11, "Eleventh-hour provider");
const elevenSeq = await reminder(eleven);
const ten = await providers(10, "Tenfold provider");
const tenSeq = await reminder(ten);

const trail = (query: string) =>
  auditPage({ request: new Request(`http://portal.test/audit?${query}`), params: {}, context: portalContext(db, officer) });
const event = (seq: string, actor = officer) =>
  eventPage({ request: new Request(`http://portal.test/audit/events/${seq}`), params: { seq }, context: portalContext(db, actor) });

async function rowFor(seq: number) {
  const row = rowsOf(await trail("action=vacancy.reminders_sent")).find((r) => r.seq === seq);
  if (!row) throw new Error(`event ${seq} is not on the trail`);
  return row;
}

describe("an event naming 313 providers", () => {
  it("is listed in the trail with its first ten providers and 'and 303 more' linking to the event's page", async () => {
    const row = await rowFor(manySeq);
    // Worded, though only the background job's module registers the label (app/web/audit-labels.server.ts).
    expect(row.actionLabel).toBe("Reminded providers to confirm their vacancies");
    expect(row.records).toEqual(many.slice(0, 10).map((p) => ({ href: `/audit/records/organisation/${p.id}`, name: p.name })));
    expect(row.more).toEqual({ href: `/audit/events/${manySeq}`, text: "and 303 more", hidden: ` records of event ${manySeq}` });
  });

  it("has its own page listing all 313 providers by name, each linking to its history", async () => {
    const data = await event(String(manySeq));
    expect(data.event.seq).toBe(manySeq);
    expect(data.event.actionLabel).toBe("Reminded providers to confirm their vacancies");
    expect(data.event.records).toHaveLength(313);
    expect(data.event.records).toEqual(many.map((p) => ({ href: `/audit/records/organisation/${p.id}`, name: p.name })));
    // What was recorded for each provider is there in words too, and the exact JSON in full.
    expect(data.event.changes).toHaveLength(313);
    expect(data.event.changes[312]).toMatchObject({ label: "Reminded provider 313", after: "1 home stale" });
    const stored = JSON.parse(data.event.json) as { subjects: unknown[] };
    expect(stored.subjects).toHaveLength(313);
  });

  it("is still exported with all 313 providers", async () => {
    let csv = "";
    for await (const chunk of exportAuditTrailCsv(db, { action: "vacancy.reminders_sent" }, { byteOrderMark: false })) csv += chunk;
    for (const p of many) expect(csv).toContain(p.id);
    expect(csv).toContain(many[312]!.name);
  });

  it("is stored whole: the list is shortened only when read for the trail", async () => {
    const stored = await db.selectFrom("audit_event").select(sql<number>`jsonb_array_length(subjects)`.as("n")).where("seq", "=", manySeq).executeTakeFirstOrThrow();
    expect(stored.n).toBe(313);
  });
});

describe("where the list is cut", () => {
  it("eleven records: ten listed and 'and 1 more'", async () => {
    const row = await rowFor(elevenSeq);
    expect(row.records.map((r) => r.name)).toEqual(eleven.slice(0, 10).map((p) => p.name));
    expect(row.more).toMatchObject({ href: `/audit/events/${elevenSeq}`, text: "and 1 more" });
  });

  it("ten records: all listed, no link", async () => {
    const row = await rowFor(tenSeq);
    expect(row.records.map((r) => r.name)).toEqual(ten.map((p) => p.name));
    expect(row.more).toBeNull();
  });
});

describe("the event's page", () => {
  it("is not found for an event that does not exist or a number that is not one", async () => {
    expect((await loaderStatus(() => event(String(tenSeq + 1000)))).status).toBe(404);
    expect((await loaderStatus(() => event("abc"))).status).toBe(404);
    expect((await loaderStatus(() => event("0"))).status).toBe(404);
  });

  it("is refused to a provider, as the trail is", async () => {
    const page = await loaderStatus(() => event(String(manySeq), provider));
    const list = await loaderStatus(() => trail(""));
    expect(page.status).toBeGreaterThanOrEqual(400);
    expect(page.status).toBe(
      (await loaderStatus(() => auditPage({ request: new Request("http://portal.test/audit"), params: {}, context: portalContext(db, provider) }))).status,
    );
    expect(list.status).toBe(200);
  });
});
