// OCDS publication: each published change to a tender is a release with its
// tag, kept as it was published, served as a release package that the
// official OCDS 1.1.5 schema accepts (decision 028).
import fs from "node:fs";
import path from "node:path";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { ocidFor, releasePackage } from "#app/modules/publication/ocds-releases";
import { amendTender, cancelTender } from "#app/modules/tendering/publication";
import * as releasesRoute from "#app/routes/ocds.releases[.]json";
import { useTestDatabase } from "#test/support/database";
import { OCDS_SCHEMA_DIR as SCHEMA_DIR, ocdsPackageValidator } from "#test/support/ocds-schema";
import { portalContext } from "#test/support/portal-context";
import { publishedCallOff, publishedDynamicMarket } from "#test/support/dynamic-markets";
import { buildTenderingWorld, contextOf, publishedTender, type TenderingWorld } from "#test/support/tendering";

const { db, ownerDb } = await useTestDatabase();
const NOW = new Date("2027-01-04T09:00:00Z");
const DAY = 86_400_000;
const TIMELINE = {
  publicationAt: "2027-01-04T09:00",
  clarificationDeadlineAt: "2027-01-25T12:00",
  submissionDeadlineAt: "2027-02-08T12:00",
  intendedAwardOn: "2027-03-01",
  intendedContractStartOn: "2027-04-01",
};
let world: TenderingWorld;
let amendedId: string;
let quietId: string;
let marketId: string;
let callOffId: string;

beforeAll(async () => {
  world = await buildTenderingWorld(db);
  const amended = await publishedTender(db, world, NOW, TIMELINE);
  amendedId = amended.id;
  await db.transaction().execute((trx) =>
    amendTender(trx, { tenderId: amended.id, expectedVersion: amended.version, reason: "A clearer title", details: { title: "Residential homes framework 2027" } }, contextOf(world.officer, new Date(NOW.getTime() + DAY)), { baseUrl: "http://portal.test" }),
  );
  await db.transaction().execute((trx) =>
    cancelTender(trx, { tenderId: amended.id, expectedVersion: amended.version + 1, reason: "The budget was withdrawn" }, contextOf(world.officer, new Date(NOW.getTime() + 2 * DAY)), { baseUrl: "http://portal.test" }),
  );
  quietId = (await publishedTender(db, world, NOW, TIMELINE)).id;
  const market = await publishedDynamicMarket(db, world, NOW);
  marketId = market.id;
  callOffId = await publishedCallOff(db, world, market, new Date(NOW.getTime() + DAY));
}, 60_000);

async function packageOf(ocid?: string) {
  let text = "";
  for await (const chunk of releasePackage(db, { ocid, uri: "http://portal.test/ocds/releases.json", publisherName: "Fernvale", publishedAt: NOW })) text += chunk;
  return JSON.parse(text) as { releases: Record<string, any>[]; version: string; publisher: { name: string } };
}

describe("OCDS releases", () => {
  it("publishes a tender, then each amendment and its cancellation, as releases tagged in order and kept as they were", async () => {
    const { releases } = await packageOf(ocidFor(amendedId));
    expect(releases.map((r) => r.tag)).toEqual([["tender"], ["tenderAmendment"], ["tenderCancellation"]]);
    expect(new Set(releases.map((r) => r.id)).size).toBe(3);
    expect(releases.map((r) => r.date)).toEqual([NOW.toISOString(), new Date(NOW.getTime() + DAY).toISOString(), new Date(NOW.getTime() + 2 * DAY).toISOString()]);
    const [published, amendment, cancellation] = releases;
    // What was said at publication is not rewritten by the later amendment.
    expect(published!.tender.title).toBe("Residential homes framework");
    expect(published!.tender.amendments).toEqual([]);
    expect(amendment!.tender.title).toBe("Residential homes framework 2027");
    expect(amendment!.tender.amendments).toEqual([expect.objectContaining({ id: "1", rationale: "A clearer title" })]);
    expect(cancellation!.tender.status).toBe("cancelled");
    expect(published!.tender.status).toBe("active");
    // Light touch, lots and values in GBP, the buyer as a party.
    expect(published!.tender.specialRegime).toEqual(["lightTouch"]);
    expect(published!.tender.lots).toEqual([{ id: "1", title: "First lot", status: "active", value: { amount: 100_000, currency: "GBP" } }]);
    expect(published!.tender.value).toEqual({ amount: 100_000, currency: "GBP" });
    // The planning stage: the budget is the lots' estimated values until an award is approved against a budget line.
    expect(published!.planning.budget).toEqual({ description: "The lots' estimated values added up", amount: { amount: 100_000, currency: "GBP" } });
    expect(published!.tender.expressionOfInterestDeadline).toBeUndefined();
    expect(published!.parties).toEqual([expect.objectContaining({ id: world.councilId, roles: ["buyer", "procuringEntity"] })]);
    expect(published!.buyer).toEqual({ id: world.councilId, name: expect.stringMatching(/^Fernvale County Council/) });
    expect(published!.ocid).toBe(ocidFor(amendedId));
  });

  it("links a call-off competition to the dynamic market it calls off, by ocid, as a process that follows on from a framework", async () => {
    const [callOff] = (await packageOf(ocidFor(callOffId))).releases;
    expect(callOff!.tag).toEqual(["tender"]);
    expect(callOff!.relatedProcesses).toEqual([
      { id: "1", relationship: ["framework"], title: "Short breaks dynamic market", scheme: "ocid", identifier: ocidFor(marketId) },
    ]);
    // The market itself follows on from nothing.
    const [market] = (await packageOf(ocidFor(marketId))).releases;
    expect(market!.relatedProcesses).toBeUndefined();
  });

  it("serves every contracting process without ?ocid, and only that one with it", async () => {
    const all = await packageOf();
    const ocids = new Set(all.releases.map((r) => r.ocid));
    expect(ocids).toEqual(new Set([ocidFor(amendedId), ocidFor(quietId), ocidFor(marketId), ocidFor(callOffId)]));
    expect((await packageOf(ocidFor(quietId))).releases.map((r) => r.tag)).toEqual([["tender"]]);
  });

  it("keeps a release as published: the runtime login may neither change nor remove one", async () => {
    await expect(db.updateTable("ocds_release").set({ release: "{}" }).where("tender_id", "=", amendedId).execute()).rejects.toThrow(/permission denied/);
    await expect(db.deleteFrom("ocds_release").where("tender_id", "=", amendedId).execute()).rejects.toThrow(/permission denied/);
    // Even the owner is refused by the trigger.
    await expect(ownerDb().deleteFrom("ocds_release").where("tender_id", "=", amendedId).execute()).rejects.toThrow();
  });

  it("answers an unknown or malformed ocid with a JSON error, and streams the package otherwise", async () => {
    const call = (query: string) =>
      releasesRoute.loader({ request: new Request(`http://portal.test/ocds/releases.json${query}`), params: {}, context: portalContext(db, null) } as unknown as LoaderFunctionArgs);
    const unknown = await call("?ocid=ocds-portal-00000000-0000-4000-8000-000000000000");
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(await unknown.json()).toEqual({ error: "No contracting process has the ocid ocds-portal-00000000-0000-4000-8000-000000000000" });
    const malformed = await call("?ocid=%00%3Cscript%3E");
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error).toMatch(/letters, digits and hyphens/);
    const one = await call(`?ocid=${ocidFor(quietId)}`);
    expect(one.status).toBe(200);
    const body = (await one.json()) as { releases: unknown[]; uri: string };
    expect(body.releases).toHaveLength(1);
    expect(body.uri).toBe(`http://portal.test/ocds/releases.json?ocid=${ocidFor(quietId)}`);
  });
});

// The official schema, copied unchanged from open-contracting/standard tag
// 1__1__5 into test/fixtures/ocds-1.1.5 (see its SOURCE.md), so the export is
// validated on every machine; where ../shared/ocds-1.1.5 (the copy the project
// was given) is present, the fixture must still be identical to it.
const SHARED_DIR = path.resolve(import.meta.dirname, "../../../shared/ocds-1.1.5");
const SCHEMA_FILES = ["release-package-schema.json", "release-schema.json", "codelists/releaseTag.csv"];

describe("OCDS 1.1.5 schema", () => {
  it("accepts the whole release package (release-package-schema.json with release-schema.json)", async () => {
    // Where the project's own copy is on the machine, the fixture is still exactly it.
    if (fs.existsSync(SHARED_DIR)) {
      for (const name of SCHEMA_FILES) expect(fs.readFileSync(path.join(SCHEMA_DIR, name), "utf8"), name).toBe(fs.readFileSync(path.join(SHARED_DIR, name), "utf8"));
    }
    const validate = ocdsPackageValidator();
    const pkg = await packageOf();
    expect(pkg.releases.length).toBeGreaterThanOrEqual(6);
    // A call-off's link to its market is in the package the schema accepts.
    expect(pkg.releases.filter((r) => r.relatedProcesses)).toContainEqual(expect.objectContaining({ ocid: ocidFor(callOffId) }));
    const ok = validate(pkg);
    expect(validate.errors ?? [], "schema errors").toEqual([]);
    expect(ok).toBe(true);
    // The tags are from the closed releaseTag codelist.
    const tags = fs.readFileSync(path.join(SCHEMA_DIR, "codelists/releaseTag.csv"), "utf8").split("\n").slice(1).map((l) => l.split(",")[0]!.trim()).filter(Boolean);
    for (const r of pkg.releases) for (const t of r.tag as string[]) expect(tags).toContain(t);
    // Related processes use the relatedProcess codelist (open) as published, and the closed relatedProcessScheme one.
    const codes = (name: string) => fs.readFileSync(path.join(SCHEMA_DIR, "codelists", name), "utf8").split("\n").slice(1).map((l) => l.split(",")[0]!.trim()).filter(Boolean);
    const relationships = codes("relatedProcess.csv");
    const schemes = codes("relatedProcessScheme.csv");
    for (const r of pkg.releases) {
      for (const p of (r.relatedProcesses ?? []) as { relationship: string[]; scheme: string }[]) {
        for (const code of p.relationship) expect(relationships).toContain(code);
        expect(schemes).toContain(p.scheme);
      }
    }
  });
});

describe("tenders published before releases were kept", () => {
  it("get a tender release dated at publication, and a cancellation release, once", async () => {
    const { publishEarlierTenders } = await import("#app/modules/publication/ocds-releases");
    const earlier = await publishedTender(db, world, NOW, TIMELINE);
    // As an older portal left it: published, with no release. Only the owner can remove one, with the trigger off.
    await ownerDb().transaction().execute(async (trx) => {
      await sql`SET LOCAL session_replication_role = replica`.execute(trx);
      await trx.deleteFrom("ocds_release").where("tender_id", "=", earlier.id).execute();
    });
    await db.transaction().execute((trx) =>
      cancelTender(trx, { tenderId: earlier.id, expectedVersion: earlier.version, reason: "Merged into another tender" }, contextOf(world.officer, new Date(NOW.getTime() + DAY)), { baseUrl: "http://portal.test" }),
    );
    await ownerDb().transaction().execute(async (trx) => {
      await sql`SET LOCAL session_replication_role = replica`.execute(trx);
      await trx.deleteFrom("ocds_release").where("tender_id", "=", earlier.id).execute();
    });
    expect(await db.transaction().execute((trx) => publishEarlierTenders(trx))).toBe(1);
    expect(await db.transaction().execute((trx) => publishEarlierTenders(trx))).toBe(0);
    const { releases } = await packageOf(ocidFor(earlier.id));
    expect(releases.map((r) => [r.tag[0], r.date])).toEqual([
      ["tender", NOW.toISOString()],
      ["tenderCancellation", new Date(NOW.getTime() + DAY).toISOString()],
    ]);
  });
});
