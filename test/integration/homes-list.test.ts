import { describe, expect, it } from "vitest";
import { listHomes, pageOfHomes } from "#app/modules/homes/homes";
import { seedDemo } from "#db/seed/demo";
import { useTestDatabase } from "#test/support/database";

const { db } = await useTestDatabase();
await seedDemo(db);

/** What a row of the homes list shows, worked out from the full record. */
const shown = (h: Awaited<ReturnType<typeof listHomes>>[number]) => ({
  id: h.id,
  name: h.name,
  providerName: h.providerName,
  serviceTypeLabel: h.serviceTypeLabel,
  postcodeDistrict: h.postcodeDistrict,
  registeredPlaces: h.registeredPlaces,
  latestGradeLabel: h.latestGradeLabel,
});

async function allPages(filter: { organisationId?: string }, pageSize: number) {
  const rows = [];
  const first = await pageOfHomes(db, { ...filter, page: 1, pageSize });
  const pages = Math.ceil(first.total / pageSize);
  for (let page = 1; page <= pages; page++) {
    const { homes, total } = await pageOfHomes(db, { ...filter, page, pageSize });
    expect(total).toBe(first.total);
    rows.push(...homes);
  }
  return { rows, total: first.total };
}

describe("the homes list, a page at a time", () => {
  it("shows every home once, in provider then name order, with what the full record says", async () => {
    const everyHome = await listHomes(db);
    expect(everyHome.length).toBeGreaterThan(20);
    const { rows, total } = await allPages({}, 7);
    expect(total).toBe(everyHome.length);
    expect(rows).toEqual(everyHome.map(shown));
  });

  it("carries only what the list shows, so a page is small to send", async () => {
    const { homes } = await pageOfHomes(db, { page: 1, pageSize: 1 });
    expect(Object.keys(homes[0]!).sort()).toEqual(
      ["id", "latestGradeLabel", "name", "postcodeDistrict", "providerName", "registeredPlaces", "serviceTypeLabel"],
    );
  });

  it("holds only one provider's homes when asked for them, and counts only those", async () => {
    const provider = (await listHomes(db))[0]!.organisationId;
    const own = await listHomes(db, { organisationId: provider });
    const { rows, total } = await allPages({ organisationId: provider }, 2);
    expect(total).toBe(own.length);
    expect(rows).toEqual(own.map(shown));
  });

  it("is empty past the last page and for an organisation id that is not one", async () => {
    const { total } = await pageOfHomes(db, { page: 1, pageSize: 50 });
    expect(await pageOfHomes(db, { page: Math.ceil(total / 50) + 1, pageSize: 50 })).toEqual({ homes: [], total });
    expect(await pageOfHomes(db, { organisationId: "not-an-id", page: 1, pageSize: 50 })).toEqual({ homes: [], total: 0 });
  });
});
