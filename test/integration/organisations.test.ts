import type { KyselyPlugin } from "kysely";
import { describe, expect, it } from "vitest";
import type { Trx } from "#app/database/schema";
import { createAgreement, getAgreement, listAgreements, type NewAgreement } from "#app/modules/agreements/agreements";
import { ActionRefused, ConcurrentEditError } from "#app/modules/errors";
import { createHome, getHome, listHomes, recordOfstedJudgement, type NewHome } from "#app/modules/homes/homes";
import { systemContext } from "#app/modules/identity/actor";
import {
  consortiumMembers,
  createConsortium,
  createCouncil,
  createProvider,
  getOrganisation,
  listConsortia,
  listOrganisations,
  updateOrganisation,
  type OrganisationDetails,
} from "#app/modules/organisations/organisations";
import { useTestDatabase } from "#test/support/database";

const { db } = await useTestDatabase();

async function headSeq() {
  return (await db.selectFrom("audit_chain_head").select("seq").executeTakeFirstOrThrow()).seq;
}

async function eventsAfter(seq: number) {
  const rows = await db.selectFrom("audit_event").selectAll().where("seq", ">", seq).orderBy("seq").execute();
  return rows.map((r) => ({ action: r.action, summary: r.summary, subjects: r.subjects as { type: string; id: string }[], before: r.before, after: r.after, reason: r.reason }));
}

/** Runs `work` in a transaction and expects it to be refused for `field`, with nothing written. */
async function expectRefused(work: (trx: Trx) => Promise<unknown>, field: string, message?: RegExp) {
  const before = await headSeq();
  const error = await db
    .transaction()
    .execute(work)
    .then(
      () => null,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(ActionRefused);
  expect((error as ActionRefused).field).toBe(field);
  if (message) expect((error as ActionRefused).message).toMatch(message);
  expect(await headSeq()).toBe(before);
}

let counter = 0;
function provider(overrides: Partial<OrganisationDetails> = {}): OrganisationDetails {
  counter++;
  return {
    name: `Test Provider ${counter} Ltd`,
    companiesHouseNumber: `0${String(7_000_000 + counter)}`,
    addressLine1: `${counter} Harbour Street`,
    town: "Plymouth",
    postcode: "PL1 2AB",
    ...overrides,
  };
}

const ctx = () => systemContext("test");

describe("registering councils and providers", () => {
  it("audits each new organisation with its id as subject and a plain summary, tidying what was typed", async () => {
    const start = await headSeq();
    const { council, supplier } = await db.transaction().execute(async (trx) => ({
      council: await createCouncil(trx, { name: "  Fernvale County Council ", postcode: "ex4 3ab" }, ctx()),
      supplier: await createProvider(
        trx,
        { name: "Gull Rock Homes Ltd", companiesHouseNumber: "sc 123 456", charityNumber: "1123456", addressLine1: "1 Quay", town: "Truro", postcode: "tr13ab" },
        ctx(),
      ),
    }));
    const events = await eventsAfter(start);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      action: "organisation.created",
      summary: "Added council Fernvale County Council",
      subjects: [{ type: "organisation", id: council.id }],
    });
    expect(events[1]).toMatchObject({
      action: "organisation.created",
      summary: "Registered provider Gull Rock Homes Ltd (Companies House SC123456, charity 1123456)",
      subjects: [{ type: "organisation", id: supplier.id }],
    });
    const stored = await getOrganisation(db, supplier.id);
    expect(stored).toMatchObject({ kind: "provider", companiesHouseNumber: "SC123456", postcode: "TR1 3AB", version: 1 });
    expect(await getOrganisation(db, council.id)).toMatchObject({ kind: "council", name: "Fernvale County Council", postcode: "EX4 3AB" });
  });

  it("restores the leading zero a spreadsheet drops from a Companies House number", async () => {
    const { id } = await db.transaction().execute((trx) => createProvider(trx, provider({ companiesHouseNumber: "9876543" }), ctx()));
    expect((await getOrganisation(db, id))?.companiesHouseNumber).toBe("09876543");
  });

  it("refuses bad details with a message naming the field, and writes nothing", async () => {
    await expectRefused((trx) => createCouncil(trx, { name: "   " }, ctx()), "name", /Enter the council's name/);
    await expectRefused((trx) => createProvider(trx, provider({ companiesHouseNumber: "12345" }), ctx()), "companiesHouseNumber", /8 characters/);
    await expectRefused((trx) => createProvider(trx, provider({ companiesHouseNumber: "ABC12345" }), ctx()), "companiesHouseNumber");
    await expectRefused(
      (trx) => createProvider(trx, provider({ companiesHouseNumber: null, charityNumber: null }), ctx()),
      "companiesHouseNumber",
      /Companies House number, or a charity number/,
    );
    await expectRefused((trx) => createProvider(trx, provider({ charityNumber: "12A" }), ctx()), "charityNumber", /Charity number/);
    await expectRefused((trx) => createProvider(trx, provider({ postcode: "EX4" }), ctx()), "postcode", /full UK postcode/);
    await expectRefused((trx) => createProvider(trx, provider({ postcode: "" }), ctx()), "postcode", /postcode of the registered address/);
    await expectRefused((trx) => createProvider(trx, provider({ town: "" }), ctx()), "town");
    await expectRefused((trx) => createProvider(trx, provider({ addressLine1: undefined }), ctx()), "addressLine1");
    await expectRefused((trx) => createProvider(trx, provider({ name: "x".repeat(201) }), ctx()), "name", /200 characters or fewer/);
  });

  it("accepts a charity that is not a company without a Companies House number", async () => {
    const { id } = await db
      .transaction()
      .execute((trx) => createProvider(trx, provider({ companiesHouseNumber: "", charityNumber: "1187654" }), ctx()));
    expect(await getOrganisation(db, id)).toMatchObject({ companiesHouseNumber: null, charityNumber: "1187654" });
  });

  it("refuses a second organisation with the same Companies House number or name, saying who has it", async () => {
    const first = provider({ companiesHouseNumber: "11111111" });
    await db.transaction().execute((trx) => createProvider(trx, first, ctx()));
    await expectRefused(
      (trx) => createProvider(trx, provider({ companiesHouseNumber: "11111111" }), ctx()),
      "companiesHouseNumber",
      new RegExp(`already registered to ${first.name}`),
    );
    await expectRefused((trx) => createProvider(trx, provider({ name: first.name.toUpperCase() }), ctx()), "name", /already registered/);
  });

  it("finds nothing for an unknown id or for text that is not an id", async () => {
    expect(await getOrganisation(db, "00000000-0000-4000-8000-000000000000")).toBeNull();
    expect(await getOrganisation(db, "not-an-id")).toBeNull();
    expect(await getOrganisation(db, "1 OR 1=1")).toBeNull();
  });

  it("lists organisations by name, optionally only one kind", async () => {
    const councils = await listOrganisations(db, { kind: "council" });
    const providers = await listOrganisations(db, { kind: "provider" });
    const all = await listOrganisations(db);
    expect(councils.every((o) => o.kind === "council")).toBe(true);
    expect(providers.every((o) => o.kind === "provider")).toBe(true);
    expect(all).toHaveLength(councils.length + providers.length);
    const names = all.map((o) => o.name);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });
});

describe("editing an organisation", () => {
  it("records what changed, before and after, with the reason, and moves the version on", async () => {
    const details = provider();
    const { id } = await db.transaction().execute((trx) => createProvider(trx, details, ctx()));
    const start = await headSeq();
    const result = await db.transaction().execute((trx) =>
      updateOrganisation(
        trx,
        { organisationId: id, expectedVersion: 1, details: { ...details, name: "Renamed Care Ltd", postcode: "pl4 0dw" }, reason: "Company renamed" },
        ctx(),
      ),
    );
    expect(result).toEqual({ changed: true, version: 2 });
    const [event, ...others] = await eventsAfter(start);
    expect(others).toHaveLength(0);
    expect(event).toMatchObject({
      action: "organisation.updated",
      subjects: [{ type: "organisation", id }],
      before: { name: details.name, postcode: "PL1 2AB" },
      after: { name: "Renamed Care Ltd", postcode: "PL4 0DW" },
      reason: "Company renamed",
    });
    expect(event?.summary).toBe(`Updated Renamed Care Ltd: name, postcode (was ${details.name})`);
  });

  it("refuses a save based on a stale version and leaves the record and the trail as they were", async () => {
    const details = provider();
    const { id } = await db.transaction().execute((trx) => createProvider(trx, details, ctx()));
    await db.transaction().execute((trx) =>
      updateOrganisation(trx, { organisationId: id, expectedVersion: 1, details: { ...details, town: "Exeter" } }, ctx()),
    );
    const start = await headSeq();
    await expect(
      db.transaction().execute((trx) =>
        updateOrganisation(trx, { organisationId: id, expectedVersion: 1, details: { ...details, name: "Stale Edit Ltd" } }, ctx()),
      ),
    ).rejects.toBeInstanceOf(ConcurrentEditError);
    expect(await getOrganisation(db, id)).toMatchObject({ name: details.name, town: "Exeter", version: 2 });
    expect(await headSeq()).toBe(start);
  });

  it("lets exactly one of two people saving the same version at the same moment succeed", async () => {
    const details = provider();
    const { id } = await db.transaction().execute((trx) => createProvider(trx, details, ctx()));
    const results = await Promise.allSettled(
      ["First Edit Ltd", "Second Edit Ltd"].map((name) =>
        db.transaction().execute((trx) => updateOrganisation(trx, { organisationId: id, expectedVersion: 1, details: { ...details, name } }, ctx())),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.reason).toBeInstanceOf(ConcurrentEditError);
    expect((await getOrganisation(db, id))?.version).toBe(2);
  });

  it("writes nothing when saved without a change", async () => {
    const details = provider();
    const { id } = await db.transaction().execute((trx) => createProvider(trx, details, ctx()));
    const start = await headSeq();
    const result = await db
      .transaction()
      .execute((trx) => updateOrganisation(trx, { organisationId: id, expectedVersion: 1, details: { ...details, town: ` ${details.town} ` } }, ctx()));
    expect(result).toEqual({ changed: false, version: 1 });
    expect(await headSeq()).toBe(start);
  });
});

async function makeCouncils(names: string[]) {
  return db.transaction().execute(async (trx) => {
    const ids: string[] = [];
    for (const name of names) ids.push((await createCouncil(trx, { name }, ctx())).id);
    return ids;
  });
}

describe("consortia", () => {
  it("creates a consortium led by one council, audited once with every member as a subject", async () => {
    const [lead, a, b] = (await makeCouncils(["Lead Test Council", "Member A Council", "Member B Council"])) as [string, string, string];
    const start = await headSeq();
    const { id } = await db
      .transaction()
      .execute((trx) => createConsortium(trx, { name: "Test Placements Consortium", leadCouncilId: lead, memberCouncilIds: [a, b], joinedOn: "2025-04-01" }, ctx()));
    const events = await eventsAfter(start);
    expect(events).toHaveLength(1);
    expect(events[0]?.action).toBe("consortium.created");
    expect(events[0]?.summary).toMatch(/^Created consortium Test Placements Consortium, led by Lead Test Council, with 3 member councils/);
    expect(events[0]?.subjects).toEqual([
      { type: "consortium", id },
      { type: "organisation", id: lead },
      { type: "organisation", id: a },
      { type: "organisation", id: b },
    ]);
    const members = await consortiumMembers(db, id);
    expect(members.map((m) => [m.name, m.isLead, m.joinedOn])).toEqual([
      ["Lead Test Council", true, "2025-04-01"],
      ["Member A Council", false, "2025-04-01"],
      ["Member B Council", false, "2025-04-01"],
    ]);
    expect((await listConsortia(db)).find((c) => c.id === id)).toMatchObject({ leadCouncilName: "Lead Test Council", memberCount: 3 });
  });

  it("refuses providers as members, a consortium of one, and impossible dates", async () => {
    const [lead, other] = (await makeCouncils(["Solo Lead Council", "Other Member Council"])) as [string, string];
    const supplier = await db.transaction().execute((trx) => createProvider(trx, provider(), ctx()));
    const base = { name: "Refused Consortium", leadCouncilId: lead, memberCouncilIds: [other], joinedOn: "2025-04-01" };
    await expectRefused((trx) => createConsortium(trx, { ...base, memberCouncilIds: [supplier.id] }, ctx()), "memberCouncilIds", /provider, not a council/);
    await expectRefused((trx) => createConsortium(trx, { ...base, leadCouncilId: supplier.id }, ctx()), "leadCouncilId");
    await expectRefused((trx) => createConsortium(trx, { ...base, memberCouncilIds: [lead] }, ctx()), "memberCouncilIds", /at least one council/);
    await expectRefused((trx) => createConsortium(trx, { ...base, joinedOn: "2025-02-30" }, ctx()), "joinedOn", /real date/);
  });
});

describe("agreements", () => {
  async function setUp() {
    const [lead, member, outsider] = (await makeCouncils([`Agreement Lead ${++counter}`, `Agreement Member ${counter}`, `Outsider ${counter}`])) as [
      string,
      string,
      string,
    ];
    const consortium = await db
      .transaction()
      .execute((trx) => createConsortium(trx, { name: `Agreement Consortium ${counter}`, leadCouncilId: lead, memberCouncilIds: [member], joinedOn: "2025-04-01" }, ctx()));
    const input: NewAgreement = {
      reference: `test-res-${counter}`,
      kind: "residential_framework",
      title: "Residential framework",
      description: "Placements in children's homes",
      consortiumId: consortium.id,
      leadCouncilId: lead,
      participatingCouncilIds: [member],
      termStart: "2027-04-01",
      termEnd: "2031-03-31",
      estimatedValuePence: 4_800_000_000,
      lots: [
        { number: 1, title: "Standard residential", estimatedValuePence: 2_400_000_000 },
        { number: 2, title: "Complex needs and therapeutic", description: "Solo homes" },
      ],
    };
    return { lead, member, outsider, consortiumId: consortium.id, input };
  }

  it("creates an agreement with its lots and councils: one event for it and one per lot", async () => {
    const { lead, member, consortiumId, input } = await setUp();
    const start = await headSeq();
    const { id, lotIds } = await db.transaction().execute((trx) => createAgreement(trx, input, ctx()));
    const events = await eventsAfter(start);
    expect(events.map((e) => e.action)).toEqual(["agreement.created", "lot.created", "lot.created"]);
    expect(events[0]?.summary).toBe(
      `Created Residential children's homes framework ${input.reference.toUpperCase()} "Residential framework", led by Agreement Lead ${counter}, 1 April 2027 to 31 March 2031, estimated at £48,000,000, with 2 lots`,
    );
    expect(events[0]?.subjects).toEqual([
      { type: "agreement", id },
      { type: "consortium", id: consortiumId },
      { type: "organisation", id: lead },
      { type: "organisation", id: member },
    ]);
    expect(events[1]?.subjects).toEqual([
      { type: "lot", id: lotIds[0] },
      { type: "agreement", id },
    ]);
    expect(events[1]?.summary).toBe(`Added lot 1 "Standard residential" to ${input.reference.toUpperCase()}, estimated at £24,000,000`);

    const agreement = await getAgreement(db, id);
    expect(agreement).toMatchObject({
      reference: input.reference.toUpperCase(),
      kindLabel: "Residential children's homes framework",
      priceBasis: "Weekly fee per placement, by need band",
      status: "planned",
      termStart: "2027-04-01",
      termEnd: "2031-03-31",
      estimatedValuePence: 4_800_000_000,
    });
    expect(agreement?.lots.map((l) => [l.number, l.title, l.estimatedValuePence])).toEqual([
      [1, "Standard residential", 2_400_000_000],
      [2, "Complex needs and therapeutic", null],
    ]);
    expect(agreement?.participatingCouncils.map((c) => [c.id, c.isLead])).toEqual([
      [lead, true],
      [member, false],
    ]);
    expect((await listAgreements(db, { councilId: member })).map((a) => a.id)).toContain(id);
    expect((await listAgreements(db)).find((a) => a.id === id)).toMatchObject({ lotCount: 2, councilCount: 2 });
    expect(await getAgreement(db, "nope")).toBeNull();
  });

  it("refuses bad agreements with a message naming the field, and writes nothing", async () => {
    const { outsider, input } = await setUp();
    const supplier = await db.transaction().execute((trx) => createProvider(trx, provider(), ctx()));
    await expectRefused((trx) => createAgreement(trx, { ...input, termEnd: "2027-03-31" }, ctx()), "termEnd", /after the start date/);
    await expectRefused((trx) => createAgreement(trx, { ...input, termEnd: "2036-04-01" }, ctx()), "termEnd", /8 years at most/);
    await expectRefused((trx) => createAgreement(trx, { ...input, termStart: "01/04/2027" }, ctx()), "termStart", /real date/);
    await expectRefused((trx) => createAgreement(trx, { ...input, lots: [] }, ctx()), "lots", /at least one lot/);
    await expectRefused(
      (trx) => createAgreement(trx, { ...input, lots: [{ number: 1, title: "A" }, { number: 1, title: "B" }] }, ctx()),
      "lots[1].number",
      /two lots numbered 1/,
    );
    await expectRefused((trx) => createAgreement(trx, { ...input, lots: [{ number: 1, title: " " }] }, ctx()), "lots[0].title");
    await expectRefused(
      (trx) => createAgreement(trx, { ...input, estimatedValuePence: 1_000_000_000 }, ctx()),
      "estimatedValuePence",
      /add up to £24,000,000, more than the agreement's £10,000,000/,
    );
    await expectRefused((trx) => createAgreement(trx, { ...input, estimatedValuePence: 12.5 }, ctx()), "estimatedValuePence", /whole number of pence/);
    await expectRefused((trx) => createAgreement(trx, { ...input, leadCouncilId: supplier.id }, ctx()), "leadCouncilId", /provider, not a council/);
    await expectRefused(
      (trx) => createAgreement(trx, { ...input, participatingCouncilIds: [outsider] }, ctx()),
      "participatingCouncilIds",
      /is not a member of/,
    );
    await expectRefused((trx) => createAgreement(trx, { ...input, reference: "x" }, ctx()), "reference");
    await db.transaction().execute((trx) => createAgreement(trx, input, ctx()));
    await expectRefused((trx) => createAgreement(trx, input, ctx()), "reference", /already exists/);
  });
});

describe("homes and Ofsted judgements", () => {
  async function aProvider() {
    const details = provider();
    const { id } = await db.transaction().execute((trx) => createProvider(trx, details, ctx()));
    return { id, name: details.name };
  }
  const home = (organisationId: string, overrides: Partial<NewHome> = {}): NewHome => ({
    organisationId,
    name: `Willow House ${++counter}`,
    serviceType: "childrens_home",
    ofstedUrn: `SC${String(100_000 + counter)}`,
    registeredPlaces: 4,
    postcodeDistrict: "EX4",
    latitude: 50.7306,
    longitude: -3.5262,
    ...overrides,
  });

  it("adds a home to a provider, audited with the home and its provider as subjects", async () => {
    const supplier = await aProvider();
    const start = await headSeq();
    const input = home(supplier.id, { postcodeDistrict: "tq12 5ab", ofstedUrn: "sc 654321" });
    const { id } = await db.transaction().execute((trx) => createHome(trx, input, ctx()));
    const [event, ...rest] = await eventsAfter(start);
    expect(rest).toHaveLength(0);
    expect(event).toMatchObject({
      action: "home.created",
      summary: `Added children's home ${input.name} (TQ12, 4 places, URN SC654321) for ${supplier.name}`,
      subjects: [
        { type: "home", id },
        { type: "organisation", id: supplier.id },
      ],
    });
    expect(await getHome(db, id)).toMatchObject({ postcodeDistrict: "TQ12", ofstedUrn: "SC654321", latestGrade: null, judgements: [] });
  });

  it("refuses homes for councils and bad details, naming the field", async () => {
    const supplier = await aProvider();
    const [council] = (await makeCouncils([`Home Council ${++counter}`])) as [string];
    await expectRefused((trx) => createHome(trx, home(council), ctx()), "organisationId", /only be added to a provider/);
    await expectRefused((trx) => createHome(trx, home(supplier.id, { postcodeDistrict: "Exeter" }), ctx()), "postcodeDistrict", /like EX4 or TQ12/);
    await expectRefused((trx) => createHome(trx, home(supplier.id, { registeredPlaces: 0 }), ctx()), "registeredPlaces", /between 1 and 100/);
    await expectRefused((trx) => createHome(trx, home(supplier.id, { registeredPlaces: 2.5 }), ctx()), "registeredPlaces");
    await expectRefused((trx) => createHome(trx, home(supplier.id, { ofstedUrn: "URN-1" }), ctx()), "ofstedUrn", /like SC123456/);
    await expectRefused((trx) => createHome(trx, home(supplier.id, { latitude: 40.1 }), ctx()), "latitude");
    await expectRefused((trx) => createHome(trx, home(supplier.id, { longitude: null }), ctx()), "longitude", /both latitude and longitude/);
    await expectRefused((trx) => createHome(trx, home(supplier.id, { name: "" }), ctx()), "name");
    const taken = home(supplier.id);
    await db.transaction().execute((trx) => createHome(trx, taken, ctx()));
    await expectRefused((trx) => createHome(trx, home(supplier.id, { ofstedUrn: taken.ofstedUrn }), ctx()), "ofstedUrn", /already registered/);
    await expectRefused((trx) => createHome(trx, home(supplier.id, { name: taken.name }), ctx()), "name", /already has a home called/);
  });

  it("keeps every inspection and lists each home with its latest grade, even when an older one is recorded last", async () => {
    const supplier = await aProvider();
    const { a, b, c } = await db.transaction().execute(async (trx) => ({
      a: (await createHome(trx, home(supplier.id, { name: "Alder House" }), ctx())).id,
      b: (await createHome(trx, home(supplier.id, { name: "Beech House" }), ctx())).id,
      c: (await createHome(trx, home(supplier.id, { name: "Cedar House" }), ctx())).id,
    }));
    const start = await headSeq();
    await db.transaction().execute(async (trx) => {
      await recordOfstedJudgement(trx, { homeId: a, inspectedOn: "2023-05-10", grade: 3 }, ctx());
      await recordOfstedJudgement(trx, { homeId: a, inspectedOn: "2025-06-02", grade: 1 }, ctx());
      await recordOfstedJudgement(trx, { homeId: b, inspectedOn: "2025-01-15", grade: 4 }, ctx());
      const late = await recordOfstedJudgement(trx, { homeId: b, inspectedOn: "2024-01-15", grade: 2 }, ctx());
      expect(late.isLatest).toBe(false);
    });
    const events = await eventsAfter(start);
    expect(events.map((e) => e.action)).toEqual(Array(4).fill("home.ofsted_judgement_recorded"));
    expect(events[1]).toMatchObject({
      summary: `Recorded Ofsted judgement for Alder House (${supplier.name}): Outstanding, inspected 2 June 2025; previously Requires improvement to be good`,
      subjects: [
        { type: "home", id: a },
        { type: "organisation", id: supplier.id },
      ],
      before: { latestGrade: 3, latestInspectedOn: "2023-05-10" },
      after: { inspectedOn: "2025-06-02", grade: 1, isLatest: true },
    });
    expect(events[3]?.summary).toMatch(/Good, inspected 15 January 2024 \(an earlier inspection\)$/);

    const homes = await listHomes(db, { organisationId: supplier.id });
    expect(homes.map((h) => [h.name, h.latestGrade, h.latestGradeLabel, h.latestInspectedOn])).toEqual([
      ["Alder House", 1, "Outstanding", "2025-06-02"],
      ["Beech House", 4, "Inadequate", "2025-01-15"],
      ["Cedar House", null, "No judgement recorded", null],
    ]);
    expect((await getHome(db, a))?.judgements.map((j) => [j.inspectedOn, j.gradeLabel])).toEqual([
      ["2025-06-02", "Outstanding"],
      ["2023-05-10", "Requires improvement to be good"],
    ]);
  });

  it("lists homes in one query however many there are", async () => {
    const supplier = await aProvider();
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < 8; i++) {
        const { id } = await createHome(trx, home(supplier.id), ctx());
        await recordOfstedJudgement(trx, { homeId: id, inspectedOn: "2024-03-01", grade: 3 }, ctx());
        await recordOfstedJudgement(trx, { homeId: id, inspectedOn: "2025-03-01", grade: 2 }, ctx());
      }
    });
    let queries = 0;
    const counting: KyselyPlugin = {
      transformQuery: (args) => {
        queries++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const homes = await listHomes(db.withPlugin(counting));
    expect(homes.filter((h) => h.organisationId === supplier.id).map((h) => h.latestGrade)).toEqual(Array(8).fill(2));
    expect(queries).toBe(1);
  });

  it("refuses judgements from the future, twice for the same day, or with an unknown grade", async () => {
    const supplier = await aProvider();
    const { id } = await db.transaction().execute((trx) => createHome(trx, home(supplier.id), ctx()));
    const dayAfterTomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    await expectRefused((trx) => recordOfstedJudgement(trx, { homeId: id, inspectedOn: dayAfterTomorrow, grade: 2 }, ctx()), "inspectedOn", /today or in the past/);
    await expectRefused((trx) => recordOfstedJudgement(trx, { homeId: id, inspectedOn: "2025-01-01", grade: 6 }, ctx()), "grade");
    await db.transaction().execute((trx) => recordOfstedJudgement(trx, { homeId: id, inspectedOn: "2025-01-01", grade: 2 }, ctx()));
    await expectRefused((trx) => recordOfstedJudgement(trx, { homeId: id, inspectedOn: "2025-01-01", grade: 3 }, ctx()), "inspectedOn", /already recorded/);
    expect(await getHome(db, "SC123456")).toBeNull();
  });
});
