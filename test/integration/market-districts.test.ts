import { beforeAll, describe, expect, it } from "vitest";
import type { Trx } from "#app/database/schema";
import { verifyAuditTrail } from "#app/modules/audit/verify";
import { ActionRefused } from "#app/modules/errors";
import { applyDistrictImport, parseDistrictFile, previewDistrictImport } from "#app/modules/geography/districts";
import { runAudited } from "#test/support/audited";
import { useTestDatabase } from "#test/support/database";
import { buildMarketWorld, SAMPLE_DISTRICTS, type MarketWorld } from "#test/support/market";
import { contextOf } from "#test/support/tendering";

const { db } = await useTestDatabase();
let world: MarketWorld;
beforeAll(async () => {
  world = await buildMarketWorld(db);
}, 60_000);

const NOW = new Date("2027-01-04T09:00:00Z");

const run = <T>(work: (trx: Trx) => Promise<T>) => runAudited(db, work);

describe("reading a district centroid file", () => {
  it("reads the shared outcode file's columns, ignoring the others, with outcodes upper-cased", () => {
    const parsed = parseDistrictFile("outcode,easting,northing,latitude,longitude,town\nex4,292300,93500,50.73055,-3.52621,Exeter\n pl4 ,1,2,50.3748,-4.12803,\n");
    expect(parsed.format).toBe("outcode_centroids");
    expect(parsed.errors).toEqual([]);
    expect(parsed.districts).toEqual([
      { outcode: "EX4", latitude: 50.73055, longitude: -3.52621 },
      { outcode: "PL4", latitude: 50.3748, longitude: -4.12803 },
    ]);
  });

  it("reduces the ONS Postcode Directory's full postcodes to districts, averaging their coordinates, and skips postcodes it cannot place", () => {
    const parsed = parseDistrictFile(
      'pcd,oseast1m,lat,long\n"EX4 3AB",1,50.7,-3.5\nEX4  4EW,1,50.8,-3.6\nPL4 0DW,1,50.37,-4.12\nTR1 9ZZ,,99.999999,0.000000\n',
    );
    expect(parsed.format).toBe("ons_postcode_directory");
    expect(parsed.errors).toEqual([]);
    expect(parsed.rowsRead).toBe(4);
    expect(parsed.rowsSkipped).toBe(1);
    expect(parsed.districts).toEqual([
      { outcode: "EX4", latitude: 50.75, longitude: -3.55 },
      { outcode: "PL4", latitude: 50.37, longitude: -4.12 },
    ]);
  });

  it("names missing columns, on the header line", () => {
    expect(parseDistrictFile("outcode,latitude\nEX4,50.7\n").errors).toEqual([
      { line: 1, message: "The header has no longitude column (a district file needs outcode, latitude and longitude)" },
    ]);
    expect(parseDistrictFile("pcd,lat\nEX4 3AB,50.7\n").errors[0]).toMatchObject({ line: 1, message: expect.stringContaining("no long column") });
  });

  it("refuses a file in an unknown format, and an empty one", () => {
    expect(parseDistrictFile("postcode,x,y\nEX4,1,2\n")).toMatchObject({ format: null, errors: [{ line: 1, message: expect.stringContaining("not recognised") }] });
    expect(parseDistrictFile("")).toMatchObject({ format: null, errors: [{ line: 1, message: expect.stringContaining("empty") }] });
  });

  it("lists bad outcodes and coordinates and repeated districts with their line numbers", () => {
    const parsed = parseDistrictFile(
      ["outcode,latitude,longitude", "EX4,50.73,-3.52", "NOT A CODE,50.1,-3.1", "PL4,north,-4.1", "", "TR1,50.2,-120", "EX4,50.7,-3.5", '"TQ1",50.47,-3.52'].join("\r\n"),
    );
    expect(parsed.errors).toEqual([
      { line: 3, message: '"NOT A CODE" is not a postcode district (like EX4 or PL12)' },
      { line: 4, message: 'Latitude "north" is not a number between 49 and 61' },
      { line: 6, message: 'Longitude "-120" is not a number between -9 and 2.5' },
      { line: 7, message: "District EX4 is listed twice (first on line 2)" },
    ]);
    expect(parsed.districts.map((d) => d.outcode)).toEqual(["EX4", "TQ1"]);
  });

  it("counts lines inside a quoted field, so the numbers match the file", () => {
    const parsed = parseDistrictFile('outcode,latitude,longitude,town\nEX4,50.7,-3.5,"Exeter\nDevon"\nBAD!,50,-3,x\n');
    expect(parsed.errors).toEqual([{ line: 4, message: '"BAD!" is not a postcode district (like EX4 or PL12)' }]);
  });
});

describe("importing district centroids", () => {
  it("previews what would change, then applies it as one audited change with the counts", async () => {
    const text = "outcode,latitude,longitude\nEX4,50.73055,-3.52621\nEX1,50.8,-3.5\nSW1A,51.50,-0.14\n";
    const preview = await previewDistrictImport(db, { fileName: "corrections.csv", text });
    expect(preview.added).toEqual(["SW1A"]);
    expect(preview.updated).toEqual([{ outcode: "EX1", from: { latitude: 50.72543, longitude: -3.50479 }, to: { latitude: 50.8, longitude: -3.5 } }]);
    expect(preview.unchanged).toBe(1);

    const { value, events } = await run((trx) => applyDistrictImport(trx, { fileName: "corrections.csv", text }, contextOf(world.administrator, NOW)));
    expect(value).toMatchObject({ added: 1, updated: 1, unchanged: 1 });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: "postcode_districts.imported",
      summary: "Imported postcode district locations from corrections.csv: 1 added, 1 updated, 1 unchanged",
      after: expect.objectContaining({ "Districts added": 1, "Districts updated": 1, "Rows read": 3 }),
    });
    const ex1 = await db.selectFrom("postcode_district").selectAll().where("outcode", "=", "EX1").executeTakeFirstOrThrow();
    expect(ex1).toMatchObject({ latitude: 50.8, longitude: -3.5, import_id: value!.importId });
    const record = await db.selectFrom("postcode_district_import").selectAll().where("id", "=", value!.importId).executeTakeFirstOrThrow();
    expect(record).toMatchObject({ file_name: "corrections.csv", imported_by: world.administrator.userId, rows_read: 3, districts_added: 1, districts_updated: 1, districts_unchanged: 1 });
    // Districts the file did not list are kept.
    expect(await db.selectFrom("postcode_district").select("outcode").where("outcode", "=", "PL4").executeTakeFirst()).toBeDefined();
  });

  it("imports nothing from a file with errors, saying how many and where the first is", async () => {
    const before = await db.selectFrom("postcode_district").select(({ fn }) => fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    const { error, events } = await run((trx) =>
      applyDistrictImport(trx, { fileName: "bad.csv", text: "outcode,latitude,longitude\nBS2,51.45,-2.58\nZZ,1,1\n" }, contextOf(world.administrator, NOW)),
    );
    expect(error).toBeInstanceOf(ActionRefused);
    expect(error!.message).toBe('The file has 1 error; nothing was imported (line 3: "ZZ" is not a postcode district (like EX4 or PL12); latitude "1" is not a number between 49 and 61)');
    expect(events).toHaveLength(0);
    expect(await db.selectFrom("postcode_district").select(({ fn }) => fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).toEqual(before);
  });

  it("is refused to anyone but an administrator", async () => {
    const { error, events } = await run((trx) => applyDistrictImport(trx, { fileName: "x.csv", text: SAMPLE_DISTRICTS }, contextOf(world.officer, NOW)));
    expect(error).toBeInstanceOf(ActionRefused);
    expect(events).toHaveLength(0);
  });

  it("leaves the audit trail verifiable", async () => {
    expect((await verifyAuditTrail(db, { publicKey: null })).ok).toBe(true);
  });
});
