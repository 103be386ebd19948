import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { Trx } from "#app/database/schema";
import { createContracts, getContract, respondToContract } from "#app/modules/contracts/contracts";
import { linkedUtilisation, providerHomes, setUpUtilisation } from "#app/modules/contracts/utilisation";
import { ActionRefused, RecordNotFound } from "#app/modules/errors";
import { createBlockContract, listBlockBeds, listBlockContracts } from "#app/modules/utilisation/block-beds";
import { utilisationFigures } from "#app/modules/utilisation/utilisation";
import { may } from "#app/policy/policy";
import { runAudited } from "#test/support/audited";
import { approvedAward, AWARD_DECIDED, publishNotice } from "#test/support/awards";
import { councilStaff, type CouncilStaff } from "#test/support/bids";
import { awardedContract, CONTRACT_CREATED, CONTRACT_END, CONTRACT_SIGNED, CONTRACT_START, homeOf } from "#test/support/contracts";
import { useTestDatabase } from "#test/support/database";
import { buildTenderingWorld, contextOf, type TenderingWorld } from "#test/support/tendering";

const { db } = await useTestDatabase();
let world: TenderingWorld;
let staff: CouncilStaff;
let homes: { tamar: string; quay: string; small: string; other: string };
beforeAll(async () => {
  world = await buildTenderingWorld(db);
  staff = await councilStaff(db, world);
  homes = {
    tamar: await homeOf(db, world.providerA, "Tamar House", 4),
    quay: await homeOf(db, world.providerA, "Quay Cottage", 3),
    small: await homeOf(db, world.providerA, "Little Orchard", 1, "short_breaks"),
    other: await homeOf(db, world.providerB, "Moor View", 5),
  };
}, 180_000);

const LINKS = { baseUrl: "http://portal.test" };
const LATER = new Date(CONTRACT_SIGNED.getTime() + 3_600_000);
const run = <T>(work: (trx: Trx) => Promise<T>) => db.transaction().execute(work);
const block = () => awardedContract(db, world, staff, { kind: "residential_block", pricePence: 350_000 });
const whole = { firstNight: CONTRACT_START, lastNight: CONTRACT_END };

async function refusal(work: (trx: Trx) => Promise<unknown>) {
  const { error, events } = await runAudited(db, work);
  expect(events).toEqual([]);
  return error as ActionRefused;
}

describe("a signed block contract's beds become a block contract in utilisation", () => {
  it("creates the block contract with the named beds at the bid's weekly price, linked and audited, and tells the officer", async () => {
    const { contractId } = await block();
    const contract = await getContract(db, contractId, world.providerA);
    const { value, error, events } = await runAudited(db, (trx) =>
      setUpUtilisation(trx, { contractId, ...whole, homes: [{ homeId: homes.tamar, count: 2 }, { homeId: homes.quay, count: 1 }, { homeId: homes.small, count: 0 }] }, contextOf(world.providerA, LATER), LINKS),
    );
    expect(error).toBeNull();
    expect(events.map((e) => e.action)).toEqual(["block_contract.created", "contract.utilisation_set_up"]);
    expect(events[1]!.after).toMatchObject({ Homes: ["Tamar House: 2 beds", "Quay Cottage: 1 bed"], "Price a week per bed": "£3,500" });

    const made = (await listBlockContracts(db, { providerId: world.providerA.organisationId })).find((c) => c.id === value!.blockContractId)!;
    expect(made).toMatchObject({ reference: contract.reference, firstNight: CONTRACT_START, lastNight: CONTRACT_END, beds: 3 });
    const beds = await listBlockBeds(db, made.id);
    expect(beds.map((b) => [b.homeName, b.label, b.weeklyPricePence])).toEqual([
      ["Quay Cottage", "Bed 1", 350_000],
      ["Tamar House", "Bed 1", 350_000],
      ["Tamar House", "Bed 2", 350_000],
    ]);
    // Counted in utilisation at once: 3 beds × 30 nights of April are contracted, all void so far.
    const april = await utilisationFigures(db, { contractIds: [made.id], period: { from: "2027-04-01", to: "2027-04-30" }, by: "month" });
    expect(april.find((r) => r.contractId === made.id && r.periodStart === null)).toMatchObject({ contractedNights: 90, occupiedNights: 0, voidNights: 90 });

    const linked = await linkedUtilisation(db, contractId);
    expect(linked).toMatchObject({ linkedBy: world.providerA.name, block: { id: made.id, reference: contract.reference, beds: 3 }, shortBreaks: [] });
    const told = await db.selectFrom("outbox_email").select(["to_address", "subject", "text"]).where("template", "=", "contract_utilisation_set_up").where("text", "like", `%${contract.reference}%`).execute();
    expect(told.map((e) => e.to_address)).toEqual([world.officer.email]);
    expect(told[0]!.text).toContain("Tamar House: 2 beds; Quay Cottage: 1 bed");

    // Once only: a second naming is refused, saying who named them.
    const again = await refusal((trx) => setUpUtilisation(trx, { contractId, ...whole, homes: [{ homeId: homes.tamar, count: 1 }] }, contextOf(world.officer, LATER), LINKS));
    expect(again).toBeInstanceOf(ActionRefused);
    expect(again.message).toMatch(new RegExp(`^The beds of this contract were named by ${world.providerA.name} on `));
  });

  it("refuses another provider's home, more beds than the home's places, beds other block contracts hold, and nights outside the contract", async () => {
    const { contractId } = await block();
    const as = contextOf(world.providerA, LATER);
    const set = (input: Partial<Parameters<typeof setUpUtilisation>[1]>) => (trx: Trx) => setUpUtilisation(trx, { contractId, ...whole, homes: [{ homeId: homes.tamar, count: 1 }], ...input }, as, LINKS);

    const foreign = await refusal(set({ homes: [{ homeId: homes.other, count: 1 }] }));
    expect([foreign.field, foreign.message]).toEqual(["homes", `Choose homes of ${world.providerA.organisationName}: one of the homes given is not one of theirs`]);
    const tooMany = await refusal(set({ homes: [{ homeId: homes.quay, count: 4 }] }));
    expect([tooMany.field, tooMany.message]).toEqual([`home-${homes.quay}`, "Quay Cottage is registered for 3 children: it cannot have 4 contracted beds"]);
    const early = await refusal(set({ firstNight: "2027-03-31" }));
    expect([early.field, early.message]).toEqual(["firstNight", "The contract runs from 1 April 2027 to 31 March 2031: the first night must be in that period"]);
    const late = await refusal(set({ lastNight: "2031-04-01" }));
    expect([late.field, late.message]).toEqual(["lastNight", "The contract runs from 1 April 2027 to 31 March 2031: the last night must be in that period"]);
    const none = await refusal(set({ homes: [{ homeId: homes.tamar, count: 0 }] }));
    expect([none.field, none.message]).toEqual(["homes", "Enter the number of beds in at least one home"]);
    const half = await refusal(set({ homes: [{ homeId: homes.tamar, count: 1.5 }] }));
    expect(half.field).toBe(`home-${homes.tamar}`);

    // Another block contract holds 3 of Harbour View's 4 places in 2028: only 1 more on those nights, 4 before them.
    const harbourView = await homeOf(db, world.providerA, "Harbour View", 4);
    await run((trx) =>
      createBlockContract(
        trx,
        {
          reference: "OTHER-BLOCK-1",
          title: "Another council's beds",
          agreementId: world.agreements.residential_block.id,
          providerId: world.providerA.organisationId,
          firstNight: "2028-01-01",
          lastNight: "2028-12-31",
          beds: [1, 2, 3].map((i) => ({ homeId: harbourView, label: `Bed ${i}`, weeklyPricePence: 300_000 })),
        },
        contextOf(world.officer, LATER),
      ),
    );
    const held = await refusal(set({ homes: [{ homeId: harbourView, count: 2 }] }));
    expect([held.field, held.message]).toEqual([`home-${harbourView}`, "Harbour View is registered for 4 children and 3 are in other block contracts on some of these nights: at most 1 more"]);
    expect((await providerHomes(db, world.providerA.organisationId, { firstNight: "2027-04-01", lastNight: "2027-12-31" })).find((h) => h.id === harbourView)!.heldByOtherBlocks).toBe(0);
    const { error } = await runAudited(db, set({ lastNight: "2027-12-31", homes: [{ homeId: harbourView, count: 4 }] }));
    expect(error).toBeNull();
    expect((await listBlockBeds(db, (await linkedUtilisation(db, contractId))!.block!.id)).map((b) => b.lastNight)).toEqual(["2027-12-31", "2027-12-31", "2027-12-31", "2027-12-31"]);
  });

  it("waits for the provider's acceptance; a framework agreement has no beds; another provider is told the contract does not exist", async () => {
    const { contractId } = await awardedContract(db, world, staff, { kind: "residential_block", accept: false });
    const offered = await refusal((trx) => setUpUtilisation(trx, { contractId, ...whole, homes: [{ homeId: homes.tamar, count: 1 }] }, contextOf(world.providerA, LATER), LINKS));
    expect(offered.message).toBe("The beds are named once the provider has accepted the contract");

    const { error: hidden } = await runAudited(db, (trx) => setUpUtilisation(trx, { contractId, ...whole, homes: [{ homeId: homes.other, count: 1 }] }, contextOf(world.providerB, LATER), LINKS));
    expect(hidden).toBeInstanceOf(RecordNotFound);
    const { error: otherCouncil } = await runAudited(db, (trx) => setUpUtilisation(trx, { contractId, ...whole, homes: [] }, contextOf(world.otherCouncilOfficer, LATER), LINKS));
    expect(otherCouncil).toBeInstanceOf(RecordNotFound);
    const evaluator = await refusal((trx) => setUpUtilisation(trx, { contractId, ...whole, homes: [] }, contextOf(staff.evaluator, LATER), LINKS));
    expect(evaluator.message).toBe("Only the provider, or the council's commissioning officers, name the contract's beds");

    // A framework agreement's children are placed by call-off: it has no beds to name.
    const t = await approvedAward(db, world, staff, { lightTouch: true });
    await publishNotice(db, world, t.id, AWARD_DECIDED);
    const { ids } = await run((trx) =>
      createContracts(trx, { tenderId: t.id, startOn: CONTRACT_START, termMonths: 48, values: [{ lotId: t.lot1, bidId: t.bidA, valuePence: 1 }] }, contextOf(world.officer, CONTRACT_CREATED), LINKS),
    );
    await run((trx) => respondToContract(trx, { contractId: ids[0]!, expectedVersion: 1, response: "accept" }, contextOf(world.providerA, CONTRACT_SIGNED), LINKS));
    const framework = await refusal((trx) => setUpUtilisation(trx, { contractId: ids[0]!, ...whole, homes: [{ homeId: homes.tamar, count: 1 }] }, contextOf(world.providerA, LATER), LINKS));
    expect(framework.message).toBe("A framework agreement has no beds of its own: children are placed through call-offs and placements");

    const contract = await getContract(db, contractId, world.officer);
    const thing = { kind: "contract" as const, councilId: contract.councilId, providerId: contract.providerId };
    expect(may(world.providerB, "contract.setUpUtilisation", thing)).toMatchObject({ allowed: false, status: 404 });
    expect(may(staff.evaluator, "contract.setUpUtilisation", thing)).toMatchObject({ allowed: false, status: 403 });
    expect(may(world.providerA, "contract.setUpUtilisation", thing)).toEqual({ allowed: true });
    expect(may(world.officer, "contract.setUpUtilisation", thing)).toEqual({ allowed: true });
  });

  it("of two people naming the beds at once, exactly one block contract is made and the other is told", async () => {
    const { contractId } = await block();
    const results = await Promise.allSettled([
      run((trx) => setUpUtilisation(trx, { contractId, ...whole, homes: [{ homeId: homes.quay, count: 1 }] }, contextOf(world.providerA, LATER), LINKS)),
      // The same bed count on both sides, so what Quay Cottage has left for the next test does not hang on which one wins.
      run((trx) => setUpUtilisation(trx, { contractId, ...whole, homes: [{ homeId: homes.quay, count: 1 }] }, contextOf(world.officer, LATER), LINKS)),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason as Error).message).toMatch(/^The beds of this contract were named by /);
    expect(await db.selectFrom("contract_utilisation").select("id").where("contract_id", "=", contractId).execute()).toHaveLength(1);
  });

  it("the database keeps the link true and unchanged, whoever connects as the portal", async () => {
    const { contractId } = await block();
    const made = await run((trx) => setUpUtilisation(trx, { contractId, ...whole, homes: [{ homeId: homes.quay, count: 1 }] }, contextOf(world.providerA, LATER), LINKS));
    const other = await run((trx) =>
      createBlockContract(
        trx,
        { reference: "MOOR-BLOCK-1", title: "Moor beds", agreementId: world.agreements.residential_block.id, providerId: world.providerB.organisationId, ...whole, beds: [{ homeId: homes.other, label: "Bed 1", weeklyPricePence: 1 }] },
        contextOf(world.officer, LATER),
      ),
    );
    const { contractId: second } = await block();
    await expect(db.insertInto("contract_utilisation").values({ contract_id: second, block_contract_id: other.contractId, linked_at: LATER }).execute()).rejects.toThrow(/same provider/);
    await expect(db.updateTable("contract_utilisation").set({ block_contract_id: other.contractId }).where("contract_id", "=", contractId).execute()).rejects.toThrow(/permission denied|append-only/);
    await expect(db.deleteFrom("contract_utilisation").where("contract_id", "=", contractId).execute()).rejects.toThrow(/permission denied|append-only/);
    expect((await linkedUtilisation(db, contractId))!.block!.id).toBe(made.blockContractId);
  });
});

describe("a signed short breaks contract becomes a short breaks contract per home", () => {
  it("an officer names the homes and nights a year; each home gets its contract at the bid's nightly rate, and the provider is told", async () => {
    const { contractId } = await awardedContract(db, world, staff, { kind: "short_breaks", pricePence: 49_500 });
    const contract = await getContract(db, contractId, world.officer);
    const tooMany = await refusal((trx) => setUpUtilisation(trx, { contractId, ...whole, homes: [{ homeId: homes.small, count: 366 }] }, contextOf(world.officer, LATER), LINKS));
    expect([tooMany.field, tooMany.message]).toEqual([`home-${homes.small}`, "Little Orchard is registered for 1 child: at most 365 nights a year"]);

    const { value, events } = await runAudited(db, (trx) =>
      setUpUtilisation(trx, { contractId, ...whole, homes: [{ homeId: homes.small, count: 300 }, { homeId: homes.quay, count: 120 }] }, contextOf(world.officer, LATER), LINKS),
    );
    expect(events.map((e) => e.action)).toEqual(["short_break_contract.created", "short_break_contract.created", "contract.utilisation_set_up"]);
    const rows = await db
      .selectFrom("short_break_contract as s")
      .innerJoin("home as h", "h.id", "s.home_id")
      .select(["s.reference", "h.name", "s.nights_per_year", "s.nightly_price_pence", sql<string>`lower(s.nights)`.as("from"), sql<string>`upper(s.nights) - 1`.as("to")])
      .where("s.id", "in", value!.shortBreakContractIds)
      .orderBy("s.reference")
      .execute();
    expect(rows).toEqual([
      { reference: `${contract.reference}-H1`, name: "Little Orchard", nights_per_year: 300, nightly_price_pence: 49_500, from: CONTRACT_START, to: CONTRACT_END },
      { reference: `${contract.reference}-H2`, name: "Quay Cottage", nights_per_year: 120, nightly_price_pence: 49_500, from: CONTRACT_START, to: CONTRACT_END },
    ]);
    expect((await linkedUtilisation(db, contractId))!.shortBreaks.map((s) => [s.homeName, s.nightsPerYear])).toEqual([
      ["Little Orchard", 300],
      ["Quay Cottage", 120],
    ]);
    const told = await db.selectFrom("outbox_email").select("to_address").where("template", "=", "contract_utilisation_set_up").where("text", "like", `%${contract.reference}%`).execute();
    expect(told.map((e) => e.to_address).sort()).toEqual([world.providerA.email, world.providerAColleague.email].sort());
  });
});
