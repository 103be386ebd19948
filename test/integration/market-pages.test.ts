// The reads the market's pages are built on: a home's vacancy history with
// who saved it, the needs of many homes at once, the search form's choices,
// and who lifted a suspension.
import { beforeAll, describe, expect, it } from "vitest";
import type { Trx } from "#app/database/schema";
import { needsOfHomes, setStatementOfPurpose } from "#app/modules/homes/statement-of-purpose";
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
