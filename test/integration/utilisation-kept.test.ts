// /utilisation's figures kept while the audit chain is unchanged and the UK
// day is the same (decision 048): a second view sends one statement; an
// audited bed record shows at the next view; each provider sees only its own.
import { beforeAll, describe, expect, it } from "vitest";
import { createBlockContract, recordOccupancy } from "#app/modules/utilisation/block-beds";
import { keptUtilisationPage } from "#app/web/utilisation.server";
import { useTestDatabase } from "#test/support/database";
import { buildMarketWorld, type MarketWorld } from "#test/support/market";
import { QueryCounter } from "#test/support/query-counter";
import { contextOf } from "#test/support/tendering";

const { db } = await useTestDatabase();
const counter = new QueryCounter();
const counted = db.withPlugin(counter);
let world: MarketWorld;
let bedId: string;
const NOW = new Date("2027-02-10T09:00:00Z");

beforeAll(async () => {
  world = await buildMarketWorld(db);
  const made = await db.transaction().execute((trx) =>
    createBlockContract(
      trx,
      {
        reference: "BLK-K",
        title: "Exeter block bed",
        agreementId: world.agreements.residential_block.id,
        providerId: world.providerA.organisationId,
        firstNight: "2027-02-01",
        lastNight: "2027-03-31",
        beds: [{ homeId: world.homes.exeter, label: "Bed 1", weeklyPricePence: 7000 }],
      },
      contextOf(world.officer, new Date("2027-01-20T09:00:00Z")),
    ),
  );
  bedId = made.bedIds[0]!;
}, 60_000);

const total = (page: Awaited<ReturnType<typeof keptUtilisationPage>>) => page.rows.find((r) => r.contractId !== null && r.periodStart === null)!;

describe("/utilisation kept until something changes", () => {
  it("is worked out once, then a view sends one statement, and an audited bed record shows at the next view", async () => {
    counter.count = 0;
    const first = await keptUtilisationPage(counted, world.officer, "month", NOW);
    expect(counter.count).toBeGreaterThan(1);
    expect(total(first).occupiedNights).toBe(0);
    counter.count = 0;
    const again = await keptUtilisationPage(counted, world.officer, "month", NOW);
    expect(counter.count).toBe(1);
    expect(again).toBe(first);

    await db.transaction().execute((trx) =>
      recordOccupancy(trx, { bedId, childReference: "CH-K1", firstNight: "2027-02-02", lastNight: "2027-02-05" }, contextOf(world.officer, NOW)),
    );
    const after = await keptUtilisationPage(counted, world.officer, "month", NOW);
    expect(total(after).occupiedNights).toBe(4);
    // The figures' table is written once for the kept page, with the change in it.
    expect(after.written.periods.count).toBe(1);
    expect(after.written.periods.rowsHtml).toContain("<td class=\"govuk-table__cell\">February 2027</td>");
    expect(after.written.periods.rowsHtml).toContain(">4</td>");
    expect(after.written.voids.count).toBe(after.voids.length);
  });

  it("is worked out again on a new UK day, when another night has passed", async () => {
    const today = await keptUtilisationPage(counted, world.officer, "month", NOW);
    counter.count = 0;
    const tomorrow = await keptUtilisationPage(counted, world.officer, "month", new Date("2027-02-11T09:00:00Z"));
    expect(counter.count).toBeGreaterThan(1);
    expect(total(tomorrow).contractedNights).toBe(total(today).contractedNights + 1);
  });

  it("keeps each provider's page apart: another provider never sees this contract", async () => {
    const own = await keptUtilisationPage(counted, world.providerA, "month", NOW);
    const other = await keptUtilisationPage(counted, world.providerB, "month", NOW);
    expect(own.contracts.map((c) => c.reference)).toEqual(["BLK-K"]);
    expect(other.contracts).toEqual([]);
    expect(other.rows).toEqual([]);
  });
});
