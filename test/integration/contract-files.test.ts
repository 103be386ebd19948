import { beforeAll, describe, expect, it } from "vitest";
import type { Trx } from "#app/database/schema";
import { getContract, respondToContract } from "#app/modules/contracts/contracts";
import { addContractFile, findContractFile, listContractFiles } from "#app/modules/contracts/files";
import { ActionRefused, RecordNotFound } from "#app/modules/errors";
import { readFile } from "#app/modules/files/files";
import { may } from "#app/policy/policy";
import { runAudited } from "#test/support/audited";
import { councilStaff, type CouncilStaff } from "#test/support/bids";
import { awardedContract, CONTRACT_SIGNED } from "#test/support/contracts";
import { useTestDatabase } from "#test/support/database";
import { buildTenderingWorld, contextOf, type TenderingWorld } from "#test/support/tendering";

const { db } = await useTestDatabase();
let world: TenderingWorld;
let staff: CouncilStaff;
beforeAll(async () => {
  world = await buildTenderingWorld(db);
  staff = await councilStaff(db, world);
}, 180_000);

const LINKS = { baseUrl: "http://portal.test" };
const UPLOADED = new Date(CONTRACT_SIGNED.getTime() + 3_600_000);
const REPLACED = new Date(UPLOADED.getTime() + 86_400_000);
const pdf = (words: string) => Buffer.from(`%PDF-1.4\n%${words}\n`);
const run = <T>(work: (trx: Trx) => Promise<T>) => db.transaction().execute(work);

async function bytesOf(contractId: string, fileId: string): Promise<string> {
  const found = (await findContractFile(db, contractId, fileId))!;
  const parts: Buffer[] = [];
  for await (const chunk of readFile(db, found.file)) parts.push(chunk);
  return Buffer.concat(parts).toString();
}

describe("officers' files on a contract", () => {
  it("lists each file with who uploaded it and when; a new version keeps the old one, which still downloads", async () => {
    const { contractId } = await awardedContract(db, world, staff, { kind: "residential_block" });
    const contract = await getContract(db, contractId, world.officer);
    const first = await runAudited(db, (trx) =>
      addContractFile(trx, { contractId, kind: "signed_contract", title: "Signed contract", file: { fileName: "signed.pdf", contents: pdf("first signature") } }, contextOf(world.officer, UPLOADED), LINKS),
    );
    expect(first.error).toBeNull();
    expect(first.events.map((e) => e.action)).toEqual(["file.stored", "contract.file_added"]);
    expect(first.value).toMatchObject({ versionNumber: 1 });
    // The provider's users are told.
    const told = await db.selectFrom("outbox_email").select(["to_address", "subject"]).where("template", "=", "contract_file_added").where("subject", "like", `%${contract.reference}%`).execute();
    expect(told.map((e) => e.to_address).sort()).toEqual([world.providerA.email, world.providerAColleague.email].sort());
    expect(told[0]!.subject).toBe(`New document: block contract ${contract.reference}`);

    const second = await runAudited(db, (trx) =>
      addContractFile(
        trx,
        { contractId, kind: "other", title: "Signed contract, with schedule 2 initialled", replacesId: first.value!.contractFileId, file: { fileName: "signed-v2.pdf", contents: pdf("second signature") } },
        contextOf(staff.secondOfficer, REPLACED),
        LINKS,
      ),
    );
    expect(second.error).toBeNull();
    expect(second.events.map((e) => e.action)).toEqual(["file.stored", "contract.file_replaced"]);
    expect(second.events[1]!.summary).toContain('replacing version 1 of "Signed contract"');

    const files = await listContractFiles(db, contractId);
    expect(files.map((f) => [f.title, f.kind, f.versionNumber, f.uploadedBy, f.uploadedAt.toISOString(), f.replacedById])).toEqual([
      // A new version keeps the kind of the file it replaces.
      ["Signed contract, with schedule 2 initialled", "signed_contract", 2, staff.secondOfficer.name, REPLACED.toISOString(), null],
      ["Signed contract", "signed_contract", 1, world.officer.name, UPLOADED.toISOString(), second.value!.contractFileId],
    ]);
    expect(await bytesOf(contractId, first.value!.contractFileId)).toContain("first signature");
    expect(await bytesOf(contractId, second.value!.contractFileId)).toContain("second signature");

    // Version 1 cannot be replaced again: its latest version is the one to replace.
    const stale = await runAudited(db, (trx) =>
      addContractFile(trx, { contractId, kind: "other", title: "Third", replacesId: first.value!.contractFileId, file: { fileName: "v3.pdf", contents: pdf("third") } }, contextOf(world.officer, REPLACED), LINKS),
    );
    expect(stale.events).toEqual([]);
    expect([(stale.error as ActionRefused).field, stale.error!.message]).toEqual(["replacesId", 'Version 1 of "Signed contract" has already been replaced: choose its latest version']);

    // Nothing is changed or removed, whoever connects as the portal.
    await expect(db.updateTable("contract_file").set({ title: "Renamed" }).where("contract_id", "=", contractId).execute()).rejects.toThrow(/permission denied|append-only/);
    await expect(db.deleteFrom("contract_file").where("contract_id", "=", contractId).execute()).rejects.toThrow(/permission denied|append-only/);
  });

  it("only the council's commissioning officers add files; the provider downloads them and another provider is told they do not exist", async () => {
    const { contractId } = await awardedContract(db, world, staff, { kind: "short_breaks" });
    const contract = await getContract(db, contractId, world.officer);
    const thing = { kind: "contract" as const, councilId: contract.councilId, providerId: contract.providerId };
    const added = await run((trx) =>
      addContractFile(trx, { contractId, kind: "schedule", title: "Schedule 1: service specification", file: { fileName: "schedule-1.pdf", contents: pdf("schedule") } }, contextOf(world.officer, UPLOADED), LINKS),
    );

    expect(may(world.providerA, "contract.downloadFile", thing)).toEqual({ allowed: true });
    expect(await bytesOf(contractId, added.contractFileId)).toContain("schedule");
    expect(may(world.providerB, "contract.downloadFile", thing)).toMatchObject({ allowed: false, status: 404 });
    expect(may(world.otherCouncilOfficer, "contract.downloadFile", thing)).toMatchObject({ allowed: false, status: 404 });
    expect(may(world.providerA, "contract.addFile", thing)).toMatchObject({ allowed: false, status: 403 });
    expect(may(staff.evaluator, "contract.addFile", thing)).toMatchObject({ allowed: false, status: 403 });
    expect(may(world.officer, "contract.addFile", thing)).toEqual({ allowed: true });
    // Another contract's id with this file's id finds nothing.
    const { contractId: elsewhere } = await awardedContract(db, world, staff, { kind: "short_breaks", accept: false });
    expect(await findContractFile(db, elsewhere, added.contractFileId)).toBeNull();

    const byProvider = await runAudited(db, (trx) =>
      addContractFile(trx, { contractId, kind: "variation", title: "Our variation", file: { fileName: "v.pdf", contents: pdf("v") } }, contextOf(world.providerA, UPLOADED), LINKS),
    );
    expect(byProvider.events).toEqual([]);
    expect(byProvider.error!.message).toBe("Only the council's commissioning officers add files to a contract");
    const byOther = await runAudited(db, (trx) =>
      addContractFile(trx, { contractId, kind: "variation", title: "Theirs", file: { fileName: "v.pdf", contents: pdf("v") } }, contextOf(world.providerB, UPLOADED), LINKS),
    );
    expect(byOther.error).toBeInstanceOf(RecordNotFound);
    expect(byOther.events).toEqual([]);

    // A refused file saves nothing: a program renamed as a PDF, an empty title, no kind.
    const program = await runAudited(db, (trx) =>
      addContractFile(trx, { contractId, kind: "variation", title: "Variation 1", file: { fileName: "variation.pdf", contents: Buffer.from("MZ\x90\x00 not a pdf") } }, contextOf(world.officer, UPLOADED), LINKS),
    );
    expect(program.events).toEqual([]);
    expect((program.error as ActionRefused).field).toBe("file");
    const untitled = await runAudited(db, (trx) =>
      addContractFile(trx, { contractId, kind: "variation", title: "  ", file: { fileName: "v.pdf", contents: pdf("v") } }, contextOf(world.officer, UPLOADED), LINKS),
    );
    expect([(untitled.error as ActionRefused).field, untitled.error!.message]).toEqual(["title", "Enter the file's title"]);
    const kindless = await runAudited(db, (trx) =>
      addContractFile(trx, { contractId, kind: "minutes", title: "Minutes", file: { fileName: "v.pdf", contents: pdf("v") } }, contextOf(world.officer, UPLOADED), LINKS),
    );
    expect([(kindless.error as ActionRefused).field, kindless.error!.message]).toEqual(["kind", "Choose what the file is"]);
    expect((await listContractFiles(db, contractId)).map((f) => f.title)).toEqual(["Schedule 1: service specification"]);
  });

  it("a declined contract takes no files", async () => {
    const { contractId } = await awardedContract(db, world, staff, { kind: "residential_block", accept: false });
    await run((trx) => respondToContract(trx, { contractId, expectedVersion: 1, response: "decline", reason: "We no longer have the beds" }, contextOf(world.providerA, CONTRACT_SIGNED), LINKS));
    const { error, events } = await runAudited(db, (trx) =>
      addContractFile(trx, { contractId, kind: "signed_contract", title: "Signed", file: { fileName: "s.pdf", contents: pdf("s") } }, contextOf(world.officer, UPLOADED), LINKS),
    );
    expect(events).toEqual([]);
    expect(error!.message).toBe("The provider declined this contract, so no files are added to it");
  });
});
