import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyAuditTrail } from "#app/modules/audit/verify";
import { ukDate } from "#app/modules/common/input";
import { addDaysToDay } from "#app/modules/tendering/timeline";
import { financialYear, shortBreakReport } from "#app/modules/utilisation/short-breaks";
import { utilisationFigures } from "#app/modules/utilisation/utilisation";
import { seedDemo } from "#db/seed/demo";
import { useTestDatabase } from "#test/support/database";

const { db } = await useTestDatabase();
const now = new Date();
beforeAll(async () => {
  await seedDemo(db);
}, 180_000);

describe("the demo's block beds and short breaks", () => {
  it("has one block contract of 12 beds used about 85% of the nights so far, below its 90% target", async () => {
    const contracts = await db.selectFrom("block_contract").select(["id", "reference"]).execute();
    expect(contracts).toHaveLength(1);
    expect(await db.selectFrom("block_bed").select("id").execute()).toHaveLength(12);
    const rows = await utilisationFigures(db, { period: { from: "2026-10-01", to: addDaysToDay(ukDate(now), -1) }, by: "month" });
    const total = rows.find((r) => r.contractId === null && r.periodStart === null)!;
    expect(total.utilisationPercent).toBeGreaterThan(75);
    expect(total.utilisationPercent).toBeLessThan(95);
    expect(total.unavailableNights).toBeGreaterThan(0);
    expect(total.voidNights).toBeGreaterThan(0);
  });

  it("fills block beds from the demo's placements too, and never counts one bed's night twice", async () => {
    const stays = await db.selectFrom("block_bed_stay").select(["bed_id", "nights", "placement_id"]).execute();
    expect(stays.filter((s) => s.placement_id !== null).length).toBeGreaterThan(0);
    expect(stays.filter((s) => s.placement_id === null).length).toBeGreaterThan(0);
    const { rows } = await sql<{ clashes: number }>`
      SELECT count(*)::int AS clashes FROM block_bed_stay a JOIN block_bed_stay b
          ON a.bed_id = b.bed_id AND a.nights && b.nights AND (a.placement_id IS DISTINCT FROM b.placement_id OR a.child_reference <> b.child_reference)`.execute(db);
    expect(rows[0]!.clashes).toBe(0);
  });

  it("has short breaks booked at two homes, split between health and the council, one past the reg. 48 limits with its reason", async () => {
    const report = await shortBreakReport(db, { year: financialYear("2027-01-01"), tonight: ukDate(now) });
    expect(report.contracts).toHaveLength(2);
    expect(report.total.nightsPerYear).toBe(1500);
    expect(report.total.bookedNights).toBeGreaterThan(100);
    expect(report.total.healthPence).toBeGreaterThan(0);
    expect(report.total.councilPence).toBeGreaterThan(report.total.healthPence);
    expect(report.children.filter((c) => c.flaggedBookings > 0).map((c) => c.childReference)).toEqual(["SB-2041"]);
  });

  it("is all in a verifiable audit trail", async () => {
    expect((await verifyAuditTrail(db, { publicKey: null })).ok).toBe(true);
  });
});
