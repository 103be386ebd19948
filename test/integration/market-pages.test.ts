// The reads the market's pages are built on: a home's vacancy history with
// who saved it, the needs of many homes at once, the search form's choices,
// and who lifted a suspension.
import { beforeAll, describe, expect, it } from "vitest";
import type { Trx } from "#app/database/schema";
import { ActionRefused, ConcurrentEditError, RecordNotFound } from "#app/modules/errors";
import { districtImports } from "#app/modules/geography/districts";
import { needsOfHomes, setStatementOfPurpose, updateHomeRegistration } from "#app/modules/homes/statement-of-purpose";
import { searchChoices } from "#app/modules/placements/search";
import { liftSuspension, suspendHome, suspensionHistory } from "#app/modules/placements/suspensions";
import { confirmNoChange, updateVacancies, vacancyHistory } from "#app/modules/vacancies/vacancies";
import { runAudited } from "#test/support/audited";
import { useTestDatabase } from "#test/support/database";
import { buildMarketWorld, type MarketWorld } from "#test/support/market";
import { contextOf } from "#test/support/tendering";

const { db } = await useTestDatabase();
let world: MarketWorld;
beforeAll(async () => {
  world = await buildMarketWorld(db);
}, 60_000);

const NOW = new Date("2027-01-04T09:00:00Z");
const run = <T>(work: (trx: Trx) => Promise<T>) => runAudited(db, work);

describe("a home's vacancy history", () => {
  it("lists updates and confirmations newest first with the person who made them, and only that home's", async () => {
    await run((trx) =>
      updateVacancies(trx, { changes: [{ homeId: world.homes.exeter, expectedVersion: 0, bedsFreeNow: 2, bedsFreeFrom: null, needs: [] }] }, contextOf(world.providerA, NOW)),
    );
    await run((trx) =>
      updateVacancies(
        trx,
        { changes: [{ homeId: world.homes.truro, expectedVersion: 0, bedsFreeNow: 1, bedsFreeFrom: { on: "2027-02-01", beds: 2 }, needs: [] }] },
        contextOf(world.providerA, NOW),
      ),
    );
    await run((trx) => confirmNoChange(trx, { organisationId: world.providerA.organisationId }, contextOf(world.providerAColleague, new Date("2027-01-05T09:00:00Z"))));
    const history = await vacancyHistory(db, world.homes.exeter);
    expect(history).toEqual([
      expect.objectContaining({ change: "confirmed", bedsFreeNow: 2, recordedBy: world.providerAColleague.name, recordedAt: new Date("2027-01-05T09:00:00Z") }),
      expect.objectContaining({ change: "updated", bedsFreeNow: 2, bedsFreeFrom: null, recordedBy: world.providerA.name }),
    ]);
    expect((await vacancyHistory(db, world.homes.truro))[1]).toMatchObject({ bedsFreeFrom: { on: "2027-02-01", beds: 2 } });
    expect(await vacancyHistory(db, world.homes.newtonAbbot)).toEqual([]);
    expect(await vacancyHistory(db, "not-an-id")).toEqual([]);
  });
});

describe("the needs of many homes", () => {
  it("gives each home its Statement of Purpose's needs in the reference order, and none for a home without one", async () => {
    await run((trx) =>
      setStatementOfPurpose(
        trx,
        { homeId: world.homes.plymouth, expectedVersion: 0, ageMin: 8, ageMax: 17, genders: ["male"], needs: ["cse_risk", "emotional_behavioural"], lotIds: [] },
        contextOf(world.providerA, NOW),
      ),
    );
    const needs = await needsOfHomes(db, [world.homes.plymouth, world.homes.newtonAbbot]);
    expect(needs.get(world.homes.plymouth)).toEqual(["emotional_behavioural", "cse_risk"]);
    expect(needs.get(world.homes.newtonAbbot)).toEqual([]);
  });
});

describe("the search form's choices", () => {
  it("lists every agreement with its lots in order, and every need", async () => {
    const choices = await searchChoices(db);
    const framework = choices.agreements.find((a) => a.id === world.agreements.residential_framework.id)!;
    expect(framework.lots.map((l) => l.id)).toEqual(world.agreements.residential_framework.lotIds);
    expect(framework.lots.map((l) => l.number)).toEqual([...framework.lots.map((l) => l.number)].sort((a, b) => a - b));
    expect(choices.needs.map((n) => n.code)).toContain("cse_risk");
  });
});

describe("a suspension's history", () => {
  it("names who lifted it, with the reasons and conditions", async () => {
    await run((trx) => suspendHome(trx, { homeId: world.homes.truro, reason: "Complaint under investigation" }, contextOf(world.officer, NOW)));
    await run((trx) => liftSuspension(trx, { homeId: world.homes.truro, reason: "Investigation closed", conditions: "Monthly visits" }, contextOf(world.officer, NOW)));
    const [lifted] = await suspensionHistory(db, world.homes.truro);
    expect(lifted).toMatchObject({ suspendedBy: world.officer.userId, liftedBy: world.officer.userId, liftReason: "Investigation closed", liftConditions: "Monthly visits" });
  });
});

describe("a home's registration", () => {
  const versionOf = async (homeId: string) => (await db.selectFrom("home").select("version").where("id", "=", homeId).executeTakeFirstOrThrow()).version;

  it("keeps only the district of a full postcode, writes one audit event in words, and nothing when unchanged", async () => {
    const version = await versionOf(world.homes.plymouth);
    const input = { homeId: world.homes.plymouth, expectedVersion: version, serviceType: "childrens_home", registeredPlaces: 5, postcode: "pl1 2ab" };
    const { value, events } = await run((trx) => updateHomeRegistration(trx, input, contextOf(world.providerA, NOW)));
    expect(value).toEqual({ version: version + 1 });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: "home.registration_updated",
      before: { "Registered places": 4, "Postcode district": "PL4" },
      after: { Type: "Children's home", "Registered places": 5, "Postcode district": "PL1" },
    });
    const again = await run((trx) => updateHomeRegistration(trx, { ...input, expectedVersion: version + 1 }, contextOf(world.providerA, NOW)));
    expect(again.value).toEqual({ version: version + 1 });
    expect(again.events).toHaveLength(0);
  });

  it("refuses a stale version, places below the beds offered, a bad postcode, and another provider's home", async () => {
    const version = await versionOf(world.homes.exeter);
    const input = { homeId: world.homes.exeter, expectedVersion: version, serviceType: "childrens_home", registeredPlaces: 3, postcode: "EX4" };
    const as = (overrides: object, actor = world.providerA) => run((trx) => updateHomeRegistration(trx, { ...input, ...overrides }, contextOf(actor, NOW)));
    expect((await as({ expectedVersion: version - 1 })).error).toBeInstanceOf(ConcurrentEditError);
    // Exeter's vacancy (the history test above) offers 2 beds now.
    const lower = (await as({ registeredPlaces: 1 })).error as ActionRefused;
    expect(lower.field).toBe("registeredPlaces");
    expect(lower.message).toMatch(/vacancy offers 2 beds/);
    expect(((await as({ postcode: "Exeter" })).error as ActionRefused).field).toBe("postcode");
    expect(((await as({ registeredPlaces: 0 })).error as ActionRefused).field).toBe("registeredPlaces");
    expect(((await as({ serviceType: "castle" })).error as ActionRefused).field).toBe("serviceType");
    expect((await as({}, world.providerB)).error).toBeInstanceOf(RecordNotFound);
  });
});

describe("the district imports list", () => {
  it("counts the districts located and names who imported each file", async () => {
    const { districts, imports } = await districtImports(db);
    expect(districts).toBeGreaterThan(5);
    expect(imports[0]).toMatchObject({ fileName: "outcodes-sample.csv", importedBy: "Ada Admin", format: "outcode_centroids" });
    expect(imports[0]!.added + imports[0]!.updated + imports[0]!.unchanged).toBeGreaterThan(0);
  });
});
