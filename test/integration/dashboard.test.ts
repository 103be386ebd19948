import { describe, expect, it } from "vitest";
import { dashboardFigures } from "#app/modules/dashboard/dashboard";
import { listHomes, recordOfstedJudgement } from "#app/modules/homes/homes";
import { actorForUser } from "#app/modules/identity/sessions";
import { systemContext } from "#app/modules/identity/actor";
import { seedDemo } from "#db/seed/demo";
import { useTestDatabase } from "#test/support/database";

const { db } = await useTestDatabase();
await seedDemo(db);
const officerRow = await db.selectFrom("app_user").select("id").where("email", "=", "officer@westmoor.example").executeTakeFirstOrThrow();
const officer = await actorForUser(db, officerRow.id, null);

describe("the dashboard figures", () => {
  it("count homes whose latest Ofsted grade is Inadequate, as each home's own page would say", async () => {
    const homes = await listHomes(db);
    const expected = homes.filter((h) => h.latestGrade === 4);
    expect(expected.length).toBeGreaterThan(0);
    const figures = await dashboardFigures(db, officer);
    expect(figures.inadequateHomes).toBe(expected.length);
    expect(figures.homes).toBe(homes.length);
    expect(figures.registeredPlaces).toBe(homes.reduce((sum, h) => sum + h.registeredPlaces, 0));
  });

  it("stop counting a home once a newer inspection replaces its Inadequate grade, and count one newly judged Inadequate", async () => {
    const homes = await listHomes(db);
    const before = (await dashboardFigures(db, officer)).inadequateHomes;
    const improved = homes.find((h) => h.latestGrade === 4)!;
    const declined = homes.find((h) => h.latestGrade === 2)!;
    await db.transaction().execute(async (trx) => {
      await recordOfstedJudgement(trx, { homeId: improved.id, inspectedOn: "2026-10-01", grade: 2 }, systemContext());
    });
    expect((await dashboardFigures(db, officer)).inadequateHomes).toBe(before - 1);
    await db.transaction().execute(async (trx) => {
      await recordOfstedJudgement(trx, { homeId: declined.id, inspectedOn: "2026-10-02", grade: 4 }, systemContext());
    });
    expect((await dashboardFigures(db, officer)).inadequateHomes).toBe(before);
  });

  it("show council staff the audit trail's length and when it was last signed", async () => {
    const figures = await dashboardFigures(db, officer);
    const head = await db.selectFrom("audit_chain_head").select("seq").executeTakeFirstOrThrow();
    expect(figures.auditTrail?.events).toBe(head.seq);
  });
});
