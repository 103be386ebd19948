import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { Trx } from "#app/database/schema";
import { decideAward } from "#app/modules/awards/decisions";
import { recommendationForTender, saveRecommendation, submitRecommendation } from "#app/modules/awards/recommendations";
import { recordNames } from "#app/modules/audit/record-titles";
import { ukDate } from "#app/modules/common/input";
import {
  awardReadyForContracts,
  contractPlan,
  createContracts,
  getContract,
  listContracts,
  noticesDue,
  recordNoticePublished,
  respondToContract,
  termEndOn,
} from "#app/modules/contracts/contracts";
import { ActionRefused, RecordNotFound } from "#app/modules/errors";
import type { Actor } from "#app/modules/identity/actor";
import { addDaysToDay } from "#app/modules/tendering/timeline";
import { ocidFor, releasePackage } from "#app/modules/publication/ocds-releases";
import { may } from "#app/policy/policy";
import { AFTER_DEADLINE, afterStandstill, openedTender, publishNotice, type OpenedTender } from "#test/support/awards";
import { runAudited } from "#test/support/audited";
import { councilStaff } from "#test/support/bids";
import { useTestDatabase } from "#test/support/database";
import { ocdsPackageValidator } from "#test/support/ocds-schema";
import { buildTenderingWorld, contextOf, type TenderingWorld } from "#test/support/tendering";

const { db, ownerDb } = await useTestDatabase();
let world: TenderingWorld;
let staff: Awaited<ReturnType<typeof councilStaff>>;
beforeAll(async () => {
  world = await buildTenderingWorld(db);
  staff = await councilStaff(db, world);
}, 120_000);

const LINKS = { baseUrl: "http://portal.test" };
const DECIDED = new Date(AFTER_DEADLINE.getTime() + 86_400_000);
/** When the officer creates the agreements: after the award notice's standstill, begun when the award was decided. */
const CREATED = afterStandstill(DECIDED);
const LATER = new Date(CREATED.getTime() + 7 * 86_400_000);
const run = <T>(work: (trx: Trx) => Promise<T>) => db.transaction().execute(work);
const failure = (work: (trx: Trx) => Promise<unknown>) => run(work).then(() => null, (e: unknown) => e as Error);

/** An opened tender whose recommendation (both bids for lot 1) is approved by the Chief Officer, or only submitted. */
async function awarded(options: { lightTouch?: boolean; approve?: boolean } = {}): Promise<OpenedTender & { recommendationId: string }> {
  const t = await openedTender(db, world, staff, { lightTouch: options.lightTouch });
  const officer = contextOf(world.officer, DECIDED);
  await run((trx) =>
    saveRecommendation(
      trx,
      {
        tenderId: t.id,
        expectedVersion: 0,
        lots: [{ lotId: t.lot1, bidIds: [t.bidA, t.bidB] }],
        evaluationSummary: "Both bids passed every minimum score.",
        valuePence: 120_000_00,
        budgetLine: "Children's placements 2027/28",
        risks: "Few homes in the west.",
        alternatives: "Spot purchasing, rejected as dearer.",
      },
      officer,
    ),
  );
  await run((trx) => submitRecommendation(trx, { tenderId: t.id, expectedVersion: 1 }, officer, LINKS));
  const rec = (await recommendationForTender(db, t.id, world.officer)).recommendation!;
  if (options.approve !== false) {
    await run((trx) => decideAward(trx, { recommendationId: rec.id, outcome: "approved", reasons: "Best value for children", conditions: "" }, contextOf(staff.chief_officer, DECIDED), LINKS));
    await publishNotice(db, world, t.id, DECIDED);
  }
  return { ...t, recommendationId: rec.id };
}

function creation(t: OpenedTender, values: number[] = [60_000_00, 60_000_00]) {
  return { tenderId: t.id, startOn: "2027-04-01", termMonths: 48, values: [t.bidA, t.bidB].map((bidId, i) => ({ lotId: t.lot1, bidId, valuePence: values[i]! })) };
}

async function contractWith(t: OpenedTender, provider: Actor) {
  const id = (await db.selectFrom("contract").select("id").where("tender_id", "=", t.id).where("provider_id", "=", provider.organisationId).executeTakeFirstOrThrow()).id;
  return getContract(db, id, provider);
}

describe("creating the agreements for an award", () => {
  it("waits for the approved decision, then creates one set however many officers press the button at once", async () => {
    const t = await awarded({ approve: false });
    expect(await awardReadyForContracts(db, t.id, CREATED)).toEqual({ ready: false, reason: "The award has not been approved yet" });
    const early = (await failure((trx) => createContracts(trx, creation(t), contextOf(world.officer, CREATED), LINKS))) as ActionRefused;
    expect(early).toBeInstanceOf(ActionRefused);
    expect(early.message).toBe("The award has not been approved yet");
    await run((trx) => decideAward(trx, { recommendationId: t.recommendationId, outcome: "approved", reasons: "Best value", conditions: "" }, contextOf(staff.chief_officer, DECIDED), LINKS));
    // Approved is not enough: the award notice comes first, then its standstill must end.
    expect(await awardReadyForContracts(db, t.id, DECIDED)).toEqual({ ready: false, reason: "Approved: the contract award notice has not been published yet." });
    await publishNotice(db, world, t.id, DECIDED);
    expect(await awardReadyForContracts(db, t.id, DECIDED)).toMatchObject({ ready: false, reason: expect.stringMatching(/^In standstill/) });
    expect(await awardReadyForContracts(db, t.id, CREATED)).toEqual({ ready: true, recommendationId: t.recommendationId });

    const plan = await contractPlan(db, t.id, world.officer, CREATED);
    expect(plan.planned.map((p) => [p.providerName, p.kind])).toEqual([
      [world.providerA.organisationName, "framework_agreement"],
      [world.providerB.organisationName, "framework_agreement"],
    ]);
    expect(plan.problems).toEqual([]);

    const head = (await db.selectFrom("audit_chain_head").select("seq").executeTakeFirstOrThrow()).seq;
    const results = await Promise.allSettled([
      run((trx) => createContracts(trx, creation(t), contextOf(world.officer, CREATED), LINKS)),
      run((trx) => createContracts(trx, creation(t), contextOf(staff.secondOfficer, CREATED), LINKS)),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(ActionRefused);
    expect((refused.reason as Error).message).toMatch(/^The agreements for this award were already created by /);
    const rows = await db.selectFrom("contract").select(["reference", "start_on", "end_on", "value_pence", "status"]).where("tender_id", "=", t.id).orderBy("reference").execute();
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((r) => r.reference)).size).toBe(2);
    expect(rows.every((r) => r.start_on === "2027-04-01" && r.end_on === "2031-03-31" && r.status === "offered" && r.value_pence === 60_000_00)).toBe(true);
    const events = await db.selectFrom("audit_event").select("action").where("seq", ">", head).execute();
    expect(events.map((e) => e.action)).toEqual(["contract.created", "contract.created"]);
    // Each provider's users are emailed their own agreement.
    const offered = await db.selectFrom("outbox_email").select(["to_address", "subject"]).where("template", "=", "contract_offered").where("to_address", "in", [world.providerA.email, world.providerAColleague.email, world.providerB.email]).execute();
    expect(offered.map((e) => e.to_address).sort()).toEqual([world.providerA.email, world.providerAColleague.email, world.providerB.email].sort());
  });

  it("copies each provider's submitted prices for the lot and freezes them", async () => {
    const t = await awarded();
    await run((trx) => createContracts(trx, creation(t), contextOf(world.officer, CREATED), LINKS));
    for (const provider of [world.providerA, world.providerB]) {
      const contract = await contractWith(t, provider);
      const submitted = await db
        .selectFrom("bid_submission_price")
        .innerJoin("contract", "contract.submission_id", "bid_submission_price.submission_id")
        .select(["bid_submission_price.price_item_id", "bid_submission_price.amount_pence"])
        .where("contract.id", "=", contract.id)
        .where("bid_submission_price.lot_id", "=", t.lot1)
        .execute();
      expect(submitted).toHaveLength(2);
      expect(contract.prices.map((p) => ({ price_item_id: p.priceItemId, amount_pence: p.amountPence })).sort((a, b) => a.price_item_id.localeCompare(b.price_item_id))).toEqual(
        submitted.sort((a, b) => a.price_item_id.localeCompare(b.price_item_id)),
      );
      expect(contract.prices.map((p) => p.description)).toEqual(["Weekly fee per placement (Standard)", "Weekly fee per placement (Enhanced)"]);
    }
    const a = await contractWith(t, world.providerA);
    expect(a.prices.map((p) => p.amountPence)).toEqual([450_000, 550_000]);
    // The audit trail names the contract in words, not by its id.
    expect((await recordNames(db, [{ type: "contract", id: a.id }]))[a.id]).toBe(`${a.reference} with ${world.providerA.organisationName}`);
    // The runtime login can neither rewrite the prices nor the terms, nor delete the contract.
    await expect(sql`UPDATE contract_price SET amount_pence = 1 WHERE contract_id = ${a.id}`.execute(db)).rejects.toThrow();
    await expect(sql`UPDATE contract SET value_pence = 1 WHERE id = ${a.id}`.execute(db)).rejects.toThrow(/terms of a contract cannot be changed/);
    await expect(sql`DELETE FROM contract WHERE id = ${a.id}`.execute(db)).rejects.toThrow();
    const owner = ownerDb();
    await expect(sql`DELETE FROM contract WHERE id = ${a.id}`.execute(owner)).rejects.toThrow(/never deleted/);
  });

  it("refuses a term or value that is missing or out of range, writing nothing", async () => {
    const t = await awarded();
    const noTerm = await runAudited(db, (trx) => createContracts(trx, { ...creation(t), termMonths: 0 }, contextOf(world.officer, CREATED), LINKS));
    expect((noTerm.error as ActionRefused).field).toBe("termMonths");
    const noValue = await runAudited(db, (trx) => createContracts(trx, { ...creation(t), values: [] }, contextOf(world.officer, CREATED), LINKS));
    expect(noValue.error?.message).toMatch(/^Enter the value of the agreement with /);
    expect([...noTerm.events, ...noValue.events]).toEqual([]);
    expect(await db.selectFrom("contract").select("id").where("tender_id", "=", t.id).execute()).toEqual([]);
    const evaluatorTry = (await failure((trx) => createContracts(trx, creation(t), contextOf(staff.evaluator, CREATED), LINKS))) as ActionRefused;
    expect(evaluatorTry.message).toBe("Only a commissioning officer creates the agreements");
    expect(termEndOn("2027-04-01", 12)).toBe("2028-03-31");
    expect(termEndOn("2028-01-31", 1)).toBe("2028-02-28");
  });
});

describe("providers see and accept only their own", () => {
  it("hides another provider's agreement and another council's", async () => {
    const t = await awarded();
    await run((trx) => createContracts(trx, creation(t), contextOf(world.officer, CREATED), LINKS));
    const a = await contractWith(t, world.providerA);
    await expect(getContract(db, a.id, world.providerB)).rejects.toBeInstanceOf(RecordNotFound);
    await expect(getContract(db, a.id, world.otherCouncilOfficer)).rejects.toBeInstanceOf(RecordNotFound);
    await expect(getContract(db, "not-an-id", world.providerA)).rejects.toBeInstanceOf(RecordNotFound);
    expect((await getContract(db, a.id, staff.portfolio_holder)).reference).toBe(a.reference);
    const thing = { kind: "contract" as const, councilId: a.councilId, providerId: a.providerId };
    expect(may(world.providerB, "contract.view", thing)).toMatchObject({ allowed: false, status: 404 });
    expect(may(world.otherCouncilOfficer, "contract.view", thing)).toMatchObject({ allowed: false, status: 404 });
    expect(may(world.officer, "contract.respond", thing)).toMatchObject({ allowed: false, status: 403 });
    expect(may(world.providerAColleague, "contract.respond", thing)).toEqual({ allowed: true });
    const seenByB = await listContracts(db, world.providerB, { tenderId: t.id });
    expect(seenByB.map((c) => c.providerName)).toEqual([world.providerB.organisationName]);
    expect((await listContracts(db, world.officer, { tenderId: t.id })).length).toBe(2);
    expect(await listContracts(db, world.otherCouncilOfficer, { tenderId: t.id })).toEqual([]);
    const refused = (await failure((trx) => respondToContract(trx, { contractId: a.id, expectedVersion: 1, response: "accept" }, contextOf(world.providerB, LATER), LINKS))) as Error;
    expect(refused).toBeInstanceOf(RecordNotFound);
  });

  it("accepts once, records who and when, emails the officer, and starts the notice's clock (120 days under light touch)", async () => {
    const t = await awarded({ lightTouch: true });
    await run((trx) => createContracts(trx, creation(t), contextOf(world.officer, CREATED), LINKS));
    const a = await contractWith(t, world.providerA);
    expect(a.noticeDueOn).toBeNull();
    const results = await Promise.allSettled([
      run((trx) => respondToContract(trx, { contractId: a.id, expectedVersion: 1, response: "accept" }, contextOf(world.providerA, LATER), LINKS)),
      run((trx) => respondToContract(trx, { contractId: a.id, expectedVersion: 1, response: "decline", reason: "Changed our mind" }, contextOf(world.providerAColleague, LATER), LINKS)),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refusal = (results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason as Error;
    expect(refusal.message).toMatch(/^This agreement was already (accepted|declined) by /);
    const after = await getContract(db, a.id, world.officer);
    expect(after.status).not.toBe("offered");
    expect(after.respondedAt).toEqual(LATER);
    // A third try, later, is refused too and writes nothing.
    const again = await runAudited(db, (trx) => respondToContract(trx, { contractId: a.id, expectedVersion: after.version, response: "accept" }, contextOf(world.providerA, LATER), LINKS));
    expect(again.error).toBeInstanceOf(ActionRefused);
    expect(again.events).toEqual([]);

    const b = await contractWith(t, world.providerB);
    const accepted = await runAudited(db, (trx) => respondToContract(trx, { contractId: b.id, expectedVersion: 1, response: "accept" }, contextOf(world.providerB, LATER), LINKS));
    expect(accepted.error).toBeNull();
    expect(accepted.events.map((e) => e.action)).toEqual(["contract.accepted"]);
    const signed = await getContract(db, b.id, world.providerB);
    expect(signed.status).toBe("accepted");
    expect(signed.respondedBy).toBe(world.providerB.name);
    expect(signed.enteredIntoOn).toBe(ukDate(LATER));
    expect(signed.noticeDays).toBe(120);
    expect(signed.noticeDueOn).toBe(addDaysToDay(ukDate(LATER), 120));
    const told = await db.selectFrom("outbox_email").select(["subject", "text"]).where("template", "=", "contract_responded").where("to_address", "=", world.officer.email).where("text", "like", `%${signed.reference}%`).execute();
    expect(told).toHaveLength(1);
    expect(told[0]!.subject).toBe(`Accepted: framework agreement ${signed.reference}`);

    const replayed = await failure((trx) => respondToContract(trx, { contractId: b.id, expectedVersion: 1, response: "decline", reason: "Second thoughts" }, contextOf(world.providerB, LATER), LINKS));
    expect(replayed?.message).toMatch(/^This agreement was already accepted by /);
    const declineWithout = await failure((trx) => respondToContract(trx, { contractId: a.id, expectedVersion: 1, response: "decline", reason: " " }, contextOf(world.providerA, LATER), LINKS));
    expect(declineWithout).toBeInstanceOf(ActionRefused);
  });
});

describe("the contract details notice", () => {
  it("is due 30 days after entering into a contract outside the light-touch regime, shows on the dashboard within 14 days, and is recorded once", async () => {
    const t = await awarded({ lightTouch: false });
    await run((trx) => createContracts(trx, creation(t), contextOf(world.officer, CREATED), LINKS));
    const a = await contractWith(t, world.providerA);
    await expect(run((trx) => recordNoticePublished(trx, { contractId: a.id, expectedVersion: 1, publishedOn: ukDate(LATER) }, contextOf(world.officer, LATER)))).rejects.toThrow(
      "A contract details notice follows the provider's acceptance",
    );
    await run((trx) => respondToContract(trx, { contractId: a.id, expectedVersion: 1, response: "accept" }, contextOf(world.providerA, LATER), LINKS));
    const signed = await getContract(db, a.id, world.officer);
    const entered = ukDate(LATER);
    // The public record: a "contract" release, A's agreement active (signed when it accepted), B's still pending, under the award now in force.
    let text = "";
    for await (const chunk of releasePackage(db, { ocid: ocidFor(t.id), uri: "http://portal.test/ocds/releases.json", publisherName: "Fernvale", publishedAt: LATER })) text += chunk;
    const pkg = JSON.parse(text) as { releases: Record<string, any>[] };
    expect(pkg.releases.map((r) => r.tag)).toEqual([["tender"], ["award"], ["contract"]]);
    const release = pkg.releases.at(-1)!;
    expect(release.awards.map((x: { status: string }) => x.status)).toEqual(["active"]);
    expect(release.contracts.map((c: Record<string, unknown>) => [c.id, c.status, c.dateSigned, c.awardID])).toEqual(
      [a, await contractWith(t, world.providerB)]
        .sort((x, y) => x.reference.localeCompare(y.reference))
        .map((c) => [c.id, c.id === a.id ? "active" : "pending", c.id === a.id ? LATER.toISOString() : undefined, release.awards[0].id]),
    );
    expect(release.contracts.find((c: { id: string }) => c.id === a.id)).toMatchObject({ value: { amount: 60_000, currency: "GBP" }, period: { startDate: "2027-03-31T23:00:00.000Z" } }); // midnight starting 1 April, UK summer time
    const validate = ocdsPackageValidator();
    validate(pkg);
    expect(validate.errors ?? []).toEqual([]);
    expect(signed.noticeDays).toBe(30);
    expect(signed.noticeDueOn).toBe(addDaysToDay(entered, 30));

    // Not yet on the dashboard 20 days before it is due; on it at 14, and when overdue.
    const mine = <T extends { id: string }>(list: T[]) => list.filter((c) => c.id === a.id);
    expect(mine(await noticesDue(db, world.councilId, addDaysToDay(entered, 10)))).toEqual([]);
    expect(mine(await noticesDue(db, world.councilId, addDaysToDay(entered, 16))).map((c) => c.daysLeft)).toEqual([14]);
    expect(mine(await noticesDue(db, world.councilId, addDaysToDay(entered, 33))).map((c) => c.daysLeft)).toEqual([-3]);

    const by = contextOf(world.officer, new Date(LATER.getTime() + 3 * 86_400_000));
    const future = (await failure((trx) => recordNoticePublished(trx, { contractId: a.id, expectedVersion: 2, publishedOn: addDaysToDay(entered, 5) }, by))) as ActionRefused;
    expect(future.field).toBe("publishedOn");
    expect(await failure((trx) => recordNoticePublished(trx, { contractId: a.id, expectedVersion: 2, publishedOn: addDaysToDay(entered, 2) }, contextOf(world.providerA, by.now)))).toBeInstanceOf(
      ActionRefused,
    );
    const recorded = await runAudited(db, (trx) => recordNoticePublished(trx, { contractId: a.id, expectedVersion: 2, publishedOn: addDaysToDay(entered, 2) }, by));
    expect(recorded.error).toBeNull();
    expect(recorded.events.map((e) => e.action)).toEqual(["contract.notice_recorded"]);
    const done = await getContract(db, a.id, world.officer);
    expect(done.noticePublishedOn).toBe(addDaysToDay(entered, 2));
    expect(done.noticeDueOn).toBeNull();
    expect(mine(await noticesDue(db, world.councilId, addDaysToDay(entered, 33)))).toEqual([]);
    const twice = (await failure((trx) => recordNoticePublished(trx, { contractId: a.id, expectedVersion: 3, publishedOn: addDaysToDay(entered, 3) }, by))) as ActionRefused;
    expect(twice.message).toMatch(/^The notice was already recorded as published on /);
    expect(await failure((trx) => recordNoticePublished(trx, { contractId: a.id, expectedVersion: 1, publishedOn: addDaysToDay(entered, 3) }, by))).toBeInstanceOf(ActionRefused);
  });
});
