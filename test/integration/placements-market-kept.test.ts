// The market as search and matching read it (market.ts, decision 048): kept
// while the audit chain is unchanged and the UK day is the same, read afresh
// after any audited change or inside a transaction, and measured in miles
// exactly as the SQL that records a placement's distance measures them.
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "#app/modules/identity/actor";
import { setStatementOfPurpose } from "#app/modules/homes/statement-of-purpose";
import { auditChainVersion } from "#app/modules/audit/audit";
import { createSession, sessionAt } from "#app/modules/identity/sessions";
import { marketAt, milesBetween } from "#app/modules/placements/market";
import { matchRequest, type MatchCriteria } from "#app/modules/placements/matching";
import { milesFrom, searchHomes } from "#app/modules/placements/search";
import { updateVacancies } from "#app/modules/vacancies/vacancies";
import { useTestDatabase } from "#test/support/database";
import { buildMarketWorld, type MarketWorld } from "#test/support/market";
import { QueryCounter } from "#test/support/query-counter";
import { contextOf } from "#test/support/tendering";

const { db } = await useTestDatabase();
let world: MarketWorld;
const NOW = new Date("2027-01-04T09:00:00Z");
const counter = new QueryCounter();
const counted = db.withPlugin(counter);

beforeAll(async () => {
  world = await buildMarketWorld(db);
  const [lot1] = world.agreements.residential_framework.lotIds as [string];
  await db.transaction().execute(async (trx) => {
    for (const homeId of [world.homes.exeter, world.homes.plymouth]) {
      await setStatementOfPurpose(
        trx,
        { homeId, expectedVersion: 0, ageMin: 11, ageMax: 17, genders: ["female", "male"], needs: ["emotional_behavioural"], lotIds: [lot1] },
        contextOf(world.providerA, NOW),
      );
    }
    await updateVacancies(trx, { changes: [{ homeId: world.homes.exeter, expectedVersion: 0, bedsFreeNow: 1, bedsFreeFrom: null, needs: [] }] }, contextOf(world.providerA, NOW));
  });
}, 60_000);

/** A request for a girl of 12 to 14 with emotional and behavioural needs, from EX4, starting the next day. */
const girlOf13 = (more: Partial<MatchCriteria>): MatchCriteria => ({
  lotId: world.agreements.residential_framework.lotIds[0]!,
  serviceType: "childrens_home",
  ageMin: 12,
  ageMax: 14,
  gender: "female",
  needs: ["emotional_behavioural"],
  homeDistrict: "EX4",
  maxDistanceMiles: null,
  startOn: "2027-01-05",
  ...more,
});
const names = (homes: { name: string }[]) => homes.map((h) => h.name.replace(/ \d+$/, ""));

describe("the placements market kept for search and matching", () => {
  it("is read once and reused while nothing changes: a search then sends one statement, the chain's version", async () => {
    counter.count = 0;
    const first = await searchHomes(counted, { vacancy: "now", fromDistrict: "EX4" }, NOW);
    expect(counter.count).toBeGreaterThan(1);
    counter.count = 0;
    const again = await searchHomes(counted, { vacancy: "now", fromDistrict: "EX4" }, NOW);
    expect(counter.count).toBe(1);
    expect(again).toEqual(first);
    expect(names(again.homes)).toEqual(["Longbrook House"]);
  });

  it("shows an audited change at the next search, and matching sees the same market", async () => {
    const plymouth = await db.selectFrom("vacancy").select("version").where("home_id", "=", world.homes.plymouth).executeTakeFirst();
    expect(plymouth).toBeUndefined();
    await db.transaction().execute((trx) =>
      updateVacancies(trx, { changes: [{ homeId: world.homes.plymouth, expectedVersion: 0, bedsFreeNow: 2, bedsFreeFrom: null, needs: [] }] }, contextOf(world.providerA, NOW)),
    );
    counter.count = 0;
    const after = await searchHomes(counted, { vacancy: "now", fromDistrict: "EX4" }, NOW);
    expect(counter.count).toBeGreaterThan(1);
    expect(names(after.homes)).toEqual(["Longbrook House", "Sutton View"]);
    const criteria = girlOf13({ maxDistanceMiles: 60 });
    counter.count = 0;
    const match = await matchRequest(counted, criteria, NOW);
    expect(counter.count).toBe(1);
    expect(names(match.reached)).toEqual(["Longbrook House", "Sutton View"]);
    expect(match.reached.map((h) => h.distanceMiles)).toEqual(after.homes.map((h) => h.distanceMiles));
  });

  it("needs no statement when the request read the chain's version with its session, and a change shows at the next request", async () => {
    const session = await db.transaction().execute((trx) => createSession(trx, { userId: world.officer.userId, clientAddress: null, userAgent: null, now: new Date() }));
    const search = async () => {
      const start = await sessionAt(counted, session.token, new Date());
      expect(start.actor?.userId).toBe(world.officer.userId);
      counter.count = 0;
      const found = await searchHomes(counted, { vacancy: "now", fromDistrict: "EX4" }, NOW, await marketAt(counted, NOW, start.chainVersion));
      return { version: start.chainVersion, found, statements: counter.count };
    };
    const first = await search();
    expect(first.version).toBe(await auditChainVersion(db));
    const again = await search();
    expect(again.statements).toBe(0);
    expect(again.found).toEqual(first.found);
    expect(first.found.homes.find((h) => h.homeId === world.homes.plymouth)?.bedsFreeNow).toBe(2);
    await db.transaction().execute((trx) =>
      updateVacancies(trx, { changes: [{ homeId: world.homes.plymouth, expectedVersion: 1, bedsFreeNow: 1, bedsFreeFrom: null, needs: [] }] }, contextOf(world.providerA, NOW)),
    );
    const after = await search();
    expect(after.version).not.toBe(first.version);
    expect(after.statements).toBeGreaterThan(0);
    expect(after.found.homes.find((h) => h.homeId === world.homes.plymouth)?.bedsFreeNow).toBe(1);
  });

  it("is read afresh inside a transaction, so a request is sent to what the transaction sees", async () => {
    const criteria = girlOf13({ maxDistanceMiles: null });
    await db
      .transaction()
      .execute(async (trx) => {
        await sql`UPDATE vacancy SET beds_free_now = 0 WHERE home_id = ${world.homes.plymouth}`.execute(trx);
        expect(names((await matchRequest(trx, criteria, NOW)).reached)).toEqual(["Longbrook House"]);
        throw new Error("roll back");
      })
      .catch((error: Error) => expect(error.message).toBe("roll back"));
    expect(names((await matchRequest(db, criteria, NOW)).reached)).toEqual(["Longbrook House", "Sutton View"]);
  });

  it("is read afresh on a new UK day, when another fee may be in force", async () => {
    await searchHomes(counted, {}, NOW);
    counter.count = 0;
    await searchHomes(counted, {}, new Date("2027-01-05T00:30:00Z"));
    expect(counter.count).toBeGreaterThan(1);
  });

  it("flags a vacancy stale as the clock passes 7 days from its confirmation, within one kept market", async () => {
    const exeter = async (at: Date) => (await searchHomes(counted, { fromDistrict: "EX4" }, at)).homes.find((h) => h.homeId === world.homes.exeter)!;
    const confirmedAt = (await exeter(NOW)).lastConfirmedAt!;
    const due = confirmedAt.getTime() + 7 * 86_400_000;
    expect((await exeter(new Date(due - 3_600_000))).stale).toBe(false);
    counter.count = 0;
    expect((await exeter(new Date(due + 3_600_000))).stale).toBe(true);
    expect(counter.count).toBe(1);
  });
});

describe("miles measured in this process", () => {
  it("agree with the SQL that records a placement's distance, to the tenth of a mile, across Great Britain", async () => {
    // A fixed scatter of 20,000 pairs of points over the districts' range of latitude and longitude.
    let seed = 20_261_201;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
    const pairs = Array.from({ length: 20_000 }, () => ({
      from: { latitude: 49.9 + random() * 10.9, longitude: -8.2 + random() * 10 },
      to: { latitude: 49.9 + random() * 10.9, longitude: -8.2 + random() * 10 },
    }));
    const { rows } = await sql<{ i: number; miles: number }>`
      SELECT pd.i::int AS i, ${milesFrom({ latitude: sql<number>`pd.from_latitude`, longitude: sql<number>`pd.from_longitude` })} AS miles
        FROM unnest(${pairs.map((p) => p.to.latitude)}::float8[], ${pairs.map((p) => p.to.longitude)}::float8[],
                    ${pairs.map((p) => p.from.latitude)}::float8[], ${pairs.map((p) => p.from.longitude)}::float8[])
             WITH ORDINALITY AS pd(latitude, longitude, from_latitude, from_longitude, i)
       ORDER BY pd.i`.execute(db);
    expect(rows).toHaveLength(pairs.length);
    const differing = rows.filter((r) => milesBetween(pairs[r.i - 1]!.from, pairs[r.i - 1]!.to) !== r.miles);
    expect(differing.slice(0, 3)).toEqual([]);
    expect(milesBetween({ latitude: 50.7256, longitude: -3.5269 }, { latitude: 50.7256, longitude: -3.5269 })).toBe(0);
  });
});
