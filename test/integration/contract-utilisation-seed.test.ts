import { beforeAll, describe, expect, it } from "vitest";
import { verifyAuditTrail } from "#app/modules/audit/verify";
import { getContract } from "#app/modules/contracts/contracts";
import { listContractFiles } from "#app/modules/contracts/files";
import { linkedUtilisation } from "#app/modules/contracts/utilisation";
import { actorForUser } from "#app/modules/identity/sessions";
import { seedDemo } from "#db/seed/demo";
import { DEMO_CONTRACT_UTILISATION_TENDER_TITLE } from "#db/seed/demo-contract-utilisation";
import { useTestDatabase } from "#test/support/database";

const { db } = await useTestDatabase();
beforeAll(async () => {
  await seedDemo(db);
}, 240_000);

describe("the demo's short breaks award carried into the market", () => {
  it("ends in a signed short breaks contract whose two Harbour Light homes are short breaks contracts at the bid's nightly rate, with the signed contract attached", async () => {
    const officer = await actorForUser(db, (await db.selectFrom("app_user").select("id").where("email", "=", "officer@westmoor.example").executeTakeFirstOrThrow()).id, null);
    const row = await db
      .selectFrom("contract")
      .innerJoin("tender", "tender.id", "contract.tender_id")
      .select("contract.id")
      .where("tender.title", "=", DEMO_CONTRACT_UTILISATION_TENDER_TITLE)
      .executeTakeFirstOrThrow();
    const contract = await getContract(db, row.id, officer);
    expect([contract.kind, contract.status, contract.providerName, contract.startOn.slice(5)]).toEqual(["short_breaks_contract", "accepted", "Harbour Light Children's Homes Ltd", "04-01"]);
    const linked = (await linkedUtilisation(db, contract.id))!;
    expect(linked.linkedBy).toBe("Jo Bennett");
    expect(linked.shortBreaks.map((s) => s.nightsPerYear).sort((a, b) => b - a)).toEqual([300, 180]);
    const rates = await db.selectFrom("short_break_contract").select(["nightly_price_pence"]).where("id", "in", linked.shortBreaks.map((s) => s.id)).execute();
    expect(rates.map((r) => r.nightly_price_pence)).toEqual([contract.prices[0]!.amountPence, contract.prices[0]!.amountPence]);
    expect((await listContractFiles(db, contract.id)).map((f) => [f.kind, f.uploadedBy])).toEqual([
      ["signed_contract", "Priya Shah"],
      ["schedule", "Priya Shah"],
    ]);
  });

  it("is all in a verifiable audit trail", async () => {
    expect((await verifyAuditTrail(db, { publicKey: null })).ok).toBe(true);
  });
});
