// Taking a copy of the trail leaves its own event: the CSV export and the
// record extract, called through their real loaders.
import { describe, expect, it } from "vitest";
import { actorForUser } from "#app/modules/identity/sessions";
import * as auditCsv from "#app/routes/audit.export[.]csv";
import * as auditPdf from "#app/routes/audit.records.$type.$id[.]pdf";
import { seedDemo } from "#db/seed/demo";
import { useTestDatabase } from "#test/support/database";
import { loaderStatus, portalContext } from "#test/support/portal-context";

const { db } = await useTestDatabase();
await seedDemo(db);
const officerRow = await db.selectFrom("app_user").select("id").where("email", "=", "officer@westmoor.example").executeTakeFirstOrThrow();
const officer = await actorForUser(db, officerRow.id, null);
const home = await db.selectFrom("home").select(["id", "name"]).orderBy("name").executeTakeFirstOrThrow();

async function latestEvent() {
  return db.selectFrom("audit_event").selectAll().orderBy("seq", "desc").executeTakeFirstOrThrow();
}

describe("copies of the audit trail", () => {
  it("an officer's CSV export is recorded with the filter used", async () => {
    const result = await loaderStatus(() =>
      auditCsv.loader({ request: new Request("http://portal.test/audit/export.csv?subjectType=home"), params: {}, context: portalContext(db, officer) }),
    );
    expect(result.status).toBe(200);
    expect(result.body).toContain(home.name);
    const event = await latestEvent();
    expect(event.action).toBe("audit.exported");
    expect(event.actor_user_id).toBe(officer.userId);
    expect(event.summary).toContain("subjectType=home");
  });

  it("downloading a record's extract is recorded against that record", async () => {
    const result = await loaderStatus(() =>
      auditPdf.loader({
        request: new Request(`http://portal.test/audit/records/home/${home.id}.pdf`),
        params: { type: "home", id: home.id },
        context: portalContext(db, officer),
      }),
    );
    expect(result.status).toBe(200);
    const event = await latestEvent();
    expect(event.action).toBe("audit.extract_downloaded");
    expect(event.subjects).toEqual([{ type: "home", id: home.id }]);
    expect(event.summary).toContain(home.name);
  });

  it("keeps the demo's sign-ins for `npm start` to list", async () => {
    const { demoSignIns } = await import("#db/seed/demo");
    const users = await demoSignIns(db);
    expect(users.map((u) => u.email)).toContain("officer@westmoor.example");
  });
});
