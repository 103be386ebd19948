import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { councilDashboard, dashboardFigures } from "#app/modules/dashboard/dashboard";
import { listHomes, recordOfstedJudgement } from "#app/modules/homes/homes";
import { actorForUser } from "#app/modules/identity/sessions";
import { systemContext } from "#app/modules/identity/actor";
import { seedDemo } from "#db/seed/demo";
import { useTestDatabase } from "#test/support/database";

const { db, ownerDb } = await useTestDatabase();
await seedDemo(db);
const officerRow = await db.selectFrom("app_user").select("id").where("email", "=", "officer@westmoor.example").executeTakeFirstOrThrow();
const officer = await actorForUser(db, officerRow.id, null);

/** Each home's latest grade worked out from the judgement history itself, not from the columns kept on home. */
async function latestGradesFromHistory(): Promise<Map<string, number>> {
  const rows = await sql<{ home_id: string; grade: number }>`
    SELECT DISTINCT ON (home_id) home_id, grade FROM ofsted_judgement ORDER BY home_id, inspected_on DESC
  `.execute(db);
  return new Map(rows.rows.map((r) => [r.home_id, r.grade]));
}

describe("each home's latest Ofsted judgement", () => {
  it("is the newest inspection in its history, for every home the seed made", async () => {
    const latest = await latestGradesFromHistory();
    const homes = await listHomes(db);
    expect(latest.size).toBeGreaterThan(50);
    for (const home of homes) expect({ home: home.name, grade: home.latestGrade }).toEqual({ home: home.name, grade: latest.get(home.id) ?? null });
  });

  it("is not replaced by an older inspection recorded late, and the late one still joins the history", async () => {
    const home = (await listHomes(db)).find((h) => h.latestGrade === 1 && h.latestInspectedOn !== null)!;
    const { isLatest } = await db.transaction().execute((trx) =>
      recordOfstedJudgement(trx, { homeId: home.id, inspectedOn: "2015-03-04", grade: 4 }, systemContext()),
    );
    expect(isLatest).toBe(false);
    const after = (await listHomes(db)).find((h) => h.id === home.id)!;
    expect([after.latestGrade, after.latestInspectedOn]).toEqual([1, home.latestInspectedOn]);
    const history = await db.selectFrom("ofsted_judgement").select("grade").where("home_id", "=", home.id).where("inspected_on", "=", "2015-03-04").execute();
    expect(history).toEqual([{ grade: 4 }]);
  });

  it("stays the record: the portal may not change or remove a judgement, nor may anyone else with access to the database", async () => {
    const any = await db.selectFrom("ofsted_judgement").select("id").executeTakeFirstOrThrow();
    await expect(sql`UPDATE ofsted_judgement SET grade = 1 WHERE id = ${any.id}`.execute(db)).rejects.toThrow(/permission denied/);
    await expect(sql`DELETE FROM ofsted_judgement WHERE id = ${any.id}`.execute(db)).rejects.toThrow(/permission denied/);
    const owner = ownerDb();
    await expect(sql`UPDATE ofsted_judgement SET grade = 1 WHERE id = ${any.id}`.execute(owner)).rejects.toThrow(/cannot be changed or removed/);
    await expect(sql`DELETE FROM ofsted_judgement WHERE id = ${any.id}`.execute(owner)).rejects.toThrow(/cannot be changed or removed/);
  });
});

describe("the dashboard figures", () => {
  it("count homes whose latest Ofsted grade is Inadequate, as the judgement history says", async () => {
    const homes = await listHomes(db);
    const latest = await latestGradesFromHistory();
    const expected = homes.filter((h) => latest.get(h.id) === 4);
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

  it("show a provider only its own homes and places, and nothing of the audit trail", async () => {
    const providerRow = await db.selectFrom("app_user").select("id").where("email", "=", "provider@harbour-light.example").executeTakeFirstOrThrow();
    const provider = await actorForUser(db, providerRow.id, null);
    const own = await listHomes(db, { organisationId: provider.organisationId });
    const all = await listHomes(db);
    expect(own.length).toBeGreaterThan(0);
    expect(own.length).toBeLessThan(all.length);
    const figures = await dashboardFigures(db, provider);
    expect(figures).toMatchObject({
      providers: 1,
      homes: own.length,
      registeredPlaces: own.reduce((sum, h) => sum + h.registeredPlaces, 0),
      inadequateHomes: own.filter((h) => h.latestGrade === 4).length,
      auditTrail: null,
      agreementValuePence: 0,
    });
  });

  it("show council staff the audit trail's length and when it was last signed", async () => {
    const figures = await dashboardFigures(db, officer);
    const head = await db.selectFrom("audit_chain_head").select("seq").executeTakeFirstOrThrow();
    expect(figures.auditTrail?.events).toBe(head.seq);
  });
});

describe("the officer's dashboard cards", () => {
  const ALL = { reopenings: true, standstills: true, contracts: true };
  const NOW = new Date();

  it("are worked out once and reused until a change is recorded, then show the change", async () => {
    const first = await councilDashboard(db, officer, ALL, NOW);
    expect(first.reopenings.length).toBeGreaterThan(0);
    expect(first.standstills.length).toBeGreaterThan(0);
    expect(await councilDashboard(db, officer, ALL, NOW)).toBe(first);
    const declined = (await listHomes(db)).find((h) => h.latestGrade === 1)!;
    await db.transaction().execute((trx) => recordOfstedJudgement(trx, { homeId: declined.id, inspectedOn: "2026-11-02", grade: 4 }, systemContext()));
    const after = await councilDashboard(db, officer, ALL, NOW);
    expect(after).not.toBe(first);
    expect(after.figures.inadequateHomes).toBe(first.figures.inadequateHomes + 1);
    expect(after.figures.auditTrail!.events).toBeGreaterThan(first.figures.auditTrail!.events);
    expect(after.figures).toEqual(await dashboardFigures(db, officer));
  });

  it("are worked out again on a new UK day, when every deadline is a day nearer", async () => {
    const today = await councilDashboard(db, officer, ALL, NOW);
    const tomorrow = await councilDashboard(db, officer, ALL, new Date(NOW.getTime() + 86_400_000));
    expect(tomorrow).not.toBe(today);
    expect(tomorrow.reopenings.map((r) => [r.tenderId, r.daysLeft + 1])).toEqual(today.reopenings.map((r) => [r.tenderId, r.daysLeft]));
  });

  it("show only the cards the viewer may see, whoever of the council looked first", async () => {
    const full = await councilDashboard(db, officer, ALL, NOW);
    const none = await councilDashboard(db, officer, { reopenings: false, standstills: false, contracts: false }, NOW);
    expect([none.reopenings, none.standstills, none.contracts]).toEqual([[], [], null]);
    expect(none.figures).toEqual(full.figures);
    expect((await councilDashboard(db, officer, ALL, NOW)).standstills).toEqual(full.standstills);
  });
});
