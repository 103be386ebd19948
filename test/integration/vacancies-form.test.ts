// The all-homes vacancy form's action as the browser posts it: a well-formed
// save sends two statements and no transaction (the homes read with what the
// checks need; every vacancy, history row and the audit event written at the
// versions read, decision 058), reading neither the
// provider's homes for their names nor the list of needs again; a typed
// mistake is named with its home; another provider's home is not found.
import { beforeAll, describe, expect, it } from "vitest";
import { providerVacancies } from "#app/modules/vacancies/vacancies";
import * as vacancies from "#app/routes/vacancies";
import { useTestDatabase } from "#test/support/database";
import { buildMarketWorld, type MarketWorld } from "#test/support/market";
import { answer, portalContext, post } from "#test/support/portal-context";
import { QueryCounter } from "#test/support/query-counter";

const { db } = await useTestDatabase();
const counter = new QueryCounter();
const counted = db.withPlugin(counter);
let world: MarketWorld;
beforeAll(async () => {
  world = await buildMarketWorld(db);
}, 60_000);

/** The form as the page fills it in: every home of provider A at its current values, with `edit` applied to each home's fields. */
async function formOfProviderA(edit: (fields: Record<string, string | string[]>, index: number) => void = () => {}) {
  const fields: Record<string, string | string[]> = {};
  for (const [i, home] of (await providerVacancies(db, world.providerA.organisationId, new Date())).entries()) {
    const p = `home-${i + 1}`;
    const [year, month, day] = home.bedsFreeFrom ? home.bedsFreeFrom.on.split("-") : ["", "", ""];
    const own: Record<string, string | string[]> = {
      [`${p}-id`]: home.homeId,
      [`${p}-version`]: String(home.version),
      [`${p}-bedsFreeNow`]: String(home.bedsFreeNow ?? 0),
      [`${p}-from-day`]: day ?? "",
      [`${p}-from-month`]: month ?? "",
      [`${p}-from-year`]: year ?? "",
      [`${p}-fromBeds`]: home.bedsFreeFrom ? String(home.bedsFreeFrom.beds) : "",
      [`${p}-needs`]: home.needs,
    };
    edit(own, i);
    Object.assign(fields, own);
  }
  return fields;
}

const save = (fields: Record<string, string | string[]>) =>
  answer(() => vacancies.action({ request: post("/vacancies", fields), params: {}, context: portalContext(counted, world.providerA) }));

describe("the all-homes vacancy form", () => {
  it("saves in two statements when everything typed is well formed, however many homes changed", async () => {
    expect(await save(await formOfProviderA())).toMatchObject({ status: 302, location: "/vacancies" });
    counter.count = 0;
    expect(await save(await formOfProviderA())).toMatchObject({ status: 302, location: "/vacancies" });
    // Read the homes, and write every vacancy, history row and the audit event.
    expect(counter.count).toBe(2);
    const before = await providerVacancies(db, world.providerA.organisationId, new Date());
    counter.count = 0;
    const changed = await save(await formOfProviderA((fields, i) => i < 2 && (fields[`home-${i + 1}-bedsFreeNow`] = String(before[i]!.bedsFreeNow === 0 ? 1 : 0))));
    expect(changed).toMatchObject({ status: 302, location: "/vacancies" });
    expect(counter.count).toBe(2);
    const after = await providerVacancies(db, world.providerA.organisationId, new Date());
    expect(after.map((h) => h.version)).toEqual(before.map((h, i) => (i < 2 ? h.version + 1 : h.version)));
    expect(after.slice(0, 2).map((h) => h.bedsFreeNow)).toEqual(before.slice(0, 2).map((h) => (h.bedsFreeNow === 0 ? 1 : 0)));
  });

  it("names the home beside a typed mistake", async () => {
    const homes = await providerVacancies(db, world.providerA.organisationId, new Date());
    const result = await save(await formOfProviderA((fields, i) => i === 1 && (fields[`home-2-bedsFreeNow`] = "two")));
    expect(result.status).toBe(400);
    expect(result.data?.errors["home-2-bedsFreeNow"]).toBe(`Enter the beds free now at ${homes[1]!.homeName} as a whole number, 0 or more`);
  });

  it("answers not found for a form naming another provider's home, well formed or not", async () => {
    const theirs = (fields: Record<string, string | string[]>, i: number) => i === 0 && (fields["home-1-id"] = world.homes.newtonAbbot);
    expect((await save(await formOfProviderA(theirs))).status).toBe(404);
    expect((await save(await formOfProviderA((f, i) => (theirs(f, i), i === 1 && (f["home-2-bedsFreeNow"] = "-1"))))).status).toBe(404);
  });
});
